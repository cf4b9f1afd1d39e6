"""The person page's military-service section: status, records, forms, sealed details."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from muster.accounts.models import Role
from muster.accounts.tests.factories import World, build_world
from muster.audit.models import ReadEvent
from muster.conscription.actions.records import ground_decision_record, health_exam_record
from muster.conscription.models import Evidence, GroundDecision, HealthExam, Registration
from muster.people.tests.factories import make_person

HX = {"HX-Request": "true"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def man(world):
    return make_person(world.communes[0], "Trần Văn Nam", birth_date=date(2005, 6, 1))


@pytest.fixture
def client(world) -> Client:
    client = Client()
    client.force_login(world.user("staff1", Role.COMMUNE_STAFF, world.commune_commands[0]))
    return client


def test_the_person_page_loads_the_section(client, man):
    page = client.get(f"/persons/{man.personal_id}/").content.decode()
    assert f'hx-get="/callup/person/{man.pk}/service/"' in page
    section = client.get(f"/callup/person/{man.pk}/service/").content.decode()
    assert 'id="service-section"' in section
    assert "REG_FIRST_AGE_MALE" in section
    assert 'id="registration-button"' in section


def test_a_registration_posted_with_htmx_comes_back_in_the_section(client, man):
    data = {
        "reg-kind": "first",
        "reg-registered_on": "2023-04-10",
        "reg-education_level": "grade_12",
    }
    response = client.post(f"/callup/person/{man.pk}/registration/", data, headers=HX)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="service-message"' in body
    assert "REGISTERED" in body
    assert Registration.objects.filter(person=man).exists()


def test_a_plain_post_redirects_to_the_person_page(client, man):
    data = {"reg-kind": "first", "reg-registered_on": "2023-04-10"}
    response = client.post(f"/callup/person/{man.pk}/registration/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/persons/{man.personal_id}/"


def test_bad_input_is_refused_with_the_field_named(client, man, world):
    too_early = make_person(world.communes[0], "Trần Văn Bé", birth_date=date(2010, 6, 1))
    response = client.post(
        f"/callup/person/{too_early.pk}/registration/",
        {"reg-kind": "first", "reg-registered_on": "2025-04-10"},
        headers=HX,
    )
    body = response.content.decode()
    assert 'id="reg-registered_on_error"' in body or 'id="id_reg-registered_on_error"' in body
    assert not Registration.objects.exists()
    response = client.post(
        f"/callup/person/{man.pk}/exam/",
        {"exam-examined_on": "2025-11-20", "exam-health_class": "7"},
        headers=HX,
    )
    assert "id_exam-health_class_error" in response.content.decode()
    response = client.post(
        f"/callup/person/{man.pk}/decision/",
        {
            "dec-kind": "deferral",
            "dec-ground_code": "DEF_STUDENT",
            "dec-decided_on": "2025-09-01",
            "dec-valid_until": "2025-08-01",
        },
        headers=HX,
    )
    assert "id_dec-valid_until_error" in response.content.decode()
    assert not HealthExam.objects.exists()
    assert not GroundDecision.objects.exists()
    plain = client.post(f"/callup/person/{man.pk}/exam/", {"exam-examined_on": "2025-11-20"})
    assert plain.status_code == 200
    assert "id_exam-health_class_error" in plain.content.decode()


def test_exam_details_are_shown_on_request_and_the_read_logged(client, man):
    exam = health_exam_record(
        person=man, examined_on=date(2025, 11, 20), board="HĐ 1", health_class=3,
        myopia_diopters=2.25, hyperopia=False, bmi=22.0, drug_addiction=False,
        notes="", acting_user=None,
    )  # fmt: skip
    section = client.get(f"/callup/person/{man.pk}/service/").content.decode()
    assert "HC3_MYOPIA" in section
    assert "2.25" not in section
    assert not ReadEvent.objects.filter(action="conscription.health_exam.viewed").exists()
    details = client.get(f"/callup/exam/{exam.pk}/details/", headers=HX).content.decode()
    assert "2.25" in details or "2,25" in details
    assert ReadEvent.objects.filter(action="conscription.health_exam.viewed").count() == 1


def test_evidence_upload_and_download(client, man, tmp_path):
    decision = ground_decision_record(
        person=man, kind="deferral", ground_code="DEF_STUDENT", decided_on=date(2025, 9, 1),
        valid_until=None, decided_by="", note="", acting_user=None,
    )  # fmt: skip
    with override_settings(MEDIA_ROOT=tmp_path):
        bad = client.post(
            f"/callup/decision/{decision.pk}/evidence/",
            {"ev-file": SimpleUploadedFile("a.pdf", b"MZ not a pdf")},
            headers=HX,
        )
        assert bad.status_code == 200
        assert 'class="error"' in bad.content.decode()
        ok = client.post(
            f"/callup/decision/{decision.pk}/evidence/",
            {"ev-file": SimpleUploadedFile("giấy.pdf", PDF)},
            headers=HX,
        )
        evidence = Evidence.objects.get()
        assert f"/callup/evidence/{evidence.pk}/" in ok.content.decode()
        download = client.get(f"/callup/evidence/{evidence.pk}/")
        assert download["Content-Type"] == "application/pdf"
        assert b"".join(download.streaming_content) == PDF


def test_an_auditor_sees_no_forms_and_may_not_post(world, man):
    client = Client()
    client.force_login(world.user("aud", Role.AUDITOR, world.commune_commands[0]))
    section = client.get(f"/callup/person/{man.pk}/service/").content.decode()
    assert 'id="registration-button"' not in section
    response = client.post(
        f"/callup/person/{man.pk}/registration/",
        {"reg-kind": "first", "reg-registered_on": "2023-04-10"},
    )
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_orders_with_their_history_and_active_service_are_shown(client, man, world):
    from muster.conscription.models import CallupCycle, CallupOrder, OrderBatch, ServiceRecord

    author = world.user("staff9", Role.COMMUNE_STAFF, world.commune_commands[0])
    cycle = CallupCycle.objects.create(
        year=2026, province=world.province, callup_date=date(2026, 2, 1), rules_version="2026"
    )
    batch = OrderBatch.objects.create(
        cycle=cycle,
        commune=world.communes[0],
        report_on=date(2026, 2, 20),
        report_place="Sân UBND xã",
        created_by=author,
    )
    order = CallupOrder.objects.create(
        cycle=cycle,
        batch=batch,
        person=man,
        number="12/LGNN",
        issued_on=date(2026, 2, 5),
        served_on=date(2026, 2, 7),
        served_how="in_person",
        outcome="reported",
        outcome_on=date(2026, 2, 20),
    )
    ServiceRecord.objects.create(
        person=man, order=order, unit_name="Trung đoàn 1", enlisted_on=date(2026, 2, 20)
    )
    section = client.get(f"/callup/person/{man.pk}/service/").content.decode()
    orders = section.split('id="service-orders"')[1].split("</table>")[0]
    assert f'href="/callup/orders/{order.pk}/"' in orders
    for day in ("05/02/2026", "07/02/2026", "20/02/2026"):
        assert day in orders
    service = section.split('id="service-records"')[1].split("</table>")[0]
    assert "Trung đoàn 1" in service
    assert "20/02/2026" in service
