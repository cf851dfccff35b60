"""Roadmap pages: CoE leads and consultants edit, executives read, other organizations and
anonymous visitors reach nothing; every form works without JavaScript, and the status
control answers htmx with the milestone and the out-of-band progress and history."""

import json
from datetime import date

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from assessments.models import Assessment, Respondent
from audit.models import AuditEntry
from roadmap import services
from roadmap.models import Milestone, Roadmap, UseCase
from roadmap.selectors import HISTORY_OBJECT_TYPES

from ..pages import attr, find, find_all, page, text
from .conftest import START

pytestmark = pytest.mark.django_db


def url(organization_id: int, path: str = "") -> str:
    return f"/organizations/{organization_id}/roadmap/{path}"


def database() -> dict:
    """Everything the roadmap pages could change, to compare before and after."""
    models = [Roadmap, Milestone, UseCase, Assessment, Respondent]
    history = AuditEntry.objects.filter(object_type__in=HISTORY_OBJECT_TYPES)
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in models} | {
        "history": list(history.order_by("pk").values())
    }


@pytest.fixture
def use_case(organization, carol):
    return services.use_case_create(
        organization=organization, user=carol, data={"name": "Invoice matching", "stage": "pilot"}
    )


# --- starting a roadmap ----------------------------------------------------------------


def test_a_coe_lead_starts_the_roadmap_from_an_assessment(client, carol, submitted):
    client.force_login(carol)
    form_page = page(client.get(url(submitted.organization_id)))
    options = find_all(find(form_page, "select", name="assessment"), "option")
    assert [attr(o, "value") for o in options] == [str(submitted.pk)]

    response = client.post(
        url(submitted.organization_id), {"assessment": submitted.pk, "start_date": "2026-01-01"}
    )

    assert response.status_code == 302
    roadmap = Roadmap.objects.get(organization=submitted.organization)
    assert (roadmap.start_date, roadmap.starting_phase, roadmap.created_by) == (
        START,
        2,
        carol,
    )
    shown = page(client.get(response["Location"]))
    assert "Pilot Expansion" in text(find(shown, "li", id="phase-2-card"))
    assert "Jan. 1, 2026 – June 30, 2026" in text(find(shown, "li", id="phase-2-card"))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"start_date": "2026-01-01"}, "assessment"),
        ({"start_date": "not a date"}, "start_date"),
        ({"start_date": "2026-02-30"}, "start_date"),
        ({"start_date": "9999-12-01"}, "start_date"),
    ],
)
def test_a_bad_start_is_refused_with_the_field_error(client, carol, submitted, data, field):
    client.force_login(carol)
    if field != "assessment":
        data = {**data, "assessment": submitted.pk}

    response = client.post(url(submitted.organization_id), data)

    assert response.status_code == 400
    assert find(page(response), "div", class_="has-error")
    assert not Roadmap.objects.exists()


def test_an_assessment_of_another_organization_cannot_be_chosen(
    client, carol, submitted, other_respondent
):
    client.force_login(carol)
    response = client.post(
        url(submitted.organization_id),
        {"assessment": other_respondent.assessment_id, "start_date": "2026-01-01"},
    )
    assert response.status_code == 400
    assert not Roadmap.objects.exists()


def test_without_a_submitted_assessment_there_is_nothing_to_start_from(client, carol, assessment):
    client.force_login(carol)
    body = client.get(url(assessment.organization_id)).content.decode()
    assert "none has one yet" in body


def test_the_organization_page_links_to_the_roadmap(client, erin, organization):
    client.force_login(erin)
    body = client.get(f"/organizations/{organization.pk}/").content.decode()
    assert f'href="{url(organization.pk)}"' in body


# --- the roadmap page ------------------------------------------------------------------


