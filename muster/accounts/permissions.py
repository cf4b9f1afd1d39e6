"""Who may do what: the one table of actions × roles, and the jurisdiction they act in.

Pages, the API, the CLI and the actions ask `may(user, "militia.join", unit=command)` or
`require(...)`; nothing else in Muster tests a role (`tests/test_permissions_structure.py`).
An action is allowed when

1. the user's role is one of the action's roles (a superuser counts as an administrator);
2. for a grantable action (`grant=True`), the user also holds a `UserGrant` for it —
   administrators never need one;
3. the place it acts on lies inside the user's jurisdiction (`accounts.scope.scope_for`): a
   commune (`commune_id`), every commune an org unit covers (`unit`; `NATIONWIDE` for what
   only a national scope covers) or every commune of an administrative unit (`area`, e.g. a
   province). National users cover everything.

`user=None` is the system itself — the population register's feed, imports and commands run
by whoever operates the server — and may do everything, as the actions have always allowed.
A refusal is a `core.errors.PermissionDenied` whose code says why (`PERMISSION_ROLE`,
`PERMISSION_READ_ONLY`, `PERMISSION_GRANT`, `PERMISSION_JURISDICTION`, or the action's own)
and whose parameters name the action (`permission`: its name, `action`: its label, worded in
`accounts/wording.py`); pages answer it with the one 403 page (`core.views.guarded`), the API
with 403 and the code.

Adding an action: one `Action` row below (name `<app>.<thing>.<verb>`, roles, label, basis),
then `require(...)` in the action that does it and `may(...)` where a page offers it; the
table in docs/architecture.md ("Permissions") lists them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Final, Literal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from muster.accounts.models import Role, User, UserGrant
from muster.accounts.scope import area_communes, scope_for, unit_communes
from muster.core.errors import PermissionDenied
from muster.geo.models import AdminUnit
from muster.orgs.models import OrgUnit


class _Nationwide(Enum):
    NATIONWIDE = "nationwide"


# `unit=NATIONWIDE`: what belongs to no jurisdiction below the country (a national plan).
NATIONWIDE: Final = _Nationwide.NATIONWIDE
Where = OrgUnit | Literal[_Nationwide.NATIONWIDE] | None

STAFF = frozenset({Role.COMMUNE_STAFF, Role.AREA_STAFF, Role.PROVINCE_STAFF, Role.REGION_STAFF})
# Auditors look, they do not write (Decree 13/2023 on personal data: least privilege).
WRITERS = STAFF | {Role.ADMINISTRATOR}
# The province and above decide quotas and restructuring (MSL Art. 34(3); domain-rules §4).
PROVINCIAL = frozenset({Role.PROVINCE_STAFF, Role.REGION_STAFF, Role.ADMINISTRATOR})
AUDITORS = frozenset({Role.AUDITOR, Role.ADMINISTRATOR})
ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})

ROLE = "PERMISSION_ROLE"
READ_ONLY = "PERMISSION_READ_ONLY"
GRANT = "PERMISSION_GRANT"
JURISDICTION = "PERMISSION_JURISDICTION"


@dataclass(frozen=True)
class Action:
    """One thing a user may be allowed to do."""

    name: str
    roles: frozenset[Role]
    label: Promise  # what it does, in the reader's words (the 403 page names it)
    basis: str  # why these roles
    grant: bool = False  # roles other than administrator need a UserGrant for it as well
    reads: bool = False  # a read: an auditor refused it is refused for the role, not read-only
    refusal_code: str = ""  # the code a refused role gets, if not PERMISSION_ROLE


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("people.register", WRITERS, _("register a person"), "commune staff and above"),
        Action("people.edit", WRITERS, _("change a person's record"), "commune staff and above"),
        Action(
            "people.move",
            WRITERS,
            _("record a person's move to another commune"),
            "MSL Art. 17(2)(a): the commune he leaves deregisters him",
        ),
        Action("worklists.resolve", WRITERS, _("resolve a work item"), "the commune's worklist"),
        Action(
            "worklists.item.open",
            WRITERS,
            _("put a work item on a worklist or move it"),
            "the commune's worklist",
        ),
        Action("militia.join", WRITERS, _("put a person on a militia roster"), "DQTV Law Art. 8-9"),
        Action(
            "militia.leave", WRITERS, _("take a member off a militia roster"), "DQTV Law Art. 8"
        ),
        Action("militia.term.extend", WRITERS, _("extend a militia term"), "DQTV Law Art. 8(2)"),
        Action("militia.target.set", WRITERS, _("set a militia target size"), "the command's plan"),
        Action(
            "reserve.member.enter",
            WRITERS,
            _("enter a person into the reserve"),
            "MSL Art. 18, 24; LLDBĐV Art. 12: the commune command registers reservists",
        ),
        Action(
            "reserve.member.edit",
            WRITERS,
            _("change a reservist's category, rank, specialty or fitness"),
            "MSL Art. 24; Decree 14/2016 Art. 15",
        ),
        Action(
            "reserve.member.remove",
            WRITERS,
            _("record a removal from the reserve"),
            "MSL Art. 19 as amended by L98 Art. 4(7): the commune chairman decides",
        ),
        Action(
            "militia.transfer",
            WRITERS,
            _("move a militia member to another unit or command"),
            "DQTV Law Art. 15, 19: the command organises its units",
        ),
        Action(
            "militia.duty.decide",
            WRITERS,
            _("record a deferral or exemption from militia duty"),
            "DQTV Law Art. 11(4): the commune chairman decides, the command records",
        ),
        Action(
            "militia.unit.manage",
            WRITERS,
            _("set up or disband a militia unit"),
            "DQTV Law Art. 15 as amended by Law 98/2025 Art. 10(7)",
        ),
        Action(
            "militia.flags.set",
            PROVINCIAL,
            _("mark a commune as border, coastal, island or key defence"),
            "DQTV Law Art. 15: the province plans where standing and naval militia stand",
        ),
        Action(
            "militia.selfdefence.found",
            WRITERS,
            _("found an agency's or enterprise's military command"),
            "DQTV Law Art. 15, 17",
        ),
        Action(
            "training.session.manage",
            WRITERS,
            _("plan or record a militia training session"),
            "DQTV Law Art. 28",
        ),
        Action(
            "training.attendance.record",
            WRITERS,
            _("record attendance at a militia training session"),
            "DQTV Law Art. 28",
        ),
        Action(
            "exercises.exercise.manage",
            WRITERS,
            _("plan and run a civil-defence exercise"),
            "CD Law 2023 Art. 17; Decree 200/2025 Art. 8: the command running the exercise",
        ),
        Action(
            "exercises.review.record",
            WRITERS,
            _("record an exercise's after-action review and its follow-ups"),
            "practice: the command that ran it sums up and draws lessons (tổng kết)",
        ),
        Action(
            "reserve.activity.manage",
            WRITERS,
            _("record reserve training, readiness checks and unit activities"),
            "LLDBĐV Art. 22-23; MSL Art. 27: the commune calls its reservists",
        ),
        Action(
            "callup.records.edit",
            WRITERS,
            _("record registrations, examinations, decisions and evidence"),
            "MSL Art. 12-17, 40-41: the commune command keeps the register",
        ),
        Action(
            "callup.cycle.manage",
            PROVINCIAL,
            _("open a call-up cycle, set its target and propose quotas"),
            "MSL Art. 34(1)-(3): the province shares the call-up among its communes",
        ),
        Action(
            "callup.quota.override",
            PROVINCIAL,
            _("override a commune's call-up quota"),
            "MSL Art. 34(3)",
        ),
        Action(
            "callup.batch.draft",
            WRITERS,
            _("draft a batch of call-up orders"),
            "MSL Art. 34(6): the commune prepares the orders",
        ),
        Action(
            "callup.batch.approve",
            WRITERS,
            _("approve a batch of call-up orders"),
            "two-person rule: another person than the drafter",
        ),
        Action(
            "callup.order.record",
            WRITERS,
            _("record the delivery and handover of call-up orders"),
            "MSL Art. 34(6), Art. 22",
        ),
        Action(
            "linkage.review.decide",
            WRITERS,
            _("decide a record-linkage review case"),
            "the commune knows its people",
        ),
        Action(
            "restructure.plan.review",
            PROVINCIAL,
            _("see restructuring plans"),
            "domain-rules §4: restructuring is decided at the province and above",
            reads=True,
        ),
        Action(
            "restructure.plan.edit",
            PROVINCIAL,
            _("prepare or change a restructuring plan"),
            "domain-rules §4",
        ),
        Action(
            "restructure.plan.compute",
            PROVINCIAL,
            _("compute a restructuring plan"),
            "domain-rules §4",
        ),
        Action(
            "restructure.split.decide",
            PROVINCIAL,
            _("decide where a person of a split ward moves"),
            "domain-rules §4",
        ),
        Action(
            "restructure.plan.apply",
            PROVINCIAL,
            _("apply or revert a restructuring plan"),
            "domain-rules §4",
        ),
        Action(
            "reserve.unit.edit",
            PROVINCIAL,
            _("keep reserve units and their establishment tables"),
            "LLDBĐV Art. 14-15: the provincial command raises its reserve units",
        ),
        Action(
            "reserve.assignment.propose",
            PROVINCIAL,
            _("propose and adjust an assignment of reservists to reserve units"),
            "LLDBĐV Art. 16-17",
        ),
        Action(
            "reserve.assignment.approve",
            PROVINCIAL,
            _("approve an assignment of reservists to reserve units"),
            "two-person rule: another person than the one who proposed it",
        ),
        Action(
            "reserve.means.edit",
            PROVINCIAL,
            _("register reserve technical means and assign them to units"),
            "LLDBĐV Art. 13, 18",
        ),
        Action(
            "orgs.appointment.make",
            PROVINCIAL,
            _("appoint the holder of a command's position"),
            "DQTV Art. 22-23 (2019: the level above the commune appointed its commander); since "
            "2025 the province [UNCERTAIN, domain-rules §3]",
        ),
        Action(
            "orgs.appointment.end",
            PROVINCIAL,
            _("dismiss the holder of a command's position"),
            "as orgs.appointment.make",
        ),
        Action(
            "orgs.designation.set",
            PROVINCIAL,
            _("set a commune's designations (type-1, border, coastal, island)"),
            "Decree 72/2020/NĐ-CP Art. 4: the province classifies its communes",
        ),
        Action(
            "cadres.course.manage",
            PROVINCIAL,
            _("create courses and sessions and set training targets"),
            "the province trains commune cadres (DQTV Art. 26)",
        ),
        Action(
            "cadres.training.record",
            WRITERS,
            _("enrol cadres in a course and record attendance, results and certificates"),
            "the command running the session records it",
        ),
        Action(
            "cadres.criteria.manage",
            ADMINISTRATORS,
            _("set the year's assessment criteria"),
            "one criteria set per year for the whole country (MR3)",
        ),
        Action(
            "cadres.assessment.record",
            PROVINCIAL,
            _("record the annual assessment of a cadre or a unit"),
            "the level above assesses (issue 18)",
        ),
        Action(
            "civildefence.hazard.edit",
            WRITERS,
            _("import or draw a hazard zone"),
            "CD Law Art. 12, 52(2)(b): each level's command prepares its plan and its hazards",
        ),
        Action(
            "civildefence.register.edit",
            WRITERS,
            _("keep shelters, rescue means and the commune civil-defence command"),
            "Disaster Law Art. 4(3) (four on the spot); Decree 200/2025 Art. 8",
        ),
        Action(
            "civildefence.level.record",
            WRITERS,
            _("record a civil-defence or disaster risk level decision"),
            "CD Law Art. 7, 20 as amended by Law 98/2025; Decision 18/2021/QĐ-TTg",
        ),
        Action(
            "civildefence.plan.compute",
            WRITERS,
            _("compute a civil-defence response plan"),
            "Disaster Law Art. 22: the response plan by risk level; CD Law Art. 12",
        ),
        Action(
            "audit.read",
            AUDITORS,
            _("read the audit log"),
            "PDP Law 2025 Art. 3: oversight separate from the staff it oversees",
            reads=True,
            refusal_code="AUDIT_READ_DENIED",
        ),
        Action(
            "users.manage",
            frozenset({Role.AREA_STAFF, Role.PROVINCE_STAFF, Role.ADMINISTRATOR}),
            _("create, disable and re-scope user accounts"),
            "issue 14: provincial and area staff an administrator trusts with it",
            grant=True,
        ),
        Action(
            "users.device.remove",
            ADMINISTRATORS,
            _("remove another user's authenticator app"),
            "a lost phone: the holder enrols again at the next login",
        ),
        Action(
            "users.grant",
            ADMINISTRATORS,
            _("give or take back a permission"),
            "administrators only",
        ),
    )
}
GRANTABLE = frozenset(name for name, spec in ACTIONS.items() if spec.grant)


def action_spec(name: str) -> Action:
    """The declared action `name`; an undeclared name is a programming error."""
    try:
        return ACTIONS[name]
    except KeyError:
        raise ValueError(f"undeclared action {name!r}: add it to accounts/permissions.py") from None


def role_of(user: User) -> str:
    """The role permissions are decided by (a superuser is an administrator)."""
    return Role.ADMINISTRATOR if user.is_superuser else user.role


def holds_grant(user: User, action: str) -> bool:
    """Whether `user` was given `action` (`UserGrant`); read once per user object."""
    grants: frozenset[str] | None = user.__dict__.get("_muster_grants")
    if grants is None:
        grants = frozenset(UserGrant.objects.filter(user=user).values_list("action", flat=True))
        user.__dict__["_muster_grants"] = grants
    return action in grants


def forget_grants(user: User) -> None:
    """Drop the grants `holds_grant` read for this user object (after giving or taking one)."""
    user.__dict__.pop("_muster_grants", None)


def covers(
    user: User | None,
    *,
    unit: Where = None,
    commune_id: int | None = None,
    area: AdminUnit | None = None,
    day: date | None = None,
) -> bool:
    """Whether the place (a commune, every commune of an org unit or of an administrative
    unit) lies inside `user`'s jurisdiction on `day`; no place asked about, or the system
    (`user` None): True."""
    if user is None or (unit is None and commune_id is None and area is None):
        return True
    day = day or timezone.localdate()
    scope = scope_for(user, day)
    if scope.is_national:
        return True
    visible = scope.commune_ids or frozenset()
    if unit is NATIONWIDE:
        return False
    if commune_id is not None and commune_id not in visible:
        return False
    for communes in (
        unit_communes(unit.pk, day) if isinstance(unit, OrgUnit) else None,
        area_communes(area.pk, day) if area is not None else None,
    ):
        if communes is not None and not (communes and communes <= visible):
            return False
    return True


def refusal(
    user: User | None,
    action: str,
    *,
    unit: Where = None,
    commune_id: int | None = None,
    area: AdminUnit | None = None,
    day: date | None = None,
) -> PermissionDenied | None:
    """Why `user` may not do `action` there, or None when they may."""
    spec = action_spec(action)
    if user is None:
        return None
    role = role_of(user)
    if not user.is_active or role not in spec.roles:
        if role == Role.AUDITOR and not spec.reads:
            return _refused(spec, READ_ONLY)
        return _refused(spec, spec.refusal_code or ROLE)
    if spec.grant and role != Role.ADMINISTRATOR and not holds_grant(user, action):
        return _refused(spec, GRANT)
    if not covers(user, unit=unit, commune_id=commune_id, area=area, day=day):
        return _refused(spec, JURISDICTION)
    return None


def may(
    user: User | None,
    action: str,
    *,
    unit: Where = None,
    commune_id: int | None = None,
    area: AdminUnit | None = None,
    day: date | None = None,
) -> bool:
    """Whether `user` may do `action` (on that place, when one is given)."""
    found = refusal(user, action, unit=unit, commune_id=commune_id, area=area, day=day)
    return found is None


def require(
    user: User | None,
    action: str,
    *,
    unit: Where = None,
    commune_id: int | None = None,
    area: AdminUnit | None = None,
    day: date | None = None,
) -> None:
    """`may`, or raise the refusal (`PermissionDenied`: its code says why, its parameters name
    the action)."""
    found = refusal(user, action, unit=unit, commune_id=commune_id, area=area, day=day)
    if found is not None:
        raise found


def _refused(spec: Action, code: str) -> PermissionDenied:
    """The refusal: why (the code) and of what (the action's name, and its label for the
    reader, translated when shown)."""
    return PermissionDenied(code, {"permission": spec.name, "action": spec.label})
