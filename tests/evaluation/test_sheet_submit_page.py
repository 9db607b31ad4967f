"""The sheet page's 提交评分表 when the service refuses for missing data (evaluation.sheets._incomplete, which names
the figures through indicators.wording): the page comes back with the message and a 4xx — it was a 500 when the
score sheets moved to evaluation/ and still imported wording and national_figures from their old package."""
import datetime
import re

import pytest
from django.urls import reverse

from cases.journeys import drive
from cases.workflow import State
from evaluation import sheets
from indicators import services
from tests.conftest import SHANGHAI
from tests.factories import new_case

pytestmark = pytest.mark.django_db


def test_submitting_an_incomplete_self_assessment_shows_the_page_again_with_what_is_missing(client, cast, call, clock):
    services.load_seed_systems()
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    sheet, _created = sheets.save_sheet(case_id=case.pk, actor=cast.applicant)
    clock.move_to(datetime.datetime.combine(case.creation_end + datetime.timedelta(days=1), datetime.time(9),
                                            tzinfo=SHANGHAI))  # 办法 第十二条: the self-assessment after the period
    client.force_login(cast.applicant)
    response = client.post(reverse("score-sheet-submit", args=[case.pk, sheet.pk]), {"inputs-shown": "1"})
    assert 400 <= response.status_code < 500
    error = re.search(r'data-testid="sheet-error">(.*?)</div>', response.content.decode(), re.S).group(1)
    assert "数据不全" in error and "请补齐" in error
    sheet.refresh_from_db()
    assert sheet.status == "draft"
