"""Roadmap tracking services (DESIGN §6): creating a roadmap, milestones, accepted
recommendations, use cases and re-assessments, each change recorded in the history."""

from datetime import date

import pytest

from assessments.models import Assessment
from assessments.services import assessment_close
from audit.models import AuditEntry
from common.errors import ConflictError, InputError
from roadmap import selectors, services
from roadmap.models import Milestone, Roadmap, UseCase
from roadmap.tracking import PhaseStatus

from ..factories import AssessmentFactory, RespondentFactory
from .conftest import START, answer_all

pytestmark = pytest.mark.django_db


def history(organization) -> list[AuditEntry]:
    """The roadmap's history (its entries in the audit log), oldest first."""
    return list(selectors.history_entries(organization.pk).order_by("created_at", "id"))


def history_count() -> int:
    return AuditEntry.objects.filter(object_type__in=selectors.HISTORY_OBJECT_TYPES).count()


# --- roadmap_create --------------------------------------------------------------------


def test_a_roadmap_starts_in_the_assessed_phase_with_the_template_milestones(roadmap, carol):
    assert roadmap.starting_phase == 2  # every dimension at 50
    assert roadmap.created_by == carol
    rows = list(roadmap.milestones.order_by("phase", "position"))
    assert [(m.phase, m.position) for m in rows] == [(p, i) for p in (2, 3, 4) for i in range(3)]
    assert rows[0].title == "Deploy 3–5 high-impact use cases"
    assert rows[0].notes.startswith("Pick use cases")
    assert {m.source for m in rows} == {Milestone.Source.TEMPLATE}
    due = {m.phase: m.due_date for m in rows}
    assert due == {
        2: date(2026, 6, 30),  # months 1–6 of the roadmap
        3: date(2027, 3, 31),  # the next 9 months
        4: date(2027, 7, 1),  # ongoing from 1 Apr 2027: start + 3 months
    }


def test_planned_windows_begin_at_the_starting_phase(roadmap):
    windows = selectors.roadmap_windows(roadmap)
    assert [(w.phase, w.start, w.end) for w in windows] == [
        (1, None, None),
        (2, date(2026, 1, 1), date(2026, 6, 30)),
        (3, date(2026, 7, 1), date(2027, 3, 31)),
        (4, date(2027, 4, 1), None),
    ]


def test_a_roadmap_from_phase_1_has_the_foundation_milestones(assessment, respondent, carol):
    answer_all(respondent, 1)
    roadmap = services.roadmap_create(assessment=assessment, start_date=START, user=carol)
    assert roadmap.starting_phase == 1
    assert roadmap.milestones.count() == 12
    assert roadmap.milestones.filter(phase=1).first().due_date == date(2026, 3, 31)


def test_the_creation_is_recorded(roadmap, carol):
    (entry,) = history(roadmap.organization)
    assert (entry.user, entry.action, entry.object_type, entry.object_id) == (
        carol,
        "roadmap.created",
        "roadmap",
        str(roadmap.pk),
    )
    assert "phase 2 (Pilot Expansion)" in entry.summary and "9 template milestones" in entry.summary
    assert entry.changes["start_date"] == [None, "2026-01-01"]


def test_a_second_roadmap_for_the_organization_is_refused(roadmap, submitted, alice):
    with pytest.raises(ConflictError, match="already has a roadmap"):
        services.roadmap_create(assessment=submitted, start_date=START, user=alice)
    assert Roadmap.objects.count() == 1


def test_an_assessment_without_submissions_is_refused(assessment, respondent, carol):
    answer_all(respondent, 3, submit=False)
    with pytest.raises(ConflictError, match="submission"):
        services.roadmap_create(assessment=assessment, start_date=START, user=carol)
    assert not Roadmap.objects.exists() and not history_count()


def test_a_start_date_out_of_range_is_refused(submitted, carol):
    with pytest.raises(InputError) as caught:
        services.roadmap_create(assessment=submitted, start_date=date(9999, 12, 1), user=carol)
    assert "start_date" in [e.field for e in caught.value.errors]
    assert not Roadmap.objects.exists()


# --- milestones ------------------------------------------------------------------------


def test_an_update_records_old_and_new_values(roadmap, alice):
    milestone = roadmap.milestones.get(phase=2, position=0)
    services.milestone_update(
        milestone=milestone,
        user=alice,
        data={"owner": "Dana Lee", "status": "in_progress"},
        today=date(2026, 2, 1),
    )
    entry = history(roadmap.organization)[-1]
    assert (entry.user, entry.action, entry.object_type, entry.object_id) == (
        alice,
        "milestone.updated",
        "milestone",
        str(milestone.pk),
    )
    assert entry.changes == {"owner": ["", "Dana Lee"], "status": ["not_started", "in_progress"]}
    assert "status Not started → In progress" in entry.summary


