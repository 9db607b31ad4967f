"""The API's OpenAPI schema is a contract: it is committed (docs/openapi.yaml) and the code may not drift from it."""
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "openapi.yaml"
CONTRACT = [
    "/api/auth/token/", "/api/cases/", "/api/cases/{id}/", "/api/cases/{id}/transitions/",
    "/api/cases/{id}/transitions/{name}/", "/api/cases/{id}/history/",
]


def generated():
    out = io.StringIO()
    with translation.override(settings.LANGUAGE_CODE):  # the committed schema is in the default language
        call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_committed_schema_matches_the_code():
    assert generated() == SCHEMA.read_text(encoding="utf-8"), (
        "the API changed: run `manage.py spectacular --file docs/openapi.yaml` and commit the result")


def test_contract_paths_are_in_the_schema():
    paths = set(re.findall(r"^  (/api/\S+):$", SCHEMA.read_text(encoding="utf-8"), flags=re.M))
    assert set(CONTRACT) <= paths


@pytest.mark.django_db
def test_docs_page_is_served_with_its_own_assets(client):
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert not re.search(r'(src|href)="https?://', page), "the docs page must not load assets from the internet"
    assert client.get("/api/schema/").status_code == 200
