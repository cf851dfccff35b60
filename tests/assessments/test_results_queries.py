"""The results page, the scores API and the exports run a fixed number of queries,
however many executives answered."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ..answering import add_respondents, all_levels

pytestmark = pytest.mark.django_db

# Every request: the ATOMIC_REQUESTS savepoint and its release, session, user, assessment,
# membership; then one query for the answers; at the end the session is saved again
# (SESSION_SAVE_EVERY_REQUEST: the idle timeout restarts with every request). The page
# adds question texts, the levels of misaligned questions, and its roadmap, trend and
# benchmark sections (18 queries at the time of writing). Headroom for new sections, but
# a fixed number: what must never happen is a query per respondent, answer or question.
# The scores API first reads a fingerprint of the submitted answers (one aggregate query):
# the answers are read and scored only when it changed, as here after new submissions;
# for a consultant, one more reads the assessor's answers (the perception gap); the
# fingerprint also reads the verifications, and the evidence-backed block reads them.
# The page's business-unit roll-up reads the units and their answers once (3 queries,
# however many units and respondents).
PAGE_MAX = 28
API_MAX = 10
URLS = [
    ("/assessments/{id}/results/", PAGE_MAX),
    ("/api/v1/assessments/{id}/scores/", API_MAX + 4),
    ("/assessments/{id}/exports/answers.csv", API_MAX),
    # Scores name the misaligned and pitfall questions by their text (one read of the
    # questions); the workbook adds the placement sheet (use cases live, roadmap
    # reference data).
    ("/assessments/{id}/exports/scores.xlsx", API_MAX + 4),
    ("/api/v1/assessments/{id}/exports/answers.xlsx", API_MAX),
    ("/api/v1/assessments/{id}/exports/scores.csv", API_MAX + 1),
    # Aggregates also read the questions and the counts and comments per question.
    ("/api/v1/assessments/{id}/exports/aggregates.xlsx", API_MAX + 2),
]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


@pytest.mark.parametrize(("template", "bound"), URLS)
def test_the_query_count_does_not_grow_with_respondents(
    client, alice, assessment, template, bound, django_assert_max_num_queries
):
    client.force_login(alice)
    url = template.format(id=assessment.pk)
    rng = random.Random(10)
    add_respondents(assessment, 2, rng, values=all_levels)
    client.get(url)  # warm: the bank's scoring model is built once per process

    with_two = _queries(client, url)
    add_respondents(assessment, 8, rng, values=all_levels, start=2)
    assert assessment.respondents.filter(submitted_at__isnull=False).count() == 10
    assert sum(r.answers.count() for r in assessment.respondents.all()) == 10 * 47
    with django_assert_max_num_queries(bound):
        response = client.get(url)
    assert response.status_code == 200
    with_ten = _queries(client, url)

    assert with_ten == with_two
    assert with_ten <= bound
