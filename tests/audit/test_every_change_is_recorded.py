"""Every service that writes data records the change in the audit log, with its action,
organization, actor and changes (old → new), through the one helper
`audit.services.record`.

The services are found, not listed: every public function of each app's `services`
module (and `organizations.members`). Each one must either have a case below, which
runs it and checks its entry, or be named in NOT_A_CHANGE with the reason it records
nothing. A new service with neither fails `test_every_service_is_covered`.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.test import RequestFactory
from PIL import Image

from assessments import bank_editor
from assessments import selectors as assessment_selectors
from assessments import services as assessment_services
from assessments.bank_files import bank_document, to_yaml
from assessments.models import Question
from audit import context
from audit.models import AuditEntry
from benchmarks import services as benchmark_services
from common.errors import InputError
from organizations import members
from organizations import services as organization_services
from organizations.models import Membership, Role
from reports import services as report_services
from reports.models import ReportRequest, ReportStatus
from roadmap import selectors as roadmap_selectors
from roadmap import services as roadmap_services

from ..factories import MembershipFactory, UserFactory
from ..roadmap.conftest import START, answer_all

pytestmark = pytest.mark.django_db

EXTRA_SERVICE_MODULES = ("organizations.members", "assessments.bank_editor")

NOT_A_CHANGE = {
    "roadmap.services.what_if_changes": "checks a what-if's changes; nothing is stored",
    # Published reference data: immutable, versioned rows that carry their own source,
    # checksum and load time; loaded by `manage.py load_reference_data`, not by a person
    # in an organization.
    "assessments.services.question_bank_load": "reference data",
    "benchmarks.services.benchmark_reference_load": "reference data",
    "roadmap.services.roadmap_reference_load": "reference data",
    # Part of assessment_close, whose entry records the closing.
    "assessments.services.score_snapshot_store": "part of assessment_close",
    # Reads, or the worker's bookkeeping of a report request already recorded
    # (report.requested / report.retried): queue time, claim, file, status, sweeper.
    "reports.services.check_kind": "reads only",
    "reports.services.check_language": "reads only",
    "reports.services.check_audience": "reads only",
    "reports.services.check_format": "reads only",
    "reports.services.report_path": "reads only",
    "reports.services.enqueue": "worker bookkeeping",
    "reports.services.claim": "worker bookkeeping",
    "reports.services.renew_claim": "worker bookkeeping (the render's heartbeat)",
    "reports.services.report_render": "worker bookkeeping",
    "reports.services.reports_sweep": "worker bookkeeping",
    # Reminders (DESIGN §12): the beat's bookkeeping. Each reminder's ReminderSend row
    # (claimed, sent, skipped or failed, when, how many attempts) is its own record.
    "assessments.services.check_due_date": "reads only",
    "assessments.services.reminder_windows": "reads only",
    "assessments.services.publish_reminder": "worker bookkeeping",
    "assessments.services.reminders_sweep": "worker bookkeeping",
    "assessments.services.reminder_send": "worker bookkeeping",
    # The weekly digest: likewise, each DigestSend row (user, ISO week) is its record.
    "roadmap.services.iso_week": "reads only",
    "roadmap.services.publish_digest": "worker bookkeeping",
    "roadmap.services.digests_sweep": "worker bookkeeping",
    "roadmap.services.digest_send": "worker bookkeeping",
    # The question bank editor's reads.
    "assessments.bank_editor.can_edit_banks": "reads only",
    "assessments.bank_editor.published_bank": "reads only",
    "assessments.bank_editor.draft_bank": "reads only",
    "assessments.bank_editor.draft_problems": "reads only",
}


def _service_modules() -> list[str]:
    base = Path(settings.BASE_DIR).resolve()
    found = [
        f"{config.name}.services"
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base)
        and importlib.util.find_spec(f"{config.name}.services") is not None
    ]
    return sorted({*found, *EXTRA_SERVICE_MODULES} - {"audit.services"})  # the recorder


def _service_functions() -> set[str]:
    names = set()
    for module_name in _service_modules():
        module = importlib.import_module(module_name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and function.__module__ == module_name:
                names.add(f"{module_name}.{name}")
    return names


# --- the cases ---------------------------------------------------------------------------


@dataclass
class Case:
    """Run `act` and expect one new entry with this action, organization, actor and
    changes (a dict, or a function of what `act` returned)."""

    act: Callable[[], object]
    action: str
    organization: object
    user: object = None
    respondent: object = None
    changes: dict | Callable[[object], dict] = field(default_factory=dict)


CASES: dict[str, Callable] = {}


def case(service: str):
    def register(build):
        CASES[service] = build
        return build

    return register


class World:
    """The fixtures the cases build on, and who is signed in (the request context)."""

    def __init__(self, organization, alice, carol, erin, bank, assessment, respondent):
        self.organization, self.alice, self.carol, self.erin = organization, alice, carol, erin
        self.bank, self.assessment, self.respondent = bank, assessment, respondent
        self._token = None

    def sign_in(self, user) -> None:
        """Serve the rest as a request by `user`, as the pages and the API do."""
        http = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7")
        http.user = user
        self.sign_out()
        self._token = context.activate(context.RequestContext(http))

    def sign_out(self) -> None:
        if self._token is not None:
            context.deactivate(self._token)
            self._token = None

    def submitted(self):
        answer_all(self.respondent, 3)
        return self.assessment

    def roadmap(self):
        return roadmap_services.roadmap_create(
            assessment=self.submitted(), start_date=START, user=self.carol
        )


@pytest.fixture
def world(organization, alice, carol, erin, bank, assessment, respondent):
    made = World(organization, alice, carol, erin, bank, assessment, respondent)
    yield made
    made.sign_out()


# organizations


@case("assessments.services.assessor_start")
def _(w: World):
    return Case(
        act=lambda: assessment_services.assessor_start(assessment=w.assessment, user=w.alice),
        action="assessor.started",
        organization=w.organization,
        user=w.alice,
        changes={"kind": [None, "assessor"]},
    )


@case("assessments.services.quality_acknowledge")
def _(w: World):
    warnings = assessment_selectors.quality_checks(w.assessment)
    return Case(
        act=lambda: assessment_services.quality_acknowledge(
            assessment=w.assessment, user=w.alice, warnings=warnings, purpose="the scores export"
        ),
        action="quality.acknowledged",
        organization=w.organization,
        user=w.alice,
        changes={
            "warnings": [None, [w.key for w in warnings]],
            "purpose": [None, "the scores export"],
        },
    )


@case("assessments.services.verification_set")
def _(w: World):
    question = Question.objects.filter(bank=w.bank).order_by("position").first()
    return Case(
        act=lambda: assessment_services.verification_set(
            assessment=w.assessment, question=question, level="4", note="Seen", user=w.alice
        ),
        action="verification.set",
        organization=w.organization,
        user=w.alice,
        changes={"level": [None, 4]},
    )


@case("assessments.services.evidence_upload")
def _(w: World):
    question = Question.objects.filter(bank=w.bank).order_by("position").first()
    upload = SimpleUploadedFile("minutes.pdf", b"%PDF-1.7\n%%EOF\n")
    return Case(
        act=lambda: assessment_services.evidence_upload(
            assessment=w.assessment, question=question, upload=upload, user=w.alice
        ),
        action="evidence.uploaded",
        organization=w.organization,
        user=w.alice,
        changes={"file": [None, "minutes.pdf"]},
    )


@case("organizations.services.organization_create")
def _(w: World):
    return Case(
        act=lambda: organization_services.organization_create(
            user=w.alice, name="Initech", industry="technology", size_band="lt_250", region="europe"
        ),
        action="organization.created",
        organization=lambda made: made,
        user=w.alice,
        changes={
            "name": [None, "Initech"],
            "industry": [None, "technology"],
            "region": [None, "europe"],
        },
    )


@case("organizations.services.organization_update")
def _(w: World):
    before = w.organization.region
    return Case(
        act=lambda: organization_services.organization_update(
            organization=w.organization,
            user=w.alice,
            changes={"region": "asia_pacific", "name": w.organization.name},
        ),
        action="organization.updated",
        organization=w.organization,
        user=w.alice,
        changes={"region": [before, "asia_pacific"]},
    )


@case("organizations.services.membership_set")
def _(w: World):
    dave = UserFactory(username="dave")
    w.sign_in(w.alice)  # a command passes no actor: the signed-in user is taken
    return Case(
        act=lambda: organization_services.membership_set(
            user=dave, organization=w.organization, role=Role.EXECUTIVE
        ),
        action="membership.set",
        organization=w.organization,
        user=w.alice,
        changes={"role": [None, "executive"]},
    )


@case("organizations.members.member_invite")
def _(w: World):
    return Case(
        act=lambda: members.member_invite(
            organization=w.organization, email=" New@Acme.example ", role="coe_lead", user=w.alice
        ),
        action="membership.invited",
        organization=w.organization,
        user=w.alice,
        changes={"user": [None, "new@acme.example"], "role": [None, "coe_lead"]},
    )


@case("organizations.members.member_role_change")
def _(w: World):
    membership = Membership.objects.get(user=w.erin, organization=w.organization)
    return Case(
        act=lambda: members.member_role_change(
            membership=membership, role=Role.COE_LEAD, user=w.alice
        ),
        action="membership.updated",
        organization=w.organization,
        user=w.alice,
        changes={"role": ["executive", "coe_lead"]},
    )


@case("organizations.members.member_remove")
def _(w: World):
    membership = Membership.objects.get(user=w.erin, organization=w.organization)
    w.sign_in(w.alice)  # left out: the signed-in user is the actor
    return Case(
        act=lambda: members.member_remove(membership=membership),
        action="membership.removed",
        organization=w.organization,
        user=w.alice,
        changes={"user": ["erin", None], "role": ["executive", None]},
    )


# assessments


@case("assessments.services.assessment_create")
def _(w: World):
    return Case(
        act=lambda: assessment_services.assessment_create(
            organization=w.organization, bank=w.bank, title="Q3 check", user=w.alice
        ),
        action="assessment.created",
        organization=w.organization,
        user=w.alice,
        changes={"title": [None, "Q3 check"], "bank": [None, w.bank.version]},
    )


@case("assessments.services.assessment_close")
def _(w: World):
    assessment = w.submitted()
    w.sign_in(w.alice)
    return Case(
        act=lambda: assessment_services.assessment_close(assessment=assessment),
        action="assessment.closed",
        organization=w.organization,
        user=w.alice,
        changes={"status": ["open", "closed"]},
    )


@case("assessments.services.respondent_add")
def _(w: World):
    w.sign_in(w.alice)
    return Case(
        act=lambda: assessment_services.respondent_add(
            assessment=w.assessment, name="Sam Lee", email="CFO@acme.example", role="cfo"
        ),
        action="respondent.added",
        organization=w.organization,
        user=w.alice,
        changes={
            "name": [None, "Sam Lee"],
            "email": [None, "cfo@acme.example"],
            "role": [None, "cfo"],
        },
    )


@case("assessments.services.respondent_revoke")
def _(w: World):
    w.sign_in(w.alice)
    return Case(
        act=lambda: assessment_services.respondent_revoke(respondent=w.respondent),
        action="respondent.revoked",
        organization=w.organization,
        user=w.alice,
    )


@case("assessments.services.respondent_reissue")
def _(w: World):
    w.sign_in(w.alice)
    return Case(
        act=lambda: assessment_services.respondent_reissue(respondent=w.respondent),
        action="respondent.reissued",
        organization=w.organization,
        user=w.alice,
    )


@case("assessments.services.invitation_send")
def _(w: World):
    w.sign_in(w.alice)
    return Case(
        act=lambda: assessment_services.invitation_send(respondent=w.respondent),
        action="invitation.sent",
        organization=w.organization,
        user=w.alice,
    )


@case("assessments.services.respondents_add_bulk")
def _(w: World):
    w.sign_in(w.alice)
    return Case(
        act=lambda: assessment_services.respondents_add_bulk(
            assessment=w.assessment, text="Sam Lee, CFO@acme.example, CFO"
        ),
        action="respondent.added",
        organization=w.organization,
        user=w.alice,
        changes={
            "name": [None, "Sam Lee"],
            "email": [None, "cfo@acme.example"],
            "role": [None, "cfo"],
        },
    )


@case("assessments.services.invitations_send_all")
def _(w: World):
    w.sign_in(w.alice)
    return Case(
        act=lambda: assessment_services.invitations_send_all(
            assessment=w.assessment, which="not_invited"
        ),
        action="invitation.sent",
        organization=w.organization,
        user=w.alice,
    )


@case("assessments.services.assessment_set_due_date")
def _(w: World):
    day = date.today() + timedelta(days=10)
    return Case(
        act=lambda: assessment_services.assessment_set_due_date(
            assessment=w.assessment, due_date=day, user=w.alice
        ),
        action="assessment.due_date_set",
        organization=w.organization,
        user=w.alice,
        changes={"due_date": [None, day.isoformat()]},
    )


@case("assessments.services.answer_save")
def _(w: World):
    question = Question.objects.filter(bank=w.bank).order_by("position").first()
    return Case(
        act=lambda: assessment_services.answer_save(
            respondent=w.respondent, question=question, value=4
        ),
        action="answer.saved",
        organization=w.organization,
        respondent=w.respondent,
        changes={"kind": "level", "level": 4},
    )


@case("assessments.services.respondent_submit")
def _(w: World):
    answer_all(w.respondent, 3, submit=False)
    return Case(
        act=lambda: assessment_services.respondent_submit(respondent=w.respondent),
        action="respondent.submitted",
        organization=w.organization,
        respondent=w.respondent,
    )


@case("assessments.services.respondent_set_language")
def _(w: World):
    return Case(
        act=lambda: assessment_services.respondent_set_language(
            respondent=w.respondent, language="de"
        ),
        action="respondent.language_set",
        organization=w.organization,
        respondent=w.respondent,
        changes={"language": ["en", "de"]},
    )


# benchmarks


@case("benchmarks.services.baseline_update")
def _(w: World):
    benchmark_services.baseline_update(
        organization=w.organization,
        data={"annual_revenue": "1000000", "currency": "EUR"},
        user=w.alice,
    )
    return Case(
        act=lambda: benchmark_services.baseline_update(
            organization=w.organization,
            data={"annual_revenue": 1250000.5, "cost_per_hour": "80"},
            user=w.carol,
            partial=True,
        ),
        action="baseline.updated",
        organization=w.organization,
        user=w.carol,
        changes={
            "annual_revenue": ["1000000.00", "1250000.50"],
            "cost_per_hour": [None, "80.00"],
        },
    )


# reports


@case("reports.services.branding_save")
def _(w: World):
    return Case(
        act=lambda: report_services.branding_save(
            organization=w.organization, user=w.alice, firm_name=" Acme Advisory ", color="#1A2B3C"
        ),
        action="branding.created",
        organization=w.organization,
        user=w.alice,
        changes={"firm_name": [None, "Acme Advisory"], "color": [None, "#1a2b3c"]},
    )


@case("reports.services.report_request_create")
def _(w: World):
    return Case(
        act=lambda: report_services.report_request_create(
            assessment=w.assessment, kind="executive_summary", user=w.carol
        ),
        action="report.requested",
        organization=w.organization,
        user=w.carol,
        changes={
            "kind": [None, "executive_summary"],
            "assessment": [None, w.assessment.pk],
            "audience": [None, "client"],
            "file_format": [None, "pdf"],
            "language": [None, "en"],
        },
    )


@case("reports.services.report_retry")
def _(w: World):
    report = ReportRequest.objects.create(
        assessment=w.assessment, kind="full_assessment", status=ReportStatus.FAILED, attempts=3
    )
    return Case(
        act=lambda: report_services.report_retry(report=report, user=w.alice),
        action="report.retried",
        organization=w.organization,
        user=w.alice,
        changes={"status": ["failed", "pending"]},
    )


# roadmap


@case("roadmap.services.roadmap_create")
def _(w: World):
    assessment = w.submitted()
    return Case(
        act=lambda: roadmap_services.roadmap_create(
            assessment=assessment, start_date=START, user=w.carol
        ),
        action="roadmap.created",
        organization=w.organization,
        user=w.carol,
        changes={
            "assessment": [None, assessment.pk],
            "start_date": [None, "2026-01-01"],
            "starting_phase": [None, 2],
        },
    )


@case("roadmap.services.roadmap_delete")
def _(w: World):
    roadmap = w.roadmap()
    return Case(
        act=lambda: roadmap_services.roadmap_delete(roadmap=roadmap, user=w.alice),
        action="roadmap.deleted",
        organization=w.organization,
        user=w.alice,
        changes={"start_date": ["2026-01-01", None]},
    )


@case("roadmap.services.reassessment_start")
def _(w: World):
    roadmap = w.roadmap()
    return Case(
        act=lambda: roadmap_services.reassessment_start(
            roadmap=roadmap, user=w.carol, today=date(2026, 6, 1)
        ),
        action="roadmap.reassessed",
        organization=w.organization,
        user=w.carol,
        changes=lambda new: {"assessment": [w.assessment.pk, new.pk]},
    )


@case("roadmap.services.milestone_create")
def _(w: World):
    roadmap = w.roadmap()
    return Case(
        act=lambda: roadmap_services.milestone_create(
            roadmap=roadmap, user=w.carol, data={"title": "Hire an MLOps lead", "phase": 3}
        ),
        action="milestone.created",
        organization=w.organization,
        user=w.carol,
        changes={
            "title": [None, "Hire an MLOps lead"],
            "phase": [None, 3],
            "status": [None, "not_started"],
        },
    )


@case("roadmap.services.milestone_update")
def _(w: World):
    milestone = w.roadmap().milestones.get(phase=2, position=0)
    return Case(
        act=lambda: roadmap_services.milestone_update(
            milestone=milestone, user=w.alice, data={"owner": "Dana Lee"}
        ),
        action="milestone.updated",
        organization=w.organization,
        user=w.alice,
        changes={"owner": ["", "Dana Lee"]},
    )


@case("roadmap.services.milestone_delete")
def _(w: World):
    milestone = w.roadmap().milestones.get(phase=2, position=0)
    return Case(
        act=lambda: roadmap_services.milestone_delete(milestone=milestone, user=w.carol),
        action="milestone.deleted",
        organization=w.organization,
        user=w.carol,
        changes={"title": [milestone.title, None], "status": ["not_started", None]},
    )


@case("roadmap.services.milestone_reorder")
def _(w: World):
    milestone = w.roadmap().milestones.get(phase=2, position=1)
    return Case(
        act=lambda: roadmap_services.milestone_reorder(
            milestone=milestone, direction="up", user=w.carol
        ),
        action="milestone.reordered",
        organization=w.organization,
        user=w.carol,
        changes={"position": [2, 1]},
    )


@case("roadmap.services.recommendation_accept")
def _(w: World):
    roadmap = w.roadmap()
    placement, _ = roadmap_selectors.roadmap_placement(roadmap)
    strategic = next(r for r in placement.recommendations if r.horizon == "strategic")
    windows = {w.phase: w for w in roadmap_selectors.roadmap_windows(roadmap)}
    due = windows[placement.next_phase].end
    return Case(
        act=lambda: roadmap_services.recommendation_accept(
            roadmap=roadmap, recommendation_key=strategic.key, user=w.carol, today=due
        ),
        action="milestone.created",
        organization=w.organization,
        user=w.carol,
        changes={
            "recommendation": [None, strategic.key],
            "phase": [None, placement.next_phase],
            "due_date": [None, (due + timedelta(days=90)).isoformat()],
        },
    )


@case("organizations.services.unit_create")
def _(w: World):
    return Case(
        act=lambda: organization_services.unit_create(
            organization=w.organization, name="Retail", user=w.carol
        ),
        action="business_unit.created",
        organization=w.organization,
        user=w.carol,
        changes={"name": [None, "Retail"], "parent": [None, None]},
    )


@case("organizations.services.unit_update")
def _(w: World):
    top = organization_services.unit_create(organization=w.organization, name="Group", user=None)
    unit = organization_services.unit_create(organization=w.organization, name="Shop", user=None)
    return Case(
        act=lambda: organization_services.unit_update(
            unit=unit, data={"name": "Retail", "parent": top.pk}, user=w.carol
        ),
        action="business_unit.updated",
        organization=w.organization,
        user=w.carol,
        changes={"name": ["Shop", "Retail"], "parent": [None, "Group"]},
    )


@case("organizations.services.unit_delete")
def _(w: World):
    unit = organization_services.unit_create(organization=w.organization, name="Shop", user=None)
    return Case(
        act=lambda: organization_services.unit_delete(unit=unit, user=w.carol),
        action="business_unit.deleted",
        organization=w.organization,
        user=w.carol,
        changes={"name": ["Shop", None]},
    )


@case("organizations.services.unit_named")
def _(w: World):
    return Case(
        act=lambda: organization_services.unit_named(
            w.organization.pk, "  Field  sales ", user=w.carol
        ),
        action="business_unit.created",
        organization=w.organization,
        user=w.carol,
        changes={"name": [None, "Field sales"]},
    )


@case("roadmap.services.target_set")
def _(w: World):
    return Case(
        act=lambda: roadmap_services.target_set(
            organization=w.organization,
            dimension="talent",
            score=60,
            due_date=date(2027, 6, 30),
            user=w.carol,
        ),
        action="target.set",
        organization=w.organization,
        user=w.carol,
        changes={"target": [None, [60.0, "2027-06-30"]]},
    )


@case("roadmap.services.target_delete")
def _(w: World):
    target = roadmap_services.target_set(
        organization=w.organization,
        dimension="talent",
        score=60,
        due_date=date(2027, 6, 30),
        user=w.carol,
    )
    return Case(
        act=lambda: roadmap_services.target_delete(target=target, user=w.carol),
        action="target.deleted",
        organization=w.organization,
        user=w.carol,
        changes={"target": [[60.0, "2027-06-30"], None]},
    )


@case("roadmap.services.scenario_save")
def _(w: World):
    assessment = w.submitted()
    base = roadmap_selectors.what_if_base(assessment)
    key = base.keys[0]
    return Case(
        act=lambda: roadmap_services.scenario_save(
            assessment=assessment, base=base, name="All in", changes={key: 5}, user=w.carol
        ),
        action="what_if.saved",
        organization=w.organization,
        user=w.carol,
        changes={"changes": [None, {key: 5}]},
    )


@case("roadmap.services.scenario_delete")
def _(w: World):
    assessment = w.submitted()
    base = roadmap_selectors.what_if_base(assessment)
    scenario = roadmap_services.scenario_save(
        assessment=assessment, base=base, name="All in", changes={base.keys[0]: 5}, user=w.carol
    )
    return Case(
        act=lambda: roadmap_services.scenario_delete(scenario=scenario, user=w.carol),
        action="what_if.deleted",
        organization=w.organization,
        user=w.carol,
        changes={"changes": [{base.keys[0]: 5}, None]},
    )


@case("roadmap.services.use_case_create")
def _(w: World):
    return Case(
        act=lambda: roadmap_services.use_case_create(
            organization=w.organization, user=w.carol, data={"name": "Invoice matching"}
        ),
        action="use_case.created",
        organization=w.organization,
        user=w.carol,
        changes={"name": [None, "Invoice matching"], "stage": [None, "idea"]},
    )


@case("roadmap.services.use_case_update")
def _(w: World):
    use_case = roadmap_services.use_case_create(
        organization=w.organization, user=w.carol, data={"name": "Invoice matching"}
    )
    return Case(
        act=lambda: roadmap_services.use_case_update(
            use_case=use_case, user=w.alice, data={"stage": "pilot", "cost_reduction_target": 20}
        ),
        action="use_case.updated",
        organization=w.organization,
        user=w.alice,
        changes={"stage": ["idea", "pilot"], "cost_reduction_target": [None, 20]},
    )


@case("roadmap.services.use_case_delete")
def _(w: World):
    use_case = roadmap_services.use_case_create(
        organization=w.organization, user=w.carol, data={"name": "Invoice matching"}
    )
    return Case(
        act=lambda: roadmap_services.use_case_delete(use_case=use_case, user=w.carol),
        action="use_case.deleted",
        organization=w.organization,
        user=w.carol,
        changes={"name": ["Invoice matching", None], "stage": ["idea", None]},
    )


# --- the tests -----------------------------------------------------------------------------


# question banks (shared reference data: no organization)


def _draft(w: World):
    return bank_editor.draft_create(based_on=w.bank, version="2099.1", user=w.alice)


@case("assessments.bank_editor.draft_create")
def _(w: World):
    return Case(act=lambda: _draft(w), action="bank_draft.created", organization=None, user=w.alice)


@case("assessments.bank_editor.draft_import")
def _(w: World):
    document = bank_editor.published_bank(w.bank)
    exported = bank_document(document) | {"version": "2099.2"}
    return Case(
        act=lambda: bank_editor.draft_import(
            name="bank.yaml", data=to_yaml(exported).encode(), user=w.alice
        ),
        action="bank_draft.imported",
        organization=None,
        user=w.alice,
    )


@case("assessments.bank_editor.draft_update_question")
def _(w: World):
    draft = _draft(w)
    question = draft.document["dimensions"][0]["questions"][0]
    return Case(
        act=lambda: bank_editor.draft_update_question(
            draft=draft, key=question["key"], values={"help": "A new hint."}, user=w.alice
        ),
        action="bank_draft.edited",
        organization=None,
        user=w.alice,
        changes={"help": [question.get("help"), "A new hint."]},
    )


@case("assessments.bank_editor.draft_update_dimension")
def _(w: World):
    draft = _draft(w)
    dimension = draft.document["dimensions"][0]
    return Case(
        act=lambda: bank_editor.draft_update_dimension(
            draft=draft, key=dimension["key"], values={"title": "Data"}, user=w.alice
        ),
        action="bank_draft.edited",
        organization=None,
        user=w.alice,
        changes={"title": [dimension["title"], "Data"]},
    )


@case("assessments.bank_editor.draft_publish")
def _(w: World):
    draft = _draft(w)
    return Case(
        act=lambda: bank_editor.draft_publish(draft=draft, user=w.alice),
        action="bank.published",
        organization=None,
        user=w.alice,
    )


@case("assessments.bank_editor.draft_delete")
def _(w: World):
    draft = _draft(w)
    return Case(
        act=lambda: bank_editor.draft_delete(draft=draft, user=w.alice),
        action="bank_draft.deleted",
        organization=None,
        user=w.alice,
    )


def test_every_service_is_covered():
    services = _service_functions()
    assert "organizations.members.member_invite" in services  # the discovery works
    uncovered = services - set(CASES) - set(NOT_A_CHANGE)
    assert not uncovered, (
        f"{sorted(uncovered)}: record the change with audit.services.record and add a case "
        "here (or, if it changes no one's data, say why in NOT_A_CHANGE)"
    )
    assert not (set(CASES) | set(NOT_A_CHANGE)) - services, "a case for a service that is gone"
    assert not set(CASES) & set(NOT_A_CHANGE)


@pytest.mark.parametrize("service", sorted(CASES))
def test_the_service_records_its_change(service, world):
    expected = CASES[service](world)
    last = AuditEntry.objects.aggregate(last=Max("id"))["last"] or 0
    result = expected.act()
    new = list(AuditEntry.objects.filter(pk__gt=last).order_by("id"))
    matching = [entry for entry in new if entry.action == expected.action]
    assert len(matching) == 1, [str(e) for e in new]
    entry = matching[0]
    organization = expected.organization
    if callable(organization):
        organization = organization(result)
    changes = expected.changes(result) if callable(expected.changes) else expected.changes
    # Question banks are shared reference data: their entries belong to no organization.
    organization_id = organization.pk if organization is not None else None
    assert entry.organization_id == organization_id
    assert (entry.user, entry.respondent) == (expected.user, expected.respondent)
    actor = expected.user or expected.respondent
    assert entry.actor == (
        actor.get_username() if expected.user else f"{actor.name} (respondent {actor.pk})"
    )
    assert entry.changes == changes
    assert entry.summary
    assert all(e.organization_id == organization_id for e in new), [str(e) for e in new]


def test_a_refused_change_records_nothing(world):
    """The entry is written in the change's transaction: no change, no entry."""
    last = AuditEntry.objects.aggregate(last=Max("id"))["last"] or 0
    with pytest.raises(InputError):
        organization_services.organization_update(
            organization=world.organization, user=world.alice, changes={"region": "mars"}
        )
    only_consultant = Membership.objects.get(user=world.alice, organization=world.organization)
    with pytest.raises(Exception, match="at least one consultant"):
        members.member_remove(membership=only_consultant, user=world.alice)
    with pytest.raises(Exception, match="already a member"):
        members.member_invite(
            organization=world.organization, email=world.erin.email, role="executive"
        )
    assert not AuditEntry.objects.filter(pk__gt=last).exists()
    world.organization.refresh_from_db()
    assert world.organization.region != "mars"


