import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from muster.geo.models import AdminUnit, Level

pytestmark = pytest.mark.django_db


def _unit(code: str) -> AdminUnit:
    return AdminUnit.objects.create(
        edition="2025",
        level=Level.PROVINCE,
        code=code,
        name=code,
        short_name=code,
        unit_type="Tỉnh",
        search_key=code,
    )


def test_in_array_selects_the_listed_rows_on_every_database():
    a, b, _c = _unit("01"), _unit("02"), _unit("03")
    found = AdminUnit.objects.filter(id__in_array=[a.id, b.id]).order_by("code")
    assert [u.code for u in found] == ["01", "02"]
    assert not AdminUnit.objects.filter(id__in_array=[]).exists()


def test_in_array_binds_one_array_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL-only form")
    with CaptureQueriesContext(connection) as ctx:
        list(AdminUnit.objects.filter(id__in_array=[1, 2, 3]))
    assert "= ANY(" in ctx.captured_queries[0]["sql"]
