"""The only writers of a case's state. Every move and every recorded decision:

1. opens one transaction and locks the case row (NOWAIT: a second writer gets a conflict, not a wait);
2. checks scope (outside it the case does not exist: NotFound), role (NotAllowed), state (IllegalTransition),
   the client's version token (Conflict), the payload (InvalidPayload) and the move's guards (GuardFailed);
3. runs the django-fsm move, bumps the version and saves (ConcurrentTransitionMixin refuses a lost race);
4. writes the stage record and the audit entry in the same transaction;
5. sends notifications only after commit.
"""
import contextlib
import dataclasses
import datetime

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from accounts.models import Role

from . import selectors
from .errors import Conflict, GuardFailed, IllegalTransition, InvalidPayload, NotAllowed, NotFound
from .models import AuditAttachment, AuditEntry, Case
from .workflow import SYSTEM, TERMINAL_STATE_VALUES, State


class SystemActor:
    """The periodic sweeps. Has the 'system' role, no organisation, and sees every case."""

    pk = id = None
    role = SYSTEM
    username = "system"
    organisation = None
    organisation_id = None
    is_authenticated = False

    def get_full_name(self):
        return _("系统")


SYSTEM_ACTOR = SystemActor()


@dataclasses.dataclass(frozen=True)
class Context:
    actor: object
    payload: dict
    now: datetime.datetime

    @property
    def today(self):
        return timezone.localdate(self.now)


@dataclasses.dataclass(frozen=True)
class Move:
    name: str
    label: str
    sources: frozenset
    roles: frozenset
    guards: tuple
    payload: str | None
    record: str | None
    comment_required: bool
    notify: tuple
    binds_rule_set: bool
    method: object

    def payload_class(self):
        return import_string(self.payload) if self.payload else None


def _collect_moves():
    moves = {}
    for t in Case._meta.get_field("state").get_all_transitions(Case):
        custom = t.custom
        existing = moves.get(t.name)
        sources = (existing.sources if existing else frozenset()) | {t.source}
        moves[t.name] = Move(t.name, custom["label"], sources, custom["roles"], custom["guards"], custom["payload"],
                             custom["record"], custom["comment_required"], custom["notify"], custom["binds_rule_set"],
                             getattr(Case, t.name))
    return moves


MOVES = _collect_moves()


def _state_label(state):
    return State(state).label


def moves_for(case, actor):
    """The moves this actor's role may make from the case's current state (whether or not guards hold)."""
    role = getattr(actor, "role", None)
    return [m for m in MOVES.values() if case.state in m.sources and role in m.roles]


def available_moves(case, actor):
    """[(move, [unmet guard reasons])] for the actor in the current state."""
    return [(m, [str(r) for g in m.guards if (r := g.reason(case)) is not None]) for m in moves_for(case, actor)]


@contextlib.contextmanager
def locked_case(case_id, actor, expected_version=None):
    """Lock the case for one action. Raises NotFound outside the actor's scope and Conflict when another
    writer holds the row or the client's version token is stale."""
    with transaction.atomic():
        try:
            case = (selectors.cases_visible_to(actor).select_for_update(nowait=True, of=("self",))
                    .select_related("rule_set", "creation_object__province", "call").get(pk=case_id))
        except Case.DoesNotExist:
            raise NotFound() from None
        except DatabaseError:
            raise Conflict(_("该案件正由他人处理，请稍后重试。")) from None
        if expected_version is not None:
            expected_version = _version_token(expected_version)
        if expected_version is not None and expected_version != case.version:
            raise Conflict(_("案件已被他人更新（当前版本 %(now)s，您提交的是版本 %(sent)s），请刷新后重试。")
                           % {"now": case.version, "sent": expected_version}, version=case.version)
        yield case


def _version_token(value):
    """The client's version: a whole number ≥ 1 (Case.version starts at 1), or an If-Match header such as "3" or
    W/"3". Anything else — 0, "²", a bool, 5,000 digits — is a 400, never a skipped lock or a 500."""
    if isinstance(value, bool):
        value = "x"
    text = str(value).strip().removeprefix("W/").strip('"')
    if not (text.isascii() and text.isdigit() and len(text) <= 10 and 1 <= int(text) <= 2_147_483_647):
        raise InvalidPayload(_("版本号须为正整数（您读到的案件 version）。"), errors={"version": [_("须为正整数。")]})
    return int(text)


