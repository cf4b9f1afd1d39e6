"""Call-up decisions as pure functions over a man's facts and a reference date.

Rule sets are versioned by effective date so an old cycle stays reproducible: a cycle records
the version and any overrides it ran with (`CallupCycle.rules_version`, `.rules_overrides`).
Every decision carries reason codes (explained, with citations, in `reasons.REASONS`).
`queries/candidates.py` computes the same decisions set-based; a test holds the two to the same
table of cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from muster.conscription.rules.grounds import GROUNDS, DecisionKind
from muster.core.errors import CodedError, FieldError

# ── Rule sets ──────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class RuleSet:
    """The call-up standards in force from `effective_from`."""

    version: str
    effective_from: date
    basis: str
    # Who is on the candidate list: men aged 17–27 on the reference date.
    list_min_age: int = 17
    list_max_age: int = 27
    # MSL Art. 30: from the 18th birthday to the end of age 25; end of 27 after a college or
    # university deferral (Circular 148/2018 Art. 4(1)).
    callup_min_age: int = 18
    callup_max_age: int = 25
    student_max_age: int = 27
    # Circular 148/2018 Art. 4(3)(c): class 3 is not called with myopia beyond 1.5 D, any
    # hyperopia, or a BMI outside 18.0–29.9. The 2018 text reads "≥ 1.5 D", the 2025 news
    # summaries "over 1.5 D" [UNCERTAIN in domain-rules §0.2]: configurable per cycle.
    myopia_limit: float = 1.5
    myopia_limit_inclusive: bool = True
    bmi_min: float = 18.0
    bmi_max: float = 29.9
    # Circular 148/2018 Art. 4(4)(a): grade 8 or higher; grade 7 only with approval.
    min_education_grade: int = 8
    allow_grade7: bool = False
    # MSL Art. 41(2)(đ): a hardship posting of 24 months or more exempts.
    hardship_exemption_months: int = 24


RULESETS: tuple[RuleSet, ...] = (
    RuleSet(
        version="2016-01",
        effective_from=date(2016, 1, 1),
        basis="Luật NVQS 2015; Thông tư 148/2018/TT-BQP; Thông tư 105/2023/TT-BQP",
        myopia_limit_inclusive=True,
    ),
    RuleSet(
        version="2025-07",
        effective_from=date(2025, 7, 1),
        basis="Luật NVQS 2015 sửa đổi bởi Luật 98/2025/QH15; Thông tư 68/2025/TT-BQP",
        myopia_limit_inclusive=False,
    ),
)

# Settings a cycle may override, because domain-rules.md marks them uncertain or they are a
# competent authority's call for one year.
OVERRIDABLE = frozenset({"myopia_limit_inclusive", "allow_grade7", "callup_max_age"})


def ruleset_on(day: date, overrides: dict[str, Any] | None = None) -> RuleSet:
    """The rule set in force on `day`, with a cycle's overrides applied."""
    candidates = [rules for rules in RULESETS if rules.effective_from <= day]
    if not candidates:
        raise ValueError(f"no call-up rules in force on {day.isoformat()}")
    return ruleset_with(candidates[-1], overrides)


def ruleset_get(version: str, overrides: dict[str, Any] | None = None) -> RuleSet:
    for rules in RULESETS:
        if rules.version == version:
            return ruleset_with(rules, overrides)
    raise ValueError(f"unknown call-up rules version {version!r}")


def ruleset_with(rules: RuleSet, overrides: dict[str, Any] | None) -> RuleSet:
    unknown = set(overrides or {}) - OVERRIDABLE
    if unknown:
        raise ValueError(f"these rules cannot be overridden: {', '.join(sorted(unknown))}")
    return replace(rules, **(overrides or {}))


