"""Experience reports (典型经验, 办法 第十九条、第二十条) and supervision visits (督促指导, 办法 第二十二条): the writers
and the reads of both.

Who may do what (deny by default; a case outside the caller's scope is a 404, as is every case for a unit liaison —
these are the city office's dealings with the province and SAMR, not a unit's):
- the city's applicants (the 创建办 / the zone) submit experience reports and record the follow-up of a visit;
- the province (its cities) forwards reports under the 2022 trial measures (试行办法 第十九条 经所在地省级市场监管部门
  审核后报市场监管总局), is informed of them under the current ones, and records supervision visits (办法 第三条
  督促指导辖区内的示范区);
- SAMR publishes reports on the public portal (办法 第二十条 宣传报道、交流推介典型经验) and records supervision visits
  (第二十二条 不定期组织 … 督促指导); a 约谈/警示/取消 on ground （三） may cite visits (designation).

The route of a report and who may report are the case's rule set's (RuleSet.experience_route,
experience_from_creating): data, not code. Every act is one transaction on the locked case, with its audit entry;
notifications are written in it and e-mail leaves on commit (notifications.services.notify)."""
import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from cases.errors import Conflict, IllegalTransition, InvalidPayload, NotAllowed, NotFound
from cases.services import locked_case, record_action
from cases.workflow import State
from rulesets.models import ExperienceRoute

from .models import ExperienceReport, SupervisionVisit
from .selectors import EXPERIENCE_STATES, is_office, workspace_case
from .validation import clean_text

TITLE_MAX = 200
TEXT_MAX = 20000
# SAMR and the province act on these pages; the city's office reports and follows up.
EXPERIENCE_ROLES = (Role.APPLICANT, Role.PROVINCIAL_REVIEWER, Role.SAMR_OFFICER)


# ── reads ──────────────────────────────────────────────────────────────────────────────────────────────────────
def experience_case(user, case_id):
    """The case for the experience and supervision pages and API, or 404: the workspace's scope (creation.selectors)
    without the unit liaisons."""
    if getattr(user, "role", None) not in EXPERIENCE_ROLES:
        from django.http import Http404

        raise Http404
    return workspace_case(user, case_id)


def reports_of(case):
    """The case's experience reports, newest first (one query)."""
    return list(ExperienceReport.objects.filter(case=case)
                .select_related("document", "submitted_by", "forwarded_by", "published_by")
                .order_by("-submitted_at", "-pk"))


def visits_of(case):
    """The case's supervision visits, newest first, each with the sanctions citing it (two queries)."""
    from designation.models import Sanction

    return list(SupervisionVisit.objects.filter(case=case)
                .select_related("organisation", "recorded_by")
                .prefetch_related(Prefetch("cited_by", queryset=Sanction.objects.order_by("decided_at", "pk")))
                .order_by("-visited_on", "-pk"))


def published_reports():
    """The public portal's list: published reports only, newest first, with the city (one query). Nothing else of a
    report leaves through it — the view and the serializer show title, city, day, text and a public attachment."""
    return (ExperienceReport.objects.filter(status=ExperienceReport.Status.PUBLISHED)
            .select_related("case__creation_object__province", "document")
            .order_by("-published_at", "-pk"))


def published_report(report_id):
    return published_reports().filter(pk=report_id).first()


def pending_reports_for(user):
    """The reports waiting for ``user``: a province's to forward (its cities), SAMR's to publish (one query)."""
    from cases.selectors import cases_visible_to

    role = getattr(user, "role", None)
    if role == Role.PROVINCIAL_REVIEWER:
        status = ExperienceReport.Status.WITH_PROVINCE
    elif role == Role.SAMR_OFFICER:
        status = ExperienceReport.Status.WITH_SAMR
    else:
        return []
    return list(ExperienceReport.objects.filter(status=status, case__in=cases_visible_to(user).values("pk"))
                .select_related("case__creation_object__province", "submitted_by").order_by("submitted_at", "pk"))


