"""Reserve unit pages, mounted at `/reserve/units/` (config/urls.py)."""

from django.urls import path

from muster.reserve import views_units, views_whatif

app_name = "reserve_units"

urlpatterns = [
    path("", views_units.index, name="index"),
    path("unit/<str:code>/", views_units.unit, name="unit"),
    path("unit/<str:code>/posts/", views_units.post_save, name="post_save"),
    path("<str:code>/", views_units.province, name="province"),
    path("<str:code>/new/", views_units.unit_create, name="unit_create"),
    path("<str:code>/assign/", views_whatif.page, name="whatif"),
    path("<str:code>/assign/propose/", views_whatif.propose, name="propose"),
    path("<str:code>/assign/pin/", views_whatif.pin, name="pin"),
    path("<str:code>/assign/release/", views_whatif.release, name="release"),
    path("<str:code>/assign/approve/", views_whatif.approve, name="approve"),
    path("<str:code>/assign/discard/", views_whatif.discard, name="discard"),
]
