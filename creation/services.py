"""The only writers of the creation workspace's units, liaisons and plan (办法 第十条: 开展创建; seeds 002, 003).

Who may call what (creation.selectors decides scope; outside it the case is a 404):
- the city's office (its applicants, the 创建办): units (add, rename, retire), liaison users, the plan's
  definition — goals, phases, tasks, the responsible unit per indicator — and an XLSX import (creation.xlsx);
- a liaison of a task's lead unit or one of its co-units, and the office: progress notes (with attachments) and the
  task's status;
- the province and SAMR: nothing here (they read).

Every act runs in one transaction on the locked case row and writes its audit entry there
(cases.services.record_action). Every change to the plan's definition bumps Plan.version and writes a
PlanRevision with the plan's snapshot; a client that read an older version gets a 409 (optimistic lock)."""
import contextlib

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from cases.errors import Conflict, IllegalTransition, InvalidPayload, NotAllowed, NotFound
from cases.services import _version_token, record_action
from documents.services import store_file
from documents.models import Document

from . import selectors
from .models import Liaison, Phase, Plan, PlanRevision, Responsibility, Task, TaskProgress, Unit

EVIDENCE_KIND = Document.Kind.CREATION_EVIDENCE


# ── locking and checks ─────────────────────────────────────────────────────────────────────────────────────
@contextlib.contextmanager
def locked_workspace(case_id, actor):
    """One act on the workspace: a transaction with the case row locked; NotFound outside the actor's scope."""
    with transaction.atomic():
        case = (selectors.workspace_cases(actor).select_for_update(of=("self",))
                .select_related("creation_object__province", "rule_set").filter(pk=case_id).first())
        if case is None:
            raise NotFound()
        yield case


def _require_office(actor, case):
    if not selectors.is_office(actor, case):
        raise NotAllowed(_("只有本市创建办（创建对象经办人）可以执行该操作。"))


def _require_working(case):
    # 办法 第十条、第十二条: the plan is worked on while the city creates (and after a return or a failed round).
    if case.state not in selectors.WORKING_STATES:
        raise IllegalTransition(_("案件当前状态为“%(state)s”，创建工作方案不能再修改。") % {"state": case.get_state_display()},
                                state=case.state)


def _check_version(current, expected, what):
    if expected is None:
        return
    expected = _version_token(expected)
    if expected != current:
        raise Conflict(_("%(what)s已被他人更新（当前版本 %(now)s，您提交的是版本 %(sent)s），请刷新后重试。")
                       % {"what": what, "now": current, "sent": expected}, version=current)


# ── units and liaisons ─────────────────────────────────────────────────────────────────────────────────────
def add_unit(*, case_id, actor, name, kind=Unit.Kind.DEPARTMENT):
    """The office adds a member unit (成员单位) to its city. Names are unique per city."""
    name = (name or "").strip()
    if not name:
        raise InvalidPayload(_("请填写单位名称。"), errors={"name": [_("此项为必填项。")]})
    with locked_workspace(case_id, actor) as case:
        _require_office(actor, case)
        if Unit.objects.filter(creation_object_id=case.creation_object_id, name=name).exists():
            raise InvalidPayload(_("单位“%(name)s”已存在。") % {"name": name}, errors={"name": [_("该单位已存在。")]})
        unit = Unit.objects.create(creation_object_id=case.creation_object_id, name=name, kind=kind, created_by=actor)
        record_action(case, actor=actor, name="creation_add_unit", label=_("新增成员单位"),
                      data={"unit": unit.pk, "name": name, "kind": kind})
    return unit


def change_unit(*, case_id, actor, unit_id, name=None, kind=None, active=None):
    """The office renames a unit, changes its kind, retires it (active=False: its liaisons lose access) or brings
    it back. Tasks and responsibilities keep pointing at it: history is not rewritten."""
    with locked_workspace(case_id, actor) as case:
        _require_office(actor, case)
        unit = Unit.objects.select_for_update().filter(pk=unit_id, creation_object_id=case.creation_object_id).first()
        if unit is None:
            raise NotFound(_("没有这个成员单位。"))
        changed = {}
        if name is not None and name.strip() and name.strip() != unit.name:
            name = name.strip()
            if Unit.objects.filter(creation_object_id=case.creation_object_id, name=name).exclude(pk=unit.pk).exists():
                raise InvalidPayload(_("单位“%(name)s”已存在。") % {"name": name}, errors={"name": [_("该单位已存在。")]})
            changed["name"] = [unit.name, name]
            unit.name = name
        if kind is not None and kind != unit.kind:
            changed["kind"] = [unit.kind, kind]
            unit.kind = kind
        if active is not None and active != unit.active:
            changed["active"] = [unit.active, active]
            unit.active = active
        if changed:
            unit.save()
            label = _("停用成员单位") if changed.get("active") == [True, False] else _("修改成员单位")
            record_action(case, actor=actor, name="creation_change_unit", label=label,
                          data={"unit": unit.pk, "changed": changed})
    return unit


