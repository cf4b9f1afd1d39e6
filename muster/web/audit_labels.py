"""The reader's wording of the audit action names (muster/audit/registry.py).

The registry's descriptions are plain English for logs; pages show these translated ones.
`test_every_audit_action_has_a_label` keeps this list and the registry the same.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from muster.audit.registry import AUDIT_ACTIONS

ACTION_LABELS: dict[str, Promise] = {
    "geo.units.loaded": _("Administrative units and successions loaded"),
    "geo.unit.updated": _("An administrative unit was edited"),
    "orgs.structure.loaded": _("Military regions, commands and territories built"),
    "orgs.unit.created": _("An organisation unit was created"),
    "orgs.unit.updated": _("An organisation unit was edited"),
    "orgs.territory.changed": _("An organisation unit's territory changed"),
    "orgs.appointment.made": _("A person was appointed to a position"),
    "orgs.appointment.ended": _("An appointment ended"),
    "orgs.region_province.assigned": _("A province was assigned to a military region"),
    "accounts.user.created": _("A user account was created"),
    "accounts.user.updated": _("A user account was changed"),
    "accounts.token.issued": _("An API token was issued"),
    "people.person.created": _("A person was added to the registry"),
    "people.person.updated": _("A person's record was changed"),
    "people.person.deleted": _("A person was removed from the registry"),
    "people.persons.bulk_loaded": _("Persons were loaded in bulk"),
    "people.fact.recorded": _("Education or occupation was recorded"),
    "exchange.key.trusted": _("A producer's public key was trusted"),
    "exchange.extract.ingested": _("A population-register extract was ingested"),
    "exchange.event.applied": _("A change-feed event was applied"),
    "exchange.feed.pulled": _("The change feed of a producer was pulled (counts and new cursor)"),
    "linkage.run.completed": _("Legacy records were linked to registry people"),
    "linkage.case.accepted": _("A review case was accepted: the legacy record is this person"),
    "linkage.case.rejected": _("A review case was rejected: the legacy record is another person"),
    "linkage.case.not_duplicate": _("A review case was marked not a duplicate"),
    "worklists.item.opened": _("A work item was put on a commune's worklist"),
    "worklists.item.reopened": _("A withdrawn work item was opened again"),
    "worklists.item.resolved": _("A work item was resolved"),
    "worklists.item.moved": _("An open work item followed its person to another commune"),
    "worklists.registration.refreshed": _("The first-registration worklist was refreshed"),
    "admin.object.created": _("An object was created in the Django admin"),
    "admin.object.changed": _("An object was changed in the Django admin"),
    "admin.object.deleted": _("An object was deleted in the Django admin"),
    "people.person.viewed": _("A person's record was viewed"),
}


def action_label(name: str) -> str:
    """The translated description of an audit action; the registry's own text if none."""
    label = ACTION_LABELS.get(name)
    return str(label) if label is not None else AUDIT_ACTIONS.get(name, name)
