"""The call-up pages' tables for `core.exports` (XLSX and CSV): the province's quotas with
progress, a commune's order batches, a batch's orders and the handover list. Built from the
rows each page's own scoped query gives, every row, the codes beside their words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from django.utils.translation import gettext as _

from muster.conscription.models import CallupCycle, CallupOrder, CommuneQuota, OrderBatch
from muster.conscription.queries import cycle as queries_cycle
from muster.core.exports import Column, Table
from muster.geo.models import AdminUnit


class QuotaLine(Protocol):
    """A line of the quota page (views.cycle.QuotaLine)."""

    @property
    def quota(self) -> CommuneQuota: ...
    @property
    def progress(self) -> queries_cycle.Progress: ...


def quotas_table(cycle: CallupCycle, lines: Sequence[QuotaLine]) -> Table:
    counts = ("drafted", "issued", "served", "reported", "enlisted")
    labels = (_("Drafted"), _("Issued"), _("Served"), _("Reported"), _("Enlisted"))
    rows: list[tuple[object, ...]] = [
        (
            line.quota.commune.name,
            line.quota.commune.code,
            line.quota.pool,
            line.quota.proposed,
            line.quota.quota,
            line.quota.override_reason,
            *(getattr(line.progress, name) for name in counts),
        )
        for line in lines
    ]
    total = (
        _("Total"),
        "",
        sum(line.quota.pool for line in lines),
        sum(line.quota.proposed for line in lines),
        sum(line.quota.quota for line in lines),
        "",
        *(sum(getattr(line.progress, name) for line in lines) for name in counts),
    )
    return Table(
        title=f"{_('Commune quotas')} – {cycle.year} – {cycle.province.name}",
        sheet_title=str(_("Commune quotas")),
        columns=[
            Column(_("Commune")),
            Column(_("Code")),
            Column(_("Eligible pool"), "int"),
            Column(_("Proposed"), "int"),
            Column(_("Quota"), "int"),
            Column(_("Override reason")),
            *(Column(label, "int") for label in labels),
        ],
        rows=[*rows, total],
        filename=f"quotas-{cycle.year}-{cycle.province.code}",
    )


def batches_table(cycle: CallupCycle, commune: AdminUnit, batches: Sequence[OrderBatch]) -> Table:
    return Table(
        title=f"{_('Order batches')} – {cycle.year} – {commune.name}",
        sheet_title=str(_("Order batches")),
        columns=[
            Column(_("Batch"), "int"),
            Column(_("Report on"), "date"),
            Column(_("Report at")),
            Column(_("Drafted by")),
            Column(_("Drafted on"), "datetime"),
            Column(_("Approved by")),
            Column(_("Approved on"), "datetime"),
        ],
        rows=[
            (
                batch.pk,
                batch.report_on,
                batch.report_place,
                batch.created_by.username if batch.created_by else "",
                batch.created_at,
                batch.approved_by.username if batch.approved_by else "",
                batch.approved_at,
            )
            for batch in batches
        ],
        filename=f"batches-{cycle.year}-{commune.code}",
    )


def _order_columns() -> list[Column]:
    return [
        Column(_("Number")),
        Column(_("Citizen")),
        Column(_("Personal ID number")),
        Column(_("Commune")),
        Column(_("Issued"), "date"),
        Column(_("Served"), "date"),
        Column(_("Outcome")),
        Column(_("Outcome code")),
        Column(_("Handover date"), "date"),
        Column(_("Unit")),
    ]


def _order_values(order: CallupOrder, commune: str) -> tuple[object, ...]:
    service = getattr(order, "service", None)
    return (
        order.number,
        order.person.full_name,
        order.person.personal_id,
        commune,
        order.issued_on,
        order.served_on,
        order.get_outcome_display() if order.outcome else "",
        order.outcome,
        order.outcome_on,
        service.unit_name if service is not None else "",
    )


def orders_table(batch: OrderBatch, orders: Sequence[CallupOrder]) -> Table:
    return Table(
        title=f"{_('Order batch')} #{batch.pk} – {batch.commune.name}",
        sheet_title=str(_("Orders")),
        columns=_order_columns(),
        rows=[_order_values(order, batch.commune.name) for order in orders],
        filename=f"batch-{batch.pk}",
    )


def handover_table(cycle: CallupCycle, orders: Sequence[CallupOrder]) -> Table:
    return Table(
        title=f"{_('Handover and enlistment')} – {cycle.year} – {cycle.province.name}",
        sheet_title=str(_("Handover and enlistment")),
        columns=_order_columns(),
        rows=[_order_values(order, order.batch.commune.name) for order in orders],
        filename=f"handover-{cycle.year}-{cycle.province.code}",
    )
