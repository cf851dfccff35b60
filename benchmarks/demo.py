"""Demo data for benchmarks: synthetic peer organizations with closed assessments, so
the peer comparison has a cohort out of the box, and the demo organization's baselines.

Every peer is marked as demo data (`is_demo=True`, a name ending "(demo peer)") and has
no members: nobody can open it, and it only ever enters the cohort of demo
organizations (see `selectors.peer_frame`). Idempotent: peers are found by name.
"""

from __future__ import annotations

import random

from django.db import transaction

from assessments import answers as answer_rules
from assessments import services as assessment_services
from assessments.models import Answer, ExecutiveRole, Question, QuestionBank
from organizations.models import Industry as I
from organizations.models import Organization
from organizations.models import Region as R
from organizations.models import SizeBand as S

from . import services
from .models import OrganizationBaseline

SUFFIX = "(demo peer)"
# name, industry, size, region, typical answer level (1–5): most organizations sit at
# levels 1–2, a few have AI in core processes (DESIGN §3, the 87 % / 13 % figure).
PEERS = [
    ("Aldergrove Precision Parts", I.MANUFACTURING, S.FROM_1000, R.EUROPE, 2.2),
    ("Brightwater Tooling", I.MANUFACTURING, S.FROM_250, R.NORTH_AMERICA, 1.8),
    ("Castellan Automotive Systems", I.MANUFACTURING, S.OVER_20000, R.EUROPE, 3.4),
    ("Dunmore Packaging", I.MANUFACTURING, S.FROM_1000, R.EUROPE, 2.0),
    ("Eastlake Industrial Pumps", I.MANUFACTURING, S.FROM_5000, R.ASIA_PACIFIC, 2.7),
    ("Fenwick Chemicals", I.MANUFACTURING, S.FROM_5000, R.EUROPE, 3.0),
    ("Greystone Electronics", I.MANUFACTURING, S.OVER_20000, R.ASIA_PACIFIC, 3.9),
    ("Harbourline Bank", I.FINANCIAL_SERVICES, S.OVER_20000, R.EUROPE, 3.6),
    ("Ironbridge Insurance", I.FINANCIAL_SERVICES, S.FROM_5000, R.EUROPE, 2.6),
    ("Juniper Credit Union", I.FINANCIAL_SERVICES, S.FROM_250, R.NORTH_AMERICA, 1.9),
    ("Kestrel Asset Management", I.FINANCIAL_SERVICES, S.FROM_1000, R.EUROPE, 3.1),
    ("Larkspur Payments", I.FINANCIAL_SERVICES, S.FROM_1000, R.ASIA_PACIFIC, 4.1),
    ("Meadowbrook Health System", I.HEALTHCARE, S.OVER_20000, R.NORTH_AMERICA, 2.4),
    ("Northgate Diagnostics", I.HEALTHCARE, S.FROM_1000, R.EUROPE, 3.2),
    ("Oakhurst Clinics", I.HEALTHCARE, S.FROM_250, R.EUROPE, 1.7),
    ("Pinecrest Pharma", I.HEALTHCARE, S.FROM_5000, R.EUROPE, 2.9),
    ("Quarry Hill Hospitals", I.HEALTHCARE, S.FROM_5000, R.LATIN_AMERICA, 2.1),
    ("Redfern Outfitters", I.RETAIL, S.FROM_5000, R.EUROPE, 2.5),
    ("Silverleaf Grocers", I.RETAIL, S.OVER_20000, R.NORTH_AMERICA, 3.3),
    ("Thornbury Home Goods", I.RETAIL, S.FROM_1000, R.EUROPE, 1.9),
    ("Upland Fashion Group", I.RETAIL, S.FROM_1000, R.ASIA_PACIFIC, 2.8),
    ("Valemount Pharmacies", I.RETAIL, S.FROM_250, R.EUROPE, 2.2),
    ("Westmarch Freight", I.TRANSPORTATION, S.FROM_5000, R.EUROPE, 2.7),
    ("Yarrow Logistics", I.TRANSPORTATION, S.OVER_20000, R.NORTH_AMERICA, 3.7),
    ("Zephyr Air Cargo", I.TRANSPORTATION, S.FROM_1000, R.MIDDLE_EAST_AFRICA, 2.0),
    ("Ashdown Rail", I.TRANSPORTATION, S.FROM_5000, R.EUROPE, 2.3),
    ("Bellhaven Software", I.TECHNOLOGY, S.FROM_1000, R.NORTH_AMERICA, 4.3),
    ("Cobalt Cloud Services", I.TECHNOLOGY, S.FROM_250, R.EUROPE, 3.8),
    ("Driftwood Telecom", I.TELECOMMUNICATIONS, S.OVER_20000, R.EUROPE, 2.9),
    ("Emberline Energy", I.ENERGY, S.OVER_20000, R.EUROPE, 2.4),
    ("Foxglove Utilities", I.ENERGY, S.FROM_5000, R.NORTH_AMERICA, 1.6),
    ("Glenrock County Services", I.PUBLIC_SECTOR, S.FROM_1000, R.EUROPE, 1.5),
    ("Hollis & Reed Advisory", I.PROFESSIONAL_SERVICES, S.FROM_1000, R.EUROPE, 3.0),
]
RESPONDENTS = [
    ("CEO", "ceo", ExecutiveRole.CEO, "Group"),
    ("CIO", "cio", ExecutiveRole.CIO, "Group IT"),
    ("COO", "coo", ExecutiveRole.COO, "Operations"),
]
DEMO_BASELINES = {
    "annual_operating_cost": "850000000",
    "annual_revenue": "1200000000",
    "process_hours_per_year": "1400000",
    "cost_per_hour": "58.50",
    # The processes the demo's use cases touch: 12 % of the operating cost (maintenance,
    # quality, planning), 5 % of the revenue (pricing, aftersales).
    "operating_cost_addressable_share": "12",
    "revenue_addressable_share": "5",
    "planned_ai_investment": "40000000",
    "currency": "EUR",
}


