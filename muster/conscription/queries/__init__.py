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
    batch_orders,
    commune_batches,
    commune_quota,
    cycle_list,
    eligible_by_commune,
    eligible_choices,
    handover_orders,
    order_verified,
    progress_by_commune,
    province_communes,
    province_current,
    provinces_to_open,
    quota_rows,
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
    "batch_orders",
    "candidate_rows",
    "commune_batches",
    "commune_quota",
    "cycle_list",
    "eligible_by_commune",
    "eligible_choices",
    "evidence_content",
    "handover_orders",
    "order_verified",
    "person_service_summary",
    "progress_by_commune",
    "province_communes",
    "province_current",
    "provinces_to_open",
    "quota_rows",
    "reference_and_rules",
    "status_counts",
]
