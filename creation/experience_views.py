"""Pages of experience reports (典型经验, 办法 第十九条、第二十条) and supervision visits (督促指导, 第二十二条). Thin: reads
and writes through creation.experience, which says who may do what; the same acts as the API.

- /cases/<id>/creation/experience/: the case's reports; the city's office submits, the province forwards (2022
  trial measures), SAMR publishes. /cases/<id>/creation/supervision/: the visits; SAMR and the province record one,
  the city reports the follow-up. Signed-in users outside the case's scope, and unit liaisons: 404.
- /creation/experience/: the province's reports to forward, SAMR's to publish.
- /public/experiences/…: anyone — the published reports only, and an attachment only if SAMR published it."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from cases.errors import DomainError, NotFound
from cases.workflow import State
from demozone.forms import WindowDateField
from publicity.forms import Styled
from publicity.views import add_refusal

from . import experience as services
from .selectors import is_office


# ── forms: the shape of what is typed; the rules are the services' ─────────────────────────────────────────────
class ExperienceReportForm(Styled, forms.Form):
    title = forms.CharField(label=gettext_lazy("标题"), max_length=services.TITLE_MAX,
                            error_messages={"required": gettext_lazy("请填写标题。")})
    body = forms.CharField(label=gettext_lazy("正文"), max_length=services.TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 8}),
                           error_messages={"required": gettext_lazy("请填写正文。")})
    file = forms.FileField(label=gettext_lazy("附件（可选，PDF、OFD、Word、Excel 或图片）"), required=False)


class PublishForm(Styled, forms.Form):
    attachment_public = forms.BooleanField(label=gettext_lazy("同时公开附件"), required=False)


class ForwardForm(Styled, forms.Form):
    comment = forms.CharField(label=gettext_lazy("审核意见（可选）"), required=False, max_length=services.TEXT_MAX,
                              widget=forms.Textarea(attrs={"rows": 2}))


class VisitForm(Styled, forms.Form):
    visited_on = WindowDateField(label=gettext_lazy("督导日期"),
                                 error_messages={"required": gettext_lazy("请填写督导日期。"),
                                                 "invalid": gettext_lazy("日期格式为 YYYY-MM-DD。")})
    findings = forms.CharField(label=gettext_lazy("发现问题"), max_length=services.TEXT_MAX,
                               widget=forms.Textarea(attrs={"rows": 4}),
                               error_messages={"required": gettext_lazy("请填写发现问题。")})
    follow_up = forms.CharField(label=gettext_lazy("整改要求"), required=False, max_length=services.TEXT_MAX,
                                widget=forms.Textarea(attrs={"rows": 3}))
    follow_up_due = WindowDateField(label=gettext_lazy("整改期限"), required=False,
                                    error_messages={"invalid": gettext_lazy("日期格式为 YYYY-MM-DD。")})


class FollowUpForm(Styled, forms.Form):
    note = forms.CharField(label=gettext_lazy("整改情况"), max_length=services.TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": gettext_lazy("请填写整改情况。")})


PUBLIC_PER_PAGE = 20


def _version(request):
    value = request.POST.get("version", "")
    return int(value) if value.isascii() and value.isdigit() else None


def _case(request, case_id):
    try:
        return services.experience_case(request.user, case_id)
    except NotFound:
        raise Http404 from None


# ── experience reports ─────────────────────────────────────────────────────────────────────────────────────────
def _reports_page(request, case, *, form=None, error="", failed=None, status=200, pending=None):
    user = request.user
    office = is_office(user, case)
    if form is None and office and services.may_submit(user, case):
        form = ExperienceReportForm()
    return render(request, "creation/experience/reports.html", {
        "case": case, "reports": services.reports_of(case), "form": form if office else None, "error": error,
        "office": office, "refusal": services._reporting_refusal(case) if office else None,
        "is_province": user.role == Role.PROVINCIAL_REVIEWER, "is_samr": user.role == Role.SAMR_OFFICER,
        "via_province": case.rule_set.experience_route == "via_province", "failed": failed, "pending": pending,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def reports(request, case_id):
    """The case's experience reports; the city's office submits one here (办法 第十九条)."""
    from django.utils.datastructures import MultiValueDict

    from documents import pending as kept

    case = _case(request, case_id)
    if request.method != "POST":
        return _reports_page(request, case)
    # A file chosen in a failed post is kept on the server and offered again (documents.pending).
    uploaded = request.FILES.get("file") if is_office(request.user, case) else None
    file, held = kept.resolve(user=request.user, case=case, uploaded=uploaded, pending_id=request.POST.get("pending"))
    form = ExperienceReportForm(request.POST, MultiValueDict({"file": [file]}) if file is not None else request.FILES)
    try:
        if not form.is_valid():
            error, status = _("提交的内容有误，请按提示修改。"), 400
        else:
            data = form.cleaned_data
            try:
                services.submit_report(case_id=case.pk, actor=request.user, title=data["title"], body=data["body"],
                                       file=data.get("file"), expected_version=_version(request))
            except NotFound:
                raise Http404 from None
            except DomainError as refusal:
                error, status = add_refusal(form, refusal), refusal.http_status
            else:
                error, status = "", 0
                kept.used(held)
    finally:
        if held is not None and file is not None:
            file.close()
    if status:
        held = kept.keep_or_carry(user=request.user, case=case, uploaded=uploaded, pending=held)
        return _reports_page(request, case, form=form, error=error, status=status, pending=held)
    if case.rule_set.experience_route == "via_province":
        messages.success(request, _("典型经验已报送，待省级市场监管部门审核后报送总局。"))
    else:
        messages.success(request, _("典型经验已报送市场监管总局，并抄送省级市场监管部门。"))
    return redirect("creation-experience", case_id=case.pk)


def _act_on_report(request, case_id, report_id, act, form_class, success):
    case = _case(request, case_id)
    form = form_class(request.POST)
    if not form.is_valid():
        return _reports_page(request, case, error=_("提交的内容有误，请按提示修改。"), failed=(report_id, form), status=400)
    try:
        act(case, form.cleaned_data)
    except NotFound:
        raise Http404 from None
    except DomainError as refusal:
        return _reports_page(request, case, error=add_refusal(form, refusal), failed=(report_id, form),
                             status=refusal.http_status)
    messages.success(request, success)
    return redirect("creation-experience", case_id=case.pk)


@login_required
@require_POST
def forward(request, case_id, report_id):
    """The province forwards a report to SAMR (试行办法 第十九条)."""
    return _act_on_report(
        request, case_id, report_id,
        lambda case, data: services.forward_report(case_id=case.pk, report_id=report_id, actor=request.user,
                                                   comment=data["comment"], expected_version=_version(request)),
        ForwardForm, _("已审核并报送市场监管总局。"))


@login_required
@require_POST
def publish(request, case_id, report_id):
    """SAMR publishes a report on the public portal (办法 第二十条)."""
    return _act_on_report(
        request, case_id, report_id,
        lambda case, data: services.publish_report(case_id=case.pk, report_id=report_id, actor=request.user,
                                                   attachment_public=data["attachment_public"],
                                                   expected_version=_version(request)),
        PublishForm, _("已在公众页面发布。"))


@login_required
@require_GET
def queue(request):
    """The province's reports to forward, SAMR's to publish; anyone else signed in: 403."""
    if request.user.role not in (Role.PROVINCIAL_REVIEWER, Role.SAMR_OFFICER):
        raise PermissionDenied
    return render(request, "creation/experience/queue.html", {
        "reports": services.pending_reports_for(request.user), "is_samr": request.user.role == Role.SAMR_OFFICER,
        "informed": services.informed_reports_for(request.user)})


# ── supervision visits ─────────────────────────────────────────────────────────────────────────────────────────
def _supervision_page(request, case, *, form=None, error="", failed=None, status=200):
    user = request.user
    may_record = services.may_record_visit(user, case)
    if form is None and may_record:
        form = VisitForm(initial={"visited_on": timezone.localdate()})
    return render(request, "creation/experience/supervision.html", {
        "case": case, "visits": services.visits_of(case), "form": form if may_record else None, "error": error,
        "office": is_office(user, case), "failed": failed, "today": timezone.localdate(),
        # 第二十二条: SAMR decides 约谈 / 警示 / 取消 on its zone page, citing these visits on ground （三）
        "sanction_link": user.role == Role.SAMR_OFFICER and case.state == State.DESIGNATED,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def supervision(request, case_id):
    """The case's supervision visits; SAMR or the province records one here (办法 第二十二条)."""
    case = _case(request, case_id)
    if request.method != "POST":
        return _supervision_page(request, case)
    form = VisitForm(request.POST)
    if not form.is_valid():
        return _supervision_page(request, case, form=form, error=_("提交的内容有误，请按提示修改。"), status=400)
    data = form.cleaned_data
    try:
        services.record_visit(case_id=case.pk, actor=request.user, visited_on=data["visited_on"],
                              findings=data["findings"], follow_up=data["follow_up"],
                              follow_up_due=data["follow_up_due"], expected_version=_version(request))
    except NotFound:
        raise Http404 from None
    except DomainError as refusal:
        return _supervision_page(request, case, form=form, error=add_refusal(form, refusal),
                                 status=refusal.http_status)
    messages.success(request, _("督促指导已记录，已通知创建城市。"))
    return redirect("creation-supervision", case_id=case.pk)


