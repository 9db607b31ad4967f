"""The demo shows what users will see of the lists (办法 第十五条、第十六条; 试行办法 第十三条、第十四条): the cities
published on one day share one notice list, those designated together one numbered announcement, and the current
cohort's evaluation applications belong to SAMR's rounds."""
import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_demo_has_rounds_a_list_notice_and_a_numbered_announcement():
    from cases.models import Case
    from designation.models import Announcement
    from evaluation.models import Round
    from publicity.models import NoticeList

    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    assert Round.objects.exists()
    assert Case.objects.filter(rule_set__evaluation_rounds=True, evaluation_round__isnull=False).exists()
    widest = max(NoticeList.objects.all(), key=lambda listing: listing.entries.count())
    assert {str(e.case.creation_object.name) for e in widest.entries.all()} == {"杭州市", "温州市", "苏州市"}
    announcement = Announcement.objects.get(designations__case__creation_object__code="330100")
    assert str(announcement.number) == f"{announcement.year}年第1号"
    assert {d.case.creation_object.code for d in announcement.designations.all()} == {"330100", "330300"}
