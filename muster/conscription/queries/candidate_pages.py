"""The candidate list as pages, downloads and the CLI hand it out: one commune the caller may
see (NotFound otherwise), the men handed out logged as read — the page's rows, or every row
of a file. `candidates.candidate_rows` stays the unscoped selector the quotas and batches use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from muster.accounts import permissions
from muster.accounts.models import User
from muster.conscription.queries.candidates import CandidateRow, candidate_rows, status_counts
from muster.conscription.rules.callup import RuleSet
from muster.core.errors import NotFound
from muster.geo.models import AdminUnit
from muster.people.queries import persons_read

READ = "conscription.candidates.viewed"


@dataclass(frozen=True)
class CandidatePage:
    """One page of a commune's list: its rows, the counts per status of the whole list, how
    many rows the list holds and how many match the status asked for."""

    rows: list[CandidateRow]
    counts: dict[str, int]
    total: int
    matching: int


def _rows(
    user: User | None, commune: AdminUnit, reference: date, rules: RuleSet
) -> list[CandidateRow]:
    if not permissions.covers(user, commune_id=commune.pk):
        raise NotFound("COMMUNE_NOT_FOUND", {"code": commune.code})
    return list(
        candidate_rows(communes=[commune.pk], reference=reference, rules=rules, ordered=True)
    )


def candidate_page(
    user: User,
    *,
    commune: AdminUnit,
    reference: date,
    rules: RuleSet,
    status: str,
    page: int,
    page_size: int,
    channel: str,
) -> CandidatePage:
    """Page `page` of the commune's list (only `status` when given); the page's men are
    logged as read, the counts name nobody."""
    rows = _rows(user, commune, reference, rules)
    shown = [row for row in rows if not status or row.status == status]
    start = (page - 1) * page_size
    on_page = shown[start : start + page_size]
    persons_read(user, [row.person_id for row in on_page], action=READ, channel=channel)
    return CandidatePage(on_page, status_counts(rows), len(rows), len(shown))


def candidate_list(
    user: User | None,
    *,
    commune: AdminUnit,
    reference: date,
    rules: RuleSet,
    channel: str,
    status: str = "",
) -> list[CandidateRow]:
    """The commune's whole list (only `status` when given), for a file (the page's download,
    the CLI: `user` None is the operator), every man in it logged as read."""
    rows = [
        row for row in _rows(user, commune, reference, rules) if not status or row.status == status
    ]
    persons_read(user, [row.person_id for row in rows], action=READ, channel=channel)
    return rows
