"""The audit app's codes in words (see `core.labels`): the action names of
muster/audit/registry.py (whose descriptions are plain English for logs) and the kinds of record
an event concerns (`people.person` → "Person").
`test_every_audit_action_has_a_label` keeps the action list and the registry the same.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from muster.audit.registry import AUDIT_ACTIONS
from muster.core.labels import Table

ACTION_LABELS: dict[str, Promise] = {
    "geo.units.loaded": _("Administrative units and successions loaded"),
    "geo.unit.updated": _("An administrative unit was edited"),
    "orgs.structure.loaded": _("Military regions, commands and territories built"),
    "orgs.unit.created": _("An organisation unit was created"),
    "orgs.unit.updated": _("An organisation unit was edited"),
    "orgs.territory.changed": _("An organisation unit's territory changed"),
    "orgs.appointment.made": _("A person was appointed to a position"),
    "orgs.appointment.ended": _("An appointment ended"),
    "orgs.position.added": _("A position was added to an organisation unit"),
    "orgs.position.moved": _("Positions moved to another organisation unit"),
    "orgs.region_province.assigned": _("A province was assigned to a military region"),
    "accounts.user.created": _("A user account was created"),
    "accounts.user.updated": _("A user account was changed"),
    "accounts.token.issued": _("An API token was issued"),
    "accounts.token.revoked": _(
        "API tokens were revoked (logout, password change, deactivation, cap)"
    ),
    "accounts.login.locked": _("Logins for a user name or address were locked after failures"),
    "accounts.second_factor.enrolment_started": _("Enrolment of an authenticator app was started"),
    "accounts.second_factor.enrolled": _("An authenticator app was enrolled as second factor"),
    "accounts.second_factor.removed": _("A user's authenticator app was removed"),
    "accounts.grant.given": _("A user was given a permission beyond their role"),
    "accounts.grant.revoked": _("A permission given to a user was taken back"),
    "people.person.created": _("A person was added to the registry"),
    "people.person.updated": _("A person's record was changed"),
    "people.person.deleted": _("A person was removed from the registry"),
    "people.persons.bulk_loaded": _("Persons were loaded in bulk"),
    "people.fact.recorded": _("Education or occupation was recorded"),
    "exchange.key.trusted": _("A producer's public key was trusted"),
    "exchange.extract.ingested": _("A population-register extract was ingested"),
    "exchange.event.applied": _("A change-feed event was applied"),
    "exchange.feed.pulled": _("The change feed of a producer was pulled (counts and new cursor)"),
    "conscription.registration.recorded": _("A military-service registration was recorded"),
    "conscription.registration.removed": _(
        "A person was removed from the military-service register"
    ),
    "conscription.health_exam.recorded": _("A health examination result was recorded"),
    "conscription.decision.recorded": _(
        "A deferral, exemption or completion decision was recorded"
    ),
    "conscription.decision.revoked": _("A deferral, exemption or completion decision was revoked"),
    "conscription.evidence.attached": _("An evidence document was attached to a decision"),
    "conscription.import.completed": _("Military-service records were imported from a file"),
    "conscription.cycle.created": _("A call-up cycle was created for a province"),
    "conscription.cycle.target_set": _("A province's call-up target was set"),
    "conscription.quotas.proposed": _("Commune quotas were proposed from the eligible pools"),
    "conscription.quota.overridden": _("A commune's quota was overridden with a reason"),
    "conscription.batch.created": _("A batch of call-up orders was drafted"),
    "conscription.batch.approved": _("A batch of call-up orders was approved and issued"),
    "conscription.order.served": _("Delivery of a call-up order was recorded"),
    "conscription.handover.recorded": _("The handover outcome of a call-up order was recorded"),
    "conscription.service.enlisted": _("A person enlisted for active service"),
    "conscription.service.discharged": _("A person was discharged from active service"),
    "conscription.service.closed_for_death": _("Active service ended because the person died"),
    "reserve.member.entered": _("A person entered the reserve force"),
    "reserve.member.left": _("A person left the reserve force"),
    "reserve.member.category_changed": _("A reservist moved from category 2 to category 1"),
    "reserve.member.updated": _("A reservist's rank or military specialty was changed"),
    "reserve.member.unfit": _("A reservist was found unfit for service"),
    "reserve.member.reported": _("A discharged soldier reported for reserve registration"),
    "reserve.member.removed": _("A reservist's removal from the reserve was decided"),
    "reserve.activity.created": _(
        "A reserve training, readiness check or unit activity was called"
    ),
    "reserve.attendance.recorded": _("A reservist's attendance was recorded"),
    "reserve.import.completed": _("A reserve register file was imported"),
    "reserve.unit.saved": _("A reserve unit was created or changed"),
    "reserve.post.saved": _("A row of a reserve unit's establishment table was set"),
    "reserve.post.removed": _("A row of a reserve unit's establishment table was removed"),
    "reserve.proposal.drafted": _("An assignment of reservists to reserve units was proposed"),
    "reserve.proposal.pinned": _("A proposed assignment was adjusted"),
    "reserve.proposal.discarded": _("A proposed assignment was discarded"),
    "reserve.assignments.committed": _("An assignment of reservists was approved and took effect"),
    "reserve.means.imported": _("Reserve technical means were imported from a registry file"),
    "reserve.means.assigned": _("Reserve technical means were assigned to reserve units"),
    "militia.member.joined": _("A person joined a commune command's militia roster"),
    "militia.member.left": _("A militia member left the roster"),
    "militia.term.extended": _("A militia member's term was extended"),
    "militia.target.set": _("A commune command's militia target size was set"),
    "militia.import.completed": _("A militia roster file was imported"),
    "militia.member.transferred": _("A militia member moved to another unit or command"),
    "militia.duty.decided": _("A deferral or exemption from militia duty was decided"),
    "militia.unit.created": _("A militia unit was set up under a command"),
    "militia.unit.closed": _("A militia unit was disbanded"),
    "militia.commune.flagged": _("A commune's defence flags were set"),
    "militia.registration.recorded": _("A citizen was registered for militia duty"),
    "militia.absence.reported": _("A militia member's long absence was recorded"),
    "militia.absence.returned": _("A militia member's return from an absence was recorded"),
    "training.session.created": _("A training session was planned or recorded"),
    "training.attendance.recorded": _("Attendance at a training session was recorded"),
    "conscription.health_exam.viewed": _("A health examination's sealed details were viewed"),
    "conscription.candidates.viewed": _("A call-up candidate list was viewed or exported"),
    "conscription.report.exported": _("A statutory list or report was exported"),
    "linkage.run.completed": _("Legacy records were linked to registry people"),
    "linkage.case.accepted": _("A review case was accepted: the legacy record is this person"),
    "linkage.case.rejected": _("A review case was rejected: the legacy record is another person"),
    "linkage.case.not_duplicate": _("A review case was marked not a duplicate"),
    "restructure.plan.saved": _("A restructuring plan's successions were saved"),
    "restructure.plan.computed": _("A restructuring plan was computed"),
    "restructure.plan.batch_applied": _("A batch of a restructuring plan was applied"),
    "restructure.plan.applied": _("A restructuring plan was applied"),
    "restructure.plan.persons_moved": _("Persons moved to the successor communes"),
    "restructure.plan.persons_restored": _("Persons moved by a restructuring put back"),
    "restructure.plan.jurisdictions_moved": _("User jurisdictions moved to the successor commands"),
    "restructure.plan.jurisdictions_restored": _(
        "User jurisdictions moved by a restructuring put back"
    ),
    "restructure.plan.militia_moved": _("Militia rosters moved to the successor commands"),
    "restructure.plan.militia_restored": _("Militia rosters moved by a restructuring put back"),
    "restructure.plan.reserve_units_moved": _("Reserve units moved to the successor commands"),
    "restructure.plan.reserve_units_restored": _("Reserve units moved by a restructuring put back"),
    "restructure.plan.territories_moved": _("Ending commands and territories closed"),
    "restructure.plan.territories_restored": _(
        "Commands and territories changed by a restructuring put back"
    ),
    "restructure.plan.reverted": _("An applied restructuring plan was reverted"),
    "restructure.split.decided": _("A split case was decided"),
    "worklists.item.opened": _("A work item was put on a commune's worklist"),
    "worklists.item.reopened": _("A withdrawn work item was opened again"),
    "worklists.item.resolved": _("A work item was resolved"),
    "worklists.item.moved": _("An open work item followed its person to another commune"),
    "worklists.items.settled": _("Open work items the records settled were closed"),
    "worklists.items.opened": _("Work items the records call for were opened"),
    "worklists.items.reopened": _("Work items closed by the system were opened again"),
    "worklists.registration.refreshed": _("The first-registration worklist was refreshed"),
    "admin.object.created": _("An object was created in the Django admin"),
    "admin.object.changed": _("An object was changed in the Django admin"),
    "admin.object.deleted": _("An object was deleted in the Django admin"),
    "audit.chain.rekeyed": _("The audit chains were re-sealed with the current key"),
    "keys.data.added": _("A new data encryption key was added"),
    "keys.data.reencrypted": _("Sealed data was re-encrypted with the newest key"),
    "backup.created": _("An encrypted backup was written"),
    "people.person.viewed": _("A person's record was viewed"),
    "people.person.listed": _("The person was named in a list that was viewed"),
    "conscription.service.viewed": _("The person's military-service records were viewed"),
    "conscription.evidence.downloaded": _("An evidence document of the person was downloaded"),
    "conscription.order.viewed": _("A call-up order naming the person was viewed or printed"),
    "conscription.order.verified": _(
        "A call-up order naming the person was checked on the public verification page"
    ),
    "worklists.item.viewed": _("A worklist naming the person was viewed"),
    "reserve.register.viewed": _("A reserve register naming the person was viewed or exported"),
    "militia.member.viewed": _("A militia member's record was viewed"),
    "militia.roster.viewed": _("A militia roster naming the person was viewed"),
    "training.attendance.viewed": _("A training list naming the person was viewed"),
    "reserve.assignments.viewed": _("Reserve unit assignments naming the person were viewed"),
    "linkage.case.viewed": _("A record-linkage review case of the person was viewed"),
    "restructure.split.viewed": _("A restructuring split case of the person was viewed"),
    "orgs.holder.viewed": _("The personal ID of a position's holder was shown"),
}


def action_label(name: str) -> str:
    """The translated description of an audit action; the registry's own text if none."""
    label = ACTION_LABELS.get(name)
    return str(label) if label is not None else AUDIT_ACTIONS.get(name, name)


