"""The plan as the workbook officials keep (seed 002's annex tables: 指标 → 责任单位/配合单位; 任务 → 牵头单位、
配合单位、完成时限), exported and imported.

One workbook, four sheets, headers in row 1, one record a row from row 2:
- 创建目标: A2 the goals;
- 阶段安排: 序号 | 阶段名称 | 开始日期 | 结束日期 | 工作内容;
- 任务分工: 序号 | 任务名称 | 任务内容 | 所属阶段 | 牵头单位 | 配合单位 | 完成时限;
- 指标责任分工: 指标序号 | 指标名称 | 责任单位 | 配合单位.
Several units in one cell are separated by 、 ， , ； or a line break. Dates are date cells or text such as
2026-06-30, 2026/6/30 or 2026年6月30日.

The import reads and checks everything first and reports every error with its sheet, row and column
(“任务分工 第7行 E列：单位“市数局”不存在”); nothing is written unless every row is good, and then all of it is
written in one transaction as one new version of the plan (creation.services). A unit named in the workbook that
the city has not registered is an error, unless the office ticks “create the units” (``create_units``): then the
import adds them (a name ending in 县 or 区, or in 市 without being a 市… department, is taken as a county-level
unit). Tasks are matched by their number and keep their status and progress; a task left out of the workbook is
removed, unless it already has progress notes (then it is an error: its record stays). The responsibilities are
replaced by the sheet's rows."""
import dataclasses
import datetime
import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from cases.errors import InvalidPayload

from .models import Phase, Plan, Responsibility, Task, TaskProgress, Unit

