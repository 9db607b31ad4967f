"""第二十二条: a zone is interviewed, warned or revoked on one of three grounds, in the words of the measures it was
designated under — 试行办法（一） names 食品药品重大安全事故, 办法（一） 重大违法案件."""
import pytest

from cases.journeys import drive
from cases.services import perform_transition
from cases.workflow import State
from designation.models import Sanction
from tests.deadlines.conftest import trial_clock
from tests.factories import new_case

__all__ = ["trial_clock"]


@pytest.mark.django_db
def test_a_zone_under_the_trial_measures_is_warned_in_the_trial_measures_words(cast, trial_clock):
    zone = drive(new_case(cast), State.DESIGNATED, cast, trial_clock)
    assert zone.rule_set.code == "trial-2022"
    perform_transition(case_id=zone.pk, name="warn", actor=cast.officer,
                       payload={"ground": "major_incident", "comment": "发生重大食品安全事故"})
    sanction = Sanction.objects.get(case=zone)
    assert sanction.ground_text == "（一）发生扰乱网络市场秩序的重大事件或者食品药品重大安全事故，社会影响特别恶劣的"
    entry = zone.audit_entries.get(name="warn")
    assert entry.data["ground_text"] == sanction.ground_text and entry.article == "试行办法 第二十二条"


@pytest.mark.django_db
def test_a_zone_under_the_current_measures_keeps_the_current_words(cast, call, clock):
    zone = drive(new_case(cast, call), State.DESIGNATED, cast, clock)
    perform_transition(case_id=zone.pk, name="revoke", actor=cast.officer,
                       payload={"ground": "major_incident", "comment": "重大违法案件"})
    assert Sanction.objects.get(case=zone).ground_text.startswith("（一）发生扰乱网络市场秩序的重大事件或重大违法案件")
