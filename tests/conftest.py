"""Shared fixtures: the real question bank, and alice (consultant), carol (CoE lead),
erin (executive) of one organization, with bob as a consultant of another.

The reference data (question banks, roadmap and benchmarks: `load_reference_data`) is
loaded once, into the test database when it is created, and every test starts with it:
an ordinary test runs in a transaction rolled back afterwards, so it stays; a test with
`transaction=True` (live server, worker) ends with a flush of the whole database, after
which the rows the first load wrote are put back (a copy taken after that load: parsing
and checking the files again would cost seconds after each such test). A test that
needs no reference data at all asks for `no_reference_data`. Tests marked `fuzz` run
only when `-m` names them (`make fuzz`).
"""

import gc
import re
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import translation

from assessments.models import Dimension, Question, QuestionBank
from benchmarks.models import BenchmarkReferenceData
from config.celery_app import app as celery_app
from organizations.models import Role
from roadmap.models import RoadmapReferenceData

from .factories import (
    AssessmentFactory,
    MembershipFactory,
    OrganizationFactory,
    RespondentFactory,
    UserFactory,
)

BANK_VERSION = "2026.1"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


@pytest.fixture(autouse=True)
def english_unless_asked():
    """Every test starts in English: a German request leaves its language active in the
    thread (LocaleMiddleware never switches back), which must not reach the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    """Compile a German catalogue newer than its .mo (as `make test` does), so a suite
    run straight after `git pull` never tests yesterday's translations. Under xdist the
    controller does it before it starts the test processes (never two at once)."""
    if hasattr(session.config, "workerinput"):
        return
    stale = [
        po
        for po in LOCALE_DIR.glob("*/LC_MESSAGES/django.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale and shutil.which("msgfmt"):
        call_command(
            "compilemessages",
            locale=[po.parts[-3] for po in stale],
            ignore_patterns=[".venv", "node_modules"],
            verbosity=0,
        )


def pytest_collection_finish(session):
    """Python's cyclic collector, tuned for a test run (in every test process): what is
    alive once the tests are collected (Django, pandas, plotly, every test module) stays
    alive, so it is frozen out of the collections, and young collections run less often.
    Full collections re-scanning all of it were a tenth of the suite's time on this
    machine (perf/RESULTS.md); a test process peaks about 170 MB higher."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


# Fixtures and django_db marker arguments that make pytest-django run a test as a
# TransactionTestCase, which flushes the database when the test ends.
_FLUSHING_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}
_blocker = []  # the session's django_db_blocker, for the reload after a flush
_reference_copy = {}  # "models" load_reference_data wrote to, and their "rows" as JSON


# Modules of `fuzz` tests only, not even imported unless -m names fuzz: the schemathesis
# module builds the OpenAPI schema when it is imported (seconds of every `make test`).
FUZZ_MODULES = {"test_schemathesis.py"}


def _fuzz_selected(config) -> bool:
    return re.search(r"\bfuzz\b", config.getoption("markexpr") or "") is not None


def pytest_ignore_collect(collection_path, config):
    if collection_path.name in FUZZ_MODULES and not _fuzz_selected(config):
        return True
    return None


def pytest_collection_modifyitems(config, items):
    """`fuzz` tests (schemathesis: minutes of CPU) run only when the -m expression names
    them (`make fuzz` is `pytest -m fuzz`), so `make test`, and `-m "not browser"`, leave
    them out."""
    if _fuzz_selected(config):
        return
    fuzz = [item for item in items if item.get_closest_marker("fuzz")]
    if fuzz:
        config.hook.pytest_deselected(items=fuzz)
        items[:] = [item for item in items if item.get_closest_marker("fuzz") is None]


def load_reference_data() -> None:
    call_command("load_reference_data", verbosity=0, stdout=_Null())


def _row_counts() -> dict:
    return {model: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, with the reference data loaded once, and a copy of
    what the load wrote (the rows of every model it added rows to)."""
    _blocker.append(django_db_blocker)
    with django_db_blocker.unblock():
        before = _row_counts()
        load_reference_data()
        written = [model for model, count in _row_counts().items() if count > before[model]]
        _reference_copy["models"] = written
        _reference_copy["rows"] = serializers.serialize(
            "json", (row for model in written for row in model._default_manager.order_by("pk"))
        )


def restore_reference_data() -> None:
    """The copy taken after the first load, saved again with the same primary keys (in
    one transaction, foreign keys checked at its end); the sequences then start after
    them (a `reset_sequences` test has set them back to 1)."""
    with transaction.atomic(), connection.constraint_checks_disabled():
        for row in serializers.deserialize("json", _reference_copy["rows"]):
            row.save()
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), _reference_copy["models"]):
                cursor.execute(sql)


def _flushes_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
    ):
        return True
    return bool(_FLUSHING_FIXTURES.intersection(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that flushed the database (its fixtures are torn down by now), load
    the reference data again for the tests that follow."""
    result = yield
    if nextitem is not None and _blocker and _flushes_database(item):
        with _blocker[0].unblock():
            restore_reference_data()
    return result


@pytest.fixture
def bank(db) -> QuestionBank:
    """The shipped bank, loaded through the same command an administrator runs (once per
    session; again only if something removed it)."""
    existing = QuestionBank.objects.filter(version=BANK_VERSION).first()
    if existing is not None:
        return existing
    load_reference_data()
    return QuestionBank.objects.get(version=BANK_VERSION)


@pytest.fixture
def no_reference_data(db) -> None:
    """An empty reference store, for the tests of loading it: the session's copy is
    deleted inside this test's transaction (so the next test has it again)."""
    for model in (Question, Dimension, QuestionBank, RoadmapReferenceData, BenchmarkReferenceData):
        model.objects.all().delete()


class _Null:
    def write(self, *_):
        pass

    def flush(self):
        pass


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Acme Industries")


@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name="Globex Corporation")


def _member(organization, role, username):
    return MembershipFactory(
        organization=organization, role=role, user=UserFactory(username=username)
    ).user


@pytest.fixture
def alice(organization):
    """Consultant of `organization`."""
    return _member(organization, Role.CONSULTANT, "alice")


@pytest.fixture
def carol(organization):
    """CoE lead of `organization`."""
    return _member(organization, Role.COE_LEAD, "carol")


@pytest.fixture
def erin(organization):
    """Executive member of `organization`."""
    return _member(organization, Role.EXECUTIVE, "erin")


@pytest.fixture
def bob(other_organization):
    """Consultant of another organization: must see nothing of `organization`."""
    return _member(other_organization, Role.CONSULTANT, "bob")


@pytest.fixture
def assessment(organization, bank, alice):
    return AssessmentFactory(organization=organization, bank=bank, created_by=alice)


@pytest.fixture
def respondent(assessment):
    return RespondentFactory(assessment=assessment, name="Morgan Chen", email="ceo@acme.example")


@pytest.fixture
def other_respondent(other_organization, bank):
    other_assessment = AssessmentFactory(organization=other_organization, bank=bank)
    return RespondentFactory(assessment=other_assessment, email="ceo@globex.example")


@pytest.fixture
def eager_tasks(monkeypatch):
    """Run queued tasks in-process even where REDIS_URL points at a real broker (CI), for
    tests that read the emails a task sends from the test outbox."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
