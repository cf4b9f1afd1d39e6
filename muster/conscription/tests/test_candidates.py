"""The set-based candidate list against `rules.candidate_decision`, on SQLite and PostgreSQL
(whichever DATABASE_URL names), and the candidates page.

Every case of test_rules.DECISION_CASES becomes a man with records in the database; the list
must give him exactly the decision the pure rules give his facts.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from datetime import date, timedelta
from itertools import count

import pytest
from django.test import Client
from openpyxl import load_workbook

from muster.accounts.models import Role
from muster.accounts.tests.factories import World, build_world
from muster.conscription.models import (
    CallupCycle,
    GroundDecision,
    HealthExam,
    Registration,
    ServiceRecord,
)
from muster.conscription.queries.candidates import CandidateRow, candidate_rows, status_counts
from muster.conscription.rules.callup import (
    CandidateFacts,
    Decision,
    RuleSet,
    Status,
    candidate_decision,
    years_before,
)
from muster.conscription.rules.grounds import GROUNDS, DecisionKind
from muster.conscription.tests.test_rules import DECISION_CASES, R2025, REF, DecisionCase
from muster.core.text import fold
from muster.geo.models import AdminUnit
from muster.people.models import Person

DAY = timedelta(days=1)
_ids = count(1)


def person_make(commune: AdminUnit, birth_date: date, *, sex: str = "M", **kw: object) -> Person:
    name = f"Nguyễn Văn Thử {next(_ids)}"
    return Person.objects.create(
        personal_id=f"0990{next(_ids):08d}",
        full_name=name,
        search_key=fold(name),
        given_key=fold(name),
        sex=sex,
        birth_date=birth_date,
        residence_commune=commune,
        **kw,
    )


def records_make(person: Person, facts: CandidateFacts, reference: date) -> None:
    """The database records whose facts on `reference` are `facts`."""
    if facts.registered:
        Registration.objects.create(
            person=person,
            registered_on=min(reference, years_before(facts.birth_date, -17)),
            commune=person.residence_commune,
            education_level=facts.education_level or "",
        )
    if facts.exam_codes is not None:
        HealthExam.objects.create(
            person=person,
            examined_on=reference - 90 * DAY,
            health_class=int(facts.exam_codes[0].removeprefix("HC")),
            outcome_codes=";".join(facts.exam_codes),
            rules_version="2025-07",
        )
    for held in facts.held:
        GroundDecision.objects.create(
            person=person, kind=held.kind, ground_code=held.code, decided_on=held.decided_on
        )
    if facts.student_deferral_ever and not any(h.code == "DEF_STUDENT" for h in facts.held):
        # A study deferral that has lapsed: it still extends the age (MSL Art. 30).
        GroundDecision.objects.create(
            person=person,
            kind=DecisionKind.DEFERRAL,
            ground_code="DEF_STUDENT",
            decided_on=reference - 1000 * DAY,
            valid_until=reference - 200 * DAY,
        )
    if facts.service is not None:
        enlisted = reference - (100 if facts.service == "serving" else 1000) * DAY
        discharged = None if facts.service == "serving" else enlisted + 730 * DAY
        ServiceRecord.objects.create(
            person=person, unit_name="Sư đoàn 3", enlisted_on=enlisted, discharged_on=discharged
        )


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def _listed(commune: AdminUnit, reference: date, rules: RuleSet) -> dict[int, CandidateRow]:
    rows = candidate_rows(communes=[commune.pk], reference=reference, rules=rules)
    return {row.person_id: row for row in rows}


def test_the_list_gives_every_rules_case_the_same_decision(world: World) -> None:
    commune = world.communes[0]
    groups: dict[tuple[date, RuleSet], list[tuple[DecisionCase, Person]]] = defaultdict(list)
    for case in DECISION_CASES:
        person = person_make(commune, case.facts.birth_date)
        records_make(person, case.facts, case.reference)
        groups[(case.reference, case.rules)].append((case, person))
    for (reference, rules), cases in groups.items():
        listed = _listed(commune, reference, rules)
        for case, person in cases:
            expected = candidate_decision(case.facts, reference, rules)
            row = listed[person.pk]
            assert (row.status, row.reasons) == (expected.status, expected.reasons), case.name
            assert row.personal_id == person.personal_id
            assert row.birth_date == person.birth_date
            assert row.commune_code == commune.code


# Boundaries only the database side has: which records count on the reference date.
RECORD_CASES: list[tuple[str, str, list[tuple[str, object]], Decision]] = [
    ("deferral decided on the reference date holds", "Điều 41; issue #4",
     [("decision", ("DEF_SOLE_CARER", REF, None))], Decision(Status.DEFERRED, ("DEF_SOLE_CARER",))),
    ("deferral decided the day after does not", "issue #4",
     [("decision", ("DEF_SOLE_CARER", REF + DAY, None))], Decision(Status.ELIGIBLE, ("HC1",))),
    ("deferral valid until the reference date holds", "issue #4",
     [("decision", ("DEF_SOLE_CARER", REF - 300 * DAY, REF))], Decision(Status.DEFERRED, ("DEF_SOLE_CARER",))),
    ("deferral that ended the day before does not", "Điều 41 khoản 3",
     [("decision", ("DEF_SOLE_CARER", REF - 300 * DAY, REF - DAY))], Decision(Status.ELIGIBLE, ("HC1",))),
    ("the newest examination counts", "issue #4",
     [("exam", (REF - 400 * DAY, "HC4;DEF_HEALTH")), ("exam", (REF - 30 * DAY, "HC2"))],
     Decision(Status.ELIGIBLE, ("HC2",))),
    ("an examination after the reference date does not", "issue #4",
     [("exam", (REF - 400 * DAY, "HC2")), ("exam", (REF + DAY, "HC5;DEF_HEALTH"))],
     Decision(Status.ELIGIBLE, ("HC2",))),
    ("registration removed on the reference date", "Điều 19",
     [("registration", (REF - 900 * DAY, REF, "grade_12"))],
     Decision(Status.UNREGISTERED, ("REG_FIRST_AGE_MALE",))),
    ("registration removed after the reference date", "Điều 19",
     [("registration", (REF - 900 * DAY, REF + DAY, "grade_12"))], Decision(Status.ELIGIBLE, ("HC1",))),
    ("registration after the reference date", "Điều 12",
     [("registration", (REF + DAY, None, "grade_12"))],
     Decision(Status.UNREGISTERED, ("REG_FIRST_AGE_MALE",))),
    ("the newest registration's education counts", "Thông tư 148/2018 Điều 4 khoản 4",
     [("registration", (REF - 900 * DAY, None, "grade_12")),
      ("registration", (REF - 90 * DAY, None, "grade_6"))],
     Decision(Status.NOT_FIT, ("STD_EDU_DEFAULT",))),
    ("enlisted after the reference date", "Điều 22",
     [("service", (REF + DAY, None))], Decision(Status.ELIGIBLE, ("HC1",))),
    ("discharged on the reference date: served", "Điều 21",
     [("service", (REF - 730 * DAY, REF))], Decision(Status.ALREADY_SERVED, ("SERVED",))),
    ("discharged the day after: serving", "Điều 21",
     [("service", (REF - 730 * DAY, REF + DAY))], Decision(Status.ALREADY_SERVED, ("SERVING",))),
]  # fmt: skip


def _record(person: Person, kind: str, values: object) -> None:
    assert isinstance(values, tuple)
    if kind == "decision":
        code, decided_on, valid_until = values
        GroundDecision.objects.create(
            person=person,
            kind=GROUNDS[code].kind,
            ground_code=code,
            decided_on=decided_on,
            valid_until=valid_until,
        )
    elif kind == "exam":
        examined_on, codes = values
        HealthExam.objects.create(
            person=person,
            examined_on=examined_on,
            health_class=int(codes.split(";")[0].removeprefix("HC")),
            outcome_codes=codes,
            rules_version="2025-07",
        )
    elif kind == "registration":
        registered_on, removed_on, education = values
        Registration.objects.create(
            person=person,
            registered_on=registered_on,
            removed_on=removed_on,
            commune=person.residence_commune,
            education_level=education,
        )
    else:
        enlisted_on, discharged_on = values
        ServiceRecord.objects.create(
            person=person,
            unit_name="Lữ đoàn 1",
            enlisted_on=enlisted_on,
            discharged_on=discharged_on,
        )


@pytest.mark.parametrize("case", RECORD_CASES, ids=lambda c: c[0])
def test_which_records_count_on_the_reference_date(
    world: World, case: tuple[str, str, list[tuple[str, object]], Decision]
) -> None:
    _, _, records, expected = case
    person = person_make(world.communes[0], years_before(REF, 20))
    kinds = {kind for kind, _ in records}
    if "registration" not in kinds:
        _record(person, "registration", (REF - 900 * DAY, None, "grade_12"))
    if "exam" not in kinds:
        _record(person, "exam", (REF - 90 * DAY, "HC1"))
    for kind, values in records:
        _record(person, kind, values)
    (row,) = candidate_rows(communes=[world.communes[0].pk], reference=REF, rules=R2025)
    assert (row.status, row.reasons) == (expected.status, expected.reasons)


def test_only_living_men_of_the_communes_aged_17_to_27_are_listed(world: World) -> None:
    inside, other = world.communes[0], world.communes[1]
    listed = [
        person_make(inside, years_before(REF, 17)),  # 17th birthday on the day
        person_make(inside, years_before(REF, 28) + DAY),  # last day of 27
        person_make(other, years_before(REF, 20)),
    ]
    person_make(inside, years_before(REF, 17) + DAY)  # not yet 17
    person_make(inside, years_before(REF, 28))  # 28
    person_make(inside, years_before(REF, 20), sex="F")
    person_make(inside, years_before(REF, 20), life_status="dead", died_on=REF - DAY)
    person_make(world.communes[2], years_before(REF, 20))
    rows = list(candidate_rows(communes=[inside.pk, other.pk], reference=REF, rules=R2025))
    assert sorted(row.person_id for row in rows) == sorted(p.pk for p in listed)
    by_province = candidate_rows(communes=world.province, reference=REF, rules=R2025)
    assert len(list(by_province)) == 4
    counts = status_counts(rows)
    assert (counts[Status.OUT_OF_AGE], counts[Status.UNREGISTERED]) == (2, 1)


def test_ordered_by_commune_then_name(world: World) -> None:
    for commune in (world.communes[1], world.communes[0], world.communes[1]):
        person_make(commune, years_before(REF, 20))
    ids = [c.pk for c in world.communes]
    rows = list(candidate_rows(communes=ids, reference=REF, rules=R2025, ordered=True))
    keys = [(row.commune_code, fold(row.full_name), row.person_id) for row in rows]
    assert keys == sorted(keys)
    assert len(keys) == 3


def test_no_communes_no_rows(world: World) -> None:
    assert list(candidate_rows(communes=[], reference=REF, rules=R2025)) == []


# ── The page ───────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def page_world(world: World) -> World:
    CallupCycle.objects.create(
        year=2027, province=world.province, callup_date=REF, rules_version="2025-07"
    )
    eligible = person_make(world.communes[0], years_before(REF, 20))
    _record(eligible, "registration", (REF - 900 * DAY, None, "grade_12"))
    _record(eligible, "exam", (REF - 90 * DAY, "HC1"))
    person_make(world.communes[0], years_before(REF, 21))  # unregistered
    person_make(world.communes[2], years_before(REF, 22))  # outside the user's communes
    return world


def _client(world: World) -> Client:
    client = Client()
    client.force_login(world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0]))
    return client


def test_page_counts_statuses_and_explains_reasons(page_world: World) -> None:
    from muster.audit.models import ReadEvent

    code = page_world.communes[0].code
    client = _client(page_world)
    response = client.get(f"/callup/candidates/?commune={code}&year=2027")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="count-eligible"' in body
    assert "REG_FIRST_AGE_MALE" in body
    assert "Luật NVQS 2015, Điều 12 khoản 1; Điều 16" in body  # the citation as a title
    assert page_world.communes[2].code not in body
    # One read per man the page shows: the two of the user's commune, not the third.
    reads = ReadEvent.objects.filter(action="conscription.candidates.viewed")
    shown = Person.objects.filter(residence_commune=page_world.communes[0])
    assert sorted(reads.values_list("target_id", flat=True)) == sorted(str(p.pk) for p in shown)
    filtered = client.get(f"/callup/candidates/?commune={code}&year=2027&status=unregistered")
    assert "HC1" not in filtered.content.decode().split('id="candidates-table"')[1]
    assert reads.count() == 3  # the filtered page showed one man


def test_page_without_a_cycle_asks_for_a_reference_date(page_world: World) -> None:
    code = page_world.communes[0].code
    client = _client(page_world)
    response = client.get(f"/callup/candidates/?commune={code}&year=2030")
    assert response.status_code == 200
    assert 'id="candidates-table"' not in response.content.decode()
    given = client.get(f"/callup/candidates/?commune={code}&year=2030&reference_date=2030-02-20")
    assert 'id="candidates-table"' in given.content.decode()


def test_downloads_are_for_people(page_world: World) -> None:
    """The page's downloads (the CLI keeps the machine CSV): CSV for Excel with a BOM, words
    beside codes, dates dd/mm/yyyy; XLSX with real date cells; the status filter applies."""
    from muster.audit.models import ReadEvent

    code = page_world.communes[0].code
    client = _client(page_world)
    response = client.get(f"/callup/candidates/?commune={code}&year=2027&export=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Họ và tên,Số định danh cá nhân,Ngày sinh,Trạng thái,Mã trạng thái,Lý do"
    assert len(lines) == 3
    assert re.search(r",\d\d/\d\d/\d{4},", lines[1])
    workbook = client.get(
        f"/callup/candidates/?commune={code}&year=2027&status=unregistered&export=xlsx"
    )
    rows = list(load_workbook(io.BytesIO(workbook.content)).worksheets[0].iter_rows())
    assert [c.value for c in rows[0]][:3] == ["Họ và tên", "Số định danh cá nhân", "Ngày sinh"]
    assert {row[4].value for row in rows[1:]} == {"unregistered"}
    assert rows[1][2].number_format == "dd/mm/yyyy"
    # One read per man handed out: the two of the CSV, the one of the filtered XLSX.
    reads = ReadEvent.objects.filter(action="conscription.candidates.viewed")
    assert sorted(reads.values_list("channel", flat=True)) == ["csv", "csv", "xlsx"]


def test_commune_outside_the_scope_is_404(page_world: World) -> None:
    code = page_world.communes[2].code
    client = _client(page_world)
    assert client.get(f"/callup/candidates/?commune={code}&year=2027").status_code == 404
    export = f"/callup/candidates/?commune={code}&year=2027&export=xlsx"
    assert client.get(export).status_code == 404
