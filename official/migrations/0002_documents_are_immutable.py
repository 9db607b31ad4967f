"""An issued document is never changed, and on PostgreSQL the database itself enforces it: UPDATE and DELETE on
official_officialdocument raise an error whoever issues them (issue #11: stored once and never changed; a
correction is a new document). TRUNCATE stays possible for the table owner (test-database teardown)."""
from django.db import migrations

TABLE = "official_officialdocument"

FUNCTION = """
CREATE OR REPLACE FUNCTION demozone_official_document_is_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'an issued official document is never changed: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)  # the body has % placeholders of its own
    schema_editor.execute(f"CREATE TRIGGER {TABLE}_immutable BEFORE UPDATE OR DELETE ON {TABLE} "
                          f"FOR EACH ROW EXECUTE FUNCTION demozone_official_document_is_immutable();")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_immutable ON {TABLE};")
    schema_editor.execute("DROP FUNCTION IF EXISTS demozone_official_document_is_immutable();")


class Migration(migrations.Migration):
    dependencies = [("official", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
