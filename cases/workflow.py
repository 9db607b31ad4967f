"""The legal order of a creation case: its states and the one table of moves between them.

Each move is declared once, here, with who may make it, the conditions it checks (cases.guards), what the
caller must send (cases.payloads), the stage record it writes and the article it enforces — the article's
exact wording per rule set is data (fixtures/rulesets.json). Nothing else lives here: the moves only set
the case's own fields; services (cases.services) run them in a transaction, write the audit entry and notify.

Articles: 办法 = the current measures (seeds/001); 试行办法 = the 2022 trial measures (seeds/000).
"""
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy
from django_fsm import GET_STATE, ConcurrentTransitionMixin, FSMField, transition

from accounts.models import Role

from . import guards

SYSTEM = "system"  # the periodic sweeps (lapse, notice expiry) act as this role


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待省级初审")
    RETURNED = "returned", _("退回补正")
    RECOMMENDED = "recommended", _("已推荐，待总局审核")
    NOT_RECOMMENDED = "not_recommended", _("未获推荐")
    NOT_APPROVED = "not_approved", _("未同意创建")
    CREATING = "creating", _("创建中")
    EVALUATION_APPLIED = "evaluation_applied", _("评估申请待省级初审")
    EVALUATION_RETURNED = "evaluation_returned", _("评估申请退回补正")
    UNDER_EVALUATION = "under_evaluation", _("总局评估中")
    AWAITING_RE_EVALUATION = "awaiting_re_evaluation", _("未通过评估，可再次申请评估")
    EVALUATION_FAILED = "evaluation_failed", _("未通过评估（终结）")
    EVALUATION_PASSED = "evaluation_passed", _("评估合格，待公示")
    IN_PUBLICITY = "in_publicity", _("公示中")
    AWAITING_DESIGNATION = "awaiting_designation", _("公示期满，待认定")
    DESIGNATED = "designated", _("已认定为示范区")
    NOT_DESIGNATED = "not_designated", _("未予认定")
    REVOKED = "revoked", _("已取消示范区资格")
    WITHDRAWN = "withdrawn", _("已撤回")
    LAPSED = "lapsed", _("创建期满未申请评估")


TERMINAL_STATES = {
    State.NOT_RECOMMENDED, State.NOT_APPROVED, State.EVALUATION_FAILED, State.NOT_DESIGNATED,
    State.REVOKED, State.WITHDRAWN, State.LAPSED,
}
# In declaration order, so the database constraint built from it is the same in every process.
TERMINAL_STATE_VALUES = [s.value for s in State if s in TERMINAL_STATES]
# The applicant may withdraw (自愿申报, 办法 第四条) at any point before the evaluation reaches SAMR.
WITHDRAWABLE = [
    State.DRAFT, State.SUBMITTED, State.RETURNED, State.RECOMMENDED, State.CREATING,
    State.EVALUATION_APPLIED, State.EVALUATION_RETURNED, State.AWAITING_RE_EVALUATION,
]


def _permission(allowed):
    """A django-fsm permission: the acting user's role is one of ``allowed``."""
    allowed = frozenset(allowed)
    return lambda case, user: getattr(user, "role", None) in allowed


def step(source, target, label, *, roles, guards=(), payload=None, record=None, comment_required=False, notify=(),
         binds_rule_set=False):
    """Declare one move. ``custom`` carries everything the service, the API and the tests read:
    label, roles, guards (cases.guards), payload serializer, stage recorder, whether a reason is required,
    and which roles hear of it."""
    return transition(
        field="state", source=source, target=target, permission=_permission(roles),
        conditions=list(guards),
        custom=dict(label=label, roles=frozenset(roles), guards=tuple(guards), payload=payload, record=record,
                    comment_required=comment_required, notify=tuple(notify), binds_rule_set=binds_rule_set),
    )


APPLICANT, PROVINCE, SAMR = Role.APPLICANT, Role.PROVINCIAL_REVIEWER, Role.SAMR_OFFICER


