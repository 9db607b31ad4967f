"""A province sees a city's case only from its submission on (办法 第八条): a draft is a 404 to the reviewer."""
import pytest

from cases import selectors
from tests.factories import new_case

pytestmark = pytest.mark.django_db


def test_reviewer_does_not_see_a_draft_but_the_applicant_and_samr_do(cast, call, client):
    case = new_case(cast, call)
    assert not selectors.cases_visible_to(cast.reviewer).filter(pk=case.pk).exists()
    assert selectors.cases_visible_to(cast.applicant).filter(pk=case.pk).exists()
    assert selectors.cases_visible_to(cast.officer).filter(pk=case.pk).exists()
    client.force_login(cast.reviewer)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.get(f"/api/cases/{case.pk}/").status_code == 404
