"""Fuzzing the JSON API from its own OpenAPI schema (issue 13, "Fuzzing in CI").

Schemathesis draws requests for every operation of the schema django-ninja serves at
/api/v1/openapi.json — valid ones (positive) and ones that break the schema (negative) — and
sends them through the WSGI application with the Bearer token of a commune officer, as `muster
demo` creates them. Every answer must be no server error (no 5xx), have a status the schema
documents for that operation, and a body that matches the documented schema (the errors' shared
`{code, detail}` included).

Bounded in time: FUZZ_SECONDS spread evenly over the operations and both modes, on each
database `make test` runs (PostgreSQL refuses what SQLite takes, NUL bytes for one, so both
are fuzzed; 2 × 35 s stays under the suite's 90 s budget). Hypothesis draws anew on every run:
a failure prints the case that broke, to be fixed and pinned as a regression test below.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from muster.accounts.actions import api_token_issue
from muster.accounts.models import User
from muster.people.tests.factories import World, make_person, make_world
from muster.worklists.actions import work_item_open

pytestmark = pytest.mark.django_db

FUZZ_SECONDS = 35.0
EXAMPLES = 200  # per operation and mode: more than the time allows, the clock stops it first
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SCHEMA_PATH = "/api/v1/openapi.json"


def _demo_like(world: World) -> User:
    """The officer of the first commune, with people in and out of the jurisdiction and an
    item on the worklist, so that reads answer 200 as well as 404."""
    inside = [make_person(world.communes[0], f"Nguyễn Văn {n}") for n in ("An", "Bình", "Cường")]
    make_person(world.communes[1], "Trần Thị Lan")
    work_item_open(
        kind="due_first_registration",
        person=inside[0],
        commune=world.communes[0],
        source="refresh",
        key=f"fuzz-{inside[0].personal_id}",
        year=2026,
        due_on=date(2026, 4, 30),
        acting_user=None,
    )
    return world.staff[0]


class _TimeUp(Exception):
    """The operation's share of the time is spent: ends Hypothesis' loop at once."""


def _operations(schema: Any) -> Iterator[Any]:
    for result in schema.get_all_operations():
        yield result.ok()


def _fuzz(operation: Any, mode: GenerationMode, user: User, until: float) -> int:
    app = get_wsgi_application()
    token = api_token_issue(user=user)
    sent = 0

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,  # nothing written beside the tree
        suppress_health_check=list(HealthCheck),
        # No shrinking: the clock would cut it short; schemathesis prints the failing request.
        phases=[Phase.explicit, Phase.generate],
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        nonlocal sent
        if time.monotonic() > until and sent:  # at least one request each, however short
            raise _TimeUp
        # /auth/revoke ends the token it is called with: each call gets its own.
        bearer = api_token_issue(user=user) if operation.path == "/auth/revoke" else token
        headers = {"Authorization": f"Bearer {bearer}"}
        response = case.call(app=app, headers=headers)
        sent += 1
        case.validate_response(response, checks=CHECKS, headers=headers)

    with contextlib.suppress(_TimeUp):
        run()
    return sent


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """What Django's test client does: the requests go through the WSGI handler in this
    thread, and its end-of-request hook would close the test's connection (on PostgreSQL,
    inside the test's transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("connection_kept")
def test_the_api_answers_fuzzed_requests_as_documented():
    user = _demo_like(make_world())
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, get_wsgi_application())
    operations = list(_operations(schema))
    assert len(operations) >= 10  # every router is in the schema
    runs = [(op, mode) for op in operations for mode in GenerationMode]
    share = FUZZ_SECONDS / len(runs)
    sent: dict[str, int] = {}
    for operation, mode in runs:
        label = f"{operation.method.upper()} {operation.path} {mode.value}"
        sent[label] = _fuzz(operation, mode, user, time.monotonic() + share)
    print(sent)  # shown with -s: how many requests each operation got
    assert all(sent.values()), sent  # each operation was called in each mode
