"""docker-compose.yml has the production shape (DESIGN.md, Architecture): web, worker, beat, PostgreSQL, Redis,
each with a health check, data on named volumes, and secrets taken from the environment."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
SERVICES = {"migrate", "web", "worker", "beat", "db", "redis"}
# Placeholders so compose can interpolate the required secrets; nothing is started.
ENV = {**os.environ, "DJANGO_SECRET_KEY": "compose-config-check", "POSTGRES_PASSWORD": "compose-config-check",
       "DEMOZONE_APP_PASSWORD": "compose-config-check"}


def compose_command():
    """`docker compose` (the plugin) where it exists, else the standalone `docker-compose`, else None."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def test_compose_file_is_valid_for_docker_compose():
    command = compose_command()
    if command is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed (apt-get install docker-compose)")
    result = subprocess.run([*command, "-f", str(COMPOSE_FILE), "config", "--quiet"], capture_output=True, text=True,
                            env=ENV, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_compose_refuses_to_start_without_the_secrets():
    command = compose_command()
    if command is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed (apt-get install docker-compose)")
    env = {k: v for k, v in ENV.items() if k not in ("DJANGO_SECRET_KEY", "POSTGRES_PASSWORD")}
    result = subprocess.run([*command, "-f", str(COMPOSE_FILE), "config", "--quiet"], capture_output=True, text=True,
                            env=env, cwd=ROOT)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr or "POSTGRES_PASSWORD" in result.stderr


def test_every_service_has_a_health_check(compose):
    services = compose["services"]
    assert set(services) == SERVICES
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"


def test_images_and_commands(compose):
    services = compose["services"]
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert "gunicorn demozone.wsgi" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "demozone", "worker"]
    beat = services["beat"]["command"]
    assert beat[:4] == ["celery", "-A", "demozone", "beat"]
    assert "django_celery_beat.schedulers:DatabaseScheduler" in beat


def test_app_services_share_the_production_environment(compose):
    for name in ("web", "worker", "beat"):
        env = compose["services"][name]["environment"]
        assert {"DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DJANGO_ALLOWED_HOSTS"} <= set(env)
        assert env["DJANGO_DEBUG"] == "0"
        assert env["DATABASE_URL"].startswith("postgres://") and env["REDIS_URL"].startswith("redis://")
        assert "${DJANGO_SECRET_KEY:?" in env["DJANGO_SECRET_KEY"], "the secret must come from the environment"


def test_data_lives_on_named_volumes(compose):
    volumes = set(compose["volumes"])
    assert {"postgres-data", "redis-data", "media"} <= volumes
    assert "postgres-data:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
    assert "redis-data:/data" in compose["services"]["redis"]["volumes"]
    for name in ("web", "worker"):
        assert "media:/data/media" in compose["services"][name]["volumes"]


def test_dockerfile_builds_a_non_root_image_with_static_files_and_a_cjk_font():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    assert "requirements.lock" in dockerfile
    assert "collectstatic" in dockerfile
    assert "fonts-noto-cjk" in dockerfile
    assert "\nUSER " in dockerfile and "USER root" not in dockerfile


def test_the_app_connects_as_its_own_role_and_migrations_run_as_the_owner(compose):
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://demozone_app:")
        assert "migrate" not in str(services[name].get("command", ""))
    migrate = services["migrate"]
    assert migrate["environment"]["DATABASE_URL"].startswith("postgres://demozone:")
    assert "manage.py migrate" in migrate["command"] and "grant_app_role demozone_app" in migrate["command"]
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
