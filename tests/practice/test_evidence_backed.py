"""The evidence-backed layer (DESIGN §11): the consultant verifies claims against
evidence; claimed and evidence-backed scores side by side; evidence files checked by
content and served only through an access-checked download."""

import io
import zipfile

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from assessments import evidence, selectors, services
from assessments.models import EvidenceFile, Verification
from assessments.scoring import score, summarize

from ..answering import bank_model, give, questions_of
from ..factories import RespondentFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the §11 table ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "claimed, verified, expected",
    [
        # verified set: the verified level, whatever was claimed
        (4.0, 3, 3.0),
        (1.0, 5, 5.0),
        (None, 4, 4.0),
        (4.5, 2, 2.0),
        # claimed at 2 or less, not verified: the claim stands
        (2.0, None, 2.0),
        (1.5, None, 1.5),
        (1.0, None, 1.0),
        # claimed at 3 or more, not verified: 2 (claimed, not evidenced)
        (3.0, None, 2.0),
        (2.5, None, 2.0),
        (5.0, None, 2.0),
        # nothing claimed, nothing verified
        (None, None, None),
    ],
)
def test_evidence_backed_value_follows_the_design_table(claimed, verified, expected):
    assert evidence.evidence_backed_value(claimed, verified) == expected


def test_evidence_backed_scores_are_the_scoring_function_on_those_values():
    """Dimension scores of the evidence-backed values equal `scoring.score` run on one
    respondent who gave exactly those levels."""
    model = bank_model()
    keys = list(model.questions["question"])
    claimed = {key: float(1 + n % 5) for n, key in enumerate(keys)}
    claimed[keys[1]] = 1.5
    verified = {keys[3]: 4, keys[4]: 1}
    backed = evidence.evidence_backed_scores(1, claimed, set(), verified, model)
    values = {k: evidence.evidence_backed_value(v, verified.get(k)) for k, v in claimed.items()}
    by_hand = {}
    for dimension in model.dimensions["dimension"]:
        questions = model.questions[model.questions["dimension"] == dimension]
        weights = dict(zip(questions["question"], questions["weight"], strict=True))
        total = sum(weights.values())
        by_hand[dimension] = sum(w * (values[k] - 1) / 4 * 100 for k, w in weights.items()) / total
    got = summarize(backed, 1, model)
    assert {d["key"]: d["score"] for d in got["dimensions"]} == pytest.approx(by_hand)
    assert max(values.values()) <= 4  # only verified levels above 2 survive


def test_not_applicable_questions_stay_out_of_both_layers():
    model = bank_model()
    keys = list(model.questions["question"])
    backed = evidence.evidence_backed_scores(1, {keys[0]: 1.0}, {keys[1]}, {}, model)
    plain = score(
        pd.DataFrame(
            {
                "assessment": [1, 1],
                "respondent": [1, 1],
                "question": [keys[0], keys[1]],
                "kind": ["level", "na"],
                "level": [1.0, float("nan")],
            }
        ),
        model,
        assessments=[1],
    )

    def layer(scores):
        return [
            (d["key"], d["score"], d["coverage"], d["insufficient"])
            for d in summarize(scores, 1, model)["dimensions"]
        ]

    assert layer(backed) == layer(plain)


# --- verification and both layers -------------------------------------------------------


@pytest.fixture
def claimed_high(assessment, respondent):
    """One executive claims level 4 on every question."""
    give(respondent, {key: 4 for key in questions_of(assessment)}, evidence={})
    return assessment


def test_verifying_changes_the_evidence_backed_layer_only(claimed_high, alice, erin):
    client = _client(alice)
    page = client.get(f"/assessments/{claimed_high.pk}/verification/")
    assert page.status_code == 200
    keys = list(questions_of(claimed_high))
    assert page.content.decode().count('class="card verification') == len(keys)  # all at 4
    for key in keys[:2]:
        response = client.post(
            f"/assessments/{claimed_high.pk}/verification/{key}/",
            {"level": "5", "note": "Board minutes 2026-03 seen"},
        )
        assert response.status_code == 302
    assert Verification.objects.filter(assessment=claimed_high).count() == 2

    payload = client.get(f"/api/v1/assessments/{claimed_high.pk}/scores/").json()
    assert payload["overall"]["index"] == 75.0  # claimed: untouched
    backed = payload["evidence_backed"]
    assert backed["verified_questions"] == 2
    assert backed["unverified_claims"] == len(keys) - 2
    first = backed["dimensions"][0]
    assert first["claimed"] == 75.0 and first["evidence_backed"] < 75.0
    assert backed["overall"]["index"] < payload["overall"]["index"]

    results = _client(alice).get(f"/assessments/{claimed_high.pk}/results/").content.decode()
    assert 'id="evidence-backed-table"' in results
    # Client members see both layers too, without the verification link.
    client_page = _client(erin).get(f"/assessments/{claimed_high.pk}/results/").content.decode()
    assert 'id="evidence-backed-table"' in client_page
    assert "/verification/" not in client_page