def _after_failed_evaluation(case, ctx=None):
    # 办法 第十七条: one more evaluation at the next round; a second failure ends the case (the city may apply
    # for creation anew). The 2022 trial measures provide no re-evaluation.
    # The move has already counted this failure when the target is chosen.
    if case.evaluation_failures <= case.rule_set.re_evaluations_allowed:
        return State.AWAITING_RE_EVALUATION
    return State.EVALUATION_FAILED


class CaseWorkflow(ConcurrentTransitionMixin, models.Model):
    """The state and the moves. ConcurrentTransitionMixin makes a save fail if the state changed underneath."""

    state = FSMField(_("状态"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True)

    class Meta:
        abstract = True

    # ── 1. 申请创建 ──────────────────────────────────────────────────────────────────────────────
    @step(State.DRAFT, State.SUBMITTED, _("提交创建申请"), roles=[APPLICANT],
          guards=[guards.application_complete, guards.within_application_deadline],
          notify=[PROVINCE], binds_rule_set=True)
    def submit(self, ctx):
        """办法 第七条 / 试行办法 第七条: 申请表、创建方案和相关材料报所在地省级市场监管部门. The case is bound to the
        measures in force on the day it is submitted (the service binds it before the guards run)."""
        self.submitted_at = ctx.now

    @step(State.RETURNED, State.SUBMITTED, _("补正后重新提交"), roles=[APPLICANT],
          guards=[guards.application_complete, guards.within_correction_deadline],
          notify=[PROVINCE])
    def resubmit(self, ctx):
        self.submitted_at = ctx.now

    @step(WITHDRAWABLE, State.WITHDRAWN, _("撤回"), roles=[APPLICANT], comment_required=True, notify=[PROVINCE, SAMR])
    def withdraw(self, ctx):
        """办法 第四条: 自愿申报、自主创建 — the applicant may stop at any point before SAMR evaluates."""

    # ── 2. 省级初审 ──────────────────────────────────────────────────────────────────────────────
    @step(State.SUBMITTED, State.RETURNED, pgettext_lazy("move", "退回补正"), roles=[PROVINCE], comment_required=True,
          record="applications.services.record_preliminary_review", notify=[APPLICANT])
    def return_for_correction(self, ctx):
        """办法 第八条: the province checks the materials' 真实性、有效性、完整性."""

    @step(State.SUBMITTED, State.RECOMMENDED, _("推荐报送总局"), roles=[PROVINCE], guards=[guards.within_province_review_deadline],
          payload="cases.payloads.RecommendPayload",
          record="applications.services.record_preliminary_review", notify=[APPLICANT, SAMR])
    def recommend(self, ctx):
        """办法 第八条: 择优推荐 (ranked); 试行办法 第七条: 1个月内初审, 6月底前报送."""

    @step(State.SUBMITTED, State.NOT_RECOMMENDED, _("不予推荐"), roles=[PROVINCE], comment_required=True,
          record="applications.services.record_preliminary_review", notify=[APPLICANT])
    def decline_recommendation(self, ctx):
        """办法 第八条 / 试行办法 第七条 (不符合第六条条件)."""

    # ── 3. 总局审核 ──────────────────────────────────────────────────────────────────────────────
    @step(State.RECOMMENDED, State.CREATING, _("同意创建"), roles=[SAMR], payload="cases.payloads.ApproveCreationPayload",
          record="applications.services.record_creation_decision", notify=[APPLICANT, PROVINCE])
    def approve_creation(self, ctx):
        """办法 第九条: 创建活动周期一般不超过3年 (试行办法 第八条: 2年) — the period is the rule set's."""
        self.creation_start = ctx.payload["creation_start"]
        self.creation_end = ctx.payload["creation_end"]

    @step(State.RECOMMENDED, State.NOT_APPROVED, _("不同意创建"), roles=[SAMR], comment_required=True,
          record="applications.services.record_creation_decision", notify=[APPLICANT, PROVINCE])
    def reject_creation(self, ctx):
        """办法 第九条."""

    # ── 4–5. 开展创建, 自评与评估申请 ───────────────────────────────────────────────────────────────
    @step(State.CREATING, State.EVALUATION_APPLIED, _("提交评估申请"), roles=[APPLICANT],
          guards=[guards.self_assessment_window_open, guards.evaluation_materials_complete],
          payload="cases.payloads.EvaluationApplicationPayload", notify=[PROVINCE])
    def apply_for_evaluation(self, ctx):
        """办法 第十二条: 创建期满后自评, 自评合格的报省 — in a round SAMR has opened; 试行办法 第十条: 条件成熟的,
        创建期内自评."""
        self.evaluation_applied_at = ctx.now
        if ctx.payload.get("round") is not None:
            self.evaluation_round = ctx.payload["round"]

    @step(State.AWAITING_RE_EVALUATION, State.EVALUATION_APPLIED, _("再次提交评估申请"), roles=[APPLICANT],
          guards=[guards.re_evaluation_available, guards.evaluation_materials_complete],
          payload="cases.payloads.EvaluationApplicationPayload", notify=[PROVINCE])
    def apply_for_re_evaluation(self, ctx):
        """办法 第十七条: 可在下一次示范区评估认定时再次提交评估申请 — the next round, with a new self-assessment and
        new materials."""
        self.evaluation_applied_at = ctx.now
        if ctx.payload.get("round") is not None:
            self.evaluation_round = ctx.payload["round"]

    @step(State.EVALUATION_RETURNED, State.EVALUATION_APPLIED, _("补正后重新提交评估申请"), roles=[APPLICANT],
          guards=[guards.evaluation_materials_complete], payload="cases.payloads.EvaluationApplicationPayload",
          notify=[PROVINCE])
    def resubmit_evaluation(self, ctx):
        self.evaluation_applied_at = ctx.now

    # ── 6. 评估初审 ──────────────────────────────────────────────────────────────────────────────
    @step(State.EVALUATION_APPLIED, State.EVALUATION_RETURNED, _("评估初审退回"), roles=[PROVINCE], comment_required=True,
          payload="cases.payloads.PreReviewPayload",
          record="evaluation.services.record_pre_review", notify=[APPLICANT])
    def return_evaluation(self, ctx):
        """办法 第十三条: only 材料齐全、初审合格 applications go on; the rest come back with reasons."""

    @step(State.EVALUATION_APPLIED, State.UNDER_EVALUATION, _("评估初审合格，报送总局"), roles=[PROVINCE],
          guards=[guards.evaluation_materials_complete],
          payload="cases.payloads.PreReviewPayload",
          record="evaluation.services.record_pre_review", notify=[APPLICANT, SAMR])
    def forward_evaluation(self, ctx):
        """办法 第十三条: 资料审查、数据比对、实地核查; 材料齐全、初审合格的报总局."""

    # ── 7. 总局评估 ──────────────────────────────────────────────────────────────────────────────
    @step(State.UNDER_EVALUATION, State.EVALUATION_PASSED, _("评估合格"), roles=[SAMR], guards=[guards.evaluation_result_passed],
          notify=[APPLICANT, PROVINCE])
    def pass_evaluation(self, ctx):
        """办法 第十四条: 形成评估结果 — the recorded result must be a pass."""

    @step(State.UNDER_EVALUATION,
          GET_STATE(_after_failed_evaluation, states=[State.AWAITING_RE_EVALUATION, State.EVALUATION_FAILED]),
          _("评估未通过"), roles=[SAMR], guards=[guards.evaluation_result_failed], notify=[APPLICANT, PROVINCE])
    def fail_evaluation(self, ctx):
        """办法 第十四条、第十七条."""
        self.evaluation_failures += 1
        self.evaluation_failed_at = ctx.now

    @step(State.AWAITING_RE_EVALUATION, State.EVALUATION_FAILED, _("下一批次未再次申请，终结"), roles=[SAMR],
          comment_required=True, guards=[guards.next_round_passed], notify=[APPLICANT, PROVINCE])
    def forgo_re_evaluation(self, ctx):
        """办法 第十七条: the one more evaluation is "在下一次示范区评估认定时" — once that round has closed without
        an application, SAMR ends the case (the city may apply for creation anew)."""

    # ── 8. 公示 ─────────────────────────────────────────────────────────────────────────────────
    @step(State.EVALUATION_PASSED, State.IN_PUBLICITY, _("发布公示"), roles=[SAMR], payload="cases.payloads.PublishNoticePayload",
          record="publicity.services.record_notice", notify=[APPLICANT, PROVINCE])
    def publish_notice(self, ctx):
        """办法 第十五条: 为期15天的公示, 接受社会监督."""

    @step(State.IN_PUBLICITY, State.AWAITING_DESIGNATION, _("公示期满"), roles=[SAMR, SYSTEM],
          guards=[guards.notice_period_over, guards.objections_all_decided],
          record="publicity.services.record_notice_closed", notify=[SAMR])
    def close_notice(self, ctx):
        """办法 第十六条: 公示期满 — and every objection verified before SAMR decides."""

    # ── 9. 认定 ─────────────────────────────────────────────────────────────────────────────────
    @step(State.AWAITING_DESIGNATION, State.DESIGNATED, _("认定为示范区"), roles=[SAMR], guards=[guards.no_upheld_objection],
          payload="cases.payloads.DesignatePayload",
          record="designation.services.record_designation", notify=[APPLICANT, PROVINCE])
    def designate(self, ctx):
        """办法 第十六条: 社会无异议或者经核实异议不成立的, 经总局批准, 认定并向社会公布."""
        self.designated_on = ctx.today

    @step(State.AWAITING_DESIGNATION, State.NOT_DESIGNATED, _("不予认定"), roles=[SAMR], comment_required=True,
          record="designation.services.record_designation", notify=[APPLICANT, PROVINCE])
    def refuse_designation(self, ctx):
        """办法 第十六条 (an objection verified as well-founded)."""

    # ── 10. 动态管理 ────────────────────────────────────────────────────────────────────────────
    @step(State.DESIGNATED, State.DESIGNATED, _("约谈"), roles=[SAMR], comment_required=True,
          payload="cases.payloads.SanctionPayload",
          record="designation.services.record_sanction", notify=[APPLICANT, PROVINCE])
    def interview(self, ctx):
        """办法 第二十二条: 根据情节轻重予以约谈 — on one of the three grounds."""

    @step(State.DESIGNATED, State.DESIGNATED, _("警示"), roles=[SAMR], comment_required=True,
          payload="cases.payloads.SanctionPayload",
          record="designation.services.record_sanction", notify=[APPLICANT, PROVINCE])
    def warn(self, ctx):
        """办法 第二十二条: 警示."""

    @step(State.DESIGNATED, State.REVOKED, _("取消示范区资格"), roles=[SAMR], comment_required=True,
          payload="cases.payloads.SanctionPayload",
          record="designation.services.record_sanction", notify=[APPLICANT, PROVINCE])
    def revoke(self, ctx):
        """办法 第二十二条: 直至取消其示范区资格."""

    # ── side exit: the creation period ran out ──────────────────────────────────────────────────
    @step(State.CREATING, State.LAPSED, _("创建期满未申请评估，终止"), roles=[SAMR], comment_required=True,
          guards=[guards.evaluation_window_closed], notify=[APPLICANT, PROVINCE])
    def lapse(self, ctx):
        """办法 第九条、第十二条: the period ended and no evaluation application came within the rule set's window.
        A decision, not a side effect: the sweep only puts the case in SAMR's queue with the facts
        (deadlines.services.flag_lapses_due); SAMR confirms the termination here, with its reasons, or extends."""