def test_a_change_to_nothing_records_nothing(world):
    last = AuditEntry.objects.aggregate(last=Max("id"))["last"] or 0
    organization_services.organization_update(
        organization=world.organization,
        user=world.alice,
        changes={"name": world.organization.name},
    )
    erin = Membership.objects.get(user=world.erin, organization=world.organization)
    members.member_role_change(membership=erin, role="executive", user=world.alice)
    assert not AuditEntry.objects.filter(pk__gt=last).exists()


def test_a_new_logo_is_recorded_by_its_file_name(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(image, format="PNG")
    report_services.branding_save(
        organization=world.organization, user=world.alice, firm_name="Acme", color="#123456"
    )
    branding = report_services.branding_save(
        organization=world.organization,
        user=world.alice,
        firm_name="Acme",
        color="#123456",
        logo=SimpleUploadedFile("logo.png", image.getvalue(), content_type="image/png"),
    )
    entry = AuditEntry.objects.filter(action="branding.updated").get()
    assert entry.changes == {"logo": [None, branding.logo.name]}
    assert entry.user == world.alice and entry.organization == world.organization


def test_a_second_consultant_can_be_removed_with_the_entry(world):
    second = MembershipFactory(
        organization=world.organization, role=Role.CONSULTANT, user=UserFactory(username="zoe")
    )
    pk = second.pk
    members.member_remove(membership=second, user=world.alice)
    entry = AuditEntry.objects.get(action="membership.removed")
    assert (entry.object_type, entry.object_id) == ("membership", str(pk))
    assert entry.summary == "zoe removed (Consultant)"
