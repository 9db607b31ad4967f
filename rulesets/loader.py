"""Loads the rule sets in fixtures/rulesets.json (idempotent: matched by code)."""
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "fixtures" / "rulesets.json"


def load(rule_set_model):
    rows = json.loads(DATA.read_text(encoding="utf-8"))
    # A data migration passes the model as it was at its point in history: load only the fields it has.
    fields = {f.name for f in rule_set_model._meta.get_fields()}
    for row in rows:
        rule_set_model.objects.update_or_create(code=row["code"],
                                                defaults={k: v for k, v in row.items() if k in fields})
    return len(rows)


def load_in_migration(apps, schema_editor):
    """For a data migration: (re)load the rule sets into the model as it stands at that migration."""
    load(apps.get_model("rulesets", "RuleSet"))
