"""Old three-level addresses → 2025 communes, through geo's legacy units and successions.

"<village>, <legacy ward>, <legacy district>, <legacy province>" is matched on folded names
against the legacy edition of `geo.AdminUnit`, then mapped to the default 2025 successor
(`geo.Succession`). Offline by design: vietnamadminunits' converter is never called.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from muster.core.text import fold
from muster.geo.models import AdminUnit, Edition, Level, Succession

# Unit-type words that prefix a name in an address (folded, longest first).
_TYPE_PREFIX = re.compile(
    r"^(thanh pho|thi tran|thi xa|phuong|quan|huyen|tinh|xa|tp\.?|tx\.?|tt\.?|p\.|q\.|h\.)\s+"
)


def unit_key(text: str) -> str:
    """Folded name without its unit type: "Phường Trúc Bạch" → "truc bach"; numbered wards keep
    their number: "Phường 1" → "1"."""
    return _TYPE_PREFIX.sub("", fold(text)).strip()


@dataclass(frozen=True)
class LegacyWard:
    ward: str  # "Phường Trúc Bạch"
    district: str  # "Quận Ba Đình"
    province: str  # "Thành phố Hà Nội"

    def address(self, village: str) -> str:
        parts = [village, self.ward, self.district, self.province]
        return ", ".join(p for p in parts if p)


@dataclass
class LegacyGeo:
    """Lookups between legacy wards and their default 2025 communes."""

    # (province key, district key, ward key) → 2025 commune code
    to_commune: dict[tuple[str, str, str], str] = field(default_factory=dict)
    # (district key, ward key) → 2025 commune code, None when ambiguous across provinces
    by_district: dict[tuple[str, str], str | None] = field(default_factory=dict)
    # 2025 commune code → the legacy wards it took over, and those of them it took over whole
    # or as the default successor
    wards_of: dict[str, list[LegacyWard]] = field(default_factory=dict)
    default_wards_of: dict[str, list[LegacyWard]] = field(default_factory=dict)
    # ward key → every 2025 successor (a split ward has several)
    successors: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    # 2025 commune code → "province|district" keys of the legacy districts it took wards from
    districts_of: dict[str, list[str]] = field(default_factory=dict)

    def add(self, ward: LegacyWard, commune_code: str, *, default: bool) -> None:
        key = (unit_key(ward.province), unit_key(ward.district), unit_key(ward.ward))
        self.successors.setdefault(key, []).append(commune_code)
        district = f"{key[0]}|{key[1]}"
        known = self.districts_of.setdefault(commune_code, [])
        if district not in known:
            known.append(district)
        if default:
            self.default_wards_of.setdefault(commune_code, []).append(ward)
            self.to_commune.setdefault(key, commune_code)
            short = key[1:]
            if short in self.by_district and self.by_district[short] != commune_code:
                self.by_district[short] = None
            else:
                self.by_district[short] = commune_code
        self.wards_of.setdefault(commune_code, []).append(ward)

    def commune_of(self, address: str) -> str | None:
        """The default 2025 commune of an old address, or None when it names no legacy ward."""
        return self.resolve(address)[0]

    def resolve(self, address: str) -> tuple[str | None, list[str], str | None]:
        """(default 2025 commune, every 2025 successor, "province|district" key) of an old
        address; (None, [], None) when it names no legacy ward."""
        parts = [p.strip() for p in address.split(",") if p.strip()]
        if len(parts) < 3:
            return None, [], None
        if len(parts) >= 4:
            key = (unit_key(parts[-1]), unit_key(parts[-2]), unit_key(parts[-3]))
            found = self.to_commune.get(key)
            if found is not None:
                return found, self.successors[key], f"{key[0]}|{key[1]}"
        # Province left out or misspelt: district + ward, when that pair is unique.
        for district, ward in (
            (parts[-2], parts[-3]),
            (parts[-3], parts[-4] if len(parts) >= 4 else ""),
        ):
            code = self.by_district.get((unit_key(district), unit_key(ward)))
            if code:
                return code, [code], None
        return None, [], None


def legacy_geo_load(commune_codes: set[str] | None = None) -> LegacyGeo:
    """Every legacy ward with its district, province and default 2025 successor commune
    (all split successors are listed in `wards_of`; only the default one maps an address)."""
    rows = Succession.objects.filter(
        predecessor__edition=Edition.LEGACY,
        predecessor__level=Level.COMMUNE,
        successor__edition=Edition.V2025,
        successor__level=Level.COMMUNE,
    )
    if commune_codes is not None:
        rows = rows.filter(successor__code__in=sorted(commune_codes))
    geo = LegacyGeo()
    for ward, district, province, code, is_default in rows.values_list(
        "predecessor__name",
        "predecessor__parent__name",
        "predecessor__parent__parent__name",
        "successor__code",
        "is_default",
    ).order_by("successor__code", "predecessor__code"):
        if district is None or province is None:
            continue
        geo.add(LegacyWard(ward, district, province), code, default=is_default)
    return geo


def commune_ids(codes: set[str]) -> dict[str, int]:
    """2025 commune code → AdminUnit id."""
    return dict(
        AdminUnit.objects.filter(
            edition=Edition.V2025, level=Level.COMMUNE, code__in=sorted(codes)
        ).values_list("code", "id")
    )
