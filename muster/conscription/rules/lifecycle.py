"""A person's military-service status on a day, derived from the records and never typed by
hand (issue #4 "Status lifecycle per person"). Pure: no ORM, no I/O.

Precedence, first that applies: deceased → removed from the register (MSL Art. 19) → serving
(Art. 21–22) → discharged / in the reserve (Art. 24, 43) → call-up order issued (Art. 34(6)) →
completed service recognised (Art. 4(4)) → exempt (Art. 41(2), Art. 14) → deferred (Art.
41(1), Art. 13) → examined (Art. 40) → registered (Art. 12, 16) → due for registration (men
from the year they turn 17 up to the end of age 45: Art. 12(1), 16(1), 25) → not yet due
(younger) or over age; a woman who never registered is not required to (Art. 12(2)).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from muster.conscription.rules.grounds import DecisionKind
from muster.conscription.rules.reasons import REASONS


class ServiceStatus:
    NOT_YET_DUE = "not_yet_due"
    DUE_REGISTRATION = "due_registration"
    NOT_REQUIRED = "not_required"
    OVER_AGE = "over_age"
    REGISTERED = "registered"
    EXAMINED = "examined"
    DEFERRED = "deferred"
    EXEMPT = "exempt"
    COMPLETED = "completed"
    ORDERED = "ordered"
    SERVING = "serving"
    DISCHARGED_RESERVE = "discharged_reserve"
    REMOVED = "removed"
    DECEASED = "deceased"


STATUS_LABELS: dict[str, Promise] = {
    ServiceStatus.NOT_YET_DUE: _("Not yet due for registration"),
    ServiceStatus.DUE_REGISTRATION: _("Due for registration"),
    ServiceStatus.NOT_REQUIRED: _("Not required to register"),
    ServiceStatus.OVER_AGE: _("Past the register's age"),
    ServiceStatus.REGISTERED: _("Registered"),
    ServiceStatus.EXAMINED: _("Health examined"),
    ServiceStatus.DEFERRED: _("Call-up deferred"),
    ServiceStatus.EXEMPT: _("Exempt from call-up"),
    ServiceStatus.COMPLETED: _("Recognised as having completed service"),
    ServiceStatus.ORDERED: _("Call-up order issued"),
    ServiceStatus.SERVING: _("Serving on active duty"),
    ServiceStatus.DISCHARGED_RESERVE: _("Discharged, in the reserve"),
    ServiceStatus.REMOVED: _("Removed from the register"),
    ServiceStatus.DECEASED: _("Deceased"),
}


@dataclass(frozen=True)
class OwnReason:
    text: Promise
    citation: str


# Reason codes of the lifecycle itself; exam and ground codes are explained in reasons.REASONS.
LIFECYCLE_REASONS: dict[str, OwnReason] = {
    "DIED": OwnReason(_("Died: removed from the register"), "Luật NVQS 2015, Điều 19"),
    "REG_REMOVED": OwnReason(_("Removed from the register by decision"), "Luật NVQS 2015, Điều 19"),
    "REG_NOT_YET_17": OwnReason(
        _("Registers in the year he turns 17"), "Luật NVQS 2015, Điều 12 khoản 1; Điều 16"
    ),
    "REG_FEMALE_OPTIONAL": OwnReason(
        _("Women register only with a profession on the Government's list"),
        "Luật NVQS 2015, Điều 12 khoản 2; Nghị định 14/2016/NĐ-CP Điều 3",
    ),
    "REG_OVER_AGE": OwnReason(
        _("Past the register's age (end of 45 for men, 40 for women)"), "Luật NVQS 2015, Điều 25"
    ),
    "REGISTERED": OwnReason(_("Registered for military service"), "Luật NVQS 2015, Điều 12, 16"),
    "ORDER_ISSUED": OwnReason(_("A call-up order was issued"), "Luật NVQS 2015, Điều 34 khoản 6"),
    "ORDER_FAILED": OwnReason(
        _("Did not report as the call-up order required"), "Luật NVQS 2015, Điều 34"
    ),
    "IN_RESERVE": OwnReason(_("In the reserve force"), "Luật NVQS 2015, Điều 24"),
}


def reason_text(code: str) -> tuple[str, str]:
    """(text in the active language, citation) of any code a status can carry."""
    own = LIFECYCLE_REASONS.get(code)
    if own is not None:
        return str(own.text), own.citation
    reason = REASONS.get(code)
    if reason is not None:
        return reason.text(get_language() or "vi"), reason.citation
    return code, ""


@dataclass(frozen=True)
class RegistrationFact:
    registered_on: date
    removed_on: date | None = None


@dataclass(frozen=True)
class ExamFact:
    examined_on: date
    outcome_codes: tuple[str, ...]


@dataclass(frozen=True)
class DecisionFact:
    kind: str
    code: str
    decided_on: date
    valid_until: date | None = None

    def holds_on(self, day: date) -> bool:
        """Decided on or before `day` and valid until on or after it (issue #4)."""
        return self.decided_on <= day and (self.valid_until is None or self.valid_until >= day)


@dataclass(frozen=True)
class OrderFact:
    issued_on: date
    failed_to_report: bool = False
    postponed: bool = False


@dataclass(frozen=True)
class ServiceFact:
    enlisted_on: date
    discharged_on: date | None = None
    died: bool = False


@dataclass(frozen=True)
class PeriodFact:
    valid_from: date | None
    valid_to: date | None = None

    def holds_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class ServiceFacts:
    sex: str
    birth_date: date
    died_on: date | None = None
    dead: bool = False
    registrations: tuple[RegistrationFact, ...] = ()
    exams: tuple[ExamFact, ...] = ()
    decisions: tuple[DecisionFact, ...] = ()
    orders: tuple[OrderFact, ...] = ()
    service: tuple[ServiceFact, ...] = ()
    reserve: tuple[PeriodFact, ...] = field(default_factory=tuple)


REGISTER_LAST_AGE = {"M": 45, "F": 40}  # MSL Art. 25


def _age(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def service_status(facts: ServiceFacts, day: date) -> tuple[str, tuple[str, ...]]:
    """(status, reason codes) of a person on `day`; see the module docstring for precedence."""
    if facts.dead and (facts.died_on is None or facts.died_on <= day):
        return ServiceStatus.DECEASED, ("DIED",)
    registrations = sorted(
        (r for r in facts.registrations if r.registered_on <= day), key=lambda r: r.registered_on
    )
    latest = registrations[-1] if registrations else None
    if latest is not None and latest.removed_on is not None and latest.removed_on <= day:
        return ServiceStatus.REMOVED, ("REG_REMOVED",)
    started = [s for s in facts.service if s.enlisted_on <= day]
    if any(s.discharged_on is None or day < s.discharged_on for s in started):
        return ServiceStatus.SERVING, ("SERVING",)
    in_reserve = any(p.holds_on(day) for p in facts.reserve)
    if in_reserve or any(not s.died for s in started):
        return ServiceStatus.DISCHARGED_RESERVE, (("SERVED",) if started else ()) + (
            ("IN_RESERVE",) if in_reserve else ()
        )
    orders = [o for o in facts.orders if o.issued_on <= day and not o.postponed]
    if orders:
        failed = ("ORDER_FAILED",) if any(o.failed_to_report for o in orders) else ()
        return ServiceStatus.ORDERED, ("ORDER_ISSUED", *failed)
    held: dict[str, list[str]] = {kind: [] for kind in DecisionKind.ALL}
    for decision in facts.decisions:
        if decision.holds_on(day) and decision.kind in held:
            held[decision.kind].append(decision.code)
    for kind, status in (
        (DecisionKind.COMPLETION, ServiceStatus.COMPLETED),
        (DecisionKind.EXEMPTION, ServiceStatus.EXEMPT),
        (DecisionKind.DEFERRAL, ServiceStatus.DEFERRED),
    ):
        if held[kind]:
            return status, tuple(sorted(set(held[kind])))
    exams = sorted((e for e in facts.exams if e.examined_on <= day), key=lambda e: e.examined_on)
    if exams:
        return ServiceStatus.EXAMINED, exams[-1].outcome_codes  # the newest counts (issue #4)
    if latest is not None:
        return ServiceStatus.REGISTERED, ("REGISTERED",)
    age = _age(facts.birth_date, day)
    if age > REGISTER_LAST_AGE.get(facts.sex, 45):
        return ServiceStatus.OVER_AGE, ("REG_OVER_AGE",)
    if facts.sex != "M":
        return ServiceStatus.NOT_REQUIRED, ("REG_FEMALE_OPTIONAL",)
    if day.year < facts.birth_date.year + 17:
        return ServiceStatus.NOT_YET_DUE, ("REG_NOT_YET_17",)
    return ServiceStatus.DUE_REGISTRATION, ("REG_FIRST_AGE_MALE",)
