"""Pure decisions of restructuring: succession-row checks and split-proposal scoring.

No ORM and no I/O. The 2025 change itself is Resolution 202/2025/QH15 (provinces) and the
Standing Committee resolutions of June 2025 (communes), domain-rules §4.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from muster.core.errors import FieldError
from muster.core.text import fold

KINDS = ("rename", "reparent", "merge", "split", "create", "abolish")
UNIT_TYPES = ("admin", "org")
# A split case at or above this confidence is decided by the proposal; below it goes to review.
REVIEW_BELOW = 0.8
CONFIDENCE_NAME_MATCH = 0.9
CONFIDENCE_DEFAULT_PARSED = 0.5
CONFIDENCE_DEFAULT_UNPARSED = 0.3


@dataclass(frozen=True)
class StepRow:
    line: int
    effective_on: date
    unit_type: str
    kind: str
    old_code: str
    new_code: str
    is_default: bool


def check_rows(rows: list[StepRow]) -> list[FieldError]:
    """Structural checks of succession rows (codes and dates are checked against the data
    elsewhere): one date per plan, known kinds, the codes each kind needs, a unit succeeded at
    most once on a date unless by split rows (exactly one of them the default), no cycles."""
    errors: list[FieldError] = []
    if not rows:
        return [FieldError("file", "PLAN_NO_ROWS")]
    day = rows[0].effective_on
    for row in rows:
        where = f"line {row.line}"
        if row.effective_on != day:
            errors.append(
                FieldError(where, "PLAN_DATE_DIFFERS", {"day": row.effective_on, "plan": day})
            )
        if row.unit_type not in UNIT_TYPES:
            errors.append(FieldError(where, "PLAN_UNIT_TYPE", {"value": row.unit_type}))
        if row.kind not in KINDS:
            errors.append(FieldError(where, "PLAN_KIND", {"value": row.kind, "choices": KINDS}))
        if row.kind != "create" and not row.old_code:
            errors.append(FieldError(where, "PLAN_OLD_CODE_REQUIRED", {"kind": row.kind}))
        if row.kind != "abolish" and not row.new_code:
            errors.append(FieldError(where, "PLAN_NEW_CODE_REQUIRED", {"kind": row.kind}))
        if row.old_code and row.old_code == row.new_code and row.kind not in ("rename", "reparent"):
            errors.append(FieldError(where, "PLAN_SELF_SUCCESSION", {"code": row.old_code}))
    by_old: dict[tuple[str, str], list[StepRow]] = defaultdict(list)
    for row in rows:
        if row.old_code:
            by_old[(row.unit_type, row.old_code)].append(row)
    for (_, code), group in by_old.items():
        if len(group) < 2:
            continue
        if any(r.kind != "split" for r in group):
            first = group[0].line
            for row in group[1:]:
                errors.append(
                    FieldError(
                        f"line {row.line}",
                        "PLAN_ALREADY_SUCCEEDED",
                        {"code": code, "day": row.effective_on, "line": first},
                    )
                )
        elif sum(r.is_default for r in group) != 1:
            errors.append(FieldError(f"line {group[0].line}", "PLAN_SPLIT_DEFAULT", {"code": code}))
    errors.extend(_cycles(rows))
    return errors


def _cycles(rows: list[StepRow]) -> list[FieldError]:
    """A → B … → A among rows whose successor keeps a code that is succeeded again."""
    edges: dict[tuple[str, str], list[StepRow]] = defaultdict(list)
    for row in rows:
        if row.old_code and row.new_code and row.old_code != row.new_code:
            edges[(row.unit_type, row.old_code)].append(row)
    errors: list[FieldError] = []
    reported: set[int] = set()
    for start in edges:
        stack: list[tuple[tuple[str, str], list[int]]] = [(start, [])]
        seen: set[tuple[str, str]] = set()
        while stack:
            node, path = stack.pop()
            for row in edges.get(node, []):
                nxt = (row.unit_type, row.new_code)
                lines = [*path, row.line]
                if nxt == start:
                    if row.line not in reported:
                        reported.update(lines)
                        errors.append(
                            FieldError(
                                f"line {min(lines)}",
                                "PLAN_CYCLE",
                                {"code": start[1], "lines": [str(n) for n in lines]},
                            )
                        )
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, lines))
    return errors


@dataclass(frozen=True)
class Successor:
    id: int
    code: str
    short_name: str
    is_default: bool


@dataclass(frozen=True)
class Proposal:
    commune_id: int
    confidence: float
    evidence: dict[str, object]


def _name_key(text: str) -> str:
    return " ".join(fold(text).replace("-", " ").split())


def split_proposal(
    *, address: str, village: str, parsed_ward: bool, successors: list[Successor]
) -> Proposal:
    """The successor a person of a split ward most likely belongs to.

    A village or street name that names a successor commune (folded, whole words) decides with
    high confidence; otherwise the default successor named by the source data, with a low
    confidence (lower still when the address did not even name the legacy ward). Resolution
    of the split itself: the 2025 commune resolutions list which villages went where; Muster
    has only names, so a name match is evidence, not proof.
    """
    default = next((s for s in successors if s.is_default), successors[0])
    village_key = f" {_name_key(village)} "
    matches = [
        s
        for s in successors
        if _name_key(s.short_name) and f" {_name_key(s.short_name)} " in village_key
    ]
    evidence: dict[str, object] = {
        "address": address,
        "parsed_ward": parsed_ward,
        "village": village,
        "default": default.code,
        "matched": matches[0].code if len(matches) == 1 else None,
    }
    if len(matches) == 1:
        return Proposal(matches[0].id, CONFIDENCE_NAME_MATCH, evidence)
    confidence = CONFIDENCE_DEFAULT_PARSED if parsed_ward else CONFIDENCE_DEFAULT_UNPARSED
    return Proposal(default.id, confidence, evidence)
