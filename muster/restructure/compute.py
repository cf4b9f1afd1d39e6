"""`plan_compute`: what a plan would do, without touching a single registry record.

Coverage (orphans), the records that would move (old unit → new unit, by record type), a
proposal for every person of a split ward, and the gaps left after the change with a proposed
fix each. With `record_cases` the split proposals are stored as `SplitCase` rows (the review
queue); nothing else is written.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from muster import audit
from muster.accounts.models import User
from muster.core.validity import valid_on
from muster.geo.models import AdminUnit, Level
from muster.linkage.addresses import legacy_geo_load
from muster.orgs.models import Appointment, OrgKind, OrgUnit, PositionKind, Territory
from muster.people.models import Person
from muster.restructure import militia_moves, rules
from muster.restructure.models import Plan, SplitCase, SplitStatus
from muster.restructure.resolve import Resolved, plan_resolve


@dataclass(frozen=True)
class Orphan:
    unit_type: str  # "admin" | "org"
    code: str
    name: str
    records: int  # persons living there / users holding it / militia members kept there


@dataclass(frozen=True)
class Move:
    record_type: str  # "person" | "user" | "territory" | "militia"
    old_code: str
    old_name: str
    new_code: str
    new_name: str
    count: int
    new_commune_id: int | None = None  # for scoping the page


@dataclass(frozen=True)
class Gap:
    # "commune_without_command" | "command_without_commander" | "jurisdiction_lost"
    # | "militia_below_target"
    kind: str
    unit_code: str
    text: str
    fix: str
    data: dict[str, Any] = field(default_factory=dict)
    commune_id: int | None = None


@dataclass
class PlanSummary:
    key: str
    effective_on: str
    steps: int
    affected_units: int
    orphans: list[Orphan]
    moves: list[Move]
    split_persons: int
    split_open: int
    gaps: list[Gap]

    @property
    def covered(self) -> bool:
        return not self.orphans

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanSummary:
        """The summary `as_dict` stored (`Plan.summary`)."""
        return cls(
            **{
                **data,
                "orphans": [Orphan(**o) for o in data["orphans"]],
                "moves": [Move(**m) for m in data["moves"]],
                "gaps": [Gap(**g) for g in data["gaps"]],
            }
        )


def stored_summary(plan: Plan) -> PlanSummary | None:
    """The plan's last computed summary, or None when it was never computed (or its steps
    changed since)."""
    return PlanSummary.from_dict(plan.summary) if plan.summary else None


@dataclass(frozen=True)
class _Proposal:
    person_id: int
    ward_id: int
    commune_id: int
    confidence: float
    evidence: dict[str, Any]


def _split_proposals(resolved: Resolved) -> list[_Proposal]:
    splits = resolved.split_wards()
    if not splits:
        return []
    codes = {resolved.admin[n].code for new in splits.values() for n in new}
    geo = legacy_geo_load(codes)
    proposals: list[_Proposal] = []
    rows = Person.objects.filter(residence_commune_id__in=sorted(splits)).values_list(
        "id", "residence_commune_id", "address"
    )
    for person_id, ward_id, address in rows.order_by("id").iterator(chunk_size=5000):
        successors = [
            rules.Successor(
                id=n,
                code=resolved.admin[n].code,
                short_name=resolved.admin[n].short_name,
                is_default=i == 0,
            )
            for i, n in enumerate(splits[ward_id])
        ]
        parts = [p.strip() for p in (address or "").split(",") if p.strip()]
        _default, found, _district = geo.resolve(address or "")
        parsed = bool(set(found) & {s.code for s in successors})
        village = (
            ", ".join(parts[:-3])
            if len(parts) >= 4
            else (parts[0] if parsed is False and parts else "")
        )
        proposal = rules.split_proposal(
            address=address or "", village=village, parsed_ward=parsed, successors=successors
        )
        proposals.append(
            _Proposal(
                person_id, ward_id, proposal.commune_id, proposal.confidence, proposal.evidence
            )
        )
    return proposals


def _record_cases(plan: Plan, proposals: list[_Proposal]) -> None:
    """Store proposals as split cases; a reviewer's decision is never overwritten."""
    decided = set(
        SplitCase.objects.filter(plan=plan, decided_by__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    SplitCase.objects.filter(plan=plan, decided_by__isnull=True).delete()
    SplitCase.objects.bulk_create(
        [
            SplitCase(
                plan=plan,
                person_id=p.person_id,
                legacy_ward_id=p.ward_id,
                proposed_commune_id=p.commune_id,
                confidence=p.confidence,
                evidence=p.evidence,
                status=SplitStatus.OPEN
                if p.confidence < rules.REVIEW_BELOW
                else SplitStatus.ACCEPTED,
                decided_commune_id=None if p.confidence < rules.REVIEW_BELOW else p.commune_id,
            )
            for p in proposals
            if p.person_id not in decided
        ],
        batch_size=5000,
    )


def _moves(resolved: Resolved, proposals: list[_Proposal], plan: Plan) -> list[Move]:
    admin_default = resolved.admin_default()
    counts: Counter[tuple[str, int, int]] = Counter()
    # Split wards: by the reviewer's decision, else the proposal.
    chosen = {p.person_id: p.commune_id for p in proposals}
    chosen.update(
        SplitCase.objects.filter(plan=plan, decided_commune__isnull=False).values_list(
            "person_id", "decided_commune_id"
        )
    )
    splits = resolved.split_wards()
    plain = sorted(set(admin_default) - set(splits))
    for start in range(0, len(plain), 900):
        for ward_id, n in (
            Person.objects.filter(residence_commune_id__in=plain[start : start + 900])
            .values_list("residence_commune_id")
            .annotate(n=Count("id"))
        ):
            counts[("person", ward_id, admin_default[ward_id])] += n
    if splits:
        for person_id, ward_id in Person.objects.filter(
            residence_commune_id__in=sorted(splits)
        ).values_list("id", "residence_commune_id"):
            counts[("person", ward_id, chosen.get(person_id, splits[ward_id][0]))] += 1
    org_default = resolved.org_default()
    for org_id, n in (
        User.objects.filter(jurisdiction_id__in=sorted(org_default))
        .values_list("jurisdiction_id")
        .annotate(n=Count("id"))
    ):
        counts[("user", org_id, org_default[org_id])] += n
    moves: list[Move] = []
    for (record_type, old, new), n in sorted(counts.items()):
        units: dict[int, Any] = resolved.org if record_type == "user" else resolved.admin
        moves.append(
            Move(
                record_type,
                units[old].code,
                units[old].name,
                units[new].code,
                units[new].name,
                n,
                new if record_type == "person" else None,
            )
        )
    # Commune-command territories on an ending admin unit follow it to the successor.
    for old, new in sorted(admin_default.items()):
        n = Territory.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=resolved.day),
            admin_unit_id=old,
            org_unit__kind=OrgKind.COMMUNE_COMMAND,
        ).count()
        if n:
            moves.append(
                Move(
                    "territory",
                    resolved.admin[old].code,
                    resolved.admin[old].name,
                    resolved.admin[new].code,
                    resolved.admin[new].name,
                    n,
                    new,
                )
            )
    # Militia rosters follow their command; scoped by the successor command's commune.
    militia = militia_moves.militia_move_counts(resolved)
    commune_of = _command_communes(resolved.day) if militia else {}
    for move in militia:
        old_org, new_org = resolved.org[move.old_id], resolved.org[move.new_id]
        moves.append(
            Move(
                "militia",
                old_org.code,
                old_org.name,
                new_org.code,
                new_org.name,
                move.count,
                commune_of.get(move.new_id),
            )
        )
    return moves


