"""The militia's forms as pages: a commune officer adds a member on a decision, extends the
term, releases him with the law's code; refusals come back beside their field; an auditor is
refused the forms; another commune's command is 404."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.militia.models import MilitiaDecision, MilitiaMembership, MilitiaTarget
from muster.people.tests.factories import make_person


@pytest.fixture
def officer(world: World) -> Client:
    client = Client()
    client.force_login(world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0]))
    return client


def decision(day: date) -> dict[str, str]:
    return {
        "decision_number": "21/QĐ-UBND",
        "decided_on": day.isoformat(),
        "decided_by": "Chủ tịch UBND xã",
    }


def leave(data: dict[str, str]) -> dict[str, str]:
    return {f"leave-{k}": v for k, v in data.items()}


def test_join_extend_and_release_from_the_pages(world, officer):
    person = make_person(world.communes[0], "Lò Văn An", birth_date=date(2000, 5, 17))
    code = world.commune_commands[0].code
    day = timezone.localdate() - timedelta(days=10)
    roster = officer.get(f"/militia/{code}/")
    assert f'href="/militia/{code}/join/"' in roster.content.decode()
    refused = officer.post(f"/militia/{code}/join/", {
        "personal_id": person.personal_id, "force_kind": "naval", "joined_on": day.isoformat(), **decision(day),
    })  # fmt: skip
    assert refused.status_code == 200
    # Worded beside the field, in Vietnamese (DQTV Art. 15: no naval militia inland).
    assert "Dân quân biển chỉ tổ chức ở xã ven biển" in refused.content.decode()
    assert not MilitiaMembership.objects.exists()
    saved = officer.post(f"/militia/{code}/join/", {
        "personal_id": person.personal_id, "force_kind": "mobile", "joined_on": day.isoformat(), **decision(day),
    })  # fmt: skip
    assert saved.status_code == 302
    assert saved["Location"] == f"/militia/{code}/?saved=join"
    membership = MilitiaMembership.objects.get()
    assert MilitiaDecision.objects.get(kind="join").decided_by == "Chủ tịch UBND xã"
    page = officer.get(f"/militia/{code}/members/{membership.pk}/")
    assert "member-extend" in page.content.decode()
    until = membership.term_ends_on + timedelta(days=365)
    today = timezone.localdate()
    extended = officer.post(
        f"/militia/{code}/members/{membership.pk}/extend/",
        {f"extend-{k}": v for k, v in {"until": until.isoformat(), **decision(today)}.items()},
    )
    assert extended.status_code == 302
    membership.refresh_from_db()
    assert membership.term_ends_on == until
    no_code = officer.post(f"/militia/{code}/members/{membership.pk}/leave/", leave({
        "left_on": today.isoformat(), "reason": "released", **decision(today),
    }))  # fmt: skip
    assert no_code.status_code == 200
    assert "Hãy nêu trường hợp thôi phục vụ trước thời hạn" in no_code.content.decode()
    released = officer.post(f"/militia/{code}/members/{membership.pk}/leave/", leave({
        "left_on": today.isoformat(), "reason": "released", "ground_code": "MREL_STUDY_OR_ABROAD",
        **decision(today),
    }))  # fmt: skip
    assert released.status_code == 302
    membership.refresh_from_db()
    assert (membership.valid_to, membership.ground_code) == (today, "MREL_STUDY_OR_ABROAD")
    assert officer.get(f"/militia/{code}/members/{membership.pk}/").status_code == 404


def test_target_form_and_refusals(world, officer):
    code = world.commune_commands[0].code
    today = timezone.localdate().isoformat()
    assert (
        officer.post(f"/militia/{code}/target/", {"size": "0", "valid_from": today}).status_code
        == 200
    )
    assert (
        officer.post(f"/militia/{code}/target/", {"size": "9", "valid_from": today}).status_code
        == 302
    )
    assert MilitiaTarget.objects.get().size == 9
    assert officer.get(f"/militia/{world.commune_commands[2].code}/join/").status_code == 404
    auditor = Client()
    auditor.force_login(world.user("kt", Role.AUDITOR, world.commune_commands[0]))
    assert auditor.get(f"/militia/{code}/join/").status_code == 403
    assert f'href="/militia/{code}/join/"' not in auditor.get(f"/militia/{code}/").content.decode()
