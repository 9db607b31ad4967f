"""Loads the 文号 rules (fixtures/official_numbering.json) — idempotent: rows are matched by issuer and kind and
updated, never duplicated. Runs from a data migration and from ``manage.py load_official_numbering``."""
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "fixtures" / "official_numbering.json"


def load(rule_model, province_model):
    data = json.loads(DATA.read_text(encoding="utf-8"))
    default = data.get("default_pattern", "{prefix}〔{year}〕{n}号")
    provinces = {p.code: p for p in province_model.objects.all()}
    count = 0
    for row in data["rules"]:
        if row["issuer"] == "samr":
            issuer_kind, province = "samr", None
        else:
            province = provinces.get(row["issuer"])
            if province is None:  # a province the region tables do not have (yet)
                continue
            issuer_kind = "province"
        rule_model.objects.update_or_create(
            issuer_kind=issuer_kind, province=province, kind=row["kind"],
            defaults={"prefix": row["prefix"], "pattern": row.get("pattern", default)})
        count += 1
    return count
