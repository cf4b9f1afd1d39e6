"""Reserve-force rules for NCOs and soldiers: the bases of entry and their category (MSL Art.
24), the age limit (Art. 25), groups A/B (Art. 26), category 2 → 1 after training (Decree
14/2016 Art. 14–15), status on any day, who may enter. Pure: no ORM, no clock.

Rule keys refer to domain-rules.md §0.1 and §0.8. Reserve officers are recorded, never decided
for: their categories and age limits are the Officers Law's (out of scope), so every decision
here is for NCOs and soldiers only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from muster.core.errors import FieldError
from muster.reserve.specialties import RANKS, SPECIALTIES

MALE, FEMALE = "M", "F"
SOLDIER, OFFICER = "nco_soldier", "officer"  # ReserveMembership.kind
ART_24, ART_25, ART_26 = _("MSL Art. 24"), _("MSL Art. 25"), _("MSL Art. 26")
ART_30, DECREE_14_ART_15 = _("MSL Art. 30"), _("Decree 14/2016 Art. 14–15")
MIN_AGE = 18
# CALLUP_AGE: call-up runs to the end of age 25 (27 for a student deferred for study).
CALLUP_LAST_AGE = 25
# RESERVE_REG_AFTER_DISCHARGE: register in the reserve within 15 working days of returning.
REPORT_WORKING_DAYS = 15
# CAT2_TO_CAT1: six months of concentrated training; soldiers up to 35 (men) / 30 (women).
CAT2_TRAINING_MONTHS = 6
CAT2_TRAINING_LAST_AGE = {MALE: 35, FEMALE: 30}
# MSL Art. 24(1)(e) as amended by DQTV Art. 49(1)(b): core militia with ≥ 3 months' training.
CORE_MILITIA_TRAINING_MONTHS = 3
POLICE_CAT1_MONTHS, POLICE_CAT2_BELOW_MONTHS = 20, 12  # MSL Art. 24(1)(c), 24(2)(c)
COMMUNE_POLICE_MONTHS = 36  # MSL Art. 24(1)(h)
IN_RESERVE, AGED_OUT, LEFT = "in_reserve", "aged_out", "left"


@dataclass(frozen=True)
class Basis:
    """A point of MSL Art. 24: the category it gives, who it may concern, in words."""

    code: str
    category: int
    point: str
    words: Promise
    sex: str = ""  # "" for either


# RES_CAT1 / RES_CAT2 of domain-rules §0.8, point by point ("DD" is the letter đ).
BASES: dict[str, Basis] = {
    b.code: b
    for b in (
        Basis("RES_CAT1_A", 1, "1(a)", _("Discharged after at least 6 months of service")),
        Basis("RES_CAT1_B", 1, "1(b)", _("Discharged after taking part in combat")),
        Basis("RES_CAT1_C", 1, "1(c)", _("Left the People's Police after at least 20 months")),
        Basis("RES_CAT1_D", 1, "1(d)", _("Professional soldier who left active service")),
        Basis(
            "RES_CAT1_DD",
            1,
            "1(đ)",
            _("Defence worker or official, formerly an NCO or soldier, who left"),
        ),
        Basis(
            "RES_CAT1_E",
            1,
            "1(e)",
            _(
                "Standing militia who completed duty, or core militia with at least 3 months "
                "of concentrated training"
            ),
        ),
        Basis(
            "RES_CAT1_G",
            1,
            "1(g)",
            _("Category-2 soldier with at least 6 months of concentrated training"),
        ),
        Basis("RES_CAT1_H", 1, "1(h)", _("Served in the commune police for at least 36 months")),
        Basis("RES_CAT2_A", 2, "2(a)", _("Discharged after less than 6 months of service")),
        Basis("RES_CAT2_B", 2, "2(b)", _("Defence worker or official not covered by 1(đ)")),
        Basis("RES_CAT2_C", 2, "2(c)", _("Left the People's Police after less than 12 months")),
        Basis(
            "RES_CAT2_D",
            2,
            "2(d)",
            _("Man past call-up age who never served"),
            sex=MALE,
        ),
        Basis(
            "RES_CAT2_DD",
            2,
            "2(đ)",
            _("Woman registered for a profession on the Government's list"),
            sex=FEMALE,
        ),
    )
}
# Cases the law leaves in neither category (domain-rules §0.8): recorded with the reason.
UNCATEGORISED: dict[str, Promise] = {
    "RUNCAT_POLICE_12_20M": _(
        "Left the People's Police after 12 to 19 months: MSL Art. 24(1)(c) asks at least 20, "
        "Art. 24(2)(c) less than 12"
    ),
}
OFFICER_BASIS = "RES_OFFICER"  # recorded apart: the Officers Law decides, not Art. 24


@dataclass(frozen=True)
class ReserveEntry:
    """The category (None: uncategorised) and its basis code (or the uncategorised reason)."""

    category: int | None
    basis_code: str


# ── Ages ───────────────────────────────────────────────────────────────────────────────────


def anniversary(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February falls on 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def age_on(birth_date: date, day: date) -> int:
    """Whole years reached on `day` ("đủ N tuổi" on the N-th birthday)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (a month is complete on the same day of the month)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (end.day < start.day)


