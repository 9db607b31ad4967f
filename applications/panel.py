"""The applicant's panel on the case page: what the application or the evaluation application still needs
(named as the guards name it, cases.guards), the reasons of a return (from the audit trail) and the form to
upload a material. Presentation only; the writers are documents.services and cases.services."""
import dataclasses

from accounts.models import Role
from cases.workflow import TERMINAL_STATES, State
from documents.models import Document

K = Document.Kind
APPLICATION_STATES = (State.DRAFT, State.RETURNED)
EVALUATION_STATES = (State.CREATING, State.AWAITING_RE_EVALUATION, State.EVALUATION_RETURNED)
# 办法 第七条: 申请表、创建方案和相关材料; 办法 第十二条: 评估申请表、自评报告和相关材料.
APPLICATION_KINDS = (K.APPLICATION_FORM, K.CREATION_PLAN, K.SUPPORTING)
EVALUATION_KINDS = (K.EVALUATION_APPLICATION, K.SELF_ASSESSMENT_REPORT, K.SUPPORTING)
# The kinds the submit guards check (cases.guards.application_complete, evaluation_materials_complete).
REQUIRED = {K.CREATION_PLAN, K.EVALUATION_APPLICATION, K.SELF_ASSESSMENT_REPORT}
RETURN_MOVES = {State.RETURNED: "return_for_correction", State.EVALUATION_RETURNED: "return_evaluation"}


def kinds_for(case):
    if case.state in APPLICATION_STATES:
        return APPLICATION_KINDS
    if case.state in EVALUATION_STATES:
        return EVALUATION_KINDS
    if case.state in TERMINAL_STATES:
        return ()
    return (K.SUPPORTING, K.OTHER)


@dataclasses.dataclass
class KindStatus:
    kind: str
    label: str
    required: bool
    count: int
    formats: str

    @property
    def missing(self):
        return self.required and self.count == 0


@dataclasses.dataclass
class ApplicantPanel:
    case: object
    kinds: list
    blocked_by: str
    return_entry: object
    form_versions: int
    upload_form: object
    pending: object
    upload_error: str

    @property
    def application_stage(self):
        return self.case.state in APPLICATION_STATES

    @property
    def evaluation_stage(self):
        return self.case.state in EVALUATION_STATES


def kind_statuses(case, kinds):
    """Per kind: how many are on the case (after a failed evaluation only the new ones count, 办法 第十七条)."""
    from documents.forms import accepted_formats

    documents = case.documents.filter(kind__in=kinds)
    if case.state in EVALUATION_STATES and case.evaluation_failed_at is not None:
        documents = documents.exclude(kind__in=[K.EVALUATION_APPLICATION, K.SELF_ASSESSMENT_REPORT],
                                      uploaded_at__lte=case.evaluation_failed_at)
    counts = {}
    for kind in documents.values_list("kind", flat=True):
        counts[kind] = counts.get(kind, 0) + 1
    return [KindStatus(k, K(k).label, k in REQUIRED, counts.get(k, 0), accepted_formats(k)) for k in kinds]


def return_entry(case):
    """The province's latest return with its reasons (the audit trail keeps them), while the case is returned."""
    name = RETURN_MOVES.get(case.state)
    if name is None:
        return None
    return case.audit_entries.filter(name=name).order_by("-sequence").first()


def applicant_panel(case, user, *, upload_form=None, pending=None, upload_error=""):
    """The panel for the case's applicant, or None for anyone else and for closed cases."""
    from cases import guards
    from documents.forms import MaterialForm

    if getattr(user, "role", None) != Role.APPLICANT or case.state in TERMINAL_STATES:
        return None
    kinds = kinds_for(case)
    blocked = ""
    if case.state in APPLICATION_STATES:
        blocked = guards.application_complete.reason(case) or ""
    elif case.state in EVALUATION_STATES:
        blocked = guards.evaluation_materials_complete.reason(case) or ""
    if upload_form is None and kinds:
        upload_form = MaterialForm(kinds=kinds)
    return ApplicantPanel(case=case, kinds=kind_statuses(case, kinds), blocked_by=str(blocked),
                          return_entry=return_entry(case), form_versions=case.application_forms.count(),
                          upload_form=upload_form, pending=pending, upload_error=upload_error)
