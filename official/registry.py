"""Which act issues which document (issue #11, DESIGN.md: Official documents), and what goes into it.

cases.services.perform_transition calls ``issue_for_move`` after the move and its stage record, inside the act's
transaction, and puts what it returns into the act's audit entry: the document's number, issuer and SHA-256.
The two lists — the 公示 and the 认定公告 — are issued once for all their cities by the service that publishes the
list (``issue_notice_list`` / ``issue_announcement``, before the cities' moves); each city's move then records the
list's document in its own audit entry. A city published or designated on its own gets a one-city list.

Official documents are in Chinese whatever the language of the person acting: their text is not translated."""
from django.utils import timezone

from . import services
from .models import DocumentKind, OfficialDocument
from .services import Draft

BUILDERS = {}  # move name → (kind, builder(case, ctx, move) → Draft, issued by SAMR?)


def issues(*moves, kind, samr):
    def register(builder):
        for name in moves:
            BUILDERS[name] = (kind, builder, samr)
        return builder

    return register


def issue_for_move(*, case, ctx, move):
    """Issue the move's document, if it has one; returns the audit entry's data about it ({} when none)."""
    entry = BUILDERS.get(move.name)
    if entry is None:
        return {}
    kind, builder, samr = entry
    draft_or_document = builder(case=case, ctx=ctx, move=move)
    if draft_or_document is None:
        return {}
    if isinstance(draft_or_document, OfficialDocument):  # the list's document, issued with the list
        document = draft_or_document
    else:
        issuer = services.issuer_for(ctx.actor, samr=samr, case=case)
        document = services.issue(draft_or_document, actor=ctx.actor, issuer=issuer, move=move.name)
    return {"official_document": services.audit_data(document)}


# ── shared facts ──────────────────────────────────────────────────────────────────────────────────────────────
def city_government(case):
    """The 主送机关 of a document to the city: its government (the applicant organisation's name)."""
    organisation = getattr(case.creation_object, "organisation", None)
    try:
        name = organisation.name if organisation is not None else ""
    except Exception:  # noqa: BLE001 — a reverse one-to-one that is absent
        name = ""
    return name or f"{case.creation_object}人民政府"


def _as_of(queryset, field, ctx):
    """The records an act's document reads, as they stood when it was issued: a correction re-renders the
    document of an earlier act (ctx.as_of), not of a later review or sanction of the same case."""
    as_of = getattr(ctx, "as_of", None)
    return queryset.filter(**{f"{field}__lte": as_of}) if as_of is not None else queryset


def _base(case, ctx, move):
    return {"case": case, "city": case.creation_object, "province": case.creation_object.province,
            "rule_set": case.rule_set, "article": case.rule_set.article(move.name) if move else "",
            "comment": ctx.payload.get("comment", "") if ctx else ""}


# ── 办法 第八条: the province's recommendation letter with its ranked list ──────────────────────────────────
def ranked_list(case):
    """The province's recommendations in the case's call (or, under the 2022 trial measures with no call, in the
    year), best first: the ranked list the letter carries as of the day it is issued."""
    from applications.models import PreliminaryReview

    reviews = PreliminaryReview.objects.filter(outcome=PreliminaryReview.Outcome.RECOMMENDED,
                                               province=case.creation_object.province)
    if case.call_id:
        reviews = reviews.filter(call_id=case.call_id)
    else:
        reviews = reviews.filter(call__isnull=True, reviewed_at__year=timezone.localdate().year)
    return list(reviews.select_related("case__creation_object__province").order_by("rank", "reviewed_at", "pk"))


@issues("recommend", kind=DocumentKind.RECOMMENDATION, samr=False)
def recommendation_letter(*, case, ctx, move):
    review = _as_of(case.preliminary_reviews, "reviewed_at", ctx).order_by("-reviewed_at", "-pk").first()
    province = case.creation_object.province
    title = "关于推荐%(city)s创建网络市场监管与服务示范区的函" % {"city": case.creation_object}
    return Draft(DocumentKind.RECOMMENDATION, title, "official/recommendation.html", {
        **_base(case, ctx, move), "review": review, "ranked": ranked_list(case), "addressee": "市场监管总局",
        "masthead": "%(province)s市场监督管理局" % {"province": province.name}, "form": "letter",
        "application": case.application_forms.order_by("-version").first(),
    }, case=case)


# ── 办法 第九条: SAMR's approval of creation, with the period ────────────────────────────────────────────────
@issues("approve_creation", kind=DocumentKind.APPROVAL, samr=True)
def approval(*, case, ctx, move):
    title = "市场监管总局关于同意%(city)s创建网络市场监管与服务示范区的批复" % {"city": case.creation_object}
    return Draft(DocumentKind.APPROVAL, title, "official/approval.html", {
        **_base(case, ctx, move), "addressee": city_government(case), "masthead": "市场监管总局文件",
        "copy_to": "%(province)s市场监督管理局" % {"province": case.creation_object.province.name},
        "years": case.rule_set.max_creation_years,
    }, case=case)