def reserve_age_limit(sex: str) -> int:
    """RESERVE_AGE_LIMIT: NCOs and soldiers serve to the end of age 45 (men) or 40 (women)
    (MSL Art. 25)."""
    return 45 if sex == MALE else 40


def aged_out_on(sex: str, birth_date: date) -> date:
    """The first day past the age limit: the birthday after the end of age 45 / 40 (MSL Art.
    25); from that day the person is out of the reserve on his own."""
    return anniversary(birth_date, reserve_age_limit(sex) + 1)


def reserve_group(sex: str, age: int) -> str:
    """RESERVE_GROUP: group A to the end of 35 (men) / 30 (women), group B above (MSL Art. 26)."""
    return "A" if age <= (35 if sex == MALE else 30) else "B"


def reserve_group_on(sex: str, birth_date: date, day: date) -> str:
    """The group on `day` (RESERVE_GROUP, MSL Art. 26)."""
    return reserve_group(sex, age_on(birth_date, day))


# ── Bases of entry (MSL Art. 24) ───────────────────────────────────────────────────────────


def reserve_category_after_discharge(
    *, enlisted_on: date, discharged_on: date, after_combat: bool = False
) -> ReserveEntry:
    """Category on discharge: 1 after at least 6 months of service or after combat (MSL Art.
    24(1)(a)-(b)); 2 after less than 6 months (MSL Art. 24(2)(a))."""
    if after_combat:
        return ReserveEntry(1, "RES_CAT1_B")
    if months_between(enlisted_on, discharged_on) >= 6:
        return ReserveEntry(1, "RES_CAT1_A")
    return ReserveEntry(2, "RES_CAT2_A")


def entry_after_police(months_served: int) -> ReserveEntry:
    """Leaving the People's Police: category 1 after at least 20 months (MSL Art. 24(1)(c)),
    category 2 after less than 12 (Art. 24(2)(c)); from 12 to 19 months the law names neither
    category, so the person is recorded uncategorised with that reason (domain-rules §0.8)."""
    if months_served >= POLICE_CAT1_MONTHS:
        return ReserveEntry(1, "RES_CAT1_C")
    if months_served < POLICE_CAT2_BELOW_MONTHS:
        return ReserveEntry(2, "RES_CAT2_C")
    return ReserveEntry(None, "RUNCAT_POLICE_12_20M")


def entry_after_militia(*, standing_completed: bool, training_months: int) -> ReserveEntry | None:
    """Standing militia who completed duty, or other core militia with at least 3 months of
    concentrated training: category 1 (MSL Art. 24(1)(e) as amended by DQTV Art. 49(1)(b)).
    None when neither holds: militia service alone gives no basis."""
    if standing_completed or training_months >= CORE_MILITIA_TRAINING_MONTHS:
        return ReserveEntry(1, "RES_CAT1_E")
    return None


def entry_after_commune_police(months_served: int) -> ReserveEntry | None:
    """At least 36 months in the commune police continuously: category 1 (MSL Art. 24(1)(h));
    None below."""
    return ReserveEntry(1, "RES_CAT1_H") if months_served >= COMMUNE_POLICE_MONTHS else None


def entry_for_basis(code: str) -> ReserveEntry | None:
    """The entry a basis code gives (None for a code that is not a point of Art. 24)."""
    if code in BASES:
        return ReserveEntry(BASES[code].category, code)
    if code in UNCATEGORISED:
        return ReserveEntry(None, code)
    return None


