"""reform-gate: score engagement proposals against "reform before recognition" criteria.

>>> import reform_gate
>>> proposal = reform_gate.load_proposal("seeds/ru-formal-recognition.toml")
>>> criteria = reform_gate.criteria_for(proposal)
>>> verdict = reform_gate.score(proposal, criteria)
>>> verdict.outcome, verdict.supported_tier
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import ReformGateError
from .load import criteria_for, load_criteria, load_proposal, shipped_criteria, validate_proposal
from .model import Criteria, Proposal
from .score import score
from .verdict import Verdict

__all__ = [
    "Criteria",
    "Proposal",
    "ReformGateError",
    "Verdict",
    "__version__",
    "criteria_for",
    "load_criteria",
    "load_proposal",
    "score",
    "shipped_criteria",
    "validate_proposal",
]
