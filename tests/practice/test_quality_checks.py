"""Quality checks before a report or an export (DESIGN §11): each check fires on an
assessment crafted to trip it and stays quiet on a clean one; the consultant sees the
warnings with a link to fix each, may go on, and that is recorded in the audit log."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from assessments import quality, selectors, services
from assessments.models import Answer, Assessment, EvidenceFile
from audit.models import AuditEntry
from organizations.models import Organization
from reports.models import ReportRequest

from ..answering import give, questions_of
from ..factories import RespondentFactory

pytestmark = pytest.mark.django_db

CHECKS = ["high_without_evidence", "insufficient", "few_respondents", "suppressed", "open"]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _keys(assessment) -> set[str]:
    return {w.key for w in selectors.quality_checks(assessment)}


def _pace(respondent, seconds: float) -> None:
    answers = list(respondent.answers.exclude(kind="").order_by("question__position"))
    start = timezone.now() - timedelta(hours=2)
    for n, answer in enumerate(answers):
        answer.answered_at = start + timedelta(seconds=seconds * n)
    Answer.objects.bulk_update(answers, ["answered_at"])


def _clean(assessment, *, evidence=True, respondents=6, values=None, pace=30.0, close=True):
    """Six executives in groups of three (by role and by business unit), every question
    answered at 3 or 4 with evidence behind the 4s, a person's pace, then closed."""
    questions = questions_of(assessment)
    values = values or {k: 4 if n % 3 == 0 else 3 for n, k in enumerate(questions)}
    for n in range(respondents):
        respondent = RespondentFactory(
            assessment=assessment,
            role="bu_head" if n % 2 else "other",
            business_unit="Plants" if n % 2 else "Group",
        )
        give(
            respondent,
            values,
            evidence={k: "Runbook v3" for k, v in values.items() if evidence and v == 4},
            submit=False,
        )
        _pace(respondent, pace)
        services.respondent_submit(respondent=respondent)
    if close:
        services.assessment_close(assessment=assessment)
    return Assessment.objects.get(pk=assessment.pk)


@pytest.fixture
def clean(assessment):
    return _clean(assessment)


def test_a_clean_assessment_raises_no_warning(clean):
    assert selectors.quality_checks(clean) == []


@pytest.mark.parametrize("check", [*CHECKS, "speeders"])
def test_each_check_fires_on_an_assessment_crafted_for_it(assessment, check):
    questions = list(questions_of(assessment))
    crafted = {
        "high_without_evidence": lambda: _clean(assessment, evidence=False),
        "insufficient": lambda: _clean(
            assessment,
            values={k: 3 for k in questions[:2]},  # most dimensions empty
        ),
        "few_respondents": lambda: _clean(assessment, respondents=2),
        "suppressed": lambda: _clean(assessment, respondents=4),  # groups of 2
        "open": lambda: _clean(assessment, close=False),
        "speeders": lambda: _clean(assessment, pace=1.5),
    }[check]()
    warnings = {w.key: w for w in selectors.quality_checks(crafted)}
    assert check in warnings
    # ... and only that one: each crafted assessment is clean otherwise.
    others = set(warnings) - {check}
    if check == "few_respondents":
        others -= {"suppressed"}  # two respondents are necessarily two small groups
    assert others == set(), others
    if check == "speeders":
        assert len(warnings[check].items) == 6  # everyone answered 1.5 s apart


def test_evidence_in_a_file_counts_for_a_high_claim(assessment, alice):
    crafted = _clean(assessment, evidence=False)
    assert "high_without_evidence" in _keys(crafted)
    for key, q in selectors.assessment_scores(crafted).summary["questions"].items():
        if q["value"] is not None and q["value"] >= 4:
            EvidenceFile.objects.create(
                assessment=crafted,
                question=crafted.bank.questions.get(key=key),
                file="evidence/x.pdf",
                original_name="x.pdf",
                content_type="application/pdf",
                size=1,
            )
    assert "high_without_evidence" not in _keys(crafted)


