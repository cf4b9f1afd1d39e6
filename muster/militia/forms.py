"""Forms of the militia pages. They parse input; the actions decide, and their field errors
come back next to the field they name, worded in the reader's language (`core.wording`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from muster.core.forms import ActionForm, date_field
from muster.militia import rules
from muster.militia.labels import LEAVE_CODE_LABELS
from muster.militia.models import Echelon, ForceKind, LeftReason, Specialty


class DecisionForm(ActionForm):
    """The decision a change rests on (DQTV Art. 10-13): number, date and who signed it."""

    decision_number = forms.CharField(label=_("Decision number"), max_length=40)
    decided_on = date_field(_("Decided on"))
    decided_by = forms.CharField(label=_("Decided by"), max_length=120)


class JoinForm(DecisionForm):
    personal_id = forms.CharField(label=_("Personal ID number"), max_length=12)
    force_kind = forms.ChoiceField(label=_("Force"), choices=ForceKind.choices)
    specialty = forms.ChoiceField(
        label=_("Specialty"), choices=[("", "—"), *Specialty.choices], required=False
    )
    militia_unit = forms.TypedChoiceField(
        label=_("Militia unit"), choices=[("", "—")], coerce=int, required=False, empty_value=None
    )
    joined_on = date_field(_("Joined on"))
    volunteer = forms.BooleanField(label=_("Volunteer"), required=False)
    FORM_FIELD = {"person": "personal_id", "unit": "personal_id", "grounds": "volunteer"}

    field_order = [
        "personal_id", "force_kind", "specialty", "militia_unit", "joined_on", "volunteer",
        "decision_number", "decided_on", "decided_by",
    ]  # fmt: skip


class LeaveForm(DecisionForm):
    left_on = date_field(_("Last day on the roster"))
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[(r, label) for r, label in LeftReason.choices if r in rules.LEAVE_REASONS],
    )
    ground_code = forms.ChoiceField(
        label=_("Ground"),
        choices=[("", "—"), *LEAVE_CODE_LABELS.items()],
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    FORM_FIELD = {"membership": "left_on"}
    field_order = [
        "left_on", "reason", "ground_code", "note", "decision_number", "decided_on", "decided_by"
    ]  # fmt: skip


class ExtendForm(DecisionForm):
    until = date_field(_("Term extended until"))
    FORM_FIELD = {"membership": "until"}
    field_order = ["until", "decision_number", "decided_on", "decided_by"]


class TransferForm(DecisionForm):
    on = date_field(_("From"))
    militia_unit = forms.TypedChoiceField(
        label=_("Militia unit"), choices=[("", "—")], coerce=int, required=False, empty_value=None
    )
    FORM_FIELD = {"membership": "on", "command": "militia_unit"}
    field_order = ["on", "militia_unit", "decision_number", "decided_on", "decided_by"]


class TargetForm(ActionForm):
    size = forms.IntegerField(label=_("Target size"), min_value=1)
    valid_from = date_field(_("From"))
    basis = forms.CharField(label=_("Basis (decision)"), max_length=200, required=False)


class UnitForm(ActionForm):
    """A militia unit under the command (DQTV Art. 15 as amended); the forces offered are those
    the commune's defence flags allow, set by the page."""

    name = forms.CharField(label=_("Unit name"), max_length=120)
    force_kind = forms.ChoiceField(label=_("Force"), choices=ForceKind.choices)
    echelon = forms.ChoiceField(
        label=_("Echelon"), choices=[(e, n) for e, n in Echelon.choices if e != Echelon.COMPANY]
    )
    specialty = forms.ChoiceField(
        label=_("Specialty"), choices=[("", "—"), *Specialty.choices], required=False
    )
    village = forms.CharField(label=_("Village"), max_length=120, required=False)
    valid_from = date_field(_("Set up on"))
    FORM_FIELD = {"command": "force_kind"}


class LeaderForm(ActionForm):
    """The unit's leader, one of the command's serving members, from a day."""

    militia_unit = forms.TypedChoiceField(label=_("Militia unit"), choices=[], coerce=int)
    membership = forms.TypedChoiceField(label=_("Leader"), choices=[], coerce=int)
    valid_from = date_field(_("From"))


class DutyForm(DecisionForm):
    """A deferral (Art. 11(1)) or exemption (Art. 11(2)) from militia duty, with its ground."""

    kind = forms.ChoiceField(
        label=_("Decision"),
        choices=[(rules.DEFERRAL, _("Deferral")), (rules.EXEMPTION, _("Exemption"))],
    )
    ground_code = forms.ChoiceField(
        label=_("Ground"),
        choices=[(c, t) for c, t in LEAVE_CODE_LABELS.items() if c.startswith(("MDEF_", "MEX_"))],
    )
    valid_until = forms.DateField(
        label=_("Deferred until"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the date as day, month and year.")},
    )
    FORM_FIELD = {"person": "kind", "command": "kind"}
    field_order = [
        "kind", "ground_code", "valid_until", "decision_number", "decided_on", "decided_by"
    ]  # fmt: skip


class AbsenceForm(ActionForm):
    """A member's reported absence of 3 months or more (DQTV Art. 9(2)(b)): who, when it was
    reported, from and until when, and why (work, study, treatment…)."""

    membership = forms.TypedChoiceField(label=_("Member"), choices=[], coerce=int)
    reported_on = date_field(_("Reported on"))
    absent_from = date_field(_("Absent from"))
    absent_until = date_field(_("Expected back on"))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    FORM_FIELD = {"militia_unit": "membership"}


class ReturnForm(ActionForm):
    """The day a member came back from a reported absence."""

    returned_on = date_field(_("Back on"))


class DisbandForm(ActionForm):
    """The last day of a militia unit (DQTV Art. 15 as amended: the command that set it up
    disbands it)."""

    valid_to = date_field(_("Last day of the unit"))
