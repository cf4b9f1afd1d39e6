from django.urls import path

from muster.training import views

app_name = "training"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.session_new, name="session_new"),
    path("shortfalls/", views.shortfalls, name="shortfalls"),
    path("<int:session_id>/", views.session, name="session"),
    path("<int:session_id>/attendance/", views.attendance, name="attendance"),
]
