"""Checking both audit chains against their key and the checkpoint file
(`muster audit verify`, the /audit/ chain-check page).

A chain is intact when every row's `prev_hash` is its predecessor's `hash` (the first row's,
the genesis MAC of this database's identity), every `hash` is the MAC of the row's content,
every checkpoint of this database names a row whose `hash` is the checkpoint's head, and no
checkpoint names a row beyond the newest. So an edited row fails its MAC; an inserted or
deleted row breaks the link of the row after it; deleted newest rows leave a checkpoint
pointing past the end; a rewritten chain fails every MAC without the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from muster.audit.chain import CHAINS, READ, WRITE, Chain, genesis, mac
from muster.audit.checkpoints import Checkpoint, checkpoint_path, checkpoints_read
from muster.audit.models import ChainIdentity
from muster.core.keys import audit_mac_key

BATCH = 5000


# What can be wrong, in English for the CLI (the pages word them in `web.views_audit`).
REASONS = {
    "unlinked": "does not follow the event before it: an event was deleted or inserted before it",
    "edited": "was edited: its MAC does not match its content",
    "checkpoint_differs": "differs from the checkpoint of {at} (line {line})",
    "newest_deleted": "is missing: the checkpoint of {at} (line {line}) names it, the chain "
    "ends at {end} (the newest events were deleted)",
    "no_checkpoint": "no checkpoint of this database in {file}: the file is missing, or "
    "another database's",
    "identity_deleted": "the audit identity of this database was deleted",
    "identities": "the database holds more than one audit identity",
    "bad_line": "{file} line {line}: {why}",
}


@dataclass(frozen=True)
class Problem:
    chain: str  # "write" | "read" | "checkpoints"
    event_id: int | None  # the first bad event (None: the chain as a whole)
    code: str  # a key of REASONS
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return REASONS[self.code].format(**self.params)

    def __str__(self) -> str:
        where = f"{self.chain} event {self.event_id}" if self.event_id else self.chain
        return f"{where}: {self.reason}"


@dataclass
class Report:
    checked: dict[str, int] = field(default_factory=dict)  # rows read per chain
    anchored: dict[str, int] = field(default_factory=dict)  # newest checkpointed id per chain
    problems: list[Problem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    def first(self, chain: str) -> Problem | None:
        return next((p for p in self.problems if p.chain == chain), None)


def _walk(
    chain: Chain, key: bytes, start: str, checkpoints: list[Checkpoint]
) -> tuple[int, int | None, Problem | None]:
    """(rows read, newest id, first problem) of one chain, in id order, in batches."""
    heads: dict[int, Checkpoint] = {}
    for checkpoint in checkpoints:  # the newest line about an id decides, as written
        heads[checkpoint.last_id] = checkpoint
    prev, count, last_id = start, 0, 0
    names = [f.attname for f in chain.model._meta.concrete_fields]
    rows = chain.model.objects.order_by("id").values_list(*names)
    while True:
        batch = list(rows.filter(id__gt=last_id)[:BATCH])
        if not batch:
            break
        for values in batch:
            row: Any = _Row(dict(zip(names, values, strict=True)))
            count += 1
            last_id = row.id
            if row.prev_hash != prev:
                return count, last_id, Problem(chain.name, row.id, "unlinked")
            if row.hash != mac(key, chain.name, prev, chain.fields(row)):
                return count, last_id, Problem(chain.name, row.id, "edited")
            anchored = heads.get(row.id)
            if anchored is not None and anchored.head != row.hash:
                return (
                    count,
                    last_id,
                    Problem(
                        chain.name,
                        row.id,
                        "checkpoint_differs",
                        {"at": anchored.at, "line": anchored.line},
                    ),
                )
            prev = row.hash
    return count, (last_id or None), None


class _Row:
    """A row's values by attribute name, shaped like the model for `Chain.fields`."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def verify() -> Report:
    """Both chains against the key and the checkpoint file; every problem found (the first
    bad event of each chain)."""
    report = Report()
    identities = list(ChainIdentity.objects.values_list("identity", flat=True)[:2])
    events = {name: chain.model.objects.exists() for name, chain in CHAINS.items()}
    if len(identities) > 1:
        report.problems.append(Problem("checkpoints", None, "identities"))
        return report
    if not identities:
        if any(events.values()):
            report.problems.append(Problem("checkpoints", None, "identity_deleted"))
        return report
    identity = identities[0]
    checkpoints, bad_lines = checkpoints_read(identity)
    for bad in bad_lines:
        report.problems.append(
            Problem(
                "checkpoints",
                None,
                "bad_line",
                {"file": str(checkpoint_path()), "line": bad.line, "why": bad.reason},
            )
        )
    key = audit_mac_key()
    for name in (WRITE, READ):
        chain = CHAINS[name]
        mine = [c for c in checkpoints if c.chain == name]
        count, newest, problem = _walk(chain, key, genesis(key, name, identity), mine)
        report.checked[name] = count
        if problem is not None:
            report.problems.append(problem)
            continue
        if not mine:
            if events[name]:
                report.problems.append(
                    Problem(name, None, "no_checkpoint", {"file": str(checkpoint_path())})
                )
            continue
        furthest = max(mine, key=lambda c: c.last_id)
        report.anchored[name] = furthest.last_id
        if newest is None or furthest.last_id > newest:
            report.problems.append(
                Problem(
                    name,
                    furthest.last_id,
                    "newest_deleted",
                    {"at": furthest.at, "line": furthest.line, "end": newest or "nothing"},
                )
            )
    return report