@pytest.mark.parametrize("level", ["", "0", "6", "high"])
def test_a_bad_verified_level_is_a_400_naming_the_field(claimed_high, alice, level):
    key = next(iter(questions_of(claimed_high)))
    response = _client(alice).post(
        f"/assessments/{claimed_high.pk}/verification/{key}/", {"level": level, "note": ""}
    )
    assert response.status_code == 400
    assert 'data-field="level"' in response.content.decode()
    assert not Verification.objects.exists()


# --- evidence files -----------------------------------------------------------------------


def _xlsx(payload: bytes = b"<workbook/>", bomb: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", payload)
        if bomb:
            archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (200 * 1024 * 1024))
    return buffer.getvalue()


def _upload(client, assessment, name: str, content: bytes, content_type="application/pdf"):
    key = next(iter(questions_of(assessment)))
    return client.post(
        f"/assessments/{assessment.pk}/verification/{key}/files/",
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def _stored_files(settings) -> list:
    root = settings.MEDIA_ROOT / "evidence"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return settings


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("board-minutes.png", PDF, "content is a PDF but its name ends in .png"),
        ("page.html", b"<!doctype html><script>alert(1)</script>", "not a PDF, PNG, JPEG or XLSX"),
        ("big.pdf", PDF + b"0" * (10 * 1024 * 1024), "at most 10 MB"),
        ("budget.xlsx", _xlsx(bomb=True), "zip bomb"),
    ],
    ids=["pdf-renamed-png", "html", "over-10-mb", "xlsx-zip-bomb"],
)
def test_evidence_upload_rejections_are_400s_naming_the_field_and_store_nothing(
    claimed_high, alice, media, name, content, reason
):
    response = _upload(_client(alice), claimed_high, name, content)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-field="file"' in page and reason in page
    assert not EvidenceFile.objects.exists()
    assert _stored_files(media) == []


def test_evidence_is_stored_under_a_random_name_and_downloaded_with_access_checks(
    claimed_high, alice, carol, erin, bob, media
):
    response = _upload(_client(alice), claimed_high, "Board minutes.png", PNG, "image/png")
    assert response.status_code == 302
    stored = EvidenceFile.objects.get()
    assert stored.content_type == "image/png" and stored.original_name == "Board minutes.png"
    assert "Board" not in stored.file.name and stored.file.name.startswith("evidence/")
    [path] = _stored_files(media)
    assert path.read_bytes() == PNG
    url = f"/assessments/{claimed_high.pk}/evidence/{stored.pk}/"
    for user in (alice, carol):
        download = _client(user).get(url)
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PNG
        assert download["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in download["Content-Disposition"]
    assert _client(erin).get(url).status_code == 403  # a client member without the role
    assert _client(bob).get(url).status_code == 404  # an outsider
    assert Client().get(url).status_code == 302  # anonymous: log in first
    # The verification page links the file through the download only.
    page = _client(alice).get(f"/assessments/{claimed_high.pk}/verification/").content.decode()
    assert url in page and stored.file.name not in page


def test_a_valid_xlsx_pdf_and_jpeg_are_accepted():
    assert evidence.check_file("a.xlsx", 100, _xlsx()).content_type == evidence.XLSX
    assert evidence.check_file("a.PDF", 100, PDF).content_type == "application/pdf"
    assert evidence.check_file("a.jpeg", 100, b"\xff\xd8\xff\xe0rest").extension == ".jpg"


def test_the_verification_page_lists_only_questions_valued_3_or_more(assessment, alice):
    keys = list(questions_of(assessment))
    executive = RespondentFactory(assessment=assessment)
    give(
        executive,
        {keys[0]: 3, keys[1]: 2, keys[2]: 5},
        evidence={keys[2]: "https://intranet.example/mlops-runbook"},
    )
    items = selectors.verification_items(
        assessment, selectors.assessment_scores(assessment).summary
    )
    assert [i["question"].key for i in items] == [keys[0], keys[2]]
    assert items[1]["answers"][0].evidence == "https://intranet.example/mlops-runbook"
    services.verification_set(
        assessment=assessment, question=items[0]["question"], level=2, note="", user=alice
    )
    again = selectors.verification_items(
        assessment, selectors.assessment_scores(assessment).summary
    )
    assert again[0]["verification"].level == 2
