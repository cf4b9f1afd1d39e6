from __future__ import annotations

from pathlib import Path

import polib

PO = Path(__file__).resolve().parents[2] / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_vietnamese_catalogue_is_complete() -> None:
    catalogue = polib.pofile(str(PO))
    assert len(catalogue) > 100
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert catalogue.percent_translated() == 100


def test_compiled_catalogue_is_present_and_current() -> None:
    mo = PO.with_suffix(".mo")
    assert mo.exists()
    compiled = {e.msgid for e in polib.mofile(str(mo))}
    source = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}
    assert source <= compiled
