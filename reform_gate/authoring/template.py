"""``reform-gate init``: a proposal template for one criteria set, and writing new files safely.

The template is valid TOML that passes ``reform-gate validate`` as it stands. Its ``[proposal]``
table is real (written with tomli-w, with ``TODO`` text where a person must write), and every
indicator of the criteria set follows as a *commented-out* observation table, grouped by the
pillar whose rules read it, with the indicator's type, allowed values, range and unit, the rules
that read it, and its description in comments above it. To record an observation, remove the
``# `` from its table's lines and fill them in; an indicator left commented out counts as
missing, exactly as if it were absent.

The stubs are written with tomli-w too and then commented, so uncommenting one always gives
valid TOML. Their placeholder grade is ``F6`` ("cannot be judged"), the weakest there is: a stub
uncommented but not filled in fails any ``min_reliability`` stricter than F6 and so earns no
credit, instead of passing a made-up value off as evidence. The file is written atomically and
never over an existing one. See ``docs/init.md``.

A proposal may read the counterpart's record from evidence files (``--evidence``): the template
then names them in ``proposal.evidence``, takes their counterpart, and stubs only the indicators
they hold no entry for (the proposal's design, mostly); a comment lists the others, which a
proposal writes only to override the record.
"""

from __future__ import annotations

import datetime as _dt
import re
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tomli_w

from ..checks import indicators_of
from ..errors import UsageError, WriteError, describe
from ..files import write_text
from ..model import Criteria, Indicator, Ledger
from ..numbers import show
from ..safe_text import UNSAFE, folded
from .schema import allowed_words

__all__ = ["lowest_rung", "proposal_id_for", "proposal_template", "stub_count", "write_new"]

_WIDTH = 96


def proposal_template(
    criteria: Criteria,
    *,
    tier: str | None = None,
    proposal_id: str = "my-proposal",
    date: _dt.date | None = None,
    criteria_ref: str | None = None,
    schema_hint: str | None = None,
    ledgers: Sequence[tuple[str, Ledger]] = (),
) -> str:
    """The text of a new proposal for ``criteria``, asking for ``tier`` (default: the lowest).

    ``criteria_ref`` is what the proposal's ``criteria`` key says (default: the set's id); ``date``
    defaults to today (the template's date is a starting point the author edits, not a verdict's).
    ``schema_hint`` puts a ``#:schema`` line first, for editors that read JSON Schema (Taplo).
    ``ledgers`` are the evidence files it reads, each with the path the proposal names it by.
    """
    if schema_hint is not None and (UNSAFE.search(schema_hint) or not schema_hint.strip()):
        # It is written into a comment line: a line break would start TOML of its own.
        raise UsageError(
            "--schema", "", "a path or URL on one line, without control characters", describe(schema_hint)
        )
    tier = tier or lowest_rung(criteria)
    day = date or _dt.date.today()
    info = criteria.criteria
    ladder = " < ".join(t.id for t in criteria.tiers if not t.outside_ladder)
    beside = ", ".join(t.id for t in criteria.tiers if t.outside_ladder)
    out: list[str] = [f"#:schema {schema_hint}"] if schema_hint else []
    head = [
        f"A proposal for the criteria set {info.id} {info.version} ({info.title}), written by reform-gate init.",
        "Fill in the [proposal] table. Then, for each indicator below that you have evidence for, remove "
        'the "# " before the lines of its [observations.*] table and set value, source, as_of and '
        "reliability. Leave out what you have no evidence for: it counts as missing and earns no credit.",
        "Check as you go with `reform-gate validate FILE`, then `reform-gate score FILE`.",
        f"Tiers, lowest first: {ladder}." + (f" Beside the ladder, on the design alone: {beside}." if beside else ""),
        _grade_words(info.min_reliability),
    ]
    for paragraph in head:
        out.extend(_comment(paragraph))
        out.append("#")
    out[-1] = ""
    proposal = {
        "proposal": {
            "id": proposal_id,
            "title": "TODO: a one-line title",
            "actor": "TODO: who proposes the engagement",
            "counterpart": "TODO: whom it is with",
            "tier": tier,
            "date": day,
            "criteria": criteria_ref or info.id,
            "summary": "TODO: what is proposed, in a few sentences (optional: delete this line if unused)",
        }
    }
    recorded = _recorded(criteria, [ledger for _, ledger in ledgers])
    if ledgers:
        proposal["proposal"]["counterpart"] = ledgers[0][1].evidence.counterpart
        proposal["proposal"]["evidence"] = [ref for ref, _ in ledgers]
    out.append(tomli_w.dumps(proposal).rstrip("\n"))
    if recorded:
        out.append("")
        out.append("# === From the evidence files " + "=" * (_WIDTH - 30))
        out.extend(
            _comment(
                "These indicators come from "
                + ", ".join(ref for ref, _ in ledgers)
                + ": "
                + ", ".join(recorded)
                + ". Write an observation of one of them here only to override the record: the proposal's own "
                "entries then replace the evidence files' entries for that whole indicator."
            )
        )
    for title, intro, idents in _groups(criteria):
        idents = [i for i in idents if i not in recorded]
        if not idents:
            continue
        out.append("")
        title = folded(title)
        out.append(f"# === {title} " + "=" * max(3, _WIDTH - len(title) - 7))
        out.extend(_comment(intro))
        for ident in idents:
            out.append("")
            out.extend(_stub(ident, criteria.indicators[ident], criteria, day))
    out.extend(_waivers(criteria, day))
    return "\n".join(out) + "\n"


