"""Issue #12: every bad request is a 4xx with {code, detail}, never a 500, and leaves nothing behind."""
import datetime
import json
import threading

import pytest
from django.db import connections
from rest_framework.test import APIClient

from cases.journeys import drive
from cases.models import Case
from cases.workflow import State
from indicators.services import load_seed_systems
from tests.factories import new_case


def client(user=None):
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


def assert_error(response, status, code=None):
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) >= {"code", "detail"} and body["detail"], body
    if code:
        assert body["code"] == code
    return body


@pytest.mark.django_db
def test_an_extension_far_in_the_future_is_refused_naming_the_window(cast, call, clock):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    response = client(cast.officer).post(f"/api/cases/{case.pk}/creation-extensions/",
                                         {"new_end": "9999-12-31", "reason": "延期"}, format="json")
    body = assert_error(response, 400, "invalid")
    assert "new_end" in body["errors"] and "2046" in json.dumps(body["errors"], ensure_ascii=False)
    assert Case.objects.get(pk=case.pk).creation_end == case.creation_end


@pytest.mark.django_db
def test_a_stored_extreme_date_never_breaks_the_case_pages(cast, call, clock):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    Case.objects.filter(pk=case.pk).update(creation_end=datetime.date(9999, 12, 31))
    for user in (cast.officer, cast.applicant):
        api = client(user)
        for path in ("", "deadlines/", "transitions/", "history/"):
            assert api.get(f"/api/cases/{case.pk}/{path}").status_code == 200, path
    browser = APIClient()
    browser.force_login(cast.officer)
    assert browser.get(f"/cases/{case.pk}/").status_code == 200
    assert browser.get("/cases/").status_code == 200


@pytest.mark.django_db
def test_dates_outside_the_window_are_refused_on_calls_and_moves(cast, call, clock):
    response = client(cast.officer).post("/api/calls/", {
        "title": "申报通知", "document_number": "市监网监〔2026〕1号", "year": 2026, "opens_on": "2026-03-01",
        "submission_deadline": "2026-05-31", "recommendation_deadline": "9999-06-30"}, format="json")
    assert "recommendation_deadline" in assert_error(response, 400)["errors"]
    case = drive(new_case(cast, call), State.RECOMMENDED, cast, clock)
    response = client(cast.officer).post(f"/api/cases/{case.pk}/transitions/approve_creation/",
                                         {"creation_start": "0001-01-01"}, format="json")
    assert_error(response, 400)
    assert Case.objects.get(pk=case.pk).state == State.RECOMMENDED


@pytest.mark.django_db
@pytest.mark.parametrize("value", [1e308, "1e999999", "-1e999999", "1e-999999", 10 ** 400])
def test_huge_numbers_in_a_what_if_score_are_answered_not_crashed(cast, clock, value):
    load_seed_systems()
    response = client(cast.applicant).post("/api/indicator-systems/2022/score/", {
        "inputs": {"online_retail_sales": {"2024": value, "2025": value}}, "years": [2024, 2025]}, format="json")
    assert response.status_code in (200, 400), response.content[:300]


