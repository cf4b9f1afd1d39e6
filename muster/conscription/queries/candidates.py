"""The call-up candidate list (issue #4): every man of some communes aged 17–27 on a reference
date, with one status and its reason codes.

Set-based: ONE SQL query gathers each man's facts (active registration, newest examination,
decisions held on the reference date, service) and `rules.candidate_decision` — the one source
of truth — decides. Men with the same decisive facts share one decision: the decision depends
on the birth date only through `rules.age_on`, so the memo is keyed on the age, and a province
of ~140,000 candidates needs only a few hundred calls (see docs/PERFORMANCE.md).

A selector: it does not check jurisdiction. Callers pass commune ids their user may see
(`accounts.scope`) and record the read (`audit.record_read`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any, NamedTuple

from django.db import connection, connections, transaction

from muster.conscription.models import CallupCycle, GroundDecision, HealthExam
from muster.conscription.rules.callup import (
    CandidateFacts,
    HeldDecision,
    RuleSet,
    Status,
    age_on,
    candidate_decision,
    ruleset_get,
    ruleset_on,
    years_before,
)
from muster.core.errors import InvalidInput
from muster.core.replica import read_alias
from muster.geo.models import AdminUnit, Level
from muster.people.models import LifeStatus, Sex

CSV_COLUMNS = ("personal_id", "full_name", "birth_date", "status", "reasons")
STUDENT_GROUND = "DEF_STUDENT"
SERVING, SERVED = 2, 1  # the service fact as the query returns it
DATE_PREFIX = len("YYYY-MM-DD:")
SEPARATOR, NONE = "|", "~"  # in the packed facts; neither occurs in codes or levels
PG_SETTINGS = (
    "SET LOCAL jit = off",
    "SET LOCAL work_mem = '64MB'",
    "SET LOCAL DateStyle = 'ISO, YMD'",
)


class CandidateRow(NamedTuple):
    person_id: int
    personal_id: str
    full_name: str
    birth_date: date
    commune_code: str
    status: str
    reasons: tuple[str, ...]

    def csv_values(self) -> tuple[str, str, str, str, str]:
        """The row as the CLI and the page's download write it (`CSV_COLUMNS`)."""
        return (
            self.personal_id,
            self.full_name,
            self.birth_date.isoformat(),
            self.status,
            ";".join(self.reasons),
        )


def list_bounds(reference: date, ruleset: RuleSet) -> tuple[date, date]:
    """(exclusive lower, inclusive upper) birth dates of men aged list_min_age to list_max_age
    on `reference`: a birthday on the reference date counts as reached (`rules.years_before`)."""
    return (
        years_before(reference, ruleset.list_max_age + 1),
        years_before(reference, ruleset.list_min_age),
    )


def commune_ids_of(units: Sequence[int] | AdminUnit) -> list[int]:
    """Commune ids: the given list, or the communes directly under a province."""
    if isinstance(units, AdminUnit):
        if units.level == Level.COMMUNE:
            return [units.pk]
        return list(
            AdminUnit.objects.filter(parent=units, level=Level.COMMUNE).values_list("id", flat=True)
        )
    return list(units)


def reference_and_rules(
    commune: AdminUnit, year: int, reference: date | None
) -> tuple[date, RuleSet]:
    """The reference date (given, else the cycle's call-up date) and the rule set (the cycle's
    version and overrides, else the one in force on the reference date)."""
    cycle = CallupCycle.objects.filter(year=year, province_id=commune.parent_id).first()
    if reference is None:
        if cycle is None:
            raise InvalidInput.single(
                "reference_date", "CALLUP_NO_CYCLE", {"year": year, "commune": commune.code}
            )
        reference = cycle.callup_date
    if cycle is not None:
        try:
            return reference, ruleset_get(cycle.rules_version, cycle.rules_overrides or None)
        except ValueError as exc:  # a cycle saved under rules this version no longer knows
            raise InvalidInput.single(
                "rules", "CALLUP_RULES_UNKNOWN", {"version": cycle.rules_version}
            ) from exc
    try:
        return reference, ruleset_on(reference)
    except ValueError as exc:
        raise InvalidInput.single("rules", "CALLUP_RULES_NOT_IN_FORCE", {"day": reference}) from exc


