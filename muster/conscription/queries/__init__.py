"""Military-service reads: `person` (one person's service summary for the person page),
`cycle` (scoped cycle, quota and order reads), `candidates` (the candidate list: one SQL query
for the facts, `rules.candidate_decision` decides). The names other apps and tests use are
re-exported here."""

from __future__ import annotations

from muster.conscription.queries.candidates import (
    CSV_COLUMNS,
    PG_SETTINGS,
    CandidateRow,
    candidate_rows,
    reference_and_rules,
    status_counts,
)
from muster.conscription.queries.cycle import (
    Progress,
    access_batch,
    access_commune,
    access_cycle,
    access_order,
    active_orders,
    cycle_list,
    eligible_by_commune,
    progress_by_commune,
    province_communes,
    quota_rows,
    scope_covers_province,
)
from muster.conscription.queries.person import (
    access_decision,
    access_evidence,
    access_health_exam,
    access_service_person,
    evidence_content,
    person_service_summary,
)

__all__ = [
    "CSV_COLUMNS",
    "PG_SETTINGS",
    "CandidateRow",
    "Progress",
    "access_batch",
    "access_commune",
    "access_cycle",
    "access_decision",
    "access_evidence",
    "access_health_exam",
    "access_order",
    "access_service_person",
    "active_orders",
    "candidate_rows",
    "cycle_list",
    "eligible_by_commune",
    "evidence_content",
    "person_service_summary",
    "progress_by_commune",
    "province_communes",
    "quota_rows",
    "reference_and_rules",
    "scope_covers_province",
    "status_counts",
]
