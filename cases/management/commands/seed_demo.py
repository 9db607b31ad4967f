"""DEMO DATA — one login per role and cases standing in every state of the legal order.

Every demo case is made by replaying its history through the real services at its own dates (time-machine
moves the clock), so its audit trail, stage records and deadlines are what a real case would have. All demo
organisations, titles and texts say 演示 (demo); nothing here is real data. Safe to run twice: it does
nothing when the demo officer already exists.

Two cohorts:
- under the 2022 trial measures (created in 2023, a 2-year period): the late stages that need a finished
  creation period — designated, revoked, not designated, failed, lapsed;
- under the current measures (dated relative to today): everything else, including re-evaluation
  (办法 第十七条), using SAMR's power to set a period shorter than 3 years (办法 第九条: 一般不超过3年).

With ``--sheets`` the evaluation stages go through the score sheets (cases/journeys.py): each self-assessment is
a submitted sheet, each evaluation result the finalised sheets of the demo ``expert`` and ``expert-2``; the case
under evaluation has both assigned, with expert-2's sheet submitted and ``expert``'s left to score.
"""
import datetime
import json
from pathlib import Path

import time_machine
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Role, User
from applications.models import ApplicationCall
from cases import journeys
from cases.models import Case
from cases.workflow import State
from regions.models import CreationObject, Province

FIXTURE = Path(__file__).resolve().parents[3] / "fixtures" / "demo.json"
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
LIST_TEXT = {
    "publish_notice": "演示：下列城市经评估合格，列入网络市场监管与服务示范区建议名单，现予公示（15天），接受社会监督。",
    "designate": "演示：经市场监管总局批准，认定下列城市为网络市场监管与服务示范区。",
}


def _load_fixture():
    """fixtures/demo.json: the logins, and each case as (state, creation object code, cohort, [(move, day)]) — day:
    an ISO date (the trial cohort) or a number of days from today (the current cohort)."""
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    cases = [(State(c["state"]), c["creation_object"], c["measures"],
              [(name, datetime.date.fromisoformat(day) if isinstance(day, str) else day) for name, day in c["moves"]])
             for c in data["cases"]]
    logins = [(u["username"], Role(u["role"]), u["organisation"], u["name"]) for u in data["logins"]]
    return data["password"], cases, logins


PASSWORD, DEMO_CASES, LOGINS = _load_fixture()


def _at(day, today):
    if isinstance(day, int):
        day = today + datetime.timedelta(days=day)
    return datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=SHANGHAI)


