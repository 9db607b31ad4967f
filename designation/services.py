"""Writers for stages 9–10: designation and the sanctions of 办法 第二十二条."""
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Announcement, Designation, Sanction


def _new_announcement(*, actor, round_=None, text="", day=None, corrects=None):
    """The next number of the year, in the act's transaction; a number taken at the same moment by another
    announcement is a conflict to retry, never a duplicate (a unique constraint). ``corrects``: the announcement a
    更正公告 corrects (official.services.correct) — it lists the original's cities."""
    from cases.errors import Conflict

    day = day or timezone.localdate()
    last = Announcement.objects.filter(year=day.year).aggregate(last=Max("sequence"))["last"] or 0
    try:
        with transaction.atomic():
            return Announcement.objects.create(
                round=round_, year=day.year, sequence=last + 1, text=text, published_on=day, published_by=actor,
                corrects=corrects, original=(corrects.original or corrects) if corrects is not None else None)
    except IntegrityError:
        raise Conflict(_("公告编号已被同时发布的公告占用，请重试。")) from None


def record_designation(*, case, ctx, move):
    """The decision; a designation is published in an announcement — the list publish_announcement opened, or a
    one-city announcement of its own."""
    announcement = None
    if move.name == "designate":
        announcement = ctx.payload.get("announcement") or _new_announcement(
            actor=ctx.actor, round_=case.evaluation_round, text=ctx.payload.get("comment", ""), day=ctx.today)
    Designation.objects.create(case=case, designated=move.name == "designate", decided_on=ctx.today,
                               announcement=announcement, comment=ctx.payload.get("comment", ""),
                               decided_by=ctx.actor, decided_at=ctx.now)


def publish_announcement(*, round_id, actor, cases, text):
    """办法 第十六条 认定 … 向社会公布: SAMR designates the cities of a round together and publishes them as one
    numbered announcement. One act: the announcement and each city's designate move, all or nothing.
    Who may call it: SAMR officers."""
    from accounts.models import Role
    from cases.errors import InvalidPayload, NotAllowed, NotFound
    from cases.services import perform_transition
    from evaluation.models import Round

    if getattr(actor, "role", None) != Role.SAMR_OFFICER:
        raise NotAllowed(_("只有总局工作人员可以发布认定公告。"))
    if not (text or "").strip():
        raise InvalidPayload(_("请填写公告内容（将向社会公布）。"), errors={"text": [_("此项为必填项。")]})
    case_ids = list(dict.fromkeys(cases or []))
    if not case_ids:
        raise InvalidPayload(_("请选择认定的城市。"), errors={"cases": [_("此项为必填项。")]})
    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is None:
        raise NotFound(_("未找到该评估批次。"))
    with transaction.atomic():
        from cases.models import Case

        found = {c.pk: c for c in Case.objects.select_related("creation_object").filter(pk__in=case_ids)}
        errors = [_("案件 %(id)s 不存在。") % {"id": i} for i in case_ids if i not in found]
        # 办法 第十六条: the announcement publishes the cities this round's notice listed, not another round's.
        errors += [_("%(city)s 不属于评估批次“%(round)s”。") % {"city": found[i].creation_object, "round": round_.title}
                   for i in case_ids if i in found and found[i].evaluation_round_id != round_.pk]
        if errors:
            raise InvalidPayload(_("认定名单有误，请按提示修改。"), errors={"cases": errors})
        announcement = _new_announcement(actor=actor, round_=round_, text=text)
        from official.registry import issue_announcement  # the list's one 认定公告, numbered (issue #11)

        issue_announcement(announcement=announcement, cases=[found[i] for i in case_ids], actor=actor)
        for case_id in case_ids:
            perform_transition(case_id=case_id, name="designate", actor=actor, listed_in={"announcement": announcement})
    return announcement


def record_sanction(*, case, ctx, move):
    sanction = Sanction.objects.create(case=case, kind=move.name, ground=ctx.payload["ground"],
                                       ground_text=ctx.payload["ground_text"], comment=ctx.payload["comment"],
                                       decided_by=ctx.actor, decided_at=ctx.now)
    if ctx.payload.get("visits"):  # 第二十二条（三）: the supervision visits relied on (checked by SanctionPayload)
        sanction.visits.set(ctx.payload["visits"])