# ── 办法 第十三条: the province's evaluation pre-review opinion ──────────────────────────────────────────────
@issues("forward_evaluation", kind=DocumentKind.PRE_REVIEW, samr=False)
def pre_review_opinion(*, case, ctx, move):
    review = _as_of(case.pre_reviews, "reviewed_at", ctx).order_by("-reviewed_at", "-pk").first()
    province = case.creation_object.province
    title = "关于%(city)s网络市场监管与服务示范区评估初审意见的函" % {"city": case.creation_object}
    return Draft(DocumentKind.PRE_REVIEW, title, "official/pre_review.html", {
        **_base(case, ctx, move), "review": review, "addressee": "市场监管总局", "form": "letter",
        "masthead": "%(province)s市场监督管理局" % {"province": province.name},
        "round": case.evaluation_round if case.evaluation_round_id else None,
        "self_assessment": case.self_assessments.order_by("-recorded_at", "-pk").first(),
        "materials": list(case.documents.filter(kind__in=["evaluation_application", "self_assessment_report"])
                          .order_by("uploaded_at", "pk")),
    }, case=case)


# ── 办法 第十四条: the evaluation report at pass or fail ─────────────────────────────────────────────────────
@issues("pass_evaluation", "fail_evaluation", kind=DocumentKind.EVALUATION_REPORT, samr=True)
def evaluation_report(*, case, ctx, move):
    from .reports import evaluation_report_context

    title = "%(city)s网络市场监管与服务示范区创建评估报告" % {"city": case.creation_object}
    return Draft(DocumentKind.EVALUATION_REPORT, title, "official/evaluation_report.html", {
        **_base(case, ctx, move), "masthead": "市场监管总局", "form": "report",
        **evaluation_report_context(case, passed=move.name == "pass_evaluation"),
    }, case=case)


# ── 办法 第十五条: the 公示 (a list) ─────────────────────────────────────────────────────────────────────────
def _notice_draft(listing, cities):
    from publicity.services import _evaluation_summary

    rows = [{"case": c, "city": c.creation_object, "province": c.creation_object.province,
             "summary": _evaluation_summary(c)} for c in cities]
    rule_set = cities[0].rule_set
    title = "网络市场监管与服务示范区建议名单公示"
    return Draft(DocumentKind.NOTICE, title, "official/notice.html", {
        "listing": listing, "rows": rows, "round": listing.round, "masthead": "市场监管总局", "form": "notice",
        "article": rule_set.article("publish_notice"), "days": rule_set.notice_days,
    }, listing=listing)


def issue_notice_list(*, listing, cases, actor):
    """The 公示 of a notice list, issued once for all its cities (publicity.services.publish_notice_list calls it
    in its transaction, before the cities' moves)."""
    cities = sorted(cases, key=lambda c: c.creation_object.code)
    return services.issue(_notice_draft(listing, cities), actor=actor,
                          issuer=services.issuer_for(actor, samr=True), move="publish_notice")


@issues("publish_notice", kind=DocumentKind.NOTICE, samr=True)
def notice(*, case, ctx, move):
    listing = ctx.payload.get("listing")
    if listing is None:  # published from the case alone: record_notice made a one-city list
        entry = case.notices.select_related("listing").order_by("-pk").first()
        listing = entry.listing if entry is not None else None
    if listing is None:
        return None
    existing = OfficialDocument.objects.filter(listing=listing, replaces__isnull=True).first()
    if existing is not None:
        return existing
    return _notice_draft(listing, [case])


# ── 办法 第十六条: the 认定公告 (a list) ──────────────────────────────────────────────────────────────────────
def _announcement_draft(announcement, cities):
    title = "市场监管总局关于认定网络市场监管与服务示范区的公告"
    rule_set = cities[0].rule_set
    return Draft(DocumentKind.ANNOUNCEMENT, title, "official/announcement.html", {
        "announcement": announcement, "cities": cities, "round": announcement.round, "masthead": "市场监管总局",
        "form": "announcement", "article": rule_set.article("designate"),
    }, announcement=announcement, n=announcement.sequence)


def announcement_cities(announcement):
    """The cities an announcement lists, by code: its designations' — for a 更正公告, the original's (the chain of
    corrections leads back to it; the cities' designations stay linked to the original)."""
    listed = announcement.listed
    return sorted((d.case for d in listed.designations.select_related("case__creation_object__province",
                                                                       "case__rule_set")),
                  key=lambda c: c.creation_object.code)


def announcement_correction_draft(document, correction):
    """The Draft of a 更正公告: ``correction`` is the new designation.Announcement (next number of the year) that
    corrects the announcement of ``document``. It lists the same cities, with the original's text; the 更正说明
    (official/document.html) names the replaced 文号, its title and the reason."""
    listed = correction.listed
    draft = _announcement_draft(listed, announcement_cities(correction))
    draft.title = "市场监管总局关于更正网络市场监管与服务示范区认定公告的公告"
    draft.announcement, draft.n = correction, correction.sequence
    draft.context = {**draft.context, "announcement": listed, "correction": correction}
    return draft


