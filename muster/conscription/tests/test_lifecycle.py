"""The derived service status: one table of cases, first matching rule wins (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

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

DAY = date(2026, 3, 1)
MAN = ServiceFacts(sex="M", birth_date=date(2006, 5, 1))
REG = (RegistrationFact(date(2023, 4, 10)),)
EXAM = (ExamFact(date(2025, 11, 20), ("HC2",)),)

CASES = [
    ("boy of 16 this year", replace(MAN, birth_date=date(2010, 1, 1)), ServiceStatus.NOT_YET_DUE, ("REG_NOT_YET_17",)),
    ("turns 17 this year", replace(MAN, birth_date=date(2009, 12, 31)), ServiceStatus.DUE_REGISTRATION, ("REG_FIRST_AGE_MALE",)),
    ("man never registered", MAN, ServiceStatus.DUE_REGISTRATION, ("REG_FIRST_AGE_MALE",)),
    ("man past 45", replace(MAN, birth_date=date(1970, 1, 1)), ServiceStatus.OVER_AGE, ("REG_OVER_AGE",)),
    ("woman not registered", replace(MAN, sex="F"), ServiceStatus.NOT_REQUIRED, ("REG_FEMALE_OPTIONAL",)),
    ("registered", replace(MAN, registrations=REG), ServiceStatus.REGISTERED, ("REGISTERED",)),
    ("registration after the day", replace(MAN, registrations=(RegistrationFact(date(2026, 4, 1)),)), ServiceStatus.DUE_REGISTRATION, ("REG_FIRST_AGE_MALE",)),
    ("examined: the newest counts", replace(MAN, registrations=REG, exams=(ExamFact(date(2024, 11, 2), ("HC4", "DEF_HEALTH")), *EXAM)), ServiceStatus.EXAMINED, ("HC2",)),
    ("deferred", replace(MAN, registrations=REG, exams=EXAM, decisions=(DecisionFact("deferral", "DEF_STUDENT", date(2025, 9, 1), date(2026, 6, 30)),)), ServiceStatus.DEFERRED, ("DEF_STUDENT",)),
    ("deferral valid until the day holds", replace(MAN, registrations=REG, decisions=(DecisionFact("deferral", "DEF_STUDENT", date(2025, 9, 1), DAY),)), ServiceStatus.DEFERRED, ("DEF_STUDENT",)),
    ("deferral ended the day before", replace(MAN, registrations=REG, decisions=(DecisionFact("deferral", "DEF_STUDENT", date(2025, 9, 1), date(2026, 2, 28)),)), ServiceStatus.REGISTERED, ("REGISTERED",)),
    ("deferral decided after the day", replace(MAN, registrations=REG, decisions=(DecisionFact("deferral", "DEF_STUDENT", date(2026, 3, 2)),)), ServiceStatus.REGISTERED, ("REGISTERED",)),
    ("exempt beats deferred", replace(MAN, registrations=REG, decisions=(DecisionFact("deferral", "DEF_STUDENT", date(2025, 9, 1)), DecisionFact("exemption", "EX_MARTYR_CHILD", date(2025, 9, 1)))), ServiceStatus.EXEMPT, ("EX_MARTYR_CHILD",)),
    ("completion recognised", replace(MAN, registrations=REG, decisions=(DecisionFact("completion", "DONE_COMMUNE_POLICE_36M", date(2025, 9, 1)),)), ServiceStatus.COMPLETED, ("DONE_COMMUNE_POLICE_36M",)),
    ("order issued", replace(MAN, registrations=REG, exams=EXAM, orders=(OrderFact(date(2026, 1, 20)),)), ServiceStatus.ORDERED, ("ORDER_ISSUED",)),
    ("order postponed", replace(MAN, registrations=REG, exams=EXAM, orders=(OrderFact(date(2026, 1, 20), postponed=True),)), ServiceStatus.EXAMINED, ("HC2",)),
    ("failed to report", replace(MAN, registrations=REG, orders=(OrderFact(date(2026, 1, 20), failed_to_report=True),)), ServiceStatus.ORDERED, ("ORDER_ISSUED", "ORDER_FAILED")),
    ("serving", replace(MAN, registrations=REG, orders=(OrderFact(date(2026, 1, 20)),), service=(ServiceFact(date(2026, 2, 25)),)), ServiceStatus.SERVING, ("SERVING",)),
    ("discharged into the reserve", replace(MAN, registrations=REG, service=(ServiceFact(date(2023, 2, 25), date(2025, 2, 25)),), reserve=(PeriodFact(date(2025, 2, 25)),)), ServiceStatus.DISCHARGED_RESERVE, ("SERVED", "IN_RESERVE")),
    ("in the reserve without service", replace(MAN, registrations=REG, reserve=(PeriodFact(date(2025, 2, 25)),)), ServiceStatus.DISCHARGED_RESERVE, ("IN_RESERVE",)),
    ("removed from the register", replace(MAN, registrations=(RegistrationFact(date(2023, 4, 10), date(2025, 1, 5)),)), ServiceStatus.REMOVED, ("REG_REMOVED",)),
    ("re-registered after removal", replace(MAN, registrations=(RegistrationFact(date(2023, 4, 10), date(2025, 1, 5)), RegistrationFact(date(2025, 3, 1)))), ServiceStatus.REGISTERED, ("REGISTERED",)),
    ("deceased beats everything", replace(MAN, dead=True, died_on=date(2026, 1, 1), registrations=REG, service=(ServiceFact(date(2025, 2, 25)),)), ServiceStatus.DECEASED, ("DIED",)),
    ("dies after the day", replace(MAN, dead=True, died_on=date(2026, 5, 1), registrations=REG), ServiceStatus.REGISTERED, ("REGISTERED",)),
]  # fmt: skip


@pytest.mark.parametrize(("name", "facts", "status", "reasons"), CASES, ids=[c[0] for c in CASES])
def test_service_status(name, facts, status, reasons):
    assert service_status(facts, DAY) == (status, reasons)


def test_every_status_and_reason_is_explained():
    for _name, _facts, status, reasons in CASES:
        assert status in STATUS_LABELS
        for code in reasons:
            text, citation = reason_text(code)
            assert text != code, code
            assert citation, code
    assert {code for code in LIFECYCLE_REASONS if LIFECYCLE_REASONS[code].citation}
