"""Invariant: the JSON of a verdict, written straight from its attrs objects, is its ``to_dict()``
(``docs/output-formats.md``, "verdict/2"): the text parses back to exactly that data, and its bytes
are those of the reference layout written with ``json.dumps``. The same holds inside a run, whose
``criteria`` catalogue gives back every rule text a finding left out."""

from __future__ import annotations

import io
import json

from hypothesis import given
from hypothesis import strategies as st

from reform_gate import score
from reform_gate.model import Criteria, Proposal
from reform_gate.render import Run, json_
from reform_gate.verdict import RULE_FIELDS

from ..layout_util import reference
from ..strategies import criteria, proposals

cases = criteria().flatmap(lambda c: st.tuples(st.just(c), proposals(c)))


@given(cases)
def test_the_encoded_verdict_is_its_to_dict(case: tuple[Criteria, Proposal]) -> None:
    c, p = case
    verdict = score(p, c)
    text = json_.to_json(verdict)
    assert json.loads(text) == verdict.to_dict()
    assert text == reference(verdict.to_dict())


@given(cases)
def test_a_run_gives_back_every_rule_text(case: tuple[Criteria, Proposal]) -> None:
    """Each finding of a run, joined with its rule's catalogue entry, holds every field of the
    :class:`~reform_gate.verdict.Finding`, with the values the verdict has."""
    c, p = case
    verdict = score(p, c)
    out = io.StringIO()
    json_.render(Run((verdict, verdict)), out)
    data = json.loads(out.getvalue())
    assert out.getvalue() == reference(data)
    (entry,) = data["criteria"]
    assert entry["sha256"] == data["verdicts"][0]["audit"]["criteria_sha256"]
    for finding, written in zip(verdict.findings, data["verdicts"][0]["findings"], strict=True):
        rule = entry["rules"][written["rule"]]
        assert rule["title"] == finding.title and rule["needed"] == finding.needed
        assert rule["references"] == list(finding.references)
        assert {key: rule[key] for key in RULE_FIELDS} == {
            key: list(v) if isinstance(v := getattr(finding, name), tuple) else v for key, name in RULE_FIELDS.items()
        }
        assert written["credit"] == finding.credit and written["status"] == finding.status
