"""Reads of persons. Every one is scoped through `scope_for(user)` here, and nowhere else.

Lists are in Vietnamese alphabetical order of the full name (core.collation). A search page
reads its matches as two disjoint index-range "branches" — the family-name-first key and the
given-name-first key — each in (search_key, id) index order, merged, so a page over a million
people never sorts the whole match set (see `person_search_page`).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from muster import audit
from muster.accounts.models import User
from muster.accounts.scope import scope_for
from muster.core.collation import vi
from muster.core.errors import NotFound
from muster.core.text import fold, vi_sort_key
from muster.geo.models import AdminUnit, Edition, Level
from muster.people import rules
from muster.people.models import FactKind, Person, PersonFact

PAGE_SIZE = 50
# Counts above this are reported as COUNT_CAP ("this many or more"): an exact count of the
# 300,000 "nguyen" in a million people costs more than the page itself.
COUNT_CAP = 1000
ORDER = ("search_key", "id")
LIST_FIELDS = ("personal_id", "full_name", "sex", "birth_date", "residence_commune__code")


@dataclass(frozen=True)
class PersonPage:
    """One page of a search: the persons in order, and the match count capped at `count_cap`."""

    items: list[Person]
    count: int
    count_cap: int

    @property
    def count_is_capped(self) -> bool:
        return self.count >= self.count_cap


def commune_2025(code: str) -> AdminUnit | None:
    """The 2025-edition commune-level unit with this code (geo data: not personal, unscoped)."""
    unit = AdminUnit.objects.filter(edition=Edition.V2025, level=Level.COMMUNE, code=code).first()
    # isinstance narrows whatever the geo manager's type says to AdminUnit.
    return unit if isinstance(unit, AdminUnit) else None


def persons_visible(user: User) -> QuerySet[Person]:
    """Every person `user` may see: residents of the communes in the user's jurisdiction."""
    return Person.objects.filter(scope_for(user).filter("residence_commune_id"))


def _filters(
    commune_code: str | None, sex: str | None, born_from: date | None, born_to: date | None
) -> Q:
    where = Q()
    if commune_code:
        where &= Q(
            residence_commune__code=commune_code,
            residence_commune__edition=Edition.V2025,
            residence_commune__level=Level.COMMUNE,
        )
    if sex:
        where &= Q(sex=sex)
    if born_from:
        where &= Q(birth_date__gte=born_from)
    if born_to:
        where &= Q(birth_date__lte=born_to)
    return where


def _q_branches(q: str | None) -> list[Q]:
    """Disjoint conditions whose union is what `q` matches ([] = no text condition)."""
    text = (q or "").strip()
    if not text:
        return []
    if rules.is_personal_id(text):
        return [Q(personal_id=text)]
    if text.isascii() and text.isdigit():
        return [Q(personal_id__startswith=text)]
    key = fold(text)
    if not key:
        return []
    by_family = Q(search_key__startswith=key)
    # Excluding family-name matches keeps the branches disjoint, so merging never duplicates.
    by_given = Q(given_key__startswith=key) & ~Q(search_key__startswith=key)
    return [by_family, by_given]


def person_search(
    user: User,
    *,
    q: str | None = None,
    commune_code: str | None = None,
    sex: str | None = None,
    born_from: date | None = None,
    born_to: date | None = None,
) -> QuerySet[Person]:
    """Persons visible to `user` matching `q` and the filters, ordered by (search_key, id).

    `q` of 12 digits is an exact personal ID; fewer digits a personal-ID prefix; anything else
    a diacritic-insensitive prefix of the full name ("nguyen van an" finds "Nguyễn Văn An") or
    of the given-name-first key ("an" finds everyone whose given name starts with "an").
    """
    qs = persons_visible(user).filter(_filters(commune_code, sex, born_from, born_to))
    branches = _q_branches(q)
    if branches:
        union = Q()
        for branch in branches:
            union |= branch
        qs = qs.filter(union)
    return qs.order_by(vi("full_name"), "id")


def person_search_page(
    user: User,
    *,
    q: str | None = None,
    commune_code: str | None = None,
    sex: str | None = None,
    born_from: date | None = None,
    born_to: date | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    count_cap: int = COUNT_CAP,
) -> PersonPage:
    """Page `page` (1-based) of `person_search`, fast on millions of rows.

    Each branch of the query reads only (search_key, id) in index order, at most
    max(count_cap + 1, page end) rows; the branches are merged in Python. When that is every
    match (the count is exact, up to `count_cap`), the matches are put in Vietnamese
    alphabetical order of the full name (one more index lookup of at most `count_cap` names).
    Past the cap the pages follow the folded key (diacritics ignored: Đ among the D), so that
    paging stays stable without sorting the whole match set, and each page is in Vietnamese
    order; the count says "1,000 or more" and the user refines the query. Only the page's rows
    are then fetched with the list columns (and the commune code) in one query.
    """
    if page < 1 or page_size < 1:
        raise ValueError("page and page_size start at 1")
    base = persons_visible(user).filter(_filters(commune_code, sex, born_from, born_to))
    offset = (page - 1) * page_size
    fetch = max(count_cap + 1, offset + page_size)
    branches = _q_branches(q) or [Q()]
    runs = [
        list(base.filter(branch).order_by(*ORDER).values_list(*ORDER)[:fetch])
        for branch in branches
    ]
    keys = list(heapq.merge(*runs))
    ids = [person_id for _, person_id in keys]
    if len(keys) <= count_cap and len(keys) > page_size:
        names = dict(Person.objects.filter(id__in_array=ids).values_list("id", "full_name"))
        ids.sort(key=lambda person_id: (vi_sort_key(names[person_id]), person_id))
    page_ids = ids[offset : offset + page_size]
    items: list[Person] = []
    if page_ids:
        rows = {
            person.pk: person
            for person in Person.objects.filter(id__in=page_ids)
            .select_related("residence_commune")
            .only(*LIST_FIELDS)
        }
        items = sorted(
            (rows[person_id] for person_id in page_ids),
            key=lambda p: (vi_sort_key(p.full_name), p.pk),
        )
    return PersonPage(items=items, count=min(len(keys), count_cap), count_cap=count_cap)


def access_person(user: User, personal_id: str, *, channel: str = "web") -> Person:
    """The person with `personal_id` if `user` may see them, and log the read.

    Absent and out-of-scope give the same NotFound, so the answer leaks nothing (PDP Law
    2025, Art. 3: purpose limitation and security). The read is logged (who saw whom, when).
    """
    person = (
        persons_visible(user)
        .select_related("residence_commune")
        .filter(personal_id=personal_id)
        .first()
    )
    if person is None:
        raise NotFound("PERSON_NOT_FOUND", {"personal_id": personal_id})
    audit.record_read("people.person.viewed", actor=user, target=person, channel=channel)
    return person


def person_facts_current(person: Person) -> dict[str, PersonFact]:
    """The latest fact of each kind (education_level, occupation) for an accessed person."""
    current: dict[str, PersonFact] = {}
    facts = PersonFact.objects.filter(person=person, kind__in=FactKind.values).order_by(
        "kind", "-recorded_on", "-id"
    )
    for fact in facts:
        current.setdefault(fact.kind, fact)
    return current


def id_warning_list(user: User) -> QuerySet[Person]:
    """Visible persons whose ID disagrees with their sex or birth year: a data-quality worklist."""
    return persons_visible(user).exclude(id_warnings="").order_by(vi("full_name"), "id")
