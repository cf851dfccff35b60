from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.models import Assessment, Respondent
from organizations.models import Industry, Membership, Organization, Region, Role, SizeBand


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    industry = Industry.MANUFACTURING
    size_band = SizeBand.FROM_1000
    region = Region.EUROPE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.CONSULTANT


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Assessment {n}")


class RespondentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Respondent

    assessment = factory.SubFactory(AssessmentFactory)
    name = factory.Sequence(lambda n: f"Executive {n}")
    email = factory.Sequence(lambda n: f"exec{n}@client.example")
    role = "cio"
    title = "Chief Information Officer"
    business_unit = "Group IT"
    token_expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