def _command_communes(day: date) -> dict[int, int]:
    """Commune command id → the commune it covers on `day`."""
    return dict(
        Territory.objects.filter(
            valid_on(day), org_unit__kind=OrgKind.COMMUNE_COMMAND, admin_unit__level=Level.COMMUNE
        ).values_list("org_unit_id", "admin_unit_id")
    )


def _orphans(resolved: Resolved) -> list[Orphan]:
    """Units ending before the day that still hold records and have no successor."""
    orphans: list[Orphan] = []
    mapped = set(resolved.admin_default())
    for unit_id, n in (
        Person.objects.filter(Q(residence_commune__valid_to__lt=resolved.day))
        .values_list("residence_commune_id")
        .annotate(n=Count("id"))
    ):
        if unit_id not in mapped:
            unit = AdminUnit.objects.get(pk=unit_id)
            orphans.append(Orphan("admin", unit.code, unit.name, n))
    mapped = set(resolved.org_default())
    org_records: Counter[int] = Counter(militia_moves.militia_orphans(resolved))
    for org_id, n in (
        User.objects.filter(jurisdiction__valid_to__lt=resolved.day)
        .values_list("jurisdiction_id")
        .annotate(n=Count("id"))
    ):
        if org_id not in mapped:
            org_records[org_id] += n
    for org_id, n in sorted(org_records.items()):
        org = OrgUnit.objects.get(pk=org_id)
        orphans.append(Orphan("org", org.code, org.name, n))
    return sorted(orphans, key=lambda o: (o.unit_type, o.code))