def report_due_on(discharged_on: date) -> date:
    """A discharged soldier registers in the reserve within 15 working days of returning
    (RESERVE_REG_AFTER_DISCHARGE, MSL Art. 45); public holidays are not modelled."""
    day, remaining = discharged_on, REPORT_WORKING_DAYS
    while remaining:
        day += timedelta(days=1)
        remaining -= day.weekday() < 5
    return day


@dataclass(frozen=True)
class EntryFacts:
    """What an entry decision needs to know about the person on the entry day."""

    sex: str
    birth_date: date
    died_on: date | None
    basis_code: str
    entered_on: date
    kind: str = SOLDIER
    rank: str = ""
    specialty: str = ""
    in_active_service: bool = False  # a conflicting obligation on the day (MSL Art. 24, 25)
    open_membership_since: date | None = None  # already in the reserve since that day
    callup_last_age: int = CALLUP_LAST_AGE  # 27 for a student deferred for study (MSL Art. 30)


def entry_problems(facts: EntryFacts) -> list[FieldError]:
    """Why the person may not enter the reserve on `entered_on`; empty when he may.

    The basis must be a point of MSL Art. 24 (or an uncategorised case recorded with its
    reason, §0.8), the person alive, 18 or older and not past the age limit (Art. 25); a man in
    active service is not a reservist; a person already in the reserve does not enter twice;
    Art. 24(2)(d) concerns men past call-up age (Art. 30), 24(2)(đ) women. Officers are
    recorded with their own basis only.
    """
    problems: list[FieldError] = []
    if facts.died_on is not None and facts.died_on <= facts.entered_on:
        problems.append(FieldError("person", "RESERVE_PERSON_DIED", {"day": facts.died_on}))
    if facts.kind == OFFICER:
        if facts.basis_code != OFFICER_BASIS:
            problems.append(FieldError("basis", "RESERVE_OFFICER_BASIS", {"basis": OFFICER_BASIS}))
    elif facts.kind != SOLDIER:
        problems.append(FieldError("kind", "NOT_ONE_OF", {"choices": (SOLDIER, OFFICER)}))
    else:
        problems += _soldier_problems(facts)
    if facts.rank and facts.rank not in RANKS:
        problems.append(FieldError("rank", "RESERVE_RANK_UNKNOWN", {"rank": facts.rank}))
    if facts.specialty and facts.specialty not in SPECIALTIES:
        problems.append(
            FieldError("specialty", "RESERVE_SPECIALTY_UNKNOWN", {"specialty": facts.specialty})
        )
    if facts.in_active_service:
        problems.append(
            FieldError("person", "RESERVE_IN_ACTIVE_SERVICE", {"day": facts.entered_on})
        )
    if facts.open_membership_since is not None:
        problems.append(
            FieldError("person", "RESERVE_ALREADY_MEMBER", {"day": facts.open_membership_since})
        )
    return problems


def _soldier_problems(facts: EntryFacts) -> list[FieldError]:
    entry = entry_for_basis(facts.basis_code)
    if entry is None:
        return [FieldError("basis", "RESERVE_BASIS_UNKNOWN", {"basis": facts.basis_code})]
    problems: list[FieldError] = []
    age = age_on(facts.birth_date, facts.entered_on)
    limit = reserve_age_limit(facts.sex)
    if age < MIN_AGE:
        problems.append(FieldError("entered_on", "RESERVE_AGE", {"age": age, "min": MIN_AGE}))
    elif age > limit:
        problems.append(
            FieldError(
                "entered_on", "RESERVE_AGE_LIMIT", {"age": age, "limit": limit, "article": ART_25}
            )
        )
    basis = BASES.get(facts.basis_code)
    if basis is not None and basis.sex and basis.sex != facts.sex:
        problems.append(
            FieldError(
                "basis",
                "RESERVE_BASIS_SEX",
                {"basis": basis.code, "point": basis.point, "article": ART_24},
            )
        )
    elif facts.basis_code == "RES_CAT2_D" and age <= facts.callup_last_age:
        problems.append(
            FieldError(
                "basis",
                "RESERVE_NOT_PAST_CALLUP_AGE",
                {"age": age, "last": facts.callup_last_age, "article": ART_30},
            )
        )
    if facts.rank and RANKS.get(facts.rank) and RANKS[facts.rank].ladder == "officer":
        problems.append(FieldError("rank", "RESERVE_RANK_LADDER", {"rank": facts.rank}))
    return problems


