"""Admin: import with preview and diff before anything is stored, export both formats, published is read-only."""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from indicators import io, services
from indicators.models import IndicatorSystem
from indicators.seeds import load_spec
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    services.load_seed_systems()
    user = UserFactory(username="root", role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_import_previews_with_diff_then_stores_on_confirmation(admin_client):
    spec = load_spec("2022")
    spec["code"] = "2022-rev"
    spec["groups"][0]["subgroups"][0]["indicators"][0]["name"] = "网上零售额增速"
    upload = SimpleUploadedFile("v.xlsx", io.write_xlsx(spec))
    page = admin_client.post("/admin/indicators/indicatorsystem/import/", {"file": upload,
                             "compare_with": IndicatorSystem.objects.get(code="2022").pk})
    html = page.content.decode()
    assert "网上零售额增速" in html and "指标 1" in html and "确认导入为草稿" in html
    assert not IndicatorSystem.objects.filter(code="2022-rev").exists()
    admin_client.post("/admin/indicators/indicatorsystem/import/", {"spec": json.dumps(spec, ensure_ascii=False)})
    assert IndicatorSystem.objects.get(code="2022-rev").status == "draft"


def test_bad_upload_shows_row_and_column(admin_client):
    upload = SimpleUploadedFile("v.json", b'{"code": "x"}')
    html = admin_client.post("/admin/indicators/indicatorsystem/import/", {"file": upload}).content.decode()
    assert "$.title：缺少" in html


def test_export_both_formats_and_published_is_read_only(admin_client):
    system = IndicatorSystem.objects.get(code="2022")
    assert admin_client.get(f"/admin/indicators/indicatorsystem/{system.pk}/export.xlsx").status_code == 200
    body = admin_client.get(f"/admin/indicators/indicatorsystem/{system.pk}/export.json").content
    assert json.loads(body)["code"] == "2022"
    page = admin_client.get(f"/admin/indicators/indicatorsystem/{system.pk}/change/").content.decode()
    assert 'name="title"' not in page  # read-only
    assert admin_client.get(f"/admin/indicators/indicatorsystem/{system.pk}/preview/").status_code == 200
