"""Browser pages for cases. Thin: reads through selectors, writes through cases.services, the same scope and
the same rules as the API. Every view says who may use it; a case outside the user's scope is a 404."""
import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from rest_framework import serializers


from deadlines.selectors import deadline_rows
from evaluation.views import case_panel as score_sheet_panel
from designation.views import annual_report_section

from . import selectors, services
from .next_step import next_step
from .errors import DomainError, InvalidPayload, NotFound
from .payloads import BasePayload
from .workflow import CaseWorkflow, State

CASES_PER_PAGE = 25


def home(request):
    """Anyone not signed in: the public portal (publicity.public_views.portal — the site's front page for a
    visitor, issue #8). Signed in: the user's work queue (待办, cases.queues) — what needs them now, grouped by
    what is to be done, with deadlines and counts per stage."""
    from .queues import home_for

    if not request.user.is_authenticated:
        from publicity.public_views import cached_portal

        return cached_portal(request)  # kept in the public cache (publicity/cache.py): the same page for every visitor
    work = home_for(request.user)
    return render(request, "home.html", {"states": State.choices, "work": work})


@login_required
@require_GET
def case_list(request):
    """Signed-in users: the cases in their scope, filtered by state, province, call and text. A plain GET form;
    with htmx the filters apply as they change and only the results are swapped (the URL follows)."""
    state = request.GET.get("state") or ""
    province = request.GET.get("province") or ""
    call = request.GET.get("call") or ""
    text = (request.GET.get("q") or "").strip()[:100]
    cases = selectors.case_list(request.user, state=state or None, province=province or None,
                                call=int(call) if call.isdigit() else None, text=text or None)
    # The rows show the city, its province and the rule set's title: not the call, nor the rule set's tables.
    cases = (cases.select_related(None).select_related("creation_object__province", "rule_set")
             .defer("rule_set__evaluation_weighing", "rule_set__sanction_grounds", "rule_set__articles"))
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "current_state": state, "current_province": province, "current_call": call,
               "text": text, "filtered": bool(state or province or call or text)}
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "case-results":
        return render(request, "cases/_case_results.html", context)
    # The filters offer only provinces and calls the user can see cases in (one query each, whatever the page).
    return render(request, "cases/list.html", {
        **context, "states": State.choices, "provinces": selectors.provinces_in_scope(request.user),
        "calls": selectors.calls_in_scope(request.user),
    })


def _case_in_scope(user, case_id):
    # The evaluation round too: the moves' guards and the page read it (one query fewer).
    case = selectors.case_list(user).select_related("evaluation_round").filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


@login_required
@require_GET
def case_detail(request, case_id):
    """Signed-in users in the case's scope: the case, its materials, its moves and its history."""
    case = _case_in_scope(request.user, case_id)
    return _render_detail(request, case)


@login_required
@require_POST
def case_move(request, case_id, name):
    """Signed-in users in the case's scope whose role may make move ``name``: make it through
    cases.services.perform_transition. On success redirect back to the case (POST/redirect/GET); on a refusal
    show the page again with the message and what the user typed. With htmx only the move's form is swapped."""
    case = _case_in_scope(request.user, case_id)
    move = services.MOVES.get(name)
    if move is None:
        raise Http404
    form = MoveForm.build(case, move, [], posted=request.POST)
    try:
        version = request.POST.get("version", "")
        services.perform_transition(case_id=case.pk, name=name, actor=request.user, payload=form.payload(),
                                    expected_version=int(version) if version.isdigit() else None)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        return _refused(request, case, move, error)
    messages.success(request, _("已执行“%(move)s”。") % {"move": move.label})
    url = reverse("case-detail", args=[case.pk])
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
@require_GET
def case_document(request, case_id, document_id):
    """Signed-in users in the case's scope: download one of the case's documents (uploads are never served
    from a public media URL)."""
    from documents.serving import file_response

    case = _case_in_scope(request.user, case_id)
    document = case.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    return file_response(document, download=request.GET.get("download") == "1")


