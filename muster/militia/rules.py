"""Militia rules: who may serve, for how long, and on what grounds a member leaves.

Pure decisions, no ORM and no I/O. "DQTV" is the Law on Militia and Self-Defence Forces
(48/2019/QH14); keys such as MILITIA_AGE are those of /work/shared/domain-rules.md §0.1, the
grounds those of its §0.9.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from muster.core.errors import FieldError

MIN_AGE = 18
# Articles the errors cite (parameters of their wording), in the reader's language.
ART_8_1, ART_8_2 = _("DQTV Art. 8(1)"), _("DQTV Art. 8(2)")
ART_10, ART_11, ART_13 = _("DQTV Art. 10"), _("DQTV Art. 11"), _("DQTV Art. 13")
ART_12_1, ART_12_2 = _("DQTV Art. 12(1)"), _("DQTV Art. 12(2)")
ART_15 = _("DQTV Art. 15 as amended by Law 98/2025 Art. 10(7)")
MAX_EXTENSION_YEARS = 2
DEFERRAL, EXEMPTION = "deferral", "exemption"
FORCE_KINDS = ("in_place", "mobile", "standing", "naval", "specialised")
SPECIALTIES = (
    "air_defence", "artillery", "reconnaissance", "signals", "engineers", "chemical_defence",
    "medical",
)  # fmt: skip
# Reasons staff record; "transferred" is the restructuring engine's alone, "unit_changed" the
# transfer action's.
LEAVE_REASONS = (
    "completed", "released", "removed", "deferred", "exempted", "moved", "died", "other",
)  # fmt: skip
# Early release, DQTV Art. 12(1)(a)-(e).
RELEASE_CODES = (
    "MREL_PREGNANT_OR_CHILD_U36M",  # pregnant, or raising a child under 36 months
    "MREL_UNFIT",  # no longer fit for duty
    "MREL_FAMILY_HARDSHIP",  # sudden family hardship
    "MREL_CALLED_OR_HIRED",  # called to the army or police, or hired as a civil servant…
    "MREL_STUDY_OR_ABROAD",  # admitted to university or vocational school, or going abroad
)
# Removal from the militia list, DQTV Art. 12(2)(a)-(f).
REMOVAL_CODES = (
    "MREM_DIED_OR_MISSING",  # died, or declared missing or dead by a court
    "MREM_PROSECUTED",  # prosecuted as an accused
    "MREM_TITLE_STRIPPED",  # stripped of the militia title
    "MREM_COMPULSORY_EDUCATION",  # sent to a reformatory or compulsory education
    "MREM_DRUG_REHAB",  # drug addiction, compulsory rehabilitation
    "MREM_COMMUNE_EDUCATION",  # a commune-level education measure
)
ECHELONS = ("team", "squad", "platoon", "company")


# ── Ages and terms ─────────────────────────────────────────────────────────────────────────


def anniversary(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February falls on 1 March in a common year (a
    year of age or of service is complete only once February is over)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def age_on(birth_date: date, day: date) -> int:
    """Whole years reached on `day`: "đủ N tuổi" is reached on the N-th birthday."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_limit(sex: str, *, volunteer: bool) -> int:
    """Militia duty runs to the end of age 45 for men and 40 for women; volunteers may stay to
    the end of 50 and 45 (DQTV Art. 8(1), MILITIA_AGE)."""
    if sex == "M":
        return 50 if volunteer else 45
    return 45 if volunteer else 40


def last_day_of_age(birth_date: date, age: int) -> date:
    """The last day of age `age` ("đến hết N tuổi"): the day before the next birthday."""
    return anniversary(birth_date, age + 1) - timedelta(days=1)


def term_years(force_kind: str) -> int:
    """The term is 2 years in the standing militia and 4 in every other force (DQTV Art. 8(2),
    MILITIA_TERM)."""
    return 2 if force_kind == "standing" else 4


