"""The geo app's error codes in words (see `core.wording`)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WORDINGS: dict[str, Promise] = {
    "ADMIN_UNIT_NOT_FOUND": _(
        "There is no %(edition)s administrative unit with the code %(code)s."
    ),
    "PARENT_NEEDS_EDITION": _("Give the edition too: codes repeat across editions."),
    "ELEVATION_NOT_A_TIFF": _("The elevation file is not a TIFF image that can be read."),
    "ELEVATION_NOT_GEOREFERENCED": _(
        "The elevation file has no GeoTIFF placement (pixel scale and tie point)."
    ),
    "ELEVATION_PROJECTED": _(
        "The elevation file must be in longitude and latitude (EPSG:4326); reproject it first."
    ),
    "ELEVATION_TILE_NOT_FOUND": _("There is no terrain tile %(tile)s."),
    "ELEVATION_NOT_ONE_BAND": _("The elevation file must have a single band of heights."),
}
