"""The notice pages (办法 第十五条、第十六条): SAMR publishes a round's list, verifies objections and closes each
city's notice; the public reads the running notices and objects on the page. Officer pages are for SAMR officers
only; the public pages need no login and show nothing unpublished."""
import dataclasses
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.journeys import PATHS, act, drive
from cases.models import Case
from cases.services import perform_transition
from cases.workflow import State
from publicity.models import NoticeList, Objection
from publicity.services import decide_objection, file_objection_on_list, publish_notice_list
from tests.conftest import CAPTCHA_PASSES, SHANGHAI
from tests.factories import UserFactory, applicant_for, expert, new_case

pytestmark = pytest.mark.django_db


def side_by_side(cast, call, clock, codes, state):
    """Cities of one call taken to ``state`` together, move by move (so they share a round)."""
    casts = [dataclasses.replace(cast, applicant=applicant_for(code)) for code in codes]
    cases = [new_case(who, call) for who in casts]
    for move in PATHS[state]:
        for case, who in zip(cases, casts):
            act(Case.objects.get(pk=case.pk), move, who, clock)
    return tuple(Case.objects.get(pk=case.pk) for case in cases)


@pytest.fixture
def passed_pair(cast, call, clock):
    """杭州市 and 宁波市, both passed in the same evaluation round."""
    return side_by_side(cast, call, clock, ["330100", "330200"], State.EVALUATION_PASSED)


@pytest.fixture
def listing(cast, passed_pair):
    hangzhou, ningbo = passed_pair
    return publish_notice_list(round_id=hangzhou.evaluation_round_id, actor=cast.officer,
                               cases=[hangzhou.pk, ningbo.pk], text="现将2026年度示范区建议名单予以公示（测试）")


def after(clock, day):
    clock.move_to(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(9), tzinfo=SHANGHAI))


def officer_urls(listing, case, objection):
    return [
        ("get", reverse("samr-publicity")),
        ("get", reverse("samr-notice-publish-round", args=[case.evaluation_round_id])),
        ("get", reverse("samr-notice", args=[listing.pk])),
        ("post", reverse("samr-objection-decide", args=[objection.pk])),
        ("post", reverse("samr-notice-close", args=[listing.pk, case.pk])),
    ]


def test_the_officer_pages_are_for_samr_officers_only(client, cast, passed_pair, listing):
    hangzhou, _ningbo = passed_pair
    objection = file_objection_on_list(listing_id=listing.pk, case_id=hangzhou.pk, name="公众", contact="138",
                                       content="数据存疑")
    for method, url in officer_urls(listing, hangzhou, objection):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    for user in (cast.applicant, cast.reviewer, expert("expert-x")):
        client.force_login(user)
        for method, url in officer_urls(listing, hangzhou, objection):
            assert getattr(client, method)(url, {"outcome": "dismissed", "decision": "x"}).status_code == 403, url
    assert Objection.objects.get().status == Objection.Status.OPEN
    client.force_login(cast.officer)
    for method, url in officer_urls(listing, hangzhou, objection)[:3]:
        assert client.get(url).status_code == 200, url


def test_officer_publishes_the_round_list_from_the_page(client, cast, passed_pair):
    hangzhou, ningbo = passed_pair
    client.force_login(cast.officer)
    url = reverse("samr-notice-publish-round", args=[hangzhou.evaluation_round_id])
    page = client.get(url).content.decode()
    assert "杭州市" in page and "宁波市" in page
    today = timezone.localdate()
    days = lambda n: (today + datetime.timedelta(days=n)).isoformat()  # noqa: E731
    assert f"{days(0)} 至 {days(14)}" in page  # 15 days from today, both ends included (办法 第十五条)
    assert f"{days(8)} 至 {days(22)}" in client.get(url, {"first_day": days(8)}).content.decode()

    refused = client.post(url, {"cases": [hangzhou.pk], "text": "", "first_day": days(3)})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "请填写公示内容（将向社会公布）。" in body and f'value="{days(3)}"' in body
    assert not NoticeList.objects.exists()
    late = client.post(url, {"cases": [hangzhou.pk], "text": "名单", "first_day": days(-1)})
    assert late.status_code == 400 and "公示开始日不能早于今天。" in late.content.decode()
    assert "名单</textarea>" in late.content.decode()  # what was typed is kept

    response = client.post(url, {"cases": [hangzhou.pk, ningbo.pk], "text": "建议名单公示（测试）",
                                 "first_day": days(0)})
    listing = NoticeList.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("samr-notice", args=[listing.pk])
    assert (listing.text, listing.first_day, listing.last_day) == ("建议名单公示（测试）", today,
                                                                   today + datetime.timedelta(days=14))
    assert {c.state for c in Case.objects.filter(pk__in=[hangzhou.pk, ningbo.pk])} == {State.IN_PUBLICITY}
    page = client.get(response["Location"]).content.decode()
    assert "建议名单公示（测试）" in page and "未收到异议。" in page


