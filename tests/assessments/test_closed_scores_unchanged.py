"""Publishing a new question bank never changes the scores of assessments answered on an
older one. The demo's 2026.1 assessments (the demo organization's baseline and every demo
peer's closed benchmark assessment) were scored before bank 2026.2 existed and the
figures committed in snapshots/demo_scores_2026_1.json; they must come out identical,
to the last digit. Regenerate only for a deliberate scoring change: UPDATE_SNAPSHOTS=1.
"""

import json
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from assessments.models import Assessment
from assessments.selectors import assessment_scores

pytestmark = pytest.mark.django_db

SNAPSHOT = Path(__file__).parent / "snapshots" / "demo_scores_2026_1.json"


def _scores_of_2026_1_demo_assessments() -> dict:
    call_command("load_demo_data", stdout=StringIO())
    scores = {}
    assessments = Assessment.objects.filter(
        organization__is_demo=True, bank__version="2026.1"
    ).select_related("organization", "bank")
    for assessment in assessments.order_by("organization__name", "title"):
        summary = dict(assessment_scores(assessment).summary)
        summary.pop("assessment")  # a database id, not a score
        scores[f"{assessment.organization.name} / {assessment.title}"] = summary
    return json.loads(json.dumps(scores))


def test_the_2026_1_demo_assessments_score_exactly_as_before_2026_2():
    scores = _scores_of_2026_1_demo_assessments()
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        # One line per assessment: a reviewable diff, a third of the indented size.
        lines = [f"{json.dumps(k)}: {json.dumps(v, sort_keys=True)}" for k, v in scores.items()]
        SNAPSHOT.write_text("{\n" + ",\n".join(lines) + "\n}\n")
    expected = json.loads(SNAPSHOT.read_text())
    assert len(expected) >= 31  # the demo organization and its 30+ peers
    assert scores.keys() == expected.keys()
    for name, summary in expected.items():
        assert scores[name] == summary, name
