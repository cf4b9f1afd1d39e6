from django.contrib.auth import views as auth_views
from django.urls import path

from muster.web import (
    views,
    views_audit,
    views_auth,
    views_cdmap,
    views_person_edit,
    views_users,
)

app_name = "web"

urlpatterns = [
    path("login/", views_auth.LoginView.as_view(), name="login"),
    path("login/code/", views_auth.login_code, name="login_code"),
    path("account/second-factor/", views_auth.second_factor, name="second_factor"),
    path("account/password/", views_users.own_password, name="own_password"),
    path("users/", views_users.users, name="users"),
    path("users/new/", views_users.user_add, name="user_add"),
    path("users/<int:user_id>/", views_users.user_detail, name="user_detail"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("map/communes.geojson", views.map_communes, name="map_communes"),
    path("map/civil-defence/", views_cdmap.cd_map, name="cd_map"),
    path("map/civil-defence/3d/", views_cdmap.cd_map_3d, name="cd_map_3d"),
    path("map/civil-defence/plan/", views_cdmap.cd_plan, name="cd_plan"),
    path("map/civil-defence/data.json", views_cdmap.cd_map_data, name="cd_map_data"),
    path("map/civil-defence/draw/", views_cdmap.cd_map_draw, name="cd_map_draw"),
    path(
        "map/civil-defence/terrain/<int:z>/<int:x>/<int:y>.png",
        views_cdmap.cd_terrain_tile,
        name="cd_terrain_tile",
    ),
    path("communes/", views.communes, name="communes"),
    path("communes/results/", views.communes_results, name="communes_results"),
    path("communes/<str:code>/", views.commune_detail, name="commune_detail"),
    path("organisation/", views.org_tree, name="org_tree"),
    path("persons/", views.persons, name="persons"),
    path("persons/results/", views.persons_results, name="persons_results"),
    # Before <personal_id>/: "new" is not a personal ID.
    path("persons/new/", views_person_edit.person_add, name="person_add"),
    path("persons/<str:personal_id>/", views.person_detail, name="person_detail"),
    path("persons/<str:personal_id>/edit/", views_person_edit.person_edit, name="person_edit"),
    path("persons/<str:personal_id>/move/", views_person_edit.person_move, name="person_move"),
    path(
        "persons/<str:personal_id>/facts/",
        views_person_edit.person_fact_add,
        name="person_fact_add",
    ),
    path("data-quality/id-warnings/", views.id_warnings, name="id_warnings"),
    path("audit/", views_audit.audit_log, name="audit_log"),
    path("audit/reads/", views_audit.audit_reads, name="audit_reads"),
    path("audit/chain/", views_audit.audit_chain_check, name="audit_chain_check"),
]

# Every named route; tests/test_route_scopes.py walks the resolver so no page escapes a scope test.
URL_NAMES = [p.name for p in urlpatterns if p.name]