def create_liaison(*, case_id, actor, unit_id, username, name, password):
    """The office creates a liaison login (role 成员单位联络员) for one of its units, in the city's organisation.
    The password is set by the office and handed over in person (no e-mail invitation: decided, see the README);
    Django's password validators apply. One unit per liaison."""
    username = (username or "").strip()
    errors = {}
    if not username:
        errors["username"] = [_("此项为必填项。")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("用户名“%(username)s”已被使用。") % {"username": username}]
    if not (name or "").strip():
        errors["name"] = [_("此项为必填项。")]
    probe = User(username=username, first_name=(name or "").strip(), role=Role.MEMBER_LIAISON)
    try:
        password_validation.validate_password(password or "", user=probe)
    except ValidationError as refusal:
        errors["password"] = list(refusal.messages)
    if errors:
        raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=errors)
    with locked_workspace(case_id, actor) as case:
        _require_office(actor, case)
        unit = Unit.objects.filter(pk=unit_id, creation_object_id=case.creation_object_id).first()
        if unit is None:
            raise NotFound(_("没有这个成员单位。"))
        if not unit.active:
            raise IllegalTransition(_("单位“%(name)s”已停用，不能再设联络员。") % {"name": unit.name})
        user = User.objects.create_user(username=username, password=password, first_name=name.strip(),
                                        role=Role.MEMBER_LIAISON, organisation=actor.organisation)
        liaison = Liaison.objects.create(user=user, unit=unit, created_by=actor)
        record_action(case, actor=actor, name="creation_add_liaison", label=_("新增成员单位联络员"),
                      data={"unit": unit.pk, "user": user.pk, "username": username})
    return liaison


# ── the plan ───────────────────────────────────────────────────────────────────────────────────────────────
def snapshot(plan):
    """The plan's definition as plain data (what a PlanRevision keeps; what the diff compares)."""
    phases = list(plan.phases.all().order_by("order"))
    tasks = list(plan.tasks.select_related("phase", "lead_unit").prefetch_related("co_units").order_by("number"))
    rows = sorted(plan.responsibilities.select_related("lead_unit").prefetch_related("co_units"), key=indicator_order)
    return {
        "goals": plan.goals,
        "document": plan.document_id,
        "phases": [{"order": p.order, "name": p.name, "starts_on": p.starts_on.isoformat(),
                    "ends_on": p.ends_on.isoformat(), "description": p.description} for p in phases],
        "tasks": [{"number": t.number, "title": t.title, "content": t.content, "phase": t.phase.name if t.phase else "",
                   "lead_unit": t.lead_unit.name, "co_units": sorted(u.name for u in t.co_units.all()),
                   "due_on": t.due_on.isoformat() if t.due_on else ""} for t in tasks],
        "responsibilities": [{"number": r.number, "lead_unit": r.lead_unit.name,
                              "co_units": sorted(u.name for u in r.co_units.all())} for r in rows],
    }


def indicator_order(row):
    """Indicators in their numeric order (1, 2 … 10), whatever the text of their number."""
    number = row.number
    return (0, int(number), "") if number.isdigit() else (1, 0, number)


def _revise(plan, case, actor, summary, *, bump=True):
    """Bump the plan's version (unless it was just created) and keep the snapshot; audit it. A change that leaves
    the definition as it was (the same workbook imported again, a form saved unchanged) is no new version."""
    current = snapshot(plan)
    if bump:
        last = plan.revisions.order_by("-number").values_list("snapshot", flat=True).first()
        if last == current:
            return
        plan.version += 1
    plan.updated_by = actor
    plan.updated_at = timezone.now()
    plan.save(update_fields=["version", "updated_by", "updated_at"])
    PlanRevision.objects.create(plan=plan, number=plan.version, summary=str(summary)[:200], snapshot=current,
                                created_by=actor)
    record_action(case, actor=actor, name="creation_plan_revised", label=_("修改创建工作方案"),
                  comment=str(summary)[:200], data={"plan_version": plan.version})