def term_ends_on(
    joined_on: date, force_kind: str, *, birth_date: date, sex: str, volunteer: bool
) -> date:
    """The term's last day: the day before its anniversary (DQTV Art. 8(2)), or the last day of
    the duty age if that comes first (Art. 8(1))."""
    end = anniversary(joined_on, term_years(force_kind)) - timedelta(days=1)
    return min(end, last_day_of_age(birth_date, age_limit(sex, volunteer=volunteer)))


def extension_problems(
    *,
    joined_on: date,
    force_kind: str,
    until: date,
    current_end: date,
    age_end: date,
    commander: bool = False,
    self_defence: bool = False,
) -> list[FieldError]:
    """Why the term may not run until `until`. A term may be extended by up to 2 years; naval
    militia, self-defence members and unit commanders further, up to the age limit (DQTV
    Art. 8(2), MILITIA_TERM); nobody past the last day of the duty age (Art. 8(1))."""
    if until <= current_end:
        return [FieldError("until", "MILITIA_TERM_ALREADY_RUNS", {"day": current_end})]
    if until > age_end:
        return [FieldError("until", "MILITIA_AGE_END", {"day": age_end, "article": ART_8_1})]
    if force_kind == "naval" or commander or self_defence:
        return []
    base_end = anniversary(joined_on, term_years(force_kind)) - timedelta(days=1)
    longest = anniversary(base_end + timedelta(days=1), MAX_EXTENSION_YEARS) - timedelta(days=1)
    if until > longest:
        return [
            FieldError(
                "until",
                "MILITIA_TERM",
                {"years": MAX_EXTENSION_YEARS, "day": longest, "article": ART_8_2},
            )
        ]
    return []


# ── Deferral and exemption grounds (DQTV Art. 11) ──────────────────────────────────────────


@dataclass(frozen=True)
class Ground:
    code: str
    kind: str  # DEFERRAL (Art. 11(1)) or EXEMPTION (Art. 11(2))
    text: str
    volunteer_allowed: bool  # Art. 11(3): may still serve as a volunteer


GROUNDS: dict[str, Ground] = {
    g.code: g
    for g in (
        Ground("MDEF_PREGNANT_OR_CHILD_U36M", DEFERRAL, "pregnant or raising a child under 36 months", False),
        Ground("MDEF_HEALTH", DEFERRAL, "not fit for militia duties", False),
        Ground("MDEF_SPOUSE_ARMY", DEFERRAL, "spouse serves in the army", True),
        Ground("MDEF_SPOUSE_POLICE", DEFERRAL, "spouse serves in the people's police", True),
        Ground("MDEF_SPOUSE_HARDSHIP_POSTING", DEFERRAL, "spouse posted to an especially difficult area", True),
        Ground("MDEF_SOLE_LABOUR_POOR_HH", DEFERRAL, "only labourer of a poor or near-poor household", True),
        Ground("MDEF_CARER", DEFERRAL, "directly supports relatives unable to work", True),
        Ground("MDEF_FAMILY_DISASTER", DEFERRAL, "household suffered heavy loss", True),
        Ground("MDEF_FAMILY_OF_DISABLED_61_80", DEFERRAL, "spouse or child of a war invalid at 61–80%", True),
        Ground("MDEF_STUDENT_OR_ABROAD", DEFERRAL, "studying, or working or studying abroad", False),
        Ground("MEX_MARTYR_FAMILY", EXEMPTION, "spouse or child of a martyr", True),
        Ground("MEX_FAMILY_OF_DISABLED_81", EXEMPTION, "spouse or child of a war invalid at 81% or more", True),
        Ground("MEX_RESERVIST_ASSIGNED", EXEMPTION, "reservist assigned to a reserve unit", False),
        Ground("MEX_CARER", EXEMPTION, "cares for a Heroic Mother or a person at 81% or more", True),
        Ground("MEX_CIPHER", EXEMPTION, "cipher staff", False),
    )
}  # fmt: skip