def informed_reports_for(user, limit=50):
    """办法 第十九条 (current measures): the reports of the province's cities that went straight to SAMR, the province
    informed — the latest ``limit`` (one query). Nothing for other roles."""
    from cases.selectors import cases_visible_to

    if getattr(user, "role", None) != Role.PROVINCIAL_REVIEWER:
        return []
    return list(ExperienceReport.objects.filter(province_informed_at__isnull=False,
                                                case__in=cases_visible_to(user).values("pk"))
                .select_related("case__creation_object__province").order_by("-province_informed_at", "-pk")[:limit])


def may_submit(user, case):
    return is_office(user, case) and _reporting_refusal(case) is None


def may_record_visit(user, case):
    return getattr(user, "role", None) in (Role.SAMR_OFFICER, Role.PROVINCIAL_REVIEWER) and case.state in EXPERIENCE_STATES


# ── experience reports ─────────────────────────────────────────────────────────────────────────────────────────
def _reporting_refusal(case):
    """Why the case may not report now, or None. 办法 第十九条: 示范区和创建对象; 试行办法 第十九条: 示范区 only."""
    if case.rule_set.experience_from_creating:
        if case.state not in EXPERIENCE_STATES:
            return _("只有创建中的城市和示范区可以报送典型经验（%(rules)s 第十九条），本案件现为“%(state)s”。") % {
                "rules": case.rule_set.title, "state": case.get_state_display()}
    elif case.state != State.DESIGNATED:
        return _("%(rules)s 第十九条：典型经验由示范区报送，本案件现为“%(state)s”。") % {
            "rules": case.rule_set.title, "state": case.get_state_display()}
    return None


def _notify(case, event, roles, **context):
    from notifications.services import case_context, notify

    notify(case=case, event=event, roles=roles, context=case_context(case, **context))


def _report_in(case, report_id):
    report = ExperienceReport.objects.select_for_update().filter(case=case, pk=report_id).first()
    if report is None:
        raise NotFound(_("未找到该典型经验。"))
    return report


def submit_report(*, case_id, actor, title, body, file=None, document_id=None, expected_version=None):
    """The city's office reports a typical experience (办法 第十九条). Who may call it: the city's applicants, while
    the case's measures let it report (a zone; under the current measures also a city still creating).

    Under the 2022 trial measures the report waits for the province (试行办法 第十九条 经省级审核后报总局); under the
    current ones it reaches SAMR at once and the province is informed (notified, and it reads the report). An
    attachment is uploaded with it (kind 其他, documents' content checks) or named among the case's documents. One
    transaction: the upload, the report, its audit entry and the notifications stand or fall together."""
    from documents.models import Document
    from documents.services import upload_document

    with locked_case(case_id, actor, expected_version) as case:
        if not is_office(actor, case):
            raise NotAllowed(_("只有本城市的创建工作人员可以报送典型经验。"))
        refusal = _reporting_refusal(case)
        if refusal:
            raise IllegalTransition(refusal, state=case.state)
        title = clean_text(title, "title", _("标题"), TITLE_MAX)
        body = clean_text(body, "body", _("正文"), TEXT_MAX)
        document = None
        if file is not None:
            document = upload_document(case_id=case.pk, actor=actor, kind=Document.Kind.OTHER, file=file,
                                       title=_("典型经验：%(title)s") % {"title": title})
            case.refresh_from_db(fields=["version"])
        elif document_id is not None:
            document = Document.objects.filter(pk=document_id, case=case).first()
            if document is None:
                raise InvalidPayload(_("附件须为本案件已上传的材料。"), errors={"document": [_("文件无效。")]})
        now = timezone.now()
        via_province = case.rule_set.experience_route == ExperienceRoute.VIA_PROVINCE
        report = ExperienceReport.objects.create(
            case=case, title=title, body=body, document=document, submitted_by=actor, submitted_at=now,
            status=ExperienceReport.Status.WITH_PROVINCE if via_province else ExperienceReport.Status.WITH_SAMR,
            province_informed_at=None if via_province else now)
        record_action(case, actor=actor, name="experience_report_submitted", label=_("报送典型经验"),
                      data={"experience_report": report.pk, "title": title, "route": case.rule_set.experience_route,
                            "document": document.pk if document else None})
        if via_province:
            _notify(case, "experience_report_to_province", [Role.PROVINCIAL_REVIEWER], title=title)
        else:
            _notify(case, "experience_report_to_samr", [Role.SAMR_OFFICER, Role.PROVINCIAL_REVIEWER], title=title)
    return report


