"""The public portal (issue #8; 办法 第十五条、第十六条、第二十二条): the front page for a visitor, the objection form with
its captcha, the receipt shown and e-mailed, attachments checked by their bytes, the refusal outside the notice's
dates (page and API), the zones designated and revoked with a zone's public history, nothing about objectors on
any public page, and fixed query counts on the public lists."""
import dataclasses
import datetime
import io
import zipfile

import pytest
from captcha.models import CaptchaStore
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cases.journeys import PATHS, act, drive
from cases.models import Case
from cases.workflow import State
from publicity.models import Objection, ObjectionAttachment
from publicity.services import decide_objection
from tests.conftest import CAPTCHA_PASSES, SHANGHAI
from tests.factories import CallFactory, applicant_for, new_case

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def running(cast, call, clock):
    case = drive(new_case(cast, call), State.IN_PUBLICITY, cast, clock)
    return case, case.notices.get().listing


def objection_data(case, **extra):
    return {"case": case.pk, "name": "王某", "contact": "13800000000", "content": "申报数据与统计公报不一致。", **extra}


def after(clock, day):
    clock.move_to(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(9), tzinfo=SHANGHAI))


# ── the front page ─────────────────────────────────────────────────────────────────────────────────────────────
def test_the_visitors_front_page_is_the_portal_and_signed_in_users_keep_their_work(client, cast, call, clock):
    case, listing = running(cast, call, clock)
    page = client.get("/").content.decode()
    assert reverse("public-notice", args=[listing.pk]) in page and "杭州市" in page
    assert f"{listing.first_day:%Y-%m-%d} 至 {listing.last_day:%Y-%m-%d}" in page and "还有 14 天" in page
    assert client.get(reverse("public-portal")).status_code == 200
    client.force_login(cast.officer)
    assert 'data-testid="public-notice"' not in client.get("/").content.decode()
    assert 'data-testid="public-notice"' in client.get(reverse("public-portal")).content.decode()


