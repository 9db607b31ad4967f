"""Reading 《创建申请表》 (办法 第七条、第八条): every declared field in its section, and what changed between versions."""
from decimal import Decimal

import pytest
from django.utils import translation

from applications import diff
from applications.models import ApplicationForm


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):  # the labels compared below are the Chinese ones
        yield


def form(**fields):
    base = dict(contact_name="张工", contact_phone="0571-1", platform_economy="有完整的平台经济发展规划",
                supervision_and_service="体制机制健全", innovation="信用监管创新", online_retail_sales=Decimal("1234.50"))
    return ApplicationForm(**{**base, **fields})


def test_every_declared_field_is_read_and_bookkeeping_is_not():
    names = {f.name for f in diff.form_fields(ApplicationForm)}
    declared = {f.name for f in ApplicationForm._meta.concrete_fields if not f.is_relation} - diff.BOOKKEEPING
    assert names == declared  # a field added to the model shows up by itself
    assert not names & {"id", "case", "version", "saved_by", "saved_at"}


def test_fields_sit_in_the_sections_of_article_6():
    sections = {s.key: [r.name for r in s.rows] for s in diff.compare(form())}
    assert "platform_economy" in sections["condition_1"]  # help_text 办法 第六条（一）
    assert "supervision_and_service" in sections["condition_2"]
    assert "innovation" in sections["condition_3"]
    contact = {f.name for f in ApplicationForm._meta.concrete_fields if f.name.startswith("contact_")}
    assert {"contact_name", "contact_phone"} <= contact and set(sections["contact"]) == contact
    assert list(sections)[0] == "basic" and list(sections)[-1] == "contact"


def test_without_a_previous_version_nothing_is_marked_changed():
    rows = [r for s in diff.compare(form()) for r in s.rows]
    assert not any(r.changed for r in rows)
    assert {r.name: r.value for r in rows}["online_retail_sales"] == "1234.50"


def test_changed_fields_are_marked_and_text_changes_are_shown_by_character():
    before = form()
    after = form(platform_economy="有完整的平台经济建设和发展规划", online_retail_sales=Decimal("1500"), contact_phone="0571-1")
    rows = {r.name: r for s in diff.compare(after, before) for r in s.rows}
    assert rows["platform_economy"].changed and rows["online_retail_sales"].changed
    assert not rows["contact_phone"].changed and not rows["innovation"].changed
    assert ("insert", "建设和") in rows["platform_economy"].segments
    assert rows["online_retail_sales"].before == "1234.50" and rows["online_retail_sales"].value == "1500"
    assert diff.changed_fields(after, before) == ["网络零售额（亿元）", "平台经济基础"]  # in the form's order


def test_a_field_emptied_or_filled_counts_as_changed():
    rows = {r.name: r for s in diff.compare(form(online_retail_sales=None), form()) for r in s.rows}
    assert rows["online_retail_sales"].changed and rows["online_retail_sales"].value == ""


def test_text_segments_cover_both_texts():
    segments = diff.text_segments("甲乙丙丁", "甲丙丁戊")
    assert "".join(t for k, t in segments if k != "insert") == "甲乙丙丁"
    assert "".join(t for k, t in segments if k != "delete") == "甲丙丁戊"


def test_the_sections_do_not_depend_on_the_reader_s_language():
    with translation.override("en"):
        sections = {s.key: [r.name for r in s.rows] for s in diff.compare(form())}
    assert "innovation" in sections["condition_3"]
