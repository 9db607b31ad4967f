"""Printouts (not numbered, not archived): the 申请表 with its materials list, the 评估申请表, and the 自评报告 made from
the self-assessment sheet with its explanations and evidence. Rendered on request from the case's records."""
from django.utils import timezone

from . import rendering

PRINTOUTS = {
    "application-form": ("official/printouts/application_form.html", "网络市场监管与服务示范区创建申请表"),
    "evaluation-application": ("official/printouts/evaluation_application.html", "网络市场监管与服务示范区评估申请表"),
    "self-assessment-report": ("official/printouts/self_assessment_report.html", "网络市场监管与服务示范区创建自评报告"),
}


def _self_assessment_sheet(case):
    from .reports import _sheet_models

    ScoreSheet, SheetStage, SheetStatus = _sheet_models()
    sheets = ScoreSheet.objects.filter(case=case, stage=SheetStage.SELF_ASSESSMENT).select_related("system", "author")
    return (sheets.filter(status=SheetStatus.SUBMITTED).order_by("-round", "-attempt", "-pk").first()
            or sheets.order_by("-round", "-attempt", "-pk").first())


def printout_context(case, kind):
    from indicators.models import Indicator

    context = {"case": case, "city": case.creation_object, "province": case.creation_object.province,
               "rule_set": case.rule_set, "printed_on": timezone.localdate(),
               "form": case.application_forms.order_by("-version").first(),
               "materials": list(case.documents.select_related("uploaded_by").order_by("kind", "uploaded_at", "pk")),
               "round": case.evaluation_round if case.evaluation_round_id else None,
               "self_assessment": case.self_assessments.order_by("-recorded_at", "-pk").first()}
    if kind in ("self-assessment-report", "evaluation-application"):
        sheet = _self_assessment_sheet(case)
        context["sheet"] = sheet
        if sheet is not None:
            names = {i.number: i for i in Indicator.objects.filter(system=sheet.system).select_related("group")}
            context["entries"] = [{"entry": e, "indicator": names.get(e.number),
                                   "evidence": list(e.evidence.all())}
                                  for e in sheet.entries.prefetch_related("evidence").order_by("number")]
    return context


def render_printout(case, kind):
    template, title = PRINTOUTS[kind]
    context = {**printout_context(case, kind), "title": title}
    return rendering.render_pdf(template, context, archive=False), f"{case.reference}-{kind}.pdf"
