"""Routes of the statutory lists and the annual report (included by urls/__init__.py)."""

from __future__ import annotations

from django.urls import path

from muster.conscription.views import reports as views_reports

urlpatterns = [
    path("reports/", views_reports.report_index, name="reports"),
    path("reports/download/", views_reports.report_download, name="report_download"),
]