# ── Category 2 → 1 (CAT2_TO_CAT1) ──────────────────────────────────────────────────────────


def category1_problems(
    *,
    sex: str,
    birth_date: date,
    category: int | None,
    kind: str,
    training_from: date,
    training_to: date,
) -> list[FieldError]:
    """Why a reservist may not move to category 1 after the training `training_from` …
    `training_to`; empty when he may. A category-2 soldier, up to the end of 35 (men) / 30
    (women) when called to training, who completes at least 6 months of concentrated training
    moves to category 1 (CAT2_TO_CAT1, Decree 14/2016 Art. 14–15; MSL Art. 24(1)(g))."""
    problems: list[FieldError] = []
    if kind != SOLDIER or category != 2:
        problems.append(FieldError("category", "RESERVE_NOT_CATEGORY_2"))
    if training_to < training_from:
        problems.append(FieldError("training_to", "RESERVE_TRAINING_ENDS_BEFORE_START"))
        return problems
    months = months_between(training_from, training_to + timedelta(days=1))
    if months < CAT2_TRAINING_MONTHS:
        problems.append(
            FieldError(
                "training_to",
                "RESERVE_TRAINING_TOO_SHORT",
                {"months": months, "min": CAT2_TRAINING_MONTHS, "article": DECREE_14_ART_15},
            )
        )
    age = age_on(birth_date, training_from)
    last = CAT2_TRAINING_LAST_AGE.get(sex, CAT2_TRAINING_LAST_AGE[FEMALE])
    if age > last:
        problems.append(
            FieldError(
                "training_from",
                "RESERVE_TRAINING_AGE",
                {"age": age, "last": last, "article": DECREE_14_ART_15},
            )
        )
    return problems


@dataclass(frozen=True)
class PeriodFacts:
    """One reserve period as the status rules see it."""

    kind: str
    sex: str
    birth_date: date
    valid_from: date | None
    valid_to: date | None
    category: int | None
    category1_on: date | None = None
    unfit_on: date | None = None
    died_on: date | None = None


def category_on(period: PeriodFacts, day: date) -> int | None:
    """The category on `day`: 1 from the day of the move under CAT2_TO_CAT1, else the entry's."""
    if period.category1_on is not None and period.category1_on <= day:
        return 1
    return period.category


def status_on(period: PeriodFacts, day: date) -> str | None:
    """`in_reserve`, `aged_out` or `left` on `day`; None before the entry.

    `aged_out` holds on its own from the first day past the age limit or from the day the
    person was found unfit (MSL Art. 25; removal, giải ngạch: domain-rules §0.8), whether or
    not the removal decision was recorded yet; `left` is any other end (death, a recorded
    end). Officers' limits are not ours to decide (Officers Law), so they never age out here.
    """
    if period.valid_from is not None and day < period.valid_from:
        return None
    out_on = out_of_reserve_on(period)
    # Ended before the age limit or unfitness came (a death, a move into active service): left.
    left_first = (
        period.valid_to is not None and out_on is not None and period.valid_to + _DAY < out_on
    )
    if out_on is not None and out_on <= day and not left_first:
        return AGED_OUT
    if (period.valid_to is not None and period.valid_to < day) or (
        period.died_on is not None and period.died_on <= day
    ):
        return LEFT
    return IN_RESERVE


_DAY = timedelta(days=1)


def out_of_reserve_on(period: PeriodFacts) -> date | None:
    """The first day a soldier is out of the reserve on his own: past the end of age 45 / 40
    (MSL Art. 25) or found unfit, whichever comes first; None for officers."""
    if period.kind != SOLDIER:
        return None
    out_on = aged_out_on(period.sex, period.birth_date)
    return out_on if period.unfit_on is None else min(out_on, period.unfit_on)


def removal_due(period: PeriodFacts, day: date) -> date | None:
    """The day from which removal (giải ngạch) is due, when it is due on `day` and not yet
    recorded: the period is still open and the person aged out or was found unfit (MSL Art.
    25, 29; REG_REMOVE_REPORT_DAYS)."""
    out_on = out_of_reserve_on(period)
    if out_on is None or period.valid_to is not None or out_on > day:
        return None
    return out_on


