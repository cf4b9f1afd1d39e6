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
ART_11, ART_13 = _("DQTV Art. 11"), _("DQTV Art. 13")
MAX_EXTENSION_YEARS = 2
DEFERRAL, EXEMPTION = "deferral", "exemption"
FORCE_KINDS = ("in_place", "mobile", "standing", "naval", "specialised")
SPECIALTIES = (
    "air_defence", "artillery", "reconnaissance", "signals", "engineers", "chemical_defence",
    "medical",
)  # fmt: skip
# Reasons staff record; "transferred" is the restructuring engine's alone.
LEAVE_REASONS = ("completed", "deferred", "exempted", "moved", "died", "other")


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
) -> list[FieldError]:
    """Why the term may not run until `until`. A term may be extended by up to 2 years; naval
    militia and unit commanders further, up to the age limit (DQTV Art. 8(2)); nobody past the
    last day of the duty age (Art. 8(1))."""
    if until <= current_end:
        return [FieldError("until", "MILITIA_TERM_ALREADY_RUNS", {"day": current_end})]
    if until > age_end:
        return [FieldError("until", "MILITIA_AGE_END", {"day": age_end, "article": ART_8_1})]
    if force_kind == "naval" or commander:
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


def join_problems(facts: JoinFacts, day: date) -> list[FieldError]:
    """Why the person may not join the militia on `day`; empty when they may.

    Age from the 18th birthday to the end of 45 (men) or 40 (women), for volunteers to the end
    of 50 or 45 (DQTV Art. 8(1)); the forces of Art. 6; a deferral or exemption ground bars
    duty, but where Art. 11(3) allows the person may still volunteer.
    """
    problems: list[FieldError] = []
    if facts.died_on is not None and facts.died_on <= day:
        problems.append(FieldError("person", "MILITIA_PERSON_DIED", {"day": facts.died_on}))
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

    Completion comes after the full term (DQTV Art. 13); a deferral or exemption names its
    Art. 11 ground; a death is recorded by the population register first (Art. 12(2)).
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
    if wanted == DEFERRAL and (ground is None or ground.kind != wanted):
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
