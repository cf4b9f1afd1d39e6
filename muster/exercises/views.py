"""Exercise pages: the exercises of the user's commands with a form to plan one; an exercise's
page (participants and attendance, timeline, after-action review) with its forms. Every page is
watermarked "DIỄN TẬP / EXERCISE" (`exercises/base.html`), and so is every file it hands out
(`exercises.exports`). Lists also as XLSX or CSV (`?export=`).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from muster.accounts import permissions
from muster.accounts.models import User
from muster.accounts.views_support import request_user
from muster.core.errors import FieldError
from muster.core.exports import export_format, export_response
from muster.core.forms import posted_day, posted_int, posted_write
from muster.core.views import guarded
from muster.exercises import actions, exports, queries
from muster.exercises.models import EventKind, ExerciseStatus, FindingKind, ParticipantKind


def _int(value: str, field: str, errors: list[FieldError]) -> int:
    return posted_int(value, errors, FieldError(field, "EXERCISE_NOT_A_NUMBER"))


@guarded(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """The exercises of the commands the user covers; a form to plan one."""
    user = request_user(request)
    exercises = queries.exercise_list(user)
    if (fmt := export_format(request)) is not None:
        return export_response(exports.exercises_table(exercises), fmt)
    units = queries.exercise_units(user)
    return render(
        request,
        "exercises/index.html",
        {
            "exercises": exercises,
            "units": units,
            "can_manage": bool(units) and permissions.may(user, "exercises.exercise.manage"),
        },
    )


@guarded(["POST"])
def exercise_new(request: HttpRequest) -> HttpResponse:
    """Plan an exercise of a command in the user's jurisdiction (404 outside it)."""
    user = request_user(request)
    unit = queries.access_unit(user, request.POST.get("unit", ""))
    errors: list[FieldError] = []
    starts_on = posted_day(request.POST.get("starts_on", ""), "starts_on", errors)
    ends_on = posted_day(request.POST.get("ends_on", ""), "ends_on", errors)
    days = _int(request.POST.get("training_days", ""), "training_days", errors)
    exercise = posted_write(
        request,
        errors,
        lambda: actions.exercise_create(
            unit=unit,
            name=request.POST.get("name", ""),
            scenario=request.POST.get("scenario", ""),
            hazard_key=request.POST.get("hazard_key", ""),
            starts_on=starts_on,
            ends_on=ends_on,
            training_days=days,
            acting_user=user,
        ),
        lambda _result: _("The exercise was planned."),
    )
    if exercise is None:
        return redirect("exercises:index")
    return redirect("exercises:detail", exercise_id=exercise.pk)


def _detail_context(user: User, exercise_id: int) -> dict[str, Any]:
    exercise = queries.access_exercise(user, exercise_id)
    finished = exercise.status == ExerciseStatus.FINISHED
    return {
        "exercise": exercise,
        "finished": finished,
        "participants": queries.participants(user, exercise),
        "events": queries.timeline(exercise),
        "review": queries.review(exercise),
        "owners": queries.follow_up_owners(exercise) if finished else [],
        "can_manage": permissions.may(user, "exercises.exercise.manage", unit=exercise.unit),
        "can_review": permissions.may(user, "exercises.review.record", unit=exercise.unit),
        "event_kinds": EventKind.values,
        "finding_kinds": FindingKind.values,
        "member_kind": ParticipantKind.MEMBER,
        "today": timezone.localdate(),
    }


@guarded(["GET"])
def detail(request: HttpRequest, exercise_id: int) -> HttpResponse:
    """An exercise: participants and attendance, timeline, review (404 outside the
    jurisdiction); the participants also as a file."""
    user = request_user(request)
    if (fmt := export_format(request)) is not None:
        exercise = queries.access_exercise(user, exercise_id)
        rows = queries.participants(user, exercise, channel=fmt)
        return export_response(exports.participants_table(exercise, rows), fmt)
    return render(request, "exercises/detail.html", _detail_context(user, exercise_id))


def _back(exercise_id: int, anchor: str) -> HttpResponse:
    return redirect(f"{reverse('exercises:detail', args=[exercise_id])}#{anchor}")