def issue_announcement(*, announcement, cases, actor):
    """The 认定公告, issued once for all its cities (designation.services.publish_announcement calls it in its
    transaction, before the cities' moves). Its 文号 carries the announcement's own number of the year."""
    cities = sorted(cases, key=lambda c: c.creation_object.code)
    return services.issue(_announcement_draft(announcement, cities), actor=actor,
                          issuer=services.issuer_for(actor, samr=True), move="designate")


@issues("designate", kind=DocumentKind.ANNOUNCEMENT, samr=True)
def announcement(*, case, ctx, move):
    designation = case.designations.select_related("announcement__round").order_by("-pk").first()
    item = designation.announcement if designation is not None else None
    if item is None:
        return None
    existing = OfficialDocument.objects.filter(announcement=item, replaces__isnull=True).first()
    if existing is not None:
        return existing
    return _announcement_draft(item, [case])


# ── 办法 第二十二条: each sanction decision, with its ground and article ──────────────────────────────────────
SANCTION_TITLES = {
    "interview": "市场监管总局关于对%(city)s网络市场监管与服务示范区予以约谈的决定",
    "warn": "市场监管总局关于对%(city)s网络市场监管与服务示范区予以警示的决定",
    "revoke": "市场监管总局关于取消%(city)s网络市场监管与服务示范区资格的决定",
}


@issues("interview", "warn", "revoke", kind=DocumentKind.SANCTION, samr=True)
def sanction_decision(*, case, ctx, move):
    sanction = _as_of(case.sanctions, "decided_at", ctx).order_by("-decided_at", "-pk").first()
    designation = case.designations.filter(designated=True).select_related("announcement").order_by("-pk").first()
    return Draft(DocumentKind.SANCTION, SANCTION_TITLES[move.name] % {"city": case.creation_object},
                 "official/sanction.html", {
                     **_base(case, ctx, move), "sanction": sanction, "designation": designation,
                     "addressee": city_government(case), "masthead": "市场监管总局文件", "measure": move.name,
                     "copy_to": "%(province)s市场监督管理局" % {"province": case.creation_object.province.name},
                 }, case=case)


# ── 办法 第十四条: each expert's score sheet, issued when the expert submits it ──────────────────────────────
def _score_sheet_draft(sheet):
    from indicators.models import Indicator

    case = sheet.case
    names = {i.number: i.name for i in Indicator.objects.filter(system=sheet.system).only("number", "name")}
    entries = [{"entry": e, "name": names.get(e.number, "")} for e in sheet.entries.order_by("number")]
    title = "%(city)s网络市场监管与服务示范区创建评估专家评分表" % {"city": case.creation_object}
    return Draft(DocumentKind.SCORE_SHEET, title, "official/score_sheet.html", {
        "case": case, "city": case.creation_object, "province": case.creation_object.province,
        "rule_set": case.rule_set, "article": case.rule_set.article("pass_evaluation"), "sheet": sheet,
        "entries": entries, "expert": sheet.author, "masthead": "市场监管总局", "form": "report",
        "evaluation_round": case.evaluation_round if case.evaluation_round_id else None,
    }, case=case)


def issue_score_sheet(*, sheet, actor):
    """The expert's submitted score sheet as a numbered document of SAMR, which organises the evaluation
    (evaluation.sheets.submit_sheet calls it in its transaction). Returns the audit entry's data about it."""
    document = services.issue(_score_sheet_draft(sheet), actor=actor, issuer=services.issuer_for(actor, samr=True),
                              move="submit_score_sheet")
    return {"official_document": services.audit_data(document)}


# ── corrections: the same document re-rendered from the records, numbered anew ──────────────────────────────
def draft_for_correction(document, actor):
    """The Draft of a correction of ``document``: its content rendered again from the records as they stand (the
    act's own records as of the day it was issued; the list's cities; the expert's sheet)."""
    import types

    from cases.services import MOVES

    if document.kind == DocumentKind.ANNOUNCEMENT:
        raise ValueError("a 认定公告 is corrected by a new announcement: announcement_correction_draft")
    if document.kind == DocumentKind.NOTICE:
        listing = document.listing
        cities = sorted((e.case for e in listing.entries.select_related(
            "case__creation_object__province", "case__rule_set")), key=lambda c: c.creation_object.code)
        return _notice_draft(listing, cities)
    entry = _act_entry(document)
    if document.kind == DocumentKind.SCORE_SHEET:
        from .reports import _sheet_models

        ScoreSheet = _sheet_models()[0]
        sheet = ScoreSheet.objects.select_related("case__creation_object__province", "case__rule_set", "system",
                                                  "author").get(pk=entry.data["sheet"])
        return _score_sheet_draft(sheet)
    move = MOVES[document.move]
    builder = BUILDERS[document.move][1]
    ctx = types.SimpleNamespace(actor=actor, payload={"comment": entry.comment if entry else ""},
                                as_of=document.issued_at)
    return builder(case=document.case, ctx=ctx, move=move)


def _act_entry(document):
    """The audit entry of the act that issued ``document`` (it records the document's id)."""
    from cases.models import AuditEntry

    return (AuditEntry.objects.filter(case_id=document.case_id, data__official_document__id=document.pk)
            .order_by("pk").first())
