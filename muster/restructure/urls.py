from django.urls import path

from muster.restructure import views, views_edit

app_name = "restructure"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views_edit.plan_new, name="plan_new"),
    path("<slug:key>/", views.plan_summary, name="plan"),
    path("<slug:key>/edit/", views_edit.plan_edit, name="plan_edit"),
    path("<slug:key>/compute/", views.plan_compute_now, name="plan_compute"),
    path("<slug:key>/splits/", views.splits, name="splits"),
    path("<slug:key>/splits/<int:case_id>/", views.split_decide, name="split_decide"),
]
