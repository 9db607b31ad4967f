"""Static files in production (issue 13): collectstatic writes hashed names and compressed copies, pages link the
hashed names, and WhiteNoise serves them compressed with a cache lifetime of years (the name changes with the
content). Without collectstatic (the test suite, ./scripts/run) the plain names are used, with no file lookups."""
import shutil

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

from demozone.storage import StaticFilesStorage

pytestmark = pytest.mark.django_db


def test_collected_files_are_hashed_compressed_and_cached_for_years(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    # One of the app's own files (collecting every vendored one takes minutes on a busy machine).
    source = tmp_path / "source" / "css"
    source.mkdir(parents=True)
    shutil.copy(django_settings.BASE_DIR / "static" / "css" / "demozone.css", source / "demozone.css")
    settings.STATICFILES_DIRS = [tmp_path / "source"]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "demozone.storage.StaticFilesStorage"}}
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", "--no-input", "-v0")
    staticfiles_storage._setup()  # the storage reads the new manifest
    url = static("css/demozone.css")
    assert url != "/static/css/demozone.css" and url.startswith("/static/css/demozone.") and url.endswith(".css")
    hashed = tmp_path / "static" / url.removeprefix("/static/")
    assert hashed.exists() and hashed.with_name(hashed.name + ".gz").exists()
    assert url in Client().get("/login/").content.decode()  # pages link the hashed name
    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in response["Cache-Control"] and "immutable" in response["Cache-Control"]


def test_without_collectstatic_the_plain_names_are_used(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path / "empty"
    storage = StaticFilesStorage(location=str(tmp_path / "empty"))
    assert storage.stored_name("css/demozone.css") == "css/demozone.css"
