"""Routes of the person page's military-service section (included by urls/__init__.py)."""

from __future__ import annotations

from django.urls import URLPattern, path

from muster.conscription.views import person as views_person

urlpatterns: list[URLPattern] = [
    path("person/<int:person_id>/service/", views_person.person_service, name="person_service"),
    path(
        "person/<int:person_id>/registration/",
        views_person.registration_add,
        name="person_registration_add",
    ),
    path("person/<int:person_id>/exam/", views_person.exam_add, name="person_exam_add"),
    path("person/<int:person_id>/decision/", views_person.decision_add, name="person_decision_add"),
    path("exam/<int:exam_id>/details/", views_person.exam_details, name="person_exam_details"),
    path(
        "decision/<int:decision_id>/evidence/",
        views_person.evidence_add,
        name="person_evidence_add",
    ),
    path(
        "evidence/<int:evidence_id>/",
        views_person.evidence_download,
        name="person_evidence_download",
    ),
]