def _gaps(resolved: Resolved) -> list[Gap]:
    day, before = resolved.day, resolved.before
    gaps: list[Gap] = []
    communes = sorted(resolved.new_communes())
    command_of: dict[int, OrgUnit] = {}
    for territory in Territory.objects.filter(
        valid_on(day), admin_unit_id__in=communes, org_unit__kind=OrgKind.COMMUNE_COMMAND
    ).select_related("org_unit"):
        command_of[territory.admin_unit_id] = territory.org_unit
    for commune_id in communes:
        if commune_id in command_of:
            continue
        unit = resolved.admin[commune_id]
        code = f"BCHQS-X-{unit.code}"
        gaps.append(
            Gap(
                "commune_without_command",
                unit.code,
                f"{unit.name} has no commune military command from {day.isoformat()}",
                f"create {code} covering {unit.code} (muster orgs build)",
                {"commune": unit.code, "command": code},
                commune_id,
            )
        )
    # Commands the plan hands work to: commune commands of new communes and org successors.
    commands = {c.pk: c for c in command_of.values()}
    for new in resolved.org_successors.values():
        for org_id in new:
            commands.setdefault(org_id, resolved.org[org_id])
    headed = set(
        Appointment.objects.filter(
            valid_on(day),
            position__kind=PositionKind.COMMANDER,
            position__org_unit_id__in=sorted(commands),
        ).values_list("position__org_unit_id", flat=True)
    )
    predecessors: dict[int, list[int]] = defaultdict(list)
    for old, new in resolved.org_successors.items():
        for org_id in new:
            predecessors[org_id].append(old)
    commune_of_command = {c.pk: admin_id for admin_id, c in command_of.items()}
    for org_id, command in sorted(commands.items(), key=lambda kv: kv[1].code):
        if org_id in headed:
            continue
        staff = list(
            Appointment.objects.filter(
                valid_on(before), position__org_unit_id__in=predecessors.get(org_id, [])
            )
            .order_by("position__ordinal")
            .values_list("holder_name", "position__title", "position__org_unit__code")
        )
        candidates = [{"name": n, "title": t, "from": c} for n, t, c in staff]
        fix = (
            "appoint a commander from the dissolved unit's staff: "
            + ", ".join(f"{c['name']} ({c['title']}, {c['from']})" for c in candidates)
            if candidates
            else "appoint a commander (orgs appointment)"
        )
        gaps.append(
            Gap(
                "command_without_commander",
                command.code,
                f"{command.name} has no commander on {day.isoformat()}",
                fix,
                {"command": command.code, "candidates": candidates},
                commune_of_command.get(org_id),
            )
        )
    gaps += [_militia_gap(s, day) for s in militia_moves.militia_shortfalls(resolved, command_of)]
    org_default = resolved.org_default()
    for user_id, username, org_id in User.objects.filter(
        Q(jurisdiction__valid_to__lt=day), is_active=True
    ).values_list("id", "username", "jurisdiction_id"):
        successor = resolved.org.get(org_default[org_id]) if org_id in org_default else None
        gaps.append(
            Gap(
                "jurisdiction_lost",
                username,
                f"user {username}'s jurisdiction ends on {before.isoformat()}",
                f"move the jurisdiction to {successor.code} (done on apply)"
                if successor
                else "assign a new jurisdiction by hand",
                {"user": user_id, "to": successor.code if successor else None},
            )
        )
    return gaps


def _militia_gap(shortfall: militia_moves.Shortfall, day: date) -> Gap:
    command, short = shortfall.command, shortfall.target - shortfall.members
    select = f"select {short} more member(s) at the April registration (DQTV Art. 9(1)(a), 10)"
    return Gap(
        "militia_below_target",
        command.code,
        f"{command.name}: militia below its target size on {day.isoformat()} "
        f"({shortfall.members} of {shortfall.target})",
        f"set {command.code}'s own target (its predecessors' add up to {shortfall.target}), "
        f"then {select}"
        if shortfall.inherited
        else select,
        {
            "command": command.code,
            "target": shortfall.target,
            "members": shortfall.members,
            "inherited": shortfall.inherited,
        },
        shortfall.commune_id,
    )


def plan_compute(plan: Plan, *, record_cases: bool = True, acting_user: Any = None) -> PlanSummary:
    """What applying `plan` would do; changes no registry record.

    With `record_cases` the split proposals are stored as the plan's split cases (those below
    `rules.REVIEW_BELOW` open for review; decided ones are kept) and the computation audited.
    """
    resolved = plan_resolve(plan)
    proposals = _split_proposals(resolved)
    with transaction.atomic():
        if record_cases and plan.status != "applied":
            _record_cases(plan, proposals)
        summary = PlanSummary(
            key=plan.key,
            effective_on=plan.effective_on.isoformat(),
            steps=plan.steps.count(),
            affected_units=len(resolved.admin_successors) + len(resolved.org_successors),
            orphans=_orphans(resolved),
            moves=_moves(resolved, proposals, plan),
            split_persons=len(proposals),
            split_open=SplitCase.objects.filter(plan=plan, status=SplitStatus.OPEN).count(),
            gaps=_gaps(resolved),
        )
        if record_cases and plan.status != "applied":
            Plan.objects.filter(pk=plan.pk).update(
                summary=summary.as_dict(), computed_at=timezone.now()
            )
            audit.record(
                "restructure.plan.computed",
                actor=acting_user,
                target=plan,
                data={
                    "orphans": len(summary.orphans),
                    "moves": sum(m.count for m in summary.moves),
                    "split_persons": summary.split_persons,
                    "split_open": summary.split_open,
                    "gaps": len(summary.gaps),
                },
            )
    return summary