def test_an_update_that_changes_nothing_records_nothing(roadmap, alice):
    milestone = roadmap.milestones.first()
    before = AuditEntry.objects.count()
    services.milestone_update(milestone=milestone, user=alice, data={"title": milestone.title})
    assert AuditEntry.objects.count() == before


def test_done_sets_the_completion_date_and_leaving_done_clears_it(roadmap, carol):
    milestone = roadmap.milestones.first()
    done = services.milestone_update(
        milestone=milestone, user=carol, data={"status": "done"}, today=date(2026, 3, 5)
    )
    assert done.completed_on == date(2026, 3, 5)
    entry = history(roadmap.organization)[-1]
    assert entry.changes == {
        "status": ["not_started", "done"],
        "completed_on": [None, "2026-03-05"],
    }
    assert entry.summary.endswith("status Not started → Done; completion date — → 5 Mar 2026")
    # still done: the date stays (a later edit does not move it)
    kept = services.milestone_update(
        milestone=done, user=carol, data={"owner": "Sam"}, today=date(2026, 4, 1)
    )
    assert kept.completed_on == date(2026, 3, 5)
    reopened = services.milestone_update(
        milestone=kept, user=carol, data={"status": "blocked"}, today=date(2026, 4, 2)
    )
    assert reopened.completed_on is None
    assert Milestone.objects.get(pk=milestone.pk).completed_on is None


def test_a_given_completion_date_is_kept_but_not_in_the_future(roadmap, carol):
    milestone = roadmap.milestones.first()
    done = services.milestone_update(
        milestone=milestone,
        user=carol,
        data={"status": "done", "completed_on": date(2026, 2, 14)},
        today=date(2026, 3, 1),
    )
    assert done.completed_on == date(2026, 2, 14)
    with pytest.raises(InputError) as caught:
        services.milestone_update(
            milestone=done,
            user=carol,
            data={"completed_on": date(2026, 3, 2)},
            today=date(2026, 3, 1),
        )
    assert "completed_on" in [e.field for e in caught.value.errors]


def test_a_milestone_created_by_hand_goes_last_in_its_phase(roadmap, carol):
    milestone = services.milestone_create(
        roadmap=roadmap,
        user=carol,
        data={"title": "Hire an MLOps lead", "phase": 2, "owner": "Carol", "status": "done"},
        today=date(2026, 2, 1),
    )
    assert (milestone.position, milestone.source) == (3, Milestone.Source.CUSTOM)
    assert milestone.completed_on == date(2026, 2, 1)
    entry = history(roadmap.organization)[-1]
    assert entry.action == "milestone.created"
    assert entry.changes["title"] == [None, "Hire an MLOps lead"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "phase": 2}, "title"),
        ({"title": "x" * 201, "phase": 2}, "title"),
        ({"title": "Ok", "phase": 5}, "phase"),
        ({"title": "Ok", "phase": 0}, "phase"),
        ({"title": "Ok", "phase": 2, "status": "finished"}, "status"),
        ({"title": "Nul\x00", "phase": 2}, "title"),
        ({"title": "Ok", "phase": 2, "notes": "n" * 5001}, "notes"),
        ({"title": "Ok", "phase": 2, "due_date": date(1900, 1, 1)}, "due_date"),
        ({"title": "Ok", "phase": 2, "colour": "red"}, "colour"),
    ],
)
def test_invalid_milestones_are_refused_with_the_field(roadmap, carol, data, field):
    before = (Milestone.objects.count(), AuditEntry.objects.count())
    with pytest.raises(InputError) as caught:
        services.milestone_create(roadmap=roadmap, user=carol, data=data)
    assert field in [e.field for e in caught.value.errors]
    assert (Milestone.objects.count(), AuditEntry.objects.count()) == before


def test_moving_to_another_phase_puts_the_milestone_last_there(roadmap, carol):
    milestone = roadmap.milestones.get(phase=2, position=0)
    moved = services.milestone_update(milestone=milestone, user=carol, data={"phase": 3})
    assert (moved.phase, moved.position) == (3, 3)


