"""Shared fixtures: the real question bank, and alice (consultant), carol (CoE lead),
erin (executive) of one organization, with bob as a consultant of another."""

import pytest
from django.core.management import call_command

from assessments.models import QuestionBank
from organizations.models import Role

from .factories import (
    AssessmentFactory,
    MembershipFactory,
    OrganizationFactory,
    RespondentFactory,
    UserFactory,
)

BANK_VERSION = "2026.1"


@pytest.fixture
def bank(db) -> QuestionBank:
    """The shipped bank, loaded through the same command an administrator runs."""
    existing = QuestionBank.objects.filter(version=BANK_VERSION).first()
    if existing is not None:
        return existing
    call_command("load_reference_data", verbosity=0, stdout=_Null())
    return QuestionBank.objects.get(version=BANK_VERSION)


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
