"""DESIGN.md, Rule sets: a case is governed by the measures in force on the day it is submitted, for life; the
binding is recorded in the submission's audit entry. The trial measures are repealed the day the current ones take effect."""
import datetime

import pytest

from cases.journeys import prepare
from cases.models import Case
from cases.services import perform_transition
from cases.workflow import State
from rulesets.models import RuleSet
from tests.factories import new_case

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(day):
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=SHANGHAI)


@pytest.mark.django_db
def test_the_trial_measures_end_the_day_the_current_ones_begin():
    trial, current = RuleSet.objects.get(code="trial-2022"), RuleSet.objects.get(code="current")
    assert trial.repealed_on == current.effective_from


@pytest.mark.django_db
def test_a_draft_opened_under_the_trial_measures_and_submitted_after_is_governed_by_the_current(cast, call, clock):
    current = RuleSet.objects.get(code="current")
    clock.move_to(at(current.effective_from - datetime.timedelta(days=1)))
    case = new_case(cast)
    assert case.rule_set.code == "trial-2022"
    clock.move_to(at(datetime.date(2026, 3, 2)))
    Case.objects.filter(pk=case.pk).update(call=call)  # the current measures take applications per SAMR call
    prepare(Case.objects.get(pk=case.pk), "submit", cast, clock)
    perform_transition(case_id=case.pk, name="submit", actor=cast.applicant)
    case = Case.objects.get(pk=case.pk)
    assert case.rule_set.code == "current"
    submit = case.audit_entries.get(name="submit")
    assert (submit.data["rule_set"], submit.data["rule_set_before"]) == ("current", "trial-2022")
    assert submit.article == "办法 第七条"


@pytest.mark.django_db
def test_a_draft_submitted_on_the_last_trial_day_stays_under_the_trial_measures(cast, clock):
    current = RuleSet.objects.get(code="current")
    last_trial_day = current.effective_from - datetime.timedelta(days=1)
    clock.move_to(at(datetime.date(last_trial_day.year, 3, 2)))
    case = new_case(cast)
    prepare(case, "submit", cast, clock)
    clock.move_to(at(datetime.date(last_trial_day.year, 5, 1)))
    perform_transition(case_id=case.pk, name="submit", actor=cast.applicant)
    case = Case.objects.get(pk=case.pk)
    assert case.rule_set.code == "trial-2022"
    assert case.audit_entries.get(name="submit").data["rule_set"] == "trial-2022"
