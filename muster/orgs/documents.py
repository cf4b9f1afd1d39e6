"""Who issues and signs a document Muster prints: the statutory heading block and signature
block (`core.exports.Heading`, `Signature`) of the command a user works for.

Decree 30/2020/NĐ-CP on clerical work, Art. 8 and Appendix I: the issuing body under the body
it answers to, the number, the place (the locality's name) and date, and the signer's position
and name. What Muster does not know (a number from the command's register of outgoing
documents; a commander not yet recorded) is left as dotted space to write in by hand.
"""

from __future__ import annotations

from datetime import date

from django.core.cache import cache
from django.utils.translation import gettext as _

from muster.core.exports import Heading, Signature
from muster.core.structure import STRUCTURE_CACHE_SECONDS, structure_version
from muster.geo.models import AdminUnit, Level
from muster.orgs.models import Appointment, OrgKind, OrgUnit, PositionKind, Territory


def _place(unit: OrgUnit, day: date) -> str:
    """The locality a command is named after: its commune for a commune command, else its
    province when all its territory lies in one."""
    admin_ids = list(
        Territory.objects.as_of(day).filter(org_unit=unit).values_list("admin_unit_id", flat=True)
    )
    units = list(AdminUnit.objects.filter(pk__in=admin_ids).select_related("parent__parent"))
    if unit.kind == OrgKind.COMMUNE_COMMAND and len(units) == 1:
        return units[0].short_name
    provinces = set()
    for admin in units:
        while admin.level != Level.PROVINCE and admin.parent is not None:
            admin = admin.parent
        provinces.add(admin.short_name if admin.level == Level.PROVINCE else "")
    return provinces.pop() if len(provinces) == 1 else ""


def document_heading(
    unit: OrgUnit | None,
    *,
    title: str,
    day: date,
    number: str = "",
    subtitle: str = "",
    basis: str = "",
) -> Heading:
    """The heading block of a document `unit` issues on `day` (a blank issuer for a user with
    national scope and no command)."""
    if unit is None:
        return Heading(title=title, day=day, number=number, subtitle=subtitle, basis=basis)
    parent = unit.parent if unit.parent_id is not None else None
    return Heading(
        title=title,
        issuing_body=unit.name,
        parent_body=parent.name if parent is not None else "",
        number=number,
        place=_place(unit, day),
        day=day,
        subtitle=subtitle,
        basis=basis,
    )


def document_signature(unit: OrgUnit | None, *, day: date) -> Signature:
    """The commander of `unit` on `day` signs; his position's title as recorded, else
    "Commander", and a blank name when the post is vacant."""
    if unit is None:
        return Signature(position=str(_("Commander")))
    appointment = (
        Appointment.objects.as_of(day)
        .filter(position__org_unit=unit, position__kind=PositionKind.COMMANDER)
        .select_related("position")
        .order_by("position__ordinal", "-valid_from")
        .first()
    )
    if appointment is None:
        return Signature(position=str(_("Commander")))
    return Signature(position=appointment.position.title, name=appointment.holder_name)


def issuing_command(place: AdminUnit, day: date) -> OrgUnit | None:
    """The command that issues a document about `place` when no user's command does (the
    CLI): the commune command of a commune, the provincial (or capital) command of a
    province."""
    kinds = (
        [OrgKind.COMMUNE_COMMAND]
        if place.level == Level.COMMUNE
        else [OrgKind.PROVINCIAL_COMMAND, OrgKind.CAPITAL_COMMAND]
    )
    territory = (
        Territory.objects.as_of(day)
        .filter(admin_unit=place, org_unit__kind__in=kinds)
        .select_related("org_unit__parent")
        .order_by("org_unit__code")
        .first()
    )
    return territory.org_unit if territory is not None else None


def page_heading(unit_id: int | None, day: date) -> Heading:
    """The heading a printed page carries (its title is the page's own): cached per command
    and day like jurisdictions (`core.structure`), so pages do not pay for it."""
    key = f"muster:heading:{unit_id}:{day.isoformat()}:{structure_version()}"
    heading: Heading | None = cache.get(key)
    if heading is None:
        unit = (
            OrgUnit.objects.select_related("parent").filter(pk=unit_id).first()
            if unit_id is not None
            else None
        )
        heading = document_heading(unit, title="", day=day)
        cache.set(key, heading, timeout=STRUCTURE_CACHE_SECONDS)
    return heading
