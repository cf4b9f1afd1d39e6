from django.urls import path

from muster.worklists import views

app_name = "worklists"

urlpatterns = [
    path("", views.worklist, name="list"),
    path("<int:item_id>/resolve/", views.resolve, name="resolve"),
]
