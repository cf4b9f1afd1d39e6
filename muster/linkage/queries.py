"""Reads of the review queue (always scoped by the candidate person's commune, each page of
cases and each case shown logged as a read of its person) and of what earlier runs decided."""

from __future__ import annotations

from django.db.models import QuerySet

from muster.accounts.models import User
from muster.accounts.scope import scope_for
from muster.core.errors import NotFound
from muster.core.exports import limited
from muster.linkage.engine import Remembered
from muster.linkage.models import CaseStatus, LegacyLink, ReviewCase
from muster.people.queries import persons_read

READ = "linkage.case.viewed"


def review_case_list(user: User, *, status: str | None = CaseStatus.OPEN) -> QuerySet[ReviewCase]:
    """Cases of communes in the user's scope, most probable first (`status` None: all)."""
    cases = ReviewCase.objects.filter(scope_for(user).filter("commune_id"))
    if status is not None:
        cases = cases.filter(status=status)
    return cases.select_related("person", "commune").order_by("-probability", "id")


def review_case_page(
    user: User, *, status: str | None, limit: int, channel: str
) -> list[ReviewCase]:
    """The first `limit` cases of `review_case_list`, their persons' read logged."""
    cases = list(review_case_list(user, status=status)[:limit])
    persons_read(user, [case.person_id for case in cases], action=READ, channel=channel)
    return cases


def review_cases_for_file(
    user: User, *, status: str | None, channel: str
) -> tuple[list[ReviewCase], str]:
    """Every case of `review_case_list` a file may hold (`core.exports.limited`: the rows and
    the note when there were more), their persons' read logged."""
    cases, note = limited(review_case_list(user, status=status).iterator(chunk_size=2000))
    persons_read(user, [case.person_id for case in cases], action=READ, channel=channel)
    return cases, note


def access_review_case(user: User, case_id: int, *, channel: str | None) -> ReviewCase:
    """The case, or NotFound when it does not exist or lies outside the user's scope. With a
    `channel` (the case is shown) its person's read is logged; None is a form target that
    only decides."""
    case = (
        ReviewCase.objects.select_related(
            "person", "person__residence_commune", "commune", "legacy_commune", "decided_by"
        )
        .filter(id=case_id)
        .first()
    )
    if case is None or not scope_for(user).allows(case.commune_id):
        raise NotFound("REVIEW_CASE_NOT_FOUND", {"id": case_id})
    if channel is not None:
        persons_read(user, [case.person_id], action=READ, channel=channel)
    return case


def remembered_for(source: str) -> Remembered:
    """What earlier runs and reviewers decided for `source`: kept links, accepted pairs,
    excluded pairs (rejected or not a duplicate) and persons already linked."""
    remembered = Remembered()
    for legacy_id, pid in LegacyLink.objects.filter(source=source).values_list(
        "legacy_id", "person__personal_id"
    ):
        remembered.links[legacy_id] = pid
        remembered.taken[pid] = legacy_id
    for legacy_id, pid, status in (
        ReviewCase.objects.filter(source=source)
        .exclude(status=CaseStatus.OPEN)
        .values_list("legacy_id", "person__personal_id", "status")
    ):
        if status == CaseStatus.ACCEPTED:
            remembered.accepted.add((legacy_id, pid))
        else:
            remembered.excluded.add((legacy_id, pid))
    return remembered
