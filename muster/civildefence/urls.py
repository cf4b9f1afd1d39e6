from django.urls import path

from muster.civildefence import views

app_name = "civildefence"

urlpatterns = [
    path("", views.index, name="index"),
    path("hazards/<str:key>/", views.hazard, name="hazard"),
    path("hazards/<str:key>/plan/", views.plan_compute, name="plan_compute"),
    path("plans/<int:plan_id>/", views.plan, name="plan"),
    path("shelters/", views.shelters, name="shelters"),
    path("means/", views.means, name="means"),
]
