"""The consultant's portfolio (DESIGN §11): one row per client organization, and the
table's filters, sort orders and summary. Pure: rows in, rows out.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from django.utils.translation import gettext, gettext_lazy


@dataclass(frozen=True)
class Row:
    organization_id: int
    organization: str
    industry: str
    industry_label: str
    is_demo: bool
    assessment_id: int | None
    assessment: str | None
    status: str  # "open", "closed" or "none" (no assessment yet)
    submitted: int
    invited: int
    index: float | None
    level: int | None
    level_name: str | None
    phase: int | None
    phase_name: str | None
    # Since the previous closed assessment (None when there is none to compare with).
    index_change: float | None
    level_change: int | None
    phase_change: int | None
    overdue_milestones: int
    reports_ready: int
    last_activity: datetime | None

    def as_dict(self) -> dict:
        return asdict(self)


STATUSES = ("open", "closed", "none")
# ?sort= values (a leading "-" reverses); rows without a value come last either way.
SORTS = {
    "organization": lambda r: r.organization.lower(),
    "industry": lambda r: r.industry_label,
    "status": lambda r: r.status,
    "submitted": lambda r: r.submitted,
    "index": lambda r: r.index,
    "level": lambda r: r.level,
    "phase": lambda r: r.phase,
    "change": lambda r: r.index_change,
    "overdue": lambda r: r.overdue_milestones,
    "reports": lambda r: r.reports_ready,
    "activity": lambda r: r.last_activity,
}
DEFAULT_SORT = "organization"


class BadQuery(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Query:
    industry: str = ""
    status: str = ""
    phase: int | None = None
    sort: str = DEFAULT_SORT

    @classmethod
    def parse(cls, params, industries: set[str]) -> Query:
        """From query parameters; BadQuery naming the parameter when a value is unknown."""
        industry = (params.get("industry") or "").strip()
        if industry and industry not in industries:
            raise BadQuery(
                "industry", gettext("Unknown industry %(industry)r.") % {"industry": industry}
            )
        status = (params.get("status") or "").strip()
        if status and status not in STATUSES:
            raise BadQuery(
                "status", gettext("Use one of %(values)s.") % {"values": ", ".join(STATUSES)}
            )
        raw_phase = (params.get("phase") or "").strip()
        phase = None
        if raw_phase:
            if raw_phase not in {"1", "2", "3", "4"}:
                raise BadQuery("phase", gettext("Use a phase from 1 to 4."))
            phase = int(raw_phase)
        sort = (params.get("sort") or DEFAULT_SORT).strip()
        if sort.lstrip("-") not in SORTS:
            raise BadQuery(
                "sort",
                gettext("Sort by one of %(values)s (a leading - reverses).")
                % {"values": ", ".join(SORTS)},
            )
        return cls(industry=industry, status=status, phase=phase, sort=sort)


def select(rows: list[Row], query: Query) -> list[Row]:
    """The rows the filters keep, in the asked order (ties by organization name)."""
    kept = [
        r
        for r in rows
        if (not query.industry or r.industry == query.industry)
        and (not query.status or r.status == query.status)
        and (query.phase is None or r.phase == query.phase)
    ]
    key = SORTS[query.sort.lstrip("-")]
    descending = query.sort.startswith("-")
    kept.sort(key=lambda r: r.organization.lower())
    with_value = [r for r in kept if key(r) is not None]
    without = [r for r in kept if key(r) is None]
    with_value.sort(key=key, reverse=descending)
    return with_value + without


def by_phase(rows: list[Row], phases: dict[int, str]) -> list[dict]:
    """How many organizations are in each phase (and how many have no phase yet)."""
    counts = [
        {"phase": n, "name": name, "count": sum(1 for r in rows if r.phase == n)}
        for n, name in sorted(phases.items())
    ]
    counts.append(
        {
            "phase": None,
            "name": gettext("Not placed"),
            "count": sum(1 for r in rows if r.phase is None),
        }
    )
    return counts


CSV_COLUMNS = [
    ("organization", gettext_lazy("Organization")),
    ("industry_label", gettext_lazy("Industry")),
    ("assessment", gettext_lazy("Latest assessment")),
    ("status", gettext_lazy("Status")),
    ("submitted", gettext_lazy("Respondents submitted")),
    ("invited", gettext_lazy("Respondents invited")),
    ("index", gettext_lazy("Index")),
    ("level", gettext_lazy("Level")),
    ("phase", gettext_lazy("Phase")),
    ("index_change", gettext_lazy("Index change since previous closed")),
    ("level_change", gettext_lazy("Level change")),
    ("phase_change", gettext_lazy("Phase change")),
    ("overdue_milestones", gettext_lazy("Overdue milestones")),
    ("reports_ready", gettext_lazy("Reports ready")),
    ("last_activity", gettext_lazy("Last activity")),
]
