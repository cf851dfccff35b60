"""Staff changes made in the Django admin reach the audit log with the organization they
touch, like every other data change."""

import pytest
from django.contrib import admin
from rest_framework.authtoken.models import Token

from audit.admin_changes import AuditedAdmin
from audit.models import AuditEntry
from organizations.models import Organization

from ..factories import RespondentFactory, UserFactory

PASSWORD = "x-Very-long-9-pass"


@pytest.fixture
def staff(client, db):
    user = UserFactory(username="stella", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_every_admin_that_can_change_data_is_audited():
    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdmin) and model._meta.label != "audit.AuditEntry"
    ]
    assert unaudited == []


def test_a_change_in_the_admin_is_recorded_with_its_organization(client, staff, organization):
    url = f"/admin/organizations/organization/{organization.pk}/change/"
    form = {
        "name": "Renamed by staff",
        "industry": organization.industry,
        "size_band": organization.size_band,
        "region": organization.region,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]

    entry = AuditEntry.objects.get(action="admin.change")
    assert entry.user == staff
    assert entry.organization_id == organization.pk
    assert entry.object_type == "organization" and entry.object_id == str(organization.pk)
    assert "Renamed by staff" in entry.summary
    assert entry.changes["admin"]  # which fields changed, as the admin's history says


def test_a_deletion_in_the_admin_is_recorded_for_each_object(client, staff, assessment):
    first, second = RespondentFactory.create_batch(2, assessment=assessment)

    response = client.post(
        "/admin/assessments/respondent/",
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302

    entries = AuditEntry.objects.filter(action="admin.delete").order_by("object_id")
    assert [e.object_id for e in entries] == sorted([str(first.pk), str(second.pk)])
    assert {e.organization_id for e in entries} == {assessment.organization_id}
    assert not assessment.respondents.filter(pk__in=[first.pk, second.pk]).exists()


def test_an_addition_in_the_admin_is_recorded(client, staff):
    response = client.post(
        "/admin/auth/user/add/",
        {"username": "newcomer", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    entry = AuditEntry.objects.get(action="admin.add")
    assert entry.object_type == "user" and entry.organization_id is None
    assert "newcomer" in entry.summary


def test_deleting_an_organization_keeps_its_audit_entries(client, staff, organization):
    response = client.post(
        f"/admin/organizations/organization/{organization.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Organization.objects.filter(pk=organization.pk).exists()
    entry = AuditEntry.objects.get(action="admin.delete")
    assert entry.object_id == str(organization.pk)
    assert entry.organization_id is None  # the organization is gone; the entry stays


def test_an_api_token_made_in_the_admin_is_recorded_without_its_key(client, staff, alice):
    response = client.post("/admin/authtoken/tokenproxy/add/", {"user": alice.pk})
    assert response.status_code == 302, response.content.decode()[:2000]

    key = Token.objects.get(user=alice).key
    entry = AuditEntry.objects.get(action="admin.add")
    assert entry.object_id == str(alice.pk)
    assert "API token of alice" in entry.summary
    assert key not in entry.summary + str(entry.changes) + entry.object_id
