"""No page shows a raw status, reason, source or audit code as visible text: codes are shown as
words (`core.labels`, the `label` template filter), the code itself only on hover (an attribute).

Every GET page of tests/test_route_scopes.py is fetched with the same world and cases, as the
case's user and as provincial staff; the visible text (tags, attributes, scripts and styles
removed) must not contain a code that a label table knows (UPPER_SNAKE codes, dotted or
underscored identifiers such as `people.person.updated` or `due_first_registration`, and the
register's source codes).
"""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.utils import translation

from muster.accounts.models import Role
from muster.core.labels import codes, known_codes, label, registry
from muster.people.models import Person
from muster.worklists.actions import work_item_open
from muster.worklists.rules import Kind
from tests.scope_support import IN_ID
from tests.test_route_scopes import CASES, world  # noqa: F401  (the fixture)

# Not visible, or a record shown verbatim on purpose: the audit log's data column
# (`<code class="data" translate="no">`) is the stored, hash-chained record as it is.
HIDDEN = re.compile(
    r"<(script|style|textarea)\b[^>]*>.*?</\1>|<!--.*?-->"
    r'|<code class="data" translate="no">.*?</code>',
    re.S | re.I,
)
TAG = re.compile(r"<[^>]*>", re.S)
PAGES = sorted(
    name
    for name, case in CASES.items()
    if case.method == "get" and not case.api and case.in_status == 200
)
# Pages of the same routes with other data in view: every worklist tab.
EXTRA = {f"worklists:list?kind={kind}": f"/worklists/?kind={kind}" for kind in Kind.ALL}
ROLES = ("case", Role.PROVINCE_STAFF)


@pytest.fixture
def coded(world):  # noqa: F811
    """The scope world with more codes to show: a person from the register, a deferral that
    ended on its ground."""
    person = Person.objects.select_related("residence_commune").get(personal_id=IN_ID)
    Person.objects.filter(pk=person.pk).update(source="popreg")
    work_item_open(
        kind=Kind.DEFERRAL_ENDED,
        person=person,
        commune=person.residence_commune,
        key="DEF_STUDENT@2026-06-30",
        source="refresh",
        detail={"ground_code": "DEF_STUDENT", "valid_until": "2026-06-30"},
        acting_user=None,
    )
    return world


def _code_shaped(code: str) -> bool:
    upper = re.fullmatch(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+", code) is not None
    identifier = re.fullmatch(r"[a-z][a-z0-9]*(?:[._][a-z0-9]+)+", code) is not None
    return upper or identifier


def _watched() -> re.Pattern[str]:
    watched = {code for code in known_codes() if _code_shaped(code)}
    watched |= set(codes("person_source"))
    alternatives = "|".join(re.escape(c) for c in sorted(watched, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])")


def visible_text(body: str) -> str:
    return html.unescape(TAG.sub(" ", HIDDEN.sub(" ", body)))


def test_the_watch_list_covers_statuses_reasons_sources_and_audit_codes():
    watched = _watched()
    for code in (
        "HEALTH_PENDING",
        "DEF_STUDENT",
        "IN_RESERVE",
        "ID_SEX_MISMATCH",
        "popreg",
        "people.person.updated",
        "people.person",
        "due_first_registration",
        "discharged_reserve",
    ):
        assert watched.search(f"x {code} y"), code
    assert not watched.search("Nguyễn Văn An 01/02/2000 Phường An Bình")


@pytest.mark.parametrize("role", ROLES, ids=str)
@pytest.mark.parametrize("route", [*PAGES, *EXTRA])
def test_no_page_shows_a_raw_code(route, role, coded):
    case = CASES.get(route) or CASES["worklists:list"]
    path = EXTRA.get(route) or case.in_path(coded)
    if role == "case":
        user = case.user(coded, "xa1")
    elif case.role != Role.COMMUNE_STAFF:
        pytest.skip("the page is for another role")
    else:
        user = coded.user("tinh", role, coded.provincial)
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, (route, response.status_code)
    if "text/html" not in response.get("Content-Type", ""):
        pytest.skip("not a page")
    shown = sorted(set(_watched().findall(visible_text(response.content.decode()))))
    assert shown == [], f"{route} shows codes instead of words: {shown}"


@pytest.mark.parametrize("kind", sorted(registry()))
def test_every_label_has_words_in_both_languages(kind: str) -> None:
    missing = []
    for code in codes(kind):
        with translation.override("en"):
            english = label(kind, code)
        with translation.override("vi"):
            vietnamese = label(kind, code)
        if not english or english == code or vietnamese == english:
            missing.append((code, english, vietnamese))
    assert missing == []