# ── Joining and leaving ────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class JoinFacts:
    sex: str
    birth_date: date
    died_on: date | None
    force_kind: str
    specialty: str = ""
    volunteer: bool = False
    grounds: tuple[str, ...] = ()  # DQTV Art. 11 grounds the commune knows the person has
    in_active_service: bool = False  # serving in the army on the day (MSL Art. 4)
    reserve_unit: str | None = None  # the reserve unit the person is assigned to, if any


def join_problems(facts: JoinFacts, day: date) -> list[FieldError]:
    """Why the person may not join the militia on `day`; empty when they may.

    Age from the 18th birthday to the end of 45 (men) or 40 (women), for volunteers to the end
    of 50 or 45 (DQTV Art. 8(1), MILITIA_AGE); the forces of Art. 6; a deferral or exemption
    ground bars duty, but where Art. 11(3) allows the person may still volunteer; a soldier in
    active service or a reservist assigned to a reserve unit is not selected (Art. 10, 11(2)).
    """
    problems: list[FieldError] = []
    if facts.died_on is not None and facts.died_on <= day:
        problems.append(FieldError("person", "MILITIA_PERSON_DIED", {"day": facts.died_on}))
    if facts.in_active_service:
        # A serving soldier is already in the armed forces; called up, a member is released
        # (Art. 12(1)(d)), so none is selected while serving.
        problems.append(FieldError("person", "MILITIA_IN_ACTIVE_SERVICE", {"article": ART_10}))
    if facts.reserve_unit is not None:
        # Only reservists not yet assigned to a reserve unit may be selected (Art. 10(1)(c));
        # an assigned one is exempt (Art. 11(2), §0.9).
        problems.append(
            FieldError(
                "person",
                "MEX_RESERVIST_ASSIGNED",
                {"unit": facts.reserve_unit, "article": ART_11},
            )
        )
    age = age_on(facts.birth_date, day)
    limit = age_limit(facts.sex, volunteer=facts.volunteer)
    if age < MIN_AGE:
        problems.append(
            FieldError("joined_on", "MILITIA_AGE", {"age": age, "min": MIN_AGE, "article": ART_8_1})
        )
    elif age > limit:
        problems.append(
            FieldError(
                "joined_on",
                "MILITIA_AGE_VOLUNTEER_LIMIT" if facts.volunteer else "MILITIA_AGE_LIMIT",
                {"age": age, "limit": limit, "article": ART_8_1},
            )
        )
    if facts.force_kind not in FORCE_KINDS:
        problems.append(FieldError("force_kind", "NOT_ONE_OF", {"choices": FORCE_KINDS}))
    elif facts.force_kind == "specialised" and facts.specialty not in SPECIALTIES:
        problems.append(FieldError("specialty", "MILITIA_SPECIALTY_REQUIRED"))
    elif facts.force_kind != "specialised" and facts.specialty:
        problems.append(FieldError("specialty", "MILITIA_SPECIALTY_UNEXPECTED"))
    for code in facts.grounds:
        ground = GROUNDS.get(code)
        if ground is None:
            problems.append(FieldError("grounds", "MILITIA_GROUND_UNKNOWN", {"ground": code}))
        elif not ground.volunteer_allowed:
            problems.append(
                FieldError("grounds", "MILITIA_GROUND_BARS", {"ground": code, "article": ART_11})
            )
        elif not facts.volunteer:
            problems.append(
                FieldError(
                    "volunteer",
                    "MILITIA_GROUND_VOLUNTEER_ONLY",
                    {"ground": code, "article": ART_11},
                )
            )
    return problems


