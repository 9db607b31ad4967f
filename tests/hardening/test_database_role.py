"""Issue #12: the app connects as a role that owns nothing, so even the app itself cannot erase or bypass the
append-only audit trail: TRUNCATE, ALTER TABLE … DISABLE TRIGGER and SET session_replication_role are refused,
and so are UPDATE and DELETE on the audit entries. Migrations run as the owner."""
import io

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from cases.journeys import drive
from cases.workflow import State
from tests.factories import new_case

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROLE, PASSWORD = "demozone_app_test", "app-role-test-password"


@pytest.fixture
def app_connection(monkeypatch, cast, call, clock):
    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    monkeypatch.setenv("DEMOZONE_APP_PASSWORD", PASSWORD)
    call_command("grant_app_role", ROLE, stdout=io.StringIO())
    db = connection.settings_dict
    conn = psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, dbname=db["NAME"], user=ROLE,
                           password=PASSWORD, autocommit=True)
    yield conn, case
    conn.close()


@pytest.mark.parametrize("statement", [
    "TRUNCATE cases_auditentry CASCADE",
    "ALTER TABLE cases_auditentry DISABLE TRIGGER ALL",
    "ALTER TABLE cases_auditentry DISABLE TRIGGER cases_auditentry_append_only",
    "SET session_replication_role = replica",
    "UPDATE cases_auditentry SET comment = 'changed'",
    "DELETE FROM cases_auditentry",
    "DROP TABLE cases_case CASCADE",
    "CREATE TABLE sneaky (id int)",
])
def test_the_app_role_cannot_touch_the_audit_trail(app_connection, statement):
    conn, case = app_connection
    with pytest.raises(psycopg.errors.Error):
        conn.execute(statement)
    assert conn.execute("SELECT count(*) FROM cases_auditentry WHERE case_id = %s", [case.pk]).fetchone()[0] > 0


def test_the_app_role_does_its_work(app_connection):
    conn, case = app_connection
    assert conn.execute("SELECT state FROM cases_case WHERE id = %s", [case.pk]).fetchone()[0] == "submitted"
    conn.execute("UPDATE cases_case SET title = title WHERE id = %s", [case.pk])
    is_super, = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
    owns, = conn.execute("SELECT count(*) FROM pg_tables WHERE tableowner = current_user").fetchone()
    assert (is_super, owns) == (False, 0)