@guarded(["POST"])
def participant_add(request: HttpRequest, exercise_id: int) -> HttpResponse:
    """Add a militia member (personal ID), a command (code) or a means (in words)."""
    user = request_user(request)
    exercise = queries.access_exercise(user, exercise_id)
    personal_id = request.POST.get("personal_id", "").strip()
    code = request.POST.get("unit", "").strip()

    def add() -> object:
        if personal_id:
            membership = queries.member_on_roster(user, personal_id, exercise.starts_on)
            return actions.exercise_participant_add(
                exercise=exercise, membership=membership, acting_user=user
            )
        if code:
            unit = queries.access_unit(user, code, day=exercise.starts_on)
            return actions.exercise_participant_add(exercise=exercise, unit=unit, acting_user=user)
        return actions.exercise_participant_add(
            exercise=exercise, means=request.POST.get("means", ""), acting_user=user
        )

    posted_write(request, [], add, lambda _result: _("The participant was added."))
    return _back(exercise.pk, "participants")


@guarded(["POST"])
def event_add(request: HttpRequest, exercise_id: int) -> HttpResponse:
    """Add an inject or an action to the timeline, on a day and at a time."""
    user = request_user(request)
    exercise = queries.access_exercise(user, exercise_id)
    errors: list[FieldError] = []
    day = posted_day(request.POST.get("day", ""), "day", errors)
    try:
        clock = time.fromisoformat(request.POST.get("time", ""))
    except ValueError:
        errors.append(FieldError("time", "EXERCISE_NOT_A_NUMBER"))
        clock = time(0, 0)
    participant = None
    if pid := request.POST.get("participant", "").strip():
        participant = queries.participant_of(exercise, _int(pid, "participant", errors))
    posted_write(
        request,
        errors,
        lambda: actions.exercise_event_record(
            exercise=exercise,
            at=timezone.make_aware(datetime.combine(day, clock)),
            kind=request.POST.get("kind", ""),
            text=request.POST.get("text", ""),
            participant=participant,
            acting_user=user,
        ),
        lambda _result: _("The timeline was updated."),
    )
    return _back(exercise.pk, "timeline")


@guarded(["POST"])
def finish(request: HttpRequest, exercise_id: int) -> HttpResponse:
    """Finish the exercise with each member's days attended (`days-<person id>`)."""
    user = request_user(request)
    exercise = queries.access_exercise(user, exercise_id)
    errors: list[FieldError] = []
    attended: dict[int, int] = {}
    for person_id in queries.member_person_ids(exercise):
        value = request.POST.get(f"days-{person_id}", "").strip()
        if value:
            attended[person_id] = _int(value, f"days-{person_id}", errors)
    finished_on = posted_day(request.POST.get("finished_on", ""), "finished_on", errors)
    posted_write(
        request,
        errors,
        lambda: actions.exercise_finish(
            exercise=exercise, attended=attended, finished_on=finished_on, acting_user=user
        ),
        lambda counts: (
            _(
                "The exercise was finished; its attendance counts as militia training (%(n)s sessions)."
            )
            % {"n": counts["sessions"]}
        ),
    )
    return _back(exercise.pk, "participants")


@guarded(["POST"])
def finding_add(request: HttpRequest, exercise_id: int) -> HttpResponse:
    """Record a finding, with a follow-up when its text, owner and due date are given."""
    user = request_user(request)
    exercise = queries.access_exercise(user, exercise_id)
    errors: list[FieldError] = []
    owner = None
    if name := request.POST.get("owner", "").strip():
        owner = next((u for u in queries.follow_up_owners(exercise) if u.username == name), None)
        if owner is None:
            errors.append(FieldError("owner", "EXERCISE_OWNER_OUTSIDE"))
    due = request.POST.get("due_on", "").strip()
    due_on = posted_day(due, "due_on", errors) if due else None
    posted_write(
        request,
        errors,
        lambda: actions.exercise_finding_record(
            exercise=exercise,
            kind=request.POST.get("kind", ""),
            text=request.POST.get("text", ""),
            follow_up=request.POST.get("follow_up", ""),
            owner=owner,
            due_on=due_on,
            acting_user=user,
        ),
        lambda _result: _("The finding was recorded."),
    )
    return _back(exercise.pk, "review")


@guarded(["POST"])
def follow_up_done(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    """Mark a follow-up done today."""
    user = request_user(request)
    found = queries.access_follow_up(user, follow_up_id)
    actions.exercise_follow_up_done(follow_up=found, done_on=timezone.localdate(), acting_user=user)
    messages.success(request, _("The follow-up was marked done."))
    return _back(found.finding.exercise_id, "review")