def test_a_case_without_a_round_is_published_on_its_own(client, cast, call, clock):
    """试行办法 第十三条: the 2022 trial measures have no rounds; SAMR publishes the city's notice by itself."""
    case = drive(new_case(cast, call), State.EVALUATION_PASSED, cast, clock)
    Case.objects.filter(pk=case.pk).update(evaluation_round=None)
    client.force_login(cast.officer)
    hub = client.get(reverse("samr-publicity")).content.decode()
    url = reverse("samr-notice-publish-case", args=[case.pk])
    assert url in hub
    response = client.post(url, {"cases": [case.pk], "text": "杭州市公示（测试）", "first_day": timezone.localdate().isoformat(),
                                 "version": Case.objects.get(pk=case.pk).version})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Case.objects.get(pk=case.pk).state == State.IN_PUBLICITY
    assert NoticeList.objects.get().text == "杭州市公示（测试）"


def test_the_public_reads_a_running_notice_and_objects_with_a_receipt(client, passed_pair, listing,
                                                                      captcha_test_mode):
    hangzhou, ningbo = passed_pair
    page = client.get(reverse("public-notices")).content.decode()
    assert f"{listing.first_day} 至 {listing.last_day}" in page and "杭州市、宁波市" in page
    url = reverse("public-notice", args=[listing.pk])
    page = client.get(url).content.decode()
    assert "现将2026年度示范区建议名单予以公示（测试）" in page and "评估总分" in page

    refused = client.post(url, {"case": ningbo.pk, "name": "王某", "contact": "138", "content": "", **CAPTCHA_PASSES})
    assert refused.status_code == 400 and 'value="王某"' in refused.content.decode()
    assert not Objection.objects.exists()
    filed = client.post(url, {"case": ningbo.pk, "name": "王某", "contact": "13800000000", "content": "数据存疑",
                              **CAPTCHA_PASSES})
    assert filed.status_code == 200
    objection = Objection.objects.get()
    assert objection.case_id == ningbo.pk and objection.receipt in filed.content.decode()
    assert "宁波市" in filed.content.decode()
    # Nothing about who objected is public.
    for public in (url, reverse("public-notices"), reverse("public-zones"), reverse("public-announcements")):
        body = client.get(public).content.decode()
        assert "王某" not in body and "13800000000" not in body and objection.receipt not in body


def test_objections_from_one_address_are_limited_like_the_api(client, passed_pair, listing, monkeypatch,
                                                              captcha_test_mode):
    from publicity.throttle import ObjectionThrottle

    monkeypatch.setattr(ObjectionThrottle, "rate", "2/hour")
    hangzhou, _ningbo = passed_pair
    url = reverse("public-notice", args=[listing.pk])
    data = {"case": hangzhou.pk, "name": "公众", "contact": "138", "content": "异议"}
    assert client.post(url, {**data, **CAPTCHA_PASSES}).status_code == 200
    api = client.post(f"/api/public/notices/{listing.pk}/objections/", data, content_type="application/json")
    assert api.status_code == 201  # one counter for the page and the API
    limited = client.post(url, {**data, "content": "第三件异议", **CAPTCHA_PASSES})
    assert limited.status_code == 429
    assert "秒后再试" in limited.content.decode() and "第三件异议" in limited.content.decode()
    assert Objection.objects.count() == 2


def test_a_notice_dated_ahead_is_not_public_before_its_first_day(client, cast, passed_pair):
    hangzhou, ningbo = passed_pair
    ahead = publish_notice_list(round_id=hangzhou.evaluation_round_id, actor=cast.officer, cases=[hangzhou.pk],
                                text="下周开始的公示", first_day=timezone.localdate() + datetime.timedelta(days=7))
    assert client.get(reverse("public-notice", args=[ahead.pk])).status_code == 404
    assert "下周开始的公示" not in client.get(reverse("public-notices")).content.decode()


def test_after_the_period_the_notice_is_archived_and_takes_no_objection(client, clock, passed_pair, listing):
    hangzhou, _ningbo = passed_pair
    after(clock, listing.last_day)
    assert "目前没有正在公示的名单。" in client.get(reverse("public-notices")).content.decode()
    assert "现将2026年度" in client.get(reverse("public-notices"), {"archive": "1"}).content.decode()
    url = reverse("public-notice", args=[listing.pk])
    assert "现不在受理期内" in client.get(url).content.decode()
    response = client.post(url, {"case": hangzhou.pk, "name": "公众", "contact": "138", "content": "迟到"})
    assert response.status_code == 400 and str(listing.last_day) in response.content.decode()
    assert not Objection.objects.exists()


