"""Positions, holders and qualification gaps, set-based over any set of commands.

Figures (counts) are not personal data: `position_figures` takes unit ids the caller already
scoped. The rows naming holders (`command_positions`) are read through `cadres.queries`, which
scopes and logs them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from muster.cadres import rules
from muster.cadres.models import Certificate
from muster.core.validity import valid_on
from muster.geo.models import Level
from muster.militia.queries import flags_by_commune
from muster.orgs import rules as orgs_rules
from muster.orgs.models import (
    Appointment,
    CommandDesignation,
    OrgKind,
    Position,
    PositionKind,
    Territory,
)
from muster.people.models import Person
from muster.reserve.models import ReserveKind, ReserveMembership

CHUNK = 900  # ids per IN list: under SQLite's parameter limit on every build
# Positions of a command that are not its cadres': a militia unit's leader (DQTV Art. 19) is a
# militia member appointed from the roster (`militia.actions.militia_unit_leader_appoint`), so it
# is neither listed, appointed nor counted here.
NOT_CADRE = (PositionKind.MILITIA_LEADER,)


@dataclass(frozen=True)
class PositionState:
    """A position on a day: established or not (deputies past the allowed number), its holder,
    the holder's person id when the personal ID names one, and the requirements unmet."""

    position: Position
    org_kind: str
    established: bool
    appointment: Appointment | None
    person_id: int | None
    gaps: tuple[str, ...]

    @property
    def filled(self) -> bool:
        return self.appointment is not None

    @property
    def qualified(self) -> bool:
        return self.filled and not self.gaps


@dataclass
class PositionFigures:
    """positions: established positions; positions_filled: those with a holder on the day;
    positions_qualified: those whose holder meets every requirement (cadres.rules)."""

    positions: int = 0
    positions_filled: int = 0
    positions_qualified: int = 0
    gaps: dict[str, int] = field(default_factory=dict)  # rule code → filled positions lacking it

    def add(self, other: PositionFigures) -> None:
        self.positions += other.positions
        self.positions_filled += other.positions_filled
        self.positions_qualified += other.positions_qualified
        for code, count in other.gaps.items():
            self.gaps[code] = self.gaps.get(code, 0) + count


def _chunks(ids: Collection[int]) -> list[list[int]]:
    ordered = sorted(ids)
    return [ordered[i : i + CHUNK] for i in range(0, len(ordered), CHUNK)]


def deputies_allowed(unit_ids: Collection[int], day: date) -> dict[int, int]:
    """Deputy commanders each commune command among `unit_ids` may have on `day`
    (orgs.rules.deputy_commanders_allowed with the configured limits). A command's
    designations are its own (`orgs` CommandDesignation: type-1, and any other set by the
    province) together with its commune's defence flags kept by the militia (border, coastal,
    island: `militia.queries.flags_by_commune`), so a flag is never kept twice."""
    designations: dict[int, set[str]] = defaultdict(set)
    commune_of: dict[int, int] = {}
    for chunk in _chunks(unit_ids):
        for unit_id, code in CommandDesignation.objects.filter(
            valid_on(day), org_unit_id__in=chunk
        ).values_list("org_unit_id", "designation"):
            designations[unit_id].add(code)
        commune_of.update(
            Territory.objects.filter(
                valid_on(day), org_unit_id__in=chunk, admin_unit__level=Level.COMMUNE
            ).values_list("org_unit_id", "admin_unit_id")
        )
    flags = flags_by_commune(sorted(set(commune_of.values())), day) if commune_of else {}
    for unit_id, commune_id in commune_of.items():
        flag = flags.get(commune_id)
        if flag is not None:
            designations[unit_id] |= {
                name for name in ("border", "coastal", "island") if getattr(flag, name)
            }
    limits = getattr(settings, "MUSTER_COMMUNE_DEPUTY_COMMANDERS", None)
    return {
        unit_id: orgs_rules.deputy_commanders_allowed(designations[unit_id], limits=limits)
        for unit_id in unit_ids
    }


def held_qualifications(personal_ids: Collection[str], day: date) -> dict[str, frozenset[str]]:
    """Qualifications in force on `day` of the persons with these personal IDs: their
    certificates, and `reserve_officer` for whoever the reserve register holds as a reserve
    officer that day (`reserve` app), so a commission need not be recorded twice."""
    rows: dict[str, list[tuple[str, date, date | None]]] = defaultdict(list)
    ids = sorted({p for p in personal_ids if p})
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for personal_id, qualification, issued, expires in Certificate.objects.filter(
            person__personal_id__in=chunk, issued_on__lte=day
        ).values_list("person__personal_id", "qualification", "issued_on", "expires_on"):
            rows[personal_id].append((qualification, issued, expires))
        for personal_id in ReserveMembership.objects.filter(
            valid_on(day), person__personal_id__in=chunk, kind=ReserveKind.OFFICER
        ).values_list("person__personal_id", flat=True):
            rows[personal_id].append(("reserve_officer", day, None))
    return {pid: rules.held_on(found, day) for pid, found in rows.items()}