def write_audit(case, *, actor, kind, name, label, from_state, comment="", data=None, attachments=(), article=""):
    """Append one audit entry (inside the caller's transaction, on a locked case)."""
    last = case.audit_entries.aggregate(last=Max("sequence"))["last"] or 0
    organisation = getattr(actor, "organisation", None)
    with translation.override(settings.LANGUAGE_CODE):  # the record is kept in the official language
        label = str(label)
    entry = AuditEntry.objects.create(
        case=case, sequence=last + 1, at=timezone.now(), kind=kind, name=name, label=label,
        from_state=from_state, to_state=case.state, actor=actor if actor.pk else None,
        actor_name=actor.get_full_name() or actor.username, role=actor.role,
        organisation=organisation, organisation_name=organisation.name if organisation else "",
        article=article, comment=comment, data=data or {}, case_version=case.version,
    )
    AuditAttachment.objects.bulk_create([AuditAttachment(entry=entry, document=d) for d in attachments])
    return entry


def _validate_payload(move, case, actor, payload):
    from .payloads import BasePayload

    serializer_class = move.payload_class() or BasePayload
    serializer = serializer_class(data=payload or {}, context={"case": case, "actor": actor, "move": move})
    if not serializer.is_valid():
        raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=serializer.errors)
    data = dict(serializer.validated_data)
    if move.comment_required and not data.get("comment", "").strip():
        raise InvalidPayload(_("“%(move)s”须填写理由。") % {"move": move.label},
                             errors={"comment": [_("此项为必填项。")]})
    return data


def perform_transition(*, case_id, name, actor, payload=None, expected_version=None, listed_in=None):
    """Make move ``name`` on the case for ``actor`` (a user, or SYSTEM_ACTOR for the sweeps).

    ``listed_in`` is for the services that publish a list in one act (publicity.services.publish_notice_list,
    designation.services.publish_announcement): {"listing": NoticeList} or {"announcement": Announcement}, the
    list this city's move belongs to. It never comes from a client's payload, so no one can slip a city into a
    list published for another round.

    Who may call it: any authenticated user; the move's roles and the actor's scope decide. Changes the case's
    state and dated fields, writes the move's stage record and one audit entry; notifies after commit."""
    move = MOVES.get(name)
    if move is None:
        raise NotFound(_("没有名为“%(name)s”的操作。") % {"name": name})
    with locked_case(case_id, actor, expected_version) as case:
        role = getattr(actor, "role", None)
        if role not in move.roles:
            raise NotAllowed(_("您的角色（%(role)s）不能执行“%(move)s”。")
                             % {"role": Role(role).label if role in Role.values else role, "move": move.label})
        if case.state not in move.sources:
            allowed = [str(m.label) for m in moves_for(case, actor)]
            raise IllegalTransition(
                _("案件当前状态为“%(state)s”，不能执行“%(move)s”。当前可执行：%(allowed)s。")
                % {"state": _state_label(case.state), "move": move.label, "allowed": "、".join(allowed) or _("无")},
                state=case.state, allowed=[m.name for m in moves_for(case, actor)],
            )
        bound_from = _bind_rule_set(case) if move.binds_rule_set else None
        data = _validate_payload(move, case, actor, payload)
        data.update(listed_in or {})
        reasons = [str(r) for g in move.guards if (r := g.reason(case)) is not None]
        if reasons:
            raise GuardFailed("；".join(reasons), state=case.state, reasons=reasons)

        ctx = Context(actor=actor, payload=data, now=timezone.now())
        from_state = case.state
        move.method(case, ctx)
        case.version += 1
        try:
            case.save()
        except ConcurrentTransition:
            raise Conflict(_("案件状态已被他人改变，请刷新后重试。")) from None
        if move.record:
            import_string(move.record)(case=case, ctx=ctx, move=move)
        recorded = _jsonable(data, exclude={"comment", "attachments"})
        if bound_from is not None:  # the move's own entry records which measures now govern the case, for life
            recorded.update(rule_set=case.rule_set.code, rule_set_before=bound_from)
        from official.registry import issue_for_move  # the act's 公文: numbered, stored, hashed in this transaction

        recorded.update(issue_for_move(case=case, ctx=ctx, move=move))
        write_audit(case, actor=actor, kind=AuditEntry.Kind.TRANSITION, name=move.name, label=move.label,
                    from_state=from_state, comment=data.get("comment", ""), data=recorded,
                    attachments=data.get("attachments", ()), article=case.rule_set.article(move.name))
        _notify(case, move.notify, event=move.name,
                          subject=_("%(case)s：%(move)s") % {"case": case.creation_object, "move": move.label})
    return case


