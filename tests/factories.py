import datetime

import factory

from accounts.models import Organisation, OrganisationKind, Role, User
from applications.models import ApplicationCall
from cases.journeys import Cast
from regions.models import CreationObject, Province


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    kind = OrganisationKind.SAMR
    name = "市场监管总局"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("demo-pass-2026")
    role = Role.SAMR_OFFICER
    organisation = factory.SubFactory(OrganisationFactory)


def applicant_for(code, username=None):
    creation_object = CreationObject.objects.select_related("province").get(code=code)
    org, _ = Organisation.objects.get_or_create(
        creation_object=creation_object,
        defaults={"kind": OrganisationKind.CREATION_OBJECT, "name": f"{creation_object}人民政府"})
    return UserFactory(username=username or f"applicant-{code}", role=Role.APPLICANT, organisation=org)


def reviewer_for(province_code, username=None):
    province = Province.objects.get(code=province_code)
    org, _ = Organisation.objects.get_or_create(
        province=province, defaults={"kind": OrganisationKind.PROVINCE, "name": f"{province.name}市场监督管理局"})
    return UserFactory(username=username or f"reviewer-{province_code}", role=Role.PROVINCIAL_REVIEWER, organisation=org)


def officer(username="officer"):
    return UserFactory(username=username, role=Role.SAMR_OFFICER)


def expert(username="expert"):
    return UserFactory(username=username, role=Role.SAMR_EXPERT)


def cast_for(code):
    province_code = code[:2] + "0000"
    return Cast(applicant=applicant_for(code), reviewer=reviewer_for(province_code), officer=officer(),
                expert=expert())


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationCall

    title = factory.Sequence(lambda n: f"关于开展网络市场监管与服务示范区创建申报工作的通知（测试 {n}）")
    year = 2026
    opens_on = datetime.date(2026, 3, 1)
    submission_deadline = datetime.date(2026, 5, 31)
    recommendation_deadline = datetime.date(2026, 6, 30)
    created_by = factory.LazyFunction(officer)


def new_case(cast, call=None, title="网络市场监管与服务示范区创建"):
    """A draft for the cast's creation object, bound to the rule set in force on today's (frozen) date: move the
    clock into 2022–2024 for a case under the 2022 trial measures."""
    from cases.services import create_case

    return create_case(actor=cast.applicant, title=title, call=call)
