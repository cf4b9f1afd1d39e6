"""The register for militia duty page: the April registration recorded from the page (DQTV
Art. 9(1)(a)), those registered after their term listed (Art. 13), scoped and read-logged."""

from __future__ import annotations

from datetime import date, timedelta

from django.test import Client
from django.utils import timezone

from muster.accounts.models import Role
from muster.audit.models import AuditEvent, ReadEvent
from muster.militia.models import MilitiaMembership, MilitiaRegistration
from muster.people.tests.factories import make_person

TODAY = timezone.localdate()


def test_register_from_the_page_and_list_after_the_term(world):
    user = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    client = Client()
    client.force_login(user)
    young = make_person(world.communes[0], birth_date=date(TODAY.year - 18, 1, 5))
    response = client.post(
        "/militia/registration/record/",
        {"personal_ids": young.personal_id, "registered_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    assert MilitiaRegistration.objects.get().person == young
    assert AuditEvent.objects.filter(action="militia.registration.recorded").count() == 1
    # A 17-year-old this year is refused with the code's wording; nothing is written.
    child = make_person(world.communes[0], birth_date=date(TODAY.year - 17, 1, 5))
    client.post(
        "/militia/registration/record/",
        {"personal_ids": child.personal_id, "registered_on": TODAY.isoformat()},
    )
    assert MilitiaRegistration.objects.count() == 1
    # A member who completed the term stays registered within the age limit (Art. 13).
    done = make_person(world.communes[0], birth_date=date(1990, 3, 3))
    MilitiaMembership.objects.create(
        person=done,
        unit=world.commune_commands[0],
        force_kind="in_place",
        joined_on=date(2021, 8, 1),
        term_years=4,
        term_ends_on=date(2025, 7, 31),
        valid_from=date(2025, 7, 1),
        valid_to=TODAY - timedelta(days=1),
        left_reason="completed",
    )
    page = client.get(f"/militia/registration/?year={TODAY.year}").content.decode()
    assert young.personal_id in page
    assert done.personal_id in page
    assert ReadEvent.objects.filter(target_id=str(done.pk)).exists()
    other = world.user("xa3", Role.COMMUNE_STAFF, world.commune_commands[2])
    client.force_login(other)
    page = client.get(f"/militia/registration/?year={TODAY.year}").content.decode()
    assert young.personal_id not in page
    assert done.personal_id not in page
