"""The /api/v1/persons endpoints: shapes, scope (404), validation (422), auth (401)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from muster.accounts.actions import api_token_issue
from muster.audit.models import ReadEvent
from muster.people.models import FactKind, PersonFact
from muster.people.tests.factories import make_person

URL = "/api/v1/persons"


@pytest.fixture
def people(world):
    a, b, _ = world.communes
    return {
        "an": make_person(a, "Nguyễn Văn An", birth_date=date(2001, 2, 3)),
        "lan": make_person(a, "Trần Thị Lan", sex="F", birth_date=date(1999, 6, 1)),
        "other": make_person(b, "Nguyễn Văn Anh", birth_date=date(2002, 2, 3)),
    }


@pytest.fixture
def staff_client(client, world):
    token = api_token_issue(user=world.staff[0])
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def test_list_shape_and_scope(staff_client, people):
    response = staff_client.get(URL, {"q": "nguyen"})
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "items": [
            {
                "personal_id": people["an"].personal_id,
                "full_name": "Nguyễn Văn An",
                "sex": "M",
                "birth_date": "2001-02-03",
                "residence_commune_code": "00001",
            }
        ],
        "count": 1,
    }


def test_list_by_id_and_filters(staff_client, people):
    pid = people["lan"].personal_id
    assert [i["personal_id"] for i in staff_client.get(URL, {"q": pid}).json()["items"]] == [pid]
    body = staff_client.get(
        URL, {"sex": "F", "commune": "00001", "born_from": "1999-01-01", "born_to": "1999-12-31"}
    ).json()
    assert body["count"] == 1
    assert staff_client.get(URL, {"page": 2}).json() == {"items": [], "count": 2}


def test_list_query_count(staff_client, people):
    # token, scope (org subtree ×2, territory, communes ×2), two key branches, one page; and the
    # page's read log: one INSERT (the audit app's chain adds its head and transaction).
    with CaptureQueriesContext(connection) as ctx:
        assert staff_client.get(URL, {"q": "an"}).status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    audit = [s for s in sql if "audit_" in s or s.startswith(("SAVEPOINT", "RELEASE"))]
    assert len(sql) - len(audit) <= 10
    assert sum(s.startswith('INSERT INTO "audit_readevent"') for s in sql) == 1


def test_detail(staff_client, people):
    person = people["an"]
    PersonFact.objects.create(
        person=person,
        kind=FactKind.EDUCATION_LEVEL,
        value="12/12",
        recorded_on=date(2024, 9, 1),
        source="Phiếu khai",
    )
    response = staff_client.get(f"{URL}/{person.personal_id}")
    assert response.status_code == 200
    assert response.json() == {
        "personal_id": person.personal_id,
        "full_name": "Nguyễn Văn An",
        "sex": "M",
        "birth_date": "2001-02-03",
        "ethnicity": "",
        "residence_commune_code": "00001",
        "address": "",
        "household_id": "",
        "life_status": "alive",
        "died_on": None,
        "residence_commune_name": "Phường Ba Đình",
        "phone": "",
        "id_warnings": [],
        "education_level": {"value": "12/12", "recorded_on": "2024-09-01", "source": "Phiếu khai"},
        "occupation": None,
    }
    assert ReadEvent.objects.get().channel == "api"


def test_detail_out_of_scope_and_missing_are_the_same_404(staff_client, people):
    out_of_scope = staff_client.get(f"{URL}/{people['other'].personal_id}")
    missing = staff_client.get(f"{URL}/001099999999")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.json() == missing.json()
    assert not ReadEvent.objects.exists()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sex": "X"}, "sex"),
        ({"born_from": "01/02/2000"}, "born_from"),
        ({"born_to": "2000-13-01"}, "born_to"),
        ({"commune": "99999"}, "commune"),
        ({"born_from": "2001-01-01", "born_to": "2000-01-01"}, "born_to"),
        ({"page": "0"}, "page"),
    ],
)
def test_bad_filters_are_422_with_field_details(staff_client, people, params, field):
    response = staff_client.get(URL, params)
    assert response.status_code == 422
    assert field in [d["loc"][-1] for d in response.json()["detail"]]


def test_our_422_items_carry_the_code_field_params_and_message(staff_client, people):
    response = staff_client.get(
        URL, {"commune": "99999", "born_from": "2001-01-01", "born_to": "2000-01-01"}
    )
    assert response.status_code == 422
    items = {item["field"]: item for item in response.json()["detail"]}
    assert items["commune"] == {
        "type": "value_error",
        "loc": ["query", "commune"],
        "msg": items["commune"]["message"],
        "code": "COMMUNE_NOT_2025",
        "field": "commune",
        "params": {"code": "99999"},
        "message": items["commune"]["message"],
    }
    assert "99999" in items["commune"]["message"]
    assert items["born_to"]["code"] == "RANGE_REVERSED"


def test_no_or_bad_token_is_401(client, people):
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}/{people['an'].personal_id}").status_code == 401
    response = client.get(URL, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401


def test_administrator_sees_everyone(client, world, people):
    token = api_token_issue(user=world.admin)
    body = client.get(URL, {"q": "nguyen van"}, HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert body["count"] == 2