def test_reorder_moves_one_place_within_the_phase(roadmap, carol):
    def titles():
        return list(
            roadmap.milestones.filter(phase=2).order_by("position").values_list("title", flat=True)
        )

    first, second, third = titles()
    third_milestone = roadmap.milestones.get(title=third)
    services.milestone_reorder(milestone=third_milestone, direction="up", user=carol)
    assert titles() == [first, third, second]
    entry = history(roadmap.organization)[-1]
    assert (entry.action, entry.changes) == ("milestone.reordered", {"position": [3, 2]})

    top = roadmap.milestones.get(title=first)
    count = AuditEntry.objects.count()
    services.milestone_reorder(milestone=top, direction="up", user=carol)  # already first
    assert titles() == [first, third, second] and AuditEntry.objects.count() == count
    services.milestone_reorder(milestone=top, direction="down", user=carol)
    assert titles() == [third, first, second]
    with pytest.raises(InputError):
        services.milestone_reorder(milestone=top, direction="sideways", user=carol)


def test_delete_is_recorded_with_the_title(roadmap, carol):
    milestone = roadmap.milestones.first()
    pk = milestone.pk
    services.milestone_delete(milestone=milestone, user=carol)
    assert not Milestone.objects.filter(pk=pk).exists()
    entry = history(roadmap.organization)[-1]
    assert (entry.action, entry.object_type, entry.object_id) == (
        "milestone.deleted",
        "milestone",
        str(pk),
    )
    assert entry.changes["title"] == [milestone.title, None]


def test_phase_progress_follows_the_milestones(roadmap, carol):
    for milestone in roadmap.milestones.filter(phase=2):
        services.milestone_update(
            milestone=milestone, user=carol, data={"status": "done"}, today=date(2026, 2, 1)
        )
    tracking = selectors.roadmap_tracking(roadmap, date(2026, 8, 1))
    assert [(p.phase, p.done, p.total, p.status) for p in tracking.phases] == [
        (1, 0, 0, PhaseStatus.PASSED),
        (2, 3, 3, PhaseStatus.DONE),
        (3, 0, 3, PhaseStatus.AT_RISK),  # a month into phase 3 with nothing done
        (4, 0, 3, PhaseStatus.NOT_STARTED),
    ]
    assert (tracking.done, tracking.total, tracking.status) == (3, 9, PhaseStatus.AT_RISK)


# --- recommendations -------------------------------------------------------------------


@pytest.fixture
def low_roadmap(assessment, respondent, carol):
    """Every answer at level 2 (score 25): phase 1, short of every Phase 2 criterion."""
    answer_all(respondent, 2)
    return services.roadmap_create(assessment=assessment, start_date=START, user=carol)


def test_an_accepted_recommendation_becomes_a_milestone(low_roadmap, carol):
    placement, _ = selectors.roadmap_placement(low_roadmap)
    assert (placement.phase, placement.next_phase) == (1, 2)
    recommendation = placement.recommendations[0]
    assert recommendation.horizon == "quick_win"  # every low band is a quick win
    milestone = services.recommendation_accept(
        roadmap=low_roadmap,
        recommendation_key=recommendation.key,
        user=carol,
        today=date(2026, 2, 1),
    )
    assert (milestone.phase, milestone.source, milestone.recommendation_key) == (
        1,
        Milestone.Source.RECOMMENDATION,
        recommendation.key,
    )
    assert milestone.title == recommendation.action
    assert (milestone.start_date, milestone.due_date) == (date(2026, 2, 1), date(2026, 5, 2))
    assert milestone.position == 3  # after the three phase 1 templates
    entry = history(low_roadmap.organization)[-1]
    assert entry.summary.startswith("Accepted recommendation")

    with pytest.raises(ConflictError, match="already on the roadmap"):
        services.recommendation_accept(
            roadmap=low_roadmap, recommendation_key=recommendation.key, user=carol
        )


@pytest.mark.parametrize(
    ("today", "phase"),
    [
        (date(2026, 2, 1), 1),  # inside phase 1's window: the phase under way
        (date(2026, 11, 20), 3),  # ten months in: phase 3 is under way
    ],
)
def test_an_accepted_quick_win_is_due_within_its_90_days(low_roadmap, carol, today, phase):
    """A "Quick win (0–90 days)" never becomes a milestone due 14 months later."""
    placement, _ = selectors.roadmap_placement(low_roadmap)
    quick_win = next(r for r in placement.recommendations if r.horizon == "quick_win")
    milestone = services.recommendation_accept(
        roadmap=low_roadmap, recommendation_key=quick_win.key, user=carol, today=today
    )
    assert milestone.phase == phase
    assert milestone.start_date == today
    assert 0 <= (milestone.due_date - today).days <= 90