def test_speeders_are_told_by_the_median_time_between_answers():
    assert quality.is_speeder([0, 1, 2, 3, 60]) is True  # one pause does not hide it
    assert quality.is_speeder([0, 10, 20, 21, 22]) is False  # median gap 5.5 s
    assert quality.is_speeder([0, 2.9]) is True
    assert quality.is_speeder([0, 3.0]) is False
    assert quality.is_speeder([5]) is False


def test_the_demo_is_quiet_on_evidence_pace_and_coverage():
    """The demo assessment is mid-flight on purpose (open, two of three submitted, so
    the groups are small): those checks fire; its claims, pace and coverage are clean."""
    for command in ("load_reference_data", "load_demo_data"):
        call_command(command, stdout=StringIO())
    demo = Organization.objects.get(is_demo=True, name__startswith="Northwind")
    for assessment in demo.assessments.all():
        keys = _keys(assessment)
        assert not keys & {"high_without_evidence", "insufficient", "speeders"}, assessment
    assert _keys(demo.assessments.get(title="2026 baseline")) == {
        "open",
        "few_respondents",
        "suppressed",
    }


# --- before a report request and an export ------------------------------------------------


def test_a_report_request_shows_the_warnings_and_records_going_on(assessment, alice):
    crafted = _clean(assessment, close=False)
    client = _client(alice)
    url = f"/assessments/{crafted.pk}/reports/"
    response = client.post(url, {"kind": "full_assessment"})
    page = response.content.decode()
    assert response.status_code == 200 and 'data-check="open"' in page
    assert f'href="/assessments/{crafted.pk}/close/"' in page  # a link to fix it
    assert not ReportRequest.objects.exists()

    response = client.post(url, {"kind": "full_assessment", "quality": "acknowledged"})
    assert response.status_code == 302
    assert ReportRequest.objects.count() == 1
    entry = AuditEntry.objects.get(action="quality.acknowledged")
    assert entry.user == alice and entry.changes["warnings"] == [None, ["open"]]
    assert "full assessment" in entry.summary


def test_a_clean_assessment_requests_the_report_at_once(clean, alice):
    response = _client(alice).post(f"/assessments/{clean.pk}/reports/", {"kind": "full_assessment"})
    assert response.status_code == 302 and ReportRequest.objects.count() == 1
    assert not AuditEntry.objects.filter(action="quality.acknowledged").exists()


def test_a_coe_lead_is_not_stopped(assessment, carol):
    crafted = _clean(assessment, close=False)
    response = _client(carol).post(
        f"/assessments/{crafted.pk}/reports/", {"kind": "executive_summary"}
    )
    assert response.status_code == 302 and ReportRequest.objects.count() == 1


def test_an_export_shows_the_warnings_then_downloads_anyway(assessment, alice):
    crafted = _clean(assessment, respondents=4)
    client = _client(alice)
    results = client.get(f"/assessments/{crafted.pk}/results/").content.decode()
    check_url = f"/assessments/{crafted.pk}/exports/scores.csv/check/"
    assert check_url in results
    page = client.get(check_url).content.decode()
    assert 'data-check="suppressed"' in page and "#roles-h" in page
    response = client.post(check_url)
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{crafted.pk}/exports/scores.csv"
    assert AuditEntry.objects.filter(action="quality.acknowledged").count() == 1
    assert client.get(response["Location"]).status_code == 200


def test_a_clean_export_goes_straight_to_the_file(clean, alice):
    response = _client(alice).get(f"/assessments/{clean.pk}/exports/answers.xlsx/check/")
    assert response.status_code == 302
    assert response["Location"].endswith("/exports/answers.xlsx")


def test_a_client_member_goes_straight_to_the_file(assessment, erin):
    crafted = _clean(assessment, close=False)
    url = f"/assessments/{crafted.pk}/exports/scores.csv/check/"
    assert _client(erin).get(url).status_code == 302
