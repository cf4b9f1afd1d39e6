"""Call-up pages, mounted at /callup/. The public order verification page is in urls_verify."""

from __future__ import annotations

from muster.conscription import urls_candidates, urls_cycle, urls_person, urls_reports

app_name = "conscription"

urlpatterns = [
    *urls_candidates.urlpatterns,
    *urls_cycle.urlpatterns,
    *urls_person.urlpatterns,
    *urls_reports.urlpatterns,
]