def position_states(unit_ids: Collection[int], day: date) -> list[PositionState]:
    """Every position of the units, in unit and ordinal order, as it stood on `day`: a query
    per 900 units for positions, appointments and designations, one for the holders'
    certificates and persons — nothing per position."""
    positions: list[Position] = []
    for chunk in _chunks(unit_ids):
        positions += list(
            Position.objects.filter(org_unit_id__in=chunk)
            .exclude(kind__in=NOT_CADRE)
            .select_related("org_unit")
            .order_by("org_unit_id", "ordinal")
        )
    holders: dict[int, Appointment] = {}
    for chunk in _chunks(unit_ids):
        for held_by in (
            Appointment.objects.as_of(day)
            .filter(position__org_unit_id__in=chunk)
            .exclude(position__kind__in=NOT_CADRE)
            .order_by("position_id", "valid_from")
        ):
            holders[held_by.position_id] = held_by  # the latest start wins
    commune_units = {p.org_unit_id for p in positions if p.org_unit.kind == OrgKind.COMMUNE_COMMAND}
    allowed = deputies_allowed(commune_units, day)
    established: dict[int, frozenset[int]] = {}
    by_unit: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for p in positions:
        by_unit[p.org_unit_id].append((p.kind, p.ordinal))
    for unit_id, pairs in by_unit.items():
        established[unit_id] = orgs_rules.established_ordinals(
            pairs, deputies_allowed=allowed.get(unit_id, len(pairs))
        )
    personal_ids = {a.holder_personal_id for a in holders.values() if a.holder_personal_id}
    held = held_qualifications(personal_ids, day)
    person_ids: dict[str, int] = {}
    ids = sorted(personal_ids)
    for start in range(0, len(ids), CHUNK):
        person_ids.update(
            Person.objects.filter(personal_id__in=ids[start : start + CHUNK]).values_list(
                "personal_id", "id"
            )
        )
    states = []
    for p in positions:
        appointment = holders.get(p.pk)
        pid = appointment.holder_personal_id if appointment else ""
        states.append(
            PositionState(
                position=p,
                org_kind=p.org_unit.kind,
                established=p.ordinal in established[p.org_unit_id],
                appointment=appointment,
                person_id=person_ids.get(pid) if pid else None,
                gaps=tuple(rules.qualification_gaps(p.org_unit.kind, p.kind, held.get(pid, ())))
                if appointment
                else (),
            )
        )
    return states


def position_figures(unit_ids: Collection[int], day: date) -> dict[int, PositionFigures]:
    """Per command among `unit_ids`: its own positions, filled and qualified on `day`
    (established positions only). Units without positions are present with zeros.

    The same decisions as `position_states` (established ordinals, holders, qualification
    gaps), read as plain rows: no model built per position, so the readiness refresh of a
    region's thousands of commands stays a few queries and a loop."""
    figures = {unit_id: PositionFigures() for unit_id in unit_ids}
    positions: list[tuple[int, int, str, int, str]] = []
    for chunk in _chunks(unit_ids):
        positions += list(
            Position.objects.filter(org_unit_id__in=chunk)
            .exclude(kind__in=NOT_CADRE)
            .values_list("id", "org_unit_id", "kind", "ordinal", "org_unit__kind")
        )
    holder: dict[int, tuple[date | None, str]] = {}
    for chunk in _chunks(unit_ids):
        for position_id, since, personal_id in (
            Appointment.objects.as_of(day)
            .filter(position__org_unit_id__in=chunk)
            .exclude(position__kind__in=NOT_CADRE)
            .order_by("position_id", "valid_from")
            .values_list("position_id", "valid_from", "holder_personal_id")
        ):
            holder[position_id] = (since, personal_id or "")  # the latest start wins
    commune_units = {p[1] for p in positions if p[4] == OrgKind.COMMUNE_COMMAND}
    allowed = deputies_allowed(commune_units, day)
    by_unit: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for _pid, unit_id, kind, ordinal, _org_kind in positions:
        by_unit[unit_id].append((kind, ordinal))
    established = {
        unit_id: orgs_rules.established_ordinals(
            pairs, deputies_allowed=allowed.get(unit_id, len(pairs))
        )
        for unit_id, pairs in by_unit.items()
    }
    held = held_qualifications({h[1] for h in holder.values() if h[1]}, day)
    for position_id, unit_id, kind, ordinal, org_kind in positions:
        if ordinal not in established[unit_id]:
            continue
        one = figures[unit_id]
        one.positions += 1
        if position_id not in holder:
            continue
        one.positions_filled += 1
        gaps = rules.qualification_gaps(org_kind, kind, held.get(holder[position_id][1], ()))
        if not gaps:
            one.positions_qualified += 1
        for code in gaps:
            one.gaps[code] = one.gaps.get(code, 0) + 1
    return figures


def position_totals(unit_ids: Collection[int], day: date) -> PositionFigures:
    """The figures of `position_figures` summed over the set of commands."""
    total = PositionFigures()
    for one in position_figures(unit_ids, day).values():
        total.add(one)
    return total
