"""Business units end to end: the tree page, respondents linked by name, the free-text
migration, the results page section and the units API under the §9 rule."""

import importlib

from django.apps import apps as django_apps

from assessments import services as assessment_services
from assessments.models import Respondent
from organizations import services as organization_services
from organizations.models import BusinessUnit
from roadmap.models import UseCase
from tests.answering import give

from ..pages import find, page, text


def add(assessment, name, unit, level):
    respondent = assessment_services.respondent_add(
        assessment=assessment,
        name=name,
        email=f"{name.lower()}@example.com",
        role="cio",
        business_unit=unit,
    )
    keys = assessment.bank.questions.order_by("position").values_list("key", flat=True)
    give(respondent, dict.fromkeys(keys, level))
    return respondent


def test_a_coe_lead_builds_the_tree_and_bad_moves_are_refused(client, carol, organization):
    client.force_login(carol)
    url = f"/organizations/{organization.pk}/units/"
    assert client.post(url, {"name": "Group"}).status_code == 302
    group = BusinessUnit.objects.get(name="Group")
    assert client.post(url, {"name": "Retail", "parent": group.pk}).status_code == 302
    retail = BusinessUnit.objects.get(name="Retail")
    assert retail.parent == group

    duplicate = client.post(url, {"name": "retail"})
    assert duplicate.status_code == 400
    assert "already a unit" in duplicate.content.decode()
    cycle = client.post(f"{url}{group.pk}/", {"name": "Group", "parent": retail.pk})
    assert cycle.status_code == 400
    assert "cannot sit under itself" in cycle.content.decode()
    client.post(f"{url}{group.pk}/delete/")
    assert BusinessUnit.objects.filter(pk=group.pk).exists()  # it has a sub-unit

    listed = text(find(page(client.get(url)), "ul", id="unit-tree"))
    assert listed.index("Group") < listed.index("Retail")


def test_respondents_and_use_cases_are_linked_to_the_unit_they_name(carol, assessment):
    retail = organization_services.unit_create(
        organization=assessment.organization, name="Retail", user=carol
    )
    respondent = add(assessment, "Ann", " retail ", 3)
    assert respondent.unit == retail
    other = add(assessment, "Ben", "Logistics", 3)
    assert other.unit.name == "Logistics"  # a new name becomes a unit of the organization


def test_free_text_units_are_migrated_to_records(assessment, organization):
    old = assessment_services.respondent_add(
        assessment=assessment, name="Old", email="old@example.com", role="cio"
    )
    Respondent.objects.filter(pk=old.pk).update(business_unit="Finance  ")
    UseCase.objects.create(organization=organization, name="Invoices", business_unit="finance")
    for module in (
        "assessments.migrations.0006_respondent_business_unit",
        "roadmap.migrations.0008_coe_planning",
    ):
        importlib.import_module(module).units_from_free_text(django_apps, None)
    unit = BusinessUnit.objects.get(organization=organization)
    assert unit.name == "Finance"
    assert Respondent.objects.get(name="Old").unit == unit
    assert UseCase.objects.get(name="Invoices").unit == unit


def test_the_results_page_and_api_show_units_under_the_confidentiality_rule(
    client, alice, erin, carol, assessment
):
    group = organization_services.unit_create(
        organization=assessment.organization, name="Group", user=carol
    )
    organization_services.unit_create(
        organization=assessment.organization, name="Retail", parent=group, user=carol
    )
    organization_services.unit_create(
        organization=assessment.organization, name="Finance", parent=group, user=carol
    )
    for name, level in (("Ann", 2), ("Ben", 3), ("Cy", 4)):
        add(assessment, name, "Retail", level)
    add(assessment, "Dee", "Finance", 5)

    client.force_login(erin)  # a client member: Finance (1 respondent) is hidden
    body = client.get(f"/api/v1/assessments/{assessment.pk}/units/").json()
    rows = {u["name"]: u for u in body}
    assert [u["name"] for u in body] == ["Group", "Finance", "Retail"]
    assert (rows["Group"]["respondents"], rows["Retail"]["respondents"]) == (4, 3)
    assert rows["Finance"]["suppressed"] and rows["Finance"]["index"] is None
    assert not rows["Retail"]["suppressed"] and rows["Retail"]["index"] == 50.0
    html = page(client.get(f"/assessments/{assessment.pk}/results/"))
    table = text(find(html, "table", id="business-unit-table"))
    assert "Not shown: fewer than 3 respondents" in table

    client.force_login(alice)  # the consultant sees every unit
    body = client.get(f"/api/v1/assessments/{assessment.pk}/units/").json()
    finance = next(u for u in body if u["name"] == "Finance")
    assert not finance["suppressed"] and finance["index"] == 100.0
