from django import template

from ..models import DocumentKind
from ..printouts import PRINTOUTS

register = template.Library()



@register.simple_tag
def case_official_documents(case):
    """The case's official documents for its page (one query) and the printouts that apply to its state."""
    from django.utils.translation import gettext as _

    from ..selectors import documents_for_case

    documents = list(documents_for_case(case).select_related("replaces"))
    printouts = [("application-form", _("创建申请表"))]
    if case.evaluation_applied_at is not None:
        printouts += [("evaluation-application", _("评估申请表")), ("self-assessment-report", _("自评报告"))]
    return {"documents": documents, "printouts": [p for p in printouts if p[0] in PRINTOUTS],
            "kinds": dict(DocumentKind.choices)}