def test_the_page_shows_phases_timeline_milestones_and_history(client, alice, roadmap):
    client.force_login(alice)
    response = client.get(url(roadmap.organization_id))
    assert response.status_code == 200
    html = page(response)

    cards = find_all(html, "li", class_="phase-card")
    assert [attr(c, "id") for c in cards] == [f"phase-{n}-card" for n in (1, 2, 3, 4)]
    for card in cards:  # a word for every status, not colour alone
        assert find(card, "span", class_="status")
    assert "0 of 3 milestones done" in text(cards[1])
    milestones = find_all(html, "li", class_="milestone")
    assert len(milestones) == 9
    assert "Started the roadmap" in text(find(html, "ol", id="history"))
    # the Gantt figure is embedded as JSON data, drawn by static/js/charts.js
    figure = json.loads(text(find(html, "script", id="gantt-data")))
    assert {t["name"] for t in figure["data"]} >= {"Planned window", "Milestone open (due date)"}
    assert any(a["text"].startswith("Today") for a in figure["layout"]["annotations"])
    assert figure["layout"]["shapes"][0]["line"]["dash"] == "dash"
    scripts = find_all(html, "script")
    assert all(attr(s, "src") or attr(s, "type") == "application/json" for s in scripts)
    assert find(html, "table", id="timeline-table")


def test_an_executive_reads_the_roadmap_without_any_control(client, erin, roadmap, use_case):
    client.force_login(erin)
    response = client.get(url(roadmap.organization_id))
    assert response.status_code == 200
    body = response.content.decode()
    html = page(response)
    assert len(find_all(html, "li", class_="milestone")) == 9
    assert "Invoice matching" in body
    assert "hx-post" not in body
    forms = [attr(f, "action") for f in find_all(html, "form")]
    assert forms == ["/accounts/logout/"]
    for label in ("Add a milestone", "Add a use case", "Start re-assessment", "Add to roadmap"):
        assert label not in body


# --- access ----------------------------------------------------------------------------

# (method, path under /organizations/<id>/roadmap/, form data)
WRITES = [
    ("post", "", {"assessment": "{assessment}", "start_date": "2026-01-01"}),
    ("get", "milestones/new/", {}),
    ("post", "milestones/new/", {"title": "Hijack", "phase": "2", "status": "not_started"}),
    ("get", "milestones/{milestone}/edit/", {}),
    ("post", "milestones/{milestone}/edit/", {"title": "Hijack", "phase": "2", "status": "done"}),
    ("get", "milestones/{milestone}/delete/", {}),
    ("post", "milestones/{milestone}/delete/", {}),
    ("post", "milestones/{milestone}/status/", {"status": "done"}),
    ("post", "milestones/{milestone}/move/", {"direction": "down"}),
    ("post", "recommendations/accept/", {"recommendation": "{recommendation}"}),
    ("post", "reassess/", {}),
    ("get", "use-cases/new/", {}),
    ("post", "use-cases/new/", {"name": "Hijack", "stage": "idea"}),
    ("get", "use-cases/{use_case}/edit/", {}),
    ("post", "use-cases/{use_case}/edit/", {"name": "Hijack", "stage": "scaled"}),
    ("get", "use-cases/{use_case}/delete/", {}),
    ("post", "use-cases/{use_case}/delete/", {}),
]
READS = [("get", "", {})]
WRITE_PARAMS = [pytest.param(*w, id=f"{w[0]}-{w[1] or 'page'}") for w in WRITES]
ALL_PARAMS = [*WRITE_PARAMS, pytest.param(*READS[0], id="get-page")]


def _fill(roadmap, use_case, path: str, data: dict):
    values = {
        "assessment": roadmap.assessment_id,
        "milestone": roadmap.milestones.first().pk,
        "use_case": use_case.pk,
        "recommendation": "di_validation_pipelines",
    }
    return path.format(**values), {k: str(v).format(**values) for k, v in data.items()}


