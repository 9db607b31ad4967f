from django import template

from ..models import DocumentKind
from ..printouts import PRINTOUTS

register = template.Library()



@register.simple_tag
def case_official_documents(case, user=None):
    """The case's official documents for its page (one query), which of them ``user`` may correct, and the
    printouts that apply to its state."""
    from django.utils.translation import gettext as _

    from ..selectors import documents_for_case
    from ..services import may_correct

    documents = list(documents_for_case(case, user).select_related("replaces", "issuer"))
    for document in documents:
        document.correctable = user is not None and may_correct(user, document)
    printouts = [("application-form", _("创建申请表"))]
    if case.evaluation_applied_at is not None:
        printouts += [("evaluation-application", _("评估申请表")), ("self-assessment-report", _("自评报告"))]
    return {"documents": documents, "printouts": [p for p in printouts if p[0] in PRINTOUTS],
            "kinds": dict(DocumentKind.choices)}
