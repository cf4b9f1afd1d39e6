"""The communes' defence flags as configuration data: `data/defence_communes.csv`, one row per
commune (`commune_code, name, border, coastal, island, key_defence, basis`, yes/no flags).

Which communes are border, coastal, island or key defence communes is set by the Government
and the provinces' defence plans (DQTV Art. 15 as amended); the file holds Lào Cai's border
communes on the China border and the island special zones as far as the sources consulted
show **[UNCERTAIN: no official list was found]**, and a province corrects its own communes
through `militia.actions.defence_commune_set` (audited).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from muster.militia.rules import CommuneFlags

DEFENCE_COMMUNES = Path(__file__).parent / "data" / "defence_communes.csv"


@dataclass(frozen=True)
class ConfiguredCommune:
    code: str
    name: str
    flags: CommuneFlags
    basis: str


def configured_communes(path: Path = DEFENCE_COMMUNES) -> list[ConfiguredCommune]:
    """The rows of the configuration file, in file order."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            ConfiguredCommune(
                row["commune_code"].strip(),
                row["name"].strip(),
                CommuneFlags(
                    border=row["border"].strip() == "yes",
                    coastal=row["coastal"].strip() == "yes",
                    island=row["island"].strip() == "yes",
                    key_defence=row["key_defence"].strip() == "yes",
                ),
                row["basis"].strip(),
            )
            for row in csv.DictReader(handle)
        ]
