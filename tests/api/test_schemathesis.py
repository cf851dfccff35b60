"""Property-based run of every operation of the OpenAPI schema (schemathesis, in-process
through WSGI), 50 derandomized generated examples each plus schemathesis' coverage cases,
in three ways, then a stateful phase (sequences of calls following the links schemathesis
infers from the schema: create, then read, change, delete what was created):

- as a consultant (token credentials) of organizations with data to find: two generated
  cases in three with valid path parameters get ids of real objects instead (and real
  ids for "organization", "assessment"... in their body or query), so that reads and
  writes reach them rather than 404;
- as a respondent: the questionnaire endpoints with real invitation tokens in the path;
  every other operation with the respondent's token presented as credentials, which
  must be refused (401, 403 or 404, never 2xx);
- anonymously (no credentials, or ones schemathesis made up): every operation that
  declares authentication answers 401 with the token challenge.

Every response is checked: no 5xx, a documented status code, content type and body;
for the consultant, an accepted request is sent again without credentials and with
invalid ones, which must be refused (schemathesis' ignored_auth).

The data is built once for the module, and every example runs in a savepoint that is
rolled back: each example of each operation sees the same data, whatever the others
wrote or deleted, so the run is deterministic and a failure replays (and shrinks) alike.
"""

import io
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

import pytest
import schemathesis
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    ignored_auth,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.parameters import ParameterLocation

from assessments import services as assessment_services
from assessments.models import Question, QuestionBank
from benchmarks.models import OrganizationBaseline
from organizations.models import Membership, Role
from reports.models import ReportRequest, ReportStatus
from roadmap import services as roadmap_services
from tests.answering import give
from tests.conftest import BANK_VERSION
from tests.factories import (
    AssessmentFactory,
    MembershipFactory,
    OrganizationFactory,
    RespondentFactory,
    UserFactory,
)
from tests.roadmap.conftest import answer_all

# Not in `make test`: run with `make fuzz` (pytest -m fuzz), and in CI.
pytestmark = pytest.mark.fuzz


def _schema():
    """The schema /api/schema/ serves, built without a request (no database at import)."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()
RESPOND = "/api/v1/respond/"  # the questionnaire: the invitation token is the credential
SETTINGS = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,  # the same examples on every run
    database=None,
    suppress_health_check=list(HealthCheck),
)
CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
PDF = b"%PDF-1.7\n% stand-in\n"
PASSWORD = "correct horse battery staple"  # tests/factories.py
# Login throttling counts failures in the cache: this module's own, emptied before every
# example, so that the token endpoint's examples do not lock each other (or, through the
# shared Redis, other tests and runs) out.
LOCAL_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "schemathesis",
    }
}


# --- the data -------------------------------------------------------------------------


@dataclass
class World:
    consultant: str  # API token of alice, consultant of Acme and Initech
    respondent: str  # invitation token of an Acme respondent still answering
    # Path parameter -> the real values it may take, each a dict of path parameters
    # (a respondent comes with its assessment, a membership with its organization).
    targets: dict = field(default_factory=dict)
    # Body or query field -> the real values it may take.
    references: dict = field(default_factory=dict)


WORLD: list[World] = []  # the module's world, read while examples are drawn


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> World:
    """Built once, inside a transaction rolled back at the end of the module.

    The API is called in-process through WSGI, on this thread's database connection;
    Django closes that connection at the start and end of a request when it is inside a
    transaction (close_old_connections), so, as Django's test client does, that handler
    is disconnected meanwhile."""
    media = tmp_path_factory.mktemp("media")
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(MEDIA_ROOT=media, CACHES=LOCAL_CACHE),
            transaction.atomic(),
        ):
            WORLD.append(_build_world(media))
            yield WORLD[0]
            WORLD.clear()
            transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@contextmanager
def example():
    """One example's requests, in a savepoint rolled back afterwards."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _member(organization, role, username):
    return MembershipFactory(
        organization=organization, role=role, user=UserFactory(username=username)
    ).user


