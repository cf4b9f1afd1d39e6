from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from muster.core.errors import NotFound
from muster.readiness import queries
from muster.readiness.tests.factories import TODAY, World, build_world, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def test_commune_user_sees_only_own_commune(world: World) -> None:
    figures = queries.jurisdiction_figures(world.commune_user, TODAY)
    # c1: An (20, man), Hoa (woman), Già (39, man), Mất (dead) → 3 alive, 1 man 18–27.
    assert (figures.people, figures.military_age_men, figures.communes) == (3, 1, 1)
    assert set(queries.commune_figures(world.commune_user, TODAY)) == {world.c1.id}


def test_area_and_province_totals(world: World) -> None:
    area = queries.jurisdiction_figures(world.area_user, TODAY)
    assert (area.people, area.military_age_men, area.communes) == (4, 2, 2)
    province = queries.jurisdiction_figures(world.province_user, TODAY)
    assert (province.people, province.military_age_men, province.communes) == (5, 3, 3)


def test_national_admin_sees_every_current_commune(world: World) -> None:
    figures = queries.jurisdiction_figures(world.admin, TODAY)
    # Legacy communes ended 2025-06-30 and do not count on TODAY.
    assert (figures.people, figures.communes) == (5, 3)


def test_commune_figures_per_commune_with_density(world: World) -> None:
    figures = queries.commune_figures(world.province_user, TODAY)
    assert figures[world.c1.id].people == 3
    assert figures[world.c1.id].military_age_men == 1
    assert figures[world.c1.id].density == pytest.approx(0.3)
    assert figures[world.c2.id].density == pytest.approx(1 / 50)
    # An area of zero gives no density rather than a division error.
    assert figures[world.c3.id].density is None


def test_commune_without_people_has_zeros(world: World) -> None:
    world.binh.delete()
    figures = queries.commune_figures(world.area_user, TODAY)
    assert (figures[world.c2.id].people, figures[world.c2.id].military_age_men) == (0, 0)


@pytest.mark.parametrize(
    ("birth", "counted"),
    [
        (date(2008, 3, 15), True),  # 18th birthday today
        (date(2008, 3, 16), False),  # turns 18 tomorrow
        (date(1998, 3, 16), True),  # last day of age 27
        (date(1998, 3, 15), False),  # 28 today
    ],
)
def test_age_band_edges(world: World, birth: date, counted: bool) -> None:
    before = queries.jurisdiction_figures(world.commune_user, TODAY).military_age_men
    person(
        personal_id="091999999999",
        full_name="Ngô Văn Biên",
        sex="M",
        birth_date=birth,
        commune=world.c1,
    )
    after = queries.jurisdiction_figures(world.commune_user, TODAY).military_age_men
    assert after - before == (1 if counted else 0)


def test_dead_after_as_of_still_counts_then(world: World) -> None:
    # Mất died 2025-01-01: alive on 2024-12-31 (aged 20), not on TODAY.
    then = queries.jurisdiction_figures(world.commune_user, date(2024, 12, 31))
    assert then.people == 3 + 1 - 0  # An (born 2006) alive, Hoa, Già, Mất
    now = queries.jurisdiction_figures(world.commune_user, TODAY)
    assert now.people == 3


def test_commune_figures_is_one_grouped_query(world: World) -> None:
    with CaptureQueriesContext(connection) as ctx:
        queries.commune_figures(world.province_user, TODAY)
    person_queries = [q for q in ctx.captured_queries if "people_person" in q["sql"]]
    assert len(person_queries) == 1
    assert "GROUP BY" in person_queries[0]["sql"]


def test_access_commune_scoped(world: World) -> None:
    assert queries.access_commune(world.commune_user, "91001", TODAY) == world.c1
    with pytest.raises(NotFound):
        queries.access_commune(world.commune_user, "91002", TODAY)
    with pytest.raises(NotFound):
        queries.access_commune(world.commune_user, "00000", TODAY)


def test_communes_in_scope_name_filter_ignores_diacritics(world: World) -> None:
    names = [u.code for u in queries.communes_in_scope(world.province_user, TODAY, q="dong")]
    assert names == ["91002"]
    assert list(queries.communes_in_scope(world.commune_user, TODAY, q="dong")) == []
