"""Writes to reserve units and assignments: each keyword-only, atomic, permitted through
`accounts.permissions` and audited in the same transaction.

An assignment takes effect in two steps by two people, as call-up order batches do: one
proposes it (`proposal_draft`, adjusted with `proposal_pin`/`proposal_release`), another
approves it (`proposal_approve`), which commits the proposal's rows as assignments from its
day. History is kept: an assignment that changes closes the day before and a new one opens,
so "who held this post on D" is an as-of query.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from muster import audit
from muster.accounts.models import User
from muster.accounts.permissions import require
from muster.core.errors import FieldError, InvalidInput
from muster.orgs.models import OrgKind, OrgUnit
from muster.people.models import Person
from muster.reserve import assignment_rules as r
from muster.reserve import specialties
from muster.reserve.assignment_input import assignment_input
from muster.reserve.models_units import (
    AssignmentProposal,
    ProposalPin,
    ProposalRow,
    ProposalStatus,
    ReserveAssignment,
    ReservePost,
    ReserveUnit,
)
from muster.reserve.solver import Solution, solve
from muster.reserve.unit_queries import Province

_DAY = timedelta(days=1)


def _command_audit(command: OrgUnit) -> str:
    return command.code


@transaction.atomic
def reserve_unit_save(
    *,
    command: OrgUnit,
    code: str,
    name: str,
    force: str,
    role: str,
    spare_percent: int,
    area: OrgUnit | None = None,
    valid_from: date | None = None,
    acting_user: User | None,
) -> ReserveUnit:
    """Create the reserve unit `code` under a provincial command, or change it (LLDBĐV Art.
    14-15); the spare margin must lie within 10-15 % (Art. 15(2))."""
    require(acting_user, "reserve.unit.edit", unit=command)
    errors: list[FieldError] = []
    if not code.strip():
        errors.append(FieldError("code", "RESERVE_UNIT_CODE_REQUIRED"))
    if force not in r.FORCES:
        errors.append(FieldError("force", "RESERVE_UNIT_FORCE", {"force": force}))
    if role not in r.ROLES:
        errors.append(FieldError("role", "RESERVE_UNIT_ROLE", {"role": role}))
    if not r.spare_percent_allowed(spare_percent):
        errors.append(
            FieldError(
                "spare_percent",
                "RESERVE_UNIT_SPARE",
                {"percent": spare_percent, "min": r.SPARE_MIN, "max": r.SPARE_MAX},
            )
        )
    if area is not None and (
        area.kind != OrgKind.AREA_DEFENCE_COMMAND or area.parent_id != command.pk
    ):
        errors.append(FieldError("area", "RESERVE_UNIT_AREA", {"code": area.code}))
    existing = ReserveUnit.objects.filter(code=code.strip()).first()
    if existing is not None and existing.command_id != command.pk:
        errors.append(FieldError("code", "RESERVE_UNIT_CODE_TAKEN", {"code": code}))
    if errors:
        raise InvalidInput(errors)
    unit = existing or ReserveUnit(code=code.strip(), command=command)
    unit.name, unit.force, unit.role = name.strip(), force, role
    unit.spare_percent, unit.area = spare_percent, area
    if existing is None:
        unit.valid_from = valid_from
    unit.save()
    audit.record(
        "reserve.unit.saved",
        actor=acting_user,
        target=unit,
        data={
            "code": unit.code,
            "command": _command_audit(command),
            "force": force,
            "role": role,
            "spare_percent": spare_percent,
            "area": area.code if area else None,
            "created": existing is None,
        },
    )
    return unit


@transaction.atomic
def reserve_post_save(
    *,
    unit: ReserveUnit,
    position: str,
    specialty: str,
    min_rank: str,
    count: int,
    acting_user: User | None,
) -> ReservePost:
    """Set one row of `unit`'s establishment table: position × specialty × minimum rank ×
    count (the specialty and rank from the register's code tables)."""
    require(acting_user, "reserve.unit.edit", unit=unit.command)
    errors: list[FieldError] = []
    if not position.strip():
        errors.append(FieldError("position", "RESERVE_POST_POSITION_REQUIRED"))
    if not specialties.is_specialty(specialty):
        errors.append(FieldError("specialty", "RESERVE_POST_SPECIALTY", {"code": specialty}))
    if min_rank and not specialties.is_rank(min_rank):
        errors.append(FieldError("min_rank", "RESERVE_POST_RANK", {"code": min_rank}))
    if count < 1:
        errors.append(FieldError("count", "RESERVE_POST_COUNT", {"count": count}))
    if errors:
        raise InvalidInput(errors)
    post, created = ReservePost.objects.update_or_create(
        unit=unit,
        position=position.strip(),
        defaults={"specialty": specialty, "min_rank": min_rank, "count": count},
    )
    audit.record(
        "reserve.post.saved",
        actor=acting_user,
        target=unit,
        data={
            "position": post.position,
            "specialty": specialty,
            "min_rank": min_rank,
            "count": count,
            "created": created,
        },
    )
    return post


@transaction.atomic
def reserve_post_remove(*, post: ReservePost, acting_user: User | None) -> None:
    """Take a row out of the establishment table; refused while anyone holds it."""
    require(acting_user, "reserve.unit.edit", unit=post.unit.command)
    if ReserveAssignment.objects.filter(post=post, valid_to__isnull=True).exists():
        raise InvalidInput.single("post", "RESERVE_POST_HELD", {"position": post.position})
    audit.record(
        "reserve.post.removed",
        actor=acting_user,
        target=post.unit,
        data={"position": post.position},
    )
    post.delete()


def _store_rows(proposal: AssignmentProposal, solution: Solution) -> None:
    ProposalRow.objects.filter(proposal=proposal).delete()
    ProposalRow.objects.bulk_create(
        [
            ProposalRow(
                proposal=proposal,
                person_id=p.person_id,
                post_id=p.post_id,
                match=p.match,
                spare=p.spare,
                pinned=p.pinned,
            )
            for p in solution.placements
        ],
        batch_size=2000,
    )


def _recompute(proposal: AssignmentProposal, province: Province) -> Solution:
    found = assignment_input(province, proposal.day, proposal)
    solution = solve(found.problem)
    _store_rows(proposal, solution)
    return solution


def _counts(solution: Solution) -> dict[str, int]:
    matches = Counter(p.match for p in solution.placements)
    return {
        "placed": len(solution.placements),
        "exact": matches[r.EXACT],
        "near": matches[r.NEAR],
        "pinned": sum(p.pinned for p in solution.placements),
        "pins_refused": len(solution.refused_pins),
    }


@transaction.atomic
def proposal_draft(
    *, province: Province, day: date, acting_user: User | None
) -> tuple[AssignmentProposal, Solution]:
    """Propose the province's assignment on `day` (the solver's), replacing a draft not yet
    approved (its pins kept when its day is the same)."""
    require(acting_user, "reserve.assignment.propose", unit=province.command)
    old = (
        AssignmentProposal.objects.select_for_update()
        .filter(command=province.command, status=ProposalStatus.DRAFT)
        .first()
    )
    pins: list[tuple[int, int | None]] = []
    if old is not None:
        if old.day == day:
            pins = list(old.pins.values_list("person_id", "post_id"))
        old.status = ProposalStatus.DISCARDED
        old.save(update_fields=["status"])
    proposal = AssignmentProposal.objects.create(
        command=province.command, day=day, created_by=acting_user
    )
    ProposalPin.objects.bulk_create(
        [ProposalPin(proposal=proposal, person_id=p, post_id=q) for p, q in pins]
    )
    solution = _recompute(proposal, province)
    audit.record(
        "reserve.proposal.drafted",
        actor=acting_user,
        target=proposal,
        data={"command": province.command.code, "day": day.isoformat(), **_counts(solution)},
    )
    return proposal, solution


def _draft_locked(proposal: AssignmentProposal) -> AssignmentProposal:
    locked = AssignmentProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != ProposalStatus.DRAFT:
        raise InvalidInput.single("proposal", "RESERVE_PROPOSAL_CLOSED", {"status": locked.status})
    return locked


@transaction.atomic
def proposal_pin(
    *,
    province: Province,
    proposal: AssignmentProposal,
    person: Person,
    post: ReservePost | None,
    acting_user: User | None,
) -> Solution:
    """Pin `person` on `post` in the draft (None: keep the person out of it), then propose
    again around the pins. A pin must be lawful: age, women's units, rank, an exact or near
    specialty (LLDBĐV Art. 16-17), and the post must have a seat left."""
    require(acting_user, "reserve.assignment.propose", unit=province.command)
    proposal = _draft_locked(proposal)
    if post is not None and post.unit.command_id != province.command.pk:
        raise InvalidInput.single(
            "post", "RESERVE_POST_NOT_IN_PROVINCE", {"position": post.position}
        )
    ProposalPin.objects.update_or_create(proposal=proposal, person=person, defaults={"post": post})
    solution = _recompute(proposal, province)
    if (why := solution.refused_pins.get(person.pk)) is not None:
        raise InvalidInput([_pin_refusal(why, person)])
    audit.record(
        "reserve.proposal.pinned",
        actor=acting_user,
        target=proposal,
        data={"person": person.pk, "post": post.pk if post else None, **_counts(solution)},
        commune_code=person.residence_commune.code,
    )
    return solution


def _pin_refusal(code: str, person: Person) -> FieldError:
    """Why a pin cannot hold, as the error staff read (the solver's codes)."""
    name = {"name": person.full_name}
    if code == r.AGE:
        return FieldError("person", "RESERVE_ASSIGN_AGE", name)
    if code == r.WOMEN:
        return FieldError("person", "RESERVE_ASSIGN_WOMEN", name)
    if code == r.RANK:
        return FieldError("person", "RESERVE_ASSIGN_RANK", name)
    if code == r.SPECIALTY:
        return FieldError("person", "RESERVE_ASSIGN_SPECIALTY", name)
    if code == r.PIN_FULL:
        return FieldError("post", "RESERVE_PIN_FULL", name)
    return FieldError("person", "RESERVE_PIN_NOT_A_CANDIDATE", name)


@transaction.atomic
def proposal_release(
    *, province: Province, proposal: AssignmentProposal, person: Person, acting_user: User | None
) -> Solution:
    """Take back a pin or an exclusion: the solver decides for the person again."""
    require(acting_user, "reserve.assignment.propose", unit=province.command)
    proposal = _draft_locked(proposal)
    ProposalPin.objects.filter(proposal=proposal, person=person).delete()
    solution = _recompute(proposal, province)
    audit.record(
        "reserve.proposal.pinned",
        actor=acting_user,
        target=proposal,
        data={"person": person.pk, "released": True, **_counts(solution)},
        commune_code=person.residence_commune.code,
    )
    return solution


@transaction.atomic
def proposal_discard(
    *, province: Province, proposal: AssignmentProposal, acting_user: User | None
) -> None:
    """Drop a draft (nothing it proposed takes effect)."""
    require(acting_user, "reserve.assignment.propose", unit=province.command)
    proposal = _draft_locked(proposal)
    proposal.status = ProposalStatus.DISCARDED
    proposal.save(update_fields=["status"])
    audit.record("reserve.proposal.discarded", actor=acting_user, target=proposal, data={})


@transaction.atomic
def proposal_approve(
    *, province: Province, proposal: AssignmentProposal, acting_user: User | None
) -> dict[str, int]:
    """Approve a draft and commit its rows as assignments from its day: by another person than
    its proposer (two-person rule, also a database constraint). Each row is checked again
    against the law on the day (a reservist who aged out since is refused: propose again)."""
    require(acting_user, "reserve.assignment.approve", unit=province.command)
    proposal = _draft_locked(proposal)
    if acting_user is not None and proposal.created_by_id == acting_user.pk:
        raise InvalidInput.single("proposal", "RESERVE_TWO_PERSON_RULE")
    found = assignment_input(province, proposal.day)
    people = {c.person_id: c for c in found.problem.candidates}
    posts = {p.post_id: p for p in found.problem.posts}
    rows = list(proposal.rows.values_list("person_id", "post_id", "match", "spare"))
    stale = 0
    for person_id, post_id, match, _spare in rows:
        candidate, post = people.get(person_id), posts.get(post_id)
        near = found.problem.near.get(post.specialty, frozenset()) if post else frozenset()
        if candidate is None or post is None or r.pairing(candidate, post, near)[0] != match:
            stale += 1
    if stale:
        raise InvalidInput.single("proposal", "RESERVE_PROPOSAL_STALE", {"count": stale})
    counts = _commit(province, proposal, rows)
    proposal.status = ProposalStatus.COMMITTED
    proposal.approved_by = acting_user
    proposal.approved_at = timezone.now()
    try:
        with transaction.atomic():
            proposal.save(update_fields=["status", "approved_by", "approved_at"])
    except IntegrityError as exc:  # the database's own two-person check
        raise InvalidInput.single("proposal", "RESERVE_TWO_PERSON_RULE") from exc
    audit.record(
        "reserve.assignments.committed",
        actor=acting_user,
        target=proposal,
        data={"command": province.command.code, "day": proposal.day.isoformat(), **counts},
    )
    return counts


def _commit(
    province: Province, proposal: AssignmentProposal, rows: list[tuple[int, int, str, bool]]
) -> dict[str, int]:
    """Assignments from the proposal's day: unchanged ones stay, changed ones close the day
    before and reopen, those no longer proposed close; one that began on the day itself is
    replaced in place (nothing held before the day changes)."""
    day = proposal.day
    wanted = {pid: (post, match, spare) for pid, post, match, spare in rows}
    current = {
        a.person_id: a
        for a in ReserveAssignment.objects.filter(
            valid_to__isnull=True, post__unit__command=province.command
        ).select_for_update()
    }
    # Someone proposed here who holds a post of another province moves: that one closes too.
    elsewhere = {
        a.person_id: a
        for a in ReserveAssignment.objects.filter(
            valid_to__isnull=True, person_id__in=list(wanted)
        ).exclude(post__unit__command=province.command)
    }
    current.update(elsewhere)
    close_ids: list[int] = []
    drop_ids: list[int] = []
    kept = 0
    for pid, holding in current.items():
        if wanted.get(pid) == (holding.post_id, holding.match, holding.spare):
            kept += 1
        elif holding.valid_from is not None and holding.valid_from >= day:
            drop_ids.append(holding.pk)
        else:
            close_ids.append(holding.pk)
    ReserveAssignment.objects.filter(pk__in=close_ids).update(valid_to=day - _DAY)
    ReserveAssignment.objects.filter(pk__in=drop_ids).delete()
    unchanged = {
        pid for pid, a in current.items() if a.pk not in close_ids and a.pk not in drop_ids
    }
    fresh = [
        ReserveAssignment(
            person_id=pid, post_id=post, match=match, spare=spare, proposal=proposal, valid_from=day
        )
        for pid, (post, match, spare) in sorted(wanted.items())
        if pid not in unchanged
    ]
    ReserveAssignment.objects.bulk_create(fresh, batch_size=2000)
    return {
        "assigned": len(wanted),
        "kept": kept,
        "opened": len(fresh),
        "closed": len(close_ids) + len(drop_ids),
    }
