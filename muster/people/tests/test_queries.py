"""Reads are scoped: a commune user never sees another commune's residents."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from muster.audit.models import ReadEvent
from muster.core.errors import NotFound
from muster.people import queries
from muster.people.models import FactKind, Person, PersonFact
from muster.people.tests.factories import make_person


@pytest.fixture
def people(world):
    a, b, c = world.communes
    return {
        "an": make_person(a, "Nguyễn Văn An", birth_date=date(2001, 2, 3)),
        "anh": make_person(a, "Trần Thị Anh", sex="F", birth_date=date(1999, 6, 1)),
        "binh": make_person(a, "Lê Văn Bình", birth_date=date(1990, 1, 1)),
        "other_an": make_person(b, "Nguyễn Văn An", birth_date=date(2002, 2, 3)),
        "third": make_person(c, "An Văn Hải", birth_date=date(1980, 5, 5)),
    }


def ids(qs: Iterable[Person]) -> list[str]:
    return [p.personal_id for p in qs]


def test_commune_user_cannot_access_another_communes_person(world, people):
    staff_a = world.staff[0]
    assert queries.access_person(staff_a, people["an"].personal_id).pk == people["an"].pk
    with pytest.raises(NotFound):
        queries.access_person(staff_a, people["other_an"].personal_id)
    with pytest.raises(NotFound):
        queries.access_person(staff_a, "001099999999")  # absent: the same answer


def test_access_logs_the_read_with_channel(world, people):
    queries.access_person(world.staff[0], people["an"].personal_id, channel="api")
    event = ReadEvent.objects.get()
    assert (event.action, event.actor, event.target_id, event.channel) == (
        "people.person.viewed",
        world.staff[0],
        str(people["an"].pk),
        "api",
    )


def test_out_of_scope_access_is_not_logged_as_a_read(world, people):
    with pytest.raises(NotFound):
        queries.access_person(world.staff[0], people["other_an"].personal_id)
    assert not ReadEvent.objects.exists()


def test_search_never_returns_out_of_scope_people(world, people):
    staff_a = world.staff[0]
    for q in [None, "an", "nguyen", "Nguyễn Văn An", "001", people["other_an"].personal_id]:
        found = set(ids(queries.person_search(staff_a, q=q)))
        assert people["other_an"].personal_id not in found
        assert people["third"].personal_id not in found
        page = queries.person_search_page(staff_a, q=q)
        assert {p.personal_id for p in page.items} <= {
            people[k].personal_id for k in ("an", "anh", "binh")
        }


def test_administrator_sees_all(world, people):
    assert queries.person_search(world.admin).count() == 5
    assert queries.access_person(world.admin, people["third"].personal_id)


def test_name_prefix_is_diacritic_insensitive_and_matches_given_name(world, people):
    admin = world.admin
    assert set(ids(queries.person_search(admin, q="nguyen van an"))) == {
        people["an"].personal_id,
        people["other_an"].personal_id,
    }
    # "an" is a given-name prefix for An and Anh, and a family name for An Văn Hải.
    expected = ["third", "an", "other_an", "anh"]  # (search_key, id) order
    assert ids(queries.person_search(admin, q="an")) == [people[k].personal_id for k in expected]
    page = queries.person_search_page(admin, q="AN")
    assert [p.personal_id for p in page.items] == [people[k].personal_id for k in expected]
    assert page.count == 4


def test_id_queries(world, people):
    admin = world.admin
    pid = people["binh"].personal_id
    assert ids(queries.person_search(admin, q=pid)) == [pid]
    assert pid in ids(queries.person_search(admin, q=pid[:6]))
    assert ids(queries.person_search(admin, q="999")) == []


def test_filters(world, people):
    admin = world.admin
    assert set(ids(queries.person_search(admin, commune_code="00002"))) == {
        people["other_an"].personal_id
    }
    assert ids(queries.person_search(admin, sex="F")) == [people["anh"].personal_id]
    born = queries.person_search(admin, born_from=date(1995, 1, 1), born_to=date(2001, 12, 31))
    assert set(ids(born)) == {people["an"].personal_id, people["anh"].personal_id}


def test_paging_and_capped_count(world, people):
    admin = world.admin
    first = queries.person_search_page(admin, page=1, page_size=2, count_cap=3)
    second = queries.person_search_page(admin, page=2, page_size=2, count_cap=3)
    everyone = ids(queries.person_search(admin))
    assert [p.personal_id for p in first.items + second.items] == everyone[:4]
    assert first.count == 3
    assert first.count_is_capped
    assert queries.person_search_page(admin, page=9).items == []


VIETNAMESE_ORDER = ["Ân", "Ăn", "An", "Ý", "Đức", "Dũng", "Bình"]  # shuffled on purpose


def test_lists_are_in_vietnamese_alphabetical_order(world):
    """Ă and Â after A, Đ after D, tones after the letters, on both databases."""
    commune = world.communes[0]
    for serial, given in enumerate(VIETNAMESE_ORDER):
        make_person(commune, f"Lê Văn {given}", birth_date=date(2000, 1, 1 + serial))
    expected = [f"Lê Văn {g}" for g in ("An", "Ăn", "Ân", "Bình", "Dũng", "Đức", "Ý")]
    admin = world.admin
    assert [p.full_name for p in queries.person_search(admin, q="le van")] == expected
    # Paged: the whole match set is known (under the cap), so every page follows the order.
    pages = [queries.person_search_page(admin, q="le van", page=n, page_size=3) for n in (1, 2, 3)]
    assert [p.full_name for page in pages for p in page.items] == expected
    # Both branches (family-name and given-name matches) merged in the same order.
    make_person(commune, "Đào Thị Lê", sex="F", birth_date=date(1999, 1, 1))
    assert [p.full_name for p in queries.person_search_page(admin, q="le").items] == [
        "Đào Thị Lê",  # đ before l
        *expected,
    ]


def test_search_page_query_count(world, people):
    admin = world.admin
    # Two index-ordered key reads (family-name and given-name branches) + one page fetch; the
    # read log of the page is one INSERT (with its chain's head, in its own transaction).
    with CaptureQueriesContext(connection) as ctx:
        page = queries.person_search_page(admin, q="nguyen")
        assert [p.residence_commune.code for p in page.items] == ["00001", "00002"]
    sql = [q["sql"] for q in ctx.captured_queries]
    person_reads = [s for s in sql if '"people_person"' in s and s.startswith("SELECT")]
    assert len(person_reads) == 3
    assert sum(s.startswith('INSERT INTO "audit_readevent"') for s in sql) == 1


def test_facts_current_takes_latest_of_each_kind(world, people):
    person = people["an"]
    PersonFact.objects.create(
        person=person,
        kind=FactKind.OCCUPATION,
        value="Nông dân",
        recorded_on=date(2020, 1, 1),
        source="khai báo",
    )
    latest = PersonFact.objects.create(
        person=person,
        kind=FactKind.OCCUPATION,
        value="Công nhân",
        recorded_on=date(2024, 1, 1),
        source="khai báo",
    )
    facts = queries.person_facts_current(person)
    assert facts == {FactKind.OCCUPATION: latest}


def test_id_warning_list_is_scoped(world, people):
    a, b, _ = world.communes
    bad_a = make_person(a, "Phạm Văn Tú", personal_id="001195000001", birth_date=date(1995, 1, 1))
    make_person(b, "Phạm Văn Tư", personal_id="001195000002", birth_date=date(1995, 1, 1))
    assert ids(queries.id_warning_list(world.staff[0])) == [bad_a.personal_id]
    assert queries.id_warning_list(world.admin).count() == 2