@pytest.mark.django_db
def test_benchmarks_with_a_non_year_key_are_a_400(cast, clock):
    load_seed_systems()
    response = client(cast.applicant).post("/api/indicator-systems/2022/score/", {
        "inputs": {}, "years": [2025], "benchmarks": {"x": {"abc": 1}}}, format="json")
    assert "benchmarks" in assert_error(response, 400, "invalid")["errors"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", [1e308, "1e999999"])
def test_huge_numbers_in_a_score_sheet_are_refused_with_the_field_named(cast, call, clock, value):
    load_seed_systems()
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    api = client(cast.applicant)
    opened = api.post(f"/api/cases/{case.pk}/score-sheets/", {}, format="json")
    assert opened.status_code in (200, 201), opened.content[:300]
    sheet = opened.json()
    response = api.patch(f"/api/cases/{case.pk}/score-sheets/{sheet['id']}/",
                         {"inputs": {"online_retail_sales": {"2024": value}}}, format="json")
    assert "inputs" in assert_error(response, 400)["errors"]
    response = api.patch(f"/api/cases/{case.pk}/score-sheets/{sheet['id']}/",
                         {"inputs": {"online_retail_sales": {"²": 1}}}, format="json")
    assert_error(response, 400)


def _nested(depth):
    return "[" * depth + "]" * depth


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/auth/token/", "/api/public/notices/1/objections/"])
def test_json_nested_two_thousand_deep_is_a_400_even_anonymously(path):
    response = APIClient().post(path, data=_nested(2000), content_type="application/json")
    assert_error(response, 400, "invalid")


@pytest.mark.django_db
def test_nul_bytes_in_text_are_refused(cast, call, clock):
    case = drive(new_case(cast, call), State.UNDER_EVALUATION, cast, clock)
    api = client(cast.officer)
    assert_error(api.post(f"/api/cases/{case.pk}/experts/", {"expert": "exp\x00ert"}, format="json"), 400)
    assert_error(api.post(f"/api/cases/{case.pk}/experts/", {"expert": "exp\x00ert"}), 400)  # multipart
    assert_error(api.post(f"/api/cases/{case.pk}/experts/", {"expert": {"a": 1}}, format="json"), 400)


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["²", "9" * 5000, 0, -1, True, "1.5"])
def test_a_bad_version_token_is_a_400_and_changes_nothing(cast, call, clock, version):
    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    response = client(cast.reviewer).post(f"/api/cases/{case.pk}/transitions/recommend/",
                                          {"rank": 1, "version": version}, format="json")
    assert_error(response, 400, "invalid")
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED


@pytest.mark.django_db
def test_unknown_ids_on_api_paths_are_json_404s(cast, call, clock):
    api = client(cast.officer)
    assert_error(api.get("/api/cases/999999/objections/"), 404, "not_found")
    assert_error(api.get("/api/cases/abc/"), 404, "not_found")
    assert_error(api.get("/api/cases/1/objections/x/"), 404, "not_found")
    assert_error(api.get("/api/no-such-thing/"), 404, "not_found")


@pytest.mark.django_db
def test_framework_errors_share_the_domain_errors_shape(cast, call, clock):
    assert_error(APIClient().get("/api/cases/"), 401, "not_authenticated")
    assert_error(client(cast.applicant).post("/api/calls/", {}, format="json"), 403, "not_allowed")
    assert_error(client(cast.officer).delete("/api/cases/"), 405, "method_not_allowed")
    body = assert_error(client(cast.officer).post("/api/calls/", {"title": ""}, format="json"), 400, "invalid")
    assert "title" in body["errors"]
    bad_json = client(cast.officer).post("/api/calls/", data="{", content_type="application/json")
    assert_error(bad_json, 400, "invalid")


@pytest.mark.django_db
def test_too_many_objections_from_one_address_are_a_429_in_the_same_shape(cast, call, clock):
    case = drive(new_case(cast, call), State.IN_PUBLICITY, cast, clock)
    notice = case.notices.get()
    public = APIClient()
    for _ in range(20):
        public.post(f"/api/public/notices/{notice.listing_id}/objections/", {"name": "", "contact": "", "content": ""},
                    format="json")
    body = assert_error(public.post(f"/api/public/notices/{notice.listing_id}/objections/", {}, format="json"), 429,
                        "throttled")
    assert body["wait"] > 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_new_cases_at_once_one_is_created_the_other_is_a_409(cast, call, clock):
    barrier = threading.Barrier(2)
    statuses = []

    def run():
        try:
            api = client(cast.applicant)
            barrier.wait()
            statuses.append(api.post("/api/cases/", {"title": "创建申请", "call": call.pk}, format="json").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201, 409]
    assert Case.objects.filter(creation_object=cast.applicant.organisation.creation_object).count() == 1
