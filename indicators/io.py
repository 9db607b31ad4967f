"""Reading and writing a version as JSON (fixtures/indicators/*.json) and as XLSX (the way officials keep these
tables). Reading never touches the database; a bad file raises ``ImportRejected`` with every error found,
each naming the sheet, row and column (XLSX) or the path (JSON)."""
import io
import json
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from . import engine

NATURES = {"定量": "quantitative", "定性": "qualitative", "定量+定性": "mixed", "定性+定量": "mixed",
           "quantitative": "quantitative", "qualitative": "qualitative", "mixed": "mixed"}
NATURE_LABELS = {"quantitative": "定量", "qualitative": "定性", "mixed": "定量+定性"}


class ImportRejected(ValueError):
    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("；".join(self.errors))


# ------------------------------------------------------------------------------------------- structure checks
def check_spec(spec) -> list[str]:
    """Shape and types of a version dict; returns errors with their path (json) — empty when usable."""
    errors = []

    def need(obj, key, path, kind=str):
        if not isinstance(obj, dict) or key not in obj or obj[key] in (None, ""):
            errors.append(f"{path}.{key}：缺少")
            return None
        value = obj[key]
        if kind is Decimal:
            try:
                return Decimal(str(value))
            except InvalidOperation:
                errors.append(f"{path}.{key}：应为数值（收到 {value!r}）")
                return None
        if kind is list and not isinstance(value, list):
            errors.append(f"{path}.{key}：应为列表")
            return None
        return value

    if not isinstance(spec, dict):
        return ["顶层应为对象"]
    need(spec, "code", "$")
    need(spec, "title", "$")
    rule = need(spec, "pass_rule", "$", dict)
    if rule:
        need(rule, "total_threshold", "$.pass_rule", Decimal)
        need(rule, "group_rate_threshold", "$.pass_rule", Decimal)
    errors.extend(check_scoring_years(spec.get("scoring_years")))
    groups = need(spec, "groups", "$", list) or []
    for gi, group in enumerate(groups):
        gpath = f"$.groups[{gi}]"
        need(group, "name", gpath)
        need(group, "points", gpath, Decimal)
        subs = group.get("subgroups") or []
        inds = [(f"{gpath}.indicators[{i}]", ind) for i, ind in enumerate(group.get("indicators") or [])]
        for si, sub in enumerate(subs):
            need(sub, "name", f"{gpath}.subgroups[{si}]")
            inds += [(f"{gpath}.subgroups[{si}].indicators[{i}]", ind) for i, ind in enumerate(sub.get("indicators") or [])]
        for ipath, ind in inds:
            need(ind, "number", ipath, Decimal)
            need(ind, "name", ipath)
            need(ind, "points", ipath, Decimal)
            need(ind, "criteria", ipath)
            nature = need(ind, "nature", ipath)
            if nature and nature not in NATURES:
                errors.append(f"{ipath}.nature：应为 定量/定性/定量+定性（收到 {nature!r}）")
            items = need(ind, "items", ipath, list) or []
            for ti, item in enumerate(items):
                tpath = f"{ipath}.items[{ti}]"
                need(item, "key", tpath)
                need(item, "label", tpath)
                need(item, "points", tpath, Decimal)
                kind = (item.get("rule") or {}).get("kind") if isinstance(item, dict) else None
                if kind not in engine.RULES:
                    errors.append(f"{tpath}.rule.kind：未知的计分规则 {kind!r}（可用：{'、'.join(engine.RULES)}）")
    if not errors:
        try:
            engine.compile_system(spec)
        except engine.SystemError_ as exc:
            errors.append(str(exc))
    return errors


SCORING_YEAR_BASES = ("before_application", "creation_period")


def check_scoring_years(rule) -> list[str]:
    """The optional years rule (IndicatorSystem.scoring_years): which calendar years the sheets score."""
    if rule in (None, {}, ""):
        return []
    if not isinstance(rule, dict) or rule.get("basis") not in SCORING_YEAR_BASES:
        return [f"$.scoring_years.basis：应为 {' 或 '.join(SCORING_YEAR_BASES)}"]
    if rule["basis"] == "before_application":
        count = rule.get("count")
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 10:
            return ["$.scoring_years.count：应为 1–10 的整数（申请前的完整年度数）"]
    return []


