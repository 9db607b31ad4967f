"""Province-level authorities and the creation objects of 办法 第五条, with GB/T 2260 codes."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class EconomicRegion(models.TextChoices):
    """国家统计局's four economic regions; the scoring engine's region-dependent thresholds key on these."""

    EAST = "east", _("东部")
    CENTRAL = "central", _("中部")
    WEST = "west", _("西部")
    NORTHEAST = "northeast", _("东北")


class Province(models.Model):
    """A province-level market-regulation authority (省级市场监管部门); 新疆生产建设兵团 counts as one (办法 第三条)."""

    code = models.CharField(_("区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)
    economic_region = models.CharField(_("经济区域"), max_length=16, choices=EconomicRegion.choices)
    in_gb2260 = models.BooleanField(_("GB/T 2260 代码"), default=True, help_text=_("兵团 has no GB/T 2260 code."))

    class Meta:
        ordering = ["code"]
        verbose_name = _("省级单位")
        verbose_name_plural = _("省级单位")

    def __str__(self):
        return self.name


class CreationObjectKind(models.TextChoices):
    """办法 第五条: 副省级市、地级市、直辖市市辖区(县)人民政府 are the creation objects."""

    SUB_PROVINCIAL_CITY = "sub_provincial_city", _("副省级市")
    PREFECTURE_CITY = "prefecture_city", _("地级市")
    MUNICIPAL_DISTRICT = "municipal_district", _("直辖市市辖区")
    MUNICIPAL_COUNTY = "municipal_county", _("直辖市县")
    XPCC_CITY = "xpcc_city", _("兵团城市")


class CreationObject(models.Model):
    """A city, or a district or county of a 直辖市, that may apply to create a demonstration zone."""

    code = models.CharField(_("区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=32)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="creation_objects",
                                 verbose_name=_("所属省级单位"))
    kind = models.CharField(_("类别"), max_length=24, choices=CreationObjectKind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("创建对象")
        verbose_name_plural = _("创建对象")
        constraints = [models.UniqueConstraint(fields=["province", "name"], name="creation_object_name_per_province")]

    def __str__(self):
        return f"{self.province.name}{self.name}" if self.province.name != self.name else self.name

    @property
    def economic_region(self):
        return self.province.economic_region
