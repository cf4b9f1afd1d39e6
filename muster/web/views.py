"""HTMX pages. Each view parses input, calls scoped queries, renders a template."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from muster.accounts.models import User
from muster.accounts.scope import scope_for
from muster.core.errors import NotFound
from muster.geo import queries as geo_queries
from muster.geo.models import AdminUnit
from muster.orgs import queries as org_queries
from muster.orgs.models import OrgUnit
from muster.people import queries as people_queries
from muster.people import rules as people_rules
from muster.people.models import Person
from muster.readiness import queries as readiness
from muster.readiness.queries import CommuneFigures
from muster.web.forms import CommuneListForm, MapFigureForm, PersonSearchForm

PAGE_SIZE = 25

# Labels for people.rules' ID data-quality codes; an unknown code shows as it is.
ID_WARNING_LABELS = {
    people_rules.ID_SEX_MISMATCH: _(
        "The sex/century digit of the ID does not match the recorded sex and birth century."
    ),
    people_rules.ID_BIRTH_YEAR_MISMATCH: _(
        "The birth-year digits of the ID do not match the recorded birth year."
    ),
}

View = TypeVar("View", bound=Callable[..., HttpResponse])


def login_and_scope(view: View) -> View:
    """Login required; NotFound from the scoped queries becomes a 404 (absent or out of scope)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc)) from exc

    return cast(View, login_required(require_GET(wrapper)))


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@dataclass(frozen=True)
class Page:
    """A window of results without a COUNT(*) over a million rows: fetch one extra to know."""

    rows: list[Any]
    number: int
    has_previous: bool
    has_next: bool

    @property
    def first_index(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1


def _page(queryset: QuerySet[Any], number: int) -> Page:
    start = (number - 1) * PAGE_SIZE
    rows = list(queryset[start : start + PAGE_SIZE + 1])
    return Page(rows[:PAGE_SIZE], number, number > 1, len(rows) > PAGE_SIZE)


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


# Dashboard and map ---------------------------------------------------------------------------


@login_and_scope
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    figure_form = MapFigureForm(request.GET or None)
    return render(
        request,
        "web/dashboard.html",
        {
            "figures": readiness.jurisdiction_figures(user),
            "figure_form": figure_form,
            "map_url": reverse("web:map_communes"),
        },
    )


@login_and_scope
def map_communes(request: HttpRequest) -> JsonResponse:
    """Scoped GeoJSON of the jurisdiction's communes with their figures (for the choropleth)."""
    user = _user(request)
    figures = readiness.commune_figures(user)
    codes = dict(AdminUnit.objects.filter(id__in=list(figures)).values_list("id", "code"))
    properties: dict[int, dict[str, object]] = {
        commune_id: {
            "people": fig.people,
            "military_age_men": fig.military_age_men,
            "density": round(fig.density, 1) if fig.density is not None else None,
            "url": reverse("web:commune_detail", args=[codes[commune_id]]),
        }
        for commune_id, fig in figures.items()
    }
    collection = geo_queries.shapes_geojson(list(figures), properties)
    return JsonResponse(collection)


# Communes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommuneRow:
    unit: AdminUnit
    figures: CommuneFigures


def _commune_rows(request: HttpRequest) -> tuple[CommuneListForm, list[CommuneRow]]:
    user = _user(request)
    form = CommuneListForm(request.GET)
    q = form.cleaned_data.get("q") if form.is_valid() else None
    units = list(readiness.communes_in_scope(user, q=q))
    figures = readiness.commune_figures(user)
    rows = [CommuneRow(unit, figures[unit.id]) for unit in units if unit.id in figures]
    attribute, descending = form.sort_key
    if attribute != "name":
        # Unknown densities sort last whichever way the list runs.
        def key(row: CommuneRow) -> tuple[bool, float]:
            value = getattr(row.figures, attribute)
            if value is None:
                return (True, 0.0)
            return (False, -value if descending else value)

        rows.sort(key=key)
    elif descending:
        rows.reverse()
    return form, rows


@login_and_scope
def communes(request: HttpRequest) -> HttpResponse:
    form, rows = _commune_rows(request)
    return render(request, "web/communes.html", {"form": form, "rows": rows})


@login_and_scope
def communes_results(request: HttpRequest) -> HttpResponse:
    form, rows = _commune_rows(request)
    return render(request, "web/partials/commune_table.html", {"form": form, "rows": rows})


@login_and_scope
def commune_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    unit = readiness.access_commune(user, code, today)
    command = org_queries.commune_command_of(unit, today)
    positions = (
        org_queries.positions_with_holders(command, today, viewer_scope=scope_for(user, today))
        if command
        else []
    )
    figures = readiness.commune_figures(user, today).get(unit.id)
    return render(
        request,
        "web/commune_detail.html",
        {
            "unit": unit,
            "predecessors": geo_queries.predecessors(unit),
            "command": command,
            "positions": positions,
            "figures": figures,
            "persons_url": f"{reverse('web:persons')}?commune={unit.code}",
        },
    )


# Organisation --------------------------------------------------------------------------------


@login_and_scope
def org_tree(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    root: OrgUnit | None = user.jurisdiction
    ancestors: list[OrgUnit] = []
    parent = root.parent if root else None
    while parent is not None:
        ancestors.insert(0, parent)
        parent = parent.parent
    return render(
        request,
        "web/org_tree.html",
        {
            "root": root,
            "ancestors": ancestors,
            "nodes": org_queries.org_tree(root, timezone.localdate()),
        },
    )


# Persons -------------------------------------------------------------------------------------


def _person_search(request: HttpRequest) -> dict[str, Any]:
    user = _user(request)
    communes = [(u.code, u.name) for u in readiness.communes_in_scope(user)]
    commune_names = dict(communes)
    form = PersonSearchForm(request.GET, communes=communes)
    context: dict[str, Any] = {"form": form, "page": None, "result": None}
    if form.is_valid():
        number = form.page_number
        result = people_queries.person_search_page(
            user, **form.search_arguments(), page=number, page_size=PAGE_SIZE
        )
        end = number * PAGE_SIZE
        has_next = len(result.items) == PAGE_SIZE and (end < result.count or result.count_is_capped)
        context["result"] = result
        # The page's persons carry only the list columns; names come from the commune choices.
        rows = [(p, commune_names.get(p.residence_commune.code, "")) for p in result.items]
        context["page"] = Page(rows, number, number > 1, has_next)
        params = request.GET.copy()
        params.pop("page", None)
        context["query_string"] = params.urlencode()
    return context


@login_and_scope
def persons(request: HttpRequest) -> HttpResponse:
    return render(request, "web/persons.html", _person_search(request))


@login_and_scope
def persons_results(request: HttpRequest) -> HttpResponse:
    return render(request, "web/partials/person_results.html", _person_search(request))


def _warnings(person: Person) -> list[tuple[str, str]]:
    return [
        (code, str(ID_WARNING_LABELS.get(code, code)))
        for code in people_rules.split_warnings(person.id_warnings)
    ]


@login_and_scope
def person_detail(request: HttpRequest, personal_id: str) -> HttpResponse:
    person = people_queries.access_person(_user(request), personal_id, channel="web")
    return render(
        request,
        "web/person_detail.html",
        {
            "person": person,
            "facts": people_queries.person_facts_current(person),
            "warnings": _warnings(person),
        },
    )


@login_and_scope
def id_warnings(request: HttpRequest) -> HttpResponse:
    people = people_queries.id_warning_list(_user(request)).select_related("residence_commune")
    page = _page(people, _page_number(request))
    rows = [(person, _warnings(person)) for person in page.rows]
    template = "web/partials/id_warning_table.html" if _is_htmx(request) else "web/id_warnings.html"
    return render(request, template, {"page": page, "rows": rows})
