"""The province's recommendation list for a call (办法 第八条: 对申报材料……进行严格初审，择优向市场监管总局提出推荐名单).

Under the current measures a province ranks the cities it recommends; the list is drawn up as one ordered list
(reviewers move cities up and down) and submitted together: every city in the list's order is recommended with its
rank, in one transaction, each through cases.services.perform_transition (so each move keeps its own guards, stage
record and audit entry, and the ranks stay unique per province and call — applications.models.PreliminaryReview's
constraint and the province lock in record_preliminary_review). The 2022 trial measures forward without ranks: they
have no list (试行办法 第七条).

Reads first (selectors), then the writers (services). A reviewer's scope is cases.selectors.cases_visible_to.
"""
import dataclasses

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from cases.errors import Conflict, DomainError, InvalidPayload, NotAllowed, NotFound
from cases.selectors import cases_visible_to
from cases.workflow import State

from .models import ApplicationCall, PreliminaryReview, RecommendationList

UP, DOWN = "up", "down"


# ── reads ─────────────────────────────────────────────────────────────────────────────────────────────────────────
def province_of(user):
    """The province a provincial reviewer acts for, or None."""
    if getattr(user, "role", None) != Role.PROVINCIAL_REVIEWER:
        return None
    organisation = getattr(user, "organisation", None)
    return organisation.province if organisation is not None and organisation.province_id else None


def calls_for(user):
    """The calls a reviewer draws up lists for: every call with a case of their province under measures that rank
    (办法 第八条), newest first, each annotated with nothing — the page counts per call from ``ready_cases``."""
    cases = cases_visible_to(user).filter(call__isnull=False, rule_set__province_ranks=True)
    return ApplicationCall.objects.filter(pk__in=cases.values("call_id")).order_by("-year", "-opens_on", "-pk")


def ready_cases(user, call):
    """The reviewer's cases in ``call`` awaiting the province's review (待省级初审) under measures that rank."""
    return (cases_visible_to(user).filter(call=call, state=State.SUBMITTED, rule_set__province_ranks=True)
            .select_related("creation_object__province", "rule_set", "call"))


def recommended(province, call):
    """The province's recommendations already made in ``call``, by rank (whatever became of the cases since)."""
    return (PreliminaryReview.objects.filter(province=province, call=call, outcome=PreliminaryReview.Outcome.RECOMMENDED,
                                             rank__isnull=False)
            .select_related("case__creation_object", "reviewer").order_by("rank"))


def counts_per_call(user):
    """{call id: {"ready": n, "recommended": m}} for the reviewer's province — two queries for all calls."""
    from django.db.models import Count

    counts = {}
    ready = (cases_visible_to(user).filter(call__isnull=False, state=State.SUBMITTED, rule_set__province_ranks=True)
             .values("call").annotate(n=Count("pk")))
    for row in ready:
        counts.setdefault(row["call"], {"ready": 0, "recommended": 0})["ready"] = row["n"]
    done = (PreliminaryReview.objects.filter(province=province_of(user), outcome=PreliminaryReview.Outcome.RECOMMENDED,
                                             rank__isnull=False, call__isnull=False)
            .values("call").annotate(n=Count("pk")))
    for row in done:
        counts.setdefault(row["call"], {"ready": 0, "recommended": 0})["recommended"] = row["n"]
    return counts


def next_rank(province, call):
    """The first rank not yet used by the province in the call (办法 第八条: one rank, one city)."""
    top = PreliminaryReview.objects.filter(province=province, call=call, outcome=PreliminaryReview.Outcome.RECOMMENDED
                                           ).aggregate(top=Max("rank"))["top"]
    return (top or 0) + 1


def _ordered(cases, stored_order):
    """Cases in the list's order: those the stored order names, then the rest by submission."""
    by_id = {c.pk: c for c in cases}
    ordered = [by_id.pop(pk) for pk in stored_order if pk in by_id]
    return ordered + sorted(by_id.values(), key=lambda c: (c.submitted_at, c.pk))


@dataclasses.dataclass
class Entry:
    case: object
    position: int  # 1-based place in the list
    rank: int  # the rank it gets when the list is submitted
    is_first: bool
    is_last: bool