@pytest.mark.parametrize(("method", "path", "data"), WRITE_PARAMS)
def test_an_executive_cannot_change_anything(client, erin, roadmap, use_case, method, path, data):
    client.force_login(erin)
    path, data = _fill(roadmap, use_case, path, data)
    before = database()

    response = getattr(client, method)(url(roadmap.organization_id, path), data)

    assert response.status_code == 403  # a member: refused, saying who may (policy)
    assert database() == before


@pytest.mark.parametrize(("method", "path", "data"), ALL_PARAMS)
def test_a_member_of_another_organization_gets_404_everywhere(
    client, bob, roadmap, use_case, method, path, data
):
    client.force_login(bob)
    path, data = _fill(roadmap, use_case, path, data)
    before = database()

    response = getattr(client, method)(url(roadmap.organization_id, path), data)

    assert response.status_code == 404
    assert "Acme" not in response.content.decode()
    assert database() == before


@pytest.mark.parametrize(("method", "path", "data"), ALL_PARAMS)
def test_an_anonymous_visitor_is_sent_to_log_in(client, roadmap, use_case, method, path, data):
    path, data = _fill(roadmap, use_case, path, data)
    target = url(roadmap.organization_id, path)
    before = database()

    response = getattr(client, method)(target, data)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={target}"
    assert database() == before


def test_bob_cannot_reach_alices_milestone_through_his_own_roadmap(
    client, bob, roadmap, other_respondent
):
    from .conftest import answer_all

    answer_all(other_respondent, 3)
    bobs = services.roadmap_create(
        assessment=other_respondent.assessment, start_date=START, user=bob
    )
    client.force_login(bob)
    milestone = roadmap.milestones.first()
    before = database()

    for path in ("edit/", "delete/", "status/", "move/"):
        response = client.post(
            url(bobs.organization_id, f"milestones/{milestone.pk}/{path}"), {"status": "done"}
        )
        assert response.status_code == 404, path
    assert database() == before


@pytest.mark.parametrize("who", ["alice", "carol"])
def test_consultants_and_coe_leads_both_edit(client, request, roadmap, who):
    client.force_login(request.getfixturevalue(who))
    milestone = roadmap.milestones.first()
    response = client.post(
        url(roadmap.organization_id, f"milestones/{milestone.pk}/status/"), {"status": "done"}
    )
    assert response.status_code == 302
    assert Milestone.objects.get(pk=milestone.pk).status == "done"


# --- milestones ------------------------------------------------------------------------


