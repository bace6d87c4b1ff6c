"""Invariant: scoring with a shared evidence file (a ledger) equals scoring with the same entries
written in the proposal. Outcome, supported tier, every score, every finding's status, credit and
evidence (the entry that stands and those passed over), the gap, the blocking requirements and the
warnings are the same; only where each entry is written differs (its file and line, and the
finding's line in the proposal), and the audit, which lists the ledger and digests a shorter
proposal (docs/format.md, "Evidence files")."""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from reform_gate import score
from reform_gate.model import Criteria, Ledger, LedgerInfo, Observation, Proposal
from reform_gate.verdict import Verdict

from ..strategies import _targets, criteria, histories, proposals

#: Where an entry or a finding is written: the one thing allowed to differ.
PLACES = {"file", "line"}


@st.composite
def _cases(draw: st.DrawFn) -> tuple[Criteria, Proposal, Proposal]:
    c = draw(criteria())
    p = draw(proposals(c))
    date = p.proposal.date
    record: dict[str, tuple[Observation, ...]] = {
        ident: draw(histories(c.indicators[ident], date, _targets(c, ident))) for ident in p.observations
    }
    inlined = attrs.evolve(p, observations=dict(record))
    # Move some indicators to one or two ledgers; an indicator's entries may be split between the
    # two, in order, so the ledgers pool them back.
    moved = draw(st.lists(st.sampled_from(sorted(record)), unique=True)) if record else []
    first: dict[str, Any] = {}
    second: dict[str, Any] = {}
    for ident in moved:
        cut = draw(st.integers(0, len(record[ident])))
        if cut:
            first[ident] = record[ident][:cut]
        if cut < len(record[ident]):
            second[ident] = record[ident][cut:]
    info = LedgerInfo("record", p.proposal.counterpart, "The record", c.id)
    ledgers = tuple(Ledger(info, part) for part in (first, second) if part)
    kept = {ident: entries for ident, entries in record.items() if ident not in moved}
    reading = attrs.evolve(
        p,
        proposal=attrs.evolve(p.proposal, evidence=tuple(f"l{i}.toml" for i in range(len(ledgers)))),
        observations=kept,
        ledgers=ledgers,
    )
    return c, inlined, reading


def _without_places(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_places(v) for k, v in value.items() if k not in PLACES}
    if isinstance(value, list):
        return [_without_places(v) for v in value]
    return value


def _comparable(v: Verdict) -> dict[str, Any]:
    data = v.to_dict()
    audit = data.pop("audit")
    audit.pop("evidence")
    audit.pop("proposal_sha256")
    data["audit"] = audit
    data["findings"] = _without_places(data["findings"])
    # The proposal's own place: the same file here, but not when a test writes the twin elsewhere.
    data.pop("file")
    data.pop("line")
    return data


@given(_cases())
def test_a_ledger_scores_as_the_same_entries_inlined(case: tuple[Criteria, Proposal, Proposal]) -> None:
    c, inlined, reading = case
    one, two = score(inlined, c), score(reading, c)
    assert _comparable(two) == _comparable(one)
    assert len(two.audit.evidence) == len(reading.ledgers)
    assert one.audit.evidence == ()
