"""A small criteria set and proposal for the tests of the analyses and the fuller explanation.

Three tiers (talks < embassy < recognition), a bool gate, a level rule, two scale rules (one a
gate that passes on part credit), a rule kept out of the gap, and a safeguard pillar: enough for
every kind of flip, partial raise and comparison, and small enough to reason about by hand.
"""

from __future__ import annotations

from pathlib import Path

import reform_gate
from reform_gate.model import Criteria, Proposal

CRITERIA = """\
[criteria]
id = "memo"
version = "1.0"
title = "A small set for memos"

[[pillars]]
id = "ct"
kind = "reform"
weight = 2
title = "Counterterrorism"

[[pillars]]
id = "cl"
kind = "reform"
weight = 1
title = "Civil liberties"

[[pillars]]
id = "sg"
kind = "safeguard"
weight = 1
title = "Safeguards"

[indicators]
haven = { type = "bool", title = "No safe haven" }
ops = { type = "level", levels = ["none", "sporadic", "sustained"], title = "Operations" }
poppy = { type = "number", min = 0, unit = "ha", title = "Poppy area" }
girls = { type = "level", levels = ["closed", "partial", "open"], title = "Girls' schooling" }
bonus = { type = "bool", title = "A bonus question" }
frame = { type = "level", levels = ["normalisation", "unstated", "containment"], title = "Framing" }
bench = { type = "number", min = 0, max = 50, unit = "benchmarks", title = "Benchmarks" }

[[rules]]
id = "CT-1"
pillar = "ct"
weight = 5
gate = true
title = "No safe haven"
check = { indicator = "haven", equals = true }
rationale = "r"
remedy = "m"
references = []

[[rules]]
id = "CT-2"
pillar = "ct"
weight = 3
title = "Operations"
check = { indicator = "ops", credit = { none = 0, sporadic = 0.5, sustained = 1 } }
rationale = "r"
remedy = "m"
references = []

[[rules]]
id = "CT-3"
pillar = "ct"
weight = 2
title = "Poppy kept low"
check = { indicator = "poppy", scale = [50000, 5000] }
rationale = "r"
remedy = "m"
references = []

[[rules]]
id = "CL-1"
pillar = "cl"
weight = 3
gate = true
title = "Girls in school"
check = { indicator = "girls", credit = { closed = 0, partial = 0.5, open = 1 } }
rationale = "r"
remedy = "m"
references = []

[[rules]]
id = "CL-2"
pillar = "cl"
weight = 1
title = "A bonus question"
check = { indicator = "bonus", equals = true }
rationale = "r"
remedy = "m"
references = []
in_gap = false

[[rules]]
id = "SG-1"
pillar = "sg"
weight = 3
gate = true
title = "Framed as containment"
check = { indicator = "frame", credit = { normalisation = 0, unstated = 0.25, containment = 1 } }
rationale = "r"
remedy = "m"
references = []

[[rules]]
id = "SG-2"
pillar = "sg"
weight = 3
gate = true
gate_min = 0.6
title = "Benchmarks"
check = { indicator = "bench", scale = [0, 5] }
rationale = "r"
remedy = "m"
references = []

[[tiers]]
id = "talks"
title = "Talks"
min_pillar = { ct = 30, sg = 40 }
gates = ["SG-1"]

[[tiers]]
id = "embassy"
title = "Embassy"
min_score = 50
min_pillar = { ct = 60, cl = 30 }
gates = ["CT-1", "SG-1", "SG-2"]

[[tiers]]
id = "recognition"
title = "Recognition"
min_score = 80
gates = "all"
"""


def proposal_text(tier: str = "embassy", **values: str) -> str:
    """A proposal against ``memo.toml``; ``values`` replace observations (TOML text), ``""`` drops one."""
    observed = {
        "haven": "false",
        "ops": '"sustained"',
        "poppy": "12000",
        "girls": '"closed"',
        "frame": '"containment"',
        "bench": "4",
    }
    observed.update(values)
    text = f"""\
[proposal]
id = "memo-{tier}"
title = "A proposal for {tier}"
actor = "Actor"
counterpart = "Counterpart"
tier = "{tier}"
date = 2025-01-01
criteria = "memo.toml"
"""
    for name, value in observed.items():
        if value:
            text += (
                f'\n[observations.{name}]\nvalue = {value}\nsource = "Report on {name}"\n'
                'as_of = 2024-12-01\nreliability = "B2"\n'
            )
    return text


def write(folder: Path, tier: str = "embassy", name: str = "prop.toml", **values: str) -> Path:
    """Write ``memo.toml`` and a proposal into ``folder``; the proposal's path."""
    (folder / "memo.toml").write_text(CRITERIA, encoding="utf-8")
    path = folder / name
    path.write_text(proposal_text(tier, **values), encoding="utf-8")
    return path


def load(folder: Path, tier: str = "embassy", **values: str) -> tuple[Proposal, Criteria]:
    """The proposal and the memo criteria set, loaded as the CLI loads them."""
    proposal = reform_gate.load_proposal(write(folder, tier, **values))
    return proposal, reform_gate.criteria_for(proposal)
