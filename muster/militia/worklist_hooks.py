"""What militia records mean to the worklists (registered from `apps.MilitiaConfig.ready`).

- The militia roster is a register, so a member's move or death is the commune's work (DQTV
  Art. 9(2)(b), Art. 12(2)).
- Item sources (`worklists.hooks.register_item_source`), each opening its items and closing
  them as soon as the roster no longer calls for them:
  - a term ending within 90 days (DQTV Art. 8(2), Art. 13) — closes on an extension or a
    leave;
  - a member reaching the age limit within 90 days (Art. 8(1));
  - a command with fewer members than its target (Art. 10, 15) — closes once filled, opens
    again if it falls short again;
  - the standing militia and military service (MSL Art. 41(1)(h), Art. 4(4)(a)): a standing
    member is proposed for the call-up deferral, and one who has served 24 months for
    recognition of completed service; `conscription` closes them when the decision is
    recorded (it registers the closers: it sits above this app).

Items about a person are kept on the worklist of the commune the person lives in; a command's
on the commune of its territory.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, QuerySet

from muster.core.validity import valid_on
from muster.geo.models import Level
from muster.militia import rules
from muster.militia.models import MilitiaAbsence, MilitiaMembership, MilitiaTarget
from muster.orgs.models import Territory
from muster.worklists import hooks
from muster.worklists.rules import MILITIA_NOTICE_DAYS, Kind

CLOSED = "The militia roster no longer calls for this (closed by the system)."
STANDING_MONTHS = 24  # MSL Art. 4(4)(a): DONE_STANDING_MILITIA_24M


def on_register(*, day: date) -> QuerySet[Any]:
    """Persons on a militia roster on `day`."""
    return MilitiaMembership.objects.as_of(day).values("person_id")


def _members(today: date, narrow: hooks.Narrow) -> QuerySet[MilitiaMembership]:
    """Members serving on `today` and not leaving (a membership closed today is done with)."""
    members = MilitiaMembership.objects.filter(valid_to__isnull=True, valid_from__lte=today)
    if narrow.person_ids is not None:
        members = members.filter(person_id__in_array=narrow.person_ids)
    if narrow.commune_ids is not None:
        members = members.filter(person__residence_commune_id__in_array=narrow.commune_ids)
    return members.select_related("person", "unit")


def _detail(m: MilitiaMembership, **more: Any) -> dict[str, Any]:
    return {"unit_name": m.unit.name, "unit_code": m.unit.code, "force_kind": m.force_kind, **more}


def terms_and_ages(*, today: date, narrow: hooks.Narrow) -> list[hooks.Due]:
    """Members whose term ends, or who reach the age limit, within the notice days."""
    if narrow.person_ids == []:
        return []
    horizon = today + timedelta(days=MILITIA_NOTICE_DAYS)
    due: list[hooks.Due] = []
    for m in _members(today, narrow):
        person = m.person
        age_end = rules.last_day_of_age(
            person.birth_date, rules.age_limit(person.sex, volunteer=m.volunteer)
        )
        if age_end <= horizon:
            due.append(
                hooks.Due(
                    kind=Kind.MILITIA_AGE_LIMIT,
                    commune_id=person.residence_commune_id,
                    key=age_end.isoformat(),
                    person_id=m.person_id,
                    due_on=age_end,
                    detail=_detail(m, age_ends_on=age_end.isoformat()),
                )
            )
        elif m.term_ends_on <= horizon:
            due.append(
                hooks.Due(
                    kind=Kind.MILITIA_TERM_ENDING,
                    commune_id=person.residence_commune_id,
                    key=m.term_ends_on.isoformat(),
                    person_id=m.person_id,
                    due_on=m.term_ends_on,
                    detail=_detail(m, term_ends_on=m.term_ends_on.isoformat()),
                )
            )
    return due


def standing_proposals(*, today: date, narrow: hooks.Narrow) -> list[hooks.Due]:
    """Standing-militia members: the deferral of call-up to propose from the day they join
    (MSL Art. 41(1)(h)); recognition of completed service once they have served 24 months
    (Art. 4(4)(a)). Only men of call-up age need the deferral (to the end of 27, the longest
    CALLUP_AGE), so the proposal is not opened for others."""
    if narrow.person_ids == []:
        return []
    due: list[hooks.Due] = []
    for m in _members(today, narrow).filter(force_kind="standing"):
        person = m.person
        detail = _detail(m, joined_on=m.joined_on.isoformat())
        served = rules.anniversary(m.joined_on, STANDING_MONTHS // 12)
        if served <= today:
            due.append(
                hooks.Due(
                    kind=Kind.STANDING_COMPLETION_PROPOSED,
                    commune_id=person.residence_commune_id,
                    key=str(m.joined_on.isoformat()),
                    person_id=m.person_id,
                    due_on=served + timedelta(days=30),
                    detail={**detail, "ground_code": "DONE_STANDING_MILITIA_24M"},
                )
            )
        elif person.sex == "M" and rules.age_on(person.birth_date, today) <= 27:
            due.append(
                hooks.Due(
                    kind=Kind.STANDING_DEFERRAL_PROPOSED,
                    commune_id=person.residence_commune_id,
                    key=str(m.joined_on.isoformat()),
                    person_id=m.person_id,
                    due_on=m.joined_on + timedelta(days=30),
                    detail={**detail, "ground_code": "DEF_STANDING_MILITIA"},
                )
            )
    return due


def below_target(*, today: date, narrow: hooks.Narrow) -> list[hooks.Due]:
    """Commands whose roster today is smaller than the target in force."""
    if narrow.unit_ids == []:
        return []
    targets = MilitiaTarget.objects.as_of(today).select_related("unit")
    if narrow.unit_ids is not None:
        targets = targets.filter(unit_id__in_array=narrow.unit_ids)
    chosen = list(targets)
    ids = [t.unit_id for t in chosen]
    members = dict(
        MilitiaMembership.objects.filter(valid_to__isnull=True, valid_from__lte=today)
        .filter(unit_id__in_array=ids)
        .values_list("unit_id")
        .annotate(n=Count("id"))
    )
    communes: dict[int, int] = {}
    for unit_id, admin_id in (
        Territory.objects.filter(
            valid_on(today), org_unit_id__in_array=ids, admin_unit__level=Level.COMMUNE
        )
        .order_by("admin_unit_id")
        .values_list("org_unit_id", "admin_unit_id")
    ):
        communes.setdefault(unit_id, admin_id)
    due = []
    for t in chosen:
        commune_id = communes.get(t.unit_id)
        if commune_id is None or members.get(t.unit_id, 0) >= t.size:
            continue
        if narrow.commune_ids is not None and commune_id not in narrow.commune_ids:
            continue
        due.append(
            hooks.Due(
                kind=Kind.MILITIA_BELOW_TARGET,
                commune_id=commune_id,
                key=f"target-{t.pk}",
                org_unit_id=t.unit_id,
                detail={
                    "unit_name": t.unit.name,
                    "unit_code": t.unit.code,
                    "members": members.get(t.unit_id, 0),
                    "target": t.size,
                },
            )
        )
    return due


def absences(*, today: date, narrow: hooks.Narrow) -> list[hooks.Due]:
    """Reported absences of 3 months or more of members still on a roster, not yet back."""
    if narrow.person_ids == []:
        return []
    found = MilitiaAbsence.objects.filter(
        returned_on__isnull=True,
        membership__valid_to__isnull=True,
        absent_from__lte=today + timedelta(days=MILITIA_NOTICE_DAYS),
    ).select_related("membership__person", "membership__unit")
    if narrow.person_ids is not None:
        found = found.filter(membership__person_id__in_array=narrow.person_ids)
    if narrow.commune_ids is not None:
        found = found.filter(membership__person__residence_commune_id__in_array=narrow.commune_ids)
    return [
        hooks.Due(
            kind=Kind.MILITIA_ABSENCE,
            commune_id=a.membership.person.residence_commune_id,
            key=f"absence-{a.pk}",
            person_id=a.membership.person_id,
            due_on=a.absent_until,
            detail=_detail(
                a.membership,
                absent_from=a.absent_from.isoformat(),
                absent_until=a.absent_until.isoformat(),
            ),
        )
        for a in found
    ]


def register() -> None:
    hooks.register_roll("militia", on_register)
    hooks.register_item_source(
        "militia_terms",
        (Kind.MILITIA_TERM_ENDING, Kind.MILITIA_AGE_LIMIT),
        terms_and_ages,
        note=CLOSED,
    )
    hooks.register_item_source(
        "militia_standing",
        (Kind.STANDING_DEFERRAL_PROPOSED, Kind.STANDING_COMPLETION_PROPOSED),
        standing_proposals,
        note=CLOSED,
    )
    hooks.register_item_source("militia_absences", (Kind.MILITIA_ABSENCE,), absences, note=CLOSED)
    hooks.register_item_source(
        "militia_below_target", (Kind.MILITIA_BELOW_TARGET,), below_target, note=CLOSED, reopen=True
    )
