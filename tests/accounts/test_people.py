"""Each user belongs to one organisation with a role that fits it; the database holds the rule too."""
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Organisation, OrganisationKind, Role, User
from regions.models import CreationObject, Province


@pytest.mark.django_db
def test_a_creation_objects_organisation_must_name_it_and_no_province():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(kind=OrganisationKind.CREATION_OBJECT, name="无主机构")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(kind=OrganisationKind.CREATION_OBJECT, name="两头机构",
                                    creation_object=CreationObject.objects.get(code="330100"),
                                    province=Province.objects.get(code="330000"))


@pytest.mark.django_db
def test_one_bureau_per_province():
    zhejiang = Province.objects.get(code="330000")
    Organisation.objects.create(kind=OrganisationKind.PROVINCE, name="浙江省市场监督管理局", province=zhejiang)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(kind=OrganisationKind.PROVINCE, name="浙江省另一局", province=zhejiang)


@pytest.mark.django_db
def test_a_user_with_a_role_needs_an_organisation():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nobody", role=Role.SAMR_OFFICER)


@pytest.mark.django_db
def test_a_role_must_fit_the_organisation():
    samr = Organisation.objects.create(kind=OrganisationKind.SAMR, name="总局")
    user = User(username="x", role=Role.APPLICANT, organisation=samr)
    with pytest.raises(ValidationError):
        user.full_clean()


@pytest.mark.django_db
def test_token_login_returns_a_token(client):
    samr = Organisation.objects.create(kind=OrganisationKind.SAMR, name="总局")
    User.objects.create_user(username="officer", password="a-long-pass-2026", role=Role.SAMR_OFFICER,
                             organisation=samr)
    response = client.post("/api/auth/token/", {"username": "officer", "password": "a-long-pass-2026"})
    assert response.status_code == 200 and len(response.json()["token"]) == 64 and response.json()["expiry"]
    assert client.post("/api/auth/token/", {"username": "officer", "password": "wrong"}).status_code == 400
