from django.urls import path

from muster.readiness import views

app_name = "readiness"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.unit, name="unit"),
    path("<str:code>/map.geojson", views.unit_map, name="unit_map"),
]
