"""What a CoE lead reads on the roadmap page is true: red for a blocked or overdue
milestone, the rule in words, milestones with a start date and dependencies, and the
trend across assessments labelled by title and close date."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Assessment
from common.errors import InputError
from roadmap import services

from ..pages import attr, find, find_all, page, text
from .conftest import answer_all


def url(organization_id: int) -> str:
    return f"/organizations/{organization_id}/roadmap/"


@pytest.fixture
def current_roadmap(submitted, carol):
    """Started today, in phase 2: nothing is overdue yet."""
    return services.roadmap_create(
        assessment=submitted, start_date=timezone.localdate(), user=carol
    )


def phase_card(html, phase: int):
    return find(html, "li", id=f"phase-{phase}-card")


def test_a_blocked_and_an_overdue_milestone_make_the_phase_red_on_the_page(
    client, carol, current_roadmap
):
    client.force_login(carol)
    before = text(phase_card(page(client.get(url(current_roadmap.organization_id))), 2))
    assert "On track" in before

    first, second, *_ = current_roadmap.milestones.filter(phase=2).order_by("position")
    services.milestone_update(milestone=first, user=carol, data={"status": "blocked"})
    yesterday = timezone.localdate() - timedelta(days=1)
    services.milestone_update(
        milestone=second,
        user=carol,
        data={"start_date": yesterday - timedelta(days=5), "due_date": yesterday},
    )

    html = page(client.get(url(current_roadmap.organization_id)))
    card = phase_card(html, 2)
    assert "phase-blocked" in attr(card, "class")
    assert "Blocked or overdue" in text(card)
    assert "1 milestone blocked, 1 overdue" in text(card)
    rule = text(find(html, "details", id="status-rule"))
    assert "whatever the phase's progress" in rule and "At risk (amber)" in rule
    marks = [text(m) for m in find_all(html, "span", class_="milestone-problem")]
    assert sorted(marks) == ["■ Blocked", "■ Overdue"]


def test_milestones_have_a_start_date_and_dependencies(client, carol, current_roadmap):
    a, b, c = current_roadmap.milestones.filter(phase=2).order_by("position")
    services.milestone_update(milestone=b, user=carol, data={"depends_on": [a.pk]})
    services.milestone_update(milestone=c, user=carol, data={"depends_on": [b]})
    assert list(c.depends_on.all()) == [b]

    with pytest.raises(InputError) as cycle:
        services.milestone_update(milestone=a, user=carol, data={"depends_on": [c.pk]})
    assert (cycle.value.field, cycle.value.code) == ("depends_on", "cycle")
    with pytest.raises(InputError) as itself:
        services.milestone_update(milestone=a, user=carol, data={"depends_on": [a.pk]})
    assert itself.value.code == "itself"
    with pytest.raises(InputError) as elsewhere:
        services.milestone_update(milestone=a, user=carol, data={"depends_on": [999_999]})
    assert elsewhere.value.code == "unknown"
    with pytest.raises(InputError) as order:
        services.milestone_update(
            milestone=a,
            user=carol,
            data={"start_date": date(2030, 2, 1), "due_date": date(2030, 1, 1)},
        )
    assert order.value.field == "start_date"

    client.force_login(carol)
    html = page(client.get(url(current_roadmap.organization_id)))
    assert f"After: {b.title}" in text(find(html, "li", id=f"milestone-{c.pk}"))


def test_the_api_reads_and_writes_start_dates_and_dependencies(client, carol, current_roadmap):
    client.force_login(carol)
    a = current_roadmap.milestones.filter(phase=2).order_by("position").first()
    response = client.post(
        f"/api/v1/roadmaps/{current_roadmap.pk}/milestones/",
        {"title": "Pilot review", "phase": 2, "start_date": "2030-01-01", "depends_on": [a.pk]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert (response.json()["start_date"], response.json()["depends_on"]) == ("2030-01-01", [a.pk])
    bad = client.post(
        f"/api/v1/roadmaps/{current_roadmap.pk}/milestones/",
        {"title": "x", "phase": 2, "depends_on": [10**9]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "depends_on"


def test_the_trend_is_on_the_roadmap_page_labelled_by_title_and_close_date(
    client, carol, submitted, respondent, organization
):
    closed = assessment_services.assessment_close(assessment=submitted)
    again = Assessment.objects.create(
        organization=organization, bank=submitted.bank, title="Re-assessment"
    )
    other = assessment_services.respondent_add(
        assessment=again,
        name="Sam",
        email="sam@example.com",
        role="cio",
        title="",
        business_unit="",
    )
    answer_all(other, 4)
    assessment_services.assessment_close(assessment=again)
    services.roadmap_create(assessment=closed, start_date=timezone.localdate(), user=carol)

    client.force_login(carol)
    html = page(client.get(url(organization.pk)))
    section = find(html, "section", id="trend")
    day = timezone.localdate()
    headers = [text(th) for th in find_all(find(section, "thead"), "th")][1:]
    assert headers == [
        f"{closed.title} (closed {day.day} {day:%b %Y})",
        f"Re-assessment (closed {day.day} {day:%b %Y})",
    ]
    rows = [[text(c) for c in row] for row in find_all(find(section, "tbody"), "tr")]
    assert rows[0] == ["Index", "50.0", "75.0"]
    assert len(rows) == 8  # the index and seven dimensions
    assert find(section, "div", **{"data-chart": "trend-chart-data"}) is not None
