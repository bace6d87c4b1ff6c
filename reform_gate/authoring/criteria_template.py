"""``reform-gate criteria init``: a commented criteria set skeleton that loads, and lints clean, as written.

The skeleton is a small working rubric: two reform pillars and one safeguard pillar, one indicator
of each type, a rule of each common check kind, and a two-rung ladder whose bars rise. Every key is
explained in a comment above it, with the keys left out (and their defaults) named there too, so
an author edits a set that already scores proposals instead of starting from a blank page. With
``--extends``, the skeleton is a derived set instead: the base's id, only what differs, and each
way of changing the base (``[drop]``, ``[override.*]``, additions) shown commented out with the
base's own ids. See ``docs/format.md`` ("Criteria sets", "Derived sets").
"""

from __future__ import annotations

import re
from pathlib import Path

from ..model import Criteria

__all__ = ["criteria_id_for", "criteria_template", "derived_template"]


def criteria_id_for(path: Path) -> str:
    """A criteria id from a file name: ``My Rubric.toml`` -> ``my-rubric``."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return slug or "my-criteria"


def _quoted(text: str) -> str:
    """A TOML basic string (ids from file names hold no quote or backslash, but be sure)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _key(text: str) -> str:
    """A TOML key: bare where TOML allows it, else quoted."""
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else _quoted(text)


_SKELETON = """\
# A criteria set for reform-gate, written by `reform-gate criteria init`. It loads and scores as it
# stands; change it to your rubric. Every table and key is described in docs/format.md, and how the
# numbers become a verdict in docs/scoring.md.
#
# Check as you go:
#   reform-gate criteria show FILE    (the set as the tool reads it)
#   reform-gate criteria lint FILE    (what is legal but probably not meant)
#   reform-gate init --criteria FILE proposal.toml   (a proposal to try it on)

# --- Identity and evidence policy -------------------------------------------------------------------
[criteria]
id = {ident}
version = "0.1.0"
title = "TODO: the rubric's name"
description = "TODO: what the rubric judges, and why (optional)."
# A rule without usable evidence earns 0 ("zero"), or leaves its pillar's sums ("exclude").
missing = "zero"
# Evidence older than this many days (from the proposal's date) is stale; "warn" counts it, flagged.
max_evidence_age_days = 540
stale = "warn"
# Evidence graded weaker than this Admiralty grade (letter or digit) counts as missing.
min_reliability = "C3"

# --- Pillars: areas of concern -------------------------------------------------------------------
# "reform" pillars judge the counterpart's record and make up the overall score, weighted by
# `weight`; "safeguard" pillars judge the proposal's own design and make up the design score.

[[pillars]]
id = "security"
kind = "reform"
weight = 60
title = "TODO: Security record"

[[pillars]]
id = "rights"
kind = "reform"
weight = 40
title = "TODO: Rights record"

[[pillars]]
id = "design"
kind = "safeguard"
weight = 1
title = "TODO: The proposal's own safeguards"

# --- Indicators: the facts a proposal supplies, one table each -------------------------------------
# type "bool" (true/false), "number" (with optional min, max and unit) or "level" (levels, worst first).

[indicators.camps_closed]
type = "bool"
title = "TODO: Training camps closed"

[indicators.detainees_released_pct]
type = "number"
min = 0
max = 100
unit = "%"
title = "TODO: Share of political detainees released"

[indicators.press_freedom]
type = "level"
levels = ["none", "limited", "open"]
title = "TODO: Room for independent media"

[indicators.sunset_clause]
type = "bool"
title = "TODO: The proposal lapses on a fixed date unless renewed"

# --- Rules: weighted checks of indicators, one pillar each ----------------------------------------
# `weight` counts within the rule's pillar. A `gate` is a hard hurdle that tiers can require on its
# own (passing at credit `gate_min`, 1 unless given); `waivable` lets a proposal's dated waiver count
# a gate as passed. Check kinds: equals, one_of, at_least, at_most, scale = [none, full], credit (per
# level), and all_of / any_of over other checks.

[[rules]]
id = "SEC-1"
pillar = "security"
weight = 1
gate = true
title = "TODO: Camps closed"
check = { indicator = "camps_closed", equals = true }
rationale = "TODO: why the rule matters."
remedy = "TODO: what the counterpart would have to do, verifiably."
references = []

[[rules]]
id = "RT-1"
pillar = "rights"
weight = 2
title = "TODO: Detainees released"
check = { indicator = "detainees_released_pct", scale = [0, 80] }
rationale = "TODO: why the rule matters."
remedy = "TODO: what the counterpart would have to do, verifiably."
references = []

[[rules]]
id = "RT-2"
pillar = "rights"
weight = 1
title = "TODO: Media can work"
check = { indicator = "press_freedom", credit = { none = 0, limited = 0.5, open = 1 } }
rationale = "TODO: why the rule matters."
remedy = "TODO: what the counterpart would have to do, verifiably."
references = []

[[rules]]
id = "DS-1"
pillar = "design"
weight = 1
gate = true
waivable = true
title = "TODO: Sunset clause"
check = { indicator = "sunset_clause", equals = true }
rationale = "TODO: why the proposal needs it."
remedy = "TODO: what the proposal would have to say."
references = []

# --- Tiers: the engagement ladder, lowest first -------------------------------------------------
# A tier may ask for: min_score (overall reform score, 0-100); min_pillar = { pillar = score };
# min_pillar_points = { pillar = points } (points of the pillar's total rule weight, compared
# exactly: 30 of 48 without writing 62.5); gates = "all" or [rule ids]; min_met = N or
# { count = N, among = [rule ids] }; any_of = [ { ... }, { ... } ] (one group must hold).
# Each rung should ask at least what the one below asks: `criteria lint` checks that.

[[tiers]]
id = "talks"
title = "TODO: Talks"
min_pillar = { security = 100, design = 100 }

[[tiers]]
id = "embassy"
title = "TODO: Embassy"
min_score = 60
min_pillar = { security = 100 }
gates = "all"
min_met = 2
"""