def _locked_plan(case, *, create_for=None):
    plan = Plan.objects.select_for_update().filter(case=case).first()
    if plan is None and create_for is not None:
        plan = Plan.objects.create(case=case, updated_by=create_for, version=0)
    return plan


def _plan_document(case, document_id):
    if document_id in (None, ""):
        return None
    document = Document.objects.filter(pk=document_id, case=case, kind=Document.Kind.CREATION_PLAN).first()
    if document is None:
        raise InvalidPayload(_("所选文件不是本案件申报时上传的创建方案。"), errors={"document": [_("须为本案件的创建方案。")]})
    return document


def save_plan(*, case_id, actor, goals=None, document_id=None, phases=None, expected_version=None,
              summary=""):
    """The office writes the plan's goals, its link to the 创建方案 uploaded with the application (the legal document;
    this plan is the working copy) and, when given, its phases (replacing them, matched by order: tasks keep their
    phase where its order stays). Creates the plan on first use. Writes a revision."""
    with locked_workspace(case_id, actor) as case:
        _require_office(actor, case)
        _require_working(case)
        plan = _locked_plan(case, create_for=actor)
        created = plan.version == 0
        if not created:
            _check_version(plan.version, expected_version, _("创建工作方案"))
        if goals is not None:
            plan.goals = goals
        if document_id is not None:
            plan.document = _plan_document(case, document_id)
        plan.save()
        if phases is not None:
            _replace_phases(plan, phases)
        if created:
            plan.version = 1
        _revise(plan, case, actor, summary or (_("建立创建工作方案") if created else _("修改方案目标与阶段")), bump=not created)
    return plan


def _replace_phases(plan, phases):
    seen = set()
    for row in phases:
        if row["ends_on"] < row["starts_on"]:
            raise InvalidPayload(_("阶段“%(name)s”的结束日期早于开始日期。") % {"name": row["name"]},
                                 errors={"phases": [_("结束日期不能早于开始日期。")]})
        if row["order"] in seen:
            raise InvalidPayload(_("阶段序号 %(order)s 重复。") % {"order": row["order"]},
                                 errors={"phases": [_("阶段序号不能重复。")]})
        seen.add(row["order"])
    plan.phases.exclude(order__in=seen).delete()  # its tasks keep no phase (SET_NULL)
    existing = {p.order: p for p in plan.phases.all()}
    for row in phases:
        phase = existing.get(row["order"]) or Phase(plan=plan, order=row["order"])
        phase.name, phase.starts_on, phase.ends_on = row["name"], row["starts_on"], row["ends_on"]
        phase.description = row.get("description", "")
        phase.save()


def save_phase(*, case_id, actor, order, name, starts_on, ends_on, description="", expected_version=None):
    """The office adds a phase or rewrites the phase of that order."""
    if ends_on < starts_on:
        raise InvalidPayload(_("结束日期不能早于开始日期。"), errors={"ends_on": [_("结束日期不能早于开始日期。")]})
    with locked_workspace(case_id, actor) as case:
        _require_office(actor, case)
        _require_working(case)
        plan = _existing_plan(case)
        _check_version(plan.version, expected_version, _("创建工作方案"))
        phase = plan.phases.filter(order=order).first() or Phase(plan=plan, order=order)
        phase.name, phase.starts_on, phase.ends_on, phase.description = name, starts_on, ends_on, description
        phase.save()
        _revise(plan, case, actor, _("阶段 %(order)s：%(name)s") % {"order": order, "name": name})
    return phase


def _existing_plan(case):
    plan = _locked_plan(case)
    if plan is None:
        raise IllegalTransition(_("尚未建立创建工作方案：请先填写创建目标或导入方案。"))
    return plan


