"""DEMO DATA — the creation workspace of the demo city in 浙江 that is creating (issue #9, part 10).

Called by the seed_demo management command after the demo cases exist. Everything goes through the real services:
the office (the city's demo applicant) imports the plan as the workbook officials keep (creation.xlsx), creates
the two unit liaisons, and the liaisons report progress on their tasks. The plan is shaped like seed 003 (杭州市's
master plan: its 20 task titles and the departments named for each — lead first, co-units after) with dated
phases like seed 002 (启动部署 … 巩固提升, spread over the case's own creation period) and a county-level unit
like 002's 明溪县 as co-unit of the tasks that reach the counties. Task contents, progress notes and the
choice of the responsible unit per indicator are invented and say 演示.

Logins (password: seed_demo's): the office is the city's existing demo applicant; ``liaison-scj`` speaks for
市市场监管局, ``liaison-county`` for the county."""
import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from cases.models import Case
from cases.workflow import State

from . import services, xlsx
from .models import Plan, Task, Unit

# 003 三、主要任务和创建内容: (title, the departments named — the first leads).
TASKS_003 = [
    ("鼓励电商产业集聚发展", ["市发改委", "市商务局", "市经信局"]),
    ("促进线上线下融合发展", ["市经信局", "市商务局", "市发改委"]),
    ("助推新业态创新发展", ["市商务局", "市市场监管局", "市文广新局"]),
    ("探索电商趋势与发展机遇", ["市发改委", "市经信局", "市地方金融局"]),
    ("助力共同富裕", ["市商务局", "市邮政局", "市经信局", "市市场监管局"]),
    ("推行竞争政策试点", ["市市场监管局", "市发改委", "市财政局", "市商务局"]),
    ("加强数字化监管", ["市市场监管局", "市发改委"]),
    ("构建柔性监管制度", ["市市场监管局", "市司法局"]),
    ("推动社会共治格局", ["市市场监管局", "市司法局", "市文广新局"]),
    ("完善市场主体便利准入", ["市市场监管局", "市发改委"]),
    ("助推品牌提升", ["市市场监管局", "市商务局"]),
    ("加大政策扶持", ["市发改委", "市商务局", "市地方金融局", "市税务局"]),
    ("升级公共服务", ["市数据资源局", "市市场监管局", "市文广新局", "市发改委", "市委网信办"]),
    ("完善配套支撑", ["市经信局", "市发改委", "市邮政局"]),
    ("推进放心消费", ["市市场监管局", "市委网信办", "市商务局", "市公安局", "市税务局"]),
    ("落实平台主体责任", ["市市场监管局", "市人力社保局"]),
    ("健全法制建设", ["市市场监管局", "市发改委", "市商务局"]),
    ("加强信用分类监管", ["市市场监管局"]),
    ("开展协同监管", ["市市场监管局"]),
    ("强化联合监督执法", ["市市场监管局"]),
]
# 003's four task groups: tasks 1–5, 6–10, 11–15, 16–20.
TASK_GROUPS = ["力促网络经济高效发展", "规范网络市场监管体系", "优化网络营商环境", "探索平台经济监管创新"]
# The tasks that reach the counties (003 task 19: 市、区县（市）纵向联动): the county is a co-unit (演示).
COUNTY_TASKS = {5, 15, 18, 19, 20}
COUNTIES = {"330800": "龙游县"}  # a county under the demo city (衢州市); other cities: a neutral demo name
# 002 四、实施步骤: the phases, as fractions of the creation period.
PHASES_002 = [("启动部署", 0.0, 0.1), ("组织实施", 0.1, 0.55), ("自查自评", 0.55, 0.75), ("迎检评估", 0.75, 0.9),
              ("巩固提升", 0.9, 1.0)]
TASK_PHASE = {n: "组织实施" for n in range(1, 21)} | {7: "启动部署", 18: "自查自评", 19: "自查自评"}
# The responsible unit per indicator, by what the indicator is about (演示: the demo's choice, after 002 附件2).
RESPONSIBLE_BY_KEYWORD = [
    (("交易额", "零售额", "经营主体发展活力", "数实融合", "新业态"), "市商务局", ["市经信局", "市统计局"]),
    (("法治", "执法", "违法案件"), "市市场监管局", ["市司法局"]),
    (("智慧监管", "信用", "协同监管", "一体化监管", "事前事中事后"), "市市场监管局", ["市发改委"]),
    (("质量", "品牌"), "市市场监管局", ["市经信局"]),
    (("消费",), "市市场监管局", ["市商务局"]),
    (("竞争力",), "市经信局", ["市商务局"]),
    (("公共服务",), "市数据资源局", ["市市场监管局"]),
    (("探索创新", "制度化", "认可"), "市市场监管局", ["市委网信办"]),
]
SCJ, COUNTY_LIAISON = "liaison-scj", "liaison-county"
DONE_TASKS = {7}