def leave_problems(
    *,
    reason: str,
    left_on: date,
    valid_from: date | None,
    term_ends_on: date,
    today: date,
    ground_code: str = "",
    died_on: date | None = None,
) -> list[FieldError]:
    """Why a member may not leave on `left_on` for `reason`; empty when they may.

    Completion comes after the full term (DQTV Art. 13); an early release names its Art. 12(1)
    code (MREL_*), a removal its Art. 12(2) code (MREM_*), a deferral or exemption its Art. 11
    ground; a death is recorded by the population register first (Art. 12(2)(a)).
    """
    if reason not in LEAVE_REASONS:
        return [FieldError("reason", "NOT_ONE_OF", {"choices": LEAVE_REASONS})]
    problems: list[FieldError] = []
    if valid_from is not None and left_on < valid_from:
        problems.append(FieldError("left_on", "MILITIA_LEFT_BEFORE_JOINED", {"day": valid_from}))
    if left_on > today:
        problems.append(FieldError("left_on", "DATE_IN_FUTURE", {"day": left_on}))
    if reason == "completed" and left_on < term_ends_on:
        problems.append(
            FieldError(
                "reason", "MILITIA_TERM_NOT_COMPLETED", {"day": term_ends_on, "article": ART_13}
            )
        )
    wanted = {"deferred": DEFERRAL, "exempted": EXEMPTION}.get(reason)
    ground = GROUNDS.get(ground_code)
    if reason == "released":
        if ground_code not in RELEASE_CODES:
            problems.append(
                FieldError("ground_code", "MILITIA_RELEASE_CODE_NEEDED", {"article": ART_12_1})
            )
    elif reason == "removed":
        if ground_code not in REMOVAL_CODES:
            problems.append(
                FieldError("ground_code", "MILITIA_REMOVAL_CODE_NEEDED", {"article": ART_12_2})
            )
    elif wanted == DEFERRAL and (ground is None or ground.kind != wanted):
        problems.append(
            FieldError("ground_code", "MILITIA_DEFERRAL_GROUND_NEEDED", {"article": ART_11})
        )
    elif wanted == EXEMPTION and (ground is None or ground.kind != wanted):
        problems.append(
            FieldError("ground_code", "MILITIA_EXEMPTION_GROUND_NEEDED", {"article": ART_11})
        )
    elif wanted is None and ground_code:
        problems.append(FieldError("ground_code", "MILITIA_GROUND_UNEXPECTED"))
    if reason == "died" and died_on is None:
        problems.append(FieldError("reason", "MILITIA_NOT_RECORDED_DEAD"))
    return problems


# ── Decisions, days, places and units ──────────────────────────────────────────────────────


def decision_problems(
    *, number: str, decided_on: date, decided_by: str, today: date
) -> list[FieldError]:
    """What is missing from a decision on militia duty: the commune chairman or the head of
    the agency decides (DQTV Art. 10(3), 11(4), 12, 13; domain-rules §0.10), in a numbered,
    dated decision that is not dated in the future."""
    problems: list[FieldError] = []
    if not number.strip():
        problems.append(FieldError("decision_number", "REQUIRED"))
    elif len(number) > 40:
        problems.append(FieldError("decision_number", "TOO_LONG", {"limit": 40}))
    if not decided_by.strip():
        problems.append(FieldError("decided_by", "REQUIRED"))
    elif len(decided_by) > 120:
        problems.append(FieldError("decided_by", "TOO_LONG", {"limit": 120}))
    if decided_on > today:
        problems.append(FieldError("decided_on", "DATE_IN_FUTURE", {"day": decided_on}))
    return problems


def join_day_problems(joined_on: date, *, today: date) -> list[FieldError]:
    """A member is recorded once serving: the join day is not in the future (the selection
    decision comes first, DQTV Art. 10)."""
    if joined_on > today:
        return [FieldError("joined_on", "DATE_IN_FUTURE", {"day": joined_on})]
    return []


@dataclass(frozen=True)
class CommuneFlags:
    """What a commune is for defence (configuration data): border, coastal, island, key."""

    border: bool = False
    coastal: bool = False
    island: bool = False
    key_defence: bool = False


