"""The code tables of the reserve: military specialties and ranks.

A military specialty (chuyên nghiệp quân sự, CNQS) is "the occupation matching a post in the
army's establishment" (LLDBĐV Art. 2). Reserve units are filled by exact specialty first and,
short of it, by a *near* one (LLDBĐV Art. 16(1)); `near_specialties` is that fallback, kept
symmetric (a radio operator is near a wire operator and the other way round). The tables are
code, not rows: they change with the army's establishment, by a reviewed commit, and the pure
rules (and the assignment solver) read them without a database.

Ranks of NCOs and soldiers are those of MSL Art. 8; professional soldiers and reserve officers
carry their own ranks (Law on Professional Soldiers 2015; Officers Law 1999). `RANK_ORDER`
orders every rank so a position's minimum rank compares across the three ladders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Specialty:
    code: str
    name_vi: str
    name_en: str
    near: tuple[str, ...] = ()

    def name(self, language: str) -> str:
        """The name in `language` (Vietnamese unless English is asked for)."""
        return self.name_en if language.startswith("en") else self.name_vi


# Codes are upper-case words so a CSV stays readable; order here is the order of pick lists.
SPECIALTIES: dict[str, Specialty] = {
    s.code: s
    for s in (
        Specialty("INFANTRY", "Bộ binh", "Infantry", ("RECON",)),
        Specialty("RECON", "Trinh sát", "Reconnaissance", ("INFANTRY",)),
        Specialty("ARTILLERY", "Pháo binh", "Artillery", ("AIR_DEFENCE",)),
        Specialty("AIR_DEFENCE", "Phòng không", "Air defence", ("ARTILLERY",)),
        Specialty("ARMOUR_CREW", "Tăng thiết giáp", "Armour crew", ("DRIVER", "VEHICLE_MECHANIC")),
        Specialty("ENGINEER", "Công binh", "Military engineering", ("CONSTRUCTION_MACHINE",)),
        Specialty("CHEMICAL", "Hóa học (phòng hóa)", "Chemical defence", ("MEDIC",)),
        Specialty(
            "SIGNAL_RADIO", "Thông tin vô tuyến điện", "Radio communications", ("SIGNAL_WIRE", "IT")
        ),
        Specialty(
            "SIGNAL_WIRE", "Thông tin hữu tuyến điện", "Wire communications", ("SIGNAL_RADIO",)
        ),
        Specialty(
            "DRIVER",
            "Lái xe",
            "Motor vehicle driver",
            ("VEHICLE_MECHANIC", "ARMOUR_CREW", "CONSTRUCTION_MACHINE"),
        ),
        Specialty(
            "VEHICLE_MECHANIC",
            "Sửa chữa xe máy",
            "Vehicle mechanic",
            ("DRIVER", "ARMOUR_CREW", "MARINE_ENGINE"),
        ),
        Specialty(
            "CONSTRUCTION_MACHINE",
            "Lái máy công trình",
            "Construction machine operator",
            ("ENGINEER", "DRIVER"),
        ),
        Specialty(
            "MEDIC", "Quân y (y tá)", "Medical orderly", ("PHYSICIAN", "PHARMACY", "CHEMICAL")
        ),
        Specialty("PHYSICIAN", "Bác sĩ", "Physician", ("MEDIC",)),
        Specialty("PHARMACY", "Dược", "Pharmacy", ("MEDIC",)),
        Specialty("LOGISTICS", "Hậu cần (quân nhu)", "Quartermaster", ("COOK", "FINANCE")),
        Specialty("COOK", "Nấu ăn (cấp dưỡng)", "Cook", ("LOGISTICS",)),
        Specialty("SEAMAN", "Thủy thủ", "Seaman", ("MARINE_ENGINE",)),
        Specialty(
            "MARINE_ENGINE", "Máy tàu", "Marine engine mechanic", ("SEAMAN", "VEHICLE_MECHANIC")
        ),
        Specialty("CLERK", "Văn thư", "Clerk", ("FINANCE",)),
        Specialty("FINANCE", "Tài chính", "Finance", ("CLERK", "LOGISTICS")),
        Specialty("IT", "Công nghệ thông tin", "Information technology", ("SIGNAL_RADIO",)),
    )
}


def is_specialty(code: str) -> bool:
    return code in SPECIALTIES


def near_specialties(code: str) -> tuple[str, ...]:
    """The specialties that may fill a post of `code` when no exact match is left (LLDBĐV
    Art. 16(1): "chuyên nghiệp quân sự gần phù hợp")."""
    specialty = SPECIALTIES.get(code)
    return specialty.near if specialty else ()


def specialty_match(required: str, held: str) -> str | None:
    """ "exact", "near" or None: how a reservist's specialty fits a post (LLDBĐV Art. 16(1))."""
    if not held:
        return None
    if held == required:
        return "exact"
    if held in near_specialties(required):
        return "near"
    return None


