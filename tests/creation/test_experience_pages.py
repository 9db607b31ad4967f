"""The pages of experience reports and supervision: the city submits (a failed form keeps what was typed), the
province forwards under the 2022 trial measures, SAMR finds reports in its queue and publishes, the public reads
them; SAMR records a visit, the city its follow-up, and SAMR's zone page cites the visit in a 约谈 on ground （三）.
Pages are 404 outside the case's scope and for unit liaisons, and cost the same queries however many rows."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from cases.journeys import drive
from cases.models import Case
from cases.workflow import State
from creation.models import ExperienceReport, Liaison, SupervisionVisit, Unit
from designation.models import Sanction
from tests.deadlines.conftest import trial_clock
from tests.factories import UserFactory, new_case

pytestmark = pytest.mark.django_db

__all__ = ["trial_clock"]


@pytest.fixture
def creating(cast, call, clock):
    return drive(new_case(cast, call), State.CREATING, cast, clock)


def version(case):
    return Case.objects.get(pk=case.pk).version


def test_the_city_submits_on_its_page_and_a_failed_form_keeps_what_was_typed(client, cast, creating):
    client.force_login(cast.applicant)
    url = reverse("creation-experience", args=[creating.pk])
    assert "报送典型经验" in client.get(url).content.decode()
    failed = client.post(url, {"title": "", "body": "我们的做法是……", "version": version(creating)})
    assert failed.status_code == 400
    assert "我们的做法是……</textarea>" in failed.content.decode() and "请填写标题。" in failed.content.decode()
    done = client.post(url, {"title": "直播电商监管经验", "body": "做法", "version": version(creating)})
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert "直播电商监管经验" in page and "已报总局" in page
    client.force_login(cast.reviewer)  # 办法 第十九条: straight to SAMR, the province informed
    queue = client.get(reverse("creation-experience-queue")).content.decode()
    assert 'data-testid="experience-informed"' in queue and "直播电商监管经验" in queue
    assert "<title>典型经验 · demozone</title>" in queue and queue.count('data-testid="experience-informed"') == 1


def test_province_forwards_and_samr_publishes_on_their_pages_under_the_2022_measures(client, cast, trial_clock):
    zone = drive(new_case(cast), State.DESIGNATED, cast, trial_clock)
    client.force_login(cast.applicant)
    client.post(reverse("creation-experience", args=[zone.pk]), {"title": "信用监管经验", "body": "正文",
                                                                  "version": version(zone)})
    report = ExperienceReport.objects.get()
    assert report.status == "with_province"
    client.force_login(cast.reviewer)
    queue = client.get(reverse("creation-experience-queue")).content.decode()
    assert "信用监管经验" in queue
    client.post(reverse("creation-experience-forward", args=[zone.pk, report.pk]), {"version": version(zone)})
    client.force_login(cast.officer)
    assert "信用监管经验" in client.get(reverse("creation-experience-queue")).content.decode()
    response = client.post(reverse("creation-experience-publish", args=[zone.pk, report.pk]),
                           {"version": version(zone)})
    assert response.status_code == 302
    client.logout()
    assert "信用监管经验" in client.get(reverse("public-experiences")).content.decode()
    assert "信用监管经验" in client.get(reverse("public-experience", args=[report.pk])).content.decode()


def test_pages_are_404_outside_scope_and_for_a_unit_liaison(client, cast, other_cast, creating):
    unit = Unit.objects.create(creation_object=creating.creation_object, name="市商务局", created_by=cast.applicant)
    liaison = UserFactory(username="liaison-x", role=Role.MEMBER_LIAISON, organisation=cast.applicant.organisation)
    Liaison.objects.create(user=liaison, unit=unit, created_by=cast.applicant)
    for user in (other_cast.reviewer, other_cast.applicant, liaison, cast.expert):
        client.force_login(user)
        for name in ("creation-experience", "creation-supervision"):
            assert client.get(reverse(name, args=[creating.pk])).status_code == 404, (user, name)
    client.force_login(cast.applicant)
    assert client.get(reverse("creation-experience-queue")).status_code == 403


def test_samr_records_a_visit_the_city_follows_up_and_the_zone_page_cites_it(client, cast, call, clock):
    zone = drive(new_case(cast, call), State.DESIGNATED, cast, clock)
    client.force_login(cast.officer)
    url = reverse("creation-supervision", args=[zone.pk])
    failed = client.post(url, {"visited_on": "", "findings": "台账不全", "version": version(zone)})
    assert failed.status_code == 400 and "台账不全</textarea>" in failed.content.decode()
    far = client.post(url, {"visited_on": timezone.localdate().isoformat(), "findings": "台账不全", "follow_up": "补齐",
                            "follow_up_due": "9999-12-31", "version": version(zone)})
    assert far.status_code == 400 and "日期须在" in far.content.decode()
    day = timezone.localdate().isoformat()
    assert client.post(url, {"visited_on": day, "findings": "工作明显下滑，台账不全", "follow_up": "补齐台账",
                             "follow_up_due": day, "version": version(zone)}).status_code == 302
    visit = SupervisionVisit.objects.get()
    client.force_login(cast.applicant)
    page = client.get(url).content.decode()
    assert "工作明显下滑，台账不全" in page and "报告整改完成" in page
    follow = reverse("creation-supervision-follow-up", args=[zone.pk, visit.pk])
    assert client.post(follow, {"note": "", "version": version(zone)}).status_code == 400
    assert client.post(follow, {"note": "已补齐", "version": version(zone)}).status_code == 302
    client.force_login(cast.officer)
    zone_url = reverse("samr-zone", args=[zone.pk])
    assert "工作明显下滑，台账不全" in client.get(zone_url).content.decode()
    response = client.post(zone_url, {"move": "interview", "ground": "decline", "comment": "约谈（测试）",
                                      "visits": [visit.pk], "version": version(zone)})
    assert response.status_code == 302
    assert list(Sanction.objects.get().visits.all()) == [visit]
    page = client.get(zone_url).content.decode()
    assert 'data-testid="sanction-visit"' in page
    assert "约谈所依据" in client.get(url).content.decode()
    client.logout()
    assert "工作明显下滑" not in client.get(reverse("public-zones")).content.decode()


def test_a_visit_cited_on_another_ground_is_refused_on_the_zone_page(client, cast, call, clock):
    zone = drive(new_case(cast, call), State.DESIGNATED, cast, clock)
    client.force_login(cast.officer)
    client.post(reverse("creation-supervision", args=[zone.pk]),
                {"visited_on": timezone.localdate().isoformat(), "findings": "问题", "version": version(zone)})
    visit = SupervisionVisit.objects.get()
    response = client.post(reverse("samr-zone", args=[zone.pk]), {
        "move": "warn", "ground": "fraud", "comment": "警示（测试）", "visits": [visit.pk], "version": version(zone)})
    assert response.status_code == 400 and "情形（三）" in response.content.decode()
    assert not Sanction.objects.exists()


def test_case_pages_cost_the_same_queries_however_many_rows(client, cast, creating):
    from creation import experience

    counts = []
    for total in (1, 5):
        while ExperienceReport.objects.count() < total:
            experience.submit_report(case_id=creating.pk, actor=cast.applicant, title="经验", body="正文")
        while SupervisionVisit.objects.count() < total:
            experience.record_visit(case_id=creating.pk, actor=cast.officer, visited_on=timezone.localdate(),
                                    findings="问题", follow_up="整改")
        row = []
        for user, name in ((cast.officer, "creation-experience"), (cast.applicant, "creation-supervision"),
                           (cast.officer, "creation-experience-queue"), (cast.reviewer, "creation-experience-queue")):
            client.force_login(user)
            args = [] if name.endswith("queue") else [creating.pk]
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name, args=args)).status_code == 200
            row.append(len(queries))
        counts.append(row)
    assert counts[0] == counts[1]


def test_a_file_chosen_in_a_failed_post_is_kept_and_used_by_the_next(client, cast, creating,
                                                                     django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.models import PendingUpload

    pdf = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    client.force_login(cast.applicant)
    url = reverse("creation-experience", args=[creating.pk])
    failed = client.post(url, {"title": "", "body": "正文", "version": version(creating),
                               "file": SimpleUploadedFile("经验.pdf", pdf, "application/pdf")})
    assert failed.status_code == 400 and 'data-testid="pending-upload"' in failed.content.decode()
    held = PendingUpload.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"title": "带附件的经验", "body": "正文", "pending": held.pk,
                                 "version": version(creating)})
    assert done.status_code == 302
    report = ExperienceReport.objects.get()
    assert report.document is not None and report.document.sha256
    assert not PendingUpload.objects.exists()