def test_an_unknown_recommendation_is_refused(low_roadmap, carol):
    with pytest.raises(InputError):
        services.recommendation_accept(
            roadmap=low_roadmap, recommendation_key="no_such_thing", user=carol
        )


# --- use cases -------------------------------------------------------------------------


def test_a_use_case_is_created_updated_and_deleted_with_history(organization, carol):
    use_case = services.use_case_create(
        organization=organization,
        user=carol,
        data={
            "name": "Invoice matching",
            "business_unit": "Finance",
            "stage": "pilot",
            "cost_reduction_baseline": 0,
            "cost_reduction_target": 20,
        },
    )
    services.use_case_update(
        use_case=use_case, user=carol, data={"stage": "production", "cost_reduction_actual": 12.5}
    )
    entry = history(organization)[-1]
    assert entry.changes == {
        "stage": ["pilot", "production"],
        "cost_reduction_actual": [None, 12.5],
    }
    assert "stage Pilot → Production" in entry.summary
    assert selectors.live_use_cases(organization.pk) == 1
    services.use_case_delete(use_case=use_case, user=carol)
    assert not UseCase.objects.exists()
    assert [a.action for a in history(organization)] == [
        "use_case.created",
        "use_case.updated",
        "use_case.deleted",
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("cost_reduction_target", 100.01),
        ("revenue_increase_actual", -100.5),
        ("efficiency_gain_baseline", float("nan")),
        ("efficiency_gain_target", float("inf")),
        ("stage", "moonshot"),
        ("name", ""),
        ("name", "a\x00b"),
        ("owner", "o" * 201),
    ],
)
def test_invalid_use_cases_are_refused_with_the_field(organization, carol, field, value):
    data = {"name": "Churn model", field: value}
    with pytest.raises(InputError) as caught:
        services.use_case_create(organization=organization, user=carol, data=data)
    assert field in [e.field for e in caught.value.errors]
    assert not UseCase.objects.exists() and not AuditEntry.objects.exists()


def test_percentages_at_the_limits_are_accepted(organization, carol):
    use_case = services.use_case_create(
        organization=organization,
        user=carol,
        data={"name": "Edge", "cost_reduction_target": 100, "revenue_increase_actual": -100},
    )
    assert (use_case.cost_reduction_target, use_case.revenue_increase_actual) == (100, -100)


# --- re-assessment ---------------------------------------------------------------------


def test_a_reassessment_copies_the_respondents_with_new_links(roadmap, respondent, carol):
    colleague = RespondentFactory(assessment=roadmap.assessment, email="cfo@acme.example")
    revoked = RespondentFactory(assessment=roadmap.assessment, email="gone@acme.example")
    revoked.revoked_at = revoked.created_at
    revoked.save()

    new = services.reassessment_start(roadmap=roadmap, user=carol, today=date(2026, 6, 1))

    assert new.organization == roadmap.organization and new.bank == roadmap.assessment.bank
    assert new.is_open and new.title == "Re-assessment 1 Jun 2026"
    copied = {r.email: r for r in new.respondents.all()}
    assert set(copied) == {respondent.email, colleague.email}
    for original in (respondent, colleague):
        twin = copied[original.email]
        assert (twin.name, twin.role, twin.title, twin.business_unit) == (
            original.name,
            original.role,
            original.title,
            original.business_unit,
        )
        assert twin.token != original.token and twin.submitted_at is None
    entry = history(roadmap.organization)[-1]
    assert (entry.action, entry.object_type, entry.object_id) == (
        "roadmap.reassessed",
        "roadmap",
        str(roadmap.pk),
    )
    assert entry.changes == {"assessment": [roadmap.assessment.pk, new.pk]}

    with pytest.raises(ConflictError, match="already under way"):
        services.reassessment_start(roadmap=roadmap, user=carol)


def test_the_current_phase_comes_from_the_latest_closed_assessment(roadmap, carol, alice):
    assert selectors.placement_source(roadmap) == roadmap.assessment  # still open
    new = services.reassessment_start(roadmap=roadmap, user=carol)
    answer_all(new.respondents.get(), 1)
    assessment_close(assessment=new)
    placement, source = selectors.roadmap_placement(roadmap)
    assert source == new and placement.phase == 1
    # a newer open assessment does not count until it is closed
    AssessmentFactory(organization=roadmap.organization, bank=new.bank)
    assert selectors.placement_source(roadmap) == new
    assert Assessment.objects.filter(organization=roadmap.organization).count() == 3