@dataclass(frozen=True)
class Rank:
    code: str
    ladder: str  # "soldier" (MSL Art. 8), "professional", "officer"
    order: int  # higher outranks lower, across the ladders
    name_vi: str
    name_en: str

    def name(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_vi


RANKS: dict[str, Rank] = {
    r.code: r
    for r in (
        Rank("BINH_NHI", "soldier", 1, "Binh nhì", "Private"),
        Rank("BINH_NHAT", "soldier", 2, "Binh nhất", "Private first class"),
        Rank("HA_SI", "soldier", 3, "Hạ sĩ", "Corporal"),
        Rank("TRUNG_SI", "soldier", 4, "Trung sĩ", "Sergeant"),
        Rank("THUONG_SI", "soldier", 5, "Thượng sĩ", "Staff sergeant"),
        Rank("QNCN_THIEU_UY", "professional", 11, "Thiếu úy QNCN", "Professional 2nd lieutenant"),
        Rank("QNCN_TRUNG_UY", "professional", 12, "Trung úy QNCN", "Professional 1st lieutenant"),
        Rank(
            "QNCN_THUONG_UY", "professional", 13, "Thượng úy QNCN", "Professional senior lieutenant"
        ),
        Rank("QNCN_DAI_UY", "professional", 14, "Đại úy QNCN", "Professional captain"),
        Rank("QNCN_THIEU_TA", "professional", 15, "Thiếu tá QNCN", "Professional major"),
        Rank(
            "QNCN_TRUNG_TA", "professional", 16, "Trung tá QNCN", "Professional lieutenant colonel"
        ),
        Rank(
            "QNCN_THUONG_TA",
            "professional",
            17,
            "Thượng tá QNCN",
            "Professional senior lieutenant colonel",
        ),
        Rank("THIEU_UY", "officer", 21, "Thiếu úy", "Second lieutenant"),
        Rank("TRUNG_UY", "officer", 22, "Trung úy", "First lieutenant"),
        Rank("THUONG_UY", "officer", 23, "Thượng úy", "Senior lieutenant"),
        Rank("DAI_UY", "officer", 24, "Đại úy", "Captain"),
        Rank("THIEU_TA", "officer", 25, "Thiếu tá", "Major"),
        Rank("TRUNG_TA", "officer", 26, "Trung tá", "Lieutenant colonel"),
        Rank("THUONG_TA", "officer", 27, "Thượng tá", "Senior lieutenant colonel"),
        Rank("DAI_TA", "officer", 28, "Đại tá", "Colonel"),
    )
}


def is_rank(code: str) -> bool:
    return code in RANKS


def rank_order(code: str) -> int:
    """The rank's place (0 for no rank), so "at least Hạ sĩ" is `rank_order(r) >= 3`."""
    rank = RANKS.get(code)
    return rank.order if rank else 0


def rank_at_least(held: str, minimum: str) -> bool:
    """True when `held` is `minimum` or above it (an empty minimum asks for nothing)."""
    return not minimum or rank_order(held) >= rank_order(minimum)


def _namer(item: Specialty | Rank) -> Callable[[str], str]:
    return item.name


SPECIALTY_LABELS: dict[str, Callable[[str], str]] = {c: _namer(s) for c, s in SPECIALTIES.items()}
RANK_LABELS: dict[str, Callable[[str], str]] = {c: _namer(r) for c, r in RANKS.items()}
