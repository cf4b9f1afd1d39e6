import pytest

from muster.linkage import rules
from muster.linkage.rules import Assignment, Candidate, Decision, Thresholds


@pytest.mark.parametrize(
    ("name", "surname", "middle", "given"),
    [
        ("Nguyễn Văn Đức", "nguyen", "van", "duc"),
        ("Nguyễn Thị Thu Hà", "nguyen", "thi thu", "ha"),
        ("Lê An", "le", None, "an"),
        ("Páo", None, None, "pao"),
    ],
)
def test_name_parts(name, surname, middle, given):
    parts = rules.name_parts(name)
    assert (parts.surname, parts.middle, parts.given) == (surname, middle, given)


def test_same_folded_name_ignores_marks_and_order():
    assert rules.same_folded_name("Nguyen Minh Van", "Nguyễn Văn Minh")
    assert not rules.same_folded_name("Nguyễn Văn Minh", "Nguyễn Văn Mạnh")


@pytest.mark.parametrize(
    ("probability", "decision"),
    [
        (0.99, Decision.LINKED),
        (0.95, Decision.LINKED),
        (0.94, Decision.REVIEW),
        (0.6, Decision.REVIEW),
        (0.59, Decision.UNMATCHED),
        (0.0, Decision.UNMATCHED),
    ],
)
def test_decision_for_default_thresholds(probability, decision):
    assert rules.decision_for(probability, Thresholds()) is decision


def test_thresholds_must_be_ordered():
    with pytest.raises(ValueError, match="thresholds"):
        Thresholds(link=0.5, review=0.8)


def test_one_person_is_not_linked_twice_in_a_batch():
    out = rules.assign(
        [Candidate("L1", "P1", 0.99), Candidate("L2", "P1", 0.98), Candidate("L3", "P2", 0.97)],
        runner_up={},
        thresholds=Thresholds(),
    )
    assert [a.decision for a in out] == [Decision.REVIEW, Decision.REVIEW, Decision.LINKED]


def test_decisively_stronger_claim_on_a_person_keeps_its_link():
    out = rules.assign(
        [Candidate("L1", "P1", 0.999), Candidate("L2", "P1", 0.96), Candidate("L3", "P1", 0.5)],
        runner_up={},
        thresholds=Thresholds(),
    )
    # odds 999 against 24: L1 keeps P1; the weaker claims go to review, never a second link
    assert [a.decision for a in out] == [Decision.LINKED, Decision.REVIEW, Decision.REVIEW]
    even = rules.assign(
        [Candidate("L1", "P1", 0.99), Candidate("L2", "P1", 0.99)],
        runner_up={},
        thresholds=Thresholds(),
    )
    assert [a.decision for a in even] == [Decision.REVIEW, Decision.REVIEW]


def test_ambiguous_runner_up_goes_to_review_and_taken_person_too():
    out = rules.assign(
        [Candidate("L1", "P1", 0.99), Candidate("L2", "P9", 0.99)],
        runner_up={"L1": 0.97},
        thresholds=Thresholds(),
        taken={"P9": "L0"},
    )
    assert [a.decision for a in out] == [Decision.REVIEW, Decision.REVIEW]


def test_unmatched_names_no_person():
    (a,) = rules.assign([Candidate("L1", "P1", 0.05)], runner_up={}, thresholds=Thresholds())
    assert a == Assignment("L1", "", 0.05, Decision.UNMATCHED)


def test_decisive_margin_links_and_close_runner_up_does_not():
    out = rules.assign(
        [
            Candidate("L1", "P1", 0.7),  # no other candidate: linked
            Candidate("L2", "P2", 0.7),  # runner-up 0.5: odds 2.3 vs 1, review
            Candidate("L3", "P3", 0.3),  # odds 0.43 vs 0.01: linked
            Candidate("L4", "P4", 0.3),  # runner-up 0.1: odds ratio 3.9, unmatched
            Candidate("L5", "P5", 0.09),  # below margin_from: unmatched
        ],
        runner_up={"L2": 0.5, "L3": 0.01, "L4": 0.1},
        thresholds=Thresholds(),
    )
    assert [a.decision for a in out] == [
        Decision.LINKED,
        Decision.REVIEW,
        Decision.LINKED,
        Decision.UNMATCHED,
        Decision.UNMATCHED,
    ]
    assert rules.decisive(0.1, 0.0, Thresholds())  # margin_from itself, no rival
    off = rules.assign(
        [Candidate("L1", "P1", 0.7)], runner_up={}, thresholds=Thresholds(margin=None)
    )
    assert off[0].decision is Decision.REVIEW
    with pytest.raises(ValueError, match="margin"):
        Thresholds(margin=1.0)


def test_scores():
    s = rules.scores({"a": "1", "b": "9"}, {"a": "1", "b": "2", "c": "3"})
    assert (s.precision, round(s.recall, 3)) == (0.5, 0.333)
