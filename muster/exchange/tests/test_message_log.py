"""The message log is one hash chain: appends link, and any edit or deletion is found."""

from __future__ import annotations

import pytest
from django.db import transaction

from muster.exchange.message_log import (
    GENESIS,
    MessageKind,
    first_broken_message,
    message_append,
)
from muster.exchange.models import MessageOutcome, ReceivedMessage

pytestmark = pytest.mark.django_db


def _append(n: int) -> list[ReceivedMessage]:
    out = []
    for i in range(1, n + 1):
        with transaction.atomic():
            out.append(
                message_append(
                    producer="popreg",
                    kind=MessageKind.EVENT,
                    raw=f'{{"sequence":{i},"data":{{"full_name":"Hà Thị Mai"}}}}',
                    signature_ok=True,
                    outcome=MessageOutcome.APPLIED,
                    sequence=i,
                )
            )
    return out


def test_appends_link_to_their_predecessor_and_verify():
    first, second, third = _append(3)
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert first_broken_message() is None


@pytest.mark.parametrize(
    ("field", "value"),
    [("raw", '{"sequence":2,"data":{"full_name":"Hà Thị Mây"}}'), ("outcome", "rejected"),
     ("detail", "edited"), ("sequence", 7), ("signature_ok", False)],
)  # fmt: skip
def test_editing_any_hashed_field_is_detected(field, value):
    _first, second, _third = _append(3)
    ReceivedMessage.objects.filter(pk=second.pk).update(**{field: value})
    assert first_broken_message() == second.pk


def test_deleting_a_message_breaks_the_next_link():
    _first, second, third = _append(3)
    ReceivedMessage.objects.filter(pk=second.pk).delete()
    assert first_broken_message() == third.pk


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the receiving transaction"):
        message_append(
            producer="popreg", kind="event", raw="{}", signature_ok=True, outcome="applied"
        )


def test_unknown_kind_or_outcome_is_refused():
    with transaction.atomic():
        with pytest.raises(ValueError, match="kind must be one of"):
            message_append(
                producer="p", kind="letter", raw="{}", signature_ok=True, outcome="applied"
            )
        with pytest.raises(ValueError, match="outcome must be one of"):
            message_append(producer="p", kind="event", raw="{}", signature_ok=True, outcome="lost")
