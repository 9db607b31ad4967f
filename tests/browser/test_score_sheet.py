"""A city fills in its self-assessment sheet in the browser: the years are the case's (shown, not typed), a figure
that is not a number is marked next to its field with what was typed kept, and the explanations read in English
for an English reader (issue 10 item 5; issue 7 item 5)."""
import pytest
from playwright.sync_api import expect

from cases.journeys import drive
from cases.workflow import State
from evaluation import sheets
from indicators import services
from tests.factories import new_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_applicant_sees_the_case_years_and_a_bad_figure_is_marked_where_it_was_typed(page, site, login_as, cast,
                                                                                      call, clock):
    services.load_seed_systems()
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    sheet, _ = sheets.save_sheet(case_id=case.pk, actor=cast.applicant)
    login_as(page, cast.applicant.username)
    page.goto(f"{site}/cases/{case.pk}/score-sheets/{sheet.pk}/")
    expect(page.get_by_test_id("scoring-years-value")).to_have_text("2026年、2027年、2028年、2029年")
    expect(page.locator("input[name=years]")).to_have_count(0)

    field = page.locator("input[name='in:ecommerce_transactions:2026']")
    field.fill("一百三十")
    page.get_by_role("button", name="保存并重新计分").click()
    expect(page.get_by_test_id("sheet-error")).to_contain_text("有输入数据有误，未保存")
    field = page.locator("input[name='in:ecommerce_transactions:2026']")
    expect(field).to_have_class(r"form-control is-invalid")
    expect(field).to_have_value("一百三十")
    expect(page.get_by_test_id("input-error-ecommerce_transactions")).to_contain_text("2026年")

    page.goto(f"{site}/cases/{case.pk}/score-sheets/{sheet.pk}/")
    page.locator("button[name=language][value=en]").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.get_by_test_id("explanation-1")).to_contain_text("not entered yet")
