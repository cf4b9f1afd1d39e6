import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def _group(code: str) -> Group:
    """Any model will do (the lookup is registered on every field); Django's own keeps this
    test inside core."""
    return Group.objects.create(name=code)


def test_in_array_selects_the_listed_rows_on_every_database():
    a, b, _c = _group("01"), _group("02"), _group("03")
    found = Group.objects.filter(id__in_array=[a.id, b.id]).order_by("name")
    assert [u.name for u in found] == ["01", "02"]
    assert not Group.objects.filter(id__in_array=[]).exists()


def test_in_array_binds_one_array_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL-only form")
    with CaptureQueriesContext(connection) as ctx:
        list(Group.objects.filter(id__in_array=[1, 2, 3]))
    assert "= ANY(" in ctx.captured_queries[0]["sql"]