def criteria_template(ident: str = "my-criteria") -> str:
    """The text of a new criteria set with id ``ident``: valid as written, with no lint finding."""
    return _SKELETON.replace("{ident}", _quoted(ident))


def derived_template(base: Criteria, ident: str, ref: str) -> str:
    """The text of a new set that extends ``base`` (named by ``ref``), changing nothing yet.

    Each way of changing the base is shown commented out, with the base's own ids.
    """
    rule = base.rules[0]
    tier = base.tiers[min(1, len(base.tiers) - 1)]
    # The example drop: a rule no tier names, so that dropping it leaves the set valid.
    named = {
        x
        for t in base.tiers
        for g in (t.own_group(), *t.any_of)
        for x in [*(r.id for r in base.rules if g.names_gate(r)), *((g.min_met.among or ()) if g.min_met else ())]
    }
    spare = next((r for r in reversed(base.rules) if r.id not in named and r is not rule), base.rules[-1])
    pillar = rule.pillar
    lines = [
        "# A derived criteria set, written by `reform-gate criteria init --extends`.",
        f"# It is {base.id} {base.criteria.version} with the changes below; as written it changes only",
        '# the id and title. Uncomment and edit what you need (docs/format.md, "Derived sets").',
        "# Check it with:",
        "#   reform-gate criteria show --resolved FILE   (the merged set)",
        "#   reform-gate criteria lint FILE",
        "",
        "[criteria]",
        f"extends = {_quoted(ref)}",
        "# A derived set states its own id and version (with the base's id, a higher version).",
        f"id = {_quoted(ident)}",
        'version = "0.1.0"',
        f"title = {_quoted('TODO: ' + base.criteria.title + ', adapted')}",
        "# Any other key of [criteria] written here replaces the base's (missing, min_reliability, ...).",
        "",
        "# Leave parts of the base out (pillars, indicators, rules, tiers):",
        "# [drop]",
        f"# rules = [{_quoted(spare.id)}]",
        "",
        "# Change some keys of one entry of the base; each key replaces the base's value whole.",
        '# `unset = ["key"]` removes a key; a tier can move with after = "tier" or before = "tier".',
        f"# [override.rules.{_key(rule.id)}]",
        f"# weight = {rule.weight:g}",
        "#",
        f"# [override.tiers.{_key(tier.id)}]",
        f"# min_pillar_points = {{ {_key(pillar)} = 1 }}",
        "",
        "# Add entries after the base's, written in full as in any set; a new tier goes to the top of",
        "# the ladder unless it says after or before.",
        "# [[tiers]]",
        '# id = "TODO-new-rung"',
        '# title = "TODO: a new rung"',
        f"# after = {_quoted(tier.id)}",
        f"# min_pillar = {{ {_key(pillar)} = 50 }}",
    ]
    return "\n".join(lines) + "\n"