def _build_world(media: Path) -> World:
    """Acme: an open assessment (one respondent submitted, three still answering), a
    closed one, a roadmap with its milestones, use cases, baselines, a pending and a
    ready report. Initech (alice is its consultant too): a submitted assessment and no
    roadmap yet, to start one. Globex (not alice's): an assessment and a use case."""
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    bank = QuestionBank.objects.get(version=BANK_VERSION)
    acme = OrganizationFactory(name="Acme Industries")
    alice = _member(acme, Role.CONSULTANT, "alice")
    carol = _member(acme, Role.COE_LEAD, "carol")
    _member(acme, Role.EXECUTIVE, "erin")
    initech = OrganizationFactory(name="Initech")
    MembershipFactory(organization=initech, user=alice, role=Role.CONSULTANT)
    globex = OrganizationFactory(name="Globex Corporation")
    bob = _member(globex, Role.CONSULTANT, "bob")

    assessment = AssessmentFactory(organization=acme, bank=bank, created_by=alice)
    submitted = RespondentFactory(assessment=assessment, name="Morgan Chen")
    answer_all(submitted, 3)
    keys = list(Question.objects.filter(bank=bank).values_list("key", flat=True))
    pending = [
        RespondentFactory(assessment=assessment, name=f"Pending {n}", email=f"p{n}@acme.example")
        for n in range(3)
    ]
    for answering in pending:
        give(answering, dict.fromkeys(keys[:5], 2), submit=False)
    closed = AssessmentFactory(organization=acme, bank=bank, created_by=alice)
    closed_respondent = RespondentFactory(assessment=closed, email="cfo@acme.example")
    answer_all(closed_respondent, 2)
    assessment_services.assessment_close(assessment=closed)
    initechs = RespondentFactory(
        assessment=AssessmentFactory(organization=initech, bank=bank, created_by=alice)
    )
    answer_all(initechs, 4)
    theirs = RespondentFactory(
        assessment=AssessmentFactory(organization=globex, bank=bank, created_by=bob)
    )
    answer_all(theirs, 4)

    roadmap = roadmap_services.roadmap_create(
        assessment=assessment, start_date=date(2026, 1, 1), user=carol
    )
    use_cases = [
        roadmap_services.use_case_create(
            organization=acme,
            user=carol,
            data={"name": "Invoice matching", "stage": "production", "cost_reduction_actual": 18},
        ),
        roadmap_services.use_case_create(
            organization=acme, user=carol, data={"name": "Demand forecasting"}
        ),
        roadmap_services.use_case_create(
            organization=globex, user=bob, data={"name": "Fraud detection"}
        ),
    ]
    OrganizationBaseline.objects.create(
        organization=acme, annual_revenue=5_000_000, annual_operating_cost=2_000_000
    )
    pending_report = ReportRequest.objects.create(assessment=assessment, kind="full_assessment")
    ready = ReportRequest.objects.create(assessment=closed, kind="executive_summary")
    (media / "reports").mkdir()
    (media / "reports" / f"{ready.pk}.pdf").write_bytes(PDF)
    ReportRequest.objects.filter(pk=ready.pk).update(
        status=ReportStatus.READY,
        file=f"reports/{ready.pk}.pdf",
        pages=2,
        size=len(PDF),
        attempts=1,
        finished_at=timezone.now(),
    )

    # Hypothesis favours the first values: alice's own objects come first.
    organizations = [acme.pk, initech.pk, globex.pk]
    assessments = [assessment.pk, closed.pk, initechs.assessment_id, theirs.assessment_id]
    respondents = [*pending, submitted, closed_respondent, initechs, theirs]
    memberships = Membership.objects.filter(organization=acme).order_by("-role")
    return World(
        consultant=Token.objects.create(user=alice).key,
        respondent=pending[0].token,
        targets={
            "organization_id": [{"organization_id": pk} for pk in organizations],
            "membership_id": [
                {"organization_id": acme.pk, "membership_id": m.pk} for m in memberships
            ],
            "assessment_id": [{"assessment_id": pk} for pk in assessments],
            "respondent_id": [
                {"assessment_id": r.assessment_id, "respondent_id": r.pk} for r in respondents
            ],
            "roadmap_id": [{"roadmap_id": roadmap.pk}],
            "milestone_id": [
                {"milestone_id": pk}
                for pk in roadmap.milestones.order_by("pk").values_list("pk", flat=True)[:4]
            ],
            "use_case_id": [{"use_case_id": u.pk} for u in use_cases],
            "report_id": [{"report_id": r.pk} for r in (ready, pending_report)],
            "token": [{"token": r.token} for r in [*pending, submitted]],
            "question_key": [{"question_key": key} for key in keys],
        },
        references={
            "organization": organizations,
            "assessment": assessments,
            "respondent": [r.pk for r in respondents],
            # Valid values for fields with more rules than their schema says.
            "start_date": ["2026-03-01"],  # from 2000 to 2100
            "due_date": ["2026-06-30"],
            "username": ["alice"],
            "password": [PASSWORD],
        },
    )


# --- aiming generated cases at real objects ---------------------------------------------

CHILDREN = ("respondent_id", "membership_id")  # their targets carry their parent's id


def _aimed(case, targets: list[dict], references: dict):
    """A copy of `case` with the drawn real path parameters, and real values for the
    body and query fields that have some, where the generated value has their type."""
    aimed = case.derive(keep_auth=True)
    # Children last: a respondent's own assessment replaces one drawn on its own.
    drawn = {name: value for target in targets for name, value in target.items()}
    aimed.path_parameters = {**case.path_parameters, **drawn}
    for container in ("body", "query"):
        values = getattr(aimed, container)
        if isinstance(values, dict):
            setattr(aimed, container, {k: _real(v, references.get(k)) for k, v in values.items()})
    return aimed


