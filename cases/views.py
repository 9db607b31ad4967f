"""Browser pages for cases. Thin: reads through selectors, the same scope as the API."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from . import selectors, services
from .workflow import State


def home(request):
    """Anyone: what the platform is, and the way in."""
    return render(request, "home.html", {"states": State.choices})


@login_required
def case_list(request):
    """Signed-in users: the cases in their scope."""
    cases = selectors.case_list(request.user, state=request.GET.get("state") or None,
                                province=request.GET.get("province") or None)
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    return render(request, "cases/list.html", {"page": page, "states": State.choices,
                                               "current_state": request.GET.get("state", "")})


@login_required
def case_detail(request, case_id):
    """Signed-in users in the case's scope: the case, its materials, its moves and its history."""
    case = selectors.case_list(request.user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return render(request, "cases/detail.html", {
        "case": case, "history": selectors.history(case), "moves": services.available_moves(case, request.user),
        "documents": case.documents.all(),
    })
