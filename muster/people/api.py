"""JSON API for persons: search (paged, scoped) and one person's record, each read logged.

`count` in the list answer is exact up to 1,000 and 1,000 beyond that ("1,000 or more"):
an exact count of the 300,000 "nguyen" among a million people would cost more than the page.
Refine the query (commune, sex, birth dates, more of the name) to get an exact count.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from muster.accounts.models import User
from muster.core.api_errors import TOKEN_READ_ERRORS, error_responses, validation_error
from muster.core.errors import FieldError, NotFound
from muster.people import queries, rules
from muster.people.models import FactKind, PersonFact

router = Router(tags=["people"])

MAX_PAGE = 1000


class PersonFilters(Schema):
    q: str | None = Field(None, max_length=120, description="Name prefix, ID or ID prefix")
    commune: str | None = Field(None, max_length=8, description="2025 commune code")
    sex: Literal["M", "F"] | None = None
    born_from: date | None = Field(None, description="YYYY-MM-DD, inclusive")
    born_to: date | None = Field(None, description="YYYY-MM-DD, inclusive")
    page: int = Field(1, ge=1, le=MAX_PAGE, description="1-based; 50 per page")


class PersonListItem(Schema):
    personal_id: str
    full_name: str
    sex: str
    birth_date: date
    residence_commune_code: str


class PersonList(Schema):
    items: list[PersonListItem]
    count: int = Field(description="Matches, exact up to 1000; 1000 means 1000 or more")


class FactOut(Schema):
    value: str
    recorded_on: date
    source: str


class PersonDetail(Schema):
    personal_id: str
    full_name: str
    sex: str
    birth_date: date
    ethnicity: str
    residence_commune_code: str
    address: str
    household_id: str
    life_status: str
    died_on: date | None
    residence_commune_name: str
    phone: str
    id_warnings: list[str]
    education_level: FactOut | None
    occupation: FactOut | None


def _user(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):  # the global Bearer auth guarantees this
        raise HttpError(401, "unauthorised")
    return user


def _check(filters: PersonFilters) -> None:
    errors: list[FieldError] = []
    if filters.commune and queries.commune_2025(filters.commune) is None:
        errors.append(FieldError("commune", "COMMUNE_NOT_2025", {"code": filters.commune}))
    if filters.born_from and filters.born_to and filters.born_from > filters.born_to:
        errors.append(FieldError("born_to", "RANGE_REVERSED", {"start": "born_from"}))
    if errors:
        raise validation_error(errors)


@router.get(
    "",
    response={200: PersonList, **error_responses(*TOKEN_READ_ERRORS)},
    summary="Search persons",
)
def person_list(request: HttpRequest, filters: Query[PersonFilters]) -> dict[str, Any]:
    """Persons in your jurisdiction matching `q` and the filters, by name order, 50 a page."""
    _check(filters)
    page = queries.person_search_page(
        _user(request),
        q=filters.q,
        commune_code=filters.commune,
        sex=filters.sex,
        born_from=filters.born_from,
        born_to=filters.born_to,
        page=filters.page,
        channel="api",
    )
    return {
        "items": [
            {
                "personal_id": p.personal_id,
                "full_name": p.full_name,
                "sex": p.sex,
                "birth_date": p.birth_date,
                "residence_commune_code": p.residence_commune.code,
            }
            for p in page.items
        ],
        "count": page.count,
    }


def _fact(fact: PersonFact | None) -> dict[str, Any] | None:
    if fact is None:
        return None
    return {"value": fact.value, "recorded_on": fact.recorded_on, "source": fact.source}


@router.get(
    "/{personal_id}",
    response={200: PersonDetail, **error_responses(*TOKEN_READ_ERRORS, 404)},
    summary="One person's record",
)
def person_detail(request: HttpRequest, personal_id: str) -> dict[str, Any]:
    """The person's register fields plus Muster's own; 404 when absent or out of scope."""
    try:
        person = queries.access_person(_user(request), personal_id, channel="api")
    except NotFound:
        raise HttpError(404, "Not Found") from None
    facts = queries.person_facts_current(person)
    return {
        "personal_id": person.personal_id,
        "full_name": person.full_name,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "ethnicity": person.ethnicity,
        "residence_commune_code": person.residence_commune.code,
        "address": person.address,
        "household_id": person.household_id,
        "life_status": person.life_status,
        "died_on": person.died_on,
        "residence_commune_name": person.residence_commune.name,
        "phone": person.phone,
        "id_warnings": rules.split_warnings(person.id_warnings),
        "education_level": _fact(facts.get(FactKind.EDUCATION_LEVEL)),
        "occupation": _fact(facts.get(FactKind.OCCUPATION)),
    }
