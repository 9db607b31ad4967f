"""Issue #12: settings fail closed. DEBUG is off unless turned on; the documented production settings pass
`check --deploy`; every page (and the API docs) is served under a Content-Security-Policy it satisfies."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {  # README, Settings: what production sets; everything else keeps its default
    "DJANGO_SECRET_KEY": "x" * 64 + "-production-like-key-for-the-check",
    "DJANGO_ALLOWED_HOSTS": "demozone.example.gov.cn",
    "DATABASE_URL": "sqlite:///:memory:",
}


def run_python(code, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True,
                          text=True, timeout=120)


def test_debug_is_off_unless_explicitly_turned_on():
    code = "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='demozone.settings';django.setup();" \
           "from django.conf import settings;print(settings.DEBUG, settings.SECURE_SSL_REDIRECT)"
    assert run_python(code, PRODUCTION).stdout.split() == ["False", "True"]
    assert run_python(code, {**PRODUCTION, "DJANGO_DEBUG": "1"}).stdout.split() == ["True", "False"]


def test_without_a_secret_key_production_refuses_to_start():
    code = "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='demozone.settings';django.setup()"
    result = run_python(code, {"DJANGO_ALLOWED_HOSTS": "x"})
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_commands_that_only_read_the_code_need_no_secret_but_the_server_does():
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}, "DATABASE_URL": "sqlite:///:memory:"}

    def manage(*args):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=120)

    migrations = manage("makemigrations", "--check", "--dry-run")
    assert migrations.returncode == 0 and "No changes detected" in migrations.stdout, migrations.stderr
    server = manage("runserver", "--noreload", "127.0.0.1:0")
    assert server.returncode != 0 and "DJANGO_SECRET_KEY" in server.stderr + server.stdout


def test_check_deploy_is_clean_with_the_documented_production_settings():
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                            env={**{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
                                 **PRODUCTION}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_pages_and_the_api_docs_carry_a_strict_content_security_policy(client, cast, clock):
    client.force_login(cast.officer)
    for path in ("/", "/cases/", "/login/", "/api/docs/"):
        response = client.get(path)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
        assert "frame-ancestors 'none'" in policy
    docs = client.get("/api/docs/").content.decode()
    assert "<style" not in docs and not re.search(r"<script>(?!</script>)", docs)


def test_no_template_has_inline_script_or_style():
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or "<style" in text or re.search(r'\sstyle="', text) \
                or re.search(r"\son(click|change|submit|load)=", text):
            offenders.append(str(template.relative_to(ROOT)))
    assert offenders == []
