"""Ids in URLs: a number too long to be a database id is a 404, never an overflow."""

import pytest

pytestmark = pytest.mark.django_db

HUGE = "9" * 25


@pytest.mark.parametrize(
    "url",
    [
        f"/assessments/{HUGE}/",
        f"/assessments/{HUGE}/results/",
        f"/organizations/{HUGE}/",
        f"/api/v1/assessments/{HUGE}/scores/",
        f"/api/v1/assessments/{HUGE}/placement/",
    ],
)
def test_an_id_too_long_for_the_database_is_a_404(client, alice, url):
    client.force_login(alice)
    assert client.get(url).status_code == 404


def test_the_longest_id_that_fits_is_looked_up_and_not_found(client, alice):
    client.force_login(alice)
    assert client.get(f"/api/v1/assessments/{'9' * 18}/scores/").status_code == 404
