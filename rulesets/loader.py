"""Loads the rule sets in data/rulesets.json (idempotent: matched by code)."""
import json
from pathlib import Path

DATA = Path(__file__).parent / "data" / "rulesets.json"


def load(rule_set_model):
    rows = json.loads(DATA.read_text(encoding="utf-8"))
    for row in rows:
        rule_set_model.objects.update_or_create(code=row["code"], defaults=row)
    return len(rows)