# The records audit events concern (`target_type`, a model's label): every Muster model has a
# name here (`test_every_label_has_words_in_both_languages` and the audit log test check it).
TARGET_LABELS: dict[str, Promise] = {
    "audit.auditevent": _("Audit event"),
    "audit.readevent": _("Record view"),
    "audit.chainidentity": _("Audit chain identity"),
    "geo.adminunit": _("Administrative unit"),
    "geo.succession": _("Succession of administrative units"),
    "geo.unitshape": _("Unit shape"),
    "orgs.orgunit": _("Organisation unit"),
    "orgs.territory": _("Territory of a command"),
    "orgs.position": _("Position"),
    "orgs.appointment": _("Appointment"),
    "accounts.user": _("User account"),
    "accounts.apitoken": _("API token"),
    "accounts.usergrant": _("Permission given to a user"),
    "people.person": _("Person"),
    "people.residenceperiod": _("Residence period"),
    "people.personfact": _("Education or occupation"),
    "worklists.workitem": _("Work item"),
    "reserve.reservemembership": _("Reserve membership"),
    "reserve.reserveactivity": _("Reserve training, readiness check or unit activity"),
    "reserve.reserveattendance": _("Reservist attendance"),
    "reserve.reserveunit": _("Reserve unit"),
    "reserve.reservepost": _("Reserve unit establishment row"),
    "reserve.assignmentproposal": _("Proposed assignment of reservists"),
    "reserve.technicalmeans": _("Reserve technical means"),
    "militia.militiamembership": _("Militia membership"),
    "militia.militiatarget": _("Militia target size"),
    "militia.militiaunit": _("Militia unit"),
    "militia.militiadecision": _("Militia decision"),
    "militia.defencecommune": _("Defence flags of a commune"),
    "training.trainingsession": _("Training session"),
    "training.attendance": _("Training attendance"),
    "conscription.registration": _("Military-service registration"),
    "conscription.healthexam": _("Health examination"),
    "conscription.grounddecision": _("Deferral, exemption or completion decision"),
    "conscription.evidence": _("Evidence document"),
    "conscription.callupcycle": _("Call-up cycle"),
    "conscription.communequota": _("Commune quota"),
    "conscription.orderbatch": _("Batch of call-up orders"),
    "conscription.calluporder": _("Call-up order"),
    "conscription.servicerecord": _("Active service record"),
    "exchange.trustedkey": _("Trusted key"),
    "exchange.feedcursor": _("Change-feed cursor"),
    "exchange.receivedmessage": _("Received message"),
    "exchange.ingestrun": _("Extract ingest"),
    "linkage.linkrun": _("Legacy record linkage run"),
    "linkage.legacylink": _("Legacy record link"),
    "linkage.reviewcase": _("Review case"),
    "restructure.plan": _("Restructuring plan"),
    "restructure.planstep": _("Restructuring plan step"),
    "restructure.splitcase": _("Split case"),
    "restructure.unitmapping": _("Unit mapping"),
    "restructure.moverecord": _("Restructuring move record"),
}


LABELS: dict[str, Table] = {
    "audit_action": ACTION_LABELS,
    # An event's actor when no user acted (the stored label; a user's is the username).
    "audit_actor": {"system": _("System (imports, the change feed, jobs)")},
    "audit_target": TARGET_LABELS,
}