def current_list(user, call):
    """The reviewer's list for ``call``: [Entry] in order, with the rank each city would get. Four queries."""
    province = province_of(user)
    if province is None:
        return []
    stored = RecommendationList.objects.filter(province=province, call=call).values_list("order", flat=True).first()
    cases = _ordered(list(ready_cases(user, call)), stored or [])
    start = next_rank(province, call)
    return [Entry(case, i + 1, start + i, i == 0, i == len(cases) - 1) for i, case in enumerate(cases)]


# ── writes ────────────────────────────────────────────────────────────────────────────────────────────────────────
def _reviewer_call(actor, call_id):
    province = province_of(actor)
    if province is None:
        raise NotAllowed(_("只有省级审核人员可以编排本省推荐名单。"))
    call = ApplicationCall.objects.filter(pk=call_id).first()
    if call is None:
        raise NotFound(_("没有该申报通知。"))
    return province, call


def _locked_list(province, call):
    """Lock the province (the same lock the rank recorder takes, so lists and ranks are served in turn) and return
    its list row for the call, created empty when missing."""
    from regions.models import Province

    Province.objects.select_for_update().filter(pk=province.pk).first()
    listing, _created = RecommendationList.objects.select_for_update().get_or_create(province=province, call=call)
    return listing


def move_in_list(*, actor, call_id, case_id, direction):
    """Who may call it: provincial reviewers. Moves one of their province's cities awaiting review one place up or
    down in the call's list (办法 第八条 择优推荐). Changes only the list's order; returns the new [Entry] list."""
    if direction not in (UP, DOWN):
        raise InvalidPayload(_("移动方向须为 up 或 down。"), errors={"direction": [_("无效的选项。")]})
    province, call = _reviewer_call(actor, call_id)
    with transaction.atomic():
        listing = _locked_list(province, call)
        order = [c.pk for c in _ordered(list(ready_cases(actor, call)), listing.order)]
        if case_id not in order:
            raise NotFound(_("该城市不在本省待推荐名单中（可能已被推荐、退回或撤回），请刷新。"))
        i = order.index(case_id)
        j = i - 1 if direction == UP else i + 1
        if 0 <= j < len(order):
            order[i], order[j] = order[j], order[i]
        listing.order, listing.updated_by, listing.updated_at = order, actor, timezone.now()
        listing.save(update_fields=["order", "updated_by", "updated_at"])
    return current_list(actor, call)


def submit_list(*, actor, call_id, order, comment=""):
    """Who may call it: provincial reviewers. Recommends every city of the province's list for the call, in the
    list's order, each with its rank (the province's next free ranks), in one transaction — all or none (办法 第八条).

    ``order`` is the list as the reviewer saw it (case ids): if it differs from the list now (someone moved a city, a
    city was submitted, returned or withdrawn meanwhile) nothing happens and a Conflict says to look again. Each
    city's recommendation goes through perform_transition (its guards, stage record with the rank, audit entry with
    the rank, notifications); a refusal of any city refuses the whole list and names the city. Returns the cases."""
    from cases.services import perform_transition

    province, call = _reviewer_call(actor, call_id)
    with transaction.atomic():
        listing = _locked_list(province, call)
        cases = _ordered(list(ready_cases(actor, call)), listing.order)
        if [c.pk for c in cases] != list(order):
            raise Conflict(_("推荐名单已变化（他人调整了顺序，或有城市新提交、被退回或撤回），请查看最新名单后再报送。"))
        if not cases:
            raise InvalidPayload(_("名单中没有待推荐的城市。"))
        start = next_rank(province, call)
        done = []
        for i, case in enumerate(cases):
            try:
                done.append(perform_transition(case_id=case.pk, name="recommend", actor=actor,
                                               payload={"rank": start + i, "comment": comment},
                                               listed_in={"recommendation_list": listing}))
            except DomainError as error:
                raise type(error)(_("%(city)s（排序 %(rank)s）：%(message)s")
                                  % {"city": case.creation_object, "rank": start + i, "message": error.message},
                                  **error.extra) from None
        listing.order, listing.updated_by = [], actor
        listing.updated_at = listing.submitted_at = timezone.now()
        listing.save(update_fields=["order", "updated_by", "updated_at", "submitted_at"])
    return done
