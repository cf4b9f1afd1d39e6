"""Order batch and order pages: drafting a batch, approval by a second person, PDFs, delivery
and handover; and the public verification page of an order's code (no login)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from muster.accounts import permissions
from muster.accounts.views_support import request_user
from muster.conscription.actions import orders as actions_orders
from muster.conscription.queries import cycle as queries_cycle
from muster.conscription.reports import order_pdf
from muster.conscription.views import exports
from muster.conscription.views.cycle import refused
from muster.conscription.views.forms_cycle import BatchForm, HandoverForm, ServeForm
from muster.core.errors import InvalidInput
from muster.core.exports import export_format, export_response
from muster.core.formats import date_text
from muster.core.views import guarded


@guarded(["GET", "POST"])
def batch_new(request: HttpRequest, cycle_id: int, code: str) -> HttpResponse:
    """Draft a batch: pick eligible men of the commune, with the reporting date and place."""
    user = request_user(request)
    cycle = queries_cycle.access_cycle(user, cycle_id)
    commune = queries_cycle.access_commune(user, cycle, code)
    permissions.require(user, "callup.batch.draft", commune_id=commune.pk)
    people = [
        (p.pk, f"{p.full_name} ({date_text(p.birth_date)})")
        for p in queries_cycle.eligible_choices(user, cycle, commune, channel="web")
    ]
    form = BatchForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            batch = actions_orders.order_batch_create(
                cycle=cycle,
                commune=commune,
                person_ids=form.cleaned_data["person_ids"],
                report_on=form.cleaned_data["report_on"],
                report_place=form.cleaned_data["report_place"],
                report_time=form.cleaned_data["report_time"],
                note=form.cleaned_data["note"],
                acting_user=user,
            )
        except InvalidInput as exc:
            refused(request, exc)
        else:
            messages.success(request, _("The batch was drafted; another person must approve it."))
            return redirect("conscription:batch_detail", batch.pk)
    context = {"cycle": cycle, "commune": commune, "form": form, "people": people}
    return render(request, "conscription/batch_new.html", context)


@guarded(["GET"])
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    """A batch's orders; the approve button is offered to anyone but its drafter."""
    user = request_user(request)
    batch = queries_cycle.access_batch(user, batch_id)
    fmt = export_format(request)
    orders = queries_cycle.batch_orders(user, batch, channel=fmt or "web")
    if fmt is not None:
        return export_response(exports.orders_table(batch, orders), fmt)
    can_approve = (
        batch.approved_at is None
        and permissions.may(user, "callup.batch.approve", commune_id=batch.commune_id)
        and batch.created_by_id != user.pk
    )
    context = {"batch": batch, "orders": orders, "can_approve": can_approve}
    return render(request, "conscription/batch_detail.html", context)


@guarded(["POST"])
def batch_approve(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = request_user(request)
    batch = queries_cycle.access_batch(user, batch_id)
    try:
        actions_orders.order_batch_approve(batch=batch, acting_user=user)
    except InvalidInput as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The batch was approved and its orders issued."))
    return redirect("conscription:batch_detail", batch.pk)


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


@guarded(["GET"])
def batch_pdf(request: HttpRequest, batch_id: int) -> HttpResponse:
    """All orders of a batch, one per page (a draft prints marked as such, without codes)."""
    user = request_user(request)
    batch = queries_cycle.access_batch(user, batch_id)
    queries_cycle.batch_orders(user, batch, channel="pdf")  # the PDF names them all: logged
    return _pdf(order_pdf.batch_pdf(batch, base=_origin(request)), f"lenh-goi-dot-{batch.pk}.pdf")


@guarded(["GET"])
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    """One order: delivery and handover forms, the PDF."""
    user = request_user(request)
    order = queries_cycle.access_order(user, order_id, channel="web")
    today = timezone.localdate()
    context = {
        "order": order,
        "service": getattr(order, "service", None),
        "can_write": order.issued_on is not None
        and permissions.may(user, "callup.order.record", commune_id=order.batch.commune_id),
        "serve_form": ServeForm(
            initial={
                "served_on": order.served_on or today,
                "served_how": order.served_how or "in_person",
                "acknowledged": order.acknowledged,
            }
        ),
        "handover_form": HandoverForm(
            initial={"outcome_on": order.outcome_on or order.batch.report_on}
        ),
    }
    return render(request, "conscription/order_detail.html", context)


@guarded(["GET"])
def order_pdf_view(request: HttpRequest, order_id: int) -> HttpResponse:
    user = request_user(request)
    order = queries_cycle.access_order(user, order_id, channel="pdf")
    name = f"lenh-goi-{order.pk}.pdf"
    return _pdf(order_pdf.order_pdf(order, base=_origin(request)), name)


@guarded(["POST"])
def order_serve(request: HttpRequest, order_id: int) -> HttpResponse:
    user = request_user(request)
    order = queries_cycle.access_order(user, order_id, channel=None)
    form = ServeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date and how the order was served."))
        return redirect("conscription:order_detail", order.pk)
    try:
        actions_orders.order_serve(order=order, acting_user=user, **form.cleaned_data)
    except InvalidInput as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Delivery was recorded."))
    return redirect("conscription:order_detail", order.pk)


@guarded(["POST"])
def order_handover(request: HttpRequest, order_id: int) -> HttpResponse:
    user = request_user(request)
    order = queries_cycle.access_order(user, order_id, channel=None)
    form = HandoverForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the outcome and the handover date."))
        return redirect("conscription:order_detail", order.pk)
    try:
        actions_orders.handover_record(order=order, acting_user=user, **form.cleaned_data)
    except InvalidInput as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The handover outcome was recorded."))
    return redirect("conscription:order_detail", order.pk)


def masked_id(personal_id: str) -> str:
    """Every digit hidden but the last three."""
    return "•" * max(len(personal_id) - 3, 0) + personal_id[-3:]


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public, no login: is this a genuine call-up order? Shows only the number, the name with
    the personal ID masked, the reporting date and place, the issuing commune, and whether it
    was served or revoked (personal data kept to the purpose, Law 91/2025/QH15)."""
    order = queries_cycle.order_verified(code)
    if order is None:
        return render(request, "conscription/order_verify.html", {"code": code}, status=404)
    context = {
        "code": order.verification_code,
        "number": order.number,
        "name": order.person.full_name,
        "masked_id": masked_id(order.person.personal_id),
        "report_on": order.batch.report_on,
        "report_time": order.batch.report_time,
        "report_place": order.batch.report_place,
        "commune": order.batch.commune.name,
        "issued_on": order.issued_on,
        "served": order.served_on is not None,
        "revoked": order.revoked_at is not None,
    }
    return render(request, "conscription/order_verify.html", context)
