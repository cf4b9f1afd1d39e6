"""Every audit action name Muster writes, with what it means. Unknown names are refused."""

from __future__ import annotations

AUDIT_ACTIONS: dict[str, str] = {
    # geo
    "geo.units.loaded": "Administrative units and successions loaded from vietnamadminunits",
    "geo.unit.updated": "An administrative unit was edited",
    # orgs
    "orgs.structure.loaded": "Military regions, commands and territories built",
    "orgs.unit.created": "An organisation unit was created",
    "orgs.unit.updated": "An organisation unit was edited",
    "orgs.territory.changed": "An organisation unit's territory changed",
    "orgs.appointment.made": "A person was appointed to a position",
    "orgs.appointment.ended": "An appointment ended",
    "orgs.position.added": "A position was added to an organisation unit",
    "orgs.region_province.assigned": "A province was assigned to a military region",
    # accounts
    "accounts.user.created": "A user account was created",
    "accounts.user.updated": "A user account was changed",
    "accounts.token.issued": "An API token was issued",
    "accounts.token.revoked": "API tokens were revoked (logout, password change, deactivation, cap)",
    "accounts.login.locked": "Logins for a username or address were locked after failures",
    "accounts.second_factor.enrolment_started": "Enrolment of an authenticator app was started",
    "accounts.second_factor.enrolled": "An authenticator app was enrolled as second factor",
    "accounts.second_factor.removed": "A user's authenticator app was removed",
    "accounts.grant.given": "A user was given a permission beyond their role (accounts.permissions)",
    "accounts.grant.revoked": "A permission given to a user was taken back",
    # people
    "people.person.created": "A person was added to the registry",
    "people.person.updated": "A person's record was changed",
    "people.person.deleted": "A person was removed from the registry",
    "people.persons.bulk_loaded": "Persons were loaded in bulk",
    "people.fact.recorded": "Education or occupation was recorded",
    # exchange with the population register
    "exchange.key.trusted": "A producer's public key was trusted",
    "exchange.extract.ingested": "A population-register extract was ingested",
    "exchange.event.applied": "A change-feed event was applied",
    "exchange.feed.pulled": "The change feed of a producer was pulled (counts and new cursor)",
    # worklists
    "worklists.item.opened": "A work item was put on a commune's worklist",
    "worklists.item.reopened": "A withdrawn work item was opened again",
    "worklists.item.resolved": "A work item was resolved (by staff, or withdrawn by the system)",
    "worklists.item.moved": "An open work item followed its person to another commune",
    "worklists.items.settled": "Open work items the records settled were closed by the system",
    "worklists.items.opened": "Work items the records call for were opened by the system",
    "worklists.items.reopened": "Work items the system had closed were opened again",
    "worklists.registration.refreshed": "The first-registration worklist was refreshed for a year",
    # military service (conscription)
    "conscription.registration.recorded": "A military-service registration was recorded",
    "conscription.registration.removed": "A person was removed from the military-service register",
    "conscription.health_exam.recorded": "A health examination result was recorded",
    "conscription.decision.recorded": "A deferral, exemption or completion decision was recorded",
    "conscription.decision.revoked": "A deferral, exemption or completion decision was revoked",
    "conscription.evidence.attached": "An evidence document was attached to a decision",
    "conscription.import.completed": "Military-service records were imported from a file",
    "conscription.cycle.created": "A call-up cycle was created for a province",
    "conscription.cycle.target_set": "A province's call-up target was set",
    "conscription.quotas.proposed": "Commune quotas were proposed from the eligible pools",
    "conscription.quota.overridden": "A commune's quota was overridden with a reason",
    "conscription.batch.created": "A batch of call-up orders was drafted",
    "conscription.batch.approved": "A batch of call-up orders was approved and issued",
    "conscription.order.served": "Delivery of a call-up order was recorded",
    "conscription.handover.recorded": "The handover outcome of a call-up order was recorded",
    "conscription.service.enlisted": "A person enlisted for active service",
    "conscription.service.discharged": "A person was discharged from active service",
    "conscription.service.closed_for_death": "Active service ended because the person died",
    # reserve force
    "reserve.member.entered": "A person entered the reserve force",
    "reserve.member.left": "A person left the reserve force",
    "reserve.member.category_changed": "A reservist moved from category 2 to category 1",
    "reserve.member.updated": "A reservist's rank or military specialty was changed",
    "reserve.member.unfit": "A reservist was found unfit for service",
    "reserve.member.reported": "A discharged soldier reported for reserve registration",
    "reserve.member.removed": "A reservist's removal from the reserve was decided",
    # militia
    "militia.member.joined": "A person joined a commune command's militia roster",
    "militia.member.left": "A militia member left the roster (completed, deferred, died…)",
    "militia.term.extended": "A militia member's term was extended",
    "militia.target.set": "A commune command's militia target size was set",
    "militia.member.transferred": "A militia member moved to another unit or command",
    "militia.duty.decided": "A deferral or exemption from militia duty was decided",
    "militia.unit.created": "A militia unit was set up under a command",
    "militia.unit.closed": "A militia unit was disbanded",
    "militia.commune.flagged": "A commune's defence flags (border, coastal, island, key) were set",
    "militia.registration.recorded": "A citizen was registered for militia duty (April registration)",
    "militia.absence.reported": "A militia member's absence of 3 months or more was recorded",
    "militia.absence.returned": "A militia member's return from a reported absence was recorded",
    # training (DQTV Art. 28)
    "training.session.created": "A militia or self-defence training session was planned or recorded",
    "training.attendance.recorded": "Attendance at a training session was recorded",
    # record linkage of legacy records
    "linkage.run.completed": "Legacy records were linked to registry people",
    "linkage.case.accepted": "A review case was accepted: the legacy record is this person",
    "linkage.case.rejected": "A review case was rejected: the legacy record is another person",
    "linkage.case.not_duplicate": "A review case was marked not a duplicate",
    # restructuring plans (boundary and organisation changes)
    "restructure.plan.saved": "A restructuring plan's successions were saved (editor, file or CLI)",
    "restructure.plan.computed": "A restructuring plan was computed (coverage, moves, split cases)",
    "restructure.plan.batch_applied": "A batch of a restructuring plan was applied (counts)",
    "restructure.plan.applied": "A restructuring plan was applied",
    # … and what each participant moved or put back (core.restructuring, one event per call)
    "restructure.plan.persons_moved": "Persons of ending units moved to the successor communes",
    "restructure.plan.persons_restored": "Persons moved by a plan put back (revert)",
    "restructure.plan.jurisdictions_moved": "Users' jurisdictions moved to the successor commands",
    "restructure.plan.jurisdictions_restored": "Users' jurisdictions moved by a plan put back",
    "restructure.plan.militia_moved": "Militia rosters of ending commands moved to their successors",
    "restructure.plan.militia_restored": "Militia rosters moved by a plan put back (revert)",
    "restructure.plan.territories_moved": "Ending commands and territories closed, territories "
    "carried to the successor units",
    "restructure.plan.territories_restored": "Commands and territories changed by a plan put back",
    "restructure.plan.reverted": "An applied restructuring plan was reverted",
    "restructure.split.decided": "A split case was decided: the person's 2025 commune chosen",
    # Django admin (back-office repairs)
    "admin.object.created": "An object was created in the Django admin",
    "admin.object.changed": "An object was changed in the Django admin",
    "admin.object.deleted": "An object was deleted in the Django admin",
    # the audit chains, keys kept apart from the database, backups (docs/security.md)
    "audit.chain.rekeyed": "Both audit chains were re-MACed with the current key (with what the old chain said)",
    "keys.data.added": "A new data key was added to the key ring (it encrypts from now on)",
    "keys.data.reencrypted": "A batch of sealed values or files was re-encrypted with the newest data key",
    "backup.created": "An encrypted backup of the database, its keys and checkpoints was written",
    # reads (ReadEvent)
    "people.person.viewed": "A person's record was viewed",
    "conscription.health_exam.viewed": "A health examination's sealed details were viewed",
    "conscription.candidates.viewed": "A call-up candidate list was viewed or exported",
    "conscription.report.exported": "A statutory list or report was exported",
    "people.person.listed": "A person was named in a list that was viewed (search, data quality, the audit log)",
    "conscription.service.viewed": "A person's military-service records were viewed",
    "conscription.evidence.downloaded": "An evidence document of a person's decision was downloaded",
    "conscription.order.viewed": "A call-up order naming the person was viewed or printed (order, batch, handover list)",
    "conscription.order.verified": "A call-up order naming the person was checked on the public verification page",
    "worklists.item.viewed": "A worklist page naming the person was viewed",
    "militia.roster.viewed": "A militia roster naming the person was viewed",
    "training.attendance.viewed": "A training attendance list or shortfall list naming the person was viewed",
    "linkage.case.viewed": "A record-linkage review case of the person was viewed",
    "restructure.split.viewed": "A restructuring split case of the person was viewed",
    "orgs.holder.viewed": "The personal ID of a position's holder was shown",
}


def check_action(name: str) -> None:
    if name not in AUDIT_ACTIONS:
        raise ValueError(f"unregistered audit action {name!r}: add it to muster/audit/registry.py")
