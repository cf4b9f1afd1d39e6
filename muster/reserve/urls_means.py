"""Reserve technical means pages, mounted at `/reserve/means/` (config/urls.py)."""

from django.urls import path

from muster.reserve import views_means

app_name = "reserve_means"

urlpatterns = [
    path("", views_means.index, name="index"),
    path("new/", views_means.new, name="new"),
    path("<int:means_id>/", views_means.detail, name="detail"),
    path("<int:means_id>/edit/", views_means.edit, name="edit"),
    path("<int:means_id>/retire/", views_means.retire, name="retire"),
]