def submit_annual_report(*, case_id, actor, year, summary, document=None, expected_version=None):
    """试行办法 第十八条: the zone reports its year's work 每年3月底前 to SAMR and its province.

    Who may call it: the zone's applicant-side staff, while the case is designated under measures that date the
    report. A report after the due day is accepted and stays marked late. Writes the AnnualReport (filling the row
    the overdue sweep flagged, if any), an audit entry, and notifies the province and SAMR after commit."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from accounts.models import Role
    from cases.errors import Conflict, IllegalTransition, InvalidPayload, NotAllowed
    from cases.services import locked_case, record_action
    from cases.workflow import State
    from deadlines import calendar
    from notifications.services import case_context, notify

    from .models import AnnualReport

    with locked_case(case_id, actor, expected_version) as case:
        if getattr(actor, "role", None) != Role.APPLICANT:
            raise NotAllowed(_("只有示范区经办人可以报送年度工作情况。"))
        if case.state != State.DESIGNATED:
            raise IllegalTransition(_("只有已认定的示范区报送年度工作情况。"), state=case.state)
        if not calendar.has_annual_report(case.rule_set):
            raise IllegalTransition(_("%(rules)s 未规定年度工作情况报送；请按办法 第十九条报送经验材料。")
                                    % {"rules": case.rule_set.title}, state=case.state)
        today = timezone.localdate()
        if year >= today.year:
            # 试行办法 第十八条: 每年3月底前报送上一年度工作情况 — a year is reported once it has ended.
            raise InvalidPayload(_("%(year)s 年度尚未结束，年度工作情况于次年1月1日起报送（试行办法 第十八条）。")
                                 % {"year": year}, errors={"year": [_("该年度尚未结束。")]})
        if not (case.designated_on and case.designated_on.year <= year):
            raise InvalidPayload(_("报告年度须在认定年度（%(first)s）至上一年度之间。")
                                 % {"first": case.designated_on.year if case.designated_on else "—"},
                                 errors={"year": [_("年度无效。")]})
        if not (summary or "").strip() and document is None:
            raise InvalidPayload(_("请填写年度工作情况或上传报告文件。"), errors={"summary": [_("此项为必填项。")]})
        if document is not None and document.case_id != case.pk:
            raise InvalidPayload(_("报告文件须为本案件已上传的材料。"), errors={"document": [_("文件无效。")]})
        report = AnnualReport.objects.select_for_update().filter(case=case, year=year).first()
        if report is not None and report.submitted_at is not None:
            raise Conflict(_("%(year)s 年度工作情况已于 %(at)s 报送。")
                           % {"year": year, "at": timezone.localtime(report.submitted_at).date()})
        if report is None:
            report = AnnualReport(case=case, year=year, due_on=calendar.annual_report_due(case.rule_set, year))
        report.summary, report.document, report.submitted_by, report.submitted_at = (
            summary, document, actor, timezone.now())
        report.save()
        record_action(case, actor=actor, name="annual_report_submitted", label=_("报送年度工作情况"),
                      data={"year": year, "annual_report": report.pk, "late": report.late})
        notify(case=case, event="annual_report_submitted", roles=[Role.PROVINCIAL_REVIEWER, Role.SAMR_OFFICER],
               context=case_context(case, year=year))
    return report


def report_annual_work(*, case_id, actor, year, summary="", document_id=None, file=None, expected_version=None):
    """The annual report as the API and the case page receive it: the text, and a report file given as one of the
    case's uploaded documents (``document_id``) or uploaded now (``file``). One transaction: the upload and the
    report stand or fall together. Who may call it, and what it checks: see submit_annual_report."""
    from django.utils.translation import gettext as _

    from cases.errors import InvalidPayload
    from cases.services import locked_case
    from documents.models import Document
    from documents.services import upload_document

    with locked_case(case_id, actor, expected_version):
        # The client's version is checked before the upload, which itself bumps the version (an audit entry).
        document = None
        if file is not None:
            document = upload_document(case_id=case_id, actor=actor, kind=Document.Kind.OTHER, file=file,
                                       title=_("%(year)s 年度工作情况报告") % {"year": year})
        elif document_id is not None:
            document = Document.objects.filter(pk=document_id).first()
            if document is None:
                raise InvalidPayload(_("报告文件须为本案件已上传的材料。"), errors={"document": [_("文件无效。")]})
        return submit_annual_report(case_id=case_id, actor=actor, year=year, summary=summary, document=document)
