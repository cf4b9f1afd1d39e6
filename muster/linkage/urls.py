from django.urls import path

from muster.linkage import views

app_name = "linkage"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:case_id>/", views.case, name="case"),
]
