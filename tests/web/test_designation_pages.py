"""The designation and dynamic-management pages: SAMR designates a round's cities in one numbered announcement or
refuses one with reasons (办法 第十六条), and takes 约谈 / 警示 / 取消资格 on one of 第二十二条's grounds — a
revocation only after a confirmation naming the city, the ground and the article. The public sees the zones,
revoked ones marked, and the announcements."""
import dataclasses
import datetime

import pytest
from django.urls import reverse

from cases.journeys import PATHS, act, drive
from cases.models import Case
from cases.services import perform_transition
from cases.workflow import State
from designation.models import Announcement, Sanction
from publicity.services import decide_objection, file_objection_on_list, publish_notice_list
from tests.conftest import SHANGHAI
from tests.factories import applicant_for, expert, new_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_pair(cast, call, clock):
    """杭州市 and 宁波市 of one round, their notice over; an objection to 宁波市 verified as well-founded."""
    casts = [dataclasses.replace(cast, applicant=applicant_for(code)) for code in ("330100", "330200")]
    cases = [new_case(who, call) for who in casts]
    for move in PATHS[State.EVALUATION_PASSED]:
        for case, who in zip(cases, casts):
            act(Case.objects.get(pk=case.pk), move, who, clock)
    hangzhou, ningbo = (Case.objects.get(pk=c.pk) for c in cases)
    listing = publish_notice_list(round_id=hangzhou.evaluation_round_id, actor=cast.officer,
                                  cases=[hangzhou.pk, ningbo.pk], text="建议名单（测试）")
    objection = file_objection_on_list(listing_id=listing.pk, case_id=ningbo.pk, name="公众", contact="1",
                                       content="宁波市材料不实")
    decide_objection(objection_id=objection.pk, actor=cast.officer, upheld=True, decision="经核实，异议成立。")
    clock.move_to(datetime.datetime.combine(listing.last_day + datetime.timedelta(days=1), datetime.time(9),
                                            tzinfo=SHANGHAI))
    for case in (hangzhou, ningbo):
        perform_transition(case_id=case.pk, name="close_notice", actor=cast.officer)
    return tuple(Case.objects.get(pk=c.pk) for c in (hangzhou, ningbo))


@pytest.fixture
def zone(cast, call, clock):
    return drive(new_case(cast, call), State.DESIGNATED, cast, clock)


def test_designation_and_zone_pages_are_for_samr_officers_only(client, cast, zone):
    urls = [("get", reverse("samr-zones")), ("get", reverse("samr-zone", args=[zone.pk])),
            ("post", reverse("samr-zone", args=[zone.pk])),
            ("post", reverse("samr-refuse-designation", args=[zone.pk]))]
    if zone.evaluation_round_id:
        urls.append(("get", reverse("samr-designate-round", args=[zone.evaluation_round_id])))
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    for user in (cast.applicant, cast.reviewer, expert("expert-x")):
        client.force_login(user)
        for method, url in urls:
            response = getattr(client, method)(url, {"move": "revoke", "ground": "decline", "comment": "x",
                                                     "confirmed": "1"})
            assert response.status_code == 403, url
    assert Case.objects.get(pk=zone.pk).state == State.DESIGNATED


def test_officer_designates_the_round_in_one_numbered_announcement_and_refuses_the_other(client, cast, closed_pair):
    hangzhou, ningbo = closed_pair
    client.force_login(cast.officer)
    url = reverse("samr-designate-round", args=[hangzhou.evaluation_round_id])
    page = client.get(url).content.decode()
    assert "有经核实成立的异议，不能认定。" in page  # 宁波市 cannot be picked
    assert f'name="cases" value="{hangzhou.pk}"' in page and f'name="cases" value="{ningbo.pk}"' not in page

    refused = client.post(url, {"cases": [hangzhou.pk], "text": ""})
    assert refused.status_code == 400 and "请填写公告内容（将向社会公布）。" in refused.content.decode()
    smuggled = client.post(url, {"cases": [ningbo.pk], "text": "公告"})
    assert smuggled.status_code == 400 and Case.objects.get(pk=ningbo.pk).state == State.AWAITING_DESIGNATION

    response = client.post(url, {"cases": [hangzhou.pk], "text": "认定杭州市为网络市场监管与服务示范区（测试）"})
    assert response.status_code == 302 and response["Location"] == reverse("samr-zones")
    announcement = Announcement.objects.get()
    assert [d.case_id for d in announcement.designations.all()] == [hangzhou.pk]
    assert Case.objects.get(pk=hangzhou.pk).state == State.DESIGNATED
    assert str(announcement.number) in client.get(response["Location"]).content.decode()

    refuse = reverse("samr-refuse-designation", args=[ningbo.pk])
    empty = client.post(refuse, {f"r{ningbo.pk}-comment": ""})
    assert empty.status_code == 400 and "请填写不予认定的理由。" in empty.content.decode()
    done = client.post(refuse, {f"r{ningbo.pk}-comment": "经核实异议成立，不予认定。"})
    assert done.status_code == 302
    ningbo.refresh_from_db()
    assert ningbo.state == State.NOT_DESIGNATED
    assert ningbo.audit_entries.get(name="refuse_designation").comment == "经核实异议成立，不予认定。"


