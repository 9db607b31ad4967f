"""Stored versions: the seeds load once, a published version never changes, imports are all-or-nothing with errors
naming row and column, export → import round-trips, and the diff shows what a new version changes."""
import io as stdio
import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from indicators import io, services
from indicators.models import (Indicator, IndicatorSystem, NationalFigure, PublishedVersionError, ScoringItem,
                               SystemStatus)
from indicators.seeds import load_spec

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds():
    return services.load_seed_systems()


def test_seed_loading_is_idempotent(seeds):
    assert seeds == {"2022": "created", "draft-current": "created"}
    assert services.load_seed_systems() == {"2022": "unchanged", "draft-current": "unchanged"}
    assert IndicatorSystem.objects.count() == 2
    assert Indicator.objects.filter(system__code="2022").count() == 41
    assert Indicator.objects.filter(system__code="draft-current").count() == 25


def test_2022_is_published_and_the_draft_stays_a_draft_with_its_warnings(seeds):
    assert IndicatorSystem.objects.get(code="2022").status == SystemStatus.PUBLISHED
    draft = IndicatorSystem.objects.get(code="draft-current")
    assert draft.status == SystemStatus.DRAFT
    assert [f["where"].split("“")[0] for f in draft.findings] == ["指标 3", "指标 24", "指标 25"]


def test_stored_version_reads_back_exactly_as_the_seed(seeds):
    for code in ("2022", "draft-current"):
        assert services.diff_specs(load_spec(code), IndicatorSystem.objects.get(code=code).spec()) == []


def test_a_published_version_refuses_every_change(seeds):
    system = IndicatorSystem.objects.get(code="2022")
    system.title = "改"
    with pytest.raises(PublishedVersionError):
        system.save()
    indicator = Indicator.objects.get(system=system, number=1)
    indicator.points = D(3)
    with pytest.raises(PublishedVersionError):
        indicator.save()
    with pytest.raises(PublishedVersionError):
        ScoringItem.objects.filter(indicator=indicator).first().delete()
    with pytest.raises(PublishedVersionError):
        system.delete()
    with pytest.raises(io.ImportRejected, match="已发布"):
        services.import_system(spec=load_spec("2022"))
    assert Indicator.objects.get(system=system, number=1).points == 2


def test_a_published_version_may_only_be_retired(seeds):
    system = services.retire_system(system=IndicatorSystem.objects.get(code="2022"))
    assert system.status == SystemStatus.RETIRED
    with pytest.raises(PublishedVersionError):
        services.publish_system(system=system)


def test_a_change_is_a_new_version_and_the_diff_names_it(seeds):
    spec = load_spec("2022")
    spec["code"] = "2022-rev"
    first = spec["groups"][0]["subgroups"][0]["indicators"][0]
    first["criteria"] = first["criteria"].replace("近2年", "近3年")
    system, _ = services.import_system(spec=spec)
    changes = services.diff_specs(IndicatorSystem.objects.get(code="2022").spec(), system.spec())
    assert [(c["where"], c["field"]) for c in changes] == [("指标 1", "criteria")]


def test_points_that_do_not_add_up_are_rejected_and_nothing_is_stored(seeds):
    spec = load_spec("draft-current")
    spec["code"] = "bad"
    spec["groups"][0]["indicators"][0]["points"] = "4"
    with pytest.raises(io.ImportRejected, match="促进发展"):
        services.import_system(spec=spec)
    assert not IndicatorSystem.objects.filter(code="bad").exists()


def test_reimporting_a_draft_replaces_it_in_one_piece(seeds):
    spec = load_spec("draft-current")
    spec["title"] = "征求意见稿（修订）"
    system, _ = services.import_system(spec=spec)
    assert system.title == "征求意见稿（修订）"
    assert Indicator.objects.filter(system__code="draft-current").count() == 25


def test_xlsx_round_trip(seeds):
    data = io.write_xlsx(IndicatorSystem.objects.get(code="2022").spec())
    assert services.diff_specs(load_spec("2022"), io.read_xlsx(data)) == []


def test_bad_xlsx_names_sheet_row_and_column_and_changes_nothing(seeds):
    spec = load_spec("draft-current")
    spec["title"] = "改过的标题"
    wb = load_workbook(stdio.BytesIO(io.write_xlsx(spec)))
    wb["指标"]["H3"] = "三分"  # 分值 of the second indicator
    wb["计分项"]["E5"] = "magic"
    out = stdio.BytesIO()
    wb.save(out)
    with pytest.raises(io.ImportRejected) as rejected:
        services.import_system(spec=io.read_xlsx(out.getvalue()))
    assert "工作表“指标”第3行“分值”列：应为数值（收到 '三分'）" in rejected.value.errors
    assert any(e.startswith("工作表“计分项”第5行“规则”列：未知的计分规则 'magic'") for e in rejected.value.errors)
    assert IndicatorSystem.objects.get(code="draft-current").title != "改过的标题"


def test_bad_json_names_the_line():
    with pytest.raises(io.ImportRejected, match="JSON 第2行"):
        io.read_json('{"code": "x",\n oops}')


def test_commands_import_and_export(seeds, tmp_path):
    out = tmp_path / "draft.xlsx"
    call_command("export_indicators", "draft-current", str(out), stdout=stdio.StringIO())
    spec = io.read_xlsx(out.read_bytes())
    spec["code"] = "draft-2"
    path = tmp_path / "draft2.json"
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    log = stdio.StringIO()
    call_command("import_indicators", str(path), stdout=log)
    assert "指标 24" in log.getvalue()  # the warning is shown, the version stored
    assert IndicatorSystem.objects.get(code="draft-2").status == SystemStatus.DRAFT
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError, match="未做任何改动"):
        call_command("import_indicators", str(bad), stdout=stdio.StringIO())


def test_demo_benchmarks_are_labelled_and_never_replace_real_figures(seeds):
    services.set_national_figure(key="national_online_retail_growth", label="全国网上零售额同比增速", year=2023,
                                 value="0.11", source="国家统计局 2023 年国民经济和社会发展统计公报")
    services.load_demo_benchmarks()
    real = NationalFigure.objects.get(key="national_online_retail_growth", year=2023)
    assert (real.is_demo, real.value) == (False, D("0.11"))
    demo = NationalFigure.objects.filter(is_demo=True)
    assert demo.exists() and all("演示数据" in f.source for f in demo)
