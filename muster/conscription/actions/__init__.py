"""Military-service writes, each keyword-only with `acting_user`, atomic and audited:
`records` (registration, examination, ground decisions, evidence), `cycle` (cycle, target,
quotas, overrides), `orders` (batches, approval, delivery, handover), `service` (enlist,
discharge into the reserve, closing on death). The names other apps and tests use are re-exported
here."""

from __future__ import annotations

from muster.conscription.actions.cycle import (
    cycle_create,
    cycle_target_set,
    quota_override,
    quota_override_clear,
    quotas_propose,
)
from muster.conscription.actions.orders import (
    handover_record,
    order_batch_approve,
    order_batch_create,
    order_serve,
)
from muster.conscription.actions.records import (
    ExamInput,
    evidence_attach,
    exam_details,
    exam_errors,
    exam_outcome_of,
    family_error,
    family_holder,
    ground_decision_record,
    ground_decision_revoke,
    health_exam_details,
    health_exam_record,
    registration_errors,
    registration_record,
    registration_remove,
)
from muster.conscription.actions.service import (
    service_close_for_death,
    service_discharge,
    service_enlist,
)

__all__ = [
    "ExamInput",
    "cycle_create",
    "cycle_target_set",
    "evidence_attach",
    "exam_details",
    "exam_errors",
    "exam_outcome_of",
    "family_error",
    "family_holder",
    "ground_decision_record",
    "ground_decision_revoke",
    "handover_record",
    "health_exam_details",
    "health_exam_record",
    "order_batch_approve",
    "order_batch_create",
    "order_serve",
    "quota_override",
    "quota_override_clear",
    "quotas_propose",
    "registration_errors",
    "registration_record",
    "registration_remove",
    "service_close_for_death",
    "service_discharge",
    "service_enlist",
]
