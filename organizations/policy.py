"""Who may do what: the one policy table (shared/DESIGN.md §9).

Every page, API operation, export and download names its `Action` and asks `authorize`.
What the others get is the same everywhere, and recorded in the audit log:
- a member of the organization without a role the action allows: 403;
- anyone who is not a member (another organization's user): 404, as if the
  organization did not exist.
Anonymous visitors never get this far: pages send them to log in, the API answers 401.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.services import access_denied

from .models import Membership, Role
from .selectors import membership_for

CONSULTANT = frozenset({Role.CONSULTANT})
CONSULTANT_AND_COE = frozenset({Role.CONSULTANT, Role.COE_LEAD})
EVERY_MEMBER = frozenset(Role)


class Action(StrEnum):
    VIEW_ORGANIZATION = "view_organization"
    EDIT_ORGANIZATION = "edit_organization"
    MANAGE_MEMBERS = "manage_members"
    READ_AUDIT_LOG = "read_audit_log"
    VIEW_ASSESSMENT = "view_assessment"
    MANAGE_ASSESSMENTS = "manage_assessments"
    MANAGE_RESPONDENTS = "manage_respondents"
    READ_RESULTS = "read_results"
    READ_NAMED_ANSWERS = "read_named_answers"
    EXPORT_ANSWERS = "export_answers"
    EXPORT_AGGREGATES = "export_aggregates"
    READ_ROADMAP = "read_roadmap"
    EDIT_ROADMAP = "edit_roadmap"
    MANAGE_UNITS = "manage_units"
    SET_TARGETS = "set_targets"
    RUN_WHAT_IF = "run_what_if"
    SAVE_SCENARIOS = "save_scenarios"
    READ_BASELINES = "read_baselines"
    EDIT_BASELINES = "edit_baselines"
    READ_REPORTS = "read_reports"
    REQUEST_CLIENT_REPORT = "request_client_report"
    REQUEST_CONSULTANT_REPORT = "request_consultant_report"
    DOWNLOAD_CONSULTANT_REPORT = "download_consultant_report"
    SET_BRANDING = "set_branding"
    ANSWER_AS_ASSESSOR = "answer_as_assessor"
    READ_ASSESSOR_SCORES = "read_assessor_scores"
    VERIFY_EVIDENCE = "verify_evidence"
    READ_QUALITY_CHECKS = "read_quality_checks"
    DOWNLOAD_EVIDENCE = "download_evidence"


# action → (the roles that may do it, what a refusal says: "Only … can <this>.")
POLICY: dict[Action, tuple[frozenset[Role], str]] = {
    Action.VIEW_ORGANIZATION: (EVERY_MEMBER, _("see this organization")),
    Action.EDIT_ORGANIZATION: (CONSULTANT, _("change the organization")),
    Action.MANAGE_MEMBERS: (CONSULTANT, _("manage members")),
    Action.READ_AUDIT_LOG: (CONSULTANT, _("read the audit log")),
    Action.VIEW_ASSESSMENT: (EVERY_MEMBER, _("see this assessment")),
    Action.MANAGE_ASSESSMENTS: (CONSULTANT, _("create and close assessments")),
    Action.MANAGE_RESPONDENTS: (CONSULTANT, _("manage respondents")),
    Action.READ_RESULTS: (EVERY_MEMBER, _("read the results")),
    Action.READ_NAMED_ANSWERS: (CONSULTANT, _("read who answered what")),
    Action.EXPORT_ANSWERS: (CONSULTANT, _("export the answers with names")),
    Action.EXPORT_AGGREGATES: (EVERY_MEMBER, _("export the aggregated results")),
    Action.READ_ROADMAP: (EVERY_MEMBER, _("read the roadmap")),
    Action.EDIT_ROADMAP: (CONSULTANT_AND_COE, _("change the roadmap and the use cases")),
    Action.MANAGE_UNITS: (CONSULTANT_AND_COE, _("manage business units")),
    Action.SET_TARGETS: (CONSULTANT_AND_COE, _("set targets")),
    Action.RUN_WHAT_IF: (EVERY_MEMBER, _("run a what-if")),
    Action.SAVE_SCENARIOS: (CONSULTANT_AND_COE, _("save what-if scenarios")),
    Action.READ_BASELINES: (EVERY_MEMBER, _("read the baselines")),
    Action.EDIT_BASELINES: (CONSULTANT_AND_COE, _("change the baselines")),
    Action.READ_REPORTS: (EVERY_MEMBER, _("read the reports")),
    Action.REQUEST_CLIENT_REPORT: (CONSULTANT_AND_COE, _("request reports")),
    Action.REQUEST_CONSULTANT_REPORT: (CONSULTANT, _("request the consultant edition")),
    Action.DOWNLOAD_CONSULTANT_REPORT: (CONSULTANT, _("download the consultant edition")),
    Action.SET_BRANDING: (CONSULTANT, _("set the report branding")),
    Action.ANSWER_AS_ASSESSOR: (CONSULTANT, _("answer as assessor")),
    Action.READ_ASSESSOR_SCORES: (CONSULTANT, _("read the assessor's scores")),
    Action.VERIFY_EVIDENCE: (CONSULTANT, _("verify answers against their evidence")),
    Action.READ_QUALITY_CHECKS: (CONSULTANT, _("read the quality checks")),
    Action.DOWNLOAD_EVIDENCE: (CONSULTANT_AND_COE, _("download evidence files")),
}


def roles_for(action: Action) -> frozenset[Role]:
    return POLICY[action][0]


def allows(membership: Membership | None, action: Action) -> bool:
    """May this membership do it? (For what a page offers; `authorize` enforces.)"""
    return membership is not None and membership.role in roles_for(action)


def authorize(user, organization_id: int, action: Action) -> Membership:
    """The caller's membership of the organization, when its role allows `action`.

    Not a member: Http404, as if the organization did not exist. A member whose role
    does not allow it: PermissionDenied (403), saying who can. Both are recorded.
    """
    membership = membership_for(user, organization_id)
    if membership is None:
        if user.is_authenticated:
            access_denied(user=user, organization_id=organization_id, reason="not a member")
        raise Http404("No such organization.")
    roles, what = POLICY[action]
    if membership.role not in roles:
        access_denied(
            user=user,
            organization_id=organization_id,
            reason=f"role {membership.role} may not {action.value}",
        )
        raise PermissionDenied(
            gettext("Only %(roles)s can %(action)s.") % {"roles": _who(roles), "action": what}
        )
    return membership


# Who may, in a refusal's words ("Only consultants and AI CoE leads can …").
ROLE_PLURALS = {
    Role.CONSULTANT: _("consultants"),
    Role.COE_LEAD: _("AI CoE leads"),
    Role.EXECUTIVE: _("executives"),
}


def _who(roles: frozenset[Role]) -> str:
    labels = [str(ROLE_PLURALS[role]) for role in Role if role in roles]
    if len(labels) == 1:
        return labels[0]
    return gettext("%(roles)s and %(last)s") % {"roles": ", ".join(labels[:-1]), "last": labels[-1]}
