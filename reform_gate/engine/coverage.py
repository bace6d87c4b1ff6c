"""Coverage of a criteria set by verified proposals: which rules and tiers their ``[expect]`` blocks test.

``verify --coverage`` (``docs/scoring.md``, "Coverage") asks of each rule whether some verified
proposal would get another verdict if that rule's result were the other way round, the way
mutation testing asks whether a test would catch a broken line:

- **A rule is covered** when, for some proposal whose expectation holds, *flipping* the rule
  (to no credit if it is met, to full credit with evidence if it is not) changes the proposal's
  outcome or its supported tier: the two things every ``[expect]`` block states. An expectation
  that would still hold with the rule broken says nothing about the rule.
- **A tier is covered** when some proposal whose expectation holds asks for it: only then do its
  requirements, safeguards included, decide an outcome that an expectation pins.

The flip is computed on the proposal's own standing, rebuilt from its verdict (each rule's credit
and whether it counted, and the waivers in force), with the engine's arithmetic, so it never
scores a file again and can never disagree with the verdict.
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import frozen

from ..model import Criteria, Outcome
from ..verdict import Verdict
from .ladder import position
from .standing import Standing

__all__ = ["RuleCoverage", "SetCoverage", "TierCoverage", "coverage", "decide", "flipped_rules", "standing_of"]


def standing_of(v: Verdict, c: Criteria) -> Standing:
    """The standing a verdict was decided on: each rule's credit, whether it counted, the waivers."""
    return Standing(
        c,
        {f.rule: f.credit for f in v.findings},
        {f.rule: f.counted for f in v.findings},
        frozenset(w.rule for w in v.waivers),
    )


def decide(c: Criteria, s: Standing, requested: str) -> tuple[Outcome, str | None]:
    """The outcome for the requested tier and the supported tier, as scoring decides them."""
    where = position(s, requested)
    return where.outcome, where.supported_tier


def flipped_rules(v: Verdict, c: Criteria) -> list[str]:
    """The rules whose flip (met to no credit, else to full credit) changes the verdict's outcome or
    supported tier, in rule order."""
    s = standing_of(v, c)
    now = decide(c, s, v.requested_tier)
    out = []
    for rule in c.rules:
        met = s.met(rule.id)
        flipped = Standing(c, {**s.credits, rule.id: 0.0 if met else 1.0}, {**s.counted, rule.id: True}, s.waived)
        if decide(c, flipped, v.requested_tier) != now:
            out.append(rule.id)
    return out


@frozen
class RuleCoverage:
    """One rule, and the verified proposals whose verdict its flip would change."""

    rule: str
    covered_by: tuple[str, ...]

    @property
    def covered(self) -> bool:
        return bool(self.covered_by)


@frozen
class TierCoverage:
    """One tier, and the verified proposals that ask for it."""

    tier: str
    requested_by: tuple[str, ...]

    @property
    def covered(self) -> bool:
        return bool(self.requested_by)


@frozen
class SetCoverage:
    """How far the verified proposals scored under one criteria set cover its rules and tiers."""

    criteria: str
    version: str
    file: str
    proposals: tuple[str, ...]
    rules: tuple[RuleCoverage, ...]
    tiers: tuple[TierCoverage, ...]

    @property
    def rule_percent(self) -> float:
        return _percent(self.rules)

    @property
    def tier_percent(self) -> float:
        return _percent(self.tiers)


def _percent(items: tuple[RuleCoverage, ...] | tuple[TierCoverage, ...]) -> float:
    return 100.0 * sum(1 for x in items if x.covered) / len(items) if items else 100.0


def coverage(c: Criteria, verdicts: Iterable[Verdict]) -> SetCoverage:
    """The coverage of ``c`` by ``verdicts`` (those whose expectations hold, scored under ``c``);
    a proposal is named by its file, or its id when it came from no file."""
    by_rule: dict[str, list[str]] = {r.id: [] for r in c.rules}
    by_tier: dict[str, list[str]] = {t.id: [] for t in c.tiers}
    names = []
    for v in verdicts:
        name = v.file or v.proposal
        names.append(name)
        by_tier[v.requested_tier].append(name)
        for rule in flipped_rules(v, c):
            by_rule[rule].append(name)
    return SetCoverage(
        c.id,
        c.criteria.version,
        c.file,
        tuple(names),
        tuple(RuleCoverage(r, tuple(n)) for r, n in by_rule.items()),
        tuple(TierCoverage(t, tuple(n)) for t, n in by_tier.items()),
    )
