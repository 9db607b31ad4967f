"""One table, three readers: the page (a <table> with caption and th scope), the chart drawn from it
(static/js/charts.js reads the chart's data from json_script) and the XLSX download (openpyxl). Each dashboard
list is built once as a Table, so the picture, the table beside it and the spreadsheet can never disagree."""
import dataclasses
import datetime
import io
import re
import unicodedata
from decimal import Decimal

from django.utils.encoding import force_str
from django.utils.functional import Promise

TEXT, INT, DATE, NUMBER = "text", "int", "date", "number"


@dataclasses.dataclass
class Column:
    label: str
    kind: str = TEXT


@dataclasses.dataclass
class Table:
    """``rows`` hold plain values (str, int, Decimal, date, None); the first cell of a row is its header
    (th scope=row). ``links`` (optional) is the href of each row's first cell. ``footer`` is a totals row."""

    key: str  # the download's name: /…/dashboard/<key>.xlsx
    caption: str
    columns: list
    rows: list = dataclasses.field(default_factory=list)
    links: list = dataclasses.field(default_factory=list)
    footer: list | None = None
    empty: str = ""  # what the page says when there are no rows
    chart: dict | None = None  # the chart drawn from this table (see chart()), or None for a plain list

    @property
    def body(self):
        """[(href, cells)] for the template."""
        links = self.links or [None] * len(self.rows)
        return list(zip(links, self.rows))

    @property
    def chart_id(self):
        return f"chart-{self.key}"

    @property
    def data_id(self):
        return f"chart-data-{self.key}"


def chart(kind, categories, series, **options):
    """The chart's data for charts.js: ``kind`` is stacked (stacked bars), bars (grouped bars) or scores (grouped
    bars with each category's pass line). Labels are made plain strings here (json_script cannot encode lazy ones)."""
    return {
        "kind": kind,
        "categories": [force_str(c) for c in categories],
        "series": [{"name": force_str(s["name"]), "data": [_number(v) for v in s["data"]],
                    **({"line": True} if s.get("line") else {})} for s in series],
        **{k: force_str(v) if isinstance(v, Promise) else v for k, v in options.items()},
    }


def _number(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


# ── XLSX ────────────────────────────────────────────────────────────────────────────────────────────────────────
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _display_width(text):
    """Columns in Excel's units: a CJK (wide) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def xlsx_bytes(table, *, title=""):
    """The table as an XLSX workbook: a bold, frozen header row in the page's language, one row per table row,
    dates as real dates (yyyy-mm-dd), integers and decimals as numbers, columns as wide as their longest cell."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (_SHEET_TITLE_FORBIDDEN.sub(" ", force_str(title or table.caption)) or "Sheet")[:31]
    headers = [force_str(c.label) for c in table.columns]
    sheet.append(headers)
    fill = PatternFill("solid", fgColor="DCE6F2")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(vertical="center", wrap_text=False)
    widths = [_display_width(h) for h in headers]
    rows = list(table.rows) + ([table.footer] if table.footer else [])
    for row in rows:
        values = []
        for column, value in zip(table.columns, row):
            if isinstance(value, datetime.datetime):
                value = value.date()
            if isinstance(value, Decimal):
                value = float(value)
            if value is not None and not isinstance(value, (int, float, datetime.date)):
                value = force_str(value)
            values.append(value)
        sheet.append(values)
        excel_row = sheet.max_row
        for index, (column, value) in enumerate(zip(table.columns, values)):
            cell = sheet.cell(row=excel_row, column=index + 1)
            if isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
                shown = 10
            elif isinstance(value, float):
                cell.number_format = "0.00"
                shown = len(f"{value:.2f}")
            else:
                shown = _display_width("" if value is None else str(value))
            widths[index] = max(widths[index], shown)
    if table.footer:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for index, width in enumerate(widths):
        sheet.column_dimensions[_letter(index + 1)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _letter(n):
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)