def _demo_case():
    return (Case.objects.filter(state=State.CREATING, creation_object__province__code="330000")
            .select_related("creation_object").order_by("pk").first())


def _phases(case):
    start = case.creation_start
    end = case.creation_end
    days = (end - start).days
    rows = []
    for order, (name, a, b) in enumerate(PHASES_002, start=1):
        first = start + datetime.timedelta(days=round(days * a) + (1 if order > 1 else 0))
        last = start + datetime.timedelta(days=round(days * b))
        rows.append((order, name, first, last, f"演示：{name}阶段的工作（参照明溪县实施方案）。"))
    return rows


def _workbook(case, county):
    from evaluation.sheets import system_for_case

    phases = _phases(case)
    ends = {name: last for _order, name, _first, last, _d in phases}
    today = timezone.localdate()
    tasks = []
    for number, (title, units) in enumerate(TASKS_003, start=1):
        co = units[1:] + ([county] if number in COUNTY_TASKS else [])
        group = TASK_GROUPS[(number - 1) // 5]
        # 演示: the tasks still open fall due over the coming weeks (a few soon), whatever the demo case's dates.
        due = ends[TASK_PHASE[number]] if number in DONE_TASKS else today + datetime.timedelta(days=5 + 9 * (number % 10))
        tasks.append((number, title, f"演示：{group}——{title}（任务名称和责任部门摘自杭州市总体方案，内容为演示）。",
                      TASK_PHASE[number], units[0], "、".join(co), due))
    rows = []
    for number, name in system_for_case(case).indicators.order_by("number").values_list("number", "name"):
        lead, co = "市市场监管局", []
        for keywords, unit, co_units in RESPONSIBLE_BY_KEYWORD:
            if any(k in name for k in keywords):
                lead, co = unit, co_units
                break
        if number % 4 == 0:
            co = co + [county]
        rows.append((number, name, lead, "、".join(co)))
    goals = ("演示：围绕“放得更活、管得更好、服务更优”目标，建立成熟的网络市场集聚发展模式，提升网络市场监管与服务"
             "整体水平，形成示范领先的制度规则体系（参照杭州市总体方案“二、创建目标”）。")
    return xlsx.build_workbook(goals=goals, phases=phases, tasks=tasks, responsibilities=rows)


def _office(case):
    return (User.objects.filter(role=Role.APPLICANT, organisation__creation_object=case.creation_object)
            .order_by("pk").first())


def _liaison(case, office, unit, username, name, password):
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    return services.create_liaison(case_id=case.pk, actor=office, unit_id=unit.pk, username=username, name=name,
                                   password=password).user


def seed_creation_demo(password=None):
    """The demo city's creation workspace: units, two liaisons, the plan (20 tasks, phases, the responsible unit
    per indicator) and some progress. Idempotent: a case that already has a plan is returned as it is. Returns the
    case (None when the demo has no 浙江 case in creation)."""
    from cases.management.commands.seed_demo import PASSWORD

    password = password or PASSWORD
    case = _demo_case()
    if case is None:
        return None
    if Plan.objects.filter(case=case).exists():
        return case
    office = _office(case)
    if office is None:
        raise RuntimeError(f"the demo city {case.creation_object} has no applicant login")
    county = COUNTIES.get(case.creation_object.code, "演示县")
    xlsx.import_plan(case_id=case.pk, actor=office, data=_workbook(case, county), create_units=True)
    units = {u.name: u for u in Unit.objects.filter(creation_object=case.creation_object)}
    scj = _liaison(case, office, units["市市场监管局"], SCJ, "演示·市市场监管局联络员", password)
    county_user = _liaison(case, office, units[county], COUNTY_LIAISON, f"演示·{county}联络员", password)
    plan = Plan.objects.get(case=case)
    tasks = {t.number: t for t in plan.tasks.all()}
    progress = [
        (scj, 7, Task.Status.DONE, "演示：已接入国家网络交易监管平台，建立网络经营主体库。"),
        (scj, 6, Task.Status.IN_PROGRESS, "演示：完成首批产业政策公平竞争审查，涉企优惠政策目录清单在编。"),
        (scj, 20, Task.Status.IN_PROGRESS, "演示：“红盾网剑”专项行动已部署，首批线索在查。"),
        (county_user, 19, Task.Status.IN_PROGRESS, "演示：县级联动机制已建立，每季度向市创建办报送协同监管情况。"),
    ]
    with transaction.atomic():
        for user, number, status, text in progress:
            services.add_progress(case_id=case.pk, actor=user, task_id=tasks[number].pk, text=text, status=status)
    return case
