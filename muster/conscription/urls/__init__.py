"""Call-up pages, mounted at /callup/. The public order verification page is
`urls.verify`, mounted at /verify/."""

from __future__ import annotations

from muster.conscription.urls import candidates as urls_candidates
from muster.conscription.urls import cycle as urls_cycle
from muster.conscription.urls import person as urls_person
from muster.conscription.urls import reports as urls_reports

app_name = "conscription"

urlpatterns = [
    *urls_candidates.urlpatterns,
    *urls_cycle.urlpatterns,
    *urls_person.urlpatterns,
    *urls_reports.urlpatterns,
]
