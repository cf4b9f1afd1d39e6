from __future__ import annotations

import pytest
from django.utils import translation

from muster.core.errors import InvalidInput
from muster.restructure.models import PlanStep
from muster.restructure.plans import VN_2025, builtin_plan_build, csv_plan_load
from muster.restructure.tests.support import build_small

pytestmark = pytest.mark.django_db

HEADER = "effective_on,unit_type,kind,old_code,new_code,is_default\n"


def _errors(text: str) -> list[tuple[str, str]]:
    """(field, the English wording) of each error the text's rows raise."""
    with pytest.raises(InvalidInput) as caught:
        csv_plan_load(key="next", text=HEADER + text)
    with translation.override("en"):
        return [(e.field, e.message) for e in caught.value.errors]


def test_builtin_plan_has_admin_and_org_steps():
    build_small()
    plan = builtin_plan_build()
    assert plan.key == VN_2025
    steps = set(plan.steps.values_list("unit_type", "kind", "old_code", "new_code", "is_default"))
    assert ("admin", "rename", "90001", "91001", True) in steps
    assert ("admin", "merge", "90002", "91002", True) in steps
    assert ("admin", "split", "90004", "91003", False) in steps
    assert ("admin", "abolish", "901", "", True) in steps
    assert ("org", "merge", "BCHQS-H-901", "PTKV-91-1", True) in steps
    assert ("org", "merge", "BCHQS-L-90", "BCHQS-91", True) in steps
    # Rebuilding replaces, never duplicates.
    assert builtin_plan_build().steps.count() == len(steps) == PlanStep.objects.count()


def test_csv_valid_plan_loads():
    build_small()
    plan = csv_plan_load(key="next", text=HEADER + "2026-01-01,admin,merge,91003,91002,1\n")
    assert plan.steps.get().line == 2


def test_csv_unknown_code():
    build_small()
    assert _errors("2026-01-01,admin,merge,99999,91002,1\n") == [
        ("line 2", "old_code 99999 is not a known unit.")
    ]


def test_csv_cycle():
    build_small()
    errors = _errors("2026-01-01,admin,merge,91001,91002,1\n2026-01-01,admin,merge,91002,91001,1\n")
    assert errors
    assert errors[0][0] == "line 2"
    assert "cycle" in errors[0][1]
    assert "2, 3" in errors[0][1]


def test_csv_succeeded_twice_on_one_date():
    build_small()
    errors = _errors("2026-01-01,admin,merge,91003,91002,1\n2026-01-01,admin,merge,91003,91001,1\n")
    assert errors == [("line 3", "91003 is already succeeded on 01/01/2026 (line 2).")]


def test_csv_split_rows_may_share_a_unit_but_need_one_default():
    build_small()
    plan = csv_plan_load(
        key="next",
        text=HEADER
        + "2026-01-01,admin,split,91003,91002,1\n2026-01-01,admin,split,91003,91001,0\n",
    )
    assert plan.steps.count() == 2
    errors = _errors("2026-01-01,admin,split,91003,91002,0\n2026-01-01,admin,split,91003,91001,0\n")
    assert errors == [("line 2", "The split of 91003 needs exactly one default successor.")]


def test_csv_date_before_the_unit_existed():
    build_small()
    assert _errors("2025-03-01,admin,merge,91003,91002,1\n")[0] == (
        "line 2",
        "old_code 91003 exists only from 01/07/2025, after 28/02/2025.",
    )


def test_csv_bad_shapes():
    build_small()
    assert _errors("soon,admin,merge,91003,91002,1\n") == [
        ("line 2", "effective_on “soon” is not a date (YYYY-MM-DD).")
    ]
    assert (
        "line 2",
        "kind “swap” is not one of rename, reparent, merge, split, create, abolish.",
    ) in _errors("2026-01-01,admin,swap,91003,91002,1\n")
    with pytest.raises(InvalidInput) as caught:
        csv_plan_load(key="next", text="effective_on,kind\n")
    assert caught.value.errors[0].field == "line 1"