def _refused(request, case, move, error):
    """Render the refusal: the move's form keeps the typed input and shows the message (and field errors)."""
    field_errors = _flatten_errors(error.extra.get("errors")) if isinstance(error, InvalidPayload) else {}
    if request.headers.get("HX-Request"):
        reasons = next((r for m, r in services.available_moves(case, request.user) if m.name == move.name), [])
        form = MoveForm.build(case, move, reasons, posted=request.POST, error=str(error.message),
                              field_errors=field_errors)
        # htmx swaps only 2xx answers by default; the refusal is the content of the swapped form.
        return render(request, "cases/_move_form.html", {"case": case, "form": form})
    return _render_detail(request, case, failed=(move, request.POST, str(error.message), field_errors),
                          status=error.http_status)


def _render_detail(request, case, failed=None, status=200):
    failed_move, posted, error, field_errors = failed or (None, None, "", {})
    failed_name = failed_move.name if failed_move else None
    moves = sorted(services.available_moves(case, request.user), key=_move_order)
    forms = [
        MoveForm.build(case, move, reasons, posted=posted if move.name == failed_name else None,
                       error=error if move.name == failed_name else "",
                       field_errors=field_errors if move.name == failed_name else {})
        for move, reasons in moves
    ]
    deadlines = deadline_rows(case, reread=False)  # the case was read just now, with its rule set and call
    # A refusal of a move the user has no form for (another role's move, or the state changed meanwhile).
    page_error = error if failed_name and failed_name not in [f.name for f in forms] else ""
    return render(request, "cases/detail.html", {
        "case": case, "history": _history_rows(case), "move_forms": forms, "page_error": page_error,
        "documents": selectors.case_documents(case),
        "deadlines": [{**row, "overdue": -row["days_left"]} for row in deadlines],
        "next_step": next_step(case, request.user, moves=moves, deadlines=deadlines),
        "score_sheets": score_sheet_panel(case, request.user),
        "annual_reports": annual_report_section(case, request.user),
        "applicant_panel": _applicant_panel(case, request.user),
        **_list_facts(case),
    }, status=status)


def _history_rows(case):
    """The history as the case page shows it: one dict of display values per entry, worked out here once rather
    than by a template filter per field and entry (a busy case has a hundred entries)."""
    from django.template.defaultfilters import linebreaksbr
    from django.utils import timezone

    from .templatetags.case_pages import audit_facts, audit_label, role_label, state_badge, state_label

    rows = []
    for entry in selectors.history_with_attachments(case):
        at = timezone.localtime(entry.at)
        data = entry.data if isinstance(entry.data, dict) else {}
        moved = entry.from_state != entry.to_state
        rows.append({
            "kind": entry.kind, "label": audit_label(entry), "moved": moved,
            "from_badge": state_badge(entry.from_state) if moved else "",
            "from_label": state_label(entry.from_state) if moved else "",
            "to_badge": state_badge(entry.to_state) if moved else "",
            "to_label": state_label(entry.to_state) if moved else "",
            "at_iso": at.isoformat(), "at": at.strftime("%Y-%m-%d %H:%M"),  # the date filter's "c" and "Y-m-d H:i"
            "actor_name": entry.actor_name, "role": role_label(entry.role),
            "organisation_name": entry.organisation_name,
            "rank": data.get("rank"), "article": entry.article, "ground_text": data.get("ground_text"),
            "facts": audit_facts(entry),
            "comment": linebreaksbr(entry.comment, autoescape=True) if entry.comment else "",
            "attachments": [(reverse("case-document", args=[case.pk, document_id]), title)
                            for document_id, title in entry.attached],
        })
    return rows


def _applicant_panel(case, user):
    from applications.panel import applicant_panel

    return applicant_panel(case, user)


def _list_facts(case):
    """The round the evaluation application belongs to (办法 第十二条、第十七条), the notice list the city is on
    (办法 第十五条) and the announcement that designated it (第十六条) — the lists this case is one city of."""
    notice = case.notices.select_related("listing").order_by("-first_day", "-pk").first()
    designation = case.designations.filter(announcement__isnull=False).select_related("announcement").first()
    return {
        "evaluation_round": case.evaluation_round if case.evaluation_round_id else None,
        "notice_listing": notice.listing if notice is not None else None,
        "listed_cities": notice.listing.entries.count() if notice is not None and notice.listing_id else 0,
        "announcement": designation.announcement if designation is not None else None,
    }


