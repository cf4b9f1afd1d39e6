"""Scoped reads behind the register's pages: one shelter, means, level decision or commune
civil-defence command as the user may change it (NotFound outside the jurisdiction, exactly
as a missing one), the decisions and commands a user sees, and what the forms offer (the
units and communes the user keeps the register for, the areas a decision may cover).

A decision over a commune is seen by whoever sees the commune; one over a province (or a
legacy district) by whoever sees a commune of it. A command is seen by whoever covers every
commune of its commune command (`accounts.permissions.covers`, the test its writes use).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from muster.accounts.permissions import covers, may
from muster.accounts.scope import scope_for
from muster.civildefence.models import CivilDefenceCommand, LevelDecision, RescueMeans, Shelter
from muster.core.collation import vi
from muster.core.errors import NotFound
from muster.core.validity import valid_on
from muster.geo.models import AdminUnit, Level
from muster.orgs.models import OrgKind, OrgUnit, Territory

# Units that keep a civil-defence register: the provincial and area commands and the commune
# commands (Disaster Law Art. 4(3): means on the spot; Decree 200/2025 Art. 8).
REGISTER_UNIT_KINDS = (
    OrgKind.PROVINCIAL_COMMAND,
    OrgKind.AREA_DEFENCE_COMMAND,
    OrgKind.COMMUNE_COMMAND,
)


def _visible(user: Any, day: date) -> frozenset[int] | None:
    if user is None:
        return None
    return scope_for(user, day).commune_ids


def _with_ancestors(commune_ids: frozenset[int]) -> set[int]:
    """The communes and every administrative unit above them (district, province)."""
    found = set(commune_ids)
    level = set(commune_ids)
    while level:
        parents = set(
            AdminUnit.objects.filter(pk__in_array=sorted(level), parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
        level = parents - found
        found |= parents
    return found


def access_shelter(user: Any, code: str) -> Shelter:
    """Shelter `code` (in use or not) if its commune lies in `user`'s jurisdiction today."""
    found = Shelter.objects.select_related("unit", "commune").filter(code=code).first()
    if found is None or not covers(user, commune_id=found.commune_id):
        raise NotFound("CD_SHELTER_NOT_FOUND", {"code": code})
    return found


def access_means(user: Any, code: str) -> RescueMeans:
    """Rescue means `code` (in use or not) if its commune lies in `user`'s jurisdiction."""
    found = (
        RescueMeans.objects.select_related("unit", "commune", "operator").filter(code=code).first()
    )
    if found is None or not covers(user, commune_id=found.commune_id):
        raise NotFound("CD_MEANS_NOT_FOUND", {"code": code})
    return found


def decisions_visible(user: Any, day: date) -> QuerySet[LevelDecision]:
    """Level decisions over an area the user sees a commune of, newest first."""
    found = LevelDecision.objects.select_related("area", "hazard").order_by("-starts_on", "-pk")
    visible = _visible(user, day)
    if visible is None:
        return found
    return found.filter(area_id__in_array=sorted(_with_ancestors(visible)))


def access_decision(user: Any, decision_id: int, day: date) -> LevelDecision:
    found = decisions_visible(user, day).filter(pk=decision_id).first()
    if found is None:
        raise NotFound("CD_DECISION_NOT_FOUND", {})
    return found


def commands_visible(user: Any, day: date, *, current: bool = True) -> list[CivilDefenceCommand]:
    """The commune civil-defence commands of the commune commands `user` covers (those in
    office on `day` unless `current` is False), by commune command name."""
    found = CivilDefenceCommand.objects.select_related("unit").order_by(
        vi("unit__name"), "unit__code", "-valid_from", "-pk"
    )
    if current:
        found = found.filter(valid_on(day))
    return [c for c in found if covers(user, unit=c.unit, day=day)]


def access_command(user: Any, command_id: int, day: date) -> CivilDefenceCommand:
    found = CivilDefenceCommand.objects.select_related("unit").filter(pk=command_id).first()
    if found is None or not covers(user, unit=found.unit, day=day):
        raise NotFound("CD_COMMAND_NOT_FOUND", {})
    return found


def register_units(
    user: Any, day: date, kinds: tuple[str, ...] = REGISTER_UNIT_KINDS
) -> list[OrgUnit]:
    """The commands of `kinds` valid on `day` whose every commune `user` covers, by name."""
    units = OrgUnit.objects.filter(valid_on(day), kind__in=kinds)
    visible = _visible(user, day)
    if visible is not None and not scope_for(user, day).is_national:
        places = sorted(_with_ancestors(visible))
        units = units.filter(
            Exists(
                Territory.objects.filter(valid_on(day), org_unit_id=OuterRef("pk")).filter(
                    admin_unit_id__in_array=places
                )
            )
        )
    return [u for u in units.order_by(vi("name"), "code") if covers(user, unit=u, day=day)]


def register_communes(user: Any, day: date) -> list[AdminUnit]:
    """The communes valid on `day` in `user`'s jurisdiction, by name."""
    communes = AdminUnit.objects.filter(valid_on(day), level=Level.COMMUNE)
    visible = _visible(user, day)
    if visible is not None:
        communes = communes.filter(pk__in_array=sorted(visible))
    return list(communes.order_by(vi("name"), "code"))


def decision_areas(user: Any, day: date) -> list[AdminUnit]:
    """The areas `user` may record a level decision over on `day`: the provinces they cover
    whole, then their communes."""
    communes = register_communes(user, day)
    parents = {c.parent_id for c in communes if c.parent_id}
    provinces = AdminUnit.objects.filter(
        Q(pk__in_array=sorted(parents)), valid_on(day), level=Level.PROVINCE
    ).order_by(vi("name"))
    allowed = [p for p in provinces if may(user, "civildefence.level.record", area=p, day=day)]
    return allowed + communes
