"""The web pages' downloads: the page's rows in the people's style, formula-safe (issue #13,
finding 7: a person named =HYPERLINK(...) must never become a live formula)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from muster.people.models import Person
from muster.readiness.tests.factories import PASSWORD, World, build_world

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def world() -> World:
    world = build_world()
    Person.objects.filter(pk=world.an.pk).update(full_name=FORMULA, search_key="an")
    return world


@pytest.fixture
def client(world: World) -> Client:
    client = Client()
    assert client.login(username=world.commune_user.username, password=PASSWORD)
    return client


def test_search_results_download_as_xlsx_with_the_formula_as_text(client: Client, world: World):
    response = client.get("/persons/?q=&export=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert FORMULA in cells
    assert cells[FORMULA].data_type == "s"
    assert cells[FORMULA].quotePrefix
    assert world.cuong.full_name not in cells  # commune 3: outside the commune user's scope


def test_search_results_download_as_csv_for_excel(client: Client, world: World):
    response = client.get("/persons/results/?q=&export=csv")
    body = response.content
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Họ và tên", "Số định danh cá nhân"]
    names = [row[0] for row in rows[1:]]
    assert "'" + FORMULA in names
    assert FORMULA not in names
    born = world.an.birth_date
    assert f"{born:%d/%m/%Y}" in [row[3] for row in rows[1:]]


def test_an_unknown_format_is_404(client: Client):
    assert client.get("/persons/?q=&export=docx").status_code == 404
    assert client.get("/communes/?export=pdf").status_code == 404


def test_the_page_links_its_downloads_with_its_filters(client: Client):
    page = client.get("/persons/?q=nguyen&page=2").content.decode()
    assert 'href="/persons/?q=nguyen&amp;export=xlsx"' in page
    assert 'href="/persons/?q=nguyen&amp;export=csv"' in page


def test_printed_pages_carry_the_statutory_heading_and_no_navigation(client: Client, world: World):
    from django.contrib.staticfiles import finders

    page = client.get("/persons/?q=").content.decode()
    heading = page.split('<div class="print-heading"', 1)[1].split("</div>\n</div>", 1)[0]
    assert world.cc1.name.upper() in heading  # the user's command issues
    assert world.area1.name.upper() in heading  # under the body it answers to
    assert "Số: ………/………" in heading
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in heading
    assert f"{world.c1.short_name}, ngày " in heading  # place and date
    css = Path(str(finders.find("web/css/muster.css"))).read_text(encoding="utf-8")
    paper = css.split("@media print", 1)[1]
    assert "header.site" in paper
    assert "nav" in paper
    assert ".print-heading { display: flex" in paper
