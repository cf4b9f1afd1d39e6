"""Set-based writes of the military organisation; only `orgs.actions` and registered hooks
call these. `structure` builds the organisation from the geo data, `legacy_communes` the legacy
commune commands, `restructure` moves commands and territories through a restructuring (the
participant registered in `orgs.apps`). The names other modules use are re-exported here."""

from __future__ import annotations

from muster.orgs.bulk.legacy_communes import legacy_commune_commands_build
from muster.orgs.bulk.positions import positions_repoint
from muster.orgs.bulk.structure import (
    BATCH,
    REGION_KINDS,
    REGIONS_CSV,
    BuildResult,
    admin_units,
    build_structure,
    majority_legacy_districts,
    read_region_rows,
)

__all__ = [
    "BATCH",
    "REGIONS_CSV",
    "REGION_KINDS",
    "BuildResult",
    "admin_units",
    "build_structure",
    "legacy_commune_commands_build",
    "majority_legacy_districts",
    "positions_repoint",
    "read_region_rows",
]