def commune_force_problems(force_kind: str, flags: CommuneFlags) -> list[FieldError]:
    """Forces a commune may have: naval militia only in coastal and island communes, standing
    militia only in key defence communes; in-place, mobile and specialised anywhere (DQTV
    Art. 15 as amended by L98 Art. 10(7))."""
    if force_kind == "naval" and not (flags.coastal or flags.island):
        return [FieldError("force_kind", "MILITIA_NAVAL_NOT_COASTAL", {"article": ART_15})]
    if force_kind == "standing" and not flags.key_defence:
        return [FieldError("force_kind", "MILITIA_STANDING_NOT_KEY", {"article": ART_15})]
    return []


# Echelons each force forms under a commune command (Art. 15 as amended): a village's in-place
# team, squad or platoon; the mobile platoon; a naval squad or platoon; specialised teams or
# squads (air defence and artillery also platoons, new in 2025); a standing squad or platoon.
COMMUNE_ECHELONS: dict[str, tuple[str, ...]] = {
    "in_place": ("team", "squad", "platoon"),
    "mobile": ("platoon",),
    "naval": ("squad", "platoon"),
    "specialised": ("team", "squad"),
    "standing": ("squad", "platoon"),
}
PLATOON_SPECIALTIES = ("air_defence", "artillery")
# The province forms air-defence and artillery companies (Art. 15 as amended).
PROVINCE_COMPANY_SPECIALTIES = ("air_defence", "artillery")


@dataclass(frozen=True)
class UnitFacts:
    command_kind: str  # orgs.OrgKind of the command the unit is under
    echelon: str
    force_kind: str
    specialty: str = ""
    village: str = ""
    flags: CommuneFlags = CommuneFlags()


def unit_problems(facts: UnitFacts) -> list[FieldError]:
    """Why a militia unit may not be set up so (DQTV Art. 15 as amended by L98 Art. 10(7))."""
    problems: list[FieldError] = []
    if facts.force_kind not in FORCE_KINDS:
        return [FieldError("force_kind", "NOT_ONE_OF", {"choices": FORCE_KINDS})]
    if facts.echelon not in ECHELONS:
        return [FieldError("echelon", "NOT_ONE_OF", {"choices": ECHELONS})]
    if facts.force_kind == "specialised" and facts.specialty not in SPECIALTIES:
        problems.append(FieldError("specialty", "MILITIA_SPECIALTY_REQUIRED"))
    elif facts.force_kind != "specialised" and facts.specialty:
        problems.append(FieldError("specialty", "MILITIA_SPECIALTY_UNEXPECTED"))
    if facts.command_kind == "provincial_command":
        if not (facts.echelon == "company" and facts.specialty in PROVINCE_COMPANY_SPECIALTIES):
            problems.append(
                FieldError("echelon", "MILITIA_UNIT_PROVINCE_COMPANY", {"article": ART_15})
            )
        return problems
    if facts.command_kind != "commune_command":
        return [FieldError("command", "MILITIA_UNIT_COMMAND_KIND", {"article": ART_15})]
    allowed = COMMUNE_ECHELONS[facts.force_kind]
    if facts.force_kind == "specialised" and facts.specialty in PLATOON_SPECIALTIES:
        allowed = (*allowed, "platoon")
    if facts.echelon not in allowed:
        problems.append(
            FieldError(
                "echelon",
                "MILITIA_UNIT_ECHELON",
                {"echelon": facts.echelon, "force": facts.force_kind, "article": ART_15},
            )
        )
    if facts.force_kind == "in_place" and not facts.village.strip():
        problems.append(FieldError("village", "MILITIA_UNIT_VILLAGE_REQUIRED"))
    problems += commune_force_problems(facts.force_kind, facts.flags)
    return problems


