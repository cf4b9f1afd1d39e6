"""The plan editor: a future change written as succession rows on a page (typed, pasted from a
spreadsheet or uploaded as a CSV file), checked line by line, saved through `actions.plan_save`."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from muster.accounts import permissions
from muster.accounts.views_support import request_user
from muster.core.errors import InvalidInput
from muster.core.views import guarded
from muster.restructure import actions, queries
from muster.restructure.models import Plan
from muster.restructure.plans import CSV_COLUMNS, plan_csv_text, plan_editable

MAX_UPLOAD_BYTES = 2_000_000  # a succession file of a whole country is ~1 MB
EMPTY_TEXT = ",".join(CSV_COLUMNS) + "\n"


@guarded(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    """A new plan: its key must be new (a new plan never replaces another's)."""
    return _editor(request, None)


@guarded(["GET", "POST"])
def plan_edit(request: HttpRequest, key: str) -> HttpResponse:
    """A plan of the user's jurisdiction (another's answers 404, or 403 when it is visible
    but not theirs to change, as a national plan for provincial staff)."""
    return _editor(request, queries.access_plan(request_user(request), key))


def _editor(request: HttpRequest, plan: Plan | None) -> HttpResponse:
    user = request_user(request)
    place = queries.plan_place(plan) if plan is not None else None
    permissions.require(user, "restructure.plan.edit", unit=place)
    if plan is not None and not plan_editable(plan):
        messages.error(request, _("This plan cannot be edited (built in or applied)."))
        return redirect("restructure:plan", key=plan.key)
    form = {
        "key": plan.key if plan else "",
        "title": plan.title if plan else "",
        "text": plan_csv_text(plan) if plan else EMPTY_TEXT,
    }
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        form = {
            "key": plan.key if plan else request.POST.get("key", "").strip(),
            "title": request.POST.get("title", ""),
            "text": request.POST.get("text", ""),
        }
        upload = request.FILES.get("file")
        try:
            if upload is not None:
                form["text"] = _upload_text(upload.read(MAX_UPLOAD_BYTES + 1))
            saved = actions.plan_save(
                key=form["key"],
                title=form["title"] or form["key"],
                text=form["text"],
                acting_user=user,
                new=plan is None,
            )
        except InvalidInput as exc:
            errors = [(_where(e.field), e.message) for e in exc.errors]
        else:
            messages.success(request, _("Plan saved: review what it moves below."))
            return redirect("restructure:plan", key=saved.key)
    return render(
        request,
        "restructure/edit.html",
        {"plan": plan, "form": form, "errors": errors, "columns": CSV_COLUMNS},
        status=400 if errors else 200,
    )


def _where(field: str) -> str:
    """`line 7` in the reader's language; other fields (key, file, plan) as named."""
    line = field.removeprefix("line ")
    return _("line %(number)s") % {"number": line} if line.isdigit() else field


def _upload_text(data: bytes) -> str:
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput.single("file", "FILE_TOO_LARGE", {"mb": MAX_UPLOAD_BYTES // 1_000_000})
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput.single("file", "FILE_NOT_UTF8", {"byte": exc.start}) from exc
