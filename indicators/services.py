"""Writers for indicator-system versions and national benchmark figures. Admin actions, management commands and
the API call these; each runs in one transaction, so a rejected import leaves everything stored as it was."""
import datetime
import json
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import engine
from .io import ImportRejected, check_spec
from .models import (Group, Indicator, IndicatorSystem, NationalFigure, PublishedVersionError, ScoringItem,
                     SystemStatus)
from .seeds import DEMO_BENCHMARKS, SEED_FILES, load_spec
from .selectors import system_spec

DEMO_SOURCE = "演示数据"


def import_system(*, spec, actor=None):
    """Admins (admin page, `import_indicators`): store a version as a draft. A draft of the same code is replaced;
    a published or retired one is refused — 办法 第十一条 lets indicators change, but only as a new version.
    Returns (system, findings); errors in the file raise ImportRejected and store nothing."""
    errors = check_spec(spec)
    if errors:
        raise ImportRejected(errors)
    effective = spec.get("effective_date") or None
    if effective:
        try:
            effective = datetime.date.fromisoformat(str(effective)[:10])
        except ValueError:
            raise ImportRejected([_("施行日期应为 YYYY-MM-DD（收到 %(value)s）") % {"value": effective}]) from None
    findings = engine.validate_system(spec)
    blocking = [str(f) for f in findings if f.level == "error"]
    if blocking:
        raise ImportRejected(blocking)
    with transaction.atomic():
        existing = IndicatorSystem.objects.select_for_update().filter(code=spec["code"]).first()
        if existing is not None and existing.is_frozen:
            raise ImportRejected([_("版本“%(code)s”已发布，不能覆盖；请使用新的版本代码导入修改后的指标体系。")
                                  % {"code": spec["code"]}])
        if existing is not None:
            existing.delete()
        rule = spec["pass_rule"]
        system = IndicatorSystem.objects.create(
            code=spec["code"], title=spec["title"], source_document=spec.get("source_document") or "",
            effective_date=effective, points=Decimal(str(spec.get("points") or 100)),
            total_threshold=Decimal(str(rule["total_threshold"])),
            group_rate_threshold=Decimal(str(rule["group_rate_threshold"])), pass_rule_text=rule.get("text") or "",
            notes=spec.get("notes") or [], input_catalogue=spec.get("inputs") or {},
            benchmark_catalogue=spec.get("benchmarks") or {}, scoring_years=spec.get("scoring_years") or {},
            findings=[_finding(f) for f in findings])
        for gorder, gspec in enumerate(spec["groups"]):
            group = Group.objects.create(system=system, code=gspec.get("code") or f"G{gorder + 1}",
                                         name=gspec["name"], points=Decimal(str(gspec["points"])), order=gorder)
            _indicators(system, group, gspec.get("indicators") or [])
            for sorder, sspec in enumerate(gspec.get("subgroups") or []):
                sub = Group.objects.create(system=system, parent=group, name=sspec["name"], order=sorder,
                                           points=Decimal(str(sspec["points"])) if sspec.get("points") else None)
                _indicators(system, sub, sspec["indicators"])
    return system, findings


def _finding(finding):
    return {"level": finding.level, "where": finding.where, "message": finding.message}


def _indicators(system, group, specs):
    for ispec in specs:
        ind = Indicator.objects.create(
            system=system, group=group, number=int(ispec["number"]), name=ispec["name"],
            points=Decimal(str(ispec["points"])), nature=ispec["nature"], nature_text=ispec.get("nature_text") or "",
            criteria=ispec["criteria"], assessment_methods=ispec.get("assessment_methods") or "",
            data_sources=ispec.get("data_sources") or "", notes=ispec.get("notes") or [])
        ScoringItem.objects.bulk_create([
            ScoringItem(indicator=ind, key=item["key"], label=item["label"], points=Decimal(str(item["points"])),
                        kind=item["rule"]["kind"], params=item["rule"].get("params") or {}, order=order)
            for order, item in enumerate(ispec["items"])])


def publish_system(*, system, actor=None):
    """Admins: publish a draft after validating it again. From then on the version never changes."""
    with transaction.atomic():
        system = IndicatorSystem.objects.select_for_update().get(pk=system.pk)
        if system.status != SystemStatus.DRAFT:
            raise PublishedVersionError(_("版本“%(code)s”不是草稿（现为%(status)s），不能再次发布。")
                                        % {"code": system.code, "status": system.get_status_display()})
        findings = engine.validate_system(system_spec(system))
        blocking = [str(f) for f in findings if f.level == "error"]
        if blocking:
            raise ImportRejected(blocking)
        system.findings = [_finding(f) for f in findings]
        system.status = SystemStatus.PUBLISHED
        system.published_at = timezone.now()
        system.published_by = actor
        system.save()
    return system


def retire_system(*, system, actor=None):
    """Admins: a published version stops being offered to new cases; cases already bound to it keep it."""
    with transaction.atomic():
        system = IndicatorSystem.objects.select_for_update().get(pk=system.pk)
        if system.status != SystemStatus.PUBLISHED:
            raise PublishedVersionError(_("只有已发布的版本可以停用。"))
        system.status = SystemStatus.RETIRED
        system.save(update_fields=["status"])
    return system