def _units_of(case, ids, field):
    """The active units of the case's city among ``ids`` (an unknown or retired one is a 400 on ``field``)."""
    ids = [i for i in ids if i is not None]
    found = {u.pk: u for u in Unit.objects.filter(pk__in=ids, creation_object_id=case.creation_object_id, active=True)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidPayload(_("所选单位不存在或已停用。"), errors={field: [_("单位 %(ids)s 不存在或已停用。")
                                                                    % {"ids": ", ".join(map(str, missing))}]})
    return [found[i] for i in ids]


TASK_FIELDS = ("title", "content", "phase", "lead_unit", "co_units", "due_on")


def create_task(*, case_id, actor, title, lead_unit, content="", phase=None, co_units=(), due_on=None, number=None,
                expected_version=None):
    """The office adds a task: title, content, phase (its order), lead unit and co-units (ids), due date."""
    with locked_workspace(case_id, actor) as case:
        _require_office(actor, case)
        _require_working(case)
        plan = _existing_plan(case)
        _check_version(plan.version, expected_version, _("创建工作方案"))
        if number is None:
            number = (plan.tasks.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        elif plan.tasks.filter(number=number).exists():
            raise InvalidPayload(_("任务序号 %(n)s 已存在。") % {"n": number}, errors={"number": [_("序号重复。")]})
        task = Task(plan=plan, number=number)
        _apply_definition(task, case, plan, {"title": title, "content": content, "phase": phase,
                                             "lead_unit": lead_unit, "co_units": co_units, "due_on": due_on})
        _revise(plan, case, actor, _("新增任务 %(n)s：%(title)s") % {"n": number, "title": title})
    return task


def _apply_definition(task, case, plan, fields):
    if "title" in fields:
        if not (fields["title"] or "").strip():
            raise InvalidPayload(_("请填写任务名称。"), errors={"title": [_("此项为必填项。")]})
        task.title = fields["title"].strip()
    if "content" in fields:
        task.content = fields["content"] or ""
    if "phase" in fields:
        order = fields["phase"]
        task.phase = None
        if order is not None:
            task.phase = plan.phases.filter(order=order).first()
            if task.phase is None:
                raise InvalidPayload(_("没有序号为 %(n)s 的阶段。") % {"n": order}, errors={"phase": [_("阶段不存在。")]})
    if "lead_unit" in fields:
        task.lead_unit = _units_of(case, [fields["lead_unit"]], "lead_unit")[0]
    if "due_on" in fields:
        task.due_on = fields["due_on"]
    task.save()
    if "co_units" in fields:
        co = _units_of(case, list(dict.fromkeys(fields["co_units"] or ())), "co_units")
        task.co_units.set([u for u in co if u.pk != task.lead_unit_id])


def update_task(*, case_id, actor, task_id, expected_version=None, status=None, progress=None, **fields):
    """PATCH of a task. The office edits its definition (TASK_FIELDS: a new plan version); the office or a liaison
    of its lead or a co-unit changes its status (with an optional progress note). A liaison outside those units,
    or a task of another city, is a 404. ``expected_version`` is the task's version."""
    definition = {k: v for k, v in fields.items() if k in TASK_FIELDS}
    if not definition and status is None and not progress:
        raise InvalidPayload(_("没有要修改的内容。"), errors={"status": [_("请填写要修改的项目。")]})
    with locked_workspace(case_id, actor) as case:
        task = _task_in_scope(case, actor, task_id, for_update=True)
        _check_version(task.version, expected_version, _("该任务"))
        _require_working(case)
        if definition:
            _require_office(actor, case)
            plan = task.plan
            Plan.objects.select_for_update().filter(pk=plan.pk).first()
            _apply_definition(task, case, plan, definition)
            _revise(plan, case, actor, _("修改任务 %(n)s：%(title)s") % {"n": task.number, "title": task.title})
        if status is not None or progress:
            _record_progress(case, actor, task, text=progress or "", status=status or task.status, files_=())
        task.version += 1
        task.save(update_fields=["version"])
    return task


def _task_in_scope(case, actor, task_id, *, for_update=False):
    plan = Plan.objects.filter(case=case).first()
    if plan is None:
        raise NotFound(_("没有这个任务。"))
    tasks = selectors.tasks_visible(actor, plan)
    if for_update:
        tasks = tasks.select_for_update(of=("self",))
    task = tasks.select_related("plan__case", "lead_unit", "phase").filter(pk=task_id).first()
    if task is None:
        raise NotFound(_("没有这个任务。"))
    return task


def add_progress(*, case_id, actor, task_id, text, status=None, files_=(), expected_version=None):
    """A liaison of the task's lead unit or a co-unit (or the office) records progress — dated, attributed, with
    attachments (documents of kind 创建工作材料, checked by their content) — and may change the task's status."""
    with locked_workspace(case_id, actor) as case:
        task = _task_in_scope(case, actor, task_id, for_update=True)
        _check_version(task.version, expected_version, _("该任务"))
        _require_working(case)
        note = _record_progress(case, actor, task, text=text, status=status or task.status, files_=files_)
        task.version += 1
        task.save(update_fields=["version"])
    return note


def _record_progress(case, actor, task, *, text, status, files_):
    if not selectors.may_work_on_task(actor, task):
        raise NotAllowed(_("只有牵头单位、配合单位的联络员或创建办可以报送该任务的进展。"))
    if status not in Task.Status.values:
        raise InvalidPayload(_("任务状态无效。"), errors={"status": [_("无效的状态。")]})
    if not (text or "").strip() and status == task.status:
        raise InvalidPayload(_("请填写进展情况。"), errors={"text": [_("此项为必填项。")]})
    unit = selectors.liaison_unit(actor)
    documents = [_store_attachment(case, actor, f) for f in files_]
    note = TaskProgress.objects.create(task=task, text=(text or "").strip() or _("状态更新"), status=status,
                                       unit=unit, author=actor)
    if documents:
        note.attachments.set(documents)
    previous = task.status
    if status != previous:
        task.status = status
        task.status_changed_at = timezone.now()
        task.save(update_fields=["status", "status_changed_at"])
    record_action(case, actor=actor, name="creation_task_progress", label=_("报送任务进展"),
                  comment=(text or "")[:500],
                  data={"task": task.pk, "number": task.number, "status": status, "status_before": previous,
                        "unit": unit.pk if unit else None, "documents": [d.pk for d in documents]})
    return note


def _store_attachment(case, actor, file):
    """An attachment as a Document of the case (kind 创建工作材料), checked like every upload."""
    return store_file(case=case, actor=actor, kind=EVIDENCE_KIND, file=file, title=file.name or _("附件"))


def set_responsibility(*, case_id, actor, number, lead_unit, co_units=(), expected_version=None):
    """The office names the unit responsible for an indicator of the case's indicator version (002 附件2) and its
    co-units. A new plan version."""
    from evaluation.sheets import system_for_case

    with locked_workspace(case_id, actor) as case:
        _require_office(actor, case)
        _require_working(case)
        plan = _existing_plan(case)
        _check_version(plan.version, expected_version, _("创建工作方案"))
        number = str(number).strip()
        if not system_for_case(case).indicators.filter(number=int(number) if number.isdigit() else -1).exists():
            raise InvalidPayload(_("本案件的评估指标体系没有第 %(n)s 项指标。") % {"n": number},
                                 errors={"number": [_("指标不存在。")]})
        lead = _units_of(case, [lead_unit], "lead_unit")[0]
        row, _created = Responsibility.objects.update_or_create(plan=plan, number=number,
                                                                defaults={"lead_unit": lead})
        co = _units_of(case, list(dict.fromkeys(co_units or ())), "co_units")
        row.co_units.set([u for u in co if u.pk != lead.pk])
        _revise(plan, case, actor, _("指标 %(n)s 责任单位：%(unit)s") % {"n": number, "unit": lead.name})
    return row


def diff_snapshots(before, after):
    """[(section, item, field, old, new)] between two revisions' snapshots: what a reader compares."""
    out = []
    for field in ("goals", "document"):
        if before.get(field) != after.get(field):
            out.append(("plan", "", field, before.get(field), after.get(field)))
    for section, key in (("phases", "order"), ("tasks", "number"), ("responsibilities", "number")):
        old = {row[key]: row for row in before.get(section, [])}
        new = {row[key]: row for row in after.get(section, [])}
        for item in sorted(set(old) | set(new), key=lambda k: (len(str(k)), str(k))):
            a, b = old.get(item), new.get(item)
            if a is None or b is None:
                out.append((section, item, "", a, b))
                continue
            for field in b:
                if a.get(field) != b.get(field):
                    out.append((section, item, field, a.get(field), b.get(field)))
    return out
