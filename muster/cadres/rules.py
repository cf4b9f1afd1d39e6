"""Pure decisions about cadres: which qualifications a position needs, what a cadre lacks, how
an assessment grades, how far a training target is met, when a certificate is due for renewal.
No ORM, no I/O.

Rule codes (shown with the rule's words through `cadres/labels.py`, kind "cadre_rule"):

- `CADRE_GM_TRAINING`: commune commanders, deputy commanders and assistants are trained to
  college or university level in grassroots military affairs at an army school; intermediate
  level no longer suffices (Law 48/2019/QH14 on Militia and Self-Defence Forces (DQTV) Art. 26
  as amended by Law 98/2025/QH15 Art. 10(13); domain-rules §3).
- `CADRE_POLITICAL_THEORY`: commune commanders hold political-theory training (issue 18: the
  reform's cadre standard; the level is not fixed in domain-rules).
- `CADRE_RESERVE_OFFICER`: the commune commander is a reserve officer (DQTV Art. 20(1), kept
  by L98's amendment; domain-rules §3): a commission recorded as a certificate, or a reserve
  officer's period on the reserve register (`cadres.positions.held_qualifications`).
- `CADRE_IT_MANDATORY`: IT competency is a mandatory criterion of every year's cadre
  assessment (MR3, issue 18).
- `COMMUNE_DEPUTY_COUNT`: deputy commanders per commune (Decree 72/2020/NĐ-CP Art. 4,
  `orgs.rules.deputy_commanders_allowed`, uncertain and configurable).
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

GM_TRAINING = "CADRE_GM_TRAINING"
POLITICAL_THEORY = "CADRE_POLITICAL_THEORY"
RESERVE_OFFICER = "CADRE_RESERVE_OFFICER"
IT_MANDATORY = "CADRE_IT_MANDATORY"

# Each requirement is met by any one of these qualifications (Qualification values).
SATISFIED_BY: dict[str, frozenset[str]] = {
    GM_TRAINING: frozenset({"gm_college", "gm_university"}),
    POLITICAL_THEORY: frozenset({"political_theory"}),
    RESERVE_OFFICER: frozenset({"reserve_officer"}),
}

# (org kind, position kind) → the requirements, in the order they are reported. Heads of area
# defence, provincial and regional commands are active officers whose training the army
# keeps: Muster sets them no requirement.
REQUIREMENTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("commune_command", "commander"): (GM_TRAINING, POLITICAL_THEORY, RESERVE_OFFICER),
    ("commune_command", "deputy_commander"): (GM_TRAINING,),
    ("commune_command", "assistant"): (GM_TRAINING,),
}

IT_CRITERION = "it_competency"
# A certificate expiring within this many days is put on the worklist for renewal.
EXPIRY_NOTICE_DAYS = 90


def requirements(org_kind: str, position_kind: str) -> tuple[str, ...]:
    """The rule codes a holder of `position_kind` in a command of `org_kind` must meet."""
    return REQUIREMENTS.get((org_kind, position_kind), ())


def qualification_gaps(org_kind: str, position_kind: str, held: Collection[str]) -> list[str]:
    """The requirements (rule codes, module docstring) that the qualifications `held` on the
    day leave unmet; an empty list is a qualified holder."""
    return [
        code for code in requirements(org_kind, position_kind) if not SATISFIED_BY[code] & set(held)
    ]


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    weight: int
    mandatory: bool
    threshold: Decimal
    evidence_required: bool = False


@dataclass(frozen=True)
class Thresholds:
    excellent_from: Decimal
    good_from: Decimal
    pass_from: Decimal


@dataclass(frozen=True)
class Grading:
    total: Decimal  # weighted mean of the scores, 0–100, two decimals
    grade: str  # Grade value
    failed: tuple[str, ...]  # mandatory criteria below their threshold


def criteria_set_problems(subject: str, criteria: Sequence[CriterionSpec]) -> list[str]:
    """What makes a criteria set unusable, as codes: no criterion or no weight
    (`CRITERIA_EMPTY`), a code twice (`CRITERIA_DUPLICATE`), a cadre set without IT
    competency as a mandatory criterion (`CADRE_IT_MANDATORY`, MR3)."""
    problems: list[str] = []
    if not criteria or sum(c.weight for c in criteria) <= 0:
        problems.append("CRITERIA_EMPTY")
    if len({c.code for c in criteria}) != len(criteria):
        problems.append("CRITERIA_DUPLICATE")
    if subject == "cadre" and not any(c.code == IT_CRITERION and c.mandatory for c in criteria):
        problems.append(IT_MANDATORY)
    return problems


def grade(
    criteria: Sequence[CriterionSpec], scores: Mapping[str, Decimal], thresholds: Thresholds
) -> Grading:
    """The weighted total of `scores` (0–100 each; a criterion not scored counts 0) and the
    grade its thresholds give; a mandatory criterion below its threshold fails the whole
    assessment whatever the total (so IT competency cannot be made up elsewhere, MR3)."""
    weights = sum(c.weight for c in criteria)
    weighted = sum(
        (Decimal(c.weight) * scores.get(c.code, Decimal(0)) for c in criteria), Decimal(0)
    )
    total = (weighted / weights if weights else Decimal(0)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    failed = tuple(
        c.code for c in criteria if c.mandatory and scores.get(c.code, Decimal(0)) < c.threshold
    )
    if failed or total < thresholds.pass_from:
        result = "fail"
    elif total >= thresholds.excellent_from:
        result = "excellent"
    elif total >= thresholds.good_from:
        result = "good"
    else:
        result = "pass"
    return Grading(total=total, grade=result, failed=failed)


def share_percent(qualified: int, holders: int) -> Decimal | None:
    """The share of holders qualified, in percent with one decimal; None with no holder."""
    if holders <= 0:
        return None
    return (Decimal(100) * qualified / holders).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def target_met(percent: int, qualified: int, holders: int) -> bool:
    """Whether `qualified` of `holders` reach a target of `percent` (no holder: met only by a
    target of 0: a target about holders is not met by having none)."""
    if holders <= 0:
        return percent == 0
    return qualified * 100 >= percent * holders


def add_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months, the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def certificate_expiry(issued_on: date, validity_months: int | None) -> date | None:
    """The last day a certificate holds: `validity_months` after issue, the day before the
    same date; None for a qualification that does not expire (a degree, a commission)."""
    if validity_months is None:
        return None
    return add_months(issued_on, validity_months) - timedelta(days=1)


def renewal_due(
    expires_on: date | None, today: date, *, notice_days: int = EXPIRY_NOTICE_DAYS
) -> bool:
    """Whether a certificate needs renewing: it expires within `notice_days` or has expired."""
    return expires_on is not None and expires_on <= today + timedelta(days=notice_days)


def held_on(certificates: Iterable[tuple[str, date, date | None]], day: date) -> frozenset[str]:
    """The qualifications of (qualification, issued_on, expires_on) rows in force on `day`."""
    return frozenset(
        q
        for q, issued, expires in certificates
        if issued <= day and (expires is None or expires >= day)
    )
