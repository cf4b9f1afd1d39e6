from django.contrib.auth import views as auth_views
from django.urls import path

from muster.web import views
from muster.web.forms_auth import LoginForm

app_name = "web"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("map/communes.geojson", views.map_communes, name="map_communes"),
    path("communes/", views.communes, name="communes"),
    path("communes/results/", views.communes_results, name="communes_results"),
    path("communes/<str:code>/", views.commune_detail, name="commune_detail"),
    path("organisation/", views.org_tree, name="org_tree"),
    path("persons/", views.persons, name="persons"),
    path("persons/results/", views.persons_results, name="persons_results"),
    path("persons/<str:personal_id>/", views.person_detail, name="person_detail"),
    path("data-quality/id-warnings/", views.id_warnings, name="id_warnings"),
]

# Every named route; tests/test_scope.py walks this list so no page escapes a scope test.
URL_NAMES = [p.name for p in urlpatterns if p.name]
