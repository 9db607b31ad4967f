"""Browser pages of the evidence store and live readiness (issue 9 items 4, 5) — the same rules as the API
(creation/evidence_api.py): scope through creation.selectors (outside it a 404), writes through
creation.evidence.add_evidence, reads through creation.readiness.

- /cases/<id>/creation/evidence/ — the indicators the user sees, each with its predicted score and entries;
- /cases/<id>/creation/evidence/<number>/ — one indicator: its 打分标准, its inputs per year as they stand now,
  the history of entries (who, when, source, attachment), and the forms to add and to correct;
- /cases/<id>/creation/readiness/ — the predicted score, groups, the gap and what closes it, and the chart of
  the predicted score over time (ECharts, static/js/readiness.js, data through json_script) with its table;
- /cases/<id>/creation/evidence/documents/<doc>/ — an attachment, for whoever may read the workspace.
Readers (province, SAMR) see the pages without the forms; a liaison sees their unit's indicators only."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cases.errors import DomainError, NotFound
from demozone.forms import PageForm, apply_errors
from indicators.models import Indicator

from . import evidence, readiness, selectors
from .models import Evidence


class FigureForm(PageForm):
    key = forms.ChoiceField(label=gettext_lazy("数据项"))
    year = forms.IntegerField(label=gettext_lazy("年度"), required=False, min_value=2000, max_value=2100,
                              help_text=gettext_lazy("逐年数据填写年度，其他数据项不填"))
    value = forms.CharField(label=gettext_lazy("数值"), required=False, max_length=2000,
                            help_text=gettext_lazy("数字；是/否；规模以上经营者填各家年度销售额，逗号分隔"))
    source = forms.CharField(label=gettext_lazy("数据来源"), required=False, max_length=200)
    note = forms.CharField(label=gettext_lazy("说明"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=gettext_lazy("附件"), required=False)
    corrects = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, keys=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = keys


class ItemForm(PageForm):
    item = forms.ChoiceField(label=gettext_lazy("评分要点"))
    file = forms.FileField(label=gettext_lazy("材料"), required=False)
    note = forms.CharField(label=gettext_lazy("说明"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    corrects = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = items


def _case(request, case_id):
    return selectors.workspace_case(request.user, case_id)


def _may_write(user, case):
    return case.state in selectors.WORKING_STATES and (
        selectors.is_office(user, case) or selectors.liaison_unit(user) is not None)


@login_required
@require_GET
def evidence_index(request, case_id):
    """Everyone in the workspace: the indicators they see with the predicted score and the number of entries."""
    case = _case(request, case_id)
    numbers = evidence.visible_numbers(request.user, case)
    answer = readiness.readiness(case, numbers=numbers, with_suggestions=False)
    counts = {}
    for number in evidence.entries_of(case, numbers=numbers).values_list("number", flat=True):
        counts[int(number)] = counts.get(int(number), 0) + 1
    for row in answer["indicators"]:
        row["entries"] = counts.get(row["number"], 0)
    return render(request, "creation/evidence/index.html", {"case": case, "answer": answer,
                                                           "may_write": _may_write(request.user, case)})


def _indicator_context(request, case, number, figure_form=None, item_form=None):
    from evaluation.sheets import case_years, system_for_case

    numbers = evidence.visible_numbers(request.user, case)
    system = system_for_case(case)
    shape = evidence.indicator_inputs(system).get(number)
    if shape is None or (numbers is not None and number not in numbers):
        raise Http404
    indicator = Indicator.objects.filter(system=system, number=number).first()
    labels = readiness.compiled_system(system).labels
    catalogue = system.input_catalogue or {}
    entries = list(evidence.entries_of(case, numbers={number}))
    corrected = {e.corrects_id for e in entries if e.corrects_id}
    figures, documents = evidence.current_entries(entries)
    current_ids = {e.pk for e in figures.values()} | {e.pk for e in documents}
    years = case_years(case, system).years
    shown_years = sorted(set(years) | {y - 1 for y in years}) if years else []
    inputs = []
    for key, kind in shape["keys"].items():
        meta = catalogue.get(key) or {}
        if kind == "yearly":
            cells = [{"year": y, "entry": figures.get((key, y))} for y in shown_years]
        else:
            cells = [{"year": None, "entry": figures.get((key, None))}]
        inputs.append({"key": key, "label": labels.get(key, key), "kind": kind, "unit": meta.get("unit", ""),
                       "cells": cells})
    for entry in entries:
        entry.is_current = entry.pk in current_ids
        entry.is_corrected = entry.pk in corrected
        entry.label = labels.get(entry.key, entry.key) if entry.key else shape["items"].get(entry.item, entry.item)
    answer = readiness.readiness(case, numbers={number})
    row = answer["indicators"][0] if answer["indicators"] else None
    may_write = _may_write(request.user, case) and (
        evidence.allowed_numbers(request.user, case) is None or number in evidence.allowed_numbers(request.user, case))
    correcting = None
    raw = request.GET.get("corrects", "")
    if raw.isdigit():
        correcting = next((e for e in entries if e.pk == int(raw) and not e.is_corrected), None)
    key_choices = [(k, labels.get(k, k)) for k in shape["keys"]]
    item_choices = list(shape["items"].items())
    if figure_form is None:
        initial = {}
        if correcting is not None and correcting.key:
            initial = {"key": correcting.key, "year": correcting.year, "corrects": correcting.pk,
                       "value": "" if correcting.value is None else (
                           ", ".join(map(str, correcting.value)) if isinstance(correcting.value, list)
                           else str(correcting.value)), "source": correcting.source}
        figure_form = FigureForm(keys=key_choices, initial=initial, prefix="figure")
    if item_form is None:
        initial = {}
        if correcting is not None and correcting.item:
            initial = {"item": correcting.item, "corrects": correcting.pk}
        item_form = ItemForm(items=item_choices, initial=initial, prefix="item")
    return {"case": case, "number": number, "indicator": indicator, "inputs": inputs, "entries": entries,
            "row": row, "suggestions": answer["suggestions"], "years": years, "may_write": may_write,
            "figure_form": figure_form, "item_form": item_form, "correcting": correcting,
            "has_items": bool(item_choices), "has_keys": bool(key_choices)}


@login_required
@require_http_methods(["GET", "POST"])
def evidence_indicator(request, case_id, number):
    """One indicator's evidence; POST adds an entry or a correction (creation.evidence.add_evidence)."""
    case = _case(request, case_id)
    if request.method == "GET":
        return render(request, "creation/evidence/indicator.html", _indicator_context(request, case, number))
    context = _indicator_context(request, case, number)
    which = "item" if request.POST.get("form") == "item" else "figure"
    if which == "item":
        form = ItemForm(request.POST, request.FILES, items=context["item_form"].fields["item"].choices, prefix="item")
    else:
        form = FigureForm(request.POST, request.FILES, keys=context["figure_form"].fields["key"].choices,
                          prefix="figure")
    status = 400
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            entry = evidence.add_evidence(case_id=case.pk, actor=request.user, number=number, **data)
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            apply_errors(form, error)
            status = error.http_status
        else:
            messages.success(request, _("已记录（记录 %(id)s）。") % {"id": entry.pk})
            return redirect("creation-evidence-indicator", case_id=case.pk, number=number)
    context = _indicator_context(request, case, number, **{f"{which}_form": form})
    return render(request, "creation/evidence/indicator.html", context, status=status)


@login_required
@require_GET
def readiness_page(request, case_id):
    """Everyone in the workspace: the predicted score, what is missing and what would earn the next points; the
    province and SAMR read it; a liaison sees their indicators."""
    case = _case(request, case_id)
    answer = readiness.readiness(case, numbers=evidence.visible_numbers(request.user, case))
    history = readiness.history(case)
    chart = {"months": [p["month"] for p in history], "totals": [float(p["total"]) for p in history],
             "threshold": float(answer["total_threshold"]), "title": str(_("预测总分")),
             "threshold_label": str(_("合格线"))}
    return render(request, "creation/evidence/readiness.html",
                  {"case": case, "answer": answer, "history": history, "chart": chart})


@login_required
@require_GET
def evidence_document(request, case_id, document_id):
    """An evidence attachment, for whoever may read the indicator it belongs to."""
    from documents.serving import file_response

    case = _case(request, case_id)
    numbers = evidence.visible_numbers(request.user, case)
    rows = Evidence.objects.filter(case=case, document_id=document_id)
    if numbers is not None:
        rows = rows.filter(number__in=[str(n) for n in numbers])
    entry = rows.select_related("document").first()
    if entry is None:
        raise Http404
    return file_response(entry.document, download=request.GET.get("download") == "1")

