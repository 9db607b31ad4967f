"""What each move takes besides the case: DRF serializers, validated before any guard runs (400 when wrong)."""
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from demozone.fields import BoundedDateField
from designation.models import Ground


class BasePayload(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="",
                                    label=_("意见或理由"))
    attachments = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                        label=_("附件（材料编号）"))

    def validate_attachments(self, ids):
        case = self.context["case"]
        documents = list(case.documents.filter(pk__in=ids))
        if len(documents) != len(set(ids)):
            raise serializers.ValidationError(_("附件须为本案件已上传的材料。"))
        return documents


class RecommendPayload(BasePayload):
    rank = serializers.IntegerField(required=False, min_value=1, max_value=999, label=_("推荐排序"))

    def validate(self, data):
        from applications.models import PreliminaryReview

        case = self.context["case"]
        rank = data.get("rank")
        if case.rule_set.province_ranks and rank is None:
            # 办法 第八条: 择优推荐 — the province ranks the cases it recommends.
            raise serializers.ValidationError({"rank": _("现行办法要求省级择优推荐，请填写推荐排序。")})
        if rank is not None and case.call_id and PreliminaryReview.objects.filter(
                outcome="recommend", rank=rank, province=case.creation_object.province, call=case.call,
        ).exclude(case=case).exists():
            # 办法 第八条: whatever became of the case that holds it (the recorder re-checks under a lock).
            raise serializers.ValidationError({"rank": _("排序 %(rank)s 已用于本省本轮其他推荐。") % {"rank": rank}})
        return data


class ApproveCreationPayload(BasePayload):
    """办法 第九条: 创建活动周期一般不超过3年 (试行办法 第八条: 2年) — SAMR may set a shorter period, never a longer one."""

    creation_start = BoundedDateField(required=False, label=_("创建期开始日"))
    creation_end = BoundedDateField(required=False, label=_("创建期届满日"))

    def validate(self, data):
        from cases.deadlines import period_end

        case = self.context["case"]
        start = data.setdefault("creation_start", timezone.localdate())
        if start < timezone.localdate():
            raise serializers.ValidationError({"creation_start": _("创建期开始日不能早于今天。")})
        longest = period_end(start, case.rule_set.max_creation_years)
        end = data.setdefault("creation_end", longest)
        if end <= start:
            raise serializers.ValidationError({"creation_end": _("创建期届满日须晚于开始日。")})
        if end > longest:
            raise serializers.ValidationError({"creation_end": _("创建期不得超过%(years)s年（最晚 %(day)s）。")
                                               % {"years": case.rule_set.max_creation_years, "day": longest}})
        return data


class PreReviewPayload(BasePayload):
    documents_checked = serializers.BooleanField(default=False, label=_("资料审查"))
    data_compared = serializers.BooleanField(default=False, label=_("数据比对"))
    site_checked = serializers.BooleanField(default=False, label=_("实地核查"))

    def validate(self, data):
        if self.context["move"].name == "forward_evaluation" and not data["documents_checked"]:
            raise serializers.ValidationError({"documents_checked": _("报送总局前须完成资料审查（办法 第十三条）。")})
        return data


class PublishNoticePayload(BasePayload):
    first_day = BoundedDateField(required=False, label=_("公示开始日"))
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000, label=_("公示内容"))
    # The list this city's entry belongs to is not a payload field: publicity.services.publish_notice_list passes
    # it to perform_transition(listed_in=…); a notice published from the case alone is a one-city list.

    def validate_first_day(self, day):
        if day < timezone.localdate():
            raise serializers.ValidationError(_("公示开始日不能早于今天。"))
        return day


class SanctionPayload(BasePayload):
    ground = serializers.ChoiceField(choices=Ground.choices, label=_("情形（第二十二条）"))
    visits = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list,
                                   max_length=50, label=_("所依据的督促指导（情形（三））"))

    def validate(self, data):
        # 办法 / 试行办法 第二十二条: a zone keeps the grounds, in their words, of the measures it was designated under.
        words = self.context["case"].rule_set.sanction_grounds.get(data["ground"])
        if not words:
            raise serializers.ValidationError({"ground": _("%(rules)s 第二十二条没有该情形。")
                                               % {"rules": self.context["case"].rule_set.title}})
        data["ground_text"] = words  # kept in the sanction and quoted in the audit trail
        # 第二十二条（三） 检查指导中发现…: the decision may name the supervision visits it relies on (the case's own).
        visits = list(dict.fromkeys(data.get("visits") or []))
        if visits and data["ground"] != Ground.DECLINE:
            raise serializers.ValidationError({"visits": _("只有第二十二条（三）的情形可以引用督促指导记录。")})
        if visits:
            from creation.models import SupervisionVisit

            found = set(SupervisionVisit.objects.filter(case=self.context["case"], pk__in=visits)
                        .values_list("pk", flat=True))
            if missing := [v for v in visits if v not in found]:
                raise serializers.ValidationError({"visits": _("本案件没有督促指导记录 %(ids)s。")
                                                   % {"ids": ", ".join(map(str, missing))}})
        data["visits"] = visits
        return data


class EvaluationApplicationPayload(BasePayload):
    """办法 第十二条、第十七条: an evaluation application belongs to a round SAMR has opened (评估批次), taken on its
    days; a re-evaluation to the next round, not the one the case failed in. The 2022 trial measures have none."""

    round = serializers.IntegerField(required=False, min_value=1, label=_("评估批次"))

    def validate(self, data):
        from evaluation.models import Round
        from evaluation.services import re_evaluation_round

        case, move = self.context["case"], self.context["move"]
        if not case.rule_set.evaluation_rounds:
            data.pop("round", None)
            return data
        if move.name == "resubmit_evaluation":  # a corrected application stays in its round
            data["round"] = case.evaluation_round
            return data
        if data.get("round") is None:
            raise serializers.ValidationError({"round": _("请选择评估批次（%(article)s）。")
                                               % {"article": case.rule_set.article(move.name)}})
        round_ = Round.objects.filter(pk=data["round"]).first()
        if round_ is None:
            raise serializers.ValidationError({"round": _("没有该评估批次。")})
        today = timezone.localdate()
        if not round_.is_open_on(today):
            raise serializers.ValidationError({"round": _("评估批次“%(round)s”的受理期为 %(first)s 至 %(last)s。")
                                               % {"round": round_.title, "first": round_.opens_on,
                                                  "last": round_.closes_on}})
        if move.name == "apply_for_re_evaluation" and case.evaluation_round_id:
            previous = case.evaluation_round
            expected = re_evaluation_round(case)
            if round_.pk == previous.pk:
                raise serializers.ValidationError({"round": _(
                    "办法 第十七条：未通过评估的，须在下一次评估认定时再次申请，不能在同一批次（%(round)s）。")
                    % {"round": previous.title}})
            if expected is not None and round_.pk != expected.pk:
                raise serializers.ValidationError({"round": _(
                    "办法 第十七条：再次申请须在未通过后的下一批次“%(round)s”（%(first)s 至 %(last)s）提出。")
                    % {"round": expected.title, "first": expected.opens_on, "last": expected.closes_on}})
        data["round"] = round_
        return data


class DesignatePayload(BasePayload):
    """The numbered announcement that publishes this city is not a payload field: designation.services
    .publish_announcement passes it to perform_transition(listed_in=…); a designation made from the case alone
    gets a one-city announcement."""