def _recorded(c: Criteria, ledgers: Sequence[Ledger]) -> list[str]:
    """The indicators of ``c`` that the evidence files hold entries for, in the set's order."""
    held = {ident for ledger in ledgers for ident in ledger.observations}
    return [ident for ident in c.indicators if ident in held]


def stub_count(c: Criteria, ledgers: Sequence[Ledger] = ()) -> int:
    """How many indicator stubs the template writes: those the evidence files do not hold."""
    return len(c.indicators) - len(_recorded(c, ledgers))


def _grade_words(minimum: str) -> str:
    base = (
        "reliability is an Admiralty grade: a source letter A (completely reliable) to F (cannot be judged) "
        "and an information digit 1 (confirmed) to 6 (cannot be judged), such as B2."
    )
    if minimum == "F6":
        return base
    return base + f" Evidence weaker than {minimum} (letter or digit) counts as missing."


def _comment(text: str, prefix: str = "# ") -> list[str]:
    # Text from the criteria file goes into comments: a line break in it would start TOML of its
    # own, and a control character is not allowed in a comment. So: folded, escaped, wrapped.
    return [prefix + line for line in textwrap.wrap(folded(text), _WIDTH - len(prefix))] or [prefix.rstrip()]


def _groups(c: Criteria) -> list[tuple[str, str, list[str]]]:
    """Indicators grouped under the first pillar whose rules read them, in the criteria's order."""
    home: dict[str, str] = {}
    for rule in c.rules:
        for ident in indicators_of(rule.check):
            home.setdefault(ident, rule.pillar)
    groups: list[tuple[str, str, list[str]]] = []
    for p in c.pillars:
        idents = [i for i in c.indicators if home.get(i) == p.id]
        if not idents:
            continue
        if p.kind == "reform":
            intro = f"Reform pillar, weight {show(p.weight)}. These indicators describe the counterpart's record."
        else:
            intro = f"Safeguard pillar, weight {show(p.weight)}. These indicators describe the proposal's own design."
        groups.append((f"{p.id}: {p.title}", intro, idents))
    unread = [i for i in c.indicators if i not in home]
    if unread:
        groups.append(("Other indicators", "No rule reads these; they are recorded but not scored.", unread))
    return groups


def _stub(ident: str, ind: Indicator, c: Criteria, day: _dt.date) -> list[str]:
    rules = [r.id + (" (gate)" if r.gate else "") for r in c.rules if ident in indicators_of(r.check)]
    lines = [f"# --- {folded(ident)}: {folded(ind.title)}"]
    lines.extend(_comment(f"Type {ind.type}. Value: {allowed_words(ind)}."))
    if rules:
        lines.extend(_comment("Read by " + ", ".join(rules) + "."))
    if ind.description:
        lines.extend(_comment(ind.description))
    table: dict[str, Any] = {
        "value": _placeholder(ind),
        "source": "TODO: who reported it, and where",
        "as_of": day,
        "reliability": "F6",
    }
    body = tomli_w.dumps({"observations": {ident: table}}).rstrip("\n")
    lines.extend("# " + line for line in body.splitlines())
    return lines


def _placeholder(ind: Indicator) -> bool | float | str:
    """A value of the right type and in range, for the commented-out stub."""
    if ind.type == "bool":
        return False
    if ind.type == "level":
        return (ind.levels or ("",))[0]
    low = -float("inf") if ind.min is None else ind.min
    high = float("inf") if ind.max is None else ind.max
    value = 0 if low <= 0 <= high else ind.min if ind.min is not None else ind.max
    assert value is not None
    return value


def _waivers(c: Criteria, day: _dt.date) -> list[str]:
    waivable = [r for r in c.rules if r.waivable and r.gate]
    if not waivable:
        return []
    out = ["", "# === Waivers (optional) " + "=" * (_WIDTH - 25)]
    out.extend(
        _comment(
            "A waiver in force lets a waivable gate count as passed until it expires; scores stay as they are. "
            "Waivable gates: " + ", ".join(f"{r.id} ({r.title})" for r in waivable) + "."
        )
    )
    table = {
        "rule": waivable[0].id,
        "reason": "TODO: why",
        "authority": "TODO: who granted it",
        "expires": day.replace(year=day.year + 1) if not (day.month == 2 and day.day == 29) else day,
    }
    out.append("# [[waivers]]")
    out.extend("# " + line for line in tomli_w.dumps(table).rstrip("\n").splitlines())
    return out


def proposal_id_for(path: Path) -> str:
    """A proposal id from a file name: ``My Proposal.toml`` -> ``my-proposal``."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return slug or "my-proposal"


def write_new(path: Path, text: str) -> None:
    """Write ``text`` to a new file ``path`` atomically (creating its folder), never over a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise WriteError(str(path), "", "a folder that can be created", err.strerror or str(err)) from None
    try:
        write_text(path, text)
    except WriteError as err:
        if err.hint and "--force" in err.hint:
            # init has no --force: a template is never worth losing someone's proposal for.
            err.hint = "choose another name, or move the existing file away first"
            err.args = (err.render(),)
        raise


def lowest_rung(criteria: Criteria) -> str:
    """The tier a new proposal asks for by default: the ladder's lowest rung (a track beside the
    ladder only when the set has nothing else)."""
    return next((t.id for t in criteria.tiers if not t.outside_ladder), criteria.tiers[0].id)
