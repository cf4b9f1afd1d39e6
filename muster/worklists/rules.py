"""Pure decisions about work items: who is due for first registration, what each kind of work
is and by when it is due. No ORM, no I/O. Keys refer to docs/domain-rules §0.1.

Legal basis: Law on Military Service 2015 (MSL, No. 78/2015/QH13) as amended by Law
98/2025/QH15 (L98) Art. 4.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MALE = "M"
FEMALE = "F"
ALIVE = "alive"

# REG_FIRST_AGE_MALE: men register when they reach 17 (MSL Art. 12(1)).
FIRST_REGISTRATION_AGE_MALE = 17
# REG_FEMALE: women from 18, only with a profession on the Government's list (MSL Art. 12(2)).
FIRST_REGISTRATION_AGE_FEMALE = 18
# REG_FIRST_LIST_MONTH: the list of men turning 17 that year, and of men of service age who
# never registered, is reported in January.
FIRST_REGISTRATION_LIST_MONTH = 1
# Service age for the never-registered on that list: to the end of age 45 (the men's register
# age, MSL Art. 25), from 18.
FIRST_REGISTRATION_LAST_AGE_MALE = 45
# REG_CHANGE_RESIDENCE_DAYS: deregister / register within 10 working days of a move.
TRANSFER_WORKING_DAYS = 10
# REG_REMOVE_REPORT_DAYS: removal from the register (e.g. a death) is reported within 5 days.
REMOVAL_REPORT_DAYS = 5
# RESERVE_AGE_LIMIT: men stay on the register to the end of age 45, women to the end of 40.
REGISTER_LAST_AGE = {MALE: 45, FEMALE: 40}


class Kind:
    """Work item kinds (the values stored in WorkItem.kind)."""

    DUE_FIRST_REGISTRATION = "due_first_registration"
    TRANSFER_IN = "transfer_in"
    TRANSFER_OUT = "transfer_out"
    DECEASED = "deceased"
    REGISTER_CORRECTION = "register_correction"
    DEFERRAL_ENDED = "deferral_ended"
    RESERVE_REPORT = "reserve_report"
    RESERVE_REMOVAL = "reserve_removal"
    # The militia and self-defence force's work (DQTV), opened by the apps' item sources
    # (`hooks.register_item_source`) and closed when their records no longer call for it.
    MILITIA_TERM_ENDING = "militia_term_ending"
    MILITIA_AGE_LIMIT = "militia_age_limit"
    MILITIA_BELOW_TARGET = "militia_below_target"
    MILITIA_TRAINING_SHORT = "militia_training_short"
    MILITIA_ABSENCE = "militia_absence"
    MILITIA_REGISTRATION = "militia_registration"
    STANDING_DEFERRAL_PROPOSED = "standing_deferral_proposed"
    STANDING_COMPLETION_PROPOSED = "standing_completion_proposed"
    STANDING_DEFERRAL_MISMATCH = "standing_deferral_mismatch"
    CERTIFICATE_EXPIRING = "certificate_expiring"
    POSITION_VACANT = "position_vacant"

    ALL = (
        DUE_FIRST_REGISTRATION,
        TRANSFER_IN,
        TRANSFER_OUT,
        DECEASED,
        REGISTER_CORRECTION,
        DEFERRAL_ENDED,
        RESERVE_REPORT,
        RESERVE_REMOVAL,
        MILITIA_TERM_ENDING,
        MILITIA_AGE_LIMIT,
        MILITIA_BELOW_TARGET,
        MILITIA_TRAINING_SHORT,
        MILITIA_ABSENCE,
        MILITIA_REGISTRATION,
        STANDING_DEFERRAL_PROPOSED,
        STANDING_COMPLETION_PROPOSED,
        STANDING_DEFERRAL_MISMATCH,
        CERTIFICATE_EXPIRING,
        POSITION_VACANT,
    )
    # Items about a unit (a command below its target), not a person.
    UNIT_KINDS = (MILITIA_BELOW_TARGET, POSITION_VACANT)


@dataclass(frozen=True)
class WorkReason:
    """What the work is, in the reader's language, and the article that requires it."""

    text: Promise
    basis: Promise  # the article, in the reader's language