# ── the captcha ────────────────────────────────────────────────────────────────────────────────────────────────
def test_the_captcha_is_served_by_the_app_and_a_wrong_answer_keeps_what_was_typed(client, cast, call, clock):
    case, listing = running(cast, call, clock)
    url = reverse("public-notice", args=[listing.pk])
    page = client.get(url).content.decode()
    store = CaptchaStore.objects.get()
    assert f"/captcha/image/{store.hashkey}/" in page and 'id="id_captcha_1"' in page
    image = client.get(f"/captcha/image/{store.hashkey}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"

    wrong = client.post(url, objection_data(case, captcha_0=store.hashkey, captcha_1="WRONG"))
    assert wrong.status_code == 400
    body = wrong.content.decode()
    assert "验证码不正确" in body and 'value="王某"' in body and "申报数据与统计公报不一致。" in body
    assert not Objection.objects.exists()
    # Each image is good for one try: the failed post drew a new one, whose answer passes.
    fresh = CaptchaStore.objects.get()
    assert fresh.hashkey != store.hashkey and fresh.hashkey in body
    filed = client.post(url, objection_data(case, captcha_0=fresh.hashkey, captcha_1=fresh.response.upper()))
    assert filed.status_code == 200 and Objection.objects.get().receipt in filed.content.decode()


def test_without_the_captcha_the_page_takes_no_objection(client, cast, call, clock):
    case, listing = running(cast, call, clock)
    response = client.post(reverse("public-notice", args=[listing.pk]), objection_data(case))
    assert response.status_code == 400 and "请输入图片中的验证码" in response.content.decode()
    assert not Objection.objects.exists()


# ── the receipt, e-mailed ──────────────────────────────────────────────────────────────────────────────────────
def test_the_receipt_is_shown_and_emailed_once_the_objection_is_stored(client, cast, call, clock, captcha_test_mode,
                                                                        django_capture_on_commit_callbacks):
    case, listing = running(cast, call, clock)
    url = reverse("public-notice", args=[listing.pk])
    with django_capture_on_commit_callbacks(execute=True):
        filed = client.post(url, objection_data(case, email="wang@example.cn", **CAPTCHA_PASSES))
    objection = Objection.objects.get()
    assert filed.status_code == 200 and objection.receipt in filed.content.decode()
    assert 'data-testid="receipt-emailed"' in filed.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["wang@example.cn"]
    assert objection.receipt in mail.outbox[0].subject and objection.receipt in mail.outbox[0].body
    assert "杭州市" in mail.outbox[0].body

    # No address, no e-mail; a bad address is refused with what was typed kept.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, objection_data(case, **CAPTCHA_PASSES))
    assert len(mail.outbox) == 1
    bad = client.post(url, objection_data(case, email="not-an-address", **CAPTCHA_PASSES))
    assert bad.status_code == 400 and "请填写有效的电子邮箱地址" in bad.content.decode()
    assert Objection.objects.count() == 2


def test_the_api_returns_the_receipt_and_emails_it(cast, call, clock, django_capture_on_commit_callbacks):
    case, listing = running(cast, call, clock)
    with django_capture_on_commit_callbacks(execute=True):
        response = APIClient().post(f"/api/public/notices/{listing.pk}/objections/",
                                    {"name": "公众", "contact": "138", "content": "异议", "email": "a@example.cn"},
                                    format="json")
    assert response.status_code == 201
    assert mail.outbox[0].to == ["a@example.cn"] and response.json()["receipt"] in mail.outbox[0].body


def test_a_mail_server_that_refuses_loses_no_objection(client, cast, call, clock, captcha_test_mode, monkeypatch,
                                                       caplog, django_capture_on_commit_callbacks):
    from publicity import services

    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(services, "send_mail", refuse)
    case, listing = running(cast, call, clock)
    with django_capture_on_commit_callbacks(execute=True):
        filed = client.post(reverse("public-notice", args=[listing.pk]),
                            objection_data(case, email="wang@example.cn", **CAPTCHA_PASSES))
    assert filed.status_code == 200 and Objection.objects.count() == 1
    assert "could not be e-mailed" in caplog.text


# ── attachments ────────────────────────────────────────────────────────────────────────────────────────────────
def test_attachments_are_checked_by_their_bytes_and_only_samr_opens_them(client, cast, call, clock,
                                                                         captcha_test_mode):
    case, listing = running(cast, call, clock)
    url = reverse("public-notice", args=[listing.pk])
    fake = SimpleUploadedFile("证据.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    refused = client.post(url, {**objection_data(case, **CAPTCHA_PASSES), "attachments": [fake]})
    body = refused.content.decode()
    assert refused.status_code == 400 and "“证据.pdf”的内容不是可接受的格式" in body and 'value="王某"' in body
    assert not Objection.objects.exists() and not ObjectionAttachment.objects.exists()

    files = [SimpleUploadedFile("截图.png", PNG, content_type="image/png"),
             SimpleUploadedFile("statement.bin", PDF, content_type="application/octet-stream")]
    filed = client.post(url, {**objection_data(case, **CAPTCHA_PASSES), "attachments": files})
    assert filed.status_code == 200, filed.content.decode()[:3000]
    stored = list(ObjectionAttachment.objects.order_by("pk"))
    assert [(a.name, a.content_format) for a in stored] == [("截图.png", "png"), ("statement.bin", "pdf")]
    assert case.audit_entries.get(name="objection_filed").data["attachments"] == [a.sha256 for a in stored]

    too_many = [SimpleUploadedFile(f"{i}.png", PNG, content_type="image/png") for i in range(4)]
    refused = client.post(url, {**objection_data(case, **CAPTCHA_PASSES), "attachments": too_many})
    assert refused.status_code == 400 and "附件最多 3 个" in refused.content.decode()

    # The public never reaches them; SAMR downloads them from the notice page.
    download = reverse("samr-objection-attachment", args=[stored[0].pk])
    assert client.get(download).status_code == 302  # to the login page
    client.force_login(cast.applicant)
    assert client.get(download).status_code == 403
    client.force_login(cast.officer)
    assert download in client.get(reverse("samr-notice", args=[listing.pk])).content.decode()
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert "attachment" in response["Content-Disposition"]


def test_the_api_takes_attachments_in_a_multipart_post_with_the_same_checks(cast, call, clock):
    case, listing = running(cast, call, clock)
    url = f"/api/public/notices/{listing.pk}/objections/"
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    good = APIClient().post(url, {"name": "公众", "contact": "138", "content": "异议",
                                  "attachments": [SimpleUploadedFile("说明.docx", docx.getvalue())]}, format="multipart")
    assert good.status_code == 201 and ObjectionAttachment.objects.get().content_format == "docx"
    bad = APIClient().post(url, {"name": "公众", "contact": "138", "content": "异议",
                                 "attachments": [SimpleUploadedFile("a.png", b"<svg onload=alert(1)>")]},
                           format="multipart")
    assert bad.status_code == 400 and "attachments" in bad.json()["errors"]
    assert Objection.objects.count() == 1


# ── refused outside the notice's dates ─────────────────────────────────────────────────────────────────────────
def test_outside_the_notice_the_page_and_the_api_refuse_naming_both_days(client, cast, call, clock, captcha_test_mode):
    case, listing = running(cast, call, clock)
    days = f"{listing.first_day} 至 {listing.last_day}"
    after(clock, listing.last_day)
    page = client.post(reverse("public-notice", args=[listing.pk]), objection_data(case, **CAPTCHA_PASSES))
    assert page.status_code == 400 and days in page.content.decode()
    api = APIClient().post(f"/api/public/notices/{listing.pk}/objections/", objection_data(case), format="json")
    assert api.status_code == 400 and days in api.json()["detail"]
    # Still so once SAMR has closed the city's notice (the case has moved on).
    act(case, "close_notice", cast, clock)
    api = APIClient().post(f"/api/public/notices/{listing.pk}/objections/", objection_data(case), format="json")
    assert api.status_code == 400 and days in api.json()["detail"]
    assert not Objection.objects.exists()


# ── the zones ──────────────────────────────────────────────────────────────────────────────────────────────────
def designated_together(cast, call, clock, codes, revoke=()):
    """Cities of one call designated together, move by move; those in ``revoke`` then revoked."""
    casts = [dataclasses.replace(cast, applicant=applicant_for(code)) for code in codes]
    cases = [new_case(who, call) for who in casts]
    for move in PATHS[State.DESIGNATED]:
        for case, who in zip(cases, casts):
            act(Case.objects.get(pk=case.pk), move, who, clock)
    for case, who, code in zip(cases, casts, codes):
        if code in revoke:
            act(Case.objects.get(pk=case.pk), "revoke", who, clock)
    return [Case.objects.get(pk=case.pk) for case in cases]


@pytest.fixture
def zones(cast, call, clock):
    return designated_together(cast, call, clock, ["330100", "330200"], revoke=["330200"])


def test_the_zones_list_keeps_a_revoked_zone_marked_with_day_and_ground(client, zones):
    designated, revoked = zones
    sanction = revoked.sanctions.get(kind="revoke")
    page = client.get(reverse("public-zones")).content.decode()
    assert "杭州市" in page and "宁波市" in page and "已取消示范区资格" in page
    assert sanction.ground_text in page and reverse("public-zone", args=[revoked.pk]) in page
    api = {z["creation_object"]: z for z in APIClient().get("/api/public/zones/").json()["results"]}
    assert api["杭州市"]["status"] == "designated" and api["杭州市"]["revoked_on"] is None
    assert api["杭州市"]["designated_on"] == designated.designated_on.isoformat()
    assert api["宁波市"]["status"] == "revoked" and api["宁波市"]["revoked_on"]
    assert api["宁波市"]["revocation_ground"] == sanction.ground_text and api["宁波市"]["id"] == revoked.pk


def test_a_zones_page_shows_its_public_acts_and_nothing_else(client, zones, cast):
    designated, revoked = zones
    page = client.get(reverse("public-zone", args=[revoked.pk])).content.decode()
    acts = [chunk.split('"')[0] for chunk in page.split('data-act="')[1:]]
    assert acts == ["notice", "designation", "revocation"]
    assert revoked.sanctions.get(kind="revoke").ground_text in page and "办法 第二十二条" in page
    # The facts behind the decision and the officer's name are not published.
    assert "演示：检查指导中发现工作明显下滑" not in page and cast.officer.username not in page
    page = client.get(reverse("public-zone", args=[designated.pk])).content.decode()
    assert 'data-act="revocation"' not in page and 'data-status="designated"' in page


def test_a_city_that_is_not_a_zone_has_no_zone_page(client, cast, call, clock):
    case, _listing = running(cast, call, clock)
    assert client.get(reverse("public-zone", args=[case.pk])).status_code == 404
    assert client.get(reverse("public-zone", args=[999999])).status_code == 404


# ── nothing about objectors, nothing not published ─────────────────────────────────────────────────────────────
def test_no_public_page_or_endpoint_shows_who_objected(client, cast, call, clock, captcha_test_mode):
    case, listing = running(cast, call, clock)
    client.post(reverse("public-notice", args=[listing.pk]),
                {**objection_data(case, name="异议人甲", contact="13912345678", email="jia@example.cn",
                                  content="秘密的异议事实", **CAPTCHA_PASSES),
                 "attachments": [SimpleUploadedFile("甲的证据.png", PNG)]})
    objection = Objection.objects.get()
    secrets_ = ["异议人甲", "13912345678", "jia@example.cn", "秘密的异议事实", "甲的证据", objection.receipt]
    decide_objection(objection_id=objection.pk, actor=cast.officer, upheld=False, decision="经核实不成立。")
    after(clock, listing.last_day)
    act(Case.objects.get(pk=case.pk), "close_notice", cast, clock)
    for path in ["/", reverse("public-portal"), reverse("public-notices"), reverse("public-notices") + "?archive=1",
                 reverse("public-notice", args=[listing.pk]), reverse("public-zones"), reverse("public-announcements"),
                 "/api/public/notices/", "/api/public/notices/?archive=1", f"/api/public/notices/{listing.pk}/",
                 "/api/public/zones/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert not [s for s in secrets_ if s in body], path


# ── query counts ───────────────────────────────────────────────────────────────────────────────────────────────
def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200, path
    return len(captured)


def test_the_public_lists_take_the_same_queries_for_one_zone_or_four(client, cast, call, clock):
    """One round with one city, then a second round with three more (two revoked): the same queries for the
    portal, the archive, the zones, the announcements and their API lists."""
    paths = ["/", reverse("public-notices") + "?archive=1", reverse("public-zones"), reverse("public-announcements"),
             "/api/public/notices/?archive=1", "/api/public/zones/"]
    first, = designated_together(cast, call, clock, ["330100"], revoke=["330100"])
    one = [_queries(client, path) for path in paths] + [_queries(client, reverse("public-zone", args=[first.pk]))]
    today = timezone.localdate()
    later = CallFactory(year=today.year, opens_on=today, submission_deadline=today + datetime.timedelta(days=60),
                        recommendation_deadline=today + datetime.timedelta(days=90))
    designated_together(cast, later, clock, ["330200", "330300", "330400"], revoke=["330200", "330400"])
    four = [_queries(client, path) for path in paths] + [_queries(client, reverse("public-zone", args=[first.pk]))]
    assert Case.objects.filter(state__in=[State.DESIGNATED, State.REVOKED]).count() == 4
    assert four == one
