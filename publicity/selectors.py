"""Reads for stage 8 (办法 第十五条、第十六条): the cities waiting for a notice, the notice lists with their cities
and objections, and what still keeps a city's notice from closing. Each read is a fixed number of queries,
however many cities or objections."""
import dataclasses

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from cases.workflow import State

from .models import Notice, NoticeList, Objection


@dataclasses.dataclass
class RoundGroup:
    """The cities of one evaluation round in one state; ``round`` is None for cases evaluated without rounds
    (试行办法: no 评估批次), each of which is published on its own."""

    round: object
    cases: list


def cases_by_round(state):
    """The cases in ``state`` grouped by their evaluation round, oldest round first, cities by code (one query)."""
    cases = (Case.objects.filter(state=state)
             .select_related("creation_object__province", "evaluation_round", "rule_set")
             .order_by("evaluation_round__opens_on", "evaluation_round_id", "creation_object__code"))
    groups, by_round = [], {}
    for case in cases:
        key = case.evaluation_round_id
        if key not in by_round:
            by_round[key] = RoundGroup(round=case.evaluation_round, cases=[])
            groups.append(by_round[key])
        by_round[key].cases.append(case)
    # The cases without a round come last.
    return [g for g in groups if g.round is not None] + [g for g in groups if g.round is None]


def round_cases(round_, state):
    """The round's cities in ``state`` (one query)."""
    return list(Case.objects.filter(state=state, evaluation_round=round_)
                .select_related("creation_object__province", "rule_set").order_by("creation_object__code"))


def _entries():
    return Notice.objects.select_related("case__creation_object__province", "case__rule_set").order_by(
        "case__creation_object__code")


def notice_lists_for_samr():
    """(open, past): the lists with a city still in publicity (running, or over and not yet closed), and the last
    twenty others — each with its cities and its count of objections still to verify (three queries)."""
    lists = (NoticeList.objects.select_related("round")
             .annotate(open_objections=Count("entries__objections",
                                             filter=Q(entries__objections__status=Objection.Status.OPEN),
                                             distinct=True),
                       objection_count=Count("entries__objections", distinct=True))
             .prefetch_related(Prefetch("entries", queryset=_entries())))
    open_ids = NoticeList.objects.filter(entries__case__state=State.IN_PUBLICITY).values("pk")
    running = list(lists.filter(pk__in=open_ids).order_by("last_day", "pk"))
    past = list(lists.exclude(pk__in=open_ids).order_by("-last_day", "-pk")[:20])
    return running, past


def notice_list_for_samr(listing_id):
    """One list with its cities, each city's objections (oldest first, with who verified them), or None."""
    objections = (Objection.objects.select_related("decided_by").prefetch_related("attachments")
                  .order_by("filed_at", "pk"))
    return (NoticeList.objects.select_related("round", "published_by")
            .prefetch_related(Prefetch("entries", queryset=_entries().prefetch_related(
                Prefetch("objections", queryset=objections))))
            .filter(pk=listing_id).first())


def close_blockers(entry, today=None):
    """What keeps this city's notice from closing now — the words of the guards notice_period_over and
    objections_all_decided (cases.guards), read from the prefetched entry instead of one query per city. The move
    itself checks the guards again."""
    today = today or timezone.localdate()
    reasons = []
    if today <= entry.last_day:
        reasons.append(_("公示期至 %(day)s 止，期满后方可处理。") % {"day": entry.last_day})
    if any(o.status == Objection.Status.OPEN for o in entry.objections.all()):
        reasons.append(_("尚有异议未核实，请先处理异议。"))
    return reasons


# ── the public ──────────────────────────────────────────────────────────────────────────────────────────────
def public_notice_lists(*, archive=False, today=None):
    """The notice lists the public reads: running today (a city still in publicity), soonest to end first; or
    with ``archive`` those that have ended, newest first. Two queries."""
    today = today or timezone.localdate()
    lists = NoticeList.objects.select_related("round").prefetch_related(Prefetch("entries", queryset=_entries()))
    if archive:
        return list(lists.filter(last_day__lt=today).order_by("-last_day", "-pk")[:100])
    running = NoticeList.objects.filter(first_day__lte=today, last_day__gte=today,
                                        entries__case__state=State.IN_PUBLICITY).values("pk")
    return list(lists.filter(pk__in=running).order_by("last_day", "pk"))


def public_notice_list(listing_id, today=None):
    """One list as the public reads it, once its first day has come (a list SAMR dated ahead is not yet public)."""
    today = today or timezone.localdate()
    return (NoticeList.objects.select_related("round").prefetch_related(Prefetch("entries", queryset=_entries()))
            .filter(pk=listing_id, first_day__lte=today).first())


def objectable_entries(listing, today=None):
    """The cities of a list one may still object to today: the list is running and the city still in publicity."""
    today = today or timezone.localdate()
    if not listing.is_open_on(today):
        return []
    return [e for e in listing.entries.all() if e.case.state == State.IN_PUBLICITY]


def public_notice_lists_of_case(case_id, today=None):
    """The notice lists that named the city and are public (their first day has come), oldest first (one query)."""
    today = today or timezone.localdate()
    return list(NoticeList.objects.filter(entries__case_id=case_id, first_day__lte=today).select_related("round")
                .distinct().order_by("first_day", "pk"))
