"""The consultant-practice sections of the full report (DESIGN §11): the perception gap."""

import pytest

from assessments import services
from reports.models import ReportKind

from ..answering import give, questions_of
from .conftest import chromium_or_skip, pdf_text, squash
from .test_rendering import render

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("audience", ["client", "consultant"])
def test_the_full_report_shows_the_perception_gap(answered, alice, tmp_path, audience):
    chromium_or_skip()
    assessor = services.assessor_start(assessment=answered, user=alice)
    give(assessor, {key: 5 for key in questions_of(answered)})
    text = squash(
        pdf_text(render(answered, ReportKind.FULL_ASSESSMENT, tmp_path, audience=audience))
    )
    assert squash("Perception gap: the executives' view and the assessor's") in text
    assert squash("Executives Assessor Gap") in text
    assert "⚑" in text
    # ... and both layers, claimed and evidence-backed.
    assert squash("Claimed and evidence-backed scores") in text
    assert squash("Claimed Evidence-backed Difference") in text


def test_without_an_assessor_there_is_no_perception_section(answered, tmp_path):
    chromium_or_skip()
    text = squash(pdf_text(render(answered, ReportKind.FULL_ASSESSMENT, tmp_path)))
    assert squash("Perception gap") not in text
