"""``reform-gate sensitivity`` as text and JSON (HTML is in :mod:`reform_gate.render.html`).

Text, top to bottom: the verdict in one line; the robustness figure with its seed, count and
rule; each weight's range, closest to flipping first; then every single observation that flips
the verdict. Sample::

    Robustness: 1000 of 1000 random weight changes (100.0 %) keep the outcome, scale-back;
      930 (93.0 %) also keep the supported tier, dialogue.
      Each rule and pillar weight independently multiplied by a factor drawn uniformly from
      [0.75, 1.25]; seed 2025.

    Weights, closest to flipping first
      weight                     now  keeps the verdict  flips at  then
      rule CT-3                    3  2.18333 .. any      -27.2 %  below: scale-back, supports humanitarian

JSON is :meth:`~reform_gate.analysis.Sensitivity.to_dict` (``"format": "reform-gate/sensitivity/2"``).
"""

from __future__ import annotations

from typing import TextIO

from ..analysis import ObservationFlip, Place, Sensitivity, WeightRange
from ..checks import show_value
from ..numbers import show
from .json_ import dumps_verdict
from .shared import headline, printable_data

__all__ = ["json", "place_words", "range_words", "text"]


def place_words(p: Place) -> str:
    """``scale-back, supports humanitarian``."""
    return f"{p.outcome}, supports {p.supported_tier or 'no tier'}"


def range_words(w: WeightRange) -> str:
    """``2.18333 .. 8.26667``; ``any`` for an open upper end."""
    return f"{show(w.low)} .. {'any' if w.high is None else show(w.high)}"


def change_words(w: WeightRange) -> str:
    """The nearer flip as a signed percentage: ``-27.2 %``; ``from 0`` for a weight of 0 that a rise flips."""
    if w.change is None:
        return "from 0" if w.weight == 0 and w.above is not None else ""
    down = w.below is not None and (w.above is None or w.high is None or w.weight - w.low <= w.high - w.weight)
    return f"{'-' if down else '+'}{100 * w.change:.1f} %"


def _then(w: WeightRange) -> str:
    sides = []
    if w.below is not None:
        sides.append(f"below: {place_words(w.below)}")
    if w.above is not None:
        sides.append(f"above: {place_words(w.above)}")
    return "; ".join(sides)


def text(s: Sensitivity, out: TextIO) -> None:
    """Write the sensitivity analysis for a person at a terminal, every string from the files made printable first."""
    s = printable_data(s)
    v = s.verdict
    w = out.write
    w(f"Sensitivity of {v.title}  [{v.proposal}]\n")
    w(f"{v.actor} -> {v.counterpart}, as of {v.audit.as_of.isoformat()}\n\n")
    w(f"{v.outcome.upper()}  {headline(v)}\n")
    _robustness(s, out)
    _weights(s.weights, out)
    _flips(s.flips, v.supported_tier, out)
    a = v.audit
    w(f"\ncriteria {a.criteria_id} {a.criteria_version} (sha256 {a.criteria_sha256[:12]}), ")
    w(f"reform-gate {a.reform_gate_version}\n")


def _robustness(s: Sensitivity, out: TextIO) -> None:
    r, v = s.robustness, s.verdict
    out.write(
        f"\nRobustness: {r.kept_outcome} of {r.draws} random weight changes ({100 * r.share_outcome:.1f} %) "
        f"keep the outcome, {v.outcome};\n"
        f"  {r.kept_place} ({100 * r.share_place:.1f} %) also keep the supported tier, {v.supported_tier or 'none'}.\n"
        f"  {r.rule[0].upper() + r.rule[1:]}; seed {r.seed}.\n"
    )


def _weights(weights: tuple[WeightRange, ...], out: TextIO) -> None:
    moving = [w for w in weights if w.flips]
    still = [w for w in weights if not w.flips]
    if moving:
        labels = [f"{w.kind} {w.id}" for w in moving]
        width = max(len(x) for x in [*labels, "weight"])
        spans = [range_words(w) for w in moving]
        span = max(len(x) for x in [*spans, "keeps the verdict"])
        out.write("\nWeights, closest to flipping first\n")
        out.write(f"  {'weight':<{width}}  {'now':>6}  {'keeps the verdict':<{span}}  {'flips at':>8}  then\n")
        for label, w, words in zip(labels, moving, spans, strict=True):
            row = f"  {label:<{width}}  {show(w.weight):>6}  {words:<{span}}  {change_words(w):>8}  {_then(w)}"
            out.write(row.rstrip() + "\n")
    else:
        out.write("\nNo single weight, moved alone, changes the verdict.\n")
    if still:
        ids = ", ".join(f"{w.id}" for w in still)
        out.write(f"\nNo value of these {len(still)} weights changes the verdict: {ids}\n")
        for note in dict.fromkeys(w.note for w in still if w.note):
            which = ", ".join(w.id for w in still if w.note == note)
            out.write(f"  {which}: {note}\n")


def _flips(flips: tuple[ObservationFlip, ...], supported: str | None, out: TextIO) -> None:
    if not flips:
        out.write("\nNo single observation, changed alone, changes the verdict.\n")
        return
    out.write(f"\nSingle observations that change the verdict ({len(flips)})\n")
    by_indicator: dict[str, list[ObservationFlip]] = {}
    for f in flips:
        by_indicator.setdefault(f.indicator, []).append(f)
    for ident, found in by_indicator.items():
        first = found[0]
        now = "no usable evidence" if first.now is None else show_value(first.now)
        out.write(f"  {ident} (now {now}; read by {', '.join(first.rules)})\n")
        width = max(len(_alternative(f)) for f in found)
        for f in found:
            out.write(f"    {_alternative(f):<{width}}  -> {place_words(f.place)}\n")


def _alternative(f: ObservationFlip) -> str:
    return f"= {f.text}" if f.kind == "value" else f.text


def json(s: Sensitivity, out: TextIO) -> None:
    """Write the analysis as JSON (``"format": "reform-gate/sensitivity/2"``)."""
    out.write(dumps_verdict(s.to_dict()))
