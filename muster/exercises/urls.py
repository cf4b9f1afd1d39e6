from django.urls import path

from muster.exercises import views

app_name = "exercises"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.exercise_new, name="new"),
    path("<int:exercise_id>/", views.detail, name="detail"),
    path("<int:exercise_id>/participants/", views.participant_add, name="participant"),
    path("<int:exercise_id>/timeline/", views.event_add, name="event"),
    path("<int:exercise_id>/finish/", views.finish, name="finish"),
    path("<int:exercise_id>/review/", views.finding_add, name="finding"),
    path("follow-ups/<int:follow_up_id>/done/", views.follow_up_done, name="follow_up_done"),
]
