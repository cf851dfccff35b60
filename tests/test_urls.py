"""Ids in URLs: a number out of the database's range is never an overflow. Under /api/ it
is a 400 naming the parameter (tests/api/test_bounded_inputs.py covers every route); a
page answers 404. Under /api/ a URL that matches no route answers in the API's error
format."""

import pytest

pytestmark = pytest.mark.django_db

HUGE = "9" * 25


@pytest.mark.parametrize(
    "url",
    [
        f"/assessments/{HUGE}/",
        f"/assessments/{HUGE}/results/",
        f"/organizations/{HUGE}/",
    ],
)
def test_a_page_with_an_id_too_long_for_the_database_is_a_404(client, alice, url):
    client.force_login(alice)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url", [f"/api/v1/assessments/{HUGE}/scores/", f"/api/v1/assessments/{HUGE}/placement/"]
)
def test_an_api_id_too_long_for_the_database_is_a_400_naming_it(client, alice, url):
    client.force_login(alice)

    response = client.get(url)

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["assessment_id"]


def test_the_largest_id_that_fits_is_looked_up_and_not_found(client, alice):
    client.force_login(alice)
    assert client.get(f"/api/v1/assessments/{2**63 - 1}/scores/").status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/assessments/abc/scores/", "/api/v1/no-such-endpoint/"])
def test_an_api_url_no_route_matches_is_a_404_in_the_api_error_format(client, alice, url):
    # Found by schemathesis: Django's HTML page, which the schema does not document.
    client.force_login(alice)

    response = client.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "errors": [{"field": None, "code": "not_found", "message": "Not found."}]
    }


def test_a_page_url_no_route_matches_is_still_the_html_404_page(client, alice):
    client.force_login(alice)

    response = client.get(f"/assessments/{'9' * 19}/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