REASONS: dict[str, WorkReason] = {
    Kind.DUE_FIRST_REGISTRATION: WorkReason(
        _(
            "Turns 17 this year, or is of service age (18–45) and has never registered: put "
            "him on the January list and call him to first military-service registration."
        ),
        _("MSL Art. 12(1); Art. 16(1)-(3) as amended by L98 Art. 4(5)"),
    ),
    Kind.TRANSFER_OUT: WorkReason(
        _(
            "A registered person moved away: deregister him here and pass the records to the "
            "new commune."
        ),
        _("MSL Art. 17(2)(a)"),
    ),
    Kind.TRANSFER_IN: WorkReason(
        _(
            "A registered person moved here: register him and take over the records from the "
            "old commune."
        ),
        _("MSL Art. 17(2)(a)"),
    ),
    Kind.DECEASED: WorkReason(
        _(
            "A person on a military register died: close his service, militia and reserve "
            "records and report the removal from the register to the commune chairman."
        ),
        _("MSL Art. 19 as amended by L98 Art. 4(7)"),
    ),
    Kind.REGISTER_CORRECTION: WorkReason(
        _(
            "The population register corrected the name, sex or birth date: check the "
            "military-service record and the first-registration list."
        ),
        _("MSL Art. 12, Art. 16(1) as amended by L98 Art. 4(5); Decree 13/2016 Art. 6(2)(a)"),
    ),
    Kind.DEFERRAL_ENDED: WorkReason(
        _(
            "A deferral of call-up has ended: the deferral lapses as soon as its ground ends, "
            "so check whether the ground still holds and put him back among the men who can "
            "be called up."
        ),
        _("MSL Art. 41(3)"),
    ),
    Kind.RESERVE_REPORT: WorkReason(
        _(
            "A discharged soldier must report for reserve registration within 15 working days "
            "of returning home: register him and record the day he reported."
        ),
        _("MSL Art. 45"),
    ),
    Kind.RESERVE_REMOVAL: WorkReason(
        _(
            "A reservist is past the age limit or was found unfit: propose his removal from "
            "the reserve to the commune chairman and record the decision."
        ),
        _("MSL Art. 25; MSL Art. 19 as amended by L98 Art. 4(7)"),
    ),
    Kind.MILITIA_TERM_ENDING: WorkReason(
        _(
            "A militia or self-defence member's term ends within 90 days: prepare the "
            "completion decision, or an extension where the law allows one."
        ),
        _("DQTV Art. 8(2), Art. 13"),
    ),
    Kind.MILITIA_AGE_LIMIT: WorkReason(
        _(
            "A member reaches the militia age limit within 90 days (the end of age 45 for men, "
            "40 for women; volunteers 50 and 45): close the membership on that day."
        ),
        _("DQTV Art. 8(1)"),
    ),
    Kind.MILITIA_BELOW_TARGET: WorkReason(
        _(
            "A command's militia or self-defence force has fewer members than its target: "
            "select new members."
        ),
        _("DQTV Art. 10, Art. 15"),
    ),
    Kind.MILITIA_TRAINING_SHORT: WorkReason(
        _(
            "A member has attended fewer training days this year than the law asks, counting "
            "the sessions still planned: schedule make-up training."
        ),
        _("DQTV Art. 28(1)"),
    ),
    Kind.MILITIA_ABSENCE: WorkReason(
        _(
            "A member reported an absence of 3 months or more: arrange the duties he or she "
            "leaves, and check the return."
        ),
        _("DQTV Art. 9(2)(b)"),
    ),
    Kind.MILITIA_REGISTRATION: WorkReason(
        _(
            "Turns 18 this year and is registered for military service: register him or her "
            "for militia duty in April."
        ),
        _("DQTV Art. 9(1)(a)"),
    ),
    Kind.STANDING_DEFERRAL_PROPOSED: WorkReason(
        _(
            "Serves in the standing militia: propose the deferral of call-up to the "
            "provincial chairman and record the decision."
        ),
        _("MSL Art. 41(1)(h), Art. 42(1) as amended by L98 Art. 4(17)"),
    ),
    Kind.STANDING_COMPLETION_PROPOSED: WorkReason(
        _(
            "Has served 24 months in the standing militia: propose to the provincial military "
            "commander that active service be recognised as completed, and record the "
            "decision."
        ),
        _("MSL Art. 4(4)(a), Art. 42(2) as amended"),
    ),
    Kind.STANDING_DEFERRAL_MISMATCH: WorkReason(
        _(
            "A deferral of call-up for the standing militia is in force but the person is not "
            "on a standing-militia roster: correct the roster or end the deferral."
        ),
        _("MSL Art. 41(1)(h), Art. 41(3)"),
    ),
    Kind.CERTIFICATE_EXPIRING: WorkReason(
        _(
            "A cadre's training certificate expires within 90 days or has expired: enrol "
            "him in the refresher course before the position is left without the standard."
        ),
        _("DQTV Art. 26 as amended by L98 Art. 10(13)"),
    ),
    Kind.POSITION_VACANT: WorkReason(
        _(
            "A position of the commune military command is vacant: propose a holder to the "
            "province; the item closes when someone is appointed."
        ),
        _("DQTV Art. 20(1) as amended; Decree 72/2020 Art. 4"),
    ),
}

