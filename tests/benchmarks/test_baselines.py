"""Organization baselines: one set of rules (non-negative plain numbers with at most two
decimals, a known currency) for the browser form and the API; every problem reported
per field; nothing saved unless everything is valid."""

from decimal import Decimal

import pytest

from benchmarks import services
from benchmarks.baselines import CURRENCIES, parse_baselines
from benchmarks.models import OrganizationBaseline
from common.errors import InputError

from ..pages import find, find_all, page, text

VALID = {
    "annual_operating_cost": 10_000_000,
    "annual_revenue": "5000000.50",
    "process_hours_per_year": 1000,
    "cost_per_hour": 49.99,
    "currency": "EUR",
}


def errors_of(data, **kwargs) -> list[tuple]:
    with pytest.raises(InputError) as error:
        parse_baselines(data, **kwargs)
    return [(e.field, e.code) for e in error.value.errors]


def test_it_accepts_numbers_and_plain_numeric_text():
    assert parse_baselines(VALID) == {
        "annual_operating_cost": Decimal("10000000.00"),
        "annual_revenue": Decimal("5000000.50"),
        "process_hours_per_year": Decimal("1000.00"),
        "cost_per_hour": Decimal("49.99"),
        "planned_ai_investment": None,
        "operating_cost_addressable_share": None,
        "revenue_addressable_share": None,
        "currency": "EUR",
    }


@pytest.mark.parametrize(
    ("share", "code"),
    [(101, "too_large"), ("100.01", "too_large"), (-5, "negative"), ("35 %", "invalid")],
)
def test_an_addressable_share_is_a_percentage_from_0_to_100(share, code):
    assert errors_of({**VALID, "revenue_addressable_share": share}) == [
        ("revenue_addressable_share", code)
    ]


def test_a_share_of_100_or_with_decimals_is_accepted():
    cleaned = parse_baselines(
        {**VALID, "operating_cost_addressable_share": 100, "revenue_addressable_share": "12.5"}
    )
    assert cleaned["operating_cost_addressable_share"] == 100
    assert cleaned["revenue_addressable_share"] == Decimal("12.50")


def test_a_share_over_100_says_it_is_a_percentage():
    with pytest.raises(InputError) as error:
        parse_baselines({**VALID, "operating_cost_addressable_share": 150})
    assert error.value.errors[0].message == (
        "Addressable share of the operating cost (%) is a percentage: at most 100."
    )


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_an_empty_amount_clears_it(empty):
    assert parse_baselines({**VALID, "annual_revenue": empty})["annual_revenue"] is None


def test_zero_is_a_valid_baseline():
    assert parse_baselines({**VALID, "cost_per_hour": 0})["cost_per_hour"] == 0


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (-1, "negative"),
        (-0.01, "negative"),
        ("-250", "negative"),
        ("abc", "invalid"),
        ("12abc", "invalid"),
        ("1,500,000", "invalid"),  # thousands or decimal comma: ambiguous
        ("1e6", "invalid"),
        ("²", "invalid"),
        ("١٢", "invalid"),  # non-ASCII digits
        ("0x10", "invalid"),
        ("NaN", "invalid"),
        ("Infinity", "invalid"),
        (float("nan"), "invalid"),
        (float("inf"), "invalid"),
        pytest.param("9" * 5000, "invalid", id="5000-digit-text"),  # too long to be a baseline
        (True, "invalid_type"),
        ([1], "invalid_type"),
        ({"value": 1}, "invalid_type"),
        (10**16, "too_large"),
        pytest.param(10**5000, "too_large", id="5001-digit-int"),  # compared, never converted
        (1e300, "too_large"),
        ("12.345", "max_decimal_places"),
        (0.1 + 0.2, "max_decimal_places"),
        ("12\x00", "null_characters"),
    ],
)
def test_it_rejects_an_invalid_amount_with_a_clear_code(value, code):
    assert errors_of({**VALID, "annual_operating_cost": value}) == [("annual_operating_cost", code)]


def test_the_messages_say_what_to_do():
    with pytest.raises(InputError) as error:
        parse_baselines({**VALID, "annual_revenue": -5, "cost_per_hour": "ten"})

    messages = {e.field: e.message for e in error.value.errors}
    assert messages == {
        "annual_revenue": "Annual revenue cannot be negative.",
        "cost_per_hour": "Cost per hour must be a plain number such as 1250000.50.",
    }


@pytest.mark.parametrize(
    ("currency", "code"),
    [
        ("XYZ", "unknown_currency"),
        ("EURO", "unknown_currency"),
        ("€", "unknown_currency"),
        ("EU\x00R", "null_characters"),
        (None, "required"),
        ("", "required"),
        (978, "invalid_type"),
    ],
)
def test_it_rejects_an_unknown_or_missing_currency(currency, code):
    assert errors_of({**VALID, "currency": currency}) == [("currency", code)]


