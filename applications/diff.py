"""Reading 《创建申请表》 (办法 第七条、第八条): its fields in sections, and what changed from one version to another.

Generic over ApplicationForm's fields: every concrete, non-relation field that is not bookkeeping (the case, the
version number, who saved it and when) is part of the form, with its verbose_name as the label and its help_text as
the note — so a field added to the model shows up on the reviewer's pages by itself. Presentation only: no writes.
"""
import dataclasses
import difflib
import re
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# Fields that say how a version was kept, not what the applicant declared.
BOOKKEEPING = frozenset({"id", "case", "version", "saved_by", "saved_at", "created_at", "updated_at"})

# 办法 第六条 (试行办法 第六条): the three conditions a province checks; a field whose help_text cites one of them
# belongs to that condition's section.
CONDITIONS = [
    ("condition_1", "一", _("条件一：平台经济基础")),
    ("condition_2", "二", _("条件二：网络市场监管与服务工作")),
    ("condition_3", "三", _("条件三：监管与服务创新能力")),
]
BASIC, CONTACT = ("basic", _("基本情况")), ("contact", _("联系人"))


def form_fields(model):
    """The declared fields of the form model, in declaration order."""
    return [f for f in model._meta.concrete_fields
            if f.name not in BOOKKEEPING and not f.is_relation and not f.auto_created and not f.primary_key]


def _section_of(field):
    """(key, title) of the section a field belongs to: the condition its help_text cites (办法 第六条（一）…), the
    contact for contact_* fields, else the basic data. A model may name the section itself with a ``SECTIONS``
    mapping {field name: (key, title)}."""
    declared = getattr(field.model, "SECTIONS", None) or {}
    if field.name in declared:
        return declared[field.name]
    with translation.override(settings.LANGUAGE_CODE):  # the article as written, whatever the reader's language
        note = str(field.help_text or "")
    for key, numeral, title in CONDITIONS:
        if re.search(rf"第六条\s*[（(]{numeral}[）)]", note):
            return key, title
    if field.name.startswith("contact"):
        return CONTACT
    return BASIC


_SECTION_ORDER = [BASIC[0]] + [key for key, _n, _t in CONDITIONS] + [CONTACT[0]]


def shown(form, field):
    """A field's value as a reader sees it ("" when empty)."""
    value = getattr(form, field.attname) if form is not None else None
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(_("是") if value else _("否"))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return str(value)


def _is_text(field):
    return isinstance(field, (models.TextField, models.CharField)) and not field.choices


@dataclasses.dataclass
class Row:
    name: str
    label: str
    note: str
    value: str
    before: str | None = None  # the compared version's value; None when there is nothing to compare with
    segments: list = dataclasses.field(default_factory=list)  # [(equal|insert|delete, text)] for changed text

    @property
    def changed(self):
        return self.before is not None and self.before != self.value


@dataclasses.dataclass
class Section:
    key: str
    title: str
    rows: list

    @property
    def changed(self):
        return sum(1 for r in self.rows if r.changed)


def text_segments(before, after):
    """Character-level differences (Chinese has no spaces to split words on): [(kind, text)], kind one of
    equal, delete, insert — neighbouring pieces of one kind merged."""
    segments = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        pieces = [("equal", before[a1:a2])] if op == "equal" else []
        if op in ("delete", "replace"):
            pieces.append(("delete", before[a1:a2]))
        if op in ("insert", "replace"):
            pieces.append(("insert", after[b1:b2]))
        for kind, text in pieces:
            if segments and segments[-1][0] == kind:
                segments[-1] = (kind, segments[-1][1] + text)
            else:
                segments.append((kind, text))
    return segments


def compare(current, previous=None, model=None):
    """The form ``current`` in its sections, each field with its value and — when ``previous`` is given — the
    previous value, whether it changed and (for text) the changed characters. Sections without fields are left
    out. ``model`` is needed only when ``current`` is None."""
    model = model or type(current)
    sections = {}
    for field in form_fields(model):
        key, title = _section_of(field)
        value = shown(current, field)
        row = Row(field.name, str(field.verbose_name), str(field.help_text or ""), value)
        if previous is not None:
            row.before = shown(previous, field)
            if row.changed and _is_text(field) and row.before and value:
                row.segments = text_segments(row.before, value)
        sections.setdefault(key, Section(key, str(title), [])).rows.append(row)
    order = {key: i for i, key in enumerate(_SECTION_ORDER)}
    return sorted(sections.values(), key=lambda s: order.get(s.key, len(order)))


def changed_fields(current, previous):
    """The labels of the fields that differ between two versions (in form order)."""
    return [row.label for section in compare(current, previous) for row in section.rows if row.changed]
