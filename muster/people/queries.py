"""Reads of persons. Every one is scoped through `scope_for(user)` here, and nowhere else;
every one that hands personal data to a page, the API or a file logs the read
(`persons_read`: one read event per person shown, written by one INSERT), so no caller can
forget it. Other apps' queries log their lists of people through `persons_read` too.

Lists are in Vietnamese alphabetical order of the full name (core.collation). A search page
reads its matches as two disjoint index-range "branches" — the family-name-first key and the
given-name-first key — each in (search_key, id) index order, merged, so a page over a million
people never sorts the whole match set (see `person_search_page`).
"""

from __future__ import annotations

import heapq
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.db.models import CharField, F, Q, QuerySet
from django.db.models.functions import Cast

from muster import audit
from muster.accounts.models import User
from muster.accounts.scope import scope_for
from muster.audit.models import AuditEvent
from muster.core.collation import vi
from muster.core.errors import NotFound
from muster.core.exports import limited
from muster.core.text import fold, vi_sort_key
from muster.geo.models import AdminUnit, Edition, Level
from muster.people import rules
from muster.people.models import FactKind, Person, PersonFact, ResidencePeriod

PAGE_SIZE = 50
# Counts above this are reported as COUNT_CAP ("this many or more"): an exact count of the
# 300,000 "nguyen" in a million people costs more than the page itself.
COUNT_CAP = 1000
ORDER = ("search_key", "id")
# The list columns; life status and death date so the dead are marked in the results.
LIST_FIELDS = (
    "personal_id",
    "full_name",
    "sex",
    "birth_date",
    "life_status",
    "died_on",
    "residence_commune__code",
)
PERSON_TYPE = Person._meta.label_lower
VIEWED = "people.person.viewed"
LISTED = "people.person.listed"


def persons_read(
    viewer: User | None, person_ids: Iterable[int], *, action: str, channel: str
) -> None:
    """Log that `viewer` (None: someone not signed in, e.g. the public verification page) was
    shown these persons: one read event each, in one INSERT (a page of 100 is one statement)."""
    targets = [(PERSON_TYPE, str(pk)) for pk in dict.fromkeys(person_ids)]
    audit.record_reads(action, actor=viewer, targets=targets, channel=channel)


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


def sibling_communes(commune: AdminUnit) -> list[AdminUnit]:
    """The other 2025 communes of `commune`'s province, by name (geo data: unscoped), the
    likeliest places a resident moves to."""
    found = AdminUnit.objects.filter(
        edition=Edition.V2025, level=Level.COMMUNE, parent_id=commune.parent_id
    ).exclude(pk=commune.pk)
    return list(found.order_by(vi("name"), "code"))


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
    channel: str = "web",
) -> PersonPage:
    """Page `page` (1-based) of `person_search`, fast on millions of rows; the page's persons
    are logged as read.

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
        persons_read(user, page_ids, action=LISTED, channel=channel)
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
    audit.record_read(VIEWED, actor=user, target=person, channel=channel)
    return person


def household_members(user: User, person: Person, *, channel: str = "web") -> list[Person]:
    """The other members of an accessed person's household that `user` may see, by name, in
    one query; their read is logged (they are shown by name and ID)."""
    if not person.household_id:
        return []
    members = list(
        persons_visible(user)
        .filter(household_id=person.household_id)
        .exclude(pk=person.pk)
        .select_related("residence_commune")
        .only(*LIST_FIELDS, "household_id", "life_status", "residence_commune__name")
        .order_by(vi("full_name"), "id")
    )
    persons_read(user, [m.pk for m in members], action=LISTED, channel=channel)
    return members


def person_facts(person: Person) -> QuerySet[PersonFact]:
    """Every fact of an accessed person (`access_person` logged the read), each kind newest
    first."""
    return person.facts.filter(kind__in=FactKind.values).order_by("kind", "-recorded_on", "-id")


def person_residences(person: Person) -> list[ResidencePeriod]:
    """An accessed person's residence history, oldest first (an open start first of all)."""
    periods = person.residences.select_related("commune")
    # The validity manager's queryset is typed by Model: its rows are ResidencePeriods.
    return cast(
        list[ResidencePeriod], list(periods.order_by(F("valid_from").asc(nulls_first=True), "id"))
    )


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


def id_warning_page(
    user: User, *, page: int, page_size: int, channel: str = "web"
) -> tuple[list[Person], bool]:
    """One page of `id_warning_list` (with each commune) and whether another follows; the
    page's persons are logged as read."""
    start = (page - 1) * page_size
    rows = list(
        id_warning_list(user).select_related("residence_commune")[start : start + page_size + 1]
    )
    persons_read(user, [p.pk for p in rows[:page_size]], action=LISTED, channel=channel)
    return rows[:page_size], len(rows) > page_size


def id_warnings_for_file(user: User, *, channel: str) -> tuple[list[Person], str]:
    """Every person of `id_warning_list` a file may hold (`core.exports.limited`: the rows and
    the note when there were more), their read logged."""
    rows, note = limited(
        id_warning_list(user).select_related("residence_commune").iterator(chunk_size=2000)
    )
    persons_read(user, [p.pk for p in rows], action=LISTED, channel=channel)
    return rows, note


def person_ids_visible(user: User, personal_id: str | None = None) -> QuerySet[Any] | None:
    """Ids (as text, like a read event's target id) of the persons `user` may see — one person
    when `personal_id` is given; None for everyone (a national user asking about no one)."""
    if personal_id is None and scope_for(user).is_national:
        return None
    persons = persons_visible(user)
    if personal_id is not None:
        persons = persons.filter(personal_id=personal_id)
    return persons.annotate(id_text=Cast("id", CharField())).values("id_text")


_PERSONAL_ID = re.compile(r"(?<!\d)\d{12}(?!\d)")


# SQLite caps the parameters of one query: a file's thousands of persons are read in chunks.
_CHUNK = 5000


def _visible_among(user: User, where: Iterable[Q]) -> dict[int, Person]:
    found: dict[int, Person] = {}
    for condition in where:
        for person in persons_visible(user).filter(condition).only("personal_id", "full_name"):
            found[person.pk] = person
    return found


def _chunks(field: str, values: Iterable[Any]) -> list[Q]:
    ordered = sorted(set(values))
    return [Q(**{f"{field}__in": ordered[i : i + _CHUNK]}) for i in range(0, len(ordered), _CHUNK)]


def persons_in_events(
    user: User, events: Sequence[AuditEvent], *, channel: str
) -> dict[int, Person]:
    """The persons the audit log's events name — a person as the target, personal IDs in the
    data — that `user` may see (ID and name only), their read logged (one INSERT a page)."""
    ids = {
        int(e.target_id) for e in events if e.target_type == PERSON_TYPE and e.target_id.isdigit()
    }
    personal_ids = {
        found for e in events for found in _PERSONAL_ID.findall(json.dumps(e.data, default=str))
    }
    shown = _visible_among(user, [*_chunks("pk", ids), *_chunks("personal_id", personal_ids)])
    persons_read(user, shown, action=LISTED, channel=channel)
    return shown


def persons_named(
    user: User, ids: Iterable[int], *, action: str, channel: str = "web"
) -> dict[int, Person]:
    """The visible persons among `ids` (personal ID and name only), their read logged."""
    found = _visible_among(user, _chunks("pk", ids))
    persons_read(user, found, action=action, channel=channel)
    return found
