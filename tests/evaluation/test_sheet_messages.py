"""What the score sheets say (issue 7 item 5, the score-sheet parts): a sheet saved with invalid values says so and
marks the fields, keeping what was typed; no internal keys in the messages; an applicant is never told to supply
national figures only an admin enters (the admins are told, once); the engine's explanations exist in English."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from cases.journeys import drive
from cases.workflow import State
from evaluation import sheets
from evaluation.models import ScoreSheet
from indicators import engine, services
from indicators.models import IndicatorSystem, MissingNationalFigure
from notifications.models import Notification
from tests.conftest import SHANGHAI
from tests.factories import UserFactory, new_case

pytestmark = pytest.mark.django_db

KEYS = re.compile(r"context\.years|context\.region|national_[a-z_]+|\bd\d+_\d+\b|\b(east|central|west|northeast)\b|"
                  r"draft-current")


@pytest.fixture
def systems(db):
    services.load_seed_systems()
    return {s.code: s for s in IndicatorSystem.objects.all()}


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin-1", role=Role.ADMIN)


def sheet_url(case, sheet, action=""):
    name = {"": "score-sheet", "save": "score-sheet-save", "submit": "score-sheet-submit"}[action]
    return reverse(name, args=[case.pk, sheet.pk])


def explanations(html):
    """The text of the engine's explanations on a sheet page."""
    return " ".join(re.findall(r'data-testid="explanation-\d+">(.*?)</ul>', html, re.S))


