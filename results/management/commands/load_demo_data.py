"""A demo organization to explore the product with: one user per role, a baseline
assessment on bank 2026.1 where two executives have submitted and one is half way, and a
re-assessment on the latest bank (2026.2) that all three have submitted. Safe to run
repeatedly."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assessments import services
from assessments.models import (
    Answer,
    Assessment,
    ExecutiveRole,
    Question,
    QuestionBank,
    Respondent,
)
from assessments.selectors import latest_bank
from benchmarks import demo as benchmark_demo
from organizations.models import Industry, Organization, Region, Role, SizeBand
from organizations.services import membership_set, organization_create
from roadmap import services as roadmap_services
from roadmap.models import Roadmap

DEMO_ORGANIZATION = "Northwind Manufacturing (demo)"
DEMO_PASSWORD = "demo-password"
# The baseline and the demo peers were answered on the first bank: their scores stay
# those of 2026.1 (tests/assessments/test_closed_scores_unchanged.py).
BASELINE_BANK_VERSION = "2026.1"
BASELINE_TITLE = "2026 baseline"
REASSESSMENT_TITLE = "2026 re-assessment"
DEMO_USERS = [
    ("consultant", "Casey Consultant", Role.CONSULTANT),
    ("coe", "Chris CoE-Lead", Role.COE_LEAD),
    ("executive", "Erin Executive", Role.EXECUTIVE),
]
DEMO_RESPONDENTS = [
    ("Morgan Chen", "ceo@northwind.example", ExecutiveRole.CEO, "Chief Executive Officer", "Group"),
    ("Priya Natarajan", "cio@northwind.example", ExecutiveRole.CIO, "CIO", "Group IT"),
    ("Luca Romano", "ops@northwind.example", ExecutiveRole.BU_HEAD, "VP Operations", "Plants"),
]

DEMO_USE_CASES = [
    {
        "name": "Predictive maintenance on press lines",
        "business_unit": "Plants",
        "stage": "production",
        "owner": "Luca Romano",
        "cost_reduction_baseline": 0,
        "cost_reduction_target": 20,
        "cost_reduction_actual": 18.5,
        "efficiency_gain_target": 30,
        "efficiency_gain_actual": 22,
    },
    {
        "name": "Demand forecasting for spare parts",
        "business_unit": "Supply chain",
        "stage": "scaled",
        "owner": "Priya Natarajan",
        "revenue_increase_target": 8,
        "revenue_increase_actual": 6.5,
        "cost_reduction_target": 12,
        "cost_reduction_actual": 14,
    },
    {
        "name": "Visual quality inspection",
        "business_unit": "Plants",
        "stage": "pilot",
        "owner": "Luca Romano",
        "cost_reduction_target": 25,
        "efficiency_gain_target": 35,
    },
    {
        "name": "Supplier contract assistant",
        "business_unit": "Procurement",
        "stage": "idea",
        "owner": "Morgan Chen",
        "efficiency_gain_target": 30,
    },
]


class Command(BaseCommand):
    help = "Load the demo organization, its users and a demo assessment (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        latest = latest_bank()
        if latest is None:
            raise CommandError("No question bank loaded: run load_reference_data first.")
        bank = QuestionBank.objects.filter(version=BASELINE_BANK_VERSION).first() or latest
        users = [self._user(username, name) for username, name, _ in DEMO_USERS]
        organization = Organization.objects.filter(name=DEMO_ORGANIZATION, is_demo=True).first()
        if organization is None:
            organization = organization_create(
                user=users[0],
                name=DEMO_ORGANIZATION,
                industry=Industry.MANUFACTURING,
                size_band=SizeBand.FROM_5000,
                region=Region.EUROPE,
                is_demo=True,
            )
        for user, (_, _, role) in zip(users, DEMO_USERS, strict=True):
            membership_set(user=user, organization=organization, role=role)
        if not organization.assessments.filter(title=BASELINE_TITLE).exists():
            self._assessment(organization, bank, users[0])
        assessment = organization.assessments.get(title=BASELINE_TITLE)
        benchmark_demo.demo_baselines_load(organization=organization)
        self._portfolio_and_roadmap(organization, assessment, users[1])
        peers, created = benchmark_demo.demo_peers_load(bank=bank)
        if latest != bank and not organization.assessments.filter(bank=latest).exists():
            self._reassessment(organization, latest, users[0])
        self.stdout.write(f"Demo organization: {organization.name} (assessment #{assessment.pk})")
        for username, _, role in DEMO_USERS:
            self.stdout.write(f"  login {username} / {DEMO_PASSWORD}  ({role.label})")
        for respondent in assessment.respondents.all():
            state = "submitted" if respondent.is_submitted else "in progress"
            self.stdout.write(f"  respondent {respondent.name} ({state}): /r/{respondent.token}/")
        for later in organization.assessments.exclude(pk=assessment.pk):
            self.stdout.write(
                f"  {later.title} on question bank {later.bank.version}: assessment #{later.pk}"
            )
        self.stdout.write(
            f"Demo peers for the benchmarks: {peers} organizations named '… (demo peer)' with a "
            f"closed assessment ({created} created now)"
        )

    def _portfolio_and_roadmap(self, organization, assessment, coe_lead) -> None:
        """Use cases for the ROI comparison and a roadmap for the CoE lead, once."""
        if not organization.use_cases.exists():
            for data in DEMO_USE_CASES:
                roadmap_services.use_case_create(
                    organization=organization, user=coe_lead, data=data
                )
        if not Roadmap.objects.filter(organization=organization).exists():
            roadmap_services.roadmap_create(
                assessment=assessment,
                start_date=timezone.localdate() - timedelta(days=45),
                user=coe_lead,
            )

    def _user(self, username: str, full_name: str):
        first, last = full_name.split(" ", 1)
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.example"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def _assessment(self, organization, bank, consultant) -> Assessment:
        assessment = services.assessment_create(
            organization=organization, bank=bank, title="2026 baseline", user=consultant
        )
        questions = list(
            Question.objects.filter(bank=bank).select_related("dimension").order_by("position")
        )
        rng = random.Random(2026)
        for index, (name, email, role, title, unit) in enumerate(DEMO_RESPONDENTS):
            respondent = services.respondent_add(
                assessment=assessment,
                name=name,
                email=email,
                role=role,
                title=title,
                business_unit=unit,
            )
            answered = questions if index < 2 else questions[: len(questions) // 2]
            for question in answered:
                value = _demo_value(rng, question, optimism=index)
                services.answer_save(
                    respondent=respondent,
                    question=question,
                    value=value,
                    comment="",
                    # A claim of 4 or 5 comes with its evidence (a clean demo for the
                    # quality checks, DESIGN §11).
                    evidence=DEMO_EVIDENCE if isinstance(value, int) and value >= 4 else "",
                )
            _pace_answers(respondent, random.Random(index), days_ago=12 - 3 * index)
            if index < 2:
                services.respondent_submit(respondent=respondent)
        return assessment

    def _reassessment(self, organization, bank, consultant) -> Assessment:
        """Six months on, the same three executives answer the new bank; all submit."""
        assessment = services.assessment_create(
            organization=organization, bank=bank, title=REASSESSMENT_TITLE, user=consultant
        )
        questions = list(
            Question.objects.filter(bank=bank).select_related("dimension").order_by("position")
        )
        rng = random.Random(20262)
        for index, (name, email, role, title, unit) in enumerate(DEMO_RESPONDENTS):
            respondent = services.respondent_add(
                assessment=assessment,
                name=name,
                email=email,
                role=role,
                title=title,
                business_unit=unit,
            )
            for question in questions:
                value = _demo_value(rng, question, optimism=index, progress=1)
                services.answer_save(
                    respondent=respondent,
                    question=question,
                    value=value,
                    comment="",
                    evidence=DEMO_EVIDENCE if isinstance(value, int) and value >= 4 else "",
                )
            _pace_answers(respondent, random.Random(100 + index), days_ago=3 - index)
            services.respondent_submit(respondent=respondent)
        return assessment


DEMO_EVIDENCE = "Steering committee minutes and the platform runbook (shared with the consultant)"


def _pace_answers(respondent, rng: random.Random, *, days_ago: int) -> None:
    """Answer times as a person answers (15–90 s a question), not as the loader saves
    them in milliseconds: otherwise every demo respondent would look like a speeder."""
    answers = list(respondent.answers.exclude(kind="").order_by("question__position"))
    moment = timezone.now() - timedelta(days=days_ago)
    for answer in answers:
        moment += timedelta(seconds=rng.randint(15, 90))
        answer.answered_at = moment
    Answer.objects.bulk_update(answers, ["answered_at"])
    if answers:
        Respondent.all_kinds.filter(pk=respondent.pk).update(
            first_answer_at=answers[0].answered_at, last_answer_at=answers[-1].answered_at
        )


def _demo_value(rng: random.Random, question: Question, *, optimism: int, progress: int = 0):
    """Plausible answers: a mid-maturity manufacturer, the CIO a little more optimistic;
    `progress` levels higher in talent and legacy integration, where it has invested."""
    roll = rng.random()
    if roll < 0.05:
        return "dont_know"
    if roll < 0.08 and question.allow_na:
        return "na"
    base = {
        "data_infrastructure": 3,
        "talent": 2 + progress,
        "legacy_integration": 2 + progress,
    }.get(question.dimension.key, 3)
    bias = 1 if optimism == 1 and roll > 0.7 else 0
    return max(1, min(5, base + rng.choice([-1, 0, 0, 1]) + bias))
