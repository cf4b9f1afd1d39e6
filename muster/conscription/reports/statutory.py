"""Statutory lists and the annual call-up report of a commune or a province.

The lists are the ones the commune Military Service Council reports and the law posts for
20 days (MSL Art. 40(6), 41(4)): eligible, deferred (incl. health), exempt, and called up.
Published list fields follow the MoD guidance for 2026 (domain-rules §1.3): full name, date of
birth, residence, occupation, and the reason. The annual report counts each stage per commune.
Renderers are in reports/files.py. A list names people: `statutory_list_read` hands it out
with the read logged (pages and the CLI use it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from muster.accounts.models import User
from muster.conscription.models import CallupCycle, CallupOrder, CommuneQuota, Registration
from muster.conscription.rules.callup import RuleSet, Status, ruleset_get
from muster.conscription.rules.reasons import REASONS
from muster.core.text import vi_sort_key
from muster.geo.models import AdminUnit
from muster.people.models import Person
from muster.people.queries import persons_read

_CHUNK = 5000
READ = "conscription.report.exported"


@dataclass(frozen=True)
class ListKind:
    key: str
    title: Promise
    statuses: frozenset[str]
    basis: str


LISTS: dict[str, ListKind] = {
    kind.key: kind
    for kind in (
        ListKind("eligible", _("Citizens eligible for call-up"), frozenset({Status.ELIGIBLE}),
                 "Luật NVQS 2015, Điều 31, 39"),
        ListKind("deferred", _("Citizens whose call-up is deferred"),
                 frozenset({Status.DEFERRED, Status.NOT_FIT}), "Luật NVQS 2015, Điều 41 khoản 1, 4"),
        ListKind("exempt", _("Citizens exempt from call-up"), frozenset({Status.EXEMPT}),
                 "Luật NVQS 2015, Điều 41 khoản 2, 4"),
        ListKind("called", _("Citizens called up"), frozenset(), "Luật NVQS 2015, Điều 34, 37"),
    )
}  # fmt: skip


@dataclass(frozen=True)
class ListRow:
    number: int
    full_name: str
    birth_date: date
    personal_id: str
    commune: str
    address: str
    occupation: str
    reason: str  # codes with their explanation, in the reader's language
    person_id: int = 0  # whose row it is (for the read log; not printed)


@dataclass
class CommuneCounts:
    commune_code: str
    commune_name: str
    statuses: Counter[str] = field(default_factory=Counter)
    health: Counter[str] = field(default_factory=Counter)  # HC1…HC6, HEALTH_PENDING
    quota: int = 0
    orders: Counter[str] = field(default_factory=Counter)  # issued, served, reported, …

    @property
    def listed(self) -> int:
        return sum(self.statuses.values())


@dataclass(frozen=True)
class Report:
    cycle: CallupCycle
    title: str
    place: str  # the commune or province the report covers
    reference: date
    rules: RuleSet
    communes: list[AdminUnit]


def report_for(cycle: CallupCycle, communes: list[AdminUnit], place: str) -> Report:
    rules = ruleset_get(cycle.rules_version, cycle.rules_overrides)
    return Report(cycle, str(_("Call-up report")), place, cycle.callup_date, rules, communes)


def statutory_list(report: Report, kind: str, language: str) -> list[ListRow]:
    """The rows of one statutory list, ordered by commune then name."""
    spec = LISTS[kind]
    names = {unit.pk: unit.name for unit in report.communes}
    picked = _called(report) if kind == "called" else _candidates_with_status(report, spec.statuses)
    people = Person.objects.in_bulk([person_id for person_id, _r in picked])
    occupations = _occupations([person_id for person_id, _r in picked])
    rows = []
    ordered = sorted(
        picked,
        key=lambda pair: (
            vi_sort_key(names[people[pair[0]].residence_commune_id]),
            vi_sort_key(people[pair[0]].full_name),
            pair[0],
        ),
    )
    for number, (person_id, reasons) in enumerate(ordered, start=1):
        person = people[person_id]
        rows.append(
            ListRow(
                number=number,
                full_name=person.full_name,
                birth_date=person.birth_date,
                personal_id=person.personal_id,
                commune=names[person.residence_commune_id],
                address=person.address,
                occupation=occupations.get(person_id, ""),
                reason=_explain(reasons, language),
                person_id=person_id,
            )
        )
    return rows


def statutory_list_read(
    viewer: User | None, report: Report, kind: str, language: str, *, channel: str
) -> list[ListRow]:
    """`statutory_list` for a file handed out: every person on it logged as read (`viewer`
    None: the operator at the CLI). The caller checked the report's place is in scope."""
    rows = statutory_list(report, kind, language)
    persons_read(viewer, [row.person_id for row in rows], action=READ, channel=channel)
    return rows


