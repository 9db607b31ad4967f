"""The inbox and notification preferences: each user reads and marks only their own notifications (another
user's is a 404), over the API and on the page; the navbar shows the unread count; a changed language applies
to the next notification."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from notifications import services
from notifications.models import Notification, Preference
from tests.factories import new_case

pytestmark = pytest.mark.django_db


def remind(case, user, n=1):
    """``n`` reminders to ``user`` about ``case``'s application deadline, through the real notify()."""
    for days in range(n):
        services.notify(case=case, event="deadline_reminder", users=[user],
                        context=services.case_context(case, kind="application", due="2026-05-31", days=30 - days,
                                                      article="办法 第七条"))
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# ── API ──────────────────────────────────────────────────────────────────────────────────────────────────────
def test_the_inbox_lists_only_the_callers_own_notifications_newest_first(cast, call, clock):
    case = new_case(cast, call)
    mine = remind(case, cast.applicant, 2)
    remind(case, cast.reviewer)
    body = api(cast.applicant).get("/api/notifications/").json()
    assert body["count"] == 2
    assert [n["id"] for n in body["results"]] == [mine[1].pk, mine[0].pk]
    first = body["results"][0]
    assert first["case"] == case.pk and first["case_reference"] == case.reference
    assert first["read"] is False and first["read_at"] is None and "还有 29 天" in first["subject"]


def test_unread_filter(cast, call, clock):
    notes = remind(new_case(cast, call), cast.applicant, 3)
    services.mark_read(notification_id=notes[0].pk, user=cast.applicant)
    client = api(cast.applicant)
    assert client.get("/api/notifications/?unread=true").json()["count"] == 2
    assert client.get("/api/notifications/?unread=false").json()["count"] == 1
    assert client.get("/api/notifications/?unread=maybe").status_code == 400


def test_mark_one_read_and_all_read(cast, call, clock):
    notes = remind(new_case(cast, call), cast.applicant, 3)
    client = api(cast.applicant)
    response = client.post(f"/api/notifications/{notes[0].pk}/read/")
    assert response.status_code == 200 and response.json()["read"] is True
    read_at = Notification.objects.get(pk=notes[0].pk).read_at
    assert read_at is not None
    assert client.post(f"/api/notifications/{notes[0].pk}/read/").status_code == 200  # again: nothing changes
    assert Notification.objects.get(pk=notes[0].pk).read_at == read_at
    assert client.post("/api/notifications/read-all/").json() == {"marked": 2}
    assert client.post("/api/notifications/read-all/").json() == {"marked": 0}
    assert not Notification.objects.filter(recipient=cast.applicant, read_at__isnull=True).exists()


def test_another_users_notification_is_not_found_and_stays_unread(cast, call, clock):
    theirs = remind(new_case(cast, call), cast.reviewer)[0]
    response = api(cast.officer).post(f"/api/notifications/{theirs.pk}/read/")  # not even SAMR
    assert response.status_code == 404
    assert api(cast.applicant).post("/api/notifications/read-all/").json() == {"marked": 0}
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_the_inbox_needs_a_login():
    client = APIClient()
    assert client.get("/api/notifications/").status_code == 401
    assert client.get("/api/me/preferences/").status_code == 401


def test_the_inbox_takes_the_same_number_of_queries_for_1_and_20_notifications(cast, call, clock):
    case = new_case(cast, call)
    client = api(cast.applicant)
    remind(case, cast.applicant)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/notifications/").json()["count"] == 1
    remind(case, cast.applicant, 19)
    with CaptureQueriesContext(connection) as twenty:
        assert len(client.get("/api/notifications/").json()["results"]) == 20
    assert len(twenty.captured_queries) == len(one.captured_queries)


def test_preferences_default_to_chinese_with_e_mail(cast):
    assert api(cast.applicant).get("/api/me/preferences/").json() == {
        "language": "zh-hans", "email": True, "email_address": cast.applicant.email}
    assert not Preference.objects.exists()  # reading does not write


