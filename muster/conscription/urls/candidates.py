"""Routes of the candidates pages (included by urls/__init__.py)."""

from __future__ import annotations

from django.urls import path

from muster.conscription.views import candidates as views_candidates

urlpatterns = [
    path("candidates/", views_candidates.candidates, name="candidates"),
]