def candidate_rows(
    *,
    communes: Sequence[int] | AdminUnit,
    reference: date,
    rules: RuleSet,
    ordered: bool = False,
) -> Iterator[CandidateRow]:
    """The candidate list of `communes` on `reference`; `ordered`: by commune, name and id
    (for lists people read; sorting a whole province's wide rows costs as much as the rest of
    the query, so counts and pools leave it off).

    Status and reasons are exactly `rules.candidate_decision` of each man's facts (MSL Art. 30
    ages, Art. 13–14 and 41 grounds, Circular 105/2023 and 148/2018 standards).
    """
    ids = commune_ids_of(communes)
    if not ids:
        return
    sql, params = facts_query(ids, reference, rules, ordered=ordered)
    # ~150,000 rows for a province: the loop is kept lean (see docs/PERFORMANCE.md).
    memo: dict[tuple[int, str], tuple[str, tuple[str, ...]]] = {}
    ages: dict[date, int] = {}
    codes = _sealed_code_tables()
    new_row = tuple.__new__
    for pid, personal_id, name, born, code, packed in _fetch(sql, params):
        age = ages.get(born)
        if age is None:
            age = ages[born] = age_on(born, reference)
        # The decision reads the birth date only as `age_on(born, reference)`; the other facts
        # come packed in one text (see facts_query), so equal facts are one key.
        key = (age, packed)
        decided = memo.get(key)
        if decided is None:
            decision = candidate_decision(_facts(born, packed, codes), reference, rules)
            decided = memo[key] = (decision.status, decision.reasons)
        yield new_row(CandidateRow, (pid, personal_id, name, born, code, *decided))


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """The query's rows. On PostgreSQL, for this query only: JIT off (compiling the plan took
    longer than running it), room for its hash aggregates in memory, ISO dates as text."""
    # A report reads the replica when there is one (core.replica); the call-up pages, the primary.
    db = connections[read_alias()]
    with transaction.atomic(using=db.alias), db.cursor() as cursor:
        if db.vendor == "postgresql":
            for setting in PG_SETTINGS:
                cursor.execute(setting)
        cursor.execute(sql, params)
        rows = list(cursor.fetchall())
    if rows and not isinstance(rows[0][3], date):  # SQLite returns dates as ISO text
        rows = [(*row[:3], date.fromisoformat(row[3]), *row[4:]) for row in rows]
    return rows


def _sealed_code_tables() -> dict[str, str]:
    """Pseudonym → code of the sealed outcome and ground codes under every data key: the
    query reads the columns as stored, and equal codes share a pseudonym, so the memo below
    still keys on them and only a decision's first computation maps them back."""
    return {
        **HealthExam._meta.get_field("outcome_codes").sealed.table(),
        **GroundDecision._meta.get_field("ground_code").sealed.table(),
    }


def _facts(born: date, packed: str, codes: dict[str, str] | None = None) -> CandidateFacts:
    """Facts from `education|exam codes|held|student|service` (`NONE` where there is none);
    `codes` maps sealed codes' pseudonyms back (`_sealed_code_tables`)."""
    edu, exam, held, student, service = packed.split(SEPARATOR)
    codes = codes or {}
    return CandidateFacts(
        birth_date=born,
        registered=edu != NONE,
        education_level=None if edu == NONE else edu or None,
        exam_codes=None if exam == NONE else tuple(codes.get(c, c) for c in exam.split(";")),
        held=_held(held, codes),
        student_deferral_ever=student == "1",
        service={str(SERVING): "serving", str(SERVED): "served"}.get(service),
    )


def _held(aggregated: str | None, codes: dict[str, str] | None = None) -> tuple[HeldDecision, ...]:
    """`kind:code:YYYY-MM-DD` items joined by `,` (string_agg / group_concat) → decisions."""
    if not aggregated:
        return ()
    codes = codes or {}
    held = []
    for item in aggregated.split(","):
        kind, code, decided_on = item.split(":")
        held.append(HeldDecision(kind, codes.get(code, code), date.fromisoformat(decided_on[:10])))
    return tuple(sorted(held, key=lambda h: (h.kind, h.code, h.decided_on)))


# ── The facts query ────────────────────────────────────────────────────────────────────────


