"""Change-feed events of the population register (docs/exchange.md), parsed and validated.

Wire form: a JSON object
    {"sequence": N, "type": T, "personal_id": "…12 digits…", "occurred_on": "YYYY-MM-DD",
     "data": {...}, "signature": BASE64}
where the signature is Ed25519 over the canonical JSON of every other field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from muster.core.errors import FieldError, InvalidInput


class EventType:
    PERSON_ADDED = "person.added"  # data: every extract column but personal_id
    PERSON_DIED = "person.died"  # data: {"died_on": DATE}
    PERSON_MOVED = "person.moved"  # data: {"residence_commune_code": CODE, "address": TEXT}
    NAME_CHANGED = "person.name_changed"  # data: {"full_name": TEXT}
    FIELD_CORRECTED = "person.field_corrected"  # data: {FIELD: VALUE, ...} (register fields)

    ALL = (PERSON_ADDED, PERSON_DIED, PERSON_MOVED, NAME_CHANGED, FIELD_CORRECTED)


# Register fields a correction may touch (the extract columns but the key).
CORRECTABLE_FIELDS = frozenset(
    {"full_name", "sex", "birth_date", "ethnicity", "address", "household_id"}
)


@dataclass(frozen=True)
class FeedEvent:
    sequence: int
    type: str
    personal_id: str
    occurred_on: date
    data: dict[str, Any] = field(default_factory=dict)


def parse_event(obj: Any) -> FeedEvent:
    """A FeedEvent from its wire form (signature already checked); InvalidInput names the field."""
    if not isinstance(obj, dict):
        raise InvalidInput.single("event", "EVENT_NOT_AN_OBJECT")
    errors: list[FieldError] = []
    sequence = obj.get("sequence")
    if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 1:
        errors.append(FieldError("sequence", "MIN_VALUE", {"min": 1}))
    kind = obj.get("type")
    if kind not in EventType.ALL:
        errors.append(FieldError("type", "NOT_ONE_OF", {"choices": sorted(EventType.ALL)}))
    personal_id = obj.get("personal_id")
    if not (isinstance(personal_id, str) and len(personal_id) == 12 and personal_id.isdigit()):
        errors.append(FieldError("personal_id", "PERSONAL_ID_FORMAT", {"value": str(personal_id)}))
    occurred_on: date | None = None
    try:
        occurred_on = date.fromisoformat(str(obj.get("occurred_on")))
    except ValueError:
        errors.append(
            FieldError("occurred_on", "NOT_A_DATE_VALUE", {"value": str(obj.get("occurred_on"))})
        )
    data = obj.get("data", {})
    if not isinstance(data, dict):
        errors.append(FieldError("data", "EVENT_NOT_AN_OBJECT"))
    elif kind == EventType.FIELD_CORRECTED and not set(data) <= CORRECTABLE_FIELDS:
        bad = sorted(set(data) - CORRECTABLE_FIELDS)
        errors.append(FieldError("data", "EVENT_FIELDS_NOT_CORRECTABLE", {"fields": bad}))
    if errors:
        raise InvalidInput(errors)
    return FeedEvent(
        int(str(sequence)), str(kind), str(personal_id), occurred_on or date.min, dict(data)
    )
