"""The assessment page: a provincial user records a cadre's assessment; the IT competency
warning; the results list and its export."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from muster.accounts.models import Role
from muster.audit.models import ReadEvent
from muster.cadres.assessment import CriterionInput, criteria_set_save
from muster.cadres.models import Assessment
from muster.cadres.rules import Thresholds
from muster.people.tests.factories import make_person


def test_record_a_cadre_assessment(world):
    criteria_set = criteria_set_save(
        year=2026,
        subject="cadre",
        code="CB",
        name="Đánh giá cán bộ 2026",
        thresholds=Thresholds(Decimal(90), Decimal(70), Decimal(50)),
        criteria=[
            CriterionInput("work", "Kết quả công tác", 70),
            CriterionInput("it_competency", "Năng lực công nghệ thông tin", 30, True, Decimal(50)),
        ],
        acting_user=None,
    )
    make_person(world.communes[0], "Kiều Văn Mạnh", personal_id="099200000060")
    client = Client()
    client.force_login(world.user("tinh", Role.PROVINCE_STAFF, world.provincial))
    page = client.get("/cadres/assessments/?year=2026").content.decode()
    assert "Năng lực công nghệ thông tin" in page
    response = client.post(
        f"/cadres/assessments/{criteria_set.pk}/record/",
        {
            "command": world.commune_commands[0].code,
            "personal_id": "099200000060",
            "score_work": "95",
            "score_it_competency": "30",
        },
        follow=True,
    )
    body = response.content.decode()
    assert Assessment.objects.get().grade == "fail"
    assert "Năng lực công nghệ thông tin" in body.split('id="assessments"')[0]  # the warning
    assert "Kiều Văn Mạnh" in body
    assert ReadEvent.objects.filter(action="cadres.assessment.viewed").exists()
    csv = client.get("/cadres/assessments/?year=2026&export=csv").content.decode("utf-8-sig")
    assert "Kiều Văn Mạnh" in csv