def read_json(data: bytes | str) -> dict:
    try:
        spec = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", "?")
        col = getattr(exc, "colno", "?")
        raise ImportRejected([f"JSON 第{line}行第{col}列：{getattr(exc, 'msg', exc)}"]) from None
    errors = check_spec(spec)
    if errors:
        raise ImportRejected(errors)
    return spec


def write_json(spec) -> str:
    return json.dumps(spec, ensure_ascii=False, indent=1) + "\n"


# ------------------------------------------------------------------------------------------- XLSX
VERSION_SHEET, INDICATOR_SHEET, ITEM_SHEET, INPUT_SHEET, BENCH_SHEET = "版本", "指标", "计分项", "输入项", "全国数据项"
VERSION_FIELDS = [("code", "版本代码"), ("title", "名称"), ("source_document", "出处文件"), ("status", "状态"),
                  ("effective_date", "施行日期"), ("points", "总分"), ("total_threshold", "合格总分"),
                  ("group_rate_threshold", "一级指标合格得分率"), ("pass_rule_text", "合格标准原文"), ("notes", "转录说明"),
                  ("scoring_years", "评估年份规则(JSON)")]
INDICATOR_COLUMNS = ["一级指标代码", "一级指标", "一级分值", "二级指标", "二级分值", "编号", "指标名称", "分值",
                     "变量性质", "指标说明及打分标准", "评估方式", "数据或资料来源", "说明"]
ITEM_COLUMNS = ["编号", "计分项代码", "计分项", "分值", "规则", "规则参数(JSON)"]


def _cell(value):
    return "" if value is None else str(value)


