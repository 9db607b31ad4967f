"""办法 第十五条 / 试行办法 第十三条: SAMR publishes one notice per round naming every city that passed, with each
one's evaluation summary; an objection names the city it concerns, and each city's case still moves on its own —
an objection upheld against one city does not hold the others (办法 第十六条)."""
import dataclasses
import datetime

import pytest
from rest_framework.test import APIClient

from cases.journeys import PATHS, act, drive
from cases.models import Case
from cases.services import perform_transition
from cases.workflow import State
from publicity.models import NoticeList, Objection
from publicity.services import decide_objection
from tests.conftest import SHANGHAI
from tests.factories import applicant_for, new_case


def client(user=None):
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


@pytest.fixture
def passed_pair(cast, call, clock):
    """杭州市 and 宁波市, both passed in the same evaluation round."""
    ningbo_cast = dataclasses.replace(cast, applicant=applicant_for("330200"))
    pair = [(new_case(cast, call), cast), (new_case(ningbo_cast, call), ningbo_cast)]
    for move in PATHS[State.EVALUATION_PASSED]:  # side by side, as two cities of one call and one round
        for case, who in pair:
            act(Case.objects.get(pk=case.pk), move, who, clock)
    hangzhou, ningbo = (Case.objects.get(pk=case.pk) for case, _who in pair)
    assert hangzhou.evaluation_round_id == ningbo.evaluation_round_id is not None
    return hangzhou, ningbo


