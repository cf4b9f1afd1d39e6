"""The people app's codes in words (see `core.labels`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from muster.core.labels import Table
from muster.people import rules
from muster.people.models import LifeStatus, Sex

LABELS: dict[str, Table] = {
    # Where a person's register fields came from: an extract's producer, the demo, a page.
    "person_source": {
        "popreg": _("National population database"),
        "manual": _("Entered by staff"),
        "demo": _("Demo data"),
    },
    # people.rules' data-quality codes of the personal ID.
    "id_warning": {
        rules.ID_SEX_MISMATCH: _(
            "The sex/century digit of the ID does not match the recorded sex and birth century."
        ),
        rules.ID_BIRTH_YEAR_MISMATCH: _(
            "The birth-year digits of the ID do not match the recorded birth year."
        ),
    },
    "sex": dict(Sex.choices),
    "life_status": dict(LifeStatus.choices),
}