def test_a_sheet_saved_with_an_invalid_value_says_so_marks_the_field_and_keeps_what_was_typed(
        client, systems, cast, call, clock):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    sheet, _ = sheets.save_sheet(case_id=case.pk, actor=cast.applicant)
    client.force_login(cast.applicant)
    response = client.post(sheet_url(case, sheet, "save"), {
        "inputs-shown": "1", "in:ecommerce_transactions:2025": "一百", "in:ecommerce_transactions:2026": "130"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "有输入数据有误，未保存" in html
    field = re.search(r'<input[^>]*name="in:ecommerce_transactions:2025"[^>]*>', html).group(0)
    assert "is-invalid" in field and 'value="一百"' in field  # marked, and what was typed is kept
    message = re.search(r'data-testid="input-error-ecommerce_transactions">(.*?)</div>', html).group(1)
    label = systems["draft-current"].input_catalogue["ecommerce_transactions"]["label"]
    assert label in message and "2025年" in message and "ecommerce_transactions" not in message
    assert 'value="130"' in html
    assert ScoreSheet.objects.get(pk=sheet.pk).inputs == {}  # nothing saved


def test_the_api_names_the_invalid_input_too(systems, cast, call, clock):
    from rest_framework.test import APIClient

    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    sheet, _ = sheets.save_sheet(case_id=case.pk, actor=cast.applicant)
    api = APIClient()
    api.force_authenticate(cast.applicant)
    response = api.patch(f"/api/cases/{case.pk}/score-sheets/{sheet.pk}/",
                         {"inputs": {"d4_1": "很多"}}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "inputs.d4_1" in errors and not KEYS.search(" ".join(errors["inputs"]))


def test_no_internal_keys_in_the_sheet_messages(client, systems, cast, call, clock):
    """Issue 7 item 5: context.years, d4_1, east, draft-current, national_…[2027] become names."""
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    sheet, _ = sheets.save_sheet(case_id=case.pk, actor=cast.applicant)
    for ind in sheet.result["indicators"]:
        for item in ind["items"]:
            assert not KEYS.search(item["detail"]), item["detail"]
            assert not any(KEYS.search(name) for name in item["missing_names"])
    assert not any(KEYS.search(reason) for reason in sheet.result["reasons"])
    client.force_login(cast.applicant)
    assert not KEYS.search(explanations(client.get(sheet_url(case, sheet)).content.decode()))
    clock.move_to(datetime.datetime.combine(case.creation_end + datetime.timedelta(days=1), datetime.time(9),
                                            tzinfo=SHANGHAI))
    client.force_login(cast.applicant)  # sessions last a working day
    refused = client.post(sheet_url(case, sheet, "submit"), {})
    assert refused.status_code == 409
    message = re.search(r'data-testid="sheet-error">(.*?)</div>', refused.content.decode(), re.S).group(1)
    assert "数据不全" in message and not KEYS.search(message)


def test_engine_names_keys_as_people_read_them():
    labels = {"national_ecommerce_growth": "全国电子商务交易额同比增速", "d4_1": "地方性法规"}
    assert engine.name_of("national_ecommerce_growth[2027]", labels) == "全国电子商务交易额同比增速（2027年）"
    assert engine.name_of("d4_1", labels) == "地方性法规"
    assert engine.name_of("context.years") == "评估年份"
    assert engine.name_of("threshold[east]") == "东部地区的门槛"


def test_an_applicant_is_never_asked_for_national_figures_and_the_admins_are_told_once(
        client, systems, cast, call, clock, admin_user):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    sheet, _ = sheets.save_sheet(case_id=case.pk, actor=cast.applicant)
    told = Notification.objects.filter(recipient=admin_user, event="national_figures_missing")
    assert told.count() == 1
    assert "全国电子商务交易额同比增速" in told.get().subject and "管理员" in told.get().body
    assert not Notification.objects.filter(recipient=cast.applicant, event="national_figures_missing").exists()
    assert MissingNationalFigure.objects.filter(key="national_ecommerce_growth").exists()
    # Saving again, or another case needing the same figures, tells no one again.
    sheets.update_sheet(case_id=case.pk, actor=cast.applicant, sheet_id=sheet.pk,
                        entries={"1": {"explanation": "见统计公报"}})
    assert told.count() == 1

    client.force_login(cast.applicant)
    page = client.get(sheet_url(case, sheet)).content.decode()
    assert "全国数据由管理员录入，已通知管理员" in page
    shown = explanations(page)
    assert "尚未录入（由管理员录入）" in shown
    clock.move_to(datetime.datetime.combine(case.creation_end + datetime.timedelta(days=1), datetime.time(9),
                                            tzinfo=SHANGHAI))
    client.force_login(cast.applicant)
    refused = client.post(sheet_url(case, sheet, "submit"), {})
    message = re.search(r'data-testid="sheet-error">(.*?)</div>', refused.content.decode(), re.S).group(1)
    assert "全国数据由管理员录入，已通知管理员" in message
    assert "请补齐：" in message and "全国电子商务交易额同比增速" not in message.split("全国数据")[0]
    assert told.count() == 1


def test_an_english_user_sees_english_explanations(client, systems, cast, call, clock):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    sheet, _ = sheets.save_sheet(case_id=case.pk, actor=cast.applicant)
    client.force_login(cast.applicant)
    chinese = explanations(client.get(sheet_url(case, sheet)).content.decode())
    assert "缺少" in chinese or "尚未录入" in chinese
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = explanations(client.get(sheet_url(case, sheet)).content.decode())
    assert "missing" in english or "not entered" in english
    assert "尚未录入（由管理员录入）" not in english and "缺少 " not in english
    page = client.get(sheet_url(case, sheet)).content.decode()
    assert "more figures are missing (not scored as zero)" in page  # the reasons too


def test_the_engine_explains_in_the_active_language(systems):
    compiled = engine.compile_system(systems["2022"].spec())
    with translation.override("en"):
        result = engine.score(compiled, {"online_retail_sales": {2023: 100, 2024: 120, 2025: 150}},
                              {"national_online_retail_growth": {2024: "0.1", 2025: "0.3"}},
                              {"years": [2024, 2025], "region": "east"})
    detail = result.indicators[0].items[0].detail
    assert detail == ("2024: 20.00% exceeds 10.00%, 1 points; "
                      "2025: 25.00%; the condition \"exceeds 30.00%\" is not met, no points"), detail


def test_api_clients_read_the_explanations_in_their_language(systems, cast, call, clock):
    from rest_framework.test import APIClient

    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    sheet, _ = sheets.save_sheet(case_id=case.pk, actor=cast.applicant)
    api = APIClient()
    api.force_authenticate(cast.applicant)
    url = f"/api/cases/{case.pk}/score-sheets/{sheet.pk}/"
    chinese = api.get(url).json()
    english = api.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert "未按零分计" in chinese["reasons"][-1]
    assert english["reasons"][-1].endswith("missing (not scored as zero)")
    assert english["result"]["indicators"][0]["items"][0]["detail"] != \
        chinese["result"]["indicators"][0]["items"][0]["detail"]
    assert ScoreSheet.objects.get(pk=sheet.pk).result["reasons"] == chinese["reasons"]  # reading changes nothing
