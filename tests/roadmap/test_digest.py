"""The weekly digest (DESIGN §12): each milestone owner gets their overdue and at-risk
milestones, the CoE lead the roadmap's; once per (user, ISO week)."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from organizations.language import set_language_of
from organizations.models import Branding, Role
from roadmap import services
from roadmap.models import DigestSend, Milestone, MilestoneStatus
from roadmap.tracking import Attention, MilestoneState, PhaseStatus, milestone_attention

from ..factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

TODAY = date(2026, 3, 2)  # a Monday; the roadmap started on 1 Jan 2026 in phase 2
NOW = timezone.make_aware(datetime(2026, 3, 2, 7, 0))


def run_digest(now=NOW):
    with time_machine.travel(now, tick=False):
        return services.digests_sweep()


@pytest.fixture
def dana(organization):
    """An executive member who owns milestones."""
    user = UserFactory(username="dana", first_name="Dana", last_name="Reyes")
    MembershipFactory(organization=organization, user=user, role=Role.EXECUTIVE)
    return user


@pytest.fixture
def milestones(roadmap, dana, carol):
    """Phase 2 (1 Jan – …) with: Dana's overdue one, Dana's done one, Dana's future one,
    and an overdue one owned by free text."""

    def add(title, **fields):
        data = {"title": title, "phase": 2, **fields}
        return services.milestone_create(roadmap=roadmap, user=carol, data=data, today=TODAY)

    return {
        "overdue": add("Data catalogue live", owner_user=dana, due_date=date(2026, 2, 15)),
        "done": add(
            "Hire data lead",
            owner_user=dana,
            due_date=date(2026, 2, 1),
            status=MilestoneStatus.DONE,
            completed_on=date(2026, 2, 1),
        ),
        "later": add("Model registry", owner_user=dana, due_date=date(2026, 12, 1)),
        "free_text": add("Vendor review", owner="Pat (procurement)", due_date=date(2026, 2, 1)),
    }


def digest_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_owners_get_their_overdue_milestones_and_the_coe_lead_the_roadmaps(
    milestones, dana, carol, alice
):
    result = run_digest()

    assert result.week == "2026-W10"
    (for_dana,) = digest_to(dana)
    assert "[Overdue] Data catalogue live" in for_dana.body
    # Phase 2 is behind plan (1 of 4 done with a sixth of its window gone): its open
    # milestones are at risk, as on the roadmap page.
    assert "[At risk] Model registry" in for_dana.body
    assert "Hire data lead" not in for_dana.body  # done
    assert "Vendor review" not in for_dana.body  # not hers
    assert "The roadmap (you are its CoE lead)" not in for_dana.body
    (for_carol,) = digest_to(carol)
    assert "The roadmap (you are its CoE lead)" in for_carol.body
    assert "Data catalogue live" in for_carol.body and "Vendor review" in for_carol.body
    assert "owner: Dana Reyes" in for_carol.body
    assert "owner: Pat (procurement)" in for_carol.body
    assert "Hire data lead" not in for_carol.body
    assert digest_to(alice) == []  # a consultant owning nothing
    assert DigestSend.objects.get(user=dana).milestones == 2


def test_a_member_who_chose_german_gets_the_digest_in_german(milestones, dana, carol):
    set_language_of(dana, "de")
    run_digest()
    (for_dana,) = digest_to(dana)
    assert for_dana.subject.startswith("Roadmap-")
    assert "2. März 2026" in for_dana.subject
    assert "Data catalogue live" in for_dana.body  # their own words stay as written
    assert "[Überfällig] Data catalogue live" in for_dana.body
    assert "[Overdue]" not in for_dana.body
    (for_carol,) = digest_to(carol)  # who chose nothing gets English
    assert "[Overdue] Data catalogue live" in for_carol.body


def test_an_owner_with_nothing_overdue_or_at_risk_gets_no_email(roadmap, dana, carol):
    # Phase 3 has not started: nothing in it is at risk yet.
    services.milestone_create(
        roadmap=roadmap,
        user=carol,
        data={"title": "Scale out", "phase": 3, "owner_user": dana, "due_date": date(2027, 6, 1)},
        today=TODAY,
    )
    run_digest()
    assert digest_to(dana) == []
    assert DigestSend.objects.get(user=dana).status == DigestSend.Status.SKIPPED


def test_the_digest_goes_once_per_week(milestones, dana, carol):
    run_digest()
    run_digest(NOW + timedelta(hours=1))
    run_digest(NOW + timedelta(days=3))
    assert (len(digest_to(dana)), len(digest_to(carol))) == (1, 1)
    run_digest(NOW + timedelta(days=7))  # the next ISO week
    assert (len(digest_to(dana)), len(digest_to(carol))) == (2, 2)
    assert set(DigestSend.objects.values_list("week", flat=True)) == {"2026-W10", "2026-W11"}


def test_a_repeated_digest_task_sends_nothing_twice(milestones, dana):
    published = []
    result = services.digests_sweep(now=NOW, publish=lambda pk, claim: published.append(pk))
    assert services.digests_sweep(now=NOW, publish=lambda pk, claim: 1 / 0).claimed == 0
    digest = DigestSend.objects.get(user=dana)
    for _ in range(2):
        services.digest_send(digest_id=digest.pk, claim=result.claim, now=NOW)
    assert len(digest_to(dana)) == 1


def test_a_former_member_gets_no_digest_for_the_organization(milestones, dana, organization):
    dana.memberships.filter(organization=organization).delete()
    run_digest()
    assert digest_to(dana) == []


def test_the_digest_is_html_in_the_firms_branding_with_a_link_to_the_roadmap(
    milestones, dana, organization, settings
):
    settings.SITE_URL = "https://maturity.example"
    Branding.objects.create(organization=organization, firm_name="Northwind Advisory")
    run_digest()
    (message,) = digest_to(dana)
    html, mimetype = message.alternatives[0]
    url = f"https://maturity.example/organizations/{organization.pk}/roadmap/"
    assert mimetype == "text/html"
    assert url in message.body and f'href="{url}#milestone-{milestones["overdue"].pk}"' in html
    assert "Northwind Advisory" in html and "Northwind Advisory" in message.body
    assert "Overdue" in html


# --- milestone owners are members --------------------------------------------------------


def test_the_owner_must_be_a_member_of_the_organization(roadmap, carol, bob):
    from common.errors import InputError

    with pytest.raises(InputError) as refused:
        services.milestone_create(
            roadmap=roadmap, user=carol, data={"title": "X", "phase": 2, "owner_user": bob}
        )
    assert refused.value.errors[0].field == "owner_user"
    with pytest.raises(InputError):
        services.milestone_create(
            roadmap=roadmap, user=carol, data={"title": "X", "phase": 2, "owner_user": 10**9}
        )


def test_the_milestone_form_offers_the_members(client, roadmap, carol, dana, bob, organization):
    client.force_login(carol)
    url = f"/organizations/{organization.pk}/roadmap/milestones/new/"
    page = client.get(url).content.decode()
    assert "Dana Reyes" in page and "bob" not in page
    response = client.post(
        url, {"title": "Pilot MLOps", "phase": 2, "status": "not_started", "owner_user": dana.pk}
    )
    assert response.status_code == 302
    assert Milestone.objects.get(title="Pilot MLOps").owner_user == dana
    refused = client.post(
        url, {"title": "Other", "phase": 2, "status": "not_started", "owner_user": bob.pk}
    )
    assert refused.status_code == 400


def test_the_api_sets_the_owner_by_user_id(client, roadmap, carol, dana, bob):
    client.force_login(carol)
    url = f"/api/v1/roadmaps/{roadmap.pk}/milestones/"
    made = client.post(
        url, {"title": "Feature store", "phase": 2, "owner_user": dana.pk}, "application/json"
    )
    assert made.status_code == 201, made.content
    assert made.json()["owner_user"] == dana.pk
    refused = client.post(
        url, {"title": "Other", "phase": 2, "owner_user": bob.pk}, "application/json"
    )
    assert refused.status_code == 400
    assert "owner_user" in refused.content.decode()


# --- the tracking's notion of attention (pure) -------------------------------------------


@pytest.mark.parametrize(
    ("status", "due", "phase", "expected"),
    [
        ("in_progress", date(2026, 3, 1), PhaseStatus.ON_TRACK, Attention.OVERDUE),
        ("in_progress", date(2026, 3, 2), PhaseStatus.ON_TRACK, None),
        ("not_started", None, PhaseStatus.AT_RISK, Attention.AT_RISK),
        ("blocked", date(2027, 1, 1), PhaseStatus.LATE, Attention.AT_RISK),
        ("done", date(2026, 1, 1), PhaseStatus.LATE, None),
    ],
)
def test_milestone_attention(status, due, phase, expected):
    state = MilestoneState(phase=2, status=status, due_date=due)
    assert milestone_attention(state, phase, TODAY) == expected
