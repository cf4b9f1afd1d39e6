from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from muster.readiness.tests.factories import PASSWORD, World, build_world
from muster.web.urls import URL_NAMES

pytestmark = pytest.mark.django_db

PAGE_WEIGHT_LIMIT = 300 * 1024


@pytest.fixture
def world() -> World:
    return build_world()


def login(client: Client, username: str) -> Client:
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def commune_client(client: Client, world: World) -> Client:
    return login(client, world.commune_user.username)


@pytest.fixture
def province_client(client: Client, world: World) -> Client:
    return login(client, world.province_user.username)


def page_urls(world: World) -> dict[str, str]:
    """One URL per named route (with arguments a commune user may see)."""
    urls = {
        "login": reverse("web:login"),
        "dashboard": reverse("web:dashboard"),
        "map_communes": reverse("web:map_communes"),
        "communes": reverse("web:communes"),
        "communes_results": reverse("web:communes_results"),
        "commune_detail": reverse("web:commune_detail", args=[world.c1.code]),
        "org_tree": reverse("web:org_tree"),
        "persons": reverse("web:persons"),
        "persons_results": reverse("web:persons_results"),
        "person_detail": reverse("web:person_detail", args=[world.an.personal_id]),
        "id_warnings": reverse("web:id_warnings"),
        "person_add": reverse("web:person_add"),
        "person_edit": reverse("web:person_edit", args=[world.an.personal_id]),
        "person_move": reverse("web:person_move", args=[world.an.personal_id]),
        "second_factor": reverse("web:second_factor"),
        "own_password": reverse("web:own_password"),
    }
    assert set(urls) | NOT_PAGES.keys() == set(URL_NAMES)
    return urls


# Routes that are not a page every role opens, and where they are tested.
NOT_PAGES = {
    "logout": "POST only (test_login_form_and_logout)",
    "login_code": "the second login step, after a password (test_auth.py)",
    "person_fact_add": "POST only (test_forms.py)",
    "cd_map": "civil-defence map (test_cdmap.py, the browser test)",
    "cd_map_3d": "3D map: MapLibre GL (~1 MB) loads on this page only (test_cdmap.py)",
    "cd_map_data": "the map's JSON (test_cdmap.py)",
    "cd_map_draw": "POST only (test_cdmap.py)",
    "cd_plan": "civil-defence plan (test_cdmap.py, the browser test)",
    "cd_terrain_tile": "terrain tiles (test_cdmap.py)",
    "audit_log": "auditors and administrators only (test_audit_log.py)",
    "audit_reads": "auditors and administrators only (test_audit_log.py)",
    "audit_chain_check": "auditors and administrators only (test_audit_log.py)",
    "users": "staff given users.manage only (test_views_users.py)",
    "user_add": "staff given users.manage only (test_views_users.py)",
    "user_detail": "staff given users.manage only (test_views_users.py)",
}


def test_anonymous_is_sent_to_login(client: Client, world: World) -> None:
    for name, url in page_urls(world).items():
        if name == "login":
            continue
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("web:login")), name


def test_every_page_renders_for_each_role(client: Client, world: World) -> None:
    users = [world.commune_user, world.area_user, world.province_user, world.admin]
    for user in users:
        login(client, user.username)
        for name, url in page_urls(world).items():
            if name == "login":
                continue
            response = client.get(url)
            assert response.status_code == 200, (user.username, name)
        client.logout()


