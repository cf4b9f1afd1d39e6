"""Reads of the audit trail for the audit log pages.

audit sits below accounts and geo, so it does not know who may see what: the caller (the
view, through accounts.scope) decides and passes what is visible — the 2025 commune codes for
write events, the ids of the visible targets for read events. `None` means everything
(national scope); an empty set means nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from muster.audit.models import AuditEvent, ReadEvent


def _day_start(day: date) -> datetime:
    """Local midnight opening `day`, as an aware datetime (so `at` stays index-searchable)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _period(date_from: date | None, date_to: date | None) -> Q:
    """Events from the start of `date_from` to the end of `date_to`, both local and inclusive."""
    where = Q()
    if date_from is not None:
        where &= Q(at__gte=_day_start(date_from))
    if date_to is not None:
        where &= Q(at__lt=_day_start(date_to + timedelta(days=1)))
    return where


def audit_event_list(
    *,
    commune_codes: frozenset[str] | None,
    action: str | None = None,
    actor: str | None = None,
    target_id: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """Write events newest first, limited to `commune_codes` (None: every event, also those
    without a commune, such as data loads).

    `actor` is the user name recorded with the event (exact); `target_id` the changed record's
    id (exact); the dates are local calendar days, inclusive.
    """
    events = AuditEvent.objects.all()
    if commune_codes is not None:
        events = events.filter(commune_code__in=sorted(commune_codes))
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_label=actor)
    if target_id:
        events = events.filter(target_id=target_id)
    return events.filter(_period(date_from, date_to)).order_by("-id")


def read_event_list(
    *,
    target_type: str,
    target_ids: QuerySet[Any] | frozenset[str] | None,
    actor: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[ReadEvent]:
    """Views of personal data of `target_type` newest first, limited to `target_ids`.

    `target_ids` is a set of ids as text, or a one-column queryset of them (evaluated by the
    database as a subquery, so a jurisdiction of a million people is never loaded); None means
    every target of the type. `actor` is the viewer's user name (exact).
    """
    reads = ReadEvent.objects.filter(target_type=target_type)
    if target_ids is not None:
        reads = reads.filter(target_id__in=target_ids)
    if actor:
        reads = reads.filter(actor__username=actor)
    return reads.filter(_period(date_from, date_to)).select_related("actor").order_by("-id")