def forward_report(*, case_id, report_id, actor, comment="", expected_version=None):
    """试行办法 第十九条 经所在地省级市场监管部门审核后报市场监管总局: the province forwards a report to SAMR. Who may call it:
    the case's provincial reviewers, for a report waiting for them."""
    with locked_case(case_id, actor, expected_version) as case:
        if getattr(actor, "role", None) != Role.PROVINCIAL_REVIEWER:
            raise NotAllowed(_("只有省级市场监管部门可以审核报送典型经验。"))
        report = _report_in(case, report_id)
        if report.status != ExperienceReport.Status.WITH_PROVINCE:
            raise Conflict(_("该典型经验已报送总局，无需再次报送。"))
        report.status, report.forwarded_by, report.forwarded_at = (
            ExperienceReport.Status.WITH_SAMR, actor, timezone.now())
        report.save(update_fields=["status", "forwarded_by", "forwarded_at"])
        record_action(case, actor=actor, name="experience_report_forwarded", label=_("审核报送典型经验"),
                      comment=(comment or "").strip()[:TEXT_MAX], data={"experience_report": report.pk})
        _notify(case, "experience_report_to_samr", [Role.SAMR_OFFICER, Role.APPLICANT], title=report.title)
    return report


def publish_report(*, case_id, report_id, actor, attachment_public=False, expected_version=None):
    """办法 第二十条 宣传报道、交流推介典型经验: SAMR publishes a report on the public portal — its title, city, day and
    text, and the attachment only if SAMR says so. Who may call it: SAMR officers, for a report that reached SAMR."""
    with locked_case(case_id, actor, expected_version) as case:
        if getattr(actor, "role", None) != Role.SAMR_OFFICER:
            raise NotAllowed(_("只有市场监管总局可以发布典型经验。"))
        report = _report_in(case, report_id)
        if report.status == ExperienceReport.Status.WITH_PROVINCE:
            raise IllegalTransition(_("该典型经验尚待省级市场监管部门审核报送（%(rules)s 第十九条）。")
                                    % {"rules": case.rule_set.title}, state=case.state)
        if report.status == ExperienceReport.Status.PUBLISHED:
            raise Conflict(_("该典型经验已于 %(day)s 发布。")
                           % {"day": timezone.localtime(report.published_at).date()})
        attachment_public = bool(attachment_public) and report.document_id is not None
        report.status, report.published_by, report.published_at, report.attachment_public = (
            ExperienceReport.Status.PUBLISHED, actor, timezone.now(), attachment_public)
        report.save(update_fields=["status", "published_by", "published_at", "attachment_public"])
        record_action(case, actor=actor, name="experience_report_published", label=_("发布典型经验"),
                      data={"experience_report": report.pk, "attachment_public": attachment_public})
        _notify(case, "experience_report_published", [Role.APPLICANT, Role.PROVINCIAL_REVIEWER], title=report.title)
    return report


