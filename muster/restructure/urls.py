from django.urls import path

from muster.restructure import views

app_name = "restructure"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:key>/", views.plan_summary, name="plan"),
    path("<slug:key>/splits/", views.splits, name="splits"),
    path("<slug:key>/splits/<int:case_id>/", views.split_decide, name="split_decide"),
]
