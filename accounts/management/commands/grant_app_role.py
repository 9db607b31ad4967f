"""Create (or bring up to date) the PostgreSQL role the application connects as — run by the owner of the tables
after every `migrate` (docker-compose's `migrate` service does both).

The app role owns nothing and is no superuser: it may SELECT, INSERT, UPDATE and DELETE rows, use the sequences,
and nothing else. So it cannot TRUNCATE a table, ALTER TABLE … DISABLE TRIGGER (only an owner may) or SET
session_replication_role (only a superuser may) — the three ways the append-only audit trail's trigger could be
bypassed from the app. On the audit tables it may only read and append: UPDATE, DELETE and TRUNCATE are revoked
there as well as refused by the trigger.

    DATABASE_URL=postgres://owner@db/demozone DEMOZONE_APP_PASSWORD=… manage.py grant_app_role demozone_app
"""
import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg import sql

APPEND_ONLY_TABLES = ["cases_auditentry", "cases_auditattachment"]


class Command(BaseCommand):
    help = "Create or update the application's PostgreSQL role: row access only, owns nothing."

    def add_arguments(self, parser):
        parser.add_argument("role", nargs="?", default="demozone_app")
        parser.add_argument("--password-env", default="DEMOZONE_APP_PASSWORD",
                            help="environment variable holding the role's password (unset: no password is set)")

    def handle(self, *args, role, password_env, **options):
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role is for PostgreSQL; SQLite has no roles.")
        password = os.environ.get(password_env)
        name = sql.Identifier(role)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE ROLE {} LOGIN").format(name).as_string(cursor.cursor))
            cursor.execute(sql.SQL("ALTER ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS")
                           .format(name).as_string(cursor.cursor))
            if password:
                cursor.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(name, sql.Literal(password))
                               .as_string(cursor.cursor))
            database = sql.Identifier(connection.settings_dict["NAME"])
            for statement in [
                "GRANT CONNECT ON DATABASE {db} TO {role}",
                "GRANT USAGE ON SCHEMA public TO {role}",
                "REVOKE CREATE ON SCHEMA public FROM {role}",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
                "REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {role}",
                "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
            ]:
                cursor.execute(sql.SQL(statement).format(db=database, role=name).as_string(cursor.cursor))
            for table in APPEND_ONLY_TABLES:
                cursor.execute(sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}")
                               .format(sql.Identifier(table), name).as_string(cursor.cursor))
        self.stdout.write(f"role {role}: row access on every table, read and append only on the audit trail")
