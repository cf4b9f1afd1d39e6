"""The JSON API object. Each app contributes a router from its own api.py.

Every error is answered as JSON `{"code", "detail"}` (muster/core/api_errors.py): the handlers
installed here cover what an endpoint raises, a database that does not answer included (503);
core.api_errors.ApiJsonErrorsMiddleware covers the rest (unknown paths, wrong methods).
"""

from __future__ import annotations

from ninja import NinjaAPI

from muster.accounts.api import BearerAuth
from muster.accounts.api import router as auth_router
from muster.civildefence.api import router as civildefence_router
from muster.conscription.api import router as service_router
from muster.core.api_errors import install_error_handlers
from muster.geo.api import router as geo_router
from muster.militia.api import router as militia_router
from muster.orgs.api import router as orgs_router
from muster.people.api import router as people_router
from muster.readiness.api import router as readiness_router
from muster.reserve.api_register import router as reserve_register_router
from muster.reserve.api_units import router as reserve_units_router
from muster.worklists.api import router as worklists_router

api = NinjaAPI(
    title="Muster API",
    version="1",
    urls_namespace="api-v1",
    auth=BearerAuth(),
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/auth", auth_router)
api.add_router("/admin-units", geo_router)
api.add_router("/org-units", orgs_router)
api.add_router("/persons", people_router)
api.add_router("/persons", service_router)  # /persons/{personal_id}/service
api.add_router("/worklists", worklists_router)
api.add_router("/reserve", reserve_register_router)  # /reserve/reservists
api.add_router("/reserve", reserve_units_router)  # /reserve/units, /reserve/assignments
api.add_router("/militia", militia_router)
api.add_router("/civil-defence", civildefence_router)
api.add_router("/readiness", readiness_router)