class Command(BaseCommand):
    help = "Load DEMO data: one login per role and a case in every state (idempotent; labelled 演示)."

    def add_arguments(self, parser):
        parser.add_argument("--sheets", action="store_true",
                            help="record self-assessments and evaluation results through score sheets")

    def handle(self, *args, sheets=False, **options):
        if User.objects.filter(username="officer").exists():
            self.stdout.write("Demo data already present; nothing to do.")
            return
        # The indicator systems from the seeds (the 2022 system published, the current draft a draft) and the
        # demo national figures (labelled 演示数据), so scoring works in the demo.
        call_command("load_indicator_seeds", "--demo-benchmarks", stdout=self.stdout)
        today = timezone.localdate()
        with transaction.atomic():
            users = self._logins()
            more_experts = (self._second_expert(users),) if sheets else ()
        officer, expert = users["officer"], users["expert"]
        current_call = None
        published = {}  # (move, round, day) → the notice list or announcement the demo's cities share
        for state, code, cohort, steps in DEMO_CASES:
            first_day = steps[0][1] if steps else -1
            start = _at(first_day, today) - datetime.timedelta(days=5)
            with time_machine.travel(start, tick=False) as clock:
                cast = journeys.Cast(applicant=self._applicant(code, users), reviewer=self._reviewer(code, users),
                                     officer=officer, expert=expert, more_experts=more_experts)
                call = None
                if cohort == "current":
                    call = current_call = current_call or self._call(officer, today)
                    if steps and steps[0][1] < -100:
                        call = self._call(officer, today, days_ago=500)
                case = journeys.create_case_for(cast, call)
                for name, day in steps:
                    clock.move_to(max(_at(day, today), timezone.now()))
                    extra = {}
                    if name == "approve_creation" and cohort == "current":
                        # A one-year period so the evaluation stages can be shown today (办法 第九条: 不超过3年).
                        extra["creation_end"] = timezone.localdate() + datetime.timedelta(days=364)
                    self._act(case, name, cast, clock, sheets, extra, published)
                if sheets and state == State.UNDER_EVALUATION:
                    self._experts_at_work(case, cast)
            case = Case.objects.get(pk=case.pk)
            self.stdout.write(f"  {case.reference}  {case.creation_object}  → {case.get_state_display()}")
            if case.state != state:
                raise RuntimeError(f"demo case for {code} ended in {case.state}, expected {state}")
        from creation.demo import seed_creation_demo  # the 浙江 city in creation: units, liaisons, plan (演示)
        from creation.demo_evidence import add_demo_evidence  # evidence for part of its indicators (演示)

        add_demo_evidence(seed_creation_demo(PASSWORD))
        self.stdout.write(self.style.SUCCESS(
            f"Demo data loaded: {len(DEMO_CASES)} cases. Logins ({PASSWORD}): " + ", ".join(u for u, *_ in LOGINS)))

    def _act(self, case, name, cast, clock, sheets, extra, published):
        """One move of the case's history. The cities published or designated on the same day in the same round
        share one notice list (办法 第十五条 / 试行办法 第十三条) and one numbered announcement (第十六条 / 第十四条),
        as SAMR publishes them: the first city's move opens the list, the others join it."""
        from cases.services import perform_transition

        if name not in LIST_TEXT:
            return journeys.act(case, name, cast, clock, sheets=sheets, **extra)
        case = Case.objects.get(pk=case.pk)
        key = (name, case.evaluation_round_id, timezone.localdate())
        payload = {**journeys.prepare(case, name, cast, clock, sheets=sheets), **extra}
        payload["text" if name == "publish_notice" else "comment"] = LIST_TEXT[name]
        field = "listing" if name == "publish_notice" else "announcement"
        case = perform_transition(case_id=case.pk, name=name, actor=cast.officer, payload=payload,
                                  listed_in={field: published[key]} if key in published else None)
        if key not in published:
            published[key] = (case.notices.latest("pk").listing if name == "publish_notice"
                              else case.designations.latest("pk").announcement)
        return case

    def _logins(self):
        users = {}
        samr, _ = Organisation.objects.get_or_create(name="市场监管总局（演示）", defaults={"kind": OrganisationKind.SAMR})
        admins, _ = Organisation.objects.get_or_create(name="平台管理（演示）", defaults={"kind": OrganisationKind.ADMIN})
        for username, role, code, name in LOGINS:
            if role == Role.APPLICANT:
                org = self._creation_object_org(code)
            elif role == Role.PROVINCIAL_REVIEWER:
                org = self._province_org(code)
            else:
                org = admins if role == Role.ADMIN else samr
            user = User.objects.create_user(username=username, password=PASSWORD, first_name=name, role=role,
                                            organisation=org, is_staff=role == Role.ADMIN,
                                            is_superuser=role == Role.ADMIN)
            users[username] = user
        return users

    def _second_expert(self, users):
        return User.objects.create_user(username="expert-2", password=PASSWORD, first_name="演示·评估专家（二）",
                                        role=Role.SAMR_EXPERT, organisation=users["expert"].organisation)

    def _experts_at_work(self, case, cast):
        """Both experts assigned; expert-2 has scored, the demo ``expert`` has yet to (try it on the pages)."""
        from evaluation.services import assign_expert

        for person in (cast.expert, *cast.more_experts):
            assign_expert(case_id=case.pk, actor=cast.officer, expert=person)
        for person in cast.more_experts:
            journeys.expert_scores(case, person, journeys.PASS_FACTORS[1])

    def _creation_object_org(self, code):
        creation_object = CreationObject.objects.select_related("province").get(code=code)
        org, _ = Organisation.objects.get_or_create(
            creation_object=creation_object,
            defaults={"kind": OrganisationKind.CREATION_OBJECT, "name": f"{creation_object}人民政府（演示）"})
        return org

    def _province_org(self, code):
        province = Province.objects.get(code=code[:2] + "0000")
        org, _ = Organisation.objects.get_or_create(
            province=province, defaults={"kind": OrganisationKind.PROVINCE, "name": f"{province.name}市场监督管理局（演示）"})
        return org

    def _applicant(self, code, users):
        if code == "330100":
            return users["applicant"]
        user, created = User.objects.get_or_create(
            username=f"applicant-{code}",
            defaults={"role": Role.APPLICANT, "organisation": self._creation_object_org(code),
                      "first_name": f"演示·{CreationObject.objects.get(code=code).name}经办人"})
        # get_or_create leaves an empty password, which Django counts as "usable" but matches nothing.
        if created or not user.password or not user.has_usable_password():
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        return user

    def _reviewer(self, code, users):
        return users["reviewer"] if code.startswith("33") else users["reviewer-js"]

    def _call(self, officer, today, days_ago=30):
        opens = today - datetime.timedelta(days=days_ago)
        return ApplicationCall.objects.create(
            title=f"关于开展{opens.year}年度网络市场监管与服务示范区创建申报工作的通知（演示）", year=opens.year,
            document_number="演示〔示例〕1号", opens_on=opens, submission_deadline=opens + datetime.timedelta(days=60),
            recommendation_deadline=opens + datetime.timedelta(days=90), created_by=officer)