def peer_name(name: str) -> str:
    return f"{name} {SUFFIX}"


@transaction.atomic
def demo_peers_load(*, bank: QuestionBank, seed: int = 2026) -> tuple[int, int]:
    """Create the missing demo peers, each with one closed assessment scored through
    the assessment services. Returns (peers in total, peers created now)."""
    existing = {
        o.name: o
        for o in Organization.objects.filter(is_demo=True, name__endswith=SUFFIX).prefetch_related(
            "assessments"
        )
    }
    questions = list(
        Question.objects.filter(bank=bank).select_related("dimension").order_by("position")
    )
    created = 0
    for position, (name, industry, size, region, level) in enumerate(PEERS):
        organization = existing.get(peer_name(name))
        if organization is None:
            organization = Organization.objects.create(
                name=peer_name(name), industry=industry, size_band=size, region=region, is_demo=True
            )
            created += 1
        if not any(not a.is_open for a in organization.assessments.all()):
            rng = random.Random(seed * 1000 + position)
            _closed_assessment(organization, bank, questions, rng, level)
    return len(PEERS), created


def _closed_assessment(organization, bank, questions, rng: random.Random, level: float):
    assessment = assessment_services.assessment_create(
        organization=organization, bank=bank, title="2026 benchmark (demo)", user=None
    )
    slug = organization.name.split()[0].lower().strip("&")
    # Each organization is stronger in some dimensions than others.
    offsets = {q.dimension.key: rng.uniform(-0.8, 0.8) for q in questions}
    respondents = [
        assessment_services.respondent_add(
            assessment=assessment,
            name=f"{title} of {organization.name.removesuffix(SUFFIX).strip()}",
            email=f"{local}@{slug}.demo.example",
            role=role,
            title=title,
            business_unit=unit,
        )
        for title, local, role, unit in RESPONDENTS
    ]
    Answer.objects.bulk_create(
        Answer(respondent=respondent, question=question, kind=parsed.kind, level=parsed.level)
        for respondent in respondents
        for question in questions
        for parsed in [
            answer_rules.parse_value(
                _value(rng, question, level + offsets[question.dimension.key]),
                allow_na=question.allow_na,
            )
        ]
    )
    for respondent in respondents:
        assessment_services.respondent_submit(respondent=respondent)
    return assessment_services.assessment_close(assessment=assessment)


def _value(rng: random.Random, question: Question, typical: float):
    roll = rng.random()
    if roll < 0.04:
        return answer_rules.DONT_KNOW
    if roll < 0.06 and question.allow_na:
        return answer_rules.NOT_APPLICABLE
    return max(1, min(5, round(typical + rng.gauss(0, 0.7))))


def demo_baselines_load(*, organization: Organization) -> OrganizationBaseline:
    """The demo organization's baselines, set once (later edits are kept)."""
    existing = OrganizationBaseline.objects.filter(organization=organization).first()
    if existing is not None:
        return existing
    return services.baseline_update(organization=organization, data=dict(DEMO_BASELINES))
