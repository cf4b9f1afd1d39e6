"""One date style on every page, and every export keeping its page's scope (issue #14).

Every GET route of `tests/test_route_scopes.py` is opened as each role, on the route world
with extra records whose dates reach the pages (a register correction of a birth date, a
computed restructuring plan whose gaps name a day, audit details with dates). No page may show
a date as YYYY-MM-DD in its text: dates people read are dd/mm/yyyy (`core.formats`); ISO stays
in attributes — an <input type=date> value, a link's query string — and in the machine formats
(API, CLI). Each page's export links (`core.exports`) must download a file with the page's
scope and the people's style: an XLSX whose dates are date cells shown dd/mm/yyyy, a CSV for
Excel with a BOM and no ISO date.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from openpyxl import load_workbook

from muster import audit
from muster.accounts.models import Role, User
from muster.accounts.tests.factories import World, build_world
from muster.orgs.models import OrgUnit
from muster.people.models import Person
from muster.worklists import actions as work_actions
from muster.worklists.rules import Kind
from tests.scope_support import IN_ID, OUT_ID, app_case_modules, populate
from tests.test_route_scopes import CASES

ISO_DATE = re.compile(r"(?<![0-9])[0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9])")
# The other day-first spellings that coexisted with dd/mm/yyyy (Django's "d-m-Y", "d.m.Y").
OTHER_DATE = re.compile(r"(?<![0-9.,])[0-9]{2}[-.][0-9]{2}[-.][0-9]{4}(?![0-9])")
# Elements whose content is not read as text: scripts, styles, text areas that hold a machine
# format being edited (a succession CSV), and an example of a machine format (class "machine").
HIDDEN = frozenset({"script", "style", "textarea"})
MACHINE_CLASS = "machine"
# The lists people work from, each downloadable (issue #14: "every table exportable").
EXPORTED = {
    "web:persons",
    "web:persons_results",
    "web:communes",
    "web:communes_results",
    "web:id_warnings",
    "worklists:list",
    "militia:index",
    "militia:roster",
    "linkage:queue",
    "conscription:candidates",
    "conscription:cycle_detail",
    "conscription:commune_cycle",
    "conscription:batch_detail",
    "conscription:handover_list",
}
AUDITOR_EXPORTED = {"web:audit_log", "web:audit_reads"}
ROLES = (
    Role.COMMUNE_STAFF,
    Role.AREA_STAFF,
    Role.PROVINCE_STAFF,
    Role.REGION_STAFF,
    Role.AUDITOR,
    Role.ADMINISTRATOR,
)


class _Text(HTMLParser):
    """The text a reader sees (attributes and hidden elements left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts: list[str] = []

        self.machine: list[str] = []  # open elements marked as a machine format

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self.hidden += 1
        elif MACHINE_CLASS in (dict(attrs).get("class") or "").split():
            self.machine.append(tag)
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN and self.hidden:
            self.hidden -= 1
        elif self.machine and self.machine[-1] == tag:
            self.machine.pop()
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


class _Links(HTMLParser):
    """The hrefs of the page's export links (`id="export-FORMAT"`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        anchor = values.get("id") or ""
        if tag == "a" and anchor.startswith("export-") and values.get("href"):
            self.links[anchor.removeprefix("export-")] = str(values["href"])


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def iso_dates_shown(html: str) -> list[str]:
    """Each date not written dd/mm/yyyy, with some text around it."""
    text = visible_text(html)
    found = [*ISO_DATE.finditer(text), *OTHER_DATE.finditer(text)]
    return [text[max(0, m.start() - 40) : m.end() + 20] for m in found]


def export_links(html: str) -> dict[str, str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def _jurisdiction(world: World, role: Role) -> OrgUnit | None:
    return {
        Role.COMMUNE_STAFF: world.commune_commands[0],
        Role.AREA_STAFF: world.areas[0],
        Role.PROVINCE_STAFF: world.provincial,
        Role.REGION_STAFF: world.provincial.parent,
        Role.AUDITOR: world.provincial,
        Role.ADMINISTRATOR: None,
    }[role]


@pytest.fixture
def world(db: None) -> World:
    """The route world of tests/test_route_scopes.py, with records whose dates reach pages."""
    world = build_world()
    populate(world)
    for module in app_case_modules():
        if hasattr(module, "prepare"):
            module.prepare(world)
    _dated_records(world)
    return world


def _dated_records(world: World) -> None:
    """Records whose dates reach pages through stored text (JSON details, computed gaps)."""
    from muster.restructure.compute import plan_compute
    from muster.restructure.models import Plan

    person = Person.objects.select_related("residence_commune").get(personal_id=IN_ID)
    work_actions.work_item_open(
        kind=Kind.REGISTER_CORRECTION,
        person=person,
        commune=person.residence_commune,
        key="style",
        detail={
            "changed": {"birth_date": ["2000-05-01", "2000-06-01"]},
            "year": 2026,
            "due_before": False,
            "due_after": False,
        },
        source="feed",
        acting_user=None,
    )
    with transaction.atomic():
        audit.record(
            "people.person.updated",
            actor=None,
            target=person,
            data={"before": {"birth_date": "2000-05-01"}, "after": {"birth_date": "2000-06-01"}},
            commune_code=person.residence_commune.code,
        )
    plan_compute(Plan.objects.get(key="scope-plan"))


def _pages(world: World) -> Iterator[tuple[str, str]]:
    """(route, path) of every GET page of the route matrix, the worklist once per kind."""
    for route, case in sorted(CASES.items()):
        if case.api or case.method != "get":
            continue
        yield route, case.in_path(world)
        if case.out_path is not None:
            yield route, case.out_path(world)
    for kind in Kind.ALL:
        yield "worklists:list", f"/worklists/?kind={kind}"


LANGUAGES = [*((role, "vi") for role in ROLES), (Role.COMMUNE_STAFF, "en"), (Role.AUDITOR, "en")]


@pytest.mark.parametrize(
    ("role", "language"), LANGUAGES, ids=[f"{r}-{lang}" for r, lang in LANGUAGES]
)
def test_no_page_shows_an_iso_date(role: Role, language: str, world: World) -> None:
    """In Vietnamese (the default) as every role, and in English: day-first there too."""
    user: User = world.user(f"style-{role}", role, _jurisdiction(world, role))
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    shown: dict[str, list[str]] = {}
    read = 0
    for route, path in _pages(world):
        response = client.get(path)
        if not response["Content-Type"].startswith("text/html"):
            continue
        if response.status_code == 200:
            read += 1
            body = response.content.decode()
            assert "<html" not in body or f'<html lang="{language}">' in body, path
        found = iso_dates_shown(response.content.decode())
        if found:
            shown[f"{route} {path}"] = found
    assert read >= 10, f"only {read} pages answered 200 to {role}: the test would prove little"
    assert not shown, f"ISO dates shown to {role}: {shown}"


def test_the_checker_sees_text_and_not_attributes() -> None:
    html = (
        '<p title="2026-03-05">05/03/2026 <input type="date" value="2026-03-05"></p>'
        "<script>var d = '2026-03-05';</script><textarea>2026-03-05,x</textarea>"
        '<pre class="mono machine">effective_on\n2026-01-01,admin</pre>'
    )
    assert iso_dates_shown(html) == []
    assert iso_dates_shown("<td>Born 2000-05-01</td>") == ["Born 2000-05-01"]
    assert iso_dates_shown("<td>Born 01-05-2000</td>") == ["Born 01-05-2000"]
    assert iso_dates_shown("<td>1.234.567 people, 01/05/2000</td>") == []


def _cells(body: bytes) -> list[object]:
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    return [cell for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("role", [Role.COMMUNE_STAFF, Role.AUDITOR], ids=str)
def test_every_export_keeps_the_page_scope_and_style(role: Role, world: World) -> None:
    """The export links of each page download with the page's scope: nothing of commune
    99003 (the commune user's outside) and the people's date style."""
    user = world.user(f"export-{role}", role, world.commune_commands[0])
    client = Client()
    client.force_login(user)
    outside = Person.objects.get(personal_id=OUT_ID)
    traces = (OUT_ID, outside.full_name, world.communes[2].name)
    exported: set[str] = set()
    for route, path in _pages(world):
        page = client.get(path)
        if page.status_code != 200 or not page["Content-Type"].startswith("text/html"):
            continue
        for fmt, href in export_links(page.content.decode()).items():
            response = client.get(href)
            assert response.status_code == 200, (route, href, response.status_code)
            exported.add(route)
            body = response.content
            if fmt == "csv":
                assert body.startswith("\ufeff".encode()), (route, "CSV for Excel has a BOM")
                text = body.decode("utf-8-sig")
                assert not ISO_DATE.search(text), (route, text[:300])
            elif fmt == "xlsx":
                cells = _cells(body)
                text = " ".join(str(c.value) for c in cells if isinstance(c.value, str))
                dated = [c for c in cells if isinstance(c.value, date)]
                assert all(c.number_format.startswith("dd/mm/yyyy") for c in dated), route
                assert not ISO_DATE.search(text), (route, text[:300])
            else:
                text = body.decode("latin-1")  # a PDF: the names are not in clear; scope below
            if fmt == "pdf":
                continue  # PDFs compress their text; their rows come from the same query
            for trace in traces:
                assert trace not in text, f"{route} export {fmt} shows {trace!r}"
    expected = EXPORTED | (AUDITOR_EXPORTED if role == Role.AUDITOR else set())
    assert expected <= exported, f"pages without export links: {sorted(expected - exported)}"


MUSTER = Path(__file__).resolve().parents[1] / "muster"
HAND_FORMATTED = re.compile(r"\|\s*(date|time)\s*:|floatformat|intcomma|\{%\s*now\b")
HAND_FORMATTED_PY = re.compile(r"strftime\(|:%d/%m|:%Y-%m|date_format\(|number_format\(")


def test_templates_format_only_through_the_one_set_of_filters() -> None:
    """Dates and numbers reach templates through muster_formats (core.formats), never through
    Django's own date/number filters with a pattern of their own."""
    offenders = [
        f"{path.relative_to(MUSTER)}:{number}: {line.strip()}"
        for path in MUSTER.rglob("templates/**/*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if HAND_FORMATTED.search(line)
    ]
    assert not offenders, offenders


def test_pages_and_files_format_only_through_core_formats() -> None:
    """Views, page exports and printed documents format dates and numbers with core.formats."""
    modules = [
        *MUSTER.glob("*/views*.py"),
        *MUSTER.glob("*/views/*.py"),
        *MUSTER.glob("*/exports.py"),
        *MUSTER.glob("*/reports/*.py"),
        MUSTER / "core" / "pdf.py",
    ]
    assert len(modules) > 15
    offenders = [
        f"{path.relative_to(MUSTER)}:{number}: {line.strip()}"
        for path in modules
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if HAND_FORMATTED_PY.search(line)
    ]
    assert not offenders, offenders
