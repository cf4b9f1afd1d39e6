"""What every page's template may need beyond Django's own context processors."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from muster.conscription.models import CallupOrder, ServiceRecord
from muster.core.replica import in_report
from muster.core.replica import replica_lag as measured_replica_lag

CACHE_SECONDS = 300


def simulated_until(today: date) -> date | None:
    """The latest fact recorded after `today`, if any: only the demo's simulated clock does
    that (the 2027 handover and the service it starts)."""
    latest = [
        CallupOrder.objects.filter(outcome_on__gt=today).aggregate(m=Max("outcome_on"))["m"],
        ServiceRecord.objects.filter(enlisted_on__gt=today).aggregate(m=Max("enlisted_on"))["m"],
    ]
    found = [day for day in latest if day is not None]
    return max(found) if found else None


def simulated_clock(request: HttpRequest) -> dict[str, Any]:
    """`simulated_until`: the banner in web/base.html says the dates after today are the
    demo's simulated clock's. For signed-in users only (they see the records), cached a few
    minutes per day since every page asks; a database that does not answer shows no banner
    rather than failing the page (an error page, say)."""
    today = timezone.localdate()
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"simulated_until": None, "today": today}
    key = f"muster:simulated-until:{today.isoformat()}"
    cached = cache.get(key)
    if cached is None:
        try:
            until = simulated_until(today)
        except DatabaseError:
            return {"simulated_until": None, "today": today}
        cached = until.isoformat() if until else ""
        cache.set(key, cached, CACHE_SECONDS)
    return {"simulated_until": date.fromisoformat(cached) if cached else None, "today": today}


def replica_lag(request: HttpRequest) -> dict[str, Any]:
    """`replica_lag`: on a report served from the streaming replica, how far behind the primary
    its figures are (web/base.html says so); nothing elsewhere or without a replica."""
    if not in_report():
        return {}
    try:
        return {"replica_lag": measured_replica_lag()}
    except DatabaseError:
        return {}