def member_unit_problems(
    *,
    command_id: int,
    force_kind: str,
    specialty: str,
    unit_command_id: int,
    unit_force_kind: str,
    unit_specialty: str,
    unit_open: bool,
) -> list[FieldError]:
    """A member serves in a unit of the command keeping the roster, of the member's force
    (DQTV Art. 15): a unit of another commune or another force is refused."""
    if not unit_open:
        return [FieldError("militia_unit", "MILITIA_UNIT_CLOSED")]
    if unit_command_id != command_id:
        return [FieldError("militia_unit", "MILITIA_UNIT_ELSEWHERE", {"article": ART_15})]
    if (unit_force_kind, unit_specialty) != (force_kind, specialty):
        return [FieldError("militia_unit", "MILITIA_UNIT_FORCE", {"article": ART_15})]
    return []


def transfer_problems(
    *, on: date, valid_from: date | None, same_place: bool, today: date
) -> list[FieldError]:
    """A transfer takes effect after the current period began, not in the future, and moves
    the member somewhere else (DQTV Art. 15, 19)."""
    problems: list[FieldError] = []
    if valid_from is not None and on <= valid_from:
        problems.append(FieldError("on", "MILITIA_TRANSFER_BEFORE_PERIOD", {"day": valid_from}))
    if on > today:
        problems.append(FieldError("on", "DATE_IN_FUTURE", {"day": on}))
    if same_place:
        problems.append(FieldError("militia_unit", "MILITIA_TRANSFER_SAME"))
    return problems


def duty_decision_problems(
    *, kind: str, ground_code: str, decided_on: date, valid_until: date | None
) -> list[FieldError]:
    """A deferral names an Art. 11(1) ground (MDEF_*) and may run until a day; an exemption
    names an Art. 11(2) ground (MEX_*) and has no end (DQTV Art. 11, domain-rules §0.9)."""
    ground = GROUNDS.get(ground_code)
    if kind == DEFERRAL:
        if ground is None or ground.kind != DEFERRAL:
            return [
                FieldError("ground_code", "MILITIA_DEFERRAL_GROUND_NEEDED", {"article": ART_11})
            ]
        if valid_until is not None and valid_until < decided_on:
            return [FieldError("valid_until", "MILITIA_DEFERRAL_ENDS_BEFORE", {"day": decided_on})]
        return []
    if kind == EXEMPTION:
        if ground is None or ground.kind != EXEMPTION:
            return [
                FieldError("ground_code", "MILITIA_EXEMPTION_GROUND_NEEDED", {"article": ART_11})
            ]
        if valid_until is not None:
            return [FieldError("valid_until", "MILITIA_EXEMPTION_NO_END")]
        return []
    return [FieldError("kind", "NOT_ONE_OF", {"choices": (DEFERRAL, EXEMPTION)})]


# ── Registration for militia duty and absences (DQTV Art. 9) ────────────────────────────────

REGISTRATION_MONTH = 4  # MILITIA_REG_MONTH: April (DQTV Art. 9(1)(a))
ABSENCE_MONTHS = 3  # MILITIA_ABSENCE: 3 months or more must be reported (Art. 9(2)(b))
ART_9_1_A, ART_9_2_B = _("DQTV Art. 9(1)(a)"), _("DQTV Art. 9(2)(b)")


def registration_problems(
    *, birth_date: date, alive: bool, registered_on: date, today: date
) -> list[FieldError]:
    """Why a citizen may not be registered for militia duty on `registered_on`: the
    registration takes those who turn 18 that year or are older (MILITIA_REG_MONTH, DQTV
    Art. 9(1)(a); ages of Art. 8(1)), living, on a day not in the future."""
    problems: list[FieldError] = []
    if not alive:
        problems.append(FieldError("person", "MILITIA_PERSON_DIED", {"day": registered_on}))
    if registered_on.year - birth_date.year < MIN_AGE:
        problems.append(
            FieldError(
                "person",
                "MILITIA_REGISTRATION_AGE",
                {"year": registered_on.year, "article": ART_9_1_A},
            )
        )
    if registered_on > today:
        problems.append(FieldError("registered_on", "DATE_IN_FUTURE", {"day": registered_on}))
    return problems


