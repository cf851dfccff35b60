"""Respondent API: the invitation token in the URL is the only credential; every refusal
uses one error format and leaves the stored answers as they were."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from assessments import services
from assessments.bank import DIMENSION_KEYS
from assessments.models import Answer, Assessment, Question
from tests.factories import RespondentFactory

pytestmark = pytest.mark.django_db

NOT_NA = "di_quality"  # allow_na: false
WITH_NA = "di_realtime"  # allow_na: true


def _url(token: str, key: str | None = None) -> str:
    if key is None:
        return f"/api/v1/respond/{token}/"
    return f"/api/v1/respond/{token}/answers/{key}/"


def put(client: Client, token: str, key: str, body, *, content_type="application/json"):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.put(_url(token, key), data, content_type=content_type)


def submit(client: Client, token: str):
    return client.post(f"/api/v1/respond/{token}/submit/")


def _answer(respondent, key: str) -> Answer | None:
    return Answer.objects.filter(respondent=respondent, question__key=key).first()


def _snapshot(respondent, key: str):
    answer = _answer(respondent, key)
    if answer is None:
        return None
    return (answer.kind, answer.level, answer.comment, answer.evidence, answer.updated_at)


def _save(respondent, key: str, value, **extra) -> Answer:
    question = Question.objects.get(bank=respondent.assessment.bank, key=key)
    return services.answer_save(respondent=respondent, question=question, value=value, **extra)


def _only_error(response) -> dict:
    body = response.json()
    assert set(body) == {"errors"}
    assert len(body["errors"]) == 1
    error = body["errors"][0]
    assert set(error) == {"field", "code", "message"}
    assert error["message"]
    return error


# --- reading --------------------------------------------------------------------------


def test_it_returns_the_questionnaire_with_every_dimension_and_question(client, respondent):
    response = client.get(_url(respondent.token))

    assert response.status_code == 200
    body = response.json()
    assert body["assessment"] == respondent.assessment.pk
    assert body["bank_version"] == "2026.1"
    assert body["respondent"] == "Morgan Chen"
    assert body["submitted"] is False
    assert [d["key"] for d in body["dimensions"]] == list(DIMENSION_KEYS)
    questions = {q["key"]: q for d in body["dimensions"] for q in d["questions"]}
    assert len(questions) == Question.objects.filter(bank=respondent.assessment.bank).count()
    quality = questions[NOT_NA]
    assert set(quality) >= {"key", "text", "levels", "allow_na", "help"}
    assert len(quality["levels"]) == 5
    assert quality["allow_na"] is False
    assert questions[WITH_NA]["allow_na"] is True
    assert body["answers"] == []


def test_the_questionnaire_includes_the_saved_answers(client, respondent):
    _save(respondent, NOT_NA, 4, comment="Finance only", evidence="https://wiki.example/dq")
    _save(respondent, WITH_NA, "na")

    answers = client.get(_url(respondent.token)).json()["answers"]

    by_key = {a["question"]: a for a in answers}
    assert by_key[NOT_NA]["value"] == 4
    assert by_key[NOT_NA]["comment"] == "Finance only"
    assert by_key[NOT_NA]["evidence"] == "https://wiki.example/dq"
    assert by_key[WITH_NA]["value"] == "na"


# --- saving ---------------------------------------------------------------------------


def test_put_saves_an_answer_and_returns_it(client, respondent):
    response = put(client, respondent.token, NOT_NA, {"value": 3, "comment": "Improving"})

    assert response.status_code == 200
    body = response.json()
    assert body["question"] == NOT_NA
    assert body["value"] == 3
    assert body["comment"] == "Improving"
    assert body["evidence"] == ""
    assert body["updated_at"]
    answer = _answer(respondent, NOT_NA)
    assert (answer.kind, answer.level, answer.comment) == ("level", 3, "Improving")


@pytest.mark.parametrize(
    ("key", "value", "kind", "level"),
    [
        (NOT_NA, 1, "level", 1),
        (NOT_NA, 5, "level", 5),
        (NOT_NA, "dont_know", "dont_know", None),
        (WITH_NA, "na", "na", None),
    ],
)
def test_put_accepts_every_kind_of_answer(client, respondent, key, value, kind, level):
    response = put(client, respondent.token, key, {"value": value})

    assert response.status_code == 200
    assert response.json()["value"] == value
    answer = _answer(respondent, key)
    assert (answer.kind, answer.level) == (kind, level)


def test_a_second_put_updates_the_same_answer(client, respondent):
    put(client, respondent.token, NOT_NA, {"value": 2})

    response = put(client, respondent.token, NOT_NA, {"value": 4})

    assert response.status_code == 200
    assert Answer.objects.filter(respondent=respondent).count() == 1
    assert _answer(respondent, NOT_NA).level == 4


def test_leaving_out_the_comment_keeps_it_and_an_empty_one_clears_it(client, respondent):
    put(client, respondent.token, NOT_NA, {"value": 2, "comment": "Keep me", "evidence": "doc"})

    put(client, respondent.token, NOT_NA, {"value": 3})
    answer = _answer(respondent, NOT_NA)
    assert (answer.level, answer.comment, answer.evidence) == (3, "Keep me", "doc")

    put(client, respondent.token, NOT_NA, {"value": 3, "comment": ""})
    answer = _answer(respondent, NOT_NA)
    assert (answer.comment, answer.evidence) == ("", "doc")


@pytest.mark.parametrize(
    "comment",
    [
        "Good progress 🚀👍🏽",
        "שלום, هذا تعليق من اليمين إلى اليسار",
        "数据质量需要改进。データ品質。데이터 품질",
    ],
    ids=["emoji", "rtl", "cjk"],
)
def test_a_unicode_comment_is_saved_intact(client, respondent, comment):
    response = put(client, respondent.token, NOT_NA, {"value": 3, "comment": comment})

    assert response.status_code == 200
    assert response.json()["comment"] == comment
    assert _answer(respondent, NOT_NA).comment == comment
    assert client.get(_url(respondent.token)).json()["answers"][0]["comment"] == comment


# --- refusals -------------------------------------------------------------------------

BAD_BODIES = [
    ("value_0", {"value": 0}, "value", "out_of_range"),
    ("value_6", {"value": 6}, "value", "out_of_range"),
    ("value_string_3", {"value": "3"}, "value", "invalid"),
    ("value_true", {"value": True}, "value", "invalid_type"),
    ("value_2_5", {"value": 2.5}, "value", "invalid"),
    ("value_null", {"value": None}, "value", "required"),
    ("value_list", {"value": []}, "value", "invalid"),
    ("value_object", {"value": {}}, "value", "invalid"),
    ("value_missing", {"comment": "no value"}, "value", "required"),
    ("unknown_field", {"value": 3, "score": 4}, "score", "unknown_field"),
    ("comment_2001_chars", {"value": 3, "comment": "x" * 2001}, "comment", "max_length"),
    ("comment_nul_byte", {"value": 3, "comment": "a\x00b"}, "comment", "null_characters"),
    ("evidence_number", {"value": 3, "evidence": 42}, "evidence", "invalid_type"),
    ("na_not_allowed", {"value": "na"}, "value", "na_not_allowed"),
    ("not_json", '{"value": 3', None, "parse_error"),
    ("json_list", "[3]", None, "invalid"),
    ("json_string", '"3"', None, "invalid"),
]


@pytest.mark.parametrize("answered_before", [False, True], ids=["new", "existing"])
@pytest.mark.parametrize(
    ("body", "field", "code"),
    [pytest.param(body, field, code, id=name) for name, body, field, code in BAD_BODIES],
)
def test_a_bad_answer_is_refused_with_400_and_nothing_is_saved(
    client, respondent, answered_before, body, field, code
):
    if answered_before:
        _save(respondent, NOT_NA, 2, comment="Before", evidence="Old note")
    before = _snapshot(respondent, NOT_NA)

    response = put(client, respondent.token, NOT_NA, body)

    assert response.status_code == 400
    error = _only_error(response)
    assert (error["field"], error["code"]) == (field, code)
    assert _snapshot(respondent, NOT_NA) == before


def test_a_form_encoded_body_is_refused_without_a_server_error(client, respondent):
    response = put(
        client,
        respondent.token,
        NOT_NA,
        "value=3&comment=hello",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code in (400, 415)
    assert _only_error(response)["code"] in ("unsupported_media_type", "parse_error")
    assert _answer(respondent, NOT_NA) is None


def test_a_huge_number_is_refused_with_400(client, respondent):
    response = put(client, respondent.token, NOT_NA, '{"value": ' + "9" * 5000 + "}")

    assert response.status_code == 400
    assert _answer(respondent, NOT_NA) is None


def test_an_unknown_question_is_404(client, respondent):
    response = put(client, respondent.token, "no_such_question", {"value": 3})

    assert response.status_code == 404
    assert _only_error(response)["code"] == "not_found"
    assert not Answer.objects.exists()


def _unknown(respondent) -> str:
    return "not-a-real-token-" + respondent.token[:8]


def _expired(respondent) -> str:
    respondent.token_expires_at = timezone.now() - timedelta(minutes=1)
    respondent.save()
    return respondent.token


def _revoked(respondent) -> str:
    services.respondent_revoke(respondent=respondent)
    return respondent.token


@pytest.mark.parametrize(
    "spoil", [_unknown, _expired, _revoked], ids=["unknown", "expired", "revoked"]
)
def test_an_unusable_link_finds_nothing(client, respondent, spoil):
    _save(respondent, NOT_NA, 2)
    before = _snapshot(respondent, NOT_NA)
    token = spoil(respondent)

    responses = [
        client.get(_url(token)),
        put(client, token, NOT_NA, {"value": 5}),
        put(client, token, WITH_NA, {"value": 5}),
        submit(client, token),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert all(_only_error(r)["code"] == "not_found" for r in responses)
    assert _snapshot(respondent, NOT_NA) == before
    assert Answer.objects.count() == 1
    respondent.refresh_from_db()
    assert respondent.submitted_at is None


def test_a_token_with_a_nul_byte_is_404_not_a_server_error(client, respondent):
    assert client.get("/api/v1/respond/%00/").status_code == 404
    assert put(client, respondent.token, "di%00quality", {"value": 3}).status_code == 404


# --- submitting -----------------------------------------------------------------------


def test_submit_locks_the_answers(client, respondent):
    put(client, respondent.token, NOT_NA, {"value": 3})

    response = submit(client, respondent.token)

    assert response.status_code == 200
    assert response.json()["submitted"] is True
    respondent.refresh_from_db()
    assert respondent.is_submitted
    assert client.get(_url(respondent.token)).json()["submitted"] is True


def test_after_submitting_answers_cannot_change_or_be_submitted_again(client, respondent):
    put(client, respondent.token, NOT_NA, {"value": 3, "comment": "Final"})
    submit(client, respondent.token)
    before = _snapshot(respondent, NOT_NA)

    changed = put(client, respondent.token, NOT_NA, {"value": 5, "comment": "Changed my mind"})
    added = put(client, respondent.token, WITH_NA, {"value": 2})
    again = submit(client, respondent.token)

    assert (changed.status_code, added.status_code, again.status_code) == (409, 409, 409)
    assert _only_error(changed)["code"] == "conflict"
    assert "submitted" in _only_error(changed)["message"]
    assert _snapshot(respondent, NOT_NA) == before
    assert _answer(respondent, WITH_NA) is None


def test_submitting_with_no_answer_is_refused(client, respondent):
    response = submit(client, respondent.token)

    assert response.status_code == 400
    assert _only_error(response)["code"] == "empty"
    respondent.refresh_from_db()
    assert respondent.submitted_at is None


def test_a_closed_assessment_takes_no_more_answers(client, respondent, assessment):
    _save(respondent, NOT_NA, 2)
    other = RespondentFactory(assessment=assessment)
    _save(other, NOT_NA, 4)
    services.respondent_submit(respondent=other)
    services.assessment_close(assessment=assessment)
    before = _snapshot(respondent, NOT_NA)

    changed = put(client, respondent.token, NOT_NA, {"value": 5})
    submitted = submit(client, respondent.token)

    assert (changed.status_code, submitted.status_code) == (409, 409)
    assert "closed" in _only_error(changed)["message"]
    assert _snapshot(respondent, NOT_NA) == before
    respondent.refresh_from_db()
    assert respondent.submitted_at is None
    assert Assessment.objects.get(pk=assessment.pk).status == "closed"


# --- isolation ------------------------------------------------------------------------


def test_a_token_reads_and_writes_only_its_own_answers(client, respondent, assessment):
    colleague = RespondentFactory(assessment=assessment, name="Priya Natarajan")
    _save(colleague, NOT_NA, 1, comment="Colleague's view")
    colleague_before = _snapshot(colleague, NOT_NA)

    put(client, respondent.token, NOT_NA, {"value": 5, "comment": "Mine"})
    body = client.get(_url(respondent.token)).json()

    assert body["respondent"] == "Morgan Chen"
    assert [(a["question"], a["value"], a["comment"]) for a in body["answers"]] == [
        (NOT_NA, 5, "Mine")
    ]
    assert _snapshot(colleague, NOT_NA) == colleague_before
    assert Answer.objects.filter(respondent=respondent).count() == 1


def test_a_token_of_another_organization_does_not_reach_this_one(
    client, respondent, other_respondent
):
    _save(respondent, NOT_NA, 2)

    put(client, other_respondent.token, NOT_NA, {"value": 5})
    body = client.get(_url(other_respondent.token)).json()

    assert body["assessment"] == other_respondent.assessment.pk
    assert body["assessment"] != respondent.assessment.pk
    assert [a["value"] for a in body["answers"]] == [5]
    assert _answer(respondent, NOT_NA).level == 2


def test_no_session_or_csrf_token_is_needed(respondent):
    strict = Client(enforce_csrf_checks=True)

    saved = put(strict, respondent.token, NOT_NA, {"value": 3})
    submitted = submit(strict, respondent.token)

    assert (saved.status_code, submitted.status_code) == (200, 200)
    assert _answer(respondent, NOT_NA).level == 3


def test_being_logged_in_elsewhere_gains_nothing(client, respondent, bob):
    _save(respondent, NOT_NA, 2)
    before = _snapshot(respondent, NOT_NA)
    _revoked(respondent)
    client.force_login(bob)

    responses = [
        client.get(_url(respondent.token)),
        put(client, respondent.token, NOT_NA, {"value": 5}),
        submit(client, respondent.token),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert _snapshot(respondent, NOT_NA) == before