def _bind_rule_set(case):
    """DESIGN.md, Rule sets: a case is governed by the measures in force on the day it is submitted — a draft opened
    under the 2022 trial measures and submitted after the current measures took effect is governed by them. Binds
    the (locked, unsaved) case and returns the code it was bound to before; the move saves it."""
    from rulesets.selectors import rule_set_in_force

    in_force = rule_set_in_force(timezone.localdate())
    if in_force is None:
        raise InvalidPayload(_("今天没有施行中的管理办法，请联系系统管理员。"))
    previous = case.rule_set.code
    case.rule_set = in_force
    return previous


def record_action(case, *, actor, name, label, comment="", data=None, attachments=(), notify=()):
    """Append an audit entry for a decision that does not move the state (called inside locked_case)."""
    case.version += 1
    Case.objects.filter(pk=case.pk).update(version=case.version)
    entry = write_audit(case, actor=actor, kind=AuditEntry.Kind.ACTION, name=name, label=label,
                        from_state=case.state, comment=comment, data=data, attachments=attachments)
    if notify:
        _notify(case, notify, event=name, subject=f"{case.creation_object}：{label}")
    return entry


def _jsonable(data, exclude=()):
    out = {}
    for key, value in data.items():
        if key in exclude:
            continue
        if isinstance(value, (datetime.date, datetime.datetime)):
            value = value.isoformat()
        elif hasattr(value, "as_tuple"):  # Decimal
            value = str(value)
        elif hasattr(value, "pk"):  # a record the payload named (e.g. the evaluation round): its id
            value = value.pk
        out[key] = value
    return out


def _notify(case, roles, *, event, subject):
    """Notifications are written in the act's own transaction — they exist exactly when the act does — and
    their e-mail leaves only after commit (notifications.services.notify)."""
    from notifications.services import notify_roles

    notify_roles(case_id=case.pk, roles=roles, event=event, subject=str(subject))


def create_case(*, actor, title, call=None):
    """An applicant opens a draft case for their own creation object, bound to the rule set in force today.

    Who may call it: applicants only. Writes the case and its first audit entry."""
    from rulesets.selectors import rule_set_in_force

    if getattr(actor, "role", None) != Role.APPLICANT:
        raise NotAllowed(_("只有创建对象经办人可以发起创建申请。"))
    creation_object = actor.organisation.creation_object
    today = timezone.localdate()
    rule_set = rule_set_in_force(today)
    if rule_set is None:
        raise InvalidPayload(_("今天没有施行中的管理办法，请联系系统管理员。"))
    if rule_set.application_calendar == "per_call" and call is None:
        raise InvalidPayload(_("请选择市场监管总局的申报通知（办法 第七条）。"), errors={"call": [_("此项为必填项。")]})
    with transaction.atomic():
        if Case.objects.select_for_update().filter(creation_object=creation_object).exclude(
                state__in=TERMINAL_STATE_VALUES).exists():
            raise Conflict(_("%(object)s 已有进行中的创建案件，不能重复申请。") % {"object": creation_object})
        year = today.year
        count = Case.objects.filter(creation_object=creation_object, reference__startswith=f"{year}-").count()
        try:
            with transaction.atomic():  # a savepoint: a second application racing this one is refused cleanly
                case = Case.objects.create(
                    reference=f"{year}-{creation_object.code}-{count + 1:02d}", creation_object=creation_object,
                    rule_set=rule_set, call=call, title=title, created_by=actor,
                )
        except IntegrityError:
            raise Conflict(_("%(object)s 已有进行中的创建案件，不能重复申请。") % {"object": creation_object}) from None
        write_audit(case, actor=actor, kind=AuditEntry.Kind.ACTION, name="create", label=_("创建草稿"),
                    from_state=State.DRAFT, data={"rule_set": rule_set.code})
    return case


def update_case(*, case_id, actor, expected_version=None, **fields):
    """The applicant edits the draft's title or call while it is a draft or returned for correction."""
    with locked_case(case_id, actor, expected_version) as case:
        if actor.role != Role.APPLICANT:
            raise NotAllowed(_("只有创建对象经办人可以修改申请。"))
        if case.state not in (State.DRAFT, State.RETURNED):
            raise IllegalTransition(_("案件当前状态为“%(state)s”，申请内容不能再修改。") % {"state": _state_label(case.state)},
                                    state=case.state)
        changed = {k: v for k, v in fields.items() if getattr(case, k) != v}
        for key, value in changed.items():
            setattr(case, key, value)
        if changed:
            Case.objects.filter(pk=case.pk).update(**changed)
            record_action(case, actor=actor, name="edit", label=_("修改申请信息"),
                          data=_jsonable({k: getattr(v, "pk", v) for k, v in changed.items()}))
    return case
