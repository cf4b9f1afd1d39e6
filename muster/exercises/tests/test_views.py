"""Exercise pages' form handlers (through `core.forms.posted_*`): a date or number that does not
parse is refused whole with its words and nothing is written; what parses reaches the action
and the page says so."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.exercises import actions
from muster.exercises.models import Exercise, ExerciseEvent

pytestmark = pytest.mark.django_db


def _client(world: World) -> Client:
    client = Client()
    client.force_login(world.user("tinh1", Role.PROVINCE_STAFF, world.provincial))
    client.cookies["django_language"] = "en"
    return client


def _said(response: object) -> list[str]:
    return [m.message for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def test_a_new_exercise_with_a_bad_date_or_number_is_refused_whole(world: World) -> None:
    client = _client(world)
    fields = {
        "unit": world.provincial.code,
        "name": "Diễn tập ứng phó lũ",
        "hazard_key": "yagi-2024",
        "starts_on": "10/09/2026",
        "ends_on": "2026-09-11",
        "training_days": "hai",
    }
    refused = client.post("/exercises/new/", fields)
    assert refused["Location"] == "/exercises/"
    [said] = _said(refused)
    assert "Enter the date as day, month and year." in said
    assert "Enter a whole number." in said
    assert not Exercise.objects.exists()
    planned = client.post(
        "/exercises/new/", {**fields, "starts_on": "2026-09-10", "training_days": "2"}
    )
    exercise = Exercise.objects.get()
    assert planned["Location"] == f"/exercises/{exercise.pk}/"
    assert _said(planned)[-1] == "The exercise was planned."


def test_a_timeline_entry_at_a_bad_time_is_refused_and_a_good_one_recorded(world: World) -> None:
    exercise = actions.exercise_create(
        unit=world.provincial,
        name="Diễn tập ứng phó lũ",
        hazard_key="yagi-2024",
        starts_on=date(2026, 9, 10),
        ends_on=date(2026, 9, 11),
        training_days=2,
        acting_user=None,
    )
    client = _client(world)
    path = f"/exercises/{exercise.pk}/timeline/"
    entry = {"day": "2026-09-10", "time": "25:00", "kind": "inject", "text": "Lũ lên nhanh"}
    refused = client.post(path, entry)
    assert refused["Location"] == f"/exercises/{exercise.pk}/#timeline"
    assert "Enter a whole number." in _said(refused)[0]
    assert not ExerciseEvent.objects.exists()
    recorded = client.post(path, {**entry, "time": "07:30"})
    assert _said(recorded)[-1] == "The timeline was updated."
    assert ExerciseEvent.objects.get().text == "Lũ lên nhanh"
