from django.urls import path

from muster.militia import (
    views,
    views_absences,
    views_duty,
    views_forms,
    views_selfdefence,
    views_units,
)

app_name = "militia"

urlpatterns = [
    path("", views.index, name="index"),
    path("self-defence/", views_selfdefence.index, name="self_defence"),
    path("self-defence/new/", views_selfdefence.found, name="self_defence_found"),
    path("registration/", views_duty.register, name="registration"),
    path("registration/record/", views_duty.record, name="registration_record"),
    path("<str:code>/", views.roster, name="roster"),
    path("<str:code>/join/", views_forms.join, name="join"),
    path("<str:code>/target/", views_forms.target, name="target"),
    path("<str:code>/units/new/", views_units.unit_create, name="unit_create"),
    path("<str:code>/units/leader/", views_units.unit_leader, name="unit_leader"),
    path(
        "<str:code>/units/<int:unit_id>/disband/",
        views_absences.unit_disband,
        name="unit_disband",
    ),
    path("<str:code>/absences/", views_absences.absences, name="absences"),
    path("<str:code>/absences/new/", views_absences.absence_new, name="absence_new"),
    path(
        "<str:code>/absences/<int:absence_id>/return/",
        views_absences.absence_return,
        name="absence_return",
    ),
    path("<str:code>/members/<int:membership_id>/", views_forms.member, name="member"),
    path(
        "<str:code>/members/<int:membership_id>/leave/",
        views_forms.member_leave,
        name="member_leave",
    ),
    path(
        "<str:code>/members/<int:membership_id>/extend/",
        views_forms.member_extend,
        name="member_extend",
    ),
    path(
        "<str:code>/members/<int:membership_id>/transfer/",
        views_forms.member_transfer,
        name="member_transfer",
    ),
    path(
        "<str:code>/members/<int:membership_id>/duty/",
        views_forms.member_duty,
        name="member_duty",
    ),
]