# ── Training, readiness checks, excuses (MSL Art. 27; LLDBĐV Art. 22) ──────────────────────

ART_27, LLDBDV_ART_22 = _("MSL Art. 27(1)"), _("LLDBĐV Art. 22")
TRAINING, READINESS_CHECK, UNIT_ACTIVITY = "training", "readiness_check", "unit_activity"
ACTIVITY_KINDS = (TRAINING, READINESS_CHECK, UNIT_ACTIVITY)
# RESERVE_CAT1_TRAINING_MAX: training in reserve units totals at most 12 months; counted in
# calendar days attended, 12 months taken as 365 days.
CAT1_TRAINING_MAX_DAYS = 365
READINESS_CHECK_MAX_DAYS = 7  # readiness checks between trainings last at most 7 days
EXCUSES: dict[str, Promise] = {
    "RDEF_EXAM_CONFLICT": _(
        "A civil-service or recruitment exam, a trade-grade exam or an end-of-term exam"
    ),
    "RDEF_ILLNESS_OR_HARDSHIP": _(
        "Illness or sudden family hardship confirmed by the commune or the employer"
    ),
}


def activity_problems(*, kind: str, starts_on: date, ends_on: date) -> list[FieldError]:
    """Why an activity cannot be called as given: it ends before it starts, or a readiness
    check lasts more than 7 days (RESERVE_CAT1_TRAINING_MAX, MSL Art. 27(1))."""
    if kind not in (TRAINING, READINESS_CHECK, UNIT_ACTIVITY):
        return [
            FieldError(
                "kind", "NOT_ONE_OF", {"choices": (TRAINING, READINESS_CHECK, UNIT_ACTIVITY)}
            )
        ]
    if ends_on < starts_on:
        return [FieldError("ends_on", "RESERVE_ACTIVITY_ENDS_BEFORE_START")]
    days = (ends_on - starts_on).days + 1
    if kind == READINESS_CHECK and days > READINESS_CHECK_MAX_DAYS:
        return [
            FieldError(
                "ends_on",
                "RESERVE_READINESS_CHECK_DAYS",
                {"days": days, "max": READINESS_CHECK_MAX_DAYS, "article": ART_27},
            )
        ]
    return []


@dataclass(frozen=True)
class AttendanceFacts:
    kind: str  # the activity's
    activity_days: int
    status: str  # "attended", "excused", "absent"
    excuse_code: str
    status_in_reserve: str | None  # rules.status_on the activity's first day
    category: int | None  # on that day
    trained_days_before: int  # category-1 training days attended in other activities


def attendance_problems(facts: AttendanceFacts) -> list[FieldError]:
    """Why the attendance cannot be recorded: the person is not in the reserve on the day, an
    excuse is missing or not one of LLDBĐV Art. 22's, or the training would take a category-1
    reservist past 12 months in total (RESERVE_CAT1_TRAINING_MAX, MSL Art. 27(1))."""
    problems: list[FieldError] = []
    if facts.status_in_reserve != IN_RESERVE:
        problems.append(FieldError("person", "RESERVE_NOT_IN_RESERVE"))
    if facts.status not in ("attended", "excused", "absent"):
        problems.append(
            FieldError("status", "NOT_ONE_OF", {"choices": ("attended", "excused", "absent")})
        )
    elif facts.status == "excused" and facts.excuse_code not in EXCUSES:
        problems.append(
            FieldError("excuse_code", "RESERVE_EXCUSE_UNKNOWN", {"article": LLDBDV_ART_22})
        )
    elif facts.status != "excused" and facts.excuse_code:
        problems.append(FieldError("excuse_code", "RESERVE_EXCUSE_UNEXPECTED"))
    total = facts.trained_days_before + facts.activity_days
    if (
        facts.status == "attended"
        and facts.kind == TRAINING
        and facts.category == 1
        and total > CAT1_TRAINING_MAX_DAYS
    ):
        problems.append(
            FieldError(
                "person",
                "RESERVE_TRAINING_TOTAL",
                {"days": total, "max": CAT1_TRAINING_MAX_DAYS, "article": ART_27},
            )
        )
    return problems