# ── supervision visits ─────────────────────────────────────────────────────────────────────────────────────────
def record_visit(*, case_id, actor, visited_on, findings, follow_up="", follow_up_due=None, expected_version=None):
    """办法 第二十二条 不定期组织对示范区工作进行督促指导 (and 第三条: the province 督促指导辖区内的示范区): a visit, with
    its findings, the follow-up required and its due day. Who may call it: SAMR officers, and provincial reviewers
    for their cities, while the city creates or is a zone. The visit is never shown to the public."""
    with locked_case(case_id, actor, expected_version) as case:
        role = getattr(actor, "role", None)
        if role not in (Role.SAMR_OFFICER, Role.PROVINCIAL_REVIEWER) or actor.organisation_id is None:
            raise NotAllowed(_("只有市场监管总局或省级市场监管部门可以记录督促指导。"))
        if case.state not in EXPERIENCE_STATES:
            raise IllegalTransition(_("本案件现为“%(state)s”，不在督促指导范围内（创建中的城市和示范区）。")
                                    % {"state": case.get_state_display()}, state=case.state)
        findings = clean_text(findings, "findings", _("发现问题"), TEXT_MAX)
        follow_up = (follow_up or "").strip()
        if len(follow_up) > TEXT_MAX:
            raise InvalidPayload(_("整改要求最多 %(n)s 字。") % {"n": TEXT_MAX}, errors={"follow_up": [_("过长。")]})
        today = timezone.localdate()
        if not isinstance(visited_on, datetime.date):
            raise InvalidPayload(_("请填写督导日期。"), errors={"visited_on": [_("此项为必填项。")]})
        if visited_on > today:
            raise InvalidPayload(_("督导日期不能晚于今天（%(today)s）。") % {"today": today},
                                 errors={"visited_on": [_("不能晚于今天。")]})
        if follow_up_due is not None and not follow_up:
            raise InvalidPayload(_("有整改期限的，请填写整改要求。"), errors={"follow_up": [_("此项为必填项。")]})
        if follow_up_due is not None and follow_up_due < visited_on:
            raise InvalidPayload(_("整改期限（%(due)s）不能早于督导日期（%(day)s）。")
                                 % {"due": follow_up_due, "day": visited_on},
                                 errors={"follow_up_due": [_("不能早于督导日期。")]})
        visit = SupervisionVisit.objects.create(
            case=case, organisation=actor.organisation, visited_on=visited_on, findings=findings,
            follow_up=follow_up, follow_up_due=follow_up_due, recorded_by=actor)
        record_action(case, actor=actor, name="supervision_visit_recorded", label=_("记录督促指导"),
                      data={"supervision_visit": visit.pk, "visited_on": visited_on.isoformat(),
                            "follow_up_due": follow_up_due.isoformat() if follow_up_due else None})
        other = Role.PROVINCIAL_REVIEWER if role == Role.SAMR_OFFICER else Role.SAMR_OFFICER
        _notify(case, "supervision_visit_recorded", [Role.APPLICANT, other], day=visited_on.isoformat(),
                due=follow_up_due.isoformat() if follow_up_due else "—")
    return visit


def record_follow_up(*, case_id, visit_id, actor, note, expected_version=None):
    """The city reports the follow-up a visit required as done. Who may call it: the city's applicants, once per
    visit that asked for a follow-up."""
    with locked_case(case_id, actor, expected_version) as case:
        if not is_office(actor, case):
            raise NotAllowed(_("只有本城市的创建工作人员可以报告整改情况。"))
        visit = SupervisionVisit.objects.select_for_update().filter(case=case, pk=visit_id).first()
        if visit is None:
            raise NotFound(_("未找到该督促指导记录。"))
        if not visit.follow_up:
            raise IllegalTransition(_("该次督促指导未提出整改要求。"), state=case.state)
        if visit.follow_up_done_at is not None:
            raise Conflict(_("该次督促指导的整改情况已于 %(day)s 报告。")
                           % {"day": timezone.localtime(visit.follow_up_done_at).date()})
        visit.follow_up_note = clean_text(note, "note", _("整改情况"), TEXT_MAX)
        visit.follow_up_done_at = timezone.now()
        visit.save(update_fields=["follow_up_note", "follow_up_done_at"])
        late = visit.follow_up_due is not None and timezone.localdate() > visit.follow_up_due
        record_action(case, actor=actor, name="supervision_follow_up_done", label=_("报告整改情况"),
                      data={"supervision_visit": visit.pk, "late": late})
        _notify(case, "supervision_follow_up_done", [Role.SAMR_OFFICER, Role.PROVINCIAL_REVIEWER],
                day=visit.visited_on.isoformat())
    return visit