def test_the_currency_is_one_of_the_fixed_list_in_any_case():
    assert parse_baselines({**VALID, "currency": " usd "})["currency"] == "USD"
    assert {"EUR", "USD", "GBP", "CHF", "JPY", "INR", "SGD"} <= set(CURRENCIES)


def test_every_problem_is_reported_at_once():
    data = {"annual_operating_cost": -1, "annual_revenue": "x", "currency": "ZZZ", "colour": 1}

    assert errors_of(data) == [
        ("colour", "unknown_field"),
        ("annual_operating_cost", "negative"),
        ("annual_revenue", "invalid"),
        ("currency", "unknown_currency"),
    ]


def test_a_partial_change_checks_only_the_fields_given():
    assert parse_baselines({"cost_per_hour": "80"}, partial=True) == {
        "cost_per_hour": Decimal("80")
    }


# --- the service ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_service_stores_and_replaces_the_baselines(organization, alice):
    services.baseline_update(organization=organization, data=VALID, user=alice)
    services.baseline_update(
        organization=organization, data={"annual_revenue": "7", "currency": "GBP"}, user=alice
    )

    stored = OrganizationBaseline.objects.get(organization=organization)
    assert stored.annual_revenue == Decimal("7.00")
    assert stored.annual_operating_cost is None  # a full update replaces every field
    assert stored.currency == "GBP"
    assert stored.updated_by == alice


@pytest.mark.django_db
def test_the_service_saves_nothing_when_anything_is_invalid(organization, alice):
    services.baseline_update(organization=organization, data=VALID, user=alice)

    with pytest.raises(InputError):
        services.baseline_update(
            organization=organization,
            data={**VALID, "annual_revenue": "1", "cost_per_hour": -3},
            user=alice,
        )

    assert OrganizationBaseline.objects.get().annual_revenue == Decimal("5000000.50")


@pytest.mark.django_db
def test_the_database_refuses_a_negative_baseline_written_around_the_service(organization):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationBaseline.objects.create(organization=organization, annual_revenue=-1)


# --- the page -------------------------------------------------------------------------

URL = "/organizations/{}/baselines/"
FORM = {
    "annual_operating_cost": "850000000",
    "annual_revenue": "1200000000.50",
    "process_hours_per_year": "",
    "cost_per_hour": "58.5",
    "currency": "CHF",
}