def annual_counts(report: Report) -> list[CommuneCounts]:
    """Per commune: the candidate statuses, health classes, quota and order progress."""
    from muster.conscription.queries.candidates import candidate_rows

    by_code = {unit.code: CommuneCounts(unit.code, unit.name) for unit in report.communes}
    for row in candidate_rows(
        communes=[unit.pk for unit in report.communes],
        reference=report.reference,
        rules=report.rules,
    ):
        counts = by_code[row.commune_code]
        counts.statuses[row.status] += 1
        health = next((r for r in row.reasons if r.startswith("HC") and len(r) == 3), None)
        counts.health[health or ("HEALTH_PENDING" if "HEALTH_PENDING" in row.reasons else "")] += 1
    for quota in CommuneQuota.objects.filter(cycle=report.cycle).select_related("commune"):
        if quota.commune.code in by_code:
            by_code[quota.commune.code].quota = quota.quota
    orders = CallupOrder.objects.filter(cycle=report.cycle).select_related("batch__commune")
    for order in orders.only("issued_on", "served_on", "outcome", "batch__commune__code"):
        progress = by_code.get(order.batch.commune.code)
        if progress is None:
            continue
        progress.orders["drafted"] += 1
        progress.orders["issued"] += order.issued_on is not None
        progress.orders["served"] += order.served_on is not None
        if order.outcome:
            progress.orders[order.outcome] += 1
    return sorted(by_code.values(), key=lambda c: vi_sort_key(c.commune_name))


def _candidates_with_status(
    report: Report, statuses: frozenset[str]
) -> list[tuple[int, tuple[str, ...]]]:
    from muster.conscription.queries.candidates import candidate_rows

    return [
        (row.person_id, tuple(row.reasons))
        for row in candidate_rows(
            communes=[unit.pk for unit in report.communes],
            reference=report.reference,
            rules=report.rules,
        )
        if row.status in statuses
    ]


def _called(report: Report) -> list[tuple[int, tuple[str, ...]]]:
    orders = CallupOrder.objects.filter(
        cycle=report.cycle,
        issued_on__isnull=False,
        batch__commune__in=report.communes,
    ).values_list("person_id", "number")
    return [(person_id, ()) for person_id, _number in orders]


def _occupations(person_ids: Iterable[int]) -> dict[int, str]:
    """Each person's occupation as of their newest registration."""
    newest: dict[int, tuple[date, str]] = {}
    ids = list(person_ids)
    rows = (
        row
        for start in range(0, len(ids), _CHUNK)  # SQLite caps the parameters of one query
        for row in Registration.objects.filter(
            person_id__in=ids[start : start + _CHUNK]
        ).values_list("person_id", "registered_on", "occupation")
    )
    for person_id, registered_on, occupation in rows:
        if person_id not in newest or registered_on > newest[person_id][0]:
            newest[person_id] = (registered_on, occupation)
    return {person_id: occupation for person_id, (_d, occupation) in newest.items()}


def _explain(codes: tuple[str, ...], language: str) -> str:
    return "; ".join(
        f"{code} – {REASONS[code].text(language)}" if code in REASONS else code for code in codes
    )