def facts_query(
    commune_ids: list[int], reference: date, ruleset: RuleSet, *, ordered: bool = False
) -> tuple[str, list[Any]]:
    """One query: per man, (id, personal_id, full_name, birth_date, commune code, packed facts)
    where the facts are one text `education|exam codes|held|student|service`: the education
    level of the newest active registration and the outcome codes of the newest examination
    (`~` when there is none), held decisions `kind:code:date` joined by `,`, DEF_STUDENT ever
    decided 1/0, service 2 serving / 1 served / 0. One text per man keeps the Python side to
    one dictionary lookup per row.

    `men` restricts every other table to the candidates. No record of a man predates his birth
    (the actions refuse it), so each table is first cut to rows dated after the list's oldest
    birth date: the records of older men never reach the hash joins. The newest row is the MAX of its date
    as ISO text prefixed to its value (dates are unique per person): a hash aggregate, where a
    window function would sort.
    """
    low, high = list_bounds(reference, ruleset)
    in_communes, commune_params = _in_list(commune_ids)
    day = _date_text
    agg = "string_agg({}, ',')" if connection.vendor == "postgresql" else "group_concat({}, ',')"
    held_item = (
        "CASE WHEN g.valid_until IS NULL OR g.valid_until >= %s "
        f"THEN g.kind || ':' || g.ground_code || ':' || {day('g.decided_on')} END"
    )
    sql = f"""
WITH men AS (
  SELECT p.id, p.personal_id, p.full_name, p.birth_date, p.residence_commune_id, p.search_key
  FROM people_person p
  WHERE p.residence_commune_id {in_communes} AND p.sex = %s AND p.life_status = %s
    AND p.birth_date > %s AND p.birth_date <= %s
),
reg AS (
  SELECT r.person_id, MAX({day("r.registered_on")} || ':' || r.education_level) AS newest
  FROM conscription_registration r JOIN men m ON m.id = r.person_id
  WHERE r.registered_on > %s AND r.registered_on <= %s AND (r.removed_on IS NULL OR r.removed_on > %s)
  GROUP BY r.person_id
),
exam AS (
  SELECT h.person_id, MAX({day("h.examined_on")} || ':' || h.outcome_codes) AS newest
  FROM conscription_healthexam h JOIN men m ON m.id = h.person_id
  WHERE h.examined_on > %s AND h.examined_on <= %s
  GROUP BY h.person_id
),
dec AS (
  SELECT g.person_id, {agg.format(held_item)} AS held,
         MAX(CASE WHEN g.ground_code = %s THEN 1 ELSE 0 END) AS student
  FROM conscription_grounddecision g JOIN men m ON m.id = g.person_id
  WHERE g.decided_on > %s AND g.decided_on <= %s
  GROUP BY g.person_id
),
svc AS (
  SELECT s.person_id,
         MAX(CASE WHEN s.discharged_on IS NULL OR s.discharged_on > %s THEN {SERVING}
                  ELSE {SERVED} END) AS service
  FROM conscription_servicerecord s JOIN men m ON m.id = s.person_id
  WHERE s.enlisted_on > %s AND s.enlisted_on <= %s
  GROUP BY s.person_id
)
SELECT m.id, m.personal_id, m.full_name, m.birth_date, c.code,
       COALESCE(substr(reg.newest, {DATE_PREFIX + 1}), '{NONE}') || '{SEPARATOR}'
       || COALESCE(substr(exam.newest, {DATE_PREFIX + 1}), '{NONE}') || '{SEPARATOR}'
       || COALESCE(dec.held, '') || '{SEPARATOR}' || COALESCE(CAST(dec.student AS TEXT), '0')
       || '{SEPARATOR}' || COALESCE(CAST(svc.service AS TEXT), '0')
FROM men m
JOIN geo_adminunit c ON c.id = m.residence_commune_id
LEFT JOIN reg ON reg.person_id = m.id
LEFT JOIN exam ON exam.person_id = m.id
LEFT JOIN dec ON dec.person_id = m.id
LEFT JOIN svc ON svc.person_id = m.id
{"ORDER BY c.code, m.full_name COLLATE vi_icu, m.id" if ordered else ""}
"""
    params: list[Any] = [
        *commune_params,
        Sex.MALE.value,
        LifeStatus.ALIVE.value,
        low,
        high,
        low,
        reference,
        reference,  # reg
        low,
        reference,  # exam
        reference,
        STUDENT_GROUND,
        low,
        reference,  # dec
        reference,
        low,
        reference,  # svc
    ]
    return sql, params


def _date_text(column: str) -> str:
    """A date column as YYYY-MM-DD text, which sorts as the dates do. PostgreSQL: its ISO
    output (`PG_SETTINGS` sets DateStyle; far cheaper than to_char); SQLite stores ISO text."""
    if connection.vendor == "postgresql":
        return f"CAST({column} AS TEXT)"
    return column


def _in_list(ids: list[int]) -> tuple[str, list[Any]]:
    """`= ANY(%s)` with one array parameter on PostgreSQL, `IN (%s, …)` elsewhere."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", [list(ids)]
    return f"IN ({', '.join(['%s'] * len(ids))})", list(ids)


def status_counts(rows: Sequence[CandidateRow]) -> dict[str, int]:
    """Rows per status, every status present (zero when none), in `rules.Status.ALL` order."""
    counts = dict.fromkeys(Status.ALL, 0)
    for row in rows:
        counts[row.status] += 1
    return counts
