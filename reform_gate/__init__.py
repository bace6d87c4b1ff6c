"""reform-gate: score engagement proposals against "reform before recognition" criteria.

>>> import reform_gate
>>> proposal = reform_gate.load_proposal("seeds/ru-formal-recognition.toml")
>>> criteria = reform_gate.criteria_for(proposal)
>>> verdict = reform_gate.score(proposal, criteria)
>>> verdict.outcome, verdict.supported_tier
('scale-back', 'dialogue')
>>> reform_gate.what_if(proposal, criteria, {"isisk_operations": "sporadic"}).after.supported_tier
'humanitarian'

The names below are the public API; each is imported from its module only when first used, so
that ``import reform_gate`` (and the command line) start fast. ``docs/architecture.md`` says
which module does what.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import ReformGateError
from .version import __version__

if TYPE_CHECKING:
    from .analysis import Comparison, Sensitivity, WhatIf
    from .batch import (
        compare,
        evidence_on,
        exit_code,
        score,
        score_files,
        sensitivity,
        timeline,
        validate_files,
        verify_files,
        what_if,
    )
    from .history import RecordOnDate, Timeline
    from .load import (
        criteria_for,
        criteria_of_ledger,
        load_criteria,
        load_criteria_text,
        load_ledger,
        load_proposal,
        load_proposal_text,
        shipped_criteria,
        validate_proposal,
    )
    from .model import Criteria, Ledger, Proposal
    from .render.json_ import to_json
    from .verdict import Verdict

__all__ = [
    "Comparison",
    "Criteria",
    "Ledger",
    "Proposal",
    "RecordOnDate",
    "ReformGateError",
    "Sensitivity",
    "Timeline",
    "Verdict",
    "WhatIf",
    "__version__",
    "compare",
    "criteria_for",
    "criteria_of_ledger",
    "evidence_on",
    "exit_code",
    "load_criteria",
    "load_criteria_text",
    "load_ledger",
    "load_proposal",
    "load_proposal_text",
    "score",
    "score_files",
    "sensitivity",
    "shipped_criteria",
    "timeline",
    "to_json",
    "validate_files",
    "validate_proposal",
    "verify_files",
    "what_if",
]

#: Where each public name lives.
_HOMES = {
    "Criteria": "model",
    "Ledger": "model",
    "Proposal": "model",
    "RecordOnDate": "history",
    "Timeline": "history",
    "Verdict": "verdict",
    "Comparison": "analysis",
    "Sensitivity": "analysis",
    "WhatIf": "analysis",
    "criteria_for": "load",
    "criteria_of_ledger": "load",
    "load_ledger": "load",
    "load_criteria": "load",
    "load_criteria_text": "load",
    "load_proposal": "load",
    "load_proposal_text": "load",
    "shipped_criteria": "load",
    "validate_proposal": "load",
    "evidence_on": "batch",
    "exit_code": "batch",
    "score": "batch",
    "timeline": "batch",
    "score_files": "batch",
    "validate_files": "batch",
    "verify_files": "batch",
    "sensitivity": "batch",
    "what_if": "batch",
    "compare": "batch",
    "to_json": "render.json_",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'reform_gate' has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