def test_login_form_and_logout(client: Client, world: World) -> None:
    page = client.get(reverse("web:login")).content.decode()
    assert 'id="id_username"' in page
    assert 'id="id_password"' in page
    assert '<label for="id_username">' in page
    response = client.post(
        reverse("web:login"), {"username": world.commune_user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard")
    assert client.get(reverse("web:logout")).status_code == 405  # logout is a POST
    assert client.post(reverse("web:logout")).status_code == 302
    assert client.get(reverse("web:dashboard")).status_code == 302


def test_base_shows_user_role_and_jurisdiction(commune_client: Client, world: World) -> None:
    page = commune_client.get(reverse("web:dashboard")).content.decode()
    assert world.cc1.name in page
    assert "Xa1" in page
    assert 'action="/i18n/setlang/"' in page
    assert 'id="logout-button"' in page


# Scope: a commune user never sees another commune ------------------------------------------


def test_commune_user_404_outside_jurisdiction(commune_client: Client, world: World) -> None:
    for url in (
        reverse("web:person_detail", args=[world.binh.personal_id]),
        reverse("web:person_detail", args=[world.cuong.personal_id]),
        reverse("web:person_detail", args=["000000000000"]),
        reverse("web:commune_detail", args=[world.c2.code]),
        reverse("web:commune_detail", args=[world.c3.code]),
    ):
        assert commune_client.get(url).status_code == 404, url


def test_province_user_sees_every_commune(province_client: Client, world: World) -> None:
    for person in (world.an, world.binh, world.cuong):
        url = reverse("web:person_detail", args=[person.personal_id])
        assert province_client.get(url).status_code == 200
    page = province_client.get(reverse("web:communes")).content.decode()
    for unit in (world.c1, world.c2, world.c3):
        assert unit.name in page


def test_search_results_are_scoped(commune_client: Client, world: World) -> None:
    page = commune_client.get(reverse("web:persons"), {"q": "tran"}).content.decode()
    assert "Trần Thị Hoa" in page  # c1
    assert "Trần Văn Bình" not in page  # c2
    page = commune_client.get(reverse("web:persons_results"), {}).content.decode()
    assert "Nguyễn Văn An" in page
    assert world.binh.personal_id not in page
    assert world.cuong.personal_id not in page


def test_search_cannot_pick_a_commune_outside_scope(commune_client: Client, world: World) -> None:
    page = commune_client.get(reverse("web:persons"), {"commune": world.c2.code}).content.decode()
    assert world.binh.personal_id not in page
    assert 'id="form-errors"' in page


def test_map_is_scoped(commune_client: Client, world: World) -> None:
    response = commune_client.get(reverse("web:map_communes"))
    collection = json.loads(response.content)
    codes = {f["properties"]["code"] for f in collection["features"]}
    assert codes == {world.c1.code}
    props = collection["features"][0]["properties"]
    assert props["people"] == 3
    assert props["military_age_men"] == 1
    assert props["url"] == reverse("web:commune_detail", args=[world.c1.code])
    assert props["approximate"] is True


def test_map_for_province_user(province_client: Client, world: World) -> None:
    collection = province_client.get(reverse("web:map_communes")).json()
    assert {f["properties"]["code"] for f in collection["features"]} == {"91001", "91002", "91003"}


def test_lists_are_scoped(commune_client: Client, world: World) -> None:
    for name in ("communes", "communes_results"):
        page = commune_client.get(reverse(f"web:{name}")).content.decode()
        assert world.c1.name in page
        assert world.c2.name not in page
        assert world.c3.name not in page
    page = commune_client.get(reverse("web:id_warnings")).content.decode()
    assert world.cuong.personal_id not in page  # warning, but in c3


def test_id_warning_worklist(province_client: Client, world: World) -> None:
    page = province_client.get(reverse("web:id_warnings")).content.decode()
    assert world.cuong.personal_id in page
    assert world.an.personal_id not in page


# Pages -------------------------------------------------------------------------------------


def test_dashboard_figures_and_map(commune_client: Client) -> None:
    page = commune_client.get(reverse("web:dashboard")).content.decode()
    assert re.search(r'id="figure-people">3<', page)
    assert re.search(r'id="figure-men">1<', page)
    assert re.search(r'id="figure-communes">1<', page)
    assert 'id="map"' in page
    assert 'id="id_figure"' in page
    assert "Ranh giới xã là xấp xỉ (vẽ từ tâm và diện tích)" in page
    assert "tile" not in page.lower()
    assert "<script>" not in page
    assert " style=" not in page


def test_dashboard_opens_on_the_work_with_links_to_each_worklist(
    commune_client: Client, world: World
) -> None:
    page = commune_client.get(reverse("web:dashboard")).content.decode()
    assert page.index('id="dashboard-work"') < page.index('id="figures"')  # the work first
    # Each worklist's row links to that worklist, filtered to the commune.
    assert f'href="/worklists/?kind=due_first_registration&amp;commune={world.c1.code}"' in page
    assert 'id="dashboard-callup"' in page
    assert 'id="dashboard-militia"' in page
    assert 'id="dashboard-below"' not in page  # a commune has no unit below


def test_dashboard_drills_down_to_the_unit_below(province_client: Client, world: World) -> None:
    page = province_client.get(reverse("web:dashboard")).content.decode()
    assert world.provincial.name in page
    assert f'href="/?unit={world.area1.code}"' in page
    text = province_client.get(
        reverse("web:dashboard"), {"unit": world.area1.code}
    ).content.decode()
    assert world.area1.name in text
    assert f'href="/?unit={world.cc1.code}"' in text
    assert f'href="/?unit={world.provincial.code}"' in text  # back up
    assert province_client.get(reverse("web:dashboard"), {"unit": "NOPE"}).status_code == 404


def test_commune_list_filter_and_sort(province_client: Client, world: World) -> None:
    page = province_client.get(reverse("web:communes_results"), {"q": "dong"}).content.decode()
    assert world.c2.name in page
    assert world.c1.name not in page
    text = province_client.get(
        reverse("web:communes_results"), {"sort": "-people"}
    ).content.decode()
    assert text.index(world.c1.name) < text.index(world.c2.name)
    text = province_client.get(reverse("web:communes"), {"sort": "people"}).content.decode()
    assert text.index(world.c2.name) < text.index(world.c1.name)
    # An unknown sort falls back to name order with an error, not a 500.
    assert province_client.get(reverse("web:communes"), {"sort": "x"}).status_code == 200


def test_commune_detail(commune_client: Client, world: World) -> None:
    page = commune_client.get(reverse("web:commune_detail", args=[world.c1.code])).content.decode()
    assert world.legacy_a.name in page
    assert world.legacy_b.name in page
    assert "Hình thức thay đổi" in page
    assert "Sáp nhập vào đơn vị lớn hơn" in page
    assert world.cc1.name in page
    assert "Phạm Văn Chỉ" in page
    assert f"?commune={world.c1.code}" in page


def test_org_tree_shows_only_the_branch(client: Client, world: World) -> None:
    login(client, world.area_user.username)
    page = client.get(reverse("web:org_tree")).content.decode()
    assert world.cc1.name in page
    assert world.cc2.name in page
    assert world.cc3.name not in page
    assert "<details" in page
    client.logout()
    login(client, world.admin.username)
    page = client.get(reverse("web:org_tree")).content.decode()
    for unit in (world.region, world.provincial, world.area1, world.area2, world.cc3):
        assert unit.name in page


def test_person_detail_shows_facts_and_warnings(province_client: Client, world: World) -> None:
    page = province_client.get(reverse("web:person_detail", args=[world.an.personal_id]))
    text = page.content.decode()
    assert world.an.personal_id in text
    assert "Sinh viên" in text
    assert "12/12" in text
    text = province_client.get(
        reverse("web:person_detail", args=[world.cuong.personal_id])
    ).content.decode()
    assert 'id="person-warnings"' in text


def test_person_detail_is_logged(province_client: Client, world: World) -> None:
    from muster.audit.models import ReadEvent

    before = ReadEvent.objects.count()
    province_client.get(reverse("web:person_detail", args=[world.an.personal_id]))
    assert ReadEvent.objects.count() == before + 1


@pytest.mark.parametrize(
    ("params", "field_label"),
    [
        ({"born_from": "abc"}, "Sinh từ năm"),
        ({"born_to": "19x"}, "Sinh đến năm"),
        ({"born_from": "1800"}, "Sinh từ năm"),
        ({"born_from": "2000", "born_to": "1990"}, "Sinh đến năm"),
        ({"sex": "X"}, "Giới tính"),
    ],
)
def test_bad_search_input_names_the_field(
    commune_client: Client, params: dict[str, str], field_label: str | None
) -> None:
    for name in ("persons", "persons_results"):
        response = commune_client.get(reverse(f"web:{name}"), params)
        assert response.status_code == 200
        text = response.content.decode()
        if field_label:
            assert 'id="form-errors"' in text
            assert field_label in text


@pytest.mark.parametrize("page", ["99999999999999999999", "2001", "0", "-1", "abc", "1e3"])
def test_a_page_past_its_bound_is_a_404(commune_client: Client, page: str) -> None:
    """Issue 13, finding 6: `?page=99999999999999999999` was a 500 (an offset SQLite's
    integers cannot hold); a page number out of bounds or not a number is a 404."""
    for name in ("persons", "persons_results"):
        response = commune_client.get(reverse(f"web:{name}"), {"q": "nguyen", "page": page})
        assert response.status_code == 404, (name, page)


def test_search_filters(province_client: Client, world: World) -> None:
    url = reverse("web:persons_results")
    text = province_client.get(url, {"q": "Binh"}).content.decode()
    assert world.binh.personal_id in text
    assert world.an.personal_id not in text
    text = province_client.get(url, {"q": world.an.personal_id}).content.decode()
    assert world.an.personal_id in text
    assert world.binh.personal_id not in text
    text = province_client.get(url, {"sex": "F"}).content.decode()
    assert "Trần Thị Hoa" in text
    assert world.an.personal_id not in text
    text = province_client.get(url, {"born_from": "2005", "born_to": "2006"}).content.decode()
    assert world.an.personal_id in text
    assert world.binh.personal_id not in text
    text = province_client.get(url, {"commune": world.c2.code}).content.decode()
    assert world.binh.personal_id in text
    assert world.an.personal_id not in text


def test_search_says_how_many_and_marks_the_dead(
    commune_client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = reverse("web:persons_results")
    text = commune_client.get(url, {"q": "nguyen van"}).content.decode()
    assert re.search(r'id="person-count">Tìm thấy 2 công dân<', text), text
    text = commune_client.get(url, {"q": "do van"}).content.decode()
    # Đỗ Văn Mất died on 01/01/2025: his row says so, in words and dd/mm/yyyy.
    assert 'class="dead"' in text
    assert re.search(r'class="tag dead">† <abbr[^>]*>Đã chết</abbr> 01/01/2025', text), text
    # Past the count cap, the count is the cap with a "+", marked as capped.
    from muster.people import queries as people_queries

    search = people_queries.person_search_page
    monkeypatch.setattr(
        people_queries,
        "person_search_page",
        lambda *args, **kwargs: search(*args, **{**kwargs, "count_cap": 2}),
    )
    text = commune_client.get(url, {"q": ""}).content.decode()
    assert re.search(r'id="person-count-capped"[^>]*>2\+</strong>', text), text


def test_search_paginates(province_client: Client, world: World) -> None:
    from muster.readiness.tests.factories import person
    from muster.web.views import PAGE_SIZE

    for i in range(PAGE_SIZE + 3):
        person(
            personal_id=f"0912050{i:05d}",
            full_name=f"Vũ Văn Số {i:02d}",
            sex="M",
            birth_date=world.an.birth_date,
            commune=world.c2,
        )
    url = reverse("web:persons_results")
    first = province_client.get(url, {"q": "vu"}).content.decode()
    assert 'rel="next"' in first
    assert 'rel="prev"' not in first
    assert "page=2" in first
    second = province_client.get(url, {"q": "vu", "page": "2"}).content.decode()
    assert 'rel="prev"' in second
    assert 'rel="next"' not in second
    assert second.count("Vũ Văn Số") == 3


def test_htmx_partials_are_fragments(commune_client: Client) -> None:
    headers = {"HX-Request": "true"}
    for name in ("persons_results", "communes_results", "id_warnings"):
        text = commune_client.get(reverse(f"web:{name}"), headers=headers).content.decode()
        assert "<html" not in text, name
        assert "<table" in text, name
    page = commune_client.get(reverse("web:persons")).content.decode()
    assert 'hx-get="/persons/results/"' in page
    assert "input changed delay:300ms" in page


# Language ------------------------------------------------------------------------------------


def test_vietnamese_by_default_then_english(commune_client: Client) -> None:
    page = commune_client.get(reverse("web:persons")).content.decode()
    assert '<html lang="vi">' in page
    assert "Tìm kiếm công dân" in page
    assert "Số định danh cá nhân" in page or "số định danh cá nhân" in page
    response = commune_client.post(
        "/i18n/setlang/", {"language": "en", "next": reverse("web:persons")}
    )
    assert response.status_code == 302
    page = commune_client.get(reverse("web:persons")).content.decode()
    assert '<html lang="en">' in page
    assert "Citizen search" in page
    assert "Tìm kiếm công dân" not in page


def test_model_choice_labels_translated(province_client: Client, world: World) -> None:
    page = province_client.get(reverse("web:org_tree")).content.decode()
    assert "Phòng thủ khu vực" in page or "phòng thủ khu vực" in page
    response = province_client.get(reverse("web:person_detail", args=[world.an.personal_id]))
    assert "<dd>Nam</dd>" in response.content.decode()


# Page weight ---------------------------------------------------------------------------------


def _asset_size(url: str) -> int:
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    assert path, url
    return Path(str(path)).stat().st_size


def test_every_page_under_weight_limit(province_client: Client, world: World) -> None:
    for name, url in page_urls(world).items():
        if name == "map_communes":
            continue
        html = province_client.get(url).content.decode()
        scripts = re.findall(r'<script src="([^"]+)"', html)
        weight = len(html.encode()) + sum(
            _asset_size(src) for src in scripts if "/leaflet-" not in src
        )
        assert weight < PAGE_WEIGHT_LIMIT, (name, weight)


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(
    commune_client: Client,
) -> None:
    page = commune_client.get(
        reverse("web:persons"), headers={"Accept-Language": "en-US,en;q=0.9"}
    ).content.decode()
    assert '<html lang="vi">' in page


def test_large_figures_and_dates_have_one_style_in_both_languages() -> None:
    """Vietnamese grouping and day-first dates in the English interface too (issue #14), from
    Muster's filters and from Django's own localisation alike."""
    from datetime import date

    from django.template import Context, Template
    from django.utils import translation

    ours = Template("{% load muster_formats %}{{ n|number_text }} {{ d|date_text }}")
    django = Template('{{ n|floatformat:"g" }} {{ d }}')
    for language in ("vi", "en"):
        with translation.override(language):
            context = Context({"n": 100000, "d": date(2026, 3, 5)})
            assert ours.render(context) == "100.000 05/03/2026"
            assert django.render(context) == "100.000 05/03/2026"


def test_map_shows_the_communes_defence_flags(province_client: Client, world: World) -> None:
    from datetime import date as day

    from muster.militia.actions import defence_commune_set
    from muster.militia.rules import CommuneFlags

    defence_commune_set(
        commune=world.c1,
        flags=CommuneFlags(border=True, key_defence=True),
        valid_from=day(2025, 7, 1),
        acting_user=None,
    )
    collection = province_client.get(reverse("web:map_communes")).json()
    defence = {f["properties"]["code"]: f["properties"]["defence"] for f in collection["features"]}
    assert defence[world.c1.code] == "xã biên giới, xã trọng điểm quốc phòng"
    assert defence[world.c2.code] == ""
