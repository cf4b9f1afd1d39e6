from django.urls import path

from muster.militia import views

app_name = "militia"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.roster, name="roster"),
]