@login_required
@require_POST
def follow_up(request, case_id, visit_id):
    """The city reports the follow-up of a visit as done."""
    case = _case(request, case_id)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        return _supervision_page(request, case, error=_("提交的内容有误，请按提示修改。"), failed=(visit_id, form),
                                 status=400)
    try:
        services.record_follow_up(case_id=case.pk, visit_id=visit_id, actor=request.user,
                                  note=form.cleaned_data["note"], expected_version=_version(request))
    except NotFound:
        raise Http404 from None
    except DomainError as refusal:
        return _supervision_page(request, case, error=add_refusal(form, refusal), failed=(visit_id, form),
                                 status=refusal.http_status)
    messages.success(request, _("整改情况已报告。"))
    return redirect("creation-supervision", case_id=case.pk)


# ── the public's pages ─────────────────────────────────────────────────────────────────────────────────────────
@require_GET
def public_list(request):
    """Anyone: the published typical experiences, newest first (办法 第二十条), PUBLIC_PER_PAGE a page."""
    from django.core.paginator import Paginator

    page = Paginator(services.published_reports(), PUBLIC_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "creation/experience/public_list.html", {"reports": page.object_list, "page": page})


@require_GET
def public_detail(request, report_id):
    report = services.published_report(report_id)
    if report is None:
        raise Http404
    return render(request, "creation/experience/public_detail.html", {"report": report})


@require_GET
def public_attachment(request, report_id):
    """A published report's attachment, only if SAMR published it with the text; anything else a 404."""
    from documents.serving import file_response

    report = services.published_report(report_id)
    if report is None or not report.attachment_public or report.document is None:
        raise Http404
    return file_response(report.document)