def test_a_changed_language_applies_to_the_next_notification(cast, call, clock):
    case = new_case(cast, call)
    before = remind(case, cast.applicant)[0]
    response = api(cast.applicant).patch("/api/me/preferences/", {"language": "en", "email": False}, format="json")
    assert response.status_code == 200 and response.json()["language"] == "en"
    assert Preference.objects.get(user=cast.applicant).email is False
    after = Notification.objects.exclude(pk=before.pk).get(pk__in=[n.pk for n in remind(case, cast.applicant)])
    assert after.language == "en" and "days" in after.subject and "还有" not in after.subject
    before.refresh_from_db()
    assert before.language == "zh-hans" and "还有" in before.subject  # written earlier, kept as it was
    assert after.deliveries.get(channel="email").status == "skipped"  # e-mail turned off


def test_an_unknown_language_is_refused(cast):
    response = api(cast.applicant).patch("/api/me/preferences/", {"language": "fr"}, format="json")
    assert response.status_code == 400 and "language" in response.json()["errors"]
    assert not Preference.objects.exists()


# ── pages ────────────────────────────────────────────────────────────────────────────────────────────────────
def test_the_navbar_shows_the_unread_count(client, cast, call, clock):
    remind(new_case(cast, call), cast.applicant, 3)
    client.force_login(cast.applicant)
    page = client.get(reverse("case-list")).content.decode()
    assert 'data-testid="unread-count">3<' in page
    client.force_login(cast.reviewer)
    assert 'data-testid="unread-count"' not in client.get(reverse("case-list")).content.decode()


def test_the_inbox_page_lists_marks_read_and_links_to_the_case(client, cast, call, clock):
    case = new_case(cast, call)
    notes = remind(case, cast.applicant, 2)
    remind(case, cast.reviewer)
    client.force_login(cast.applicant)
    page = client.get(reverse("notification-list")).content.decode()
    assert page.count('data-testid="notification"') == 2 and page.count('data-testid="unread"') == 2
    assert reverse("case-detail", args=[case.pk]) in page
    # htmx: the item is swapped, and the navbar badge with it (out of band)
    response = client.post(reverse("notification-read", args=[notes[0].pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    swapped = response.content.decode()
    assert 'data-testid="unread"' not in swapped and 'hx-swap-oob="true"' in swapped
    assert 'data-testid="unread-count">1<' in swapped
    assert client.get(reverse("notification-list") + "?unread=1").content.decode().count(
        'data-testid="notification"') == 1
    response = client.post(reverse("notification-read-all"))
    assert response.status_code == 302 and response["Location"] == reverse("notification-list")
    assert not Notification.objects.filter(recipient=cast.applicant, read_at__isnull=True).exists()


def test_marking_another_users_notification_on_the_page_is_not_found(client, cast, call, clock):
    theirs = remind(new_case(cast, call), cast.reviewer)[0]
    client.force_login(cast.applicant)
    assert client.post(reverse("notification-read", args=[theirs.pk])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_the_inbox_page_takes_a_fixed_number_of_queries(client, cast, call, clock):
    case = new_case(cast, call)
    remind(case, cast.applicant)
    client.force_login(cast.applicant)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("notification-list")).status_code == 200
    remind(case, cast.applicant, 19)
    with CaptureQueriesContext(connection) as twenty:
        assert client.get(reverse("notification-list")).content.decode().count('data-testid="notification"') == 20
    assert len(twenty.captured_queries) == len(one.captured_queries)


def test_pages_need_a_login(client):
    for url in (reverse("notification-list"), reverse("notification-preferences")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_preferences_page_saves_and_a_failed_form_keeps_the_choice(client, cast):
    client.force_login(cast.applicant)
    page = client.get(reverse("notification-preferences")).content.decode()
    assert 'value="zh-hans" lang="zh-hans" selected' in page and "checked" in page
    response = client.post(reverse("notification-preferences"), {"language": "fr"})  # e-mail unticked
    assert response.status_code == 400
    page = response.content.decode()
    assert "is-invalid" in page and "checked" not in page  # what the user chose is kept
    assert not Preference.objects.exists()
    response = client.post(reverse("notification-preferences"), {"language": "en"})
    assert response.status_code == 302
    preference = Preference.objects.get(user=cast.applicant)
    assert (preference.language, preference.email) == ("en", False)
