from django.contrib import admin
from django.urls import include, path

from config.api import api
from muster.web.views_auth import admin_login

urlpatterns = [
    # Before the admin's own: every login goes through Muster's (lockout, second factor).
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("worklists/", include("muster.worklists.urls")),
    path("linkage/", include("muster.linkage.urls")),
    path("callup/", include("muster.conscription.urls")),
    path("militia/", include("muster.militia.urls")),
    path("training/", include("muster.training.urls")),
    path("reserve/register/", include("muster.reserve.urls_register")),
    path("reserve/units/", include("muster.reserve.urls_units")),
    path("reserve/means/", include("muster.reserve.urls_means")),
    path("restructure/", include("muster.restructure.urls")),
    path("cadres/", include("muster.cadres.urls")),
    path("civil-defence/", include("muster.civildefence.urls")),
    path("exercises/", include("muster.exercises.urls")),
    path("readiness/", include("muster.readiness.urls")),
    path("verify/", include("muster.conscription.urls.verify")),
    path("", include("muster.web.urls")),
]

# Error pages styled like the rest, in both languages (muster/web/views_errors.py).
handler400 = "muster.web.views_errors.bad_request"
handler403 = "muster.web.views_errors.permission_denied"
handler404 = "muster.web.views_errors.page_not_found"
handler500 = "muster.web.views_errors.server_error"
