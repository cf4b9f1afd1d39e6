"""Military-service rules as pure functions citing their legal basis: `callup` (versioned rule
sets, age windows, examination outcome, the candidate decision, quota allocation), `grounds`
(the coded table of deferral, exemption, registration-bar and completion grounds), `reasons`
(every reason code in Vietnamese and English with its citation), `lifecycle` (a person's service
status derived from records). The names other apps and tests use are re-exported here."""

from __future__ import annotations

from muster.conscription.rules.callup import (
    EDUCATION_LEVELS,
    NOT_FIT_CODES,
    RULESETS,
    CandidateFacts,
    Decision,
    ExamFacts,
    HeldDecision,
    QuotaError,
    RuleSet,
    Status,
    age_on,
    allocate_quotas,
    candidate_decision,
    exam_outcome,
    ground_problem,
    ruleset_get,
    ruleset_on,
    years_before,
)
from muster.conscription.rules.grounds import (
    CALLUP_GROUND_CODES,
    GROUNDS,
    DecisionKind,
    Ground,
)
from muster.conscription.rules.lifecycle import (
    LIFECYCLE_REASONS,
    STATUS_LABELS,
    DecisionFact,
    ExamFact,
    OrderFact,
    PeriodFact,
    RegistrationFact,
    ServiceFact,
    ServiceFacts,
    ServiceStatus,
    reason_text,
    service_status,
)
from muster.conscription.rules.reasons import (
    REASONS,
)

__all__ = [
    "CALLUP_GROUND_CODES",
    "EDUCATION_LEVELS",
    "GROUNDS",
    "LIFECYCLE_REASONS",
    "NOT_FIT_CODES",
    "REASONS",
    "RULESETS",
    "STATUS_LABELS",
    "CandidateFacts",
    "Decision",
    "DecisionFact",
    "DecisionKind",
    "ExamFact",
    "ExamFacts",
    "Ground",
    "HeldDecision",
    "OrderFact",
    "PeriodFact",
    "QuotaError",
    "RegistrationFact",
    "RuleSet",
    "ServiceFact",
    "ServiceFacts",
    "ServiceStatus",
    "Status",
    "age_on",
    "allocate_quotas",
    "candidate_decision",
    "exam_outcome",
    "ground_problem",
    "reason_text",
    "ruleset_get",
    "ruleset_on",
    "service_status",
    "years_before",
]