# The moves in the order the workflow declares them (the legal order), forward moves before adverse ones
# (those that need a reason: return, decline, withdraw …).
_DECLARED = [name for name in vars(CaseWorkflow) if name in services.MOVES]


def _move_order(move_and_reasons):
    move = move_and_reasons[0]
    return (move.comment_required, _DECLARED.index(move.name) if move.name in _DECLARED else len(_DECLARED))


def _flatten_errors(errors):
    """DRF's error dict → {field: [messages]}; non-field errors under ``__all__``."""
    if not isinstance(errors, dict):
        return {"__all__": [str(e) for e in (errors or [])]}
    out = {}
    for key, value in errors.items():
        key = "__all__" if key in ("non_field_errors", "detail") else key
        values = value if isinstance(value, (list, tuple)) else [value]
        out.setdefault(key, []).extend(str(v) for v in values)
    return out


@dataclasses.dataclass
class Field:
    name: str
    label: str
    widget: str  # textarea | number | date | checkbox | select | documents
    required: bool = False
    value: object = ""
    choices: list = dataclasses.field(default_factory=list)
    errors: list = dataclasses.field(default_factory=list)
    min_value: int | None = None


@dataclasses.dataclass
class MoveForm:
    """One move offered on the case page: its fields come from the move's payload serializer
    (cases.payloads), so the page asks for exactly what the service validates."""

    move: object
    reasons: list
    fields: list
    error: str = ""
    non_field_errors: list = dataclasses.field(default_factory=list)

    @property
    def allowed(self):
        return not self.reasons

    @property
    def name(self):
        return self.move.name

    @classmethod
    def build(cls, case, move, reasons, *, posted=None, error="", field_errors=None):
        field_errors = field_errors or {}
        serializer = (move.payload_class() or BasePayload)()
        fields = []
        for name, sfield in serializer.fields.items():
            field = _field_for(case, move, name, sfield)
            if field is None:
                continue
            if posted is not None:
                field.value = _posted_value(field, posted)
            field.errors = field_errors.get(name, [])
            fields.append(field)
        return cls(move=move, reasons=reasons, fields=fields, error=error,
                   non_field_errors=field_errors.get("__all__", []))

    def payload(self):
        """What the service receives: typed values only (an empty optional field is left out, so the
        serializer applies its default)."""
        data = {}
        for field in self.fields:
            if field.widget in ("checkbox", "documents") or field.name == "comment":
                data[field.name] = field.value
            elif field.value not in ("", None):
                data[field.name] = field.value
        return data


def _field_for(case, move, name, sfield):
    label = str(sfield.label or name)
    if isinstance(sfield, serializers.ListField):
        if name != "attachments":
            return None
        documents = sorted(selectors.case_documents(case), key=lambda d: d.uploaded_at, reverse=True)
        if not documents:
            return None
        return Field(name, _("附件（本案件已上传的材料）"), "documents", value=[],
                     choices=[(d.pk, f"{d.title}（{d.get_kind_display()}）") for d in documents])
    if isinstance(sfield, serializers.BooleanField):
        return Field(name, label, "checkbox", value=False)
    if isinstance(sfield, serializers.ChoiceField):
        return Field(name, label, "select", required=sfield.required,
                     choices=[(str(k), str(v)) for k, v in sfield.choices.items()])
    if isinstance(sfield, serializers.DateField):
        return Field(name, label, "date", required=sfield.required)
    if isinstance(sfield, serializers.IntegerField):
        return Field(name, label, "number", required=sfield.required, min_value=sfield.min_value)
    required = move.comment_required if name == "comment" else sfield.required
    return Field(name, label, "textarea", required=required)


def _posted_value(field, posted):
    if field.widget == "checkbox":
        return posted.get(field.name) in ("on", "true", "1")
    if field.widget == "documents":
        return [int(v) for v in posted.getlist(field.name) if v.isdigit()]
    return posted.get(field.name, "")
