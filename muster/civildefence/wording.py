"""The civil-defence app's error codes in words (see `core.wording`)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WORDINGS: dict[str, Promise] = {
    "HAZARD_FILE_UNREADABLE": _("The hazard file is not GeoJSON: %(reason)s."),
    "HAZARD_FILE_TOO_LARGE": _("The hazard file must be at most %(limit)s bytes."),
    "HAZARD_GEOJSON_TYPE": _(
        "%(where)s is not a Polygon or MultiPolygon (nor a Feature or FeatureCollection of them)."
    ),
    "HAZARD_GEOJSON_EMPTY": _("The hazard file holds no polygon with an area."),
    "HAZARD_COORDINATES": _(
        "%(where)s has coordinates that are not longitude and latitude in degrees (WGS 84)."
    ),
    "HAZARD_GEOMETRY_INVALID": _("%(where)s is not a valid polygon: %(reason)s."),
    "HAZARD_SEVERITY_RANGE": _("The severity is a disaster risk level from %(min)s to %(max)s."),
    "HAZARD_KEY_FORMAT": _(
        "A key or code is 1 to 60 letters, digits, “_”, “.” or “-”, starting with a letter or "
        "a digit."
    ),
    "HAZARD_ENDS_BEFORE_START": _("It cannot end before it starts (%(day)s)."),
    "HAZARD_NOT_FOUND": _("There is no hazard zone %(key)s in your jurisdiction."),
    "CD_PLAN_NOT_FOUND": _("There is no such response plan in your jurisdiction."),
    "CD_LEVEL_RANGE": _("A civil-defence level is %(min)s, 2 or %(max)s."),
    "CD_LEVEL_AREA": _(
        "Civil-defence level %(level)s is declared over a commune (level 1) or a province "
        "(levels 2 and 3)."
    ),
    "CD_LEVEL_ISSUER": _(
        "Civil-defence level %(level)s is declared by the commune chairman (1), the provincial "
        "chairman (2) or the Prime Minister (3) (Law 18/2023 Art. 20 as amended in 2025)."
    ),
    "RISK_LEVEL_RANGE": _(
        "For this hazard a disaster risk level runs from %(min)s to %(max)s (Decision "
        "18/2021/QĐ-TTg)."
    ),
    "CAPACITY_POSITIVE": _("Enter a capacity of at least 1."),
    "COMMUNE_REQUIRED": _("Choose a commune."),
    "TERRAIN_FACTOR_RANGE": _("The terrain factor runs from %(min)s to %(max)s."),
    "CD_CODE_TAKEN": _("This code is already on record: open that record to change it."),
    "CD_SHELTER_NOT_FOUND": _("There is no shelter %(code)s in your jurisdiction."),
    "CD_MEANS_NOT_FOUND": _("There are no rescue means %(code)s in your jurisdiction."),
    "CD_DECISION_NOT_FOUND": _("There is no such level decision in your jurisdiction."),
    "CD_COMMAND_NOT_FOUND": _("There is no such civil-defence command in your jurisdiction."),
    "CD_PLACE_UNKNOWN": _("Enter the latitude and longitude: the commune has no centre on record."),
    "CD_UNIT_NOT_FOUND": _("There is no command with the code %(code)s in your jurisdiction."),
    "PERSON_ALREADY_ASSIGNED": _(
        "This person is already assigned as %(kept)s in this task window, so not as %(role)s."
    ),
    "ROAD_GRAPH_UNREADABLE": _("The road graph cannot be read: %(reason)s."),
}
