"""The registry's forms: register, edit contact and residence, record facts."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from muster.accounts.actions import user_create
from muster.accounts.models import Role, User
from muster.audit.models import AuditEvent
from muster.core.errors import FieldError, InvalidInput
from muster.core.wording import error_text, registry
from muster.people import actions as people_actions
from muster.people import rules
from muster.people.models import FactKind, LifeStatus, Person, PersonFact, ResidencePeriod
from muster.readiness.tests.factories import PASSWORD, World, build_world

pytestmark = pytest.mark.django_db

NEW_ID = "091200000777"


@pytest.fixture
def world() -> World:
    return build_world()


def login(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def commune_client(client: Client, world: World) -> Client:
    return login(client, world.commune_user)


@pytest.fixture
def auditor(world: World) -> User:
    return user_create(
        username="kiemtra",
        password=PASSWORD,
        role=Role.AUDITOR,
        jurisdiction=world.area1,
        acting_user=None,
    )


def person_data(world: World, **overrides: str) -> dict[str, str]:
    data = {
        "personal_id": NEW_ID,
        "full_name": "Phan  Văn Mới",
        "sex": "M",
        "birth_date": "2000-04-02",
        "ethnicity": "Kinh",
        "residence_commune": world.c1.code,
        "address": "Số 5, ngõ 7",
        "household_id": "HH-77",
        "phone": "0912345678",
        "life_status": "alive",
        "died_on": "",
    }
    data.update(overrides)
    return data


def field_errors(page: str, field: str) -> list[str]:
    return re.findall(rf'<p class="error" id="id_{field}_error">([^<]*)</p>', page)


# Registration --------------------------------------------------------------------------------


def test_register_person(commune_client: Client, world: World) -> None:
    form = commune_client.get(reverse("web:person_add")).content.decode()
    assert 'for="id_personal_id"' in form
    assert f'<option value="{world.c1.code}">' in form
    assert world.c2.code not in form  # the commune user covers c1 only
    assert world.c3.code not in form

    response = commune_client.post(reverse("web:person_add"), person_data(world))

    person = Person.objects.get(personal_id=NEW_ID)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:person_detail", args=[NEW_ID])
    assert person.full_name == "Phan Văn Mới"
    assert person.residence_commune == world.c1
    assert person.household_id == "HH-77"
    event = AuditEvent.objects.get(action="people.person.created", target_id=str(person.pk))
    assert event.actor_label == world.commune_user.username
    assert event.commune_code == world.c1.code
    assert ResidencePeriod.objects.filter(person=person, commune=world.c1).count() == 1
    page = commune_client.get(response["Location"]).content.decode()
    assert 'role="status"' in page
    assert "Đã thêm Phan Văn Mới vào sổ đăng ký." in page


def test_a_name_with_a_bidirectional_override_is_refused(
    commune_client: Client, world: World
) -> None:
    """Issue #13 finding 7: text that shows one name and is another never reaches the
    register from the page form."""
    response = commune_client.post(
        reverse("web:person_add"), person_data(world, full_name="Phan Văn \u202eiớM")
    )
    assert response.status_code == 200
    assert not Person.objects.filter(personal_id=NEW_ID).exists()
    assert field_errors(response.content.decode(), "full_name") == [
        "Có ký tự ẩn hoặc ký tự điều khiển (U+202E) ở ký tự thứ 10: hãy xoá ký tự này (văn bản "
        "dán vào thường mang theo nó)."
    ]


def _assert_refused(client: Client, world: World, field: str, expected: str, **data: str) -> str:
    before = AuditEvent.objects.count()
    response = client.post(reverse("web:person_add"), person_data(world, **data))
    page = response.content.decode()
    assert response.status_code == 200
    assert not Person.objects.filter(personal_id=data.get("personal_id", NEW_ID)).exists()
    assert AuditEvent.objects.count() == before
    assert field_errors(page, field) == [expected], page
    summary = page[page.index('id="form-errors"') : page.index("</div>", page.index("form-errors"))]
    assert 'role="alert"' in page[page.index("error-summary") - 40 : page.index("form-errors")]
    assert f'href="#id_{field}"' in summary
    assert expected in summary
    # The other values stay in the form.
    assert 'value="Phan  Văn Mới"' in page or 'value="Phan Văn Mới"' in page
    assert 'value="Số 5, ngõ 7"' in page
    return page


def test_id_of_eleven_digits_is_refused_on_its_field(commune_client: Client, world: World) -> None:
    page = _assert_refused(
        commune_client,
        world,
        "personal_id",
        "Phải có đúng 12 chữ số; đã nhập 11 chữ số.",
        personal_id="09120000077",
    )
    assert 'value="09120000077"' in page


def test_birth_date_in_the_future_is_refused(commune_client: Client, world: World) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    _assert_refused(
        commune_client,
        world,
        "birth_date",
        "Ngày không được ở tương lai.",
        birth_date=tomorrow.isoformat(),
    )


def test_death_date_needs_life_status_dead(commune_client: Client, world: World) -> None:
    _assert_refused(
        commune_client,
        world,
        "died_on",
        "Để trống ngày mất nếu tình trạng không phải “Đã chết”.",
        died_on="2024-01-01",
    )


def test_dead_needs_a_death_date(commune_client: Client, world: World) -> None:
    _assert_refused(
        commune_client,
        world,
        "died_on",
        "Nhập ngày mất khi tình trạng là “Đã chết”.",
        life_status="dead",
    )


def test_commune_outside_scope_cannot_be_chosen(commune_client: Client, world: World) -> None:
    _assert_refused(
        commune_client,
        world,
        "residence_commune",
        "Xã/phường này không thuộc phạm vi quản lý của bạn hoặc không tồn tại.",
        residence_commune=world.c3.code,
    )


def test_several_errors_at_once_and_unparsable_date(commune_client: Client, world: World) -> None:
    response = commune_client.post(
        reverse("web:person_add"),
        person_data(world, full_name="", birth_date="15/13/2000", sex=""),
    )
    page = response.content.decode()
    assert field_errors(page, "full_name") == ["Trường này là bắt buộc."]
    assert field_errors(page, "sex") == ["Trường này là bắt buộc."]
    assert field_errors(page, "birth_date") == ["Nhập ngày theo ngày, tháng và năm."]


def test_an_id_already_registered(commune_client: Client, world: World) -> None:
    response = commune_client.post(
        reverse("web:person_add"),
        person_data(world, personal_id=world.an.personal_id, birth_date="2006-01-10"),
    )
    assert field_errors(response.content.decode(), "personal_id") == [
        "Đã có công dân đăng ký với số này."
    ]


def test_register_link_only_for_roles_that_write(
    client: Client, world: World, auditor: User
) -> None:
    page = login(client, world.commune_user).get(reverse("web:persons")).content.decode()
    assert 'id="person-add-link"' in page
    client.logout()
    page = login(client, auditor).get(reverse("web:persons")).content.decode()
    assert 'id="person-add-link"' not in page


# Auditors read, they do not write -------------------------------------------------------------


def test_auditor_gets_403_on_every_write(client: Client, world: World, auditor: User) -> None:
    login(client, auditor)
    an = world.an.personal_id
    before = AuditEvent.objects.count()
    answers = [
        client.get(reverse("web:person_add")),
        client.post(reverse("web:person_add"), person_data(world)),
        client.get(reverse("web:person_edit", args=[an])),
        client.post(reverse("web:person_edit", args=[an]), {"residence_commune": world.c2.code}),
        client.post(
            reverse("web:person_fact_add", args=[an]),
            {"kind": "occupation", "occupation": "x", "recorded_on": "2025-01-01", "source": "x"},
        ),
    ]
    for response in answers:
        assert response.status_code == 403
        text = response.content.decode()
        assert "Kiểm tra viên được xem sổ đăng ký" in text
        assert 'id="forbidden-message"' in text
    assert AuditEvent.objects.count() == before
    assert not Person.objects.filter(personal_id=NEW_ID).exists()
    page = client.get(reverse("web:person_detail", args=[an])).content.decode()
    assert 'id="person-edit-form"' not in page
    assert 'id="person-fact-form"' not in page


# Edit contact and residence --------------------------------------------------------------------


def test_edit_moves_residence_and_audits_before_and_after(client: Client, world: World) -> None:
    login(client, world.area_user)  # covers c1 and c2
    an = world.an
    detail = client.get(reverse("web:person_detail", args=[an.personal_id])).content.decode()
    assert 'id="person-edit-form"' in detail
    assert f'action="{reverse("web:person_edit", args=[an.personal_id])}"' in detail

    response = client.post(
        reverse("web:person_edit", args=[an.personal_id]),
        {
            "address": "Thôn 9",
            "phone": "0987654321",
            "household_id": "",
            "residence_commune": world.c2.code,
            "life_status": "alive",
            "died_on": "",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("web:person_detail", args=[an.personal_id])
    an.refresh_from_db()
    assert an.residence_commune == world.c2
    assert an.address == "Thôn 9"
    event = AuditEvent.objects.get(action="people.person.updated", target_id=str(an.pk))
    assert event.data["before"]["residence_commune_code"] == world.c1.code
    assert event.data["after"]["residence_commune_code"] == world.c2.code
    assert event.data["before"]["address"] == "Thôn 1"
    assert event.data["after"]["address"] == "Thôn 9"
    assert "household_id" not in event.data["after"]  # unchanged fields are not in the diff
    current = ResidencePeriod.objects.get(person=an, valid_to__isnull=True)
    assert current.commune == world.c2
    assert current.valid_from == timezone.localdate()
    page = client.get(response["Location"]).content.decode()
    assert "Đã lưu hồ sơ." in page
    history = page[page.index('id="person-residences"') :]
    assert world.c2.name in history
    assert "Thôn 9" in history


def test_edit_errors_stay_on_the_page(client: Client, world: World) -> None:
    login(client, world.commune_user)
    url = reverse("web:person_edit", args=[world.an.personal_id])
    assert 'value="Thôn 1"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "address": "Thôn 2",
            "phone": "",
            "household_id": "",
            "residence_commune": world.c1.code,
            "life_status": "alive",
            "died_on": "2024-02-02",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert field_errors(page, "died_on") == [
        "Để trống ngày mất nếu tình trạng không phải “Đã chết”."
    ]
    assert 'value="Thôn 2"' in page
    world.an.refresh_from_db()
    assert world.an.address == "Thôn 1"
    assert not AuditEvent.objects.filter(action="people.person.updated").exists()


def test_edit_records_a_death(client: Client, world: World) -> None:
    login(client, world.commune_user)
    client.post(
        reverse("web:person_edit", args=[world.an.personal_id]),
        {
            "address": "Thôn 1",
            "residence_commune": world.c1.code,
            "life_status": "dead",
            "died_on": "2025-12-01",
        },
    )
    world.an.refresh_from_db()
    assert world.an.life_status == LifeStatus.DEAD
    assert world.an.died_on == date(2025, 12, 1)


# Facts -----------------------------------------------------------------------------------------


def fact(**overrides: str) -> dict[str, str]:
    data = {
        "kind": "education_level",
        "education_level": "grade_12",
        "occupation": "",
        "recorded_on": "2025-10-01",
        "source": "Khai báo tại xã",
    }
    data.update(overrides)
    return data


def test_fact_recorded_without_javascript(commune_client: Client, world: World) -> None:
    url = reverse("web:person_fact_add", args=[world.an.personal_id])
    response = commune_client.post(url, fact())
    assert response.status_code == 302
    recorded = PersonFact.objects.get(person=world.an, value="grade_12")
    assert recorded.kind == FactKind.EDUCATION_LEVEL
    assert recorded.recorded_on == date(2025, 10, 1)
    assert AuditEvent.objects.filter(
        action="people.fact.recorded", target_id=str(recorded.pk)
    ).exists()
    page = commune_client.get(response["Location"]).content.decode()
    facts = page[
        page.index('id="person-facts"') : page.index("</table>", page.index("person-facts"))
    ]
    assert "Lớp 12/12" in facts  # the code is shown as its label
    assert "12/12" in facts.replace("Lớp 12/12", "")  # the earlier level stays, superseded
    assert facts.count('class="tag"') == 2  # one current fact per kind


def test_an_older_fact_joins_the_history_not_the_current(
    commune_client: Client, world: World
) -> None:
    url = reverse("web:person_fact_add", args=[world.an.personal_id])
    commune_client.post(
        url, fact(kind="occupation", occupation="Học sinh", recorded_on="2020-01-01")
    )
    page = commune_client.get(reverse("web:person_detail", args=[world.an.personal_id]))
    text = page.content.decode()
    assert re.search(
        r'<tr class="superseded">\s*<th scope="row">Nghề nghiệp</th><td>Học sinh</td>', text
    )
    assert re.search(r"<td>Sinh viên <span class=\"tag\">hiện tại</span></td>", text)


def test_fact_recorded_with_htmx_answers_the_section(commune_client: Client, world: World) -> None:
    url = reverse("web:person_fact_add", args=[world.an.personal_id])
    response = commune_client.post(
        url, fact(kind="occupation", occupation="Thợ  hàn"), headers={"HX-Request": "true"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in text
    assert text.lstrip().startswith('<section aria-labelledby="facts-heading" id="facts-section">')
    assert "Thợ hàn" in text
    assert 'id="fact-recorded"' in text
    assert PersonFact.objects.filter(person=world.an, kind="occupation", value="Thợ hàn").exists()
    detail = commune_client.get(reverse("web:person_detail", args=[world.an.personal_id]))
    assert f'hx-post="{url}"' in detail.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (fact(education_level=""), "education_level", "Chọn trình độ học vấn."),
        (fact(kind="occupation"), "occupation", "Nhập nghề nghiệp."),
        (fact(source=""), "source", "Trường này là bắt buộc."),
        (fact(kind="occupation", occupation="x" * 121), "occupation", "Nhập từ 1 đến 120 ký tự."),
        (
            fact(recorded_on=(timezone.localdate() + timedelta(days=2)).isoformat()),
            "recorded_on",
            "Ngày không được ở tương lai.",
        ),
    ],
)
def test_fact_errors(
    commune_client: Client, world: World, data: dict[str, str], field: str, message: str
) -> None:
    url = reverse("web:person_fact_add", args=[world.an.personal_id])
    for headers in ({}, {"HX-Request": "true"}):
        response = commune_client.post(url, data, headers=headers)
        assert response.status_code == 200
        assert field_errors(response.content.decode(), field) == [message]
    assert not AuditEvent.objects.filter(action="people.fact.recorded").exists()


def test_fact_route_is_post_only(commune_client: Client, world: World) -> None:
    url = reverse("web:person_fact_add", args=[world.an.personal_id])
    assert commune_client.get(url).status_code == 405


# Scope -------------------------------------------------------------------------------------------


def test_person_outside_scope_is_404_on_edit_and_facts(
    commune_client: Client, world: World
) -> None:
    for person in (world.binh, world.cuong):  # c2 and c3: outside the commune user's c1
        pid = person.personal_id
        edit = reverse("web:person_edit", args=[pid])
        facts = reverse("web:person_fact_add", args=[pid])
        assert commune_client.get(edit).status_code == 404
        assert (
            commune_client.post(
                edit, {"residence_commune": world.c1.code, "life_status": "alive"}
            ).status_code
            == 404
        )
        assert commune_client.post(facts, fact()).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="people.").exists()
    assert not PersonFact.objects.filter(person__in=[world.binh, world.cuong]).exists()


def test_cannot_move_a_person_out_of_scope(commune_client: Client, world: World) -> None:
    response = commune_client.post(
        reverse("web:person_edit", args=[world.an.personal_id]),
        {"residence_commune": world.c3.code, "life_status": "alive"},
    )
    assert response.status_code == 200
    assert field_errors(response.content.decode(), "residence_commune")
    world.an.refresh_from_db()
    assert world.an.residence_commune == world.c1


# Every message the rules produce has a wording for the page --------------------------------------


def _rule_messages(world: World) -> list[FieldError]:
    today = timezone.localdate()
    future = today + timedelta(days=1)
    errors = [
        *rules.personal_id_errors("1" * 11),
        *rules.personal_id_errors("12345678901a"),
        *rules.birth_date_errors(None, today=today),
        *rules.birth_date_errors(future, today=today),
        *rules.birth_date_errors(date(1899, 12, 31), today=today),
        *rules.died_on_errors("alive", today, None, today=today),
        *rules.died_on_errors("dead", None, None, today=today),
        *rules.died_on_errors("dead", future, None, today=today),
        *rules.died_on_errors("dead", date(2000, 1, 1), date(2001, 1, 1), today=today),
        *rules.died_on_errors("zombie", None, None, today=today),
        *rules.sex_errors("X"),
        *rules.text_errors("full_name", "An\u202eBình"),
        *rules.text_errors("address", "Thôn\x1b"),
    ]
    bad_person = people_actions.PersonInput(
        personal_id=world.an.personal_id,
        full_name=" ",
        sex="M",
        birth_date=date(2000, 1, 1),
        residence_commune_code="nowhere",
        address="x" * 300,
    )
    try:
        people_actions.person_create(data=bad_person, acting_user=world.admin)
    except InvalidInput as exc:
        errors += exc.errors
    try:
        people_actions.person_update(
            person=world.an,
            changes={"personal_id": "1", "source": "x"},
            acting_user=world.admin,
        )
    except InvalidInput as exc:
        errors += exc.errors
    try:
        people_actions.person_fact_record(
            person=world.an,
            kind="shoe_size",
            value="",
            recorded_on=future,
            source="",
            acting_user=world.admin,
        )
    except InvalidInput as exc:
        errors += exc.errors
    try:
        people_actions.person_create(
            data=people_actions.PersonInput(
                personal_id=world.an.personal_id,
                full_name="Nguyễn Văn An",
                sex="M",
                birth_date=world.an.birth_date,
                residence_commune_code=world.c1.code,
            ),
            acting_user=world.admin,
        )
    except InvalidInput as exc:
        errors += exc.errors
    return errors


def test_every_rule_message_has_a_wording(world: World) -> None:
    errors = _rule_messages(world)
    assert len(errors) >= 20
    unworded = [e.code for e in errors if e.code not in registry()]
    assert unworded == [], "add a wording to the app's wording.py"
    for error in errors:
        with translation.override("en"):
            english = error_text(error)
        with translation.override("vi"):
            assert error_text(error) not in {english, error.code}


def test_a_death_recorded_on_the_page_closes_his_first_registration_item(
    client: Client, world: World
) -> None:
    from muster.worklists.bulk import worklist_refresh_registration
    from muster.worklists.models import WorkItem

    boy = world.an
    boy.birth_date = date(timezone.localdate().year - 17, 2, 2)
    boy.save(update_fields=["birth_date"])
    worklist_refresh_registration(year=timezone.localdate().year)
    item = WorkItem.objects.get(person=boy)
    login(client, world.commune_user)
    died_on = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        reverse("web:person_edit", args=[boy.personal_id]),
        {
            "address": "Thôn 1",
            "phone": "",
            "household_id": "",
            "residence_commune": world.c1.code,
            "life_status": "dead",
            "died_on": died_on,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.resolved_at is not None
    assert item.resolution_note.startswith("Died")