@pytest.mark.django_db
def test_samr_publishes_one_list_per_round_and_the_public_reads_it(cast, passed_pair, clock):
    hangzhou, ningbo = passed_pair
    round_id = hangzhou.evaluation_round_id
    refused = client(cast.officer).post(f"/api/rounds/{round_id}/notices/", {"cases": [hangzhou.pk, ningbo.pk]},
                                        format="json")
    assert refused.status_code == 400 and "text" in refused.json()["errors"]  # the text is shown to the public
    response = client(cast.officer).post(f"/api/rounds/{round_id}/notices/", {
        "cases": [hangzhou.pk, ningbo.pk], "text": "现将2026年度示范区建议名单予以公示（演示）"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [c["creation_object"] for c in body["cities"]] == ["杭州市", "宁波市"]
    assert all("评估总分" in c["summary"] for c in body["cities"])
    assert (body["first_day"], body["last_day"]) == ("2026-03-02", "2026-03-16") or body["days_left"] >= 14
    for case in (hangzhou, ningbo):
        case.refresh_from_db()
        assert case.state == State.IN_PUBLICITY
        assert case.audit_entries.get(name="publish_notice").data["listing"] == body["id"]
    public = client().get(f"/api/public/notices/{body['id']}/").json()
    assert public["text"].startswith("现将") and {c["case"] for c in public["cities"]} == {hangzhou.pk, ningbo.pk}
    running = client().get("/api/public/notices/").json()["results"]
    assert [n["id"] for n in running] == [body["id"]]


@pytest.mark.django_db
def test_an_objection_names_its_city_and_an_upheld_one_holds_only_that_city(cast, passed_pair, clock):
    hangzhou, ningbo = passed_pair
    from publicity.services import publish_notice_list

    listing = publish_notice_list(round_id=hangzhou.evaluation_round_id, actor=cast.officer,
                                  cases=[hangzhou.pk, ningbo.pk], text="建议名单（演示）")
    url = f"/api/public/notices/{listing.pk}/objections/"
    objection = {"name": "公众", "contact": "138", "content": "宁波市数据存疑"}
    unnamed = client().post(url, objection, format="json")
    assert unnamed.status_code == 400 and "case" in unnamed.json()["errors"]  # two cities: name one
    filed = client().post(url, {**objection, "case": ningbo.pk}, format="json")
    assert filed.status_code == 201
    assert Objection.objects.get().case == ningbo
    decide_objection(objection_id=Objection.objects.get().pk, actor=cast.officer, upheld=True, decision="经核实属实")
    clock.move_to(datetime.datetime.combine(listing.last_day + datetime.timedelta(days=1), datetime.time(9),
                                            tzinfo=SHANGHAI))
    for case in (hangzhou, ningbo):
        perform_transition(case_id=case.pk, name="close_notice", actor=cast.officer)
    assert perform_transition(case_id=hangzhou.pk, name="designate", actor=cast.officer).state == State.DESIGNATED
    from cases.errors import GuardFailed

    with pytest.raises(GuardFailed):
        perform_transition(case_id=ningbo.pk, name="designate", actor=cast.officer)
    assert NoticeList.objects.count() == 1


@pytest.mark.django_db
def test_a_city_outside_the_round_cannot_be_listed(cast, passed_pair, clock):
    hangzhou, ningbo = passed_pair
    Case.objects.filter(pk=ningbo.pk).update(evaluation_round=None)  # as if evaluated in another round
    response = client(cast.officer).post(f"/api/rounds/{hangzhou.evaluation_round_id}/notices/", {
        "cases": [hangzhou.pk, ningbo.pk], "text": "名单"}, format="json")
    assert response.status_code == 400 and "宁波市" in str(response.json()["errors"]["cases"])
    assert Case.objects.get(pk=hangzhou.pk).state == State.EVALUATION_PASSED  # all or nothing
    assert not NoticeList.objects.exists()


@pytest.mark.django_db
def test_the_cities_are_designated_together_in_one_numbered_announcement(cast, passed_pair, clock):
    """办法 第十六条 认定 … 向社会公布: the announcement is a list too, numbered per year."""
    from publicity.services import publish_notice_list

    hangzhou, ningbo = passed_pair
    listing = publish_notice_list(round_id=hangzhou.evaluation_round_id, actor=cast.officer,
                                  cases=[hangzhou.pk, ningbo.pk], text="建议名单（演示）")
    clock.move_to(datetime.datetime.combine(listing.last_day + datetime.timedelta(days=1), datetime.time(9),
                                            tzinfo=SHANGHAI))
    for case in (hangzhou, ningbo):
        perform_transition(case_id=case.pk, name="close_notice", actor=cast.officer)
    url = f"/api/rounds/{hangzhou.evaluation_round_id}/announcements/"
    assert client(cast.reviewer).post(url, {"cases": [hangzhou.pk], "text": "公告"}, format="json").status_code == 403
    response = client(cast.officer).post(url, {"cases": [hangzhou.pk, ningbo.pk],
                                               "text": "认定杭州市、宁波市为网络市场监管与服务示范区（演示）"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    year = listing.last_day.year
    assert body["number"] == f"{year}年第1号" and len(body["cities"]) == 2
    assert {Case.objects.get(pk=c.pk).state for c in (hangzhou, ningbo)} == {State.DESIGNATED}
    public = client().get("/api/public/announcements/").json()["results"]
    assert [a["number"] for a in public] == [f"{year}年第1号"]
    assert {c["creation_object"] for c in public[0]["cities"]} == {"杭州市", "宁波市"}


@pytest.mark.django_db
def test_a_client_cannot_slip_a_city_into_a_list_published_for_others(cast, passed_pair, clock):
    """办法 第十五条: a list is what SAMR published in one act for its round. The case's own publish move takes no
    list from the client: it makes a one-city list of its own."""
    from publicity.services import publish_notice_list

    hangzhou, ningbo = passed_pair
    listing = publish_notice_list(round_id=hangzhou.evaluation_round_id, actor=cast.officer, cases=[hangzhou.pk],
                                  text="建议名单（演示）")
    response = client(cast.officer).post(f"/api/cases/{ningbo.pk}/transitions/publish_notice/",
                                         {"listing": listing.pk, "text": "宁波市公示（演示）"}, format="json")
    assert response.status_code == 200, response.json()
    assert [e.case_id for e in NoticeList.objects.get(pk=listing.pk).entries.all()] == [hangzhou.pk]
    own = ningbo.notices.get().listing
    assert own.pk != listing.pk and [e.case_id for e in own.entries.all()] == [ningbo.pk]


@pytest.mark.django_db
def test_an_announcement_names_only_cities_of_its_round(cast, passed_pair, clock):
    """办法 第十六条: the announcement of a round publishes that round's cities; a city of another round is a 400
    and nobody is designated (one act)."""
    from evaluation.models import Round
    from evaluation.services import open_round
    from publicity.services import publish_notice_list

    hangzhou, ningbo = passed_pair
    listing = publish_notice_list(round_id=hangzhou.evaluation_round_id, actor=cast.officer,
                                  cases=[hangzhou.pk, ningbo.pk], text="建议名单（演示）")
    clock.move_to(datetime.datetime.combine(listing.last_day + datetime.timedelta(days=1), datetime.time(9),
                                            tzinfo=SHANGHAI))
    for case in (hangzhou, ningbo):
        perform_transition(case_id=case.pk, name="close_notice", actor=cast.officer)
    today = listing.last_day + datetime.timedelta(days=1)
    other = open_round(actor=cast.officer, title="另一批次（演示）", opens_on=today, closes_on=today,
                       indicator_system=Round.objects.get(pk=hangzhou.evaluation_round_id).indicator_system)
    response = client(cast.officer).post(f"/api/rounds/{other.pk}/announcements/",
                                         {"cases": [hangzhou.pk], "text": "公告（演示）"}, format="json")
    assert response.status_code == 400 and "杭州市" in str(response.json()["errors"]["cases"])
    assert Case.objects.get(pk=hangzhou.pk).state == State.AWAITING_DESIGNATION


@pytest.mark.django_db
def test_the_case_page_names_the_round_the_list_and_the_announcement(cast, passed_pair, clock):
    """The case is one city of lists (办法 第十五条、第十六条): its page says which round, which notice list (how many
    cities) and which numbered announcement — in Chinese, and in English for a reader who chose it."""
    from django.test import Client
    from django.urls import reverse

    from designation.services import publish_announcement
    from publicity.services import publish_notice_list

    hangzhou, ningbo = passed_pair
    listing = publish_notice_list(round_id=hangzhou.evaluation_round_id, actor=cast.officer,
                                  cases=[hangzhou.pk, ningbo.pk], text="建议名单（演示）")
    clock.move_to(datetime.datetime.combine(listing.last_day + datetime.timedelta(days=1), datetime.time(9),
                                            tzinfo=SHANGHAI))
    for case in (hangzhou, ningbo):
        perform_transition(case_id=case.pk, name="close_notice", actor=cast.officer)
    announcement = publish_announcement(round_id=hangzhou.evaluation_round_id, actor=cast.officer,
                                        cases=[hangzhou.pk, ningbo.pk], text="认定公告（演示）")
    browser = Client()
    browser.force_login(cast.applicant)
    page = browser.get(reverse("case-detail", args=[hangzhou.pk])).content.decode()
    assert Case.objects.get(pk=hangzhou.pk).evaluation_round.title in page
    assert f"{listing.first_day:%Y-%m-%d} – {listing.last_day:%Y-%m-%d}（共 2 个城市）" in page
    assert f"{announcement.year}年第{announcement.sequence}号" in page
    browser.post(reverse("set_language"), {"language": "en", "next": reverse("case-list")})
    page = browser.get(reverse("case-detail", args=[hangzhou.pk])).content.decode()
    assert "Notice list" in page and "(2 cities in all)" in page
    assert f"{announcement.year} No. {announcement.sequence}" in page
