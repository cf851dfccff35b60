"""Confidentiality of answers (DESIGN §9) on the results page, the API and the CSV/XLSX
exports: client members (CoE lead, executives) see groups of at least
CONFIDENTIALITY_MIN_GROUP submitted respondents, smaller ones merged into "Other" or
left out with a note, misalignments as counts per level, and an aggregated export that
names nobody; consultants keep the named view.

Six submitted executives: two in Plants (both COO), one in Group (CFO), three in Retail
banking (business-unit heads). By business unit: Retail banking (3) is shown, Plants (2)
and Group (1) are merged into Other (3); by role likewise.
"""

import io

import openpyxl
import pytest
from django.urls import reverse

from .answering import give, questions_of
from .factories import RespondentFactory
from .pages import attr, find, find_all, page, text

pytestmark = pytest.mark.django_db

COMMENT = "The plant data lake is a swamp"
EVIDENCE = "https://intranet.acme.example/plant-audit.pdf"
RETAIL = "Retail banking"
PEOPLE = [
    # name, email, role, title, business unit, level given to every question
    ("Zelda Quartermaine", "zelda@acme.example", "coo", "Plant Director North", "Plants", 1),
    ("Yusuf Okonkwo", "yusuf@acme.example", "coo", "Plant Controller", "Plants", 2),
    ("Ingrid Falkenrath", "ingrid@acme.example", "cfo", "Group Treasurer", "Group", 3),
    ("Hector Villanueva", "hector@acme.example", "bu_head", "Head of Retail North", RETAIL, 5),
    ("Greta Lindqvist", "greta@acme.example", "bu_head", "Head of Retail South", RETAIL, 4),
    ("Farid Haddad", "farid@acme.example", "bu_head", "Head of Retail Online", RETAIL, 5),
]  # fmt: skip
SECRETS = [value for person in PEOPLE for value in person[:2] + person[3:4]]
CLIENTS = ["carol", "erin"]  # CoE lead, executive
SOURCES = ["/assessments/{id}/exports/", "/api/v1/assessments/{id}/exports/"]
EXPORTS = [f"{d}.{f}" for d in ("aggregates", "scores") for f in ("csv", "xlsx")]


@pytest.fixture
def answered(assessment):
    questions = questions_of(assessment)
    keys = list(questions)[:12]  # enough for every section of the page, and quicker
    first = keys[0]
    for name, email, role, title, unit, level in PEOPLE:
        respondent = RespondentFactory(
            assessment=assessment,
            name=name,
            email=email,
            role=role,
            title=title,
            business_unit=unit,
        )
        plant = name.startswith("Zelda")
        give(
            respondent,
            {key: level for key in keys},
            comments={first: COMMENT} if plant else None,
            evidence={first: EVIDENCE} if plant else None,
            questions=questions,
        )
    return assessment