def test_a_milestone_is_added_edited_and_deleted_after_confirmation(client, carol, roadmap):
    client.force_login(carol)
    org = roadmap.organization_id
    response = client.post(
        url(org, "milestones/new/"),
        {"title": "Hire an MLOps lead", "phase": "3", "owner": "Carol", "status": "not_started"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#phase-3")
    milestone = Milestone.objects.get(title="Hire an MLOps lead")
    assert (milestone.phase, milestone.position, milestone.source) == (3, 3, "custom")

    edit_page = page(client.get(url(org, f"milestones/{milestone.pk}/edit/")))
    assert attr(find(edit_page, "input", name="title"), "value") == "Hire an MLOps lead"
    response = client.post(
        url(org, f"milestones/{milestone.pk}/edit/"),
        {
            "title": "Hire two MLOps engineers",
            "phase": "3",
            "owner": "Carol",
            "status": "in_progress",
            "due_date": "2026-12-31",
            "notes": "Budget approved",
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.status, milestone.due_date) == (
        "Hire two MLOps engineers",
        "in_progress",
        date(2026, 12, 31),
    )

    confirm = client.get(url(org, f"milestones/{milestone.pk}/delete/"))
    assert "Delete the milestone “Hire two MLOps engineers”" in confirm.content.decode()
    assert Milestone.objects.filter(pk=milestone.pk).exists()  # a GET deletes nothing
    response = client.post(url(org, f"milestones/{milestone.pk}/delete/"))
    assert response.status_code == 302
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    actions = list(
        AuditEntry.objects.filter(object_type="milestone", object_id=milestone.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["milestone.created", "milestone.updated", "milestone.deleted"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "phase": "2", "status": "done"}, "title"),
        ({"title": "x" * 201, "phase": "2", "status": "done"}, "title"),
        ({"title": "Ok", "phase": "5", "status": "done"}, "phase"),
        ({"title": "Ok", "phase": "2", "status": "finished"}, "status"),
        ({"title": "Ok", "phase": "2", "status": "done", "due_date": "31/12"}, "due_date"),
        ({"title": "Ok\x00", "phase": "2", "status": "done"}, "title"),
        ({"title": "Ok", "phase": "2", "status": "done", "completed_on": "2999-01-01"}, None),
    ],
)
def test_a_bad_milestone_is_refused_with_a_clear_error(client, carol, roadmap, data, field):
    client.force_login(carol)
    before = database()

    response = client.post(url(roadmap.organization_id, "milestones/new/"), data)

    assert response.status_code == 400
    html = page(response)
    if field:
        assert find(html, "p", id=f"id_{field}_error")
    else:
        assert find_all(html, "p", class_="field-error")
    assert database() == before


def test_marking_done_with_htmx_returns_the_milestone_and_out_of_band_updates(
    client, carol, roadmap
):
    client.force_login(carol)
    milestone = roadmap.milestones.get(phase=2, position=0)

    response = client.post(
        url(roadmap.organization_id, f"milestones/{milestone.pk}/status/"),
        {"status": "done"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    html = page(response)
    row = find(html, "li", id=f"milestone-{milestone.pk}")
    assert f"completed {date_format(timezone.localdate(), 'DATE_FORMAT')}" in text(row)
    card = find(html, "li", id="phase-2-card")
    assert attr(card, "hx-swap-oob") == "true"
    assert "1 of 3 milestones done" in text(card)
    assert attr(find(html, "ol", id="history"), "hx-swap-oob") == "true"
    assert "status Not started → Done" in text(find(html, "ol", id="history"))
    assert text(find(html, "p", id="history-count")) == "2 changes, newest first."
    assert attr(find(html, "div", id="overall-progress"), "hx-swap-oob") == "true"
    assert attr(find(html, "div", id="roadmap-timeline"), "hx-swap-oob") == "true"
    milestone.refresh_from_db()
    assert (milestone.status, milestone.completed_on) == ("done", timezone.localdate())


def test_without_javascript_the_status_form_redirects_back(client, carol, roadmap):
    client.force_login(carol)
    milestone = roadmap.milestones.first()
    response = client.post(
        url(roadmap.organization_id, f"milestones/{milestone.pk}/status/"),
        {"status": "in_progress"},
    )
    assert response.status_code == 302
    assert response["Location"] == url(roadmap.organization_id, f"#milestone-{milestone.pk}")
    assert Milestone.objects.get(pk=milestone.pk).status == "in_progress"


def test_an_unknown_status_is_refused(client, carol, roadmap):
    client.force_login(carol)
    milestone = roadmap.milestones.first()
    before = database()
    response = client.post(
        url(roadmap.organization_id, f"milestones/{milestone.pk}/status/"),
        {"status": "finished"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert find(page(response), "p", class_="field-error")
    assert database() == before


def test_up_and_down_buttons_reorder_the_phase(client, carol, roadmap):
    client.force_login(carol)
    first, second, _ = roadmap.milestones.filter(phase=2).order_by("position")
    client.post(url(roadmap.organization_id, f"milestones/{first.pk}/move/"), {"direction": "down"})
    order = list(roadmap.milestones.filter(phase=2).order_by("position").values_list("pk"))
    assert [pk for (pk,) in order][:2] == [second.pk, first.pk]


def test_a_recommendation_is_added_to_the_roadmap(client, carol, assessment, respondent):
    from .conftest import answer_all

    answer_all(respondent, 2)
    roadmap = services.roadmap_create(assessment=assessment, start_date=START, user=carol)
    client.force_login(carol)
    html = page(client.get(url(roadmap.organization_id)))
    keys = [attr(i, "value") for i in find_all(html, "input", name="recommendation", type="hidden")]
    assert keys

    response = client.post(
        url(roadmap.organization_id, "recommendations/accept/"), {"recommendation": keys[0]}
    )

    assert response.status_code == 302
    milestone = roadmap.milestones.get(recommendation_key=keys[0])
    assert milestone.source == "recommendation"
    assert milestone.start_date <= milestone.due_date
    again = page(client.get(url(roadmap.organization_id)))
    assert keys[0] not in [attr(i, "value") for i in find_all(again, "input", type="hidden")]
    assert "✓ On the roadmap" in text(find(again, "section", id="recommendations"))


# --- use cases -------------------------------------------------------------------------


def test_a_use_case_is_added_edited_and_deleted(client, carol, organization):
    client.force_login(carol)
    response = client.post(
        url(organization.pk, "use-cases/new/"),
        {
            "name": "Invoice matching",
            "business_unit": "Finance",
            "stage": "pilot",
            "owner": "Dana",
            "cost_reduction_baseline": "0",
            "cost_reduction_target": "20",
            "efficiency_gain_actual": "-12.5",
        },
    )
    assert response.status_code == 302
    use_case = UseCase.objects.get()
    assert (use_case.cost_reduction_target, use_case.efficiency_gain_actual) == (20, -12.5)
    row = find(page(client.get(url(organization.pk))), "tr", id=f"use-case-{use_case.pk}")
    assert "Invoice matching" in text(row) and "Pilot" in text(row)

    response = client.post(
        url(organization.pk, f"use-cases/{use_case.pk}/edit/"),
        {"name": "Invoice matching", "stage": "production", "cost_reduction_actual": "18"},
    )
    assert response.status_code == 302
    use_case.refresh_from_db()
    assert (use_case.stage, use_case.cost_reduction_actual, use_case.business_unit) == (
        "production",
        18,
        "",
    )
    assert (
        "Delete the use case"
        in client.get(url(organization.pk, f"use-cases/{use_case.pk}/delete/")).content.decode()
    )
    client.post(url(organization.pk, f"use-cases/{use_case.pk}/delete/"))
    assert not UseCase.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("cost_reduction_target", "150", "Enter a percentage from −100 to 100."),
        ("revenue_increase_actual", "-100.01", "Enter a percentage from −100 to 100."),
        ("efficiency_gain_baseline", "ten", "Enter a number, for example 12.5."),
        ("efficiency_gain_target", "inf", "Enter a number, for example 12.5."),
        ("stage", "moonshot", "Select a valid choice."),
        ("name", "", "This field is required."),
        ("name", "x" * 201, "Ensure this value has at most 200 characters"),
        ("owner", "a\x00b", "Null characters are not allowed."),
    ],
)
def test_a_bad_use_case_is_refused_with_a_clear_error(
    client, carol, organization, field, value, message
):
    client.force_login(carol)
    data = {"name": "Churn model", "stage": "idea", field: value}

    response = client.post(url(organization.pk, "use-cases/new/"), data)

    assert response.status_code == 400
    assert message in text(find(page(response), "p", id=f"id_{field}_error"))
    assert not UseCase.objects.exists()


# --- re-assessment ---------------------------------------------------------------------


def test_the_roadmap_page_starts_a_reassessment(client, carol, roadmap, respondent):
    client.force_login(carol)
    response = client.post(url(roadmap.organization_id, "reassess/"))
    new = Assessment.objects.exclude(pk=roadmap.assessment_id).get()
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{new.pk}/"
    (copied,) = new.respondents.all()
    assert copied.email == respondent.email and copied.token != respondent.token
    history = text(find(page(client.get(url(roadmap.organization_id))), "ol", id="history"))
    assert f"Started “{new.title}” with 1 respondent of “{roadmap.assessment.title}”" in history
