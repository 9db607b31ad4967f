"""README: every demo login, the applicant-<code> ones included, signs in with demo-pass-2026."""
import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory


@pytest.mark.django_db
def test_every_demo_applicant_signs_in_with_the_readme_password():
    call_command("seed_demo", verbosity=0, stdout=__import__("io").StringIO())
    from accounts.models import User

    applicants = User.objects.filter(username__startswith="applicant-")
    assert applicants.exists()
    for user in applicants:
        request = RequestFactory().post("/login/")
        assert authenticate(request, username=user.username, password="demo-pass-2026") is not None, user.username