def test_in_german_the_page_takes_and_shows_numbers_with_a_decimal_comma(client, alice):
    client.force_login(alice)
    url = URL.format(alice.memberships.get().organization_id)
    german = {
        **FORM,
        "annual_operating_cost": "850.000.000",
        "annual_revenue": "1200000000,5",
        "cost_per_hour": "58,50",
        "operating_cost_addressable_share": "12,5",
    }
    response = client.post(url, german, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 302
    stored = OrganizationBaseline.objects.get()
    assert (stored.annual_operating_cost, stored.annual_revenue, stored.cost_per_hour) == (
        Decimal("850000000"),
        Decimal("1200000000.50"),
        Decimal("58.50"),
    )
    assert stored.operating_cost_addressable_share == Decimal("12.50")
    again = page(client.get(url, HTTP_ACCEPT_LANGUAGE="de"))
    assert ("value", "58,50") in find(again, "input", name="cost_per_hour").attributes
    assert "1250000,50" in text(find(again, "form", id="baseline-form"))
    # English keeps the decimal point, and a comma there is still refused.
    refused = client.post(url, {**FORM, "cost_per_hour": "58,5"})
    assert refused.status_code == 400


@pytest.mark.parametrize("member", ["alice", "carol"])
def test_consultants_and_coe_leads_edit_the_baselines(client, request, member):
    user = request.getfixturevalue(member)
    client.force_login(user)
    url = URL.format(user.memberships.get().organization_id)

    form_page = client.get(url)
    response = client.post(url, FORM, follow=True)

    assert find(page(form_page), "form", id="baseline-form")
    assert response.redirect_chain == [(url, 302)]
    assert "Baselines saved." in response.content.decode()
    stored = OrganizationBaseline.objects.get()
    assert (stored.annual_revenue, stored.process_hours_per_year, stored.cost_per_hour) == (
        Decimal("1200000000.50"),
        None,
        Decimal("58.50"),
    )
    assert stored.currency == "CHF"
    assert stored.updated_by == user
    again = page(client.get(url))
    assert find(again, "input", name="annual_operating_cost").attributes  # pre-filled
    assert ("value", "850000000") in find(again, "input", name="annual_operating_cost").attributes
    assert ("value", "58.50") in find(again, "input", name="cost_per_hour").attributes


def test_invalid_values_are_shown_next_to_their_fields_and_nothing_is_saved(client, alice):
    client.force_login(alice)
    url = URL.format(alice.memberships.get().organization_id)

    response = client.post(
        url, {**FORM, "annual_operating_cost": "-5", "annual_revenue": "lots", "currency": "XYZ"}
    )

    assert response.status_code == 400
    body = page(response)
    errors = [text(e) for e in find_all(body, "p", class_="field-error")]
    assert "Annual operating cost cannot be negative." in errors
    assert "Annual revenue must be a plain number such as 1250000.50." in errors
    assert "Unknown currency 'XYZ'; use one of " + ", ".join(CURRENCIES) + "." in errors
    assert not OrganizationBaseline.objects.exists()


def test_the_service_errors_reach_the_form_when_the_form_itself_accepts_the_input(client, alice):
    client.force_login(alice)
    url = URL.format(alice.memberships.get().organization_id)

    response = client.post(url, {**FORM, "cost_per_hour": "12.345"})

    assert response.status_code == 400
    assert "Cost per hour: use at most 2 decimals." in response.content.decode()
    assert not OrganizationBaseline.objects.exists()


def test_executives_read_the_baselines_and_cannot_change_them(client, erin, alice):
    organization = erin.memberships.get().organization
    services.baseline_update(organization=organization, data=VALID, user=alice)
    client.force_login(erin)
    url = URL.format(organization.pk)

    response = client.get(url)
    attempt = client.post(url, FORM)

    assert response.status_code == 200
    body = page(response)
    assert not find_all(body, "form", id="baseline-form")
    rows = [text(r) for r in find_all(find(body, "table", id="baseline-table"), "tr")]
    assert rows[0] == "Annual operating cost 10,000,000"
    assert attempt.status_code == 403
    assert OrganizationBaseline.objects.get().currency == "EUR"


def test_outsiders_get_404_and_anonymous_visitors_are_sent_to_log_in(client, bob, organization):
    url = URL.format(organization.pk)

    anonymous = client.get(url)
    client.force_login(bob)
    outsider_get = client.get(url)
    outsider_post = client.post(url, FORM)

    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"/accounts/login/?next={url}"
    assert (outsider_get.status_code, outsider_post.status_code) == (404, 404)
    assert "Acme" not in outsider_get.content.decode()
    assert not OrganizationBaseline.objects.exists()


def test_the_organization_page_links_to_the_baselines(client, erin):
    client.force_login(erin)
    organization_id = erin.memberships.get().organization_id

    body = page(client.get(f"/organizations/{organization_id}/"))

    link = find(body, "a", id="baselines-link")
    assert ("href", URL.format(organization_id)) in link.attributes


def test_the_baselines_page_shows_the_projection_over_the_addressable_share(client, alice):
    client.force_login(alice)
    url = URL.format(alice.memberships.get().organization_id)

    client.post(
        url,
        {
            **FORM,
            "currency": "EUR",
            "annual_operating_cost": "850000000",
            "operating_cost_addressable_share": "20",
            "planned_ai_investment": "12750000",
        },
    )
    body = page(client.get(url))

    assert ("value", "20") in find(
        body, "input", name="operating_cost_addressable_share"
    ).attributes
    rows = [
        text(r).replace("\xa0", " ")
        for r in find_all(find(body, "table", id="projection-table"), "tr")
    ]
    # 15–30 % of 20 % of €850 M, not €127.5–255 M over the whole operating cost
    assert rows[1] == (
        "Cost reduction 15–30 % €170 M = 20 % of the annual operating cost (€850 M) €25.5–51 M"
    )
    missing = text(find(body, "ul", id="projection-missing"))
    assert "Revenue increase: enter the addressable share of the annual revenue." in missing
    payback = text(find(body, "p", id="projection-payback")).replace("\xa0", " ")
    # €12.75 M ÷ (€38.25 M midpoint a year ÷ 12)
    assert payback.startswith("Payback: about 4 months.")
    assert "not a forecast" in text(find(body, "p", id="projection-note"))


def test_an_addressable_share_over_100_is_a_form_error(client, alice):
    client.force_login(alice)
    url = URL.format(alice.memberships.get().organization_id)

    response = client.post(url, {**FORM, "revenue_addressable_share": "140"})

    assert response.status_code == 400
    errors = [text(e) for e in find_all(page(response), "p", class_="field-error")]
    assert errors == ["Addressable share of the revenue (%) is a percentage: at most 100."]
    assert not OrganizationBaseline.objects.exists()
