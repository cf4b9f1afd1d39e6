"""Self-defence in agencies and enterprises (DQTV Art. 2, 15, 17): founding an agency's or
enterprise's military command, an org unit of kind `self_defence_command` under the provincial
command or a commune command, once Art. 17's conditions hold. Its members join through the
same roster actions as the militia's (`roster.militia_join`), serving where they work.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from muster import audit
from muster.accounts import permissions
from muster.accounts.models import User
from muster.core.errors import FieldError, InvalidInput
from muster.core.text import nfc
from muster.geo.models import AdminUnit, Level
from muster.militia import rules
from muster.militia.models import OrganisationKind, SelfDefenceCommand
from muster.orgs.actions import org_unit_create
from muster.orgs.models import OrgKind, OrgUnit

PARENT_KINDS = (OrgKind.PROVINCIAL_COMMAND, OrgKind.CAPITAL_COMMAND, OrgKind.COMMUNE_COMMAND)


def squad_size() -> int:
    """Eligible workers needed for one squad (configuration: MUSTER_SELF_DEFENCE_SQUAD_SIZE)."""
    return int(getattr(settings, "MUSTER_SELF_DEFENCE_SQUAD_SIZE", rules.DEFAULT_SQUAD_SIZE))


@transaction.atomic
def self_defence_found(
    *,
    code: str,
    organisation_name: str,
    organisation_kind: str,
    parent: OrgUnit,
    commune: AdminUnit,
    operating_since: date,
    eligible_workers: int,
    founded_on: date,
    has_vessels: bool = False,
    acting_user: User | None,
) -> SelfDefenceCommand:
    """Found the military command of the organisation `organisation_name`, sitting in
    `commune`, under `parent` (the provincial command, or the commune's command), from
    `founded_on`. Refused, with the codes of `rules.self_defence_founding_problems`, when the
    organisation has operated less than 24 months or has too few eligible workers for a squad
    (DQTV Art. 17)."""
    permissions.require(acting_user, "militia.selfdefence.found", commune_id=commune.pk)
    organisation_name = nfc(organisation_name).strip()
    problems = rules.self_defence_founding_problems(
        operating_since=operating_since,
        founded_on=founded_on,
        eligible_workers=eligible_workers,
        squad_size=squad_size(),
        today=timezone.localdate(),
    )
    if not organisation_name:
        problems.append(FieldError("organisation_name", "REQUIRED"))
    if organisation_kind not in OrganisationKind.values:
        problems.append(
            FieldError("organisation_kind", "NOT_ONE_OF", {"choices": OrganisationKind.values})
        )
    if commune.level != Level.COMMUNE:
        problems.append(FieldError("commune", "MILITIA_FLAGS_COMMUNE_ONLY", {"code": commune.code}))
    if parent.kind not in PARENT_KINDS or not parent.is_valid_on(founded_on):
        problems.append(FieldError("parent", "SELF_DEFENCE_PARENT", {"code": parent.code}))
    if problems:
        raise InvalidInput(problems)
    unit = org_unit_create(
        code=code,
        name=f"Ban CHQS {organisation_name}",
        kind=OrgKind.SELF_DEFENCE_COMMAND,
        parent=parent,
        territory=commune,
        valid_from=founded_on,
        acting_user=acting_user,
    )
    record = SelfDefenceCommand.objects.create(
        unit=unit,
        organisation_name=organisation_name,
        organisation_kind=organisation_kind,
        commune=commune,
        operating_since=operating_since,
        eligible_workers=eligible_workers,
        has_vessels=has_vessels,
        founded_on=founded_on,
    )
    audit.record(
        "militia.selfdefence.founded",
        actor=acting_user,
        target=unit,
        data={
            "code": code,
            "organisation": organisation_name,
            "kind": organisation_kind,
            "operating_since": operating_since.isoformat(),
            "eligible_workers": eligible_workers,
            "squad_size": squad_size(),
            "on": founded_on.isoformat(),
        },
        commune_code=commune.code,
    )
    return record
