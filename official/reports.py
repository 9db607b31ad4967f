"""The facts of the evaluation report (办法 第十四条): per indicator each expert's score, the aggregate and whether the
experts diverged; per 一级指标 the score against its pass line; the total against the threshold; SAMR's weighing of
the 第十四条 factors; the conclusion. Read from the round's submitted score sheets — the final sheet the officer
formed and the experts' sheets — and from the recorded evaluation result. A result recorded without sheets (plain
demo data) gives a report of the result alone."""
from decimal import Decimal


def _sheet_models():
    # The score sheets are moving from indicators/ to evaluation/ (another branch): read them where they are.
    try:
        from evaluation.models import ScoreSheet, SheetStage, SheetStatus
    except ImportError:
        from indicators.models import ScoreSheet, SheetStage, SheetStatus
    return ScoreSheet, SheetStage, SheetStatus


def _weighing_rows(result, rule_set):
    from evaluation.models import WEIGHING_FACTORS

    weighing = (result.weighing if result is not None else {}) or {}
    return [{"factor": str(WEIGHING_FACTORS.get(key, key)), "text": weighing.get(key, "")}
            for key in (rule_set.evaluation_weighing or [])]


def evaluation_report_context(case, *, passed):
    from indicators.models import Indicator

    ScoreSheet, SheetStage, SheetStatus = _sheet_models()
    result = case.evaluation_results.select_related("recorded_by").order_by("-recorded_at", "-pk").first()
    round_number = result.round if result is not None else case.evaluation_failures + 1
    final = (ScoreSheet.objects.filter(case=case, stage=SheetStage.FINAL, round=round_number)
             .select_related("system").prefetch_related("entries").first())
    context = {"result": result, "passed": passed, "round_number": round_number, "final": final,
               "evaluation_round": case.evaluation_round if case.evaluation_round_id else None,
               "weighing": _weighing_rows(result, case.rule_set),
               "weighs": bool(case.rule_set.evaluation_weighing), "experts": [], "indicators": [], "groups": []}
    if final is None:
        return context
    experts = list(ScoreSheet.objects.filter(case=case, stage=SheetStage.EXPERT, round=round_number,
                                             status=SheetStatus.SUBMITTED)
                   .select_related("author").prefetch_related("entries").order_by("assignment_id", "pk"))
    given = [{e.number: e.score for e in sheet.entries.all()} for sheet in experts]
    divergent = {d["number"]: d for d in (final.divergent or [])}
    names = {i.number: i for i in Indicator.objects.filter(system=final.system).select_related("group__parent")}
    rows = []
    for entry in sorted(final.entries.all(), key=lambda e: e.number):
        indicator = names.get(entry.number)
        group = indicator.group if indicator is not None else None
        top = group.parent if group is not None and group.parent_id else group
        rows.append({"number": entry.number, "name": indicator.name if indicator else "", "points": entry.points,
                     "group": top.name if top is not None else "",
                     "scores": [g.get(entry.number) for g in given], "score": entry.score,
                     "divergent": entry.number in divergent,
                     "spread": divergent.get(entry.number, {}).get("spread", "")})
    body = final.result or {}
    groups = [{**g, "rate_percent": _percent(g.get("rate")), "threshold_percent": _percent(g.get("rate_threshold"))}
              for g in body.get("groups", [])]
    context.update({
        "experts": [str(s.author) for s in experts], **_expert_sheet_documents(case, experts),
        "indicators": rows, "groups": groups,
        "total": final.total_score, "points": body.get("points", final.system.points),
        "total_threshold": body.get("total_threshold", final.system.total_threshold),
        "rule_passed": body.get("rule_passed"), "rule_reasons": body.get("reasons") or [],
        "aggregation": final.get_aggregation_display(), "divergence_margin": final.divergence_margin,
        "system": final.system, "excused": body.get("excused") or [],
    })
    context["pass_rule_text"] = (final.system.pass_rule_text or "").strip().rstrip("。")
    context["total_passed"] = final.total_score >= Decimal(str(context["total_threshold"]))
    return context


def _percent(value):
    if value in (None, ""):
        return ""
    return f"{(Decimal(str(value)) * 100).quantize(Decimal('0.01')).normalize():f}%"


def _expert_sheet_documents(case, experts):
    """Each expert's sheet is a numbered document of its own (issued at the expert's submission): the report names
    them by 文号 in its 附件说明 (``sheet_documents``: [(sheet, document)]) rather than printing them again. A sheet
    submitted before the sheets were issued as documents (older data) is attached in full (``expert_sheets``)."""
    from cases.models import AuditEntry

    from .models import OfficialDocument

    issued = {e["data__sheet"]: e["data__official_document__id"] for e in AuditEntry.objects.filter(
        case=case, name="submit_score_sheet", data__sheet__in=[s.pk for s in experts],
        data__official_document__isnull=False).values("data__sheet", "data__official_document__id")}
    documents = OfficialDocument.objects.in_bulk([i for i in issued.values() if i])
    named = [(sheet, documents[issued[sheet.pk]]) for sheet in experts if documents.get(issued.get(sheet.pk))]
    return {"sheet_documents": named, "sheet_count": len(experts),
            "expert_sheets": [sheet for sheet in experts if not documents.get(issued.get(sheet.pk))]}