# How far ahead the militia's term and age items open (the work needs a decision in time).
MILITIA_NOTICE_DAYS = 90


def reason(kind: str) -> WorkReason:
    """What a work item of `kind` asks staff to do, and its legal basis."""
    return REASONS[kind]


def first_registration_birth_window(year: int) -> tuple[date, date]:
    """Birth dates of men who reach 17 in `year`: 1 Jan to 31 Dec of `year` − 17.

    REG_FIRST_AGE_MALE (MSL Art. 12(1)) with REG_FIRST_LIST_MONTH (MSL Art. 16(1) as amended by
    L98 Art. 4(5)): in January the commune lists the men who turn 17 *that year*, so the whole
    birth year is due at once, not each man on his birthday.
    """
    born = year - FIRST_REGISTRATION_AGE_MALE
    return date(born, 1, 1), date(born, 12, 31)


def first_registration_list_window(year: int) -> tuple[date, date]:
    """Birth dates of every man `year`'s January list may hold: those who turn 17 in `year`
    and those of service age, up to 45 in `year`, who never registered (REG_FIRST_LIST_MONTH,
    MSL Art. 16(1) as amended by L98 Art. 4(5); age limit MSL Art. 25)."""
    return (
        date(year - FIRST_REGISTRATION_LAST_AGE_MALE, 1, 1),
        first_registration_birth_window(year)[1],
    )


def due_for_first_registration(
    sex: str, birth_date: date, life_status: str, year: int, *, registered: bool = False
) -> bool:
    """Whether a person belongs on `year`'s first-registration list.

    Living men who turn 17 in `year`, and living men of service age (18 to 45 in `year`) who
    have never registered (MSL Art. 12(1); Art. 16(1) as amended by L98 Art. 4(5); Art. 25).
    `registered`: he has registered before, served, is in the reserve or was exempted from
    registration (what counts is provided by the apps that keep those records,
    `worklists.hooks`). Women register only with a profession on the Government's list (MSL
    Art. 12(2), Decree 14/2016 Art. 3), which the population register does not carry: they
    are never listed.
    """
    if sex != MALE or life_status != ALIVE or registered:
        return False
    first, last = first_registration_list_window(year)
    return first <= birth_date <= last


