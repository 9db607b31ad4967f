"""People and the organisations they act for. A user's role and organisation decide what they may see and do
(DESIGN.md, People): an applicant acts for one creation object, a reviewer for one province."""
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    CREATION_OBJECT = "creation_object", _("创建对象")
    PROVINCE = "province", _("省级市场监管部门")
    SAMR = "samr", _("市场监管总局")
    ADMIN = "admin", _("系统管理")


class Role(models.TextChoices):
    APPLICANT = "applicant", _("创建对象经办人")
    PROVINCIAL_REVIEWER = "provincial_reviewer", _("省级审核人员")
    SAMR_OFFICER = "samr_officer", _("总局工作人员")
    SAMR_EXPERT = "samr_expert", _("评估专家")
    ADMIN = "admin", _("系统管理员")
    MEMBER_LIAISON = "member_liaison", _("成员单位联络员")


# Which role may belong to which kind of organisation; also enforced by a database constraint.
ROLES_BY_ORGANISATION = {
    OrganisationKind.CREATION_OBJECT: {Role.APPLICANT, Role.MEMBER_LIAISON},
    OrganisationKind.PROVINCE: {Role.PROVINCIAL_REVIEWER},
    OrganisationKind.SAMR: {Role.SAMR_OFFICER, Role.SAMR_EXPERT},
    OrganisationKind.ADMIN: {Role.ADMIN},
}


class Organisation(models.Model):
    """A creation object's government or bureau, a provincial bureau, SAMR, or the platform's administrators."""

    kind = models.CharField(_("类别"), max_length=24, choices=OrganisationKind.choices)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    province = models.ForeignKey("regions.Province", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="organisations", verbose_name=_("省级单位"))
    creation_object = models.OneToOneField("regions.CreationObject", null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="organisation", verbose_name=_("创建对象"))

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        constraints = [
            # A creation object's organisation names it; a province's names the province; SAMR and admin neither.
            models.CheckConstraint(
                name="organisation_scope_matches_kind",
                condition=(
                    Q(kind="creation_object", creation_object__isnull=False, province__isnull=True)
                    | Q(kind="province", province__isnull=False, creation_object__isnull=True)
                    | Q(kind__in=["samr", "admin"], province__isnull=True, creation_object__isnull=True)
                ),
            ),
            models.UniqueConstraint(fields=["province"], condition=Q(kind="province"), name="one_bureau_per_province"),
        ]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """Every user belongs to exactly one organisation and has one role there."""

    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="users", verbose_name=_("所属机构"))
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # A user without an organisation has no role (and so no access); with one, a role that fits it.
            models.CheckConstraint(
                name="user_role_needs_organisation",
                condition=Q(organisation__isnull=True, role="") | Q(organisation__isnull=False) & ~Q(role=""),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.organisation_id and self.role not in ROLES_BY_ORGANISATION[self.organisation.kind]:
            raise ValidationError({"role": _("该角色不属于所选机构类别。")})
