"""Reserve register pages, mounted at `/reserve/register/` (config/urls.py)."""

from django.urls import path

from muster.reserve import views_activities, views_register

app_name = "reserve_register"

urlpatterns = [
    path("", views_register.index, name="index"),
    path("enter/", views_register.enter, name="enter"),
    path("person/<str:personal_id>/", views_register.reservist, name="reservist"),
    path("person/<str:personal_id>/change/", views_register.reservist_change, name="change"),
    path("activities/<str:code>/", views_activities.activities, name="activities"),
    path("activity/<int:activity_id>/", views_activities.activity, name="activity"),
    path("<str:code>/", views_register.area, name="area"),
]
