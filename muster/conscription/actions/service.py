"""Active service: enlistment at handover, discharge into the reserve, closing on death."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from muster import audit
from muster.accounts.models import User
from muster.conscription.models import CallupOrder, DischargeReason, ServiceRecord, Source
from muster.core.errors import FieldError, InvalidInput
from muster.people.models import Person
from muster.reserve.actions import reserve_close_for_service, reserve_enter
from muster.reserve.rules import reserve_category_after_discharge


@transaction.atomic
def service_enlist(
    *,
    person: Person | None = None,
    enlisted_on: date,
    unit_name: str,
    order: CallupOrder | None = None,
    source: str = Source.MANUAL,
    acting_user: User | None,
) -> ServiceRecord:
    """Start active service; service time counts from the handover date (MSL Art. 22).

    The person is the order's when an order is given. Idempotent per order: enlisting the
    same order again returns the existing record.
    """
    if order is not None:
        if ServiceRecord.objects.filter(order=order).exists():
            return ServiceRecord.objects.get(order=order)
        if person is not None and person.pk != order.person_id:
            raise InvalidInput([FieldError("person", "SERVICE_ORDER_OTHER_PERSON")])
        person = order.person
    if person is None:
        raise InvalidInput([FieldError("person", "SERVICE_PERSON_REQUIRED")])
    if not unit_name.strip():
        raise InvalidInput([FieldError("unit_name", "SERVICE_UNIT_REQUIRED")])
    open_record = ServiceRecord.objects.filter(person=person, discharged_on__isnull=True).first()
    if open_record is not None:
        raise InvalidInput(
            [FieldError("person", "SERVICE_ALREADY_SERVING", {"day": open_record.enlisted_on})]
        )
    record = ServiceRecord.objects.create(
        person=person,
        order=order,
        unit_name=unit_name.strip(),
        enlisted_on=enlisted_on,
        source=source,
    )
    audit.record(
        "conscription.service.enlisted",
        actor=acting_user,
        target=person,
        data={"on": enlisted_on.isoformat(), "unit": record.unit_name, "order": order and order.pk},
        commune_code=person.residence_commune.code,
    )
    # A soldier in active service is not a reservist (MSL Art. 24): his reserve period ends.
    reserve_close_for_service(person=person, enlisted_on=enlisted_on, acting_user=acting_user)
    return record


@transaction.atomic
def service_discharge(
    *,
    record: ServiceRecord,
    discharged_on: date,
    reason: str = DischargeReason.TERM_ENDED,
    after_combat: bool = False,
    report_due: bool = True,
    acting_user: User | None,
) -> ServiceRecord:
    """End active service and enter the reserve with the category MSL Art. 24 gives.

    A discharged soldier must register in the reserve within 15 working days (MSL Art. 45);
    Muster enters him at once, so the commune sees him on its reserve list from the discharge,
    and (`report_due`) keeps a `reserve_report` item on his commune's worklist until he reports;
    a past discharge migrated from paper (`report_due=False`) was registered back then.
    """
    if reason not in DischargeReason.values or reason == DischargeReason.DIED:
        raise InvalidInput([FieldError("reason", "SERVICE_NOT_A_DISCHARGE_REASON")])
    if record.discharged_on is not None:
        if record.discharged_on == discharged_on and record.discharge_reason == reason:
            return record  # already done: a re-run changes nothing
        raise InvalidInput([FieldError("discharged_on", "SERVICE_ALREADY_ENDED")])
    if discharged_on < record.enlisted_on:
        raise InvalidInput([FieldError("discharged_on", "SERVICE_DISCHARGE_BEFORE_ENLISTMENT")])
    record.discharged_on = discharged_on
    record.discharge_reason = reason
    record.save(update_fields=["discharged_on", "discharge_reason"])
    entry = reserve_category_after_discharge(
        enlisted_on=record.enlisted_on, discharged_on=discharged_on, after_combat=after_combat
    )
    person = record.person
    audit.record(
        "conscription.service.discharged",
        actor=acting_user,
        target=person,
        data={
            "on": discharged_on.isoformat(),
            "reason": reason,
            "reserve_category": entry.category,
        },
        commune_code=person.residence_commune.code,
    )
    reserve_enter(
        person=person,
        entry=entry,
        entered_on=discharged_on,
        source=f"discharge:{record.pk}",
        acting_user=acting_user,
        report_due=report_due,
    )
    return record


def service_close_for_death(*, person: Person, died_on: date, acting_user: User | None) -> int:
    """Death ends open active service on the day of death (registered in apps.py)."""
    closed = 0
    for record in ServiceRecord.objects.filter(person=person, discharged_on__isnull=True):
        record.discharged_on = max(died_on, record.enlisted_on)
        record.discharge_reason = DischargeReason.DIED
        record.save(update_fields=["discharged_on", "discharge_reason"])
        closed += 1
    if closed:
        audit.record(
            "conscription.service.closed_for_death",
            actor=acting_user,
            target=person,
            data={"on": died_on.isoformat()},
            commune_code=person.residence_commune.code,
        )
    return closed