def test_officer_verifies_an_objection_and_closes_the_notice_only_when_allowed(client, cast, clock, passed_pair,
                                                                                listing):
    hangzhou, ningbo = passed_pair
    objection = file_objection_on_list(listing_id=listing.pk, case_id=ningbo.pk, name="公众", contact="138",
                                       content="宁波市数据存疑")
    client.force_login(cast.officer)
    page_url = reverse("samr-notice", args=[listing.pk])
    page = client.get(page_url).content.decode()
    assert "宁波市数据存疑" in page and objection.receipt in page
    assert f"公示期至 {listing.last_day} 止，期满后方可处理。" in page

    after(clock, listing.last_day)
    client.force_login(cast.officer)  # a fortnight later: a fresh session
    page = client.get(page_url).content.decode()
    assert "尚有异议未核实，请先处理异议。" in page  # 宁波市 cannot close yet
    blocked = client.post(reverse("samr-notice-close", args=[listing.pk, ningbo.pk]))
    assert blocked.status_code == 409 and "尚有异议未核实" in blocked.content.decode()
    assert Case.objects.get(pk=ningbo.pk).state == State.IN_PUBLICITY

    decide = reverse("samr-objection-decide", args=[objection.pk])
    prefix = f"o{objection.pk}-"
    refused = client.post(decide, {prefix + "outcome": "dismissed", prefix + "decision": ""})
    assert refused.status_code == 400 and "请填写核实意见。" in refused.content.decode()
    done = client.post(decide, {prefix + "outcome": "dismissed", prefix + "decision": "经核实，数据来源可靠，异议不成立。"})
    assert done.status_code == 302
    objection.refresh_from_db()
    assert objection.status == Objection.Status.DISMISSED and objection.decided_by == cast.officer
    page = client.get(page_url).content.decode()
    assert "核实记录" in page and "经核实，数据来源可靠，异议不成立。" in page

    for case in (hangzhou, ningbo):
        response = client.post(reverse("samr-notice-close", args=[listing.pk, case.pk]))
        assert response.status_code == 302
    assert {c.state for c in Case.objects.filter(pk__in=[hangzhou.pk, ningbo.pk])} == {State.AWAITING_DESIGNATION}


def test_a_city_not_on_the_list_cannot_be_closed_through_it(client, cast, call, clock):
    hangzhou, ningbo = side_by_side(cast, call, clock, ["330100", "330200"], State.EVALUATION_PASSED)
    listing = publish_notice_list(round_id=hangzhou.evaluation_round_id, actor=cast.officer, cases=[hangzhou.pk],
                                  text="名单")
    publish_notice_list(round_id=hangzhou.evaluation_round_id, actor=cast.officer, cases=[ningbo.pk], text="名单")
    after(clock, listing.last_day)
    client.force_login(cast.officer)
    assert client.post(reverse("samr-notice-close", args=[listing.pk, ningbo.pk])).status_code == 404
    assert Case.objects.get(pk=ningbo.pk).state == State.IN_PUBLICITY


def test_the_hub_and_the_public_lists_take_the_same_queries_for_one_city_or_many(
        client, cast, call, clock, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url, user=None):
        if user is not None:
            client.force_login(user)
        else:
            client.logout()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    first, *others = side_by_side(cast, call, clock, ["330100", "330200", "330300"], State.EVALUATION_PASSED)
    listing_id = publish_notice_list(round_id=first.evaluation_round_id, actor=cast.officer, cases=[first.pk],
                                     text="名单").pk
    # One city with one objection, then three cities with four (a prefetch of nothing is no query).
    file_objection_on_list(listing_id=listing_id, case_id=first.pk, name="公众", contact="1", content="异议")
    urls = [(reverse("samr-publicity"), cast.officer), (reverse("samr-notice", args=[listing_id]), cast.officer),
            (reverse("public-notices"), None), (reverse("public-notice", args=[listing_id]), None),
            ("/", None), ("/api/public/notices/", None), (f"/api/public/notices/{listing_id}/", None)]
    one = [count(url, user) for url, user in urls]
    # Two more cities on the list, and three objections.
    for case in others:
        perform_transition(case_id=case.pk, name="publish_notice", actor=cast.officer, payload={"text": "名单"},
                           listed_in={"listing": NoticeList.objects.get(pk=listing_id)})
    for i in range(3):
        file_objection_on_list(listing_id=listing_id, case_id=first.pk, name="公众", contact="1", content=f"异议{i}")
    many = [count(url, user) for url, user in urls]
    assert many == one


def test_officer_page_in_english(client, cast, passed_pair, listing):
    client.force_login(cast.officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("samr-notice", args=[listing.pk])).content.decode()
    assert "No objections received." in page and "both days included" in page
    page = client.get(reverse("public-notice", args=[listing.pk])).content.decode()
    assert "File an objection" in page


def test_the_issued_notice_is_offered_where_samr_works_on_it_and_to_the_public(client, cast, listing):
    """The 公示 the publishing act issued (official/) — its 文号 and a download — on the officer's notice page and on
    the public notice page (#11)."""
    from official.models import OfficialDocument

    document = OfficialDocument.objects.get(listing=listing)
    public = client.get(reverse("public-notice", args=[listing.pk])).content.decode()
    assert document.number in public and reverse("api-official-document-file", args=[document.pk]) in public
    client.force_login(cast.officer)
    page = client.get(reverse("samr-notice", args=[listing.pk])).content.decode()
    assert document.number in page and f"{document.pk}/file/?download=1" in page
