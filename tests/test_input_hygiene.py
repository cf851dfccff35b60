"""The input hygiene layer (common/input_hygiene.py), through the endpoints the probes broke:
deep JSON, lone surrogates, NUL and control characters never reach a view as a 500, and
text stored before the layer existed never breaks an export."""

import io
import json

import openpyxl
import pytest
from django.core.cache import cache

from assessments.models import Answer, Question
from common.input_hygiene import MAX_JSON_DEPTH, json_depth, printable
from organizations import throttling
from tests.answering import give

pytestmark = pytest.mark.django_db


def _deep(levels: int) -> str:
    return '{"value": ' + "[" * levels + "1" + "]" * levels + "}"


def _question(respondent) -> Question:
    return Question.objects.filter(bank=respondent.assessment.bank).order_by("position").first()


def _put_answer(client, respondent, raw: str):
    url = f"/api/v1/respond/{respondent.token}/answers/{_question(respondent).key}/"
    return client.put(url, raw, content_type="application/json")


def _error(response) -> dict:
    body = response.json()
    assert len(body["errors"]) == 1, body
    return body["errors"][0]


def test_json_depth_ignores_brackets_inside_strings():
    assert json_depth(b'{"a": "[[[[{{{{"}') == 1
    assert json_depth(b'[[1], [[2]], "\\"[["]') == 3
    assert json_depth(b"3") == 0


@pytest.mark.parametrize(
    "path", ["/api/v1/auth/token/", "/api/v1/respond/{token}/answers/{key}/", "/api/v1/roadmaps/"]
)
def test_json_nested_a_thousand_deep_is_a_400_naming_the_problem(client, respondent, alice, path):
    client.force_login(alice)
    url = path.format(token=respondent.token, key=_question(respondent).key)
    response = client.generic(
        "PUT" if "answers" in url else "POST", url, _deep(1000), content_type="application/json"
    )
    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "too_deep"
    assert str(MAX_JSON_DEPTH) in error["message"]


def test_json_at_the_depth_limit_reaches_the_view(client, respondent):
    response = _put_answer(client, respondent, _deep(MAX_JSON_DEPTH - 1))
    assert response.status_code == 400
    assert _error(response)["code"] != "too_deep"  # the view's own refusal of a list value


def test_a_lone_surrogate_in_an_answer_is_a_400_naming_the_field(client, respondent):
    response = _put_answer(client, respondent, '{"value": 3, "comment": "a\\ud800b"}')
    assert response.status_code == 400
    assert _error(response) | {"message": ""} == {
        "field": "comment",
        "code": "surrogate",
        "message": "",
    }
    assert not Answer.objects.filter(respondent=respondent).exists()


def test_a_lone_surrogate_on_the_token_endpoint_is_a_400(client, alice):
    response = client.post(
        "/api/v1/auth/token/", '{"username": "\\udfff", "password": "x"}', "application/json"
    )
    assert response.status_code == 400
    assert _error(response)["field"] == "username"


def test_a_nul_in_the_username_is_a_400_even_once_the_address_is_locked(client, alice):
    policy = throttling.Policy.from_settings()
    for _ in range(policy.address_limit):
        throttling.register_failure(cache, f"user{_}", "127.0.0.1", policy)
    for body in ({"username": "al\x00ice", "password": "x"}, "username=al%00ice&password=x"):
        if isinstance(body, dict):
            response = client.post("/api/v1/auth/token/", json.dumps(body), "application/json")
        else:
            response = client.post("/api/v1/auth/token/", body, "application/x-www-form-urlencoded")
        assert response.status_code == 400
        assert _error(response)["code"] == "null_characters"
    throttling.reset(cache, "alice", "127.0.0.1")


def test_a_control_character_in_the_api_is_refused_with_the_field_named(client, respondent):
    response = _put_answer(client, respondent, '{"value": 3, "comment": "ring \\u0007 bell"}')
    assert response.status_code == 400
    error = _error(response)
    assert (error["field"], error["code"]) == ("comment", "control_character")
    assert "U+0007" in error["message"]


def test_tabs_and_line_breaks_are_text(client, respondent):
    response = _put_answer(client, respondent, '{"value": 3, "comment": "one\\ttwo\\r\\nthree"}')
    assert response.status_code == 200, response.content
    assert Answer.objects.get(respondent=respondent).comment == "one\ttwo\r\nthree"


def test_an_infinite_number_is_a_400(client, respondent):
    for raw in ('{"value": 1e999}', '{"value": NaN}'):
        response = _put_answer(client, respondent, raw)
        assert response.status_code == 400, raw


def test_a_page_form_strips_control_characters_from_the_comment(client, respondent):
    question = _question(respondent)
    response = client.post(
        f"/r/{respondent.token}/q/{question.key}/",
        {f"{question.key}-value": "3", f"{question.key}-comment": "ring\x07 \x1b[31mred"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200, response.content
    assert Answer.objects.get(respondent=respondent).comment == "ring [31mred"


def test_a_nul_in_a_page_form_is_an_error_naming_the_field(client, respondent):
    question = _question(respondent)
    response = client.post(
        f"/r/{respondent.token}/q/{question.key}/",
        {f"{question.key}-value": "3", f"{question.key}-comment": "a\x00b"},
    )
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert not Answer.objects.filter(respondent=respondent).exists()


def test_a_control_character_in_a_query_string_or_path_never_reaches_a_view(client, alice):
    client.force_login(alice)
    response = client.get("/api/v1/assessments/", {"organization": "1\x00"})
    assert response.status_code == 400
    assert _error(response)["field"] == "organization"
    assert client.get("/api/v1/respond/ab%00cd/").status_code == 404


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_exports_never_fail_on_text_stored_before_the_checks(
    client, alice, assessment, respondent, file_format
):
    respondent.title = "Chief\x1b[1m Officer\x0b\x7f"  # no database takes NUL or surrogates
    respondent.save()
    give(respondent, {_question(respondent).key: 3})
    Answer.objects.filter(respondent=respondent).update(comment="=cmd\x07|calc")
    assessment.title = "Q3\x07 review"
    assessment.save()
    client.force_login(alice)
    for dataset in ("answers", "aggregates", "scores"):
        for prefix in ("/assessments", "/api/v1/assessments"):
            url = f"{prefix}/{assessment.pk}/exports/{dataset}.{file_format}"
            response = client.get(url)
            assert response.status_code == 200, (url, response.content[:300])
    response = client.get(f"/api/v1/assessments/{assessment.pk}/exports/answers.{file_format}")
    if file_format == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    else:
        cells = response.content.decode("utf-8-sig").split(",")
    assert any("Chief[1m Officer" in c for c in cells)
    assert any(c.startswith("'=cmd|calc") for c in cells)
    assert all(printable(c) == c for c in cells)
