"""The militia's codes in words (see `core.labels`): forces and specialties (DQTV Art. 6), why a
membership closed, the early-release (Art. 12(1)), removal (Art. 12(2)), deferral and exemption
(Art. 11) codes, unit echelons (Art. 15) and decision kinds."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from muster.core.labels import Table
from muster.militia.models import (
    DecisionKind,
    Echelon,
    ForceKind,
    LeftReason,
    OrganisationKind,
    Specialty,
)
from muster.militia.rules import CommuneFlags

LEAVE_CODE_LABELS: Table = {
    "MREL_PREGNANT_OR_CHILD_U36M": _("Early release: pregnant or raising a child under 36 months"),
    "MREL_UNFIT": _("Early release: no longer fit for militia duties"),
    "MREL_FAMILY_HARDSHIP": _("Early release: sudden family hardship"),
    "MREL_CALLED_OR_HIRED": _(
        "Early release: called to the army or police, or hired as a civil servant or employee"
    ),
    "MREL_STUDY_OR_ABROAD": _(
        "Early release: admitted to university or vocational school, or leaving to work or "
        "study abroad"
    ),
    "MREM_DIED_OR_MISSING": _("Removal: died, or declared missing or dead"),
    "MREM_PROSECUTED": _("Removal: prosecuted as an accused"),
    "MREM_TITLE_STRIPPED": _("Removal: stripped of the militia title"),
    "MREM_COMPULSORY_EDUCATION": _("Removal: sent to a reformatory or compulsory education"),
    "MREM_DRUG_REHAB": _("Removal: drug addiction or compulsory rehabilitation"),
    "MREM_COMMUNE_EDUCATION": _("Removal: a commune-level education measure"),
    "MDEF_PREGNANT_OR_CHILD_U36M": _("Deferral: pregnant or raising a child under 36 months"),
    "MDEF_HEALTH": _("Deferral: not fit for militia duties"),
    "MDEF_SPOUSE_ARMY": _("Deferral: spouse serves in the army"),
    "MDEF_SPOUSE_POLICE": _("Deferral: spouse serves in the people's police"),
    "MDEF_SPOUSE_HARDSHIP_POSTING": _("Deferral: spouse posted to an especially difficult area"),
    "MDEF_SOLE_LABOUR_POOR_HH": _("Deferral: only labourer of a poor or near-poor household"),
    "MDEF_CARER": _("Deferral: directly supports relatives unable to work"),
    "MDEF_FAMILY_DISASTER": _("Deferral: the household suffered heavy loss"),
    "MDEF_FAMILY_OF_DISABLED_61_80": _(
        "Deferral: spouse or child of a war invalid or sick veteran at 61-80%"
    ),
    "MDEF_STUDENT_OR_ABROAD": _("Deferral: studying, or working or studying abroad"),
    "MEX_MARTYR_FAMILY": _("Exemption: spouse or child of a martyr"),
    "MEX_FAMILY_OF_DISABLED_81": _(
        "Exemption: spouse or child of a war invalid or sick veteran at 81% or more"
    ),
    "MEX_RESERVIST_ASSIGNED": _("Exemption: reservist assigned to a reserve unit"),
    "MEX_CARER": _("Exemption: cares for a Heroic Mother or a person at 81% or more"),
    "MEX_CIPHER": _("Exemption: cipher staff"),
}


COMMUNE_FLAG_LABELS: Table = {
    "border": _("border commune"),
    "coastal": _("coastal commune"),
    "island": _("island commune"),
    "key_defence": _("key defence commune"),
}


def commune_flag_words(flags: CommuneFlags) -> str:
    """A commune's defence flags in words (the map's commune tooltip), empty when none."""
    on = [name for name in COMMUNE_FLAG_LABELS if getattr(flags, name)]
    return ", ".join(str(COMMUNE_FLAG_LABELS[name]) for name in on)


LABELS: dict[str, Table] = {
    "militia_force": dict(ForceKind.choices),
    "militia_specialty": dict(Specialty.choices),
    "militia_left": dict(LeftReason.choices),
    "militia_code": LEAVE_CODE_LABELS,
    "militia_echelon": dict(Echelon.choices),
    "militia_decision": dict(DecisionKind.choices),
    "militia_commune_flag": COMMUNE_FLAG_LABELS,
    "militia_organisation": dict(OrganisationKind.choices),
}
