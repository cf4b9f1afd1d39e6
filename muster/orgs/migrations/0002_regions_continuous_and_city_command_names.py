"""Existing databases: the military regions become continuous (no start date: they existed
before 1 July 2025 and go on after it), and the commands of Hà Nội (01) and Ho Chi Minh City
(79), in both editions, take their names (the Capital Command, the Ho Chi Minh City Command)
where they still carry the generated provincial name. Reversible: the reverse restores the
2025-07-01 start and the provincial names."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import migrations

REFORM_DAY = date(2025, 7, 1)
REGION_KINDS = ("military_region", "capital_command")
NAMES = {
    "01": ("Bộ Chỉ huy Quân sự thành phố Hà Nội", "Bộ Tư lệnh Thủ đô Hà Nội"),
    "79": ("Bộ Chỉ huy Quân sự thành phố Hồ Chí Minh", "Bộ Tư lệnh Thành phố Hồ Chí Minh"),
}


def _codes(province: str) -> list[str]:
    return [f"BCHQS-{province}", f"BCHQS-L-{province}"]


def forwards(apps: Any, schema_editor: Any) -> None:
    OrgUnit = apps.get_model("orgs", "OrgUnit")
    OrgUnit.objects.filter(kind__in=REGION_KINDS, valid_from=REFORM_DAY).update(valid_from=None)
    for province, (old, new) in NAMES.items():
        OrgUnit.objects.filter(code__in=_codes(province), name=old).update(name=new)


def backwards(apps: Any, schema_editor: Any) -> None:
    OrgUnit = apps.get_model("orgs", "OrgUnit")
    OrgUnit.objects.filter(kind__in=REGION_KINDS, valid_from=None).update(valid_from=REFORM_DAY)
    for province, (old, new) in NAMES.items():
        OrgUnit.objects.filter(code__in=_codes(province), name=new).update(name=old)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