GOALS, PHASES, TASKS, RESPONSIBILITIES = "创建目标", "阶段安排", "任务分工", "指标责任分工"
HEADERS = {
    GOALS: ["创建目标"],
    PHASES: ["序号", "阶段名称", "开始日期", "结束日期", "工作内容"],
    TASKS: ["序号", "任务名称", "任务内容", "所属阶段", "牵头单位", "配合单位", "完成时限"],
    RESPONSIBILITIES: ["指标序号", "指标名称", "责任单位", "配合单位"],
}
WIDTHS = {GOALS: [100], PHASES: [8, 16, 14, 14, 60], TASKS: [8, 30, 60, 14, 18, 36, 14], RESPONSIBILITIES: [10, 50, 18, 36]}
SEPARATORS = re.compile(r"[、，,；;\n]+")
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ── export ─────────────────────────────────────────────────────────────────────────────────────────────────
def _sheet(workbook, title):
    sheet = workbook.create_sheet(title)
    sheet.append(HEADERS[title])
    for index, width in enumerate(WIDTHS[title], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F3")
    sheet.freeze_panes = "A2"
    return sheet


def _date_cell(sheet, row, column, value):
    if value:
        cell = sheet.cell(row=row, column=column, value=value)
        cell.number_format = "yyyy-mm-dd"


def export_workbook(case, plan=None, *, template=False):
    """The plan of ``case`` as XLSX bytes. ``template``: the empty workbook to fill in, with the indicators of the
    case's indicator version listed (number and name) and no units."""
    from evaluation.sheets import system_for_case

    workbook = Workbook()
    workbook.remove(workbook.active)
    goals = _sheet(workbook, GOALS)
    phases = _sheet(workbook, PHASES)
    tasks = _sheet(workbook, TASKS)
    rows = _sheet(workbook, RESPONSIBILITIES)
    indicators = list(system_for_case(case).indicators.order_by("number").values_list("number", "name"))
    if plan is not None and not template:
        goals.cell(row=2, column=1, value=plan.goals).alignment = Alignment(wrap_text=True, vertical="top")
        for phase in plan.phases.order_by("order"):
            r = phases.max_row + 1
            phases.cell(row=r, column=1, value=phase.order)
            phases.cell(row=r, column=2, value=phase.name)
            _date_cell(phases, r, 3, phase.starts_on)
            _date_cell(phases, r, 4, phase.ends_on)
            phases.cell(row=r, column=5, value=phase.description)
        for task in plan.tasks.select_related("phase", "lead_unit").prefetch_related("co_units").order_by("number"):
            r = tasks.max_row + 1
            for column, value in enumerate([task.number, task.title, task.content, task.phase.name if task.phase else "",
                                            task.lead_unit.name, "、".join(sorted(u.name for u in task.co_units.all()))],
                                           start=1):
                tasks.cell(row=r, column=column, value=value)
            _date_cell(tasks, r, 7, task.due_on)
        names = dict(indicators)
        for row in plan.responsibilities.select_related("lead_unit").prefetch_related("co_units"):
            number = int(row.number) if row.number.isdigit() else row.number
            rows.append([number, names.get(number, ""), row.lead_unit.name,
                         "、".join(sorted(u.name for u in row.co_units.all()))])
        _sort_rows(rows)
    else:
        for number, name in indicators:
            rows.append([number, name, "", ""])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def build_workbook(*, goals="", phases=(), tasks=(), responsibilities=()):
    """A workbook in the import shape from plain rows (the demo, tests): phases [(order, name, starts, ends,
    description)], tasks [(number, title, content, phase name, lead, "co、co", due)], responsibilities
    [(number, name, lead, "co、co")]."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, GOALS).cell(row=2, column=1, value=goals)
    for title, rows in ((PHASES, phases), (TASKS, tasks), (RESPONSIBILITIES, responsibilities)):
        sheet = _sheet(workbook, title)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sort_rows(sheet):
    data = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    data.sort(key=lambda r: (str(type(r[0])), r[0]))
    for index, values in enumerate(data, start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=index, column=column, value=value)


# ── import: read and check everything ──────────────────────────────────────────────────────────────────────
@dataclasses.dataclass(frozen=True)
class CellError:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self):
        if self.row:
            return _("%(sheet)s 第%(row)s行 %(column)s列：%(message)s") % {
                "sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}
        return _("%(sheet)s：%(message)s") % {"sheet": self.sheet, "message": self.message}

    def as_dict(self):
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message,
                "text": str(self)}


class WorkbookRefused(InvalidPayload):
    """The workbook has errors: every one of them, with its place."""

    def __init__(self, errors):
        self.cell_errors = errors
        super().__init__(_("工作簿有 %(n)s 处错误，未导入任何内容，请修改后重新导入。") % {"n": len(errors)},
                         errors={"file": [str(e) for e in errors]}, cells=[e.as_dict() for e in errors])


@dataclasses.dataclass
class ParsedPlan:
    goals: str | None
    phases: list
    tasks: list
    responsibilities: list
    unit_names: set


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _int(value):
    text = _text(value)
    return int(text) if text.isdigit() and len(text) <= 5 else None


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = _DATE.match(_text(value))
    if not match:
        return None
    try:
        return datetime.date(*map(int, match.groups()))
    except ValueError:
        return None


def _names(value):
    return [n.strip() for n in SEPARATORS.split(_text(value)) if n.strip()]


def _rows(sheet):
    """(row number, values) of the non-empty rows below the header."""
    for index, values in enumerate(sheet.iter_rows(min_row=2, max_row=MAX_ROWS + 1, values_only=True), start=2):
        if any(_text(v) for v in values):
            yield index, list(values) + [None] * 8


def parse(data, *, indicator_numbers):
    """Read the workbook; return ParsedPlan or raise WorkbookRefused with every error."""
    errors = []
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — any unreadable file is the same refusal to the user
        raise WorkbookRefused([CellError(_("工作簿"), 0, "", _("无法读取，须为 Excel 工作簿（.xlsx）。"))]) from None
    missing = [name for name in (PHASES, TASKS, RESPONSIBILITIES) if name not in workbook.sheetnames]
    for name in missing:
        errors.append(CellError(name, 0, "", _("缺少工作表“%(name)s”。") % {"name": name}))
    if missing:
        raise WorkbookRefused(errors)

    def err(sheet, row, column, message):
        errors.append(CellError(sheet, row, column, message))

    goals = None
    if GOALS in workbook.sheetnames:
        goals = _text(workbook[GOALS].cell(row=2, column=1).value)

    phases, phase_names = [], set()
    for row, v in _rows(workbook[PHASES]):
        order, name, starts, ends = _int(v[0]), _text(v[1]), _date(v[2]), _date(v[3])
        if order is None or not 1 <= order <= 99:
            err(PHASES, row, "A", _("序号须为 1 至 99 的整数。"))
        elif any(p["order"] == order for p in phases):
            err(PHASES, row, "A", _("序号 %(n)s 重复。") % {"n": order})
        if not name:
            err(PHASES, row, "B", _("请填写阶段名称。"))
        elif name in phase_names:
            err(PHASES, row, "B", _("阶段名称“%(name)s”重复。") % {"name": name})
        elif len(name) > 50:
            err(PHASES, row, "B", _("阶段名称不超过 50 字。"))
        if starts is None:
            err(PHASES, row, "C", _("开始日期无效（如 2026-03-01）。"))
        if ends is None:
            err(PHASES, row, "D", _("结束日期无效（如 2026-12-31）。"))
        elif starts is not None and ends < starts:
            err(PHASES, row, "D", _("结束日期早于开始日期。"))
        phase_names.add(name)
        phases.append({"order": order, "name": name, "starts_on": starts, "ends_on": ends,
                       "description": _text(v[4])})

    unit_names, tasks = set(), []
    for row, v in _rows(workbook[TASKS]):
        number, title, phase, lead, co, due = _int(v[0]), _text(v[1]), _text(v[3]), _text(v[4]), _names(v[5]), v[6]
        if number is None or not 1 <= number <= 9999:
            err(TASKS, row, "A", _("序号须为 1 至 9999 的整数。"))
        elif any(t["number"] == number for t in tasks):
            err(TASKS, row, "A", _("序号 %(n)s 重复。") % {"n": number})
        if not title:
            err(TASKS, row, "B", _("请填写任务名称。"))
        elif len(title) > 200:
            err(TASKS, row, "B", _("任务名称不超过 200 字。"))
        if phase and phase not in phase_names:
            err(TASKS, row, "D", _("阶段“%(name)s”不在“阶段安排”表中。") % {"name": phase})
        if not lead:
            err(TASKS, row, "E", _("请填写牵头单位。"))
        elif len(_names(lead)) > 1:
            err(TASKS, row, "E", _("牵头单位只能填一个。"))
        due_on = _date(due) if _text(due) else None
        if _text(due) and due_on is None:
            err(TASKS, row, "G", _("完成时限无效（如 2026-06-30）。"))
        unit_names.update([lead] if lead else [])
        unit_names.update(co)
        tasks.append({"number": number, "title": title, "content": _text(v[2]), "phase": phase, "lead_unit": lead,
                      "co_units": co, "due_on": due_on, "row": row})

    responsibilities = []
    for row, v in _rows(workbook[RESPONSIBILITIES]):
        number, lead, co = _int(v[0]), _text(v[2]), _names(v[3])
        if number is None or number not in indicator_numbers:
            err(RESPONSIBILITIES, row, "A", _("本案件的评估指标体系没有指标“%(n)s”。") % {"n": _text(v[0])})
        elif any(r["number"] == str(number) for r in responsibilities):
            err(RESPONSIBILITIES, row, "A", _("指标 %(n)s 重复。") % {"n": number})
        if not lead:
            if co:
                err(RESPONSIBILITIES, row, "C", _("请填写责任单位。"))
            else:
                continue  # a template row left blank: no responsibility yet
        elif len(_names(lead)) > 1:
            err(RESPONSIBILITIES, row, "C", _("责任单位只能填一个。"))
        unit_names.update([lead] if lead else [])
        unit_names.update(co)
        responsibilities.append({"number": str(number) if number is not None else "", "lead_unit": lead,
                                 "co_units": co, "row": row})
    if errors:
        raise WorkbookRefused(errors)
    return ParsedPlan(goals=goals, phases=phases, tasks=tasks, responsibilities=responsibilities,
                      unit_names=unit_names)


def guess_kind(name):
    if name.endswith(("县", "区")) or (name.endswith("市") and not name.startswith("市")):
        return Unit.Kind.COUNTY
    return Unit.Kind.DEPARTMENT


def import_plan(*, case_id, actor, data, create_units=False, expected_version=None):
    """The office imports the workbook (see the module docstring). Returns (plan, [units created])."""
    from evaluation.sheets import system_for_case

    from . import services

    if len(data) > MAX_BYTES:
        raise WorkbookRefused([CellError(_("工作簿"), 0, "", _("文件过大（上限 5 MB）。"))])
    with services.locked_workspace(case_id, actor) as case:
        services._require_office(actor, case)
        services._require_working(case)
        numbers = set(system_for_case(case).indicators.values_list("number", flat=True))
        parsed = parse(data, indicator_numbers=numbers)
        plan = services._locked_plan(case)
        if plan is not None:
            services._check_version(plan.version, expected_version, _("创建工作方案"))
        units = {u.name: u for u in Unit.objects.filter(creation_object_id=case.creation_object_id)}
        errors = _unit_errors(parsed, units, create_units)
        if plan is not None:
            keep = {t["number"] for t in parsed.tasks}
            with_progress = set(TaskProgress.objects.filter(task__plan=plan).exclude(task__number__in=keep)
                                .values_list("task__number", flat=True))
            for number in sorted(with_progress):
                errors.append(CellError(TASKS, 0, "", _("第 %(n)s 号任务已有进展记录，不能从方案中删除；请保留该行。")
                                        % {"n": number}))
        if errors:
            raise WorkbookRefused(errors)
        created = []
        for name in sorted(parsed.unit_names - set(units)):
            units[name] = Unit.objects.create(creation_object_id=case.creation_object_id, name=name,
                                              kind=guess_kind(name), created_by=actor)
            created.append(units[name])
        new_plan = plan is None
        if new_plan:
            plan = Plan.objects.create(case=case, updated_by=actor, version=1)
        if parsed.goals is not None:
            plan.goals = parsed.goals
            plan.save(update_fields=["goals"])
        services._replace_phases(plan, parsed.phases)
        phases = {p.name: p for p in plan.phases.all()}
        existing = {t.number: t for t in plan.tasks.all()}
        plan.tasks.exclude(number__in=[t["number"] for t in parsed.tasks]).delete()
        for row in parsed.tasks:
            task = existing.get(row["number"]) or Task(plan=plan, number=row["number"])
            task.title, task.content, task.due_on = row["title"], row["content"], row["due_on"]
            task.phase = phases.get(row["phase"]) if row["phase"] else None
            task.lead_unit = units[row["lead_unit"]]
            task.save()
            task.co_units.set([units[n] for n in dict.fromkeys(row["co_units"]) if n != row["lead_unit"]])
        plan.responsibilities.all().delete()
        for row in parsed.responsibilities:
            responsibility = Responsibility.objects.create(plan=plan, number=row["number"],
                                                           lead_unit=units[row["lead_unit"]])
            responsibility.co_units.set([units[n] for n in dict.fromkeys(row["co_units"]) if n != row["lead_unit"]])
        services._revise(plan, case, actor, _("导入工作簿：%(tasks)s 项任务，%(rows)s 项指标责任分工") % {
            "tasks": len(parsed.tasks), "rows": len(parsed.responsibilities)}, bump=not new_plan)
    return plan, created


def _unit_errors(parsed, units, create_units):
    errors = []

    def check(sheet, row, column, name):
        unit = units.get(name)
        if len(name) > 100:
            errors.append(CellError(sheet, row, column, _("单位名称不超过 100 字。")))
        elif unit is None and not create_units:
            errors.append(CellError(sheet, row, column, _("单位“%(name)s”不存在（可先在“成员单位”中新增，或勾选“自动新增未登记的单位”）。")
                                    % {"name": name}))
        elif unit is not None and not unit.active:
            errors.append(CellError(sheet, row, column, _("单位“%(name)s”已停用。") % {"name": name}))

    for row in parsed.tasks:
        check(TASKS, row["row"], "E", row["lead_unit"])
        for name in row["co_units"]:
            check(TASKS, row["row"], "F", name)
    for row in parsed.responsibilities:
        check(RESPONSIBILITIES, row["row"], "C", row["lead_unit"])
        for name in row["co_units"]:
            check(RESPONSIBILITIES, row["row"], "D", name)
    return errors


__all__ = ["CONTENT_TYPE", "WorkbookRefused", "export_workbook", "import_plan", "parse", "Phase"]
