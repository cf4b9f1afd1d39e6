"""The reserve app's error codes in words (see `core.wording`); rule keys of domain-rules.md
§0.1 and §0.8 (RESERVE_AGE_LIMIT, RESERVE_ASSIGN_AGE, CAT2_TO_CAT1, MSL Art. 24), and the codes
of reserve units, their assignment and technical means."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WORDINGS: dict[str, Promise] = {
    "RESERVE_PERSON_DIED": _("The person died on %(day)s."),
    "RESERVE_BASIS_UNKNOWN": _("%(basis)s is not a basis of entry into the reserve (MSL Art. 24)."),
    "RESERVE_OFFICER_BASIS": _("A reserve officer is recorded with the basis %(basis)s only."),
    "RESERVE_RANK_UNKNOWN": _("%(rank)s is not a rank."),
    "RESERVE_RANK_LADDER": _("%(rank)s is an officer's rank: record a reserve officer apart."),
    "RESERVE_SPECIALTY_UNKNOWN": _("%(specialty)s is not a military specialty code."),
    "RESERVE_IN_ACTIVE_SERVICE": _(
        "The person is in active service on %(day)s: a soldier in active service is not a "
        "reservist."
    ),
    "RESERVE_ALREADY_MEMBER": _("The person has been in the reserve since %(day)s."),
    "RESERVE_AGE": _("Age %(age)s on the entry day; the reserve starts at age %(min)s."),
    "RESERVE_AGE_LIMIT": _(
        "Age %(age)s on the entry day; the reserve ends at the end of age %(limit)s (%(article)s)."
    ),
    "RESERVE_BASIS_SEX": _("Point %(point)s of %(article)s concerns the other sex."),
    "RESERVE_NOT_PAST_CALLUP_AGE": _(
        "Age %(age)s on the entry day: a man is past call-up age only after the end of age "
        "%(last)s (%(article)s)."
    ),
    "RESERVE_BEFORE_ENTRY": _("The person entered the reserve on %(day)s."),
    "RESERVE_REMOVAL_NOT_DUE": _(
        "The reservist is not past the age limit and not found unfit: no removal is due."
    ),
    "RESERVE_ACTIVITY_ENDS_BEFORE_START": _("The activity ends before it starts."),
    "RESERVE_READINESS_CHECK_DAYS": _(
        "A readiness check of %(days)s days; it lasts at most %(max)s days (%(article)s)."
    ),
    "RESERVE_NOT_IN_RESERVE": _("The person is not in the reserve on the activity's first day."),
    "RESERVE_EXCUSE_UNKNOWN": _("An excused absence needs one of the excuses of %(article)s."),
    "RESERVE_EXCUSE_UNEXPECTED": _("Only an excused absence carries an excuse."),
    "RESERVE_TRAINING_TOTAL": _(
        "%(days)s days of training in total; a category-1 reservist trains at most %(max)s "
        "days (%(article)s)."
    ),
    "RESERVE_AREA_REQUIRED": _("Give exactly one of a province code and a commune code."),
    "RESERVE_AREA_NOT_FOUND": _("There is no province or commune %(code)s in your jurisdiction."),
    "RESERVIST_NOT_FOUND": _("There is no reservist %(personal_id)s in your jurisdiction."),
    "RESERVE_ACTIVITY_NOT_FOUND": _("There is no reserve activity %(id)s in your jurisdiction."),
    "RESERVE_NOT_CATEGORY_2": _("Only a category-2 soldier moves to category 1."),
    "RESERVE_TRAINING_ENDS_BEFORE_START": _("The training ends before it starts."),
    "RESERVE_TRAINING_TOO_SHORT": _(
        "%(months)s months of concentrated training; category 1 asks at least %(min)s "
        "(%(article)s)."
    ),
    "RESERVE_TRAINING_AGE": _(
        "Age %(age)s when called to training; category-2 training takes soldiers to the end "
        "of age %(last)s (%(article)s)."
    ),
    "RESERVE_PROVINCE_NOT_FOUND": _("There is no province %(code)s in your jurisdiction."),
    "RESERVE_UNIT_NOT_FOUND": _("There is no reserve unit %(code)s in your jurisdiction."),
    "RESERVE_PERSON_NOT_FOUND": _("There is no person %(personal_id)s in your jurisdiction."),
    "RESERVE_POST_NOT_FOUND": _("There is no such post in the province's reserve units."),
    "RESERVE_NO_DRAFT": _("No proposal of province %(code)s waits for approval."),
    "RESERVE_UNIT_CODE_REQUIRED": _("Give the reserve unit a code."),
    "RESERVE_UNIT_FORCE": _("A reserve unit belongs to a main-force or a local-force unit."),
    "RESERVE_UNIT_ROLE": _("A reserve unit is a combat, combat-support or logistics unit."),
    "RESERVE_UNIT_SPARE": _(
        "The spare margin is %(min)s-%(max)s %% of the personnel, not %(percent)s %% "
        "(Law on Reserve Forces, Art. 15(2))."
    ),
    "RESERVE_UNIT_AREA": _("%(code)s is not an area defence command of this province."),
    "RESERVE_UNIT_CODE_TAKEN": _("The code %(code)s belongs to another province's reserve unit."),
    "RESERVE_POST_POSITION_REQUIRED": _("Name the position."),
    "RESERVE_POST_SPECIALTY": _("%(code)s is not a military specialty of the code table."),
    "RESERVE_POST_RANK": _("%(code)s is not a rank of the code table."),
    "RESERVE_POST_COUNT": _("A position has at least one seat, not %(count)s."),
    "RESERVE_POST_HELD": _("Reservists hold the position %(position)s: move them first."),
    "RESERVE_POST_NOT_IN_PROVINCE": _("The position %(position)s is not in this province."),
    "RESERVE_PROPOSAL_CLOSED": _("This proposal is no longer waiting for approval."),
    "RESERVE_TWO_PERSON_RULE": _(
        "Another person than the one who saved the proposal must approve it."
    ),
    "RESERVE_PROPOSAL_STALE": _(
        "%(count)s proposed seats no longer hold (a reservist aged out, left or changed): "
        "propose again."
    ),
    "RESERVE_ASSIGN_AGE": _(
        "%(name)s is past the age this unit takes (Law on Reserve Forces, Art. 17(2))."
    ),
    "RESERVE_ASSIGN_WOMEN": _(
        "%(name)s may not serve in this unit: Decree 14/2016/NĐ-CP, Art. 4 places women "
        "reservists elsewhere."
    ),
    "RESERVE_ASSIGN_RANK": _("%(name)s is below the position's minimum rank."),
    "RESERVE_ASSIGN_SPECIALTY": _(
        "%(name)s has neither the position's specialty nor a near one (Law on Reserve Forces, "
        "Art. 16(1))."
    ),
    "RESERVE_PIN_FULL": _("Every seat of this position is pinned already; %(name)s cannot be."),
    "RESERVE_PIN_NOT_A_CANDIDATE": _(
        "%(name)s is not a reservist of the province who may be assigned on the day."
    ),
    "MEANS_HEADER": _("The registry file's header must be exactly: %(expected)s."),
    "MEANS_KIND": _("%(kind)s is not a kind of reserve technical means."),
    "MEANS_REGISTRATION_REQUIRED": _("The registration number is missing."),
    "MEANS_CAPABILITY": _("%(capability)s is not a capability of %(kind)s means."),
    "MEANS_OWNER_REQUIRED": _("The owner is missing."),
    "MEANS_COMMUNE": _("%(code)s is not a commune in force."),
    "MEANS_STATE": _("%(state)s is not a state: ready, repair or unusable."),
    "MEANS_DUPLICATE": _(
        "Means of this kind with registration number %(registration)s are already registered."
    ),
    "MEANS_YEAR": _("The year of registration lies between %(first)s and %(last)s."),
    "MEANS_RETIRED": _("These means left the register after %(day)s."),
    "MEANS_RETIRE_REASON": _("%(reason)s is not a reason for leaving the register."),
    "MEANS_RETIRED_BEFORE_ASSIGNED": _(
        "These means are assigned to a reserve unit since %(day)s: they leave the register on "
        "that day or later."
    ),
    "RESERVE_MEANS_NOT_FOUND": _("There are no such technical means in your jurisdiction."),
}