def test_officer_warns_a_zone_on_a_ground_shown_in_the_case_history(client, cast, zone):
    client.force_login(cast.officer)
    url = reverse("samr-zone", args=[zone.pk])
    page = client.get(url).content.decode()
    words = zone.rule_set.sanction_grounds["fraud"]
    assert words in page  # the grounds in the words of the zone's own measures
    missing = client.post(url, {"move": "warn", "ground": "", "comment": "材料存疑"})
    assert missing.status_code == 400 and "请选择情形。" in missing.content.decode()
    assert "材料存疑</textarea>" in missing.content.decode()
    response = client.post(url, {"move": "warn", "ground": "fraud", "comment": "提供的统计数据与实际不符",
                                 "version": Case.objects.get(pk=zone.pk).version})
    assert response.status_code == 302
    sanction = Sanction.objects.get()
    assert (sanction.kind, sanction.ground, sanction.ground_text) == ("warn", "fraud", words)
    assert Case.objects.get(pk=zone.pk).state == State.DESIGNATED
    history = client.get(reverse("case-detail", args=[zone.pk])).content.decode()
    assert f"情形：</span>{words}" in history
    assert words in client.get(url).content.decode()


def test_a_revocation_is_confirmed_naming_the_city_the_ground_and_the_article(client, cast, zone):
    client.force_login(cast.officer)
    url = reverse("samr-zone", args=[zone.pk])
    data = {"move": "revoke", "ground": "decline", "comment": "工作明显下滑（测试）"}
    asked = client.post(url, data)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "确认取消示范区称号？" in page and "杭州市" in page
    assert zone.rule_set.sanction_grounds["decline"] in page and zone.rule_set.article("revoke") in page
    assert Case.objects.get(pk=zone.pk).state == State.DESIGNATED and not Sanction.objects.exists()
    back = client.post(url, {**data, "confirmed": "0"})
    assert back.status_code == 200 and "工作明显下滑（测试）</textarea>" in back.content.decode()
    assert Case.objects.get(pk=zone.pk).state == State.DESIGNATED

    done = client.post(url, {**data, "confirmed": "1"})
    assert done.status_code == 302
    assert Case.objects.get(pk=zone.pk).state == State.REVOKED
    assert Sanction.objects.get().kind == "revoke"
    page = client.get(url).content.decode()
    assert "已取消示范区资格" in page and 'name="move"' not in page  # nothing more to take


def test_the_public_sees_a_revoked_zone_marked_and_the_announcements(client, cast, zone):
    perform_transition(case_id=zone.pk, name="revoke", actor=cast.officer,
                       payload={"ground": "decline", "comment": "工作明显下滑"})
    page = client.get(reverse("public-zones")).content.decode()
    assert "杭州市" in page and 'data-status="revoked"' in page and "已取消示范区资格" in page
    assert zone.rule_set.sanction_grounds["decline"] in page
    assert "工作明显下滑" + "</" not in page  # the officer's own reasons stay inside
    api = client.get("/api/public/zones/").json()["results"]
    assert [(z["creation_object"], z["status"]) for z in api] == [("杭州市", "revoked")]
    assert api[0]["revoked_on"] and api[0]["revocation_ground"] == zone.rule_set.sanction_grounds["decline"]
    announcements = client.get(reverse("public-announcements")).content.decode()
    assert str(Announcement.objects.get().number) in announcements and "杭州市" in announcements


def test_the_public_zone_list_shows_no_draft_or_running_case(client, cast, other_cast, call, clock):
    new_case(other_cast, call)  # 南京市, a draft
    page = client.get(reverse("public-zones")).content.decode()
    assert "南京市" not in page and "暂无认定的示范区。" in page


def test_zone_lists_take_the_same_queries_for_one_zone_or_many(client, cast, call, clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    casts = [dataclasses.replace(cast, applicant=applicant_for(code)) for code in ("330100", "330200", "330300")]
    cases = [new_case(who, call) for who in casts]
    for move in PATHS[State.DESIGNATED]:
        for case, who in zip(cases, casts):
            act(Case.objects.get(pk=case.pk), move, who, clock)

    def counts():
        out = []
        for url, user in ((reverse("samr-zones"), cast.officer), (reverse("public-zones"), None),
                          (reverse("public-announcements"), None)):
            client.logout()
            if user:
                client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            out.append(len(queries))
        return out

    Case.objects.filter(pk__in=[c.pk for c in cases[1:]]).update(state=State.NOT_DESIGNATED)  # as if one zone
    one = counts()
    Case.objects.filter(pk__in=[c.pk for c in cases[1:]]).update(state=State.DESIGNATED)
    for case in cases[1:]:
        perform_transition(case_id=case.pk, name="warn", actor=cast.officer,
                           payload={"ground": "decline", "comment": "警示"})
    assert counts() == one


def test_the_case_page_leads_samr_to_the_notice_and_the_zone_pages(client, cast, zone):
    client.force_login(cast.officer)
    page = client.get(reverse("case-detail", args=[zone.pk])).content.decode()
    assert reverse("samr-zone", args=[zone.pk]) in page
    assert reverse("samr-notice", args=[zone.notices.get().listing_id]) in page
    client.force_login(cast.applicant)
    page = client.get(reverse("case-detail", args=[zone.pk])).content.decode()
    assert reverse("samr-zone", args=[zone.pk]) not in page
