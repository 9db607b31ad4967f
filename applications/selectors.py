"""Reads for SAMR's pages of stage 1–3: the calls for applications and the provinces' recommendation lists per call
(办法 第八条 择优推荐, 第九条). Each read is a fixed number of queries however many provinces and cities."""
import dataclasses

from django.db.models import Count, Q
from django.utils import timezone

from cases.deadlines import period_end
from cases.workflow import State

from .models import ApplicationCall, ApplicationForm, CreationDecision, PreliminaryReview


def calls():
    """Every call, newest first, with how many cities applied and how many the provinces recommended."""
    return ApplicationCall.objects.annotate(
        applied=Count("cases", filter=~Q(cases__state=State.DRAFT), distinct=True),
        awaiting=Count("cases", filter=Q(cases__state=State.RECOMMENDED), distinct=True),
    ).order_by("-year", "-opens_on", "-pk")


def is_open_or_past(call, today=None):
    """A call may be edited only before its first day (办法 第七条: the cities apply as the call asks)."""
    return call.opens_on <= (today or timezone.localdate())


@dataclasses.dataclass
class ListedCase:
    """One city on a province's list: its rank, the key figures of its 申请表 and what SAMR decided."""

    review: PreliminaryReview
    case: object
    form: ApplicationForm | None
    documents: int
    decision: CreationDecision | None

    @property
    def awaiting(self):
        return self.case.state == State.RECOMMENDED

    @property
    def longest_end(self):
        """办法 第九条 / 试行办法 第八条: the latest creation_end SAMR may approve, for a period starting today."""
        return period_end(timezone.localdate(), self.case.rule_set.max_creation_years)


@dataclasses.dataclass
class ProvinceList:
    province: object
    cities: list

    @property
    def awaiting(self):
        return sum(1 for c in self.cities if c.awaiting)


def recommendation_lists(call):
    """[ProvinceList] of the call, provinces by code, each city in the province's rank order (five queries)."""
    from documents.models import Document

    reviews = list(PreliminaryReview.objects.filter(call=call, outcome=PreliminaryReview.Outcome.RECOMMENDED)
                   .select_related("province", "reviewer", "case__creation_object__province", "case__rule_set")
                   .order_by("province__code", "rank", "reviewed_at"))
    ids = [r.case_id for r in reviews]
    forms = {}
    for form in ApplicationForm.objects.filter(case_id__in=ids).order_by("case_id", "version"):
        forms[form.case_id] = form  # the last version wins
    documents = dict(Document.objects.filter(case_id__in=ids).values("case_id").annotate(n=Count("pk"))
                     .values_list("case_id", "n"))
    decisions = {}
    for decision in CreationDecision.objects.filter(case_id__in=ids).order_by("decided_at", "pk"):
        decisions[decision.case_id] = decision
    lists = {}
    for review in reviews:
        province = review.province or review.case.creation_object.province
        lists.setdefault(province.pk, ProvinceList(province=province, cities=[])).cities.append(ListedCase(
            review=review, case=review.case, form=forms.get(review.case_id), documents=documents.get(review.case_id, 0),
            decision=decisions.get(review.case_id)))
    return list(lists.values())
