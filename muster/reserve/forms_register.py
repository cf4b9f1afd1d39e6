"""Forms of the reserve register pages. They parse input; the actions decide, and their field
errors come back beside the field they name, in the reader's language (`core.wording`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from muster.core.forms import ActionForm, date_field
from muster.core.labels import label
from muster.reserve import rules
from muster.reserve.specialties import RANKS, SPECIALTIES


def basis_choices() -> list[tuple[str, str]]:
    """The bases in words, each Art. 24 point led by its point ("1(a) — …"): codes stay in
    the values, people read words (tests/test_no_raw_codes.py)."""
    points = [
        (code, f"{b.point} — {label('reserve_basis', code)}") for code, b in rules.BASES.items()
    ]
    others = [
        (code, label("reserve_basis", code)) for code in (*rules.UNCATEGORISED, rules.OFFICER_BASIS)
    ]
    return points + others


def rank_choices() -> list[tuple[str, str]]:
    language = get_language() or "vi"
    return [("", "—"), *((code, rank.name(language)) for code, rank in RANKS.items())]


def specialty_choices() -> list[tuple[str, str]]:
    language = get_language() or "vi"
    return [("", "—"), *((code, s.name(language)) for code, s in SPECIALTIES.items())]


class EntryForm(ActionForm):
    personal_id = forms.CharField(label=_("Personal ID number"), max_length=12)
    basis = forms.ChoiceField(label=_("Basis (MSL Art. 24)"))
    entered_on = date_field(_("In the reserve since"))
    rank = forms.ChoiceField(label=_("Rank"), required=False)
    specialty = forms.ChoiceField(label=_("Military specialty"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["basis"].choices = basis_choices()  # type: ignore[attr-defined]
        self.fields["rank"].choices = rank_choices()  # type: ignore[attr-defined]
        self.fields["specialty"].choices = specialty_choices()  # type: ignore[attr-defined]


class CategoryForm(ActionForm):
    training_from = date_field(_("Training from"))
    training_to = date_field(_("Training to"))


class RankForm(ActionForm):
    rank = forms.ChoiceField(label=_("Rank"), required=False)
    specialty = forms.ChoiceField(label=_("Military specialty"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rank"].choices = rank_choices()  # type: ignore[attr-defined]
        self.fields["specialty"].choices = specialty_choices()  # type: ignore[attr-defined]


class DayForm(ActionForm):
    """One day: found unfit on, reported on."""

    day = date_field(_("Date"))


class RemovalForm(ActionForm):
    decided_on = date_field(_("Decided on"))
    ref = forms.CharField(label=_("Decision number"), max_length=60, required=False)


class ActivityForm(ActionForm):
    kind = forms.ChoiceField(label=_("Kind"))
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = date_field(_("From"))
    ends_on = date_field(_("To"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [(c, label("reserve_activity_kind", c)) for c in rules.ACTIVITY_KINDS]
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]


class AttendanceForm(ActionForm):
    personal_id = forms.CharField(max_length=12, widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Attendance"))
    excuse_code = forms.ChoiceField(label=_("Excuse"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        statuses = [(c, label("reserve_attendance", c)) for c in ("attended", "excused", "absent")]
        self.fields["status"].choices = statuses  # type: ignore[attr-defined]
        excuses = [("", "—"), *((c, label("reserve_excuse", c)) for c in rules.EXCUSES)]
        self.fields["excuse_code"].choices = excuses  # type: ignore[attr-defined]