def write_xlsx(spec) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = VERSION_SHEET
    ws.append(["项目", "内容"])
    values = {**spec, **{"total_threshold": spec["pass_rule"]["total_threshold"],
                         "group_rate_threshold": spec["pass_rule"]["group_rate_threshold"],
                         "pass_rule_text": spec["pass_rule"].get("text", ""),
                         "notes": "\n".join(spec.get("notes") or []),
                         "scoring_years": json.dumps(spec["scoring_years"], ensure_ascii=False)
                         if spec.get("scoring_years") else ""}}
    for key, label in VERSION_FIELDS:
        ws.append([label, _cell(values.get(key))])
    inds = wb.create_sheet(INDICATOR_SHEET)
    inds.append(INDICATOR_COLUMNS)
    items = wb.create_sheet(ITEM_SHEET)
    items.append(ITEM_COLUMNS)
    for group in spec["groups"]:
        blocks = [(sub["name"], sub.get("points"), sub["indicators"]) for sub in group.get("subgroups", [])]
        if group.get("indicators"):
            blocks.insert(0, ("", None, group["indicators"]))
        for sub_name, sub_points, indicators in blocks:
            for ind in indicators:
                inds.append([group.get("code", ""), group["name"], group["points"], sub_name, _cell(sub_points),
                             ind["number"], ind["name"], ind["points"], ind.get("nature_text") or
                             NATURE_LABELS[NATURES[ind["nature"]]], ind["criteria"], ind.get("assessment_methods", ""),
                             ind.get("data_sources", ""), "\n".join(ind.get("notes") or [])])
                for item in ind["items"]:
                    items.append([ind["number"], item["key"], item["label"], item["points"], item["rule"]["kind"],
                                  json.dumps(item["rule"].get("params", {}), ensure_ascii=False)])
    inputs = wb.create_sheet(INPUT_SHEET)
    inputs.append(["代码", "名称", "类型", "单位"])
    for key, meta in (spec.get("inputs") or {}).items():
        inputs.append([key, meta.get("label", ""), meta.get("type", ""), meta.get("unit", "")])
    bench = wb.create_sheet(BENCH_SHEET)
    bench.append(["代码", "名称"])
    for key, meta in (spec.get("benchmarks") or {}).items():
        bench.append([key, meta.get("label", "")])
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read_xlsx(data: bytes) -> dict:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise ImportRejected([f"不是有效的 XLSX 文件（{type(exc).__name__}）"]) from None
    errors = []
    for name in (VERSION_SHEET, INDICATOR_SHEET, ITEM_SHEET):
        if name not in wb.sheetnames:
            errors.append(f"缺少工作表“{name}”")
    if errors:
        raise ImportRejected(errors)

    def rows(sheet, columns):
        ws = wb[sheet]
        it = ws.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(it, [])]
        missing = [c for c in columns if c not in header]
        if missing:
            errors.append(f"工作表“{sheet}”第1行：缺少列 {'、'.join(missing)}")
            return
        for rownum, row in enumerate(it, start=2):
            record = {h: row[i] if i < len(row) else None for i, h in enumerate(header)}
            if all(v in (None, "") for v in record.values()):
                continue
            yield rownum, record

    def text(sheet, rownum, record, column, required=True):
        value = record.get(column)
        if value is None or str(value).strip() == "":
            if required:
                errors.append(f"工作表“{sheet}”第{rownum}行“{column}”列：不能为空")
            return ""
        return str(value).strip() if column not in ("指标说明及打分标准",) else str(value)

    def number(sheet, rownum, record, column, required=True, integer=False):
        value = record.get(column)
        if value is None or str(value).strip() == "":
            if required:
                errors.append(f"工作表“{sheet}”第{rownum}行“{column}”列：不能为空")
            return None
        try:
            result = Decimal(str(value).strip())
        except InvalidOperation:
            errors.append(f"工作表“{sheet}”第{rownum}行“{column}”列：应为数值（收到 {value!r}）")
            return None
        if integer and result != result.to_integral_value():
            errors.append(f"工作表“{sheet}”第{rownum}行“{column}”列：应为整数（收到 {value!r}）")
            return None
        return int(result) if integer else engine.fmt(result)

    version = {}
    labels = {label: key for key, label in VERSION_FIELDS}
    for rownum, record in rows(VERSION_SHEET, ["项目", "内容"]):
        label = str(record.get("项目") or "").strip()
        if label not in labels:
            errors.append(f"工作表“{VERSION_SHEET}”第{rownum}行“项目”列：未知项目 {label!r}")
            continue
        version[labels[label]] = record.get("内容")
    for key in ("code", "title", "total_threshold", "group_rate_threshold"):
        if version.get(key) in (None, ""):
            errors.append(f"工作表“{VERSION_SHEET}”：缺少“{dict(VERSION_FIELDS)[key]}”")

    groups, by_number = [], {}
    for rownum, r in rows(INDICATOR_SHEET, INDICATOR_COLUMNS):
        s = INDICATOR_SHEET
        gname = text(s, rownum, r, "一级指标")
        gpoints = number(s, rownum, r, "一级分值")
        sub_name = text(s, rownum, r, "二级指标", required=False)
        sub_points = number(s, rownum, r, "二级分值", required=False)
        num = number(s, rownum, r, "编号", integer=True)
        nature_text = text(s, rownum, r, "变量性质")
        if nature_text and nature_text not in NATURES:
            errors.append(f"工作表“{s}”第{rownum}行“变量性质”列：应为 定量、定性 或 定量+定性（收到 {nature_text!r}）")
        ind = {"number": num, "name": text(s, rownum, r, "指标名称"), "points": number(s, rownum, r, "分值"),
               "nature": NATURES.get(nature_text, "qualitative"), "nature_text": nature_text,
               "criteria": text(s, rownum, r, "指标说明及打分标准"),
               "assessment_methods": text(s, rownum, r, "评估方式", required=False),
               "data_sources": text(s, rownum, r, "数据或资料来源", required=False),
               "notes": [n for n in text(s, rownum, r, "说明", required=False).split("\n") if n], "items": []}
        if num in by_number:
            errors.append(f"工作表“{s}”第{rownum}行“编号”列：编号 {num} 重复")
        by_number[num] = (rownum, ind)
        group = next((g for g in groups if g["name"] == gname), None)
        if group is None:
            group = {"code": text(s, rownum, r, "一级指标代码", required=False) or f"G{len(groups) + 1}",
                     "name": gname, "points": gpoints}
            groups.append(group)
        elif gpoints is not None and group["points"] != gpoints:
            errors.append(f"工作表“{s}”第{rownum}行“一级分值”列：与同一一级指标前面各行（{group['points']}）不一致")
        if sub_name:
            subs = group.setdefault("subgroups", [])
            sub = next((x for x in subs if x["name"] == sub_name), None)
            if sub is None:
                sub = {"name": sub_name, "points": sub_points, "indicators": []}
                subs.append(sub)
            sub["indicators"].append(ind)
        else:
            group.setdefault("indicators", []).append(ind)
        if group.get("subgroups") and group.get("indicators"):
            errors.append(f"工作表“{s}”第{rownum}行“二级指标”列：同一一级指标下的指标须都有或都没有二级指标")

    for rownum, r in rows(ITEM_SHEET, ITEM_COLUMNS):
        s = ITEM_SHEET
        num = number(s, rownum, r, "编号", integer=True)
        kind = text(s, rownum, r, "规则")
        if kind and kind not in engine.RULES:
            errors.append(f"工作表“{s}”第{rownum}行“规则”列：未知的计分规则 {kind!r}（可用：{'、'.join(engine.RULES)}）")
        raw = text(s, rownum, r, "规则参数(JSON)", required=False) or "{}"
        try:
            params = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.append(f"工作表“{s}”第{rownum}行“规则参数(JSON)”列：JSON 有误（第{exc.colno}个字符：{exc.msg}）")
            params = {}
        item = {"key": text(s, rownum, r, "计分项代码"), "label": text(s, rownum, r, "计分项"),
                "points": number(s, rownum, r, "分值"), "rule": {"kind": kind, "params": params}}
        if num is not None and num not in by_number:
            errors.append(f"工作表“{s}”第{rownum}行“编号”列：指标 {num} 不在工作表“{INDICATOR_SHEET}”中")
        elif num is not None:
            by_number[num][1]["items"].append(item)
    for num, (rownum, ind) in by_number.items():
        if not ind["items"]:
            errors.append(f"工作表“{INDICATOR_SHEET}”第{rownum}行：指标 {num} 在“{ITEM_SHEET}”中没有计分项")

    inputs, benchmarks = {}, {}
    if INPUT_SHEET in wb.sheetnames:
        for rownum, r in rows(INPUT_SHEET, ["代码", "名称", "类型", "单位"]):
            inputs[text(INPUT_SHEET, rownum, r, "代码")] = {
                "label": text(INPUT_SHEET, rownum, r, "名称"), "type": text(INPUT_SHEET, rownum, r, "类型"),
                "unit": text(INPUT_SHEET, rownum, r, "单位", required=False)}
    if BENCH_SHEET in wb.sheetnames:
        for rownum, r in rows(BENCH_SHEET, ["代码", "名称"]):
            benchmarks[text(BENCH_SHEET, rownum, r, "代码")] = {"label": text(BENCH_SHEET, rownum, r, "名称"),
                                                              "unit": "rate"}
    if errors:
        raise ImportRejected(errors)

    effective = version.get("effective_date")
    spec = {
        "code": str(version["code"]).strip(), "title": str(version["title"]).strip(),
        "source_document": _cell(version.get("source_document")), "status": _cell(version.get("status")) or "draft",
        "effective_date": effective.date().isoformat() if hasattr(effective, "date") else (_cell(effective) or None),
        "points": _cell(version.get("points")) or "100",
        "pass_rule": {"total_threshold": _cell(version["total_threshold"]),
                      "group_rate_threshold": _cell(version["group_rate_threshold"]),
                      "text": _cell(version.get("pass_rule_text"))},
        "groups": groups, "notes": [n for n in _cell(version.get("notes")).split("\n") if n],
        "inputs": inputs, "benchmarks": benchmarks,
    }
    if _cell(version.get("scoring_years")).strip():
        try:
            spec["scoring_years"] = json.loads(_cell(version["scoring_years"]))
        except ValueError:
            raise ImportRejected([f"工作表“{VERSION_SHEET}”“评估年份规则(JSON)”：不是有效的 JSON"]) from None
    errors = check_spec(spec)
    if errors:
        raise ImportRejected(errors)
    return spec