def _real(generated, real):
    # `type() is`: True is no id, although an int.
    return real if real is not None and type(generated) is type(real) else generated


def _aim(case, *, always: bool = False):
    """Two cases in three with valid path parameters (all with `always`) go to real
    objects; the others keep what was generated, which mostly finds nothing. Invalid
    path parameters are left alone: they are what a negative case tests."""
    if _unroutable(case):
        return st.just(case)
    world = WORLD[0]
    names = sorted(
        (name for name in case.path_parameters if name in world.targets),
        key=lambda name: name in CHILDREN,
    )
    aimed = st.builds(
        partial(_aimed, case),
        st.tuples(*(st.sampled_from(world.targets[name]) for name in names)).map(list),
        st.fixed_dictionaries({k: st.sampled_from(v) for k, v in world.references.items()}),
    )
    if always:
        return aimed
    # Hypothesis favours the first choice.
    return st.sampled_from([True, True, False]).flatmap(
        lambda real: aimed if real else st.just(case)
    )


def flatmap_case(context, case):
    return _aim(case)


def flatmap_respondent_case(context, case):
    # The questionnaire endpoints are only worth calling with a real token; every other
    # operation, as for the consultant, mostly with real objects the token must not reach.
    return _aim(case, always=case.path.startswith(RESPOND))


# --- the runs ---------------------------------------------------------------------------


TOKEN = "/api/v1/auth/token/"


def secured(case) -> bool:
    """Every operation but the questionnaire's and the token endpoint needs credentials.
    Said here rather than read from the schema, which an operation opened by mistake
    would change too (tests/api/test_auth_and_schema.py pins the schema's side)."""
    return not (case.path.startswith(RESPOND) or case.path == TOKEN)


@schema.hooks.apply(flatmap_case)
@schema.parametrize()
@SETTINGS
def test_as_a_consultant(case, world, db):
    with example():
        case.call_and_validate(
            headers={"Authorization": f"Token {world.consultant}"},
            checks=[*CONFORMANCE, ignored_auth],
        )


def respondent_token_refused(ctx, response, case):
    """A respondent's invitation token is no API credential."""
    if secured(case) and not (response.status_code == 400 and _unroutable(case)):
        assert response.status_code in (401, 403, 404), (
            f"{case.operation.label} answered {response.status_code} to a respondent's token"
        )


@schema.hooks.apply(flatmap_respondent_case, name="flatmap_case")
@schema.parametrize()
@SETTINGS
def test_as_a_respondent(case, world, db):
    headers = {"Authorization": f"Token {world.respondent}"}
    if case.path.startswith(RESPOND):
        headers = {}  # the token is in the path
    with example():
        case.call_and_validate(headers=headers, checks=[*CONFORMANCE, respondent_token_refused])


def anonymous_refused(ctx, response, case):
    """Without valid credentials, 401 with the token challenge and the one error format.
    A path no route matches (no number) is a 404, and an id out of range a 400 naming it
    (config/bounds.py), before any of that."""
    if not secured(case) or (response.status_code in (400, 404) and _unroutable(case)):
        return
    assert response.status_code == 401, f"{case.operation.label}: {response.status_code}"
    assert response.headers.get("www-authenticate") == ["Token"], response.headers
    body = response.json()
    assert set(body) == {"errors"} and body["errors"], body


def _unroutable(case) -> bool:
    return case.meta is not None and case.meta.is_negative_at(ParameterLocation.PATH)


@schema.hooks.apply(flatmap_case)
@schema.parametrize()
@SETTINGS
def test_anonymously(case, world, db):
    with example():
        case.call_and_validate(checks=[*CONFORMANCE, anonymous_refused])


# --- the stateful phase: sequences of calls that follow the schema's links ---------------

STATEFUL_SETTINGS = settings(
    max_examples=25,
    stateful_step_count=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


class ConsultantWorkflow(schema.as_state_machine()):
    """As a consultant: create an object (an organization, an assessment, a roadmap's
    milestone, a use case, a report...), then follow the links of its response to read,
    change and delete it. Each sequence runs in a savepoint rolled back at its end."""

    def setup(self):
        cache.clear()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()

    def teardown(self):
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    def get_call_kwargs(self, case):
        return {"headers": {"Authorization": f"Token {WORLD[0].consultant}"}}

    def validate_response(self, response, case, additional_checks=(), **kwargs):
        case.validate_response(response, checks=CONFORMANCE)


def test_stateful_sequences_follow_the_links(world, db):
    # The links are inferred by schemathesis from the schema (a created object's id to
    # the operations that take it in their path).
    assert schema.statistic.transitions.total > 0, "the schema has no links to follow"
    ConsultantWorkflow.run(settings=STATEFUL_SETTINGS)
