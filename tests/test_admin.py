"""Staff administer everything through the Django admin; published reference data is
read-only there."""

import pytest
from django.contrib import admin
from django.urls import reverse

from assessments.models import QuestionBank

from .factories import UserFactory

pytestmark = pytest.mark.django_db

MODELS = sorted((model._meta.app_label, model._meta.model_name) for model in admin.site._registry)


@pytest.fixture
def staff(client, bank, respondent):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_every_model_has_a_working_admin_list(staff, app, model):
    response = staff.get(reverse(f"admin:{app}_{model}_changelist"))
    assert response.status_code == 200


def test_a_published_bank_cannot_be_changed_in_the_admin(staff, bank):
    url = reverse("admin:assessments_questionbank_change", args=[bank.pk])
    response = staff.post(url, {"version": "hacked", "title": "x"})
    assert response.status_code == 403
    assert QuestionBank.objects.get(pk=bank.pk).version == bank.version


def test_non_staff_users_are_sent_to_the_admin_login(client, alice):
    client.force_login(alice)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
