"""The public verification page of call-up orders, mounted at /verify/ (no login)."""

from __future__ import annotations

from django.urls import path

from muster.conscription.views import orders as views_orders

app_name = "verify"

urlpatterns = [
    path("<str:code>/", views_orders.verify, name="verify"),
]