def on_military_register(sex: str, birth_date: date, year: int) -> bool:
    """Whether a person's age in `year` falls within the military register's ages.

    From the first-registration age (17 for men, MSL Art. 12(1); 18 for women, Art. 12(2)) to
    the end of the reserve age (45 for men, 40 for women, MSL Art. 25). A correction of name,
    sex or birth date matters to the command only for such people.
    """
    if sex not in REGISTER_LAST_AGE:
        return False
    first = FIRST_REGISTRATION_AGE_MALE if sex == MALE else FIRST_REGISTRATION_AGE_FEMALE
    age = year - birth_date.year
    return first <= age <= REGISTER_LAST_AGE[sex]


def register_oldest_birth_date(sex: str, day: date) -> date | None:
    """The earliest birth date of a person still of register age on `day`: to the end of age 45
    for men, 40 for women (RESERVE_AGE_LIMIT, MSL Art. 25); None for an unknown sex."""
    if sex not in REGISTER_LAST_AGE:
        return None
    years = REGISTER_LAST_AGE[sex] + 1
    try:
        limit = day.replace(year=day.year - years)
    except ValueError:  # 29 February
        limit = date(day.year - years, 2, 28)
    return limit + timedelta(days=1)


def is_overdue(due_on: date | None, today: date) -> bool:
    """An open item is overdue once its deadline has passed (the deadline day itself is not)."""
    return due_on is not None and due_on < today


def first_registration_list_due_on(year: int) -> date:
    """The January list of `year` is due by 31 January (MSL Art. 16(1) as amended by L98)."""
    return date(year, FIRST_REGISTRATION_LIST_MONTH, 31)


def add_working_days(day: date, count: int) -> date:
    """`count` working days (Monday–Friday) after `day`.

    Public holidays are not modelled: the deadline may fall a little early around Tết.
    """
    current = day
    remaining = count
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def transfer_due_on(moved_on: date) -> date:
    """Deregistration at the old and registration at the new commune are due within 10
    working days of the move (REG_CHANGE_RESIDENCE_DAYS, MSL Art. 17(2)(a))."""
    return add_working_days(moved_on, TRANSFER_WORKING_DAYS)


def removal_report_due_on(known_on: date) -> date:
    """A removal from the register (a death) is reported to the commune chairman within 5 days
    of the command learning of it (REG_REMOVE_REPORT_DAYS, MSL Art. 19 as amended by L98
    Art. 4(7))."""
    return known_on + timedelta(days=REMOVAL_REPORT_DAYS)


@dataclass(frozen=True)
class CallUpFacts:
    """The register fields that decide military-service duties."""

    full_name: str
    sex: str
    birth_date: date
    life_status: str


CALL_UP_FIELDS = ("full_name", "sex", "birth_date")


@dataclass(frozen=True)
class CorrectionEffect:
    """What a correction of register fields means for this year's work."""

    changed: tuple[str, ...]  # call-up fields that changed
    due_before: bool
    due_after: bool
    needs_review: bool  # a register_correction item for staff

    @property
    def becomes_due(self) -> bool:
        return self.due_after and not self.due_before

    @property
    def stops_being_due(self) -> bool:
        return self.due_before and not self.due_after


def correction_effect(
    before: CallUpFacts, after: CallUpFacts, year: int, *, registered: bool = False
) -> CorrectionEffect:
    """Compare call-up facts before and after a register correction.

    A changed name, sex or birth date needs a review when the person is within the register's
    ages before or after the change (MSL Art. 12, Art. 25; supplementary registration of
    changes, Decree 13/2016 Art. 6(2)(a)); whether he is due for first registration in `year`
    follows `due_for_first_registration` (`registered`: he has registered before).
    """
    changed = tuple(f for f in CALL_UP_FIELDS if getattr(before, f) != getattr(after, f))
    due_before = due_for_first_registration(
        before.sex, before.birth_date, before.life_status, year, registered=registered
    )
    due_after = due_for_first_registration(
        after.sex, after.birth_date, after.life_status, year, registered=registered
    )
    relevant = on_military_register(before.sex, before.birth_date, year) or on_military_register(
        after.sex, after.birth_date, year
    )
    return CorrectionEffect(
        changed=changed,
        due_before=due_before,
        due_after=due_after,
        needs_review=bool(changed) and (relevant or due_before or due_after),
    )