# ── Ages ───────────────────────────────────────────────────────────────────────────────────


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (29 Feb → 28 Feb). A man born on or before it has
    reached `years` on `day`: a birthday on the reference date counts as reached."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def age_on(birth_date: date, day: date) -> int:
    """Whole years reached on `day` (born 29 Feb: a year is reached on 1 March)."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


# ── Education ──────────────────────────────────────────────────────────────────────────────

EDUCATION_LEVELS: tuple[str, ...] = (
    *(f"grade_{n}" for n in range(13)),
    "vocational",
    "college",
    "university",
    "postgraduate",
)
HIGHER_EDUCATION = frozenset({"college", "university", "postgraduate"})


def education_grade(level: str | None) -> int | None:
    """General-education grade a level stands for; None when unknown."""
    if not level:
        return None
    if level.startswith("grade_"):
        return int(level.removeprefix("grade_"))
    return 9 if level == "vocational" else 12


# ── Health ─────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ExamFacts:
    health_class: int
    myopia_diopters: float | None = None
    hyperopia: bool | None = None
    bmi: float | None = None
    drug_addiction: bool | None = None


# Codes of an examination outcome that keep a man from being called up.
NOT_FIT_CODES = frozenset(
    {"HC4", "HC5", "HC6", "DEF_HEALTH", "HC3_MYOPIA", "HC3_HYPEROPIA", "HC3_BMI", "EXC_DRUG"}
)

# Outcome codes that reveal sealed measurements (the class and DEF_HEALTH are published, MSL
# Art. 40(6)): stored as keyed pseudonyms (`core.sealed`, docs/security.md).
SEALED_OUTCOME_CODES = frozenset({"HC3_MYOPIA", "HC3_HYPEROPIA", "HC3_BMI", "EXC_DRUG"})


def exam_outcome(exam: ExamFacts, rules: RuleSet) -> tuple[str, ...]:
    """The reason codes of one examination, class code first.

    Classes 1–3 may be called, 4–6 are deferred for health (Circular 105/2023 Art. 4(1);
    MSL Art. 41(1)(a)); class 3 is not called with the eye and BMI exclusions of Circular
    148/2018 Art. 4(3)(c); drug addiction excludes whatever the class (Circular 105/2023 Art. 4(1)).
    """
    if not 1 <= exam.health_class <= 6:
        raise ValueError(f"health class must be 1–6, not {exam.health_class}")
    codes = [f"HC{exam.health_class}"]
    if exam.health_class >= 4:
        codes.append("DEF_HEALTH")
    if exam.health_class == 3:
        myopia = exam.myopia_diopters
        if myopia is not None and (
            myopia >= rules.myopia_limit
            if rules.myopia_limit_inclusive
            else myopia > rules.myopia_limit
        ):
            codes.append("HC3_MYOPIA")
        if exam.hyperopia:
            codes.append("HC3_HYPEROPIA")
        if exam.bmi is not None and not rules.bmi_min <= exam.bmi <= rules.bmi_max:
            codes.append("HC3_BMI")
    if exam.drug_addiction:
        codes.append("EXC_DRUG")
    return tuple(codes)


# ── Candidate decisions ────────────────────────────────────────────────────────────────────


class Status:
    ELIGIBLE = "eligible"
    DEFERRED = "deferred"
    EXEMPT = "exempt"
    NOT_FIT = "not_fit"
    OUT_OF_AGE = "out_of_age"
    ALREADY_SERVED = "already_served"
    UNREGISTERED = "unregistered"
    ALL = (ELIGIBLE, DEFERRED, EXEMPT, NOT_FIT, OUT_OF_AGE, ALREADY_SERVED, UNREGISTERED)


@dataclass(frozen=True)
class HeldDecision:
    """A deferral, exemption or completion decision that holds on the reference date."""

    kind: str
    code: str
    decided_on: date


@dataclass(frozen=True)
class CandidateFacts:
    birth_date: date
    registered: bool
    education_level: str | None = None
    # Outcome codes of the newest examination on or before the reference date; None: none yet.
    exam_codes: tuple[str, ...] | None = None
    held: tuple[HeldDecision, ...] = ()
    # A DEF_STUDENT deferral was decided on or before the reference date (Art. 30 extension).
    student_deferral_ever: bool = False
    service: str | None = None  # "serving" | "served" | None


@dataclass(frozen=True)
class Decision:
    status: str
    reasons: tuple[str, ...] = field(default_factory=tuple)


def candidate_decision(facts: CandidateFacts, reference: date, rules: RuleSet) -> Decision:
    """One status and its reasons for a man on the candidate list on `reference`.

    Precedence: out of age → already served → exempt → barred from registration (MSL Art. 13,
    deferred) → unregistered → not fit (health, education) → deferred → eligible. A man with
    no examination yet is eligible, to be examined (HEALTH_PENDING).
    """
    age = age_on(facts.birth_date, reference)
    extended = (
        facts.student_deferral_ever
        and facts.education_level in HIGHER_EDUCATION
        and rules.callup_max_age < age <= rules.student_max_age
    )
    prefix: tuple[str, ...] = ("CALLUP_AGE_STUDENT_27",) if extended else ()
    if age < rules.callup_min_age or (age > rules.callup_max_age and not extended):
        return Decision(Status.OUT_OF_AGE, ("CALLUP_AGE",))
    held = _held_codes(facts.held, reference, rules)
    if facts.service or held[DecisionKind.COMPLETION]:
        service = (
            ("SERVING",) if facts.service == "serving" else ("SERVED",) if facts.service else ()
        )
        return Decision(Status.ALREADY_SERVED, prefix + service + held[DecisionKind.COMPLETION])
    if held[DecisionKind.EXEMPTION]:
        return Decision(Status.EXEMPT, prefix + held[DecisionKind.EXEMPTION])
    deferrals = held[DecisionKind.DEFERRAL]
    if any(code.startswith("NR_") for code in deferrals):
        return Decision(Status.DEFERRED, prefix + deferrals)
    if not facts.registered:
        return Decision(Status.UNREGISTERED, (*prefix, "REG_FIRST_AGE_MALE"))
    not_fit = _not_fit_codes(facts, rules)
    if not_fit:
        return Decision(Status.NOT_FIT, prefix + not_fit)
    if deferrals:
        return Decision(Status.DEFERRED, prefix + deferrals)
    health = ("HEALTH_PENDING",) if facts.exam_codes is None else facts.exam_codes[:1]
    grade = education_grade(facts.education_level)
    fallback = ("STD_EDU_FALLBACK7",) if grade == 7 and rules.min_education_grade > 7 else ()
    return Decision(Status.ELIGIBLE, prefix + health + fallback)


def _held_codes(
    held: tuple[HeldDecision, ...], reference: date, rules: RuleSet
) -> dict[str, tuple[str, ...]]:
    """Held ground codes by kind, sorted; a long hardship posting counts as an exemption."""
    by_kind: dict[str, set[str]] = {kind: set() for kind in DecisionKind.ALL}
    long_ago = years_before(reference, rules.hardship_exemption_months // 12)
    for decision in held:
        if decision.code == "DEF_HARDSHIP_POSTING" and decision.decided_on <= long_ago:
            by_kind[DecisionKind.EXEMPTION].add("EX_HARDSHIP_POSTING_24M")
        else:
            by_kind[decision.kind].add(decision.code)
    return {kind: tuple(sorted(codes)) for kind, codes in by_kind.items()}


def _not_fit_codes(facts: CandidateFacts, rules: RuleSet) -> tuple[str, ...]:
    """The whole outcome of an examination that excludes (class code first), then education."""
    exam = facts.exam_codes or ()
    codes = exam if NOT_FIT_CODES.intersection(exam) else ()
    grade = education_grade(facts.education_level)
    floor = 7 if rules.allow_grade7 else rules.min_education_grade
    if grade is not None and grade < floor:
        codes += ("STD_EDU_DEFAULT",)
    return codes


# ── Decisions on grounds ──────────────────────────────────────────────────────────────────


def ground_problem(
    *, code: str, kind: str, sex: str, birth_date: date, decided_on: date, valid_until: date | None
) -> FieldError | None:
    """Why a decision on `code` cannot be recorded for this person, else None.

    The ground must exist and be of the decision's kind (MSL Art. 41(1) deferrals, 41(2)
    exemptions, Art. 13–14 registration bars and exemptions, Art. 4(4) completion), apply to
    the person's sex and age on the decision date, and a deferral cannot end before it starts.
    """
    ground = GROUNDS.get(code)
    if ground is None:
        return FieldError("ground_code", "GROUND_UNKNOWN", {"ground": code})
    if kind not in DecisionKind.ALL:
        return FieldError("kind", "NOT_ONE_OF", {"choices": DecisionKind.ALL})
    if ground.kind != kind:
        return FieldError(
            "ground_code", "GROUND_KIND_MISMATCH", {"ground": code, "kind": ground.kind}
        )
    if sex not in ground.sexes:
        return FieldError("ground_code", "GROUND_SEX", {"ground": code, "sex": sex})
    age = age_on(birth_date, decided_on)
    if not ground.min_age <= age <= ground.max_age:
        return FieldError(
            "ground_code",
            "GROUND_AGE",
            {
                "ground": code,
                "low": ground.min_age,
                "high": ground.max_age,
                "age": age,
                "day": decided_on,
            },
        )
    if valid_until is not None and valid_until < decided_on:
        return FieldError("valid_until", "DECISION_ENDS_BEFORE_DECIDED")
    return None


# ── Quotas ─────────────────────────────────────────────────────────────────────────────────


class QuotaError(CodedError, ValueError):
    """The quotas cannot be shared as asked (a code and its parameters, as `core.errors`)."""


def allocate_quotas(
    target: int,
    pools: dict[str, int],
    pinned: dict[str, int] | None = None,
    floors: dict[str, int] | None = None,
) -> dict[str, int]:
    """Commune quotas proportional to each commune's eligible pool, summing exactly to `target`.

    Largest-remainder (Hamilton) rounding; ties go to the larger pool, then the smaller code,
    so the result is reproducible. `pinned` quotas (staff overrides, each with a recorded
    reason) are kept and the rest of the target is shared among the other communes. The
    province allocates its target to communes (MSL Art. 34(3) [UNCERTAIN amended text]).

    `floors` are the orders each commune already has (drafted or issued, not revoked, not
    failed): a call-up order cannot be taken back by moving a quota, so no commune's quota
    falls below its orders, and the orders of the province never exceed its target (MSL Art.
    34(1): the Prime Minister's number; issue 13 finding 5, 17 orders against 12). A pinned
    quota lies between its floor and its eligible pool (an override asking for more men than
    are eligible would be met only by men who are not). Sharing follows the pools' unordered
    men first; only a target larger than every eligible man is shared past the pools, in
    proportion to them as before (or equally when no one is eligible).
    """
    pinned = dict(pinned or {})
    floors = {code: n for code, n in (floors or {}).items() if n > 0}
    if target < 0:
        raise QuotaError("QUOTA_TARGET_NEGATIVE")
    unknown = (set(pinned) | set(floors)) - set(pools)
    if unknown:
        raise QuotaError("QUOTA_UNKNOWN_COMMUNES", {"codes": sorted(unknown)})
    if any(quota < 0 for quota in pinned.values()):
        raise QuotaError("QUOTA_NEGATIVE")
    for code, quota in sorted(pinned.items()):
        if quota < floors.get(code, 0):
            raise QuotaError(
                "QUOTA_BELOW_ORDERS", {"commune": code, "ordered": floors[code], "quota": quota}
            )
    remaining = target - sum(pinned.values())
    if remaining < 0:
        raise QuotaError(
            "QUOTA_PINNED_OVER_TARGET", {"pinned": sum(pinned.values()), "target": target}
        )
    for code, quota in sorted(pinned.items()):
        if quota > max(pools[code], floors.get(code, 0)):
            raise QuotaError(
                "QUOTA_OVER_POOL", {"commune": code, "pool": pools[code], "quota": quota}
            )
    free = {code: pool for code, pool in pools.items() if code not in pinned}
    held = {code: floors.get(code, 0) for code in free}
    if sum(held.values()) > remaining:
        ordered = sum(held.values()) + sum(pinned.values())
        raise QuotaError("QUOTA_ORDERS_OVER_TARGET", {"ordered": ordered, "target": target})
    if remaining and not free:
        raise QuotaError("QUOTA_ALL_PINNED", {"pinned": sum(pinned.values()), "target": target})
    # The unordered eligible men of each free commune, and what is left to share over them.
    room = {code: max(0, pool - held[code]) for code, pool in free.items()}
    left = remaining - sum(held.values())
    if left <= sum(room.values()):
        quotas = _largest_remainder(left, room)
    else:
        # More wanted than eligible men: each free commune gets its whole room, the excess
        # follows the pools (equally when no one is eligible) so the total still holds.
        weights = free if sum(free.values()) else dict.fromkeys(free, 1)
        excess = _largest_remainder(left - sum(room.values()), weights)
        quotas = {code: room[code] + excess[code] for code in free}
    return pinned | {code: held[code] + quotas[code] for code in free}


def _largest_remainder(total: int, weights: dict[str, int]) -> dict[str, int]:
    """`total` shared in proportion to `weights` (Hamilton; ties: larger weight, smaller code)."""
    whole = sum(weights.values())
    shares = {code: total * w / whole if whole else 0.0 for code, w in weights.items()}
    result = {code: int(share) for code, share in shares.items()}
    left = total - sum(result.values())
    order = sorted(weights, key=lambda code: (-(shares[code] - result[code]), -weights[code], code))
    for code in order[:left]:
        result[code] += 1
    return result