def absence_problems(
    *, absent_from: date, absent_until: date, reported_on: date, today: date, on_roster: bool
) -> list[FieldError]:
    """Why an absence may not be recorded: it lasts 3 months or more (MILITIA_ABSENCE, DQTV
    Art. 9(2)(b)), the member is on the roster when it starts, and it is reported no later than
    today."""
    problems: list[FieldError] = []
    if absent_until < anniversary_months(absent_from, ABSENCE_MONTHS) - timedelta(days=1):
        problems.append(
            FieldError(
                "absent_until",
                "MILITIA_ABSENCE_SHORT",
                {"months": ABSENCE_MONTHS, "article": ART_9_2_B},
            )
        )
    if not on_roster:
        problems.append(FieldError("absent_from", "MILITIA_ABSENCE_NOT_MEMBER"))
    if reported_on > today:
        problems.append(FieldError("reported_on", "DATE_IN_FUTURE", {"day": reported_on}))
    return problems


def anniversary_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has none (31 → 30)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


# ── Self-defence in agencies and enterprises (DQTV Art. 2, 15, 17) ──────────────────────────

SELF_DEFENCE_OPERATING_MONTHS = 24  # Art. 17: at least 24 months of operation
# The squad's headcount is set by a Ministry of Defence circular not found (domain-rules §3,
# UNCERTAIN): the default is a house assumption, overridden by the setting
# MUSTER_SELF_DEFENCE_SQUAD_SIZE.
DEFAULT_SQUAD_SIZE = 9
ART_17 = _("DQTV Art. 17")
SELF_DEFENCE_FORCE_KINDS = ("in_place", "mobile", "naval", "specialised")


def self_defence_founding_problems(
    *,
    operating_since: date,
    founded_on: date,
    eligible_workers: int,
    squad_size: int,
    today: date,
) -> list[FieldError]:
    """Why an agency or enterprise may not found a self-defence force on `founded_on`: it must
    have operated for at least 24 months and have enough eligible workers for at least one
    squad (DQTV Art. 17; the squad size is configuration, see DEFAULT_SQUAD_SIZE)."""
    problems: list[FieldError] = []
    ready_on = anniversary(operating_since, SELF_DEFENCE_OPERATING_MONTHS // 12)
    if founded_on < ready_on:
        problems.append(
            FieldError(
                "operating_since",
                "SELF_DEFENCE_TOO_YOUNG",
                {"months": SELF_DEFENCE_OPERATING_MONTHS, "day": ready_on, "article": ART_17},
            )
        )
    if eligible_workers < squad_size:
        problems.append(
            FieldError(
                "eligible_workers",
                "SELF_DEFENCE_TOO_FEW_WORKERS",
                {"size": squad_size, "article": ART_17},
            )
        )
    if founded_on > today:
        problems.append(FieldError("founded_on", "DATE_IN_FUTURE", {"day": founded_on}))
    return problems


def self_defence_force_problems(force_kind: str, *, has_vessels: bool) -> list[FieldError]:
    """Self-defence forms in-place, mobile and specialised units, and maritime units only where
    the organisation has vessels; there is no standing self-defence (DQTV Art. 6, 15)."""
    if force_kind not in SELF_DEFENCE_FORCE_KINDS:
        return [
            FieldError("force_kind", "SELF_DEFENCE_FORCE", {"choices": SELF_DEFENCE_FORCE_KINDS})
        ]
    if force_kind == "naval" and not has_vessels:
        return [FieldError("force_kind", "SELF_DEFENCE_NO_VESSELS", {"article": _("DQTV Art. 15")})]
    return []
