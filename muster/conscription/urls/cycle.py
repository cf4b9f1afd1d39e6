"""Routes of the cycle pages (included by urls/__init__.py, mounted at /callup/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from muster.conscription.views import cycle as views_cycle
from muster.conscription.views import orders as views_orders

urlpatterns: list[URLPattern] = [
    path("cycles/", views_cycle.cycle_list, name="cycle_list"),
    path("cycles/new/", views_cycle.cycle_create, name="cycle_create"),
    path("cycles/<int:cycle_id>/", views_cycle.cycle_detail, name="cycle_detail"),
    path("cycles/<int:cycle_id>/target/", views_cycle.cycle_target, name="cycle_target"),
    path("cycles/<int:cycle_id>/propose/", views_cycle.quotas_propose, name="quotas_propose"),
    path("cycles/<int:cycle_id>/quotas/", views_cycle.quotas_save, name="quotas_save"),
    path(
        "cycles/<int:cycle_id>/quotas/<str:code>/override/",
        views_cycle.quota_override,
        name="quota_override",
    ),
    path(
        "cycles/<int:cycle_id>/quotas/<str:code>/clear/",
        views_cycle.quota_override_clear,
        name="quota_override_clear",
    ),
    path("cycles/<int:cycle_id>/handover/", views_cycle.handover_list, name="handover_list"),
    path(
        "cycles/<int:cycle_id>/communes/<str:code>/",
        views_cycle.commune_cycle,
        name="commune_cycle",
    ),
    path(
        "cycles/<int:cycle_id>/communes/<str:code>/batches/new/",
        views_orders.batch_new,
        name="batch_new",
    ),
    path("batches/<int:batch_id>/", views_orders.batch_detail, name="batch_detail"),
    path("batches/<int:batch_id>/approve/", views_orders.batch_approve, name="batch_approve"),
    path("batches/<int:batch_id>/orders.pdf", views_orders.batch_pdf, name="batch_pdf"),
    path("orders/<int:order_id>/", views_orders.order_detail, name="order_detail"),
    path("orders/<int:order_id>/order.pdf", views_orders.order_pdf_view, name="order_pdf"),
    path("orders/<int:order_id>/serve/", views_orders.order_serve, name="order_serve"),
    path("orders/<int:order_id>/handover/", views_orders.order_handover, name="order_handover"),
]