def _login(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    return user


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body.startswith(b"PK\x03\x04"):
        workbook = openpyxl.load_workbook(io.BytesIO(body))
        return "\n".join(
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return body.decode("utf-8-sig")


def _leaks(body: str) -> list[str]:
    return [secret for secret in SECRETS if secret in body]


def _results(client, assessment):
    response = client.get(f"/assessments/{assessment.pk}/results/")
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("who", CLIENTS)
def test_the_results_page_names_nobody_to_client_members(client, request, answered, who):
    _login(client, request, who)

    response = _results(client, answered)

    body = response.content.decode()
    assert _leaks(body) == []
    html = page(response)
    units = text(find(html, "table", id="unit-table"))
    assert "Retail banking (3)" in units
    assert "Other (3)" in units
    assert "Plants" not in units and "Group (1)" not in units
    roles = text(find(html, "table", id="role-table"))
    assert "Business-unit head (3)" in roles
    assert "Other (3)" in roles
    assert "COO" not in roles and "CFO" not in roles
    # The heatmap's embedded data carries the same groups as the table.
    assert "COO" not in text(find(html, "script", id="roles-data"))
    note = text(find(html, "p", id="unit-suppression-note"))
    assert "Groups of fewer than 3 respondents are merged into Other" in note
    assert "2 groups (3 respondents)" in note
    assert "Groups of fewer than 3" in text(find(html, "p", id="role-suppression-note"))


@pytest.mark.parametrize("who", CLIENTS)
def test_misalignments_show_how_many_chose_each_level_never_who(client, request, answered, who):
    _login(client, request, who)

    html = page(_results(client, answered))

    first = text(find(html, "ul", id="misalignments")).split("Level 1")[1]
    assert first.startswith(": 1 · Level 2: 1 · Level 3: 1 · Level 4: 1 · Level 5: 2")
    assert _leaks(text(find(html, "ul", id="misalignments"))) == []


def test_consultants_still_see_every_group_and_who_said_what(client, answered, alice):
    client.force_login(alice)

    response = _results(client, answered)

    html = page(response)
    units = text(find(html, "table", id="unit-table"))
    assert "Plants (2)" in units and "Group (1)" in units and "Other" not in units
    misalignments = text(find(html, "ul", id="misalignments"))
    assert "Plant Director North: 1" in misalignments
    assert "Head of Retail North: 5" in misalignments
    assert "unit-suppression-note" not in response.content.decode()


def test_a_group_of_three_is_shown_to_client_members(client, answered, erin):
    questions = questions_of(answered)
    third = RespondentFactory(
        assessment=answered, role="coo", title="Plant Engineer", business_unit="Plants"
    )
    give(third, {key: 3 for key in list(questions)[:12]}, questions=questions)
    client.force_login(erin)

    html = page(_results(client, answered))

    units = text(find(html, "table", id="unit-table"))
    assert "Plants (3)" in units
    assert "Retail banking (3)" in units
    # Group (1) alone is below the minimum: left out, and the note says so.
    assert "Group" not in units and "Other" not in units
    assert "left out" in text(find(html, "p", id="unit-suppression-note"))
    assert "COO (3)" in text(find(html, "table", id="role-table"))


def test_the_minimum_group_size_is_a_setting(client, answered, erin, settings):
    settings.CONFIDENTIALITY_MIN_GROUP = 2
    client.force_login(erin)

    html = page(_results(client, answered))

    units = text(find(html, "table", id="unit-table"))
    assert "Plants (2)" in units and "Retail banking (3)" in units and "Other" not in units
    assert "Group (1)" not in units


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("name", EXPORTS)
@pytest.mark.parametrize("who", CLIENTS)
def test_client_exports_name_nobody(client, request, answered, who, name, source):
    _login(client, request, who)

    response = client.get(source.format(id=answered.pk) + name)

    assert response.status_code == 200
    body = _text(response)
    assert _leaks(body) == []
    if name.startswith("aggregates"):
        # Comments and evidence are there, without who gave them.
        assert COMMENT in body and EVIDENCE in body


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("who", CLIENTS)
def test_the_named_export_is_refused_to_client_members(client, request, answered, who, fmt, source):
    _login(client, request, who)

    response = client.get(source.format(id=answered.pk) + f"answers.{fmt}")

    assert response.status_code == 403
    assert _leaks(response.content.decode(errors="replace")) == []


@pytest.mark.parametrize("who", CLIENTS)
def test_the_api_names_nobody_to_client_members(client, request, answered, who):
    _login(client, request, who)

    scores = client.get(f"/api/v1/assessments/{answered.pk}/scores/")
    answers = client.get(f"/api/v1/assessments/{answered.pk}/answers/")

    assert scores.status_code == 200
    assert _leaks(scores.content.decode()) == []
    assert answers.status_code == 403
    assert _leaks(answers.content.decode()) == []


def test_the_aggregated_export_counts_each_level_per_question(client, answered, erin):
    client.force_login(erin)

    response = client.get(f"/api/v1/assessments/{answered.pk}/exports/aggregates.xlsx")

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Aggregates"].iter_rows(values_only=True))
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[:5] == (
        "Dimension",
        "Question ID",
        "Question",
        "Value (median level)",
        "Spread (levels)",
    )
    assert first["Answered"] == 6
    assert [first[f"Level {n}"] for n in range(1, 6)] == [1, 1, 1, 1, 2]
    assert (first["Not applicable"], first["Don't know"]) == (0, 0)
    assert first["Value (median level)"] == 3.5 and first["Spread (levels)"] == 4
    assert first["Comments"] == COMMENT and first["Evidence"] == EVIDENCE
    assert len(rows) - 1 == len(questions_of(answered))


def test_consultants_keep_the_named_export(client, answered, alice):
    client.force_login(alice)

    response = client.get(f"/assessments/{answered.pk}/exports/answers.csv")

    assert response.status_code == 200
    body = _text(response)
    assert "Zelda Quartermaine" in body and "zelda@acme.example" in body


@pytest.mark.parametrize(
    ("who", "datasets"),
    [("alice", ["answers", "aggregates", "scores"]), ("carol", ["aggregates", "scores"]),
     ("erin", ["aggregates", "scores"])],
)  # fmt: skip
def test_the_page_offers_each_role_the_exports_it_may_have(
    client, request, answered, who, datasets
):
    _login(client, request, who)

    html = page(_results(client, answered))

    anchors = find_all(find(html, "ul", id="exports"), "a")
    # A consultant's links pass the quality checks first (…/answers.csv/check/).
    links = [attr(a, "href").removesuffix("/check/").rsplit("/", 1)[1] for a in anchors]
    assert links == [f"{d}.{f}" for d in datasets for f in ("csv", "xlsx")]


def test_the_welcome_page_says_who_will_see_what(client, respondent):
    response = client.get(reverse("respond:welcome", args=[respondent.token]))

    assert response.status_code == 200
    notice = text(find(page(response), "section", id="who-sees-what"))
    assert "consultants" in notice and "with their name" in notice
    assert "groups of at least 3 respondents" in notice
    assert "without your name or title" in notice
