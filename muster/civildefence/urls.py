from django.urls import path

from muster.civildefence import views, views_decisions, views_register

app_name = "civildefence"

urlpatterns = [
    path("", views.index, name="index"),
    path("hazards/<str:key>/", views.hazard, name="hazard"),
    path("hazards/<str:key>/plan/", views.plan_compute, name="plan_compute"),
    path("plans/<int:plan_id>/", views.plan, name="plan"),
    path("shelters/", views.shelters, name="shelters"),
    path("shelters/new/", views_register.shelter_new, name="shelter_new"),
    path("shelters/<str:code>/", views_register.shelter_edit, name="shelter_edit"),
    path("shelters/<str:code>/retire/", views_register.shelter_retire, name="shelter_retire"),
    path("means/", views.means, name="means"),
    path("means/new/", views_register.means_new, name="means_new"),
    path("means/<str:code>/", views_register.means_edit, name="means_edit"),
    path("means/<str:code>/retire/", views_register.means_retire, name="means_retire"),
    path("decisions/", views_decisions.decisions, name="decisions"),
    path("decisions/new/", views_decisions.decision_new, name="decision_new"),
    path("decisions/<int:decision_id>/", views_decisions.decision_edit, name="decision_edit"),
    path("decisions/<int:decision_id>/lift/", views_decisions.decision_lift, name="decision_lift"),
    path("commands/", views_decisions.commands, name="commands"),
    path("commands/new/", views_decisions.command_new, name="command_new"),
    path("commands/<int:command_id>/", views_decisions.command_edit, name="command_edit"),
    path("commands/<int:command_id>/end/", views_decisions.command_end, name="command_end"),
]