def load_seed_systems(*, actor=None):
    """Idempotent: load the two seed systems (fixtures/indicators/) and publish those the seed marks published.
    Returns {code: "created" | "unchanged" | "differs"}; a stored version that differs is never overwritten."""
    outcome = {}
    for code in SEED_FILES:
        spec = load_spec(code)
        existing = IndicatorSystem.objects.filter(code=code).first()
        if existing is not None:
            same = not diff_specs(system_spec(existing), spec)
            if same and existing.status == SystemStatus.DRAFT and spec.get("status") == SystemStatus.PUBLISHED:
                publish_system(system=existing, actor=actor)
            outcome[code] = "unchanged" if same else "differs"
            continue
        system, _findings = import_system(spec=spec, actor=actor)
        if spec.get("status") == SystemStatus.PUBLISHED:
            publish_system(system=system, actor=actor)
        outcome[code] = "created"
    return outcome


def set_national_figure(*, key, label, year, value, source, is_demo=False, actor=None):
    """Admins: enter (or correct) one national benchmark figure for a year, with its source."""
    source = (source or "").strip()
    if is_demo and DEMO_SOURCE not in source:
        source = f"{DEMO_SOURCE}：{source}" if source else DEMO_SOURCE
    if not source:
        raise ValueError(_("全国基准数据须注明来源。"))
    figure, _created = NationalFigure.objects.update_or_create(
        key=key, year=year, defaults={"label": label, "value": Decimal(str(value)), "source": source,
                                      "is_demo": is_demo, "entered_by": actor, "entered_at": timezone.now()})
    return figure


def load_demo_benchmarks(*, actor=None):
    """Demo national figures (labelled 演示数据) for a local demo; never overwrites a real figure."""
    with open(DEMO_BENCHMARKS, encoding="utf-8") as handle:
        rows = json.load(handle)
    created = 0
    with transaction.atomic():
        for row in rows:
            existing = NationalFigure.objects.filter(key=row["key"], year=row["year"]).first()
            if existing is not None and not existing.is_demo:
                continue
            set_national_figure(key=row["key"], label=row["label"], year=row["year"], value=row["value"],
                                source=DEMO_SOURCE, is_demo=True, actor=actor)
            created += 1
    return created


# ------------------------------------------------------------------------------------------------ diff
VERSION_FIELDS = ("title", "source_document", "effective_date", "points")
INDICATOR_FIELDS = ("name", "points", "nature", "criteria", "assessment_methods", "data_sources")


def _norm(value):
    if value is None:
        return None
    try:
        return engine.fmt(Decimal(str(value)))
    except Exception:  # noqa: BLE001 - not a number: compare as text
        return value


def diff_specs(old, new):
    """What changes from version ``old`` to ``new``: [{where, field, old, new}], empty when they score alike
    and read alike."""
    changes = []

    def add(where, field, a, b):
        if _norm(a) != _norm(b):
            changes.append({"where": where, "field": field, "old": a, "new": b})

    for field in VERSION_FIELDS:
        add("版本", field, old.get(field), new.get(field))
    for field in ("total_threshold", "group_rate_threshold", "text"):
        add("合格标准", field, old["pass_rule"].get(field), new["pass_rule"].get(field))
    old_groups = {g["name"]: g for g in old["groups"]}
    new_groups = {g["name"]: g for g in new["groups"]}
    for name in old_groups.keys() | new_groups.keys():
        add(f"一级指标“{name}”", "points", (old_groups.get(name) or {}).get("points"),
            (new_groups.get(name) or {}).get("points"))
        old_subs = {s["name"]: s.get("points") for s in (old_groups.get(name) or {}).get("subgroups", [])}
        new_subs = {s["name"]: s.get("points") for s in (new_groups.get(name) or {}).get("subgroups", [])}
        for sub in old_subs.keys() | new_subs.keys():
            add(f"二级指标“{sub}”", "points", old_subs.get(sub), new_subs.get(sub))
    old_inds = {int(i["number"]): (g["name"], i) for g, i in engine.iter_indicators(old)}
    new_inds = {int(i["number"]): (g["name"], i) for g, i in engine.iter_indicators(new)}
    for number in sorted(old_inds.keys() | new_inds.keys()):
        where = f"指标 {number}"
        if number not in new_inds:
            changes.append({"where": where, "field": "removed", "old": old_inds[number][1]["name"], "new": None})
            continue
        if number not in old_inds:
            changes.append({"where": where, "field": "added", "old": None, "new": new_inds[number][1]["name"]})
            continue
        (og, oi), (ng, ni) = old_inds[number], new_inds[number]
        add(where, "group", og, ng)
        for field in INDICATOR_FIELDS:
            add(where, field, oi.get(field), ni.get(field))
        old_items = {it["key"]: it for it in oi["items"]}
        new_items = {it["key"]: it for it in ni["items"]}
        for key in sorted(old_items.keys() | new_items.keys()):
            a, b = old_items.get(key), new_items.get(key)
            if a is None or b is None:
                changes.append({"where": f"{where} 计分项 {key}", "field": "added" if a is None else "removed",
                                "old": a and a["label"], "new": b and b["label"]})
                continue
            add(f"{where} 计分项 {key}", "points", a["points"], b["points"])
            add(f"{where} 计分项 {key}", "label", a["label"], b["label"])
            add(f"{where} 计分项 {key}", "rule", json.dumps(a["rule"], sort_keys=True, ensure_ascii=False),
                json.dumps(b["rule"], sort_keys=True, ensure_ascii=False))
    return changes
