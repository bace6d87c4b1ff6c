"""Every class of malformed input ends in one ReformGateError whose whole message is asserted.

Each case changes one thing in a valid criteria set or proposal. Expected messages are templates:
``{file}`` is the file written and ``{line}`` the line of the text the case introduces.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import reform_gate
from reform_gate import errors
from reform_gate.load import MAX_BYTES, MAX_DEPTH, shipped_criteria
from reform_gate.load.resolve import shown

CRITERIA = """
[criteria]
id = "mini"
version = "1"
title = "Mini"

[[pillars]]
id = "ct"
kind = "reform"
weight = 1
title = "Counterterrorism"

[[pillars]]
id = "sg"
kind = "safeguard"
weight = 1
title = "Safeguards"

[indicators.flag]
type = "bool"
title = "Flag"

[indicators.pct]
type = "number"
min = 0
max = 100
unit = "%"
title = "Percentage"

[indicators.lvl]
type = "level"
levels = ["closed", "partial", "open"]
title = "Level, worst first"

[[rules]]
id = "R-1"
pillar = "ct"
weight = 1
gate = true
waivable = true
title = "Flag holds"
check = { indicator = "flag", equals = true }
rationale = "r"
remedy = "m"
references = []

[[rules]]
id = "R-2"
pillar = "ct"
weight = 2
title = "Level"
check = { indicator = "lvl", credit = { closed = 0, partial = 0.5, open = 1 } }
rationale = "r"
remedy = "m"
references = []

[[rules]]
id = "S-1"
pillar = "sg"
weight = 1
title = "Percentage"
check = { indicator = "pct", scale = [0, 50] }
rationale = "r"
remedy = "m"
references = []

[[tiers]]
id = "low"
title = "Low"
gates = ["R-1"]

[[tiers]]
id = "high"
title = "High"
min_score = 60
min_pillar = { ct = 50 }
"""

PROPOSAL = """
[proposal]
id = "p"
title = "P"
actor = "A"
counterpart = "C"
tier = "low"
date = 2025-01-01
criteria = "crit.toml"

[observations.flag]
value = true
source = "s"
as_of = 2024-12-01
reliability = "B2"

[observations.lvl]
value = "partial"
source = "s"
as_of = 2024-12-01
reliability = "B2"

[[waivers]]
rule = "R-1"
reason = "x"
authority = "y"
expires = 2026-01-01
"""


def _change(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must occur once"
    return text.replace(old, new)


def _line(path, needle: str) -> int:
    """The 1-based line where ``needle`` starts: first as whole lines, else anywhere in ``path``."""
    text = "\n" + path.read_text(encoding="utf-8") + "\n"
    at = text.find("\n" + needle + "\n")
    at = at + 1 if at >= 0 else text.index(needle)
    return text.count("\n", 0, at)


def _expect(err: errors.ReformGateError, template: str, path, needle: str | None) -> None:
    line = _line(path, needle) if needle else None
    folder = Path(str(path)).parent
    shipped = shown(shipped_criteria()["reform-before-recognition"].parent)
    expected = template.strip("\n").format(file=path, line=line, folder=folder, shipped=shipped)
    assert err.render() == expected
    # The exception's own text is the rendered message, even after the line was filled in.
    assert str(err) == expected


def _criteria_error(files, old: str, new: str) -> tuple[errors.ReformGateError, object]:
    path = files.write("crit.toml", _change(CRITERIA, old, new))
    with pytest.raises(errors.ReformGateError) as info:
        reform_gate.load_criteria(path)
    return info.value, path


def _proposal_error(files, old: str, new: str) -> tuple[errors.ReformGateError, object]:
    files.write("crit.toml", CRITERIA)
    path = files.write("prop.toml", _change(PROPOSAL, old, new))
    with pytest.raises(errors.ReformGateError) as info:
        proposal = reform_gate.load_proposal(path)
        reform_gate.score(proposal, reform_gate.criteria_for(proposal))
    return info.value, path


def test_the_unchanged_files_are_valid(files):
    files.write("crit.toml", CRITERIA)
    proposal = files.proposal(PROPOSAL)
    verdict = reform_gate.score(proposal, reform_gate.criteria_for(proposal))
    assert verdict.outcome == "supported"


# --- syntax and whole-file problems ----------------------------------------------------------------


def test_toml_syntax_error_names_its_line(files):
    err, path = _criteria_error(files, 'title = "Mini"', 'title = "Mini')
    assert isinstance(err, errors.TomlSyntaxError)
    _expect(
        err,
        """
{file}:{line}: TOML syntax error
  expected: valid TOML
  found:    illegal character '\\n'
""",
        path,
        'title = "Mini',
    )


def test_toml_syntax_error_missing_value(files):
    err, path = _criteria_error(files, "weight = 2", "weight = ")
    _expect(
        err,
        """
{file}:{line}: TOML syntax error
  expected: valid TOML
  found:    invalid value
""",
        path,
        "weight = ",
    )


def test_a_table_written_where_an_array_of_tables_is_meant(files):
    err, path = _criteria_error(files, '[[tiers]]\nid = "high"', '[tiers]\nid = "high"')
    _expect(
        err,
        """
{file}:{line}: TOML syntax error
  expected: valid TOML
  found:    cannot declare tiers twice
""",
        path,
        "[tiers]",
    )


def test_file_not_found(files):
    with pytest.raises(errors.UsageError) as info:
        reform_gate.load_proposal(files.folder / "nope.toml")
    assert (
        str(info.value)
        == f"{files.folder / 'nope.toml'}: usage error\n  expected: an existing file\n  found:    no such file"
    )


def test_a_folder_is_not_a_file(files):
    with pytest.raises(errors.UsageError) as info:
        reform_gate.load_proposal(files.folder)
    assert str(info.value) == f"{files.folder}: usage error\n  expected: a file\n  found:    a directory"


def test_non_utf8_bytes(files):
    path = files.write("latin1.toml", '[proposal]\nid = "p"\ntitle = "café"\n'.encode("latin-1"))
    with pytest.raises(errors.TomlSyntaxError) as info:
        reform_gate.load_proposal(path)
    # "é" is the 13th character of line 3 and is 0xe9 in Latin-1.
    assert str(info.value) == (
        f"{path}:3: TOML syntax error\n"
        "  expected: UTF-8 text (save the file as UTF-8)\n"
        "  found:    the byte 0xe9, which is not UTF-8, at column 13"
    )


def test_a_byte_order_mark_is_accepted(files):
    files.write("crit.toml", CRITERIA)
    path = files.write("bom.toml", b"\xef\xbb\xbf" + PROPOSAL.lstrip("\n").encode())
    assert reform_gate.load_proposal(path).id == "p"


def test_oversize_file(files):
    path = files.write("big.toml", b"# " + b"x" * MAX_BYTES + b"\n")
    with pytest.raises(errors.InputTooLargeError) as info:
        reform_gate.load_proposal(path)
    size = MAX_BYTES + 3
    assert str(info.value) == (
        f"{path}: input too large\n  expected: at most {MAX_BYTES:,} bytes\n  found:    {size:,} bytes"
    )


@pytest.mark.parametrize(("depth", "found"), [(40, "40 levels"), (5000, "deeper nesting")])
def test_too_deeply_nested(files, depth, found):
    # One bracket a line: deep nesting, not a long line (which has its own limit).
    path = files.write("deep.toml", "x = " + "[\n" * depth + "]\n" * depth)
    with pytest.raises(errors.InputTooLargeError) as info:
        reform_gate.load_proposal(path)
    assert str(info.value) == (
        f"{path}: input too large\n  expected: at most {MAX_DEPTH} levels of nesting\n  found:    {found}"
    )


def test_empty_proposal(files):
    path = files.write("empty.toml", "")
    with pytest.raises(errors.MissingKeyError) as info:
        reform_gate.load_proposal(path)
    assert str(info.value) == (
        f"{path}: proposal: missing key\n  expected: a table ([proposal])\n  found:    nothing: the key is absent"
    )


# --- shape: types, unknown and missing keys ---------------------------------------------------------

CRITERIA_SHAPE = [
    pytest.param(
        "weight = 2",
        'weight = "2"',
        'weight = "2"',
        """
{file}:{line}: rules[R-2].weight: invalid value
  expected: a number
  found:    "2" (a string)
""",
        id="wrong-type-number",
    ),
    pytest.param(
        "gate = true",
        'gate = "yes"',
        'gate = "yes"',
        """
{file}:{line}: rules[R-1].gate: invalid value
  expected: true or false
  found:    "yes" (a string)
""",
        id="wrong-type-bool",
    ),
    pytest.param(
        'version = "1"',
        "version = 1",
        "version = 1",
        """
{file}:{line}: criteria.version: invalid value
  expected: a string
  found:    1 (an integer)
""",
        id="wrong-type-string",
    ),
    pytest.param(
        'references = []\n\n[[rules]]\nid = "R-2"',
        'references = "UNSC 2593"\n\n[[rules]]\nid = "R-2"',
        "UNSC 2593",
        """
{file}:{line}: rules[R-1].references: invalid value
  expected: an array
  found:    "UNSC 2593" (a string)
""",
        id="string-for-array",
    ),
    pytest.param(
        'gates = ["R-1"]',
        'gates = "R-1"',
        'gates = "R-1"',
        """
{file}:{line}: tiers[low].gates: invalid value
  expected: "all" or an array of rule ids
  found:    "R-1" (a string)
""",
        id="gates-neither-all-nor-list",
    ),
    pytest.param(
        'kind = "safeguard"',
        'kind = "safegaurd"',
        "safegaurd",
        """
{file}:{line}: pillars[sg].kind: invalid value
  expected: one of "reform", "safeguard"
  found:    "safegaurd" (a string)
  did you mean "safeguard"?
""",
        id="literal-did-you-mean",
    ),
    pytest.param(
        'title = "Mini"',
        'title = "Mini"\nmissing = "zer"',
        "zer",
        """
{file}:{line}: criteria.missing: invalid value
  expected: one of "zero", "exclude"
  found:    "zer" (a string)
  did you mean "zero"?
""",
        id="missing-policy",
    ),
    pytest.param(
        'title = "Mini"',
        'title = "Mini"\nmax_evidence_age_days = 5.5',
        "5.5",
        """
{file}:{line}: criteria.max_evidence_age_days: invalid value
  expected: an integer
  found:    5.5 (a float)
""",
        id="float-for-integer",
    ),
    pytest.param(
        'weight = 1\ntitle = "Counterterrorism"',
        'weight = nan\ntitle = "Counterterrorism"',
        "nan",
        """
{file}:{line}: pillars[ct].weight: invalid value
  expected: a finite number
  found:    nan (a float)
""",
        id="nan",
    ),
    pytest.param(
        'rationale = "r"\nremedy = "m"\nreferences = []\n\n[[rules]]\nid = "R-2"',
        'rationle = "r"\nremedy = "m"\nreferences = []\n\n[[rules]]\nid = "R-2"',
        "rationle",
        """
{file}:{line}: rules[R-1].rationle: unknown key
  expected: one of id, pillar, weight, title, check, rationale, remedy, references, gate, gate_min, waivable, in_gap
  found:    "rationle"
  did you mean "rationale"?
""",
        id="misspelt-required-key",
    ),
    pytest.param(
        'version = "1"',
        'version = "1"\nmin_reliabilty = "C3"',
        "min_reliabilty",
        """
{file}:{line}: criteria.min_reliabilty: unknown key
  expected: one of id, version, title, description, missing, max_evidence_age_days, stale, min_reliability
  found:    "min_reliabilty"
  did you mean "min_reliability"?
""",
        id="misspelt-optional-key",
    ),
    pytest.param(
        "[criteria]",
        "pilars = []\n[criteria]",
        "pilars",
        """
{file}:{line}: pilars: unknown key
  expected: one of criteria, pillars, indicators, rules, tiers
  found:    "pilars"
  did you mean "pillars"?
""",
        id="unknown-top-level-key",
    ),
    pytest.param(
        "min_score = 60",
        "min_met = { cout = 1 }",
        "cout",
        """
{file}:{line}: tiers[high].min_met.cout: unknown key
  expected: one of count, among
  found:    "cout"
  did you mean "count"?
""",
        id="unknown-key-in-inline-table",
    ),
    pytest.param(
        "equals = true",
        "equal = true",
        "equal = true",
        """
{file}:{line}: rules[R-1].check.equal: unknown key
  expected: one of the check keys all_of, any_of, at_least, at_most, credit, equals, indicator, one_of, scale
  found:    "equal"
  did you mean "equals"?
""",
        id="unknown-check-key",
    ),
    pytest.param(
        'title = "Level, worst first"\n',
        "",
        "[indicators.lvl]",
        """
{file}:{line}: indicators.lvl.title: missing key
  expected: a string
  found:    nothing: the key is absent
""",
        id="missing-key",
    ),
    pytest.param(
        'check = { indicator = "flag", equals = true }\n',
        "",
        "[[rules]]",
        """
{file}:{line}: rules[R-1].check: missing key
  expected: a check table such as {{ indicator = "x", equals = true }}
  found:    nothing: the key is absent
""",
        id="missing-check",
    ),
    pytest.param(
        "equals = true",
        "equals = true, at_least = 1",
        "at_least = 1",
        """
{file}:{line}: rules[R-1].check: invalid value
  expected: exactly one of equals, one_of, at_least, at_most, scale, credit, all_of, any_of
  found:    several: equals, at_least
""",
        id="two-check-kinds",
    ),
    pytest.param(
        'check = { indicator = "flag", equals = true }',
        'check = { indicator = "flag", all_of = [{ indicator = "flag", equals = true }] }',
        "all_of",
        """
{file}:{line}: rules[R-1].check.indicator: unknown key
  expected: no indicator beside all_of (each part names its own)
  found:    "indicator"
""",
        id="indicator-beside-all-of",
    ),
    pytest.param(
        'check = { indicator = "flag", equals = true }',
        'check = { any_of = [{ indicator = "flag", equals = true }, { indicator = "flag", eqals = true }] }',
        "eqals",
        """
{file}:{line}: rules[R-1].check.any_of[1].eqals: unknown key
  expected: one of the check keys all_of, any_of, at_least, at_most, credit, equals, indicator, one_of, scale
  found:    "eqals"
  did you mean "equals"?
""",
        id="unknown-key-inside-any-of",
    ),
    pytest.param(
        "scale = [0, 50]",
        "scale = [0, 50, 100]",
        "scale = [0, 50, 100]",
        """
{file}:{line}: rules[S-1].check.scale: invalid value
  expected: an array of two numbers [a, b]
  found:    an array of 3 items
""",
        id="scale-of-three",
    ),
    pytest.param(
        "min_score = 60",
        'min_met = "x"',
        'min_met = "x"',
        """
{file}:{line}: tiers[high].min_met: invalid value
  expected: a count, or a table {{ count = N, among = [rule ids] }}
  found:    "x" (a string)
""",
        id="min-met-shape",
    ),
]


@pytest.mark.parametrize(("old", "new", "needle", "message"), CRITERIA_SHAPE)
def test_criteria_shape(files, old, new, needle, message):
    err, path = _criteria_error(files, old, new)
    _expect(err, message, path, needle)


def test_missing_tiers(files):
    err, path = _criteria_error(files, CRITERIA[CRITERIA.index("[[tiers]]") :], "")
    _expect(
        err,
        """
{file}: tiers: missing key
  expected: an array of tables ([[tiers]])
  found:    nothing: the key is absent
""",
        path,
        None,
    )


# --- meaning: duplicates, dangling references, ranges -------------------------------------------------

CRITERIA_MEANING = [
    pytest.param(
        'id = "sg"',
        'id = "ct"',
        'id = "ct"\nkind = "safeguard"',
        errors.DuplicateIdError,
        """
{file}:{line}: pillars[1].id: duplicate id
  expected: a unique id (each pillar once)
  found:    "ct", already used by pillars[0]
{file}:58: rules[S-1].pillar: unknown id
  expected: the id of a pillar (ct)
  found:    "sg"
""",
        id="duplicate-pillar",
    ),
    pytest.param(
        'id = "R-2"',
        'id = "R-1"',
        'id = "R-1"\npillar = "ct"\nweight = 2',
        errors.DuplicateIdError,
        """
{file}:{line}: rules[1].id: duplicate id
  expected: a unique id (each rule once)
  found:    "R-1", already used by rules[0]
""",
        id="duplicate-rule",
    ),
    pytest.param(
        'id = "high"',
        'id = "low"',
        'id = "low"\ntitle = "High"',
        errors.DuplicateIdError,
        """
{file}:{line}: tiers[1].id: duplicate id
  expected: a unique id (each tier once)
  found:    "low", already used by tiers[0]
""",
        id="duplicate-tier",
    ),
    pytest.param(
        '"closed", "partial", "open"',
        '"closed", "open", "open"',
        "levels =",
        errors.DuplicateIdError,
        """
{file}:{line}: indicators.lvl.levels: duplicate id
  expected: each level once
  found:    a level listed twice
{file}:51: rules[R-2].check.credit.partial: unknown id
  expected: a level of lvl: closed, open, open
  found:    "partial"
""",
        id="duplicate-level",
    ),
    pytest.param(
        'pillar = "sg"',
        'pillar = "sgg"',
        'pillar = "sgg"',
        errors.DanglingReferenceError,
        """
{file}:{line}: rules[S-1].pillar: unknown id
  expected: the id of a pillar (ct, sg)
  found:    "sgg"
  did you mean "sg"?
""",
        id="rule-to-pillar",
    ),
    pytest.param(
        'indicator = "flag"',
        'indicator = "flg"',
        "flg",
        errors.DanglingReferenceError,
        """
{file}:{line}: rules[R-1].check.indicator: unknown id
  expected: the id of an indicator (flag, pct, lvl)
  found:    "flg"
  did you mean "flag"?
""",
        id="check-to-indicator",
    ),
    pytest.param(
        'check = { indicator = "flag", equals = true }',
        'check = { all_of = [{ indicator = "flag", equals = true }, { indicator = "pcct", at_least = 1 }] }',
        "pcct",
        errors.DanglingReferenceError,
        """
{file}:{line}: rules[R-1].check.all_of[1].indicator: unknown id
  expected: the id of an indicator (flag, pct, lvl)
  found:    "pcct"
  did you mean "pct"?
""",
        id="nested-check-to-indicator",
    ),
    pytest.param(
        'gates = ["R-1"]',
        'gates = ["R-l"]',
        "R-l",
        errors.DanglingReferenceError,
        """
{file}:{line}: tiers[low].gates[0]: unknown id
  expected: the id of a rule (R-1, R-2, S-1)
  found:    "R-l"
  did you mean "R-1"?
""",
        id="tier-to-rule",
    ),
    pytest.param(
        "min_score = 60",
        'min_met = { count = 1, among = ["R-1", "X-9"] }',
        "X-9",
        errors.DanglingReferenceError,
        """
{file}:{line}: tiers[high].min_met.among[1]: unknown id
  expected: the id of a rule (R-1, R-2, S-1)
  found:    "X-9"
""",
        id="min-met-among-to-rule",
    ),
    pytest.param(
        "min_pillar = { ct = 50 }",
        'min_pillar = { "counter-terrorism" = 50 }',
        "counter-terrorism",
        errors.DanglingReferenceError,
        """
{file}:{line}: tiers[high].min_pillar.counter-terrorism: unknown id
  expected: the id of a pillar (ct, sg)
  found:    "counter-terrorism"
""",
        id="tier-min-pillar-to-pillar",
    ),
    pytest.param(
        "closed = 0, partial",
        "partial",
        "credit =",
        errors.InvalidValueError,
        """
{file}:{line}: rules[R-2].check.credit: invalid value
  expected: a credit for every level: closed, partial, open
  found:    no credit for closed
""",
        id="credit-missing-a-level",
    ),
    pytest.param(
        "closed = 0",
        "close = 0",
        "close = 0",
        errors.DanglingReferenceError,
        """
{file}:{line}: rules[R-2].check.credit.close: unknown id
  expected: a level of lvl: closed, partial, open
  found:    "close"
  did you mean "closed"?
{file}:{line}: rules[R-2].check.credit: invalid value
  expected: a credit for every level: closed, partial, open
  found:    no credit for closed
""",
        id="credit-unknown-level",
    ),
    pytest.param(
        "partial = 0.5",
        "partial = 1.5",
        "partial = 1.5",
        errors.InvalidValueError,
        """
{file}:{line}: rules[R-2].check.credit.partial: invalid value
  expected: a credit between 0 and 1
  found:    1.5 (a float)
""",
        id="credit-out-of-range",
    ),
    pytest.param(
        "scale = [0, 50]",
        "scale = [50, 50]",
        "scale = [50, 50]",
        errors.InvalidValueError,
        """
{file}:{line}: rules[S-1].check.scale: invalid value
  expected: two different ends [a, b]
  found:    [50, 50]
""",
        id="scale-with-equal-ends",
    ),
    pytest.param(
        'indicator = "flag", equals = true',
        'indicator = "flag", at_least = 1',
        "at_least = 1",
        errors.InvalidValueError,
        """
{file}:{line}: rules[R-1].check.at_least: invalid value
  expected: an indicator of type "number" for at_least
  found:    indicator "flag" of type "bool"
""",
        id="number-check-on-bool",
    ),
    pytest.param(
        "equals = true",
        "equals = 1",
        "equals = 1",
        errors.InvalidValueError,
        """
{file}:{line}: rules[R-1].check.equals: invalid value
  expected: true or false (indicator "flag" is a bool)
  found:    1 (an integer)
""",
        id="equals-of-the-wrong-type",
    ),
    pytest.param(
        'indicator = "flag", equals = true',
        'indicator = "lvl", one_of = ["open", "opne"]',
        "opne",
        errors.InvalidValueError,
        """
{file}:{line}: rules[R-1].check.one_of[1]: invalid value
  expected: one of the levels of "lvl": "closed", "partial", "open"
  found:    "opne" (a string)
  did you mean "open"?
""",
        id="one-of-unknown-level",
    ),
    pytest.param(
        "weight = 2",
        "weight = -2",
        "weight = -2",
        errors.InvalidValueError,
        """
{file}:37: rules[R-1].weight: invalid value
  expected: rule weights in pillar "ct" with a positive sum
  found:    weights summing to 0
{file}:{line}: rules[R-2].weight: invalid value
  expected: a weight of 0 or more
  found:    -2 (an integer)
""",
        id="negative-rule-weight",
    ),
    pytest.param(
        'weight = 1\ntitle = "Safeguards"',
        'weight = -0.5\ntitle = "Safeguards"',
        "weight = -0.5",
        errors.InvalidValueError,
        """
{file}:{line}: pillars[sg].weight: invalid value
  expected: a weight of 0 or more
  found:    -0.5 (a float)
""",
        id="negative-pillar-weight",
    ),
    pytest.param(
        'weight = 1\ntitle = "Counterterrorism"',
        'weight = 0\ntitle = "Counterterrorism"',
        "[[pillars]]",
        errors.InvalidValueError,
        """
{file}:{line}: pillars: invalid value
  expected: reform pillar weights with a positive sum
  found:    weights summing to 0
""",
        id="all-zero-reform-pillar-weights",
    ),
    pytest.param(
        'weight = 1\ntitle = "Percentage"',
        'weight = 0\ntitle = "Percentage"',
        'weight = 0\ntitle = "Percentage"',
        errors.InvalidValueError,
        """
{file}:{line}: rules[S-1].weight: invalid value
  expected: rule weights in pillar "sg" with a positive sum
  found:    weights summing to 0
""",
        id="all-zero-rule-weights-in-a-pillar",
    ),
    pytest.param(
        'kind = "reform"',
        'kind = "safeguard"',
        "[[pillars]]",
        errors.InvalidValueError,
        """
{file}:{line}: pillars: invalid value
  expected: at least one pillar of kind "reform"
  found:    only safeguard pillars
""",
        id="no-reform-pillar",
    ),
    pytest.param(
        'title = "Mini"',
        'title = "Mini"\nmin_reliability = "c3"',
        "c3",
        errors.InvalidValueError,
        """
{file}:{line}: criteria.min_reliability: invalid value
  expected: an Admiralty grade: a letter A-F and a digit 1-6, such as "C3"
  found:    "c3" (a string)
  did you mean "C3"?
""",
        id="criteria-grade",
    ),
    pytest.param(
        'title = "Mini"',
        'title = "Mini"\nmax_evidence_age_days = -5',
        "-5",
        errors.InvalidValueError,
        """
{file}:{line}: criteria.max_evidence_age_days: invalid value
  expected: a number of days, 0 or more
  found:    -5 (an integer)
""",
        id="negative-age",
    ),
    pytest.param(
        "gate = true",
        "gate = true\ngate_min = 0",
        "gate_min = 0",
        errors.InvalidValueError,
        """
{file}:{line}: rules[R-1].gate_min: invalid value
  expected: a credit above 0 and at most 1
  found:    0 (an integer)
""",
        id="gate-min-zero",
    ),
    pytest.param(
        "max = 100",
        "max = 0",
        "max = 0",
        errors.InvalidValueError,
        """
{file}:{line}: indicators.pct.max: invalid value
  expected: a maximum above the minimum (0)
  found:    0 (an integer)
""",
        id="number-range-empty",
    ),
    pytest.param(
        'levels = ["closed", "partial", "open"]\n',
        "",
        "[indicators.lvl]",
        errors.InvalidValueError,
        """
{file}:{line}: indicators.lvl.levels: invalid value
  expected: at least two levels, worst first
  found:    none
""",
        id="level-without-levels",
    ),
    pytest.param(
        'gates = ["R-1"]',
        'gates = ["R-2"]',
        'gates = ["R-2"]',
        errors.InvalidValueError,
        """
{file}:{line}: tiers[low].gates[0]: invalid value
  expected: a rule marked gate = true
  found:    "R-2", which is not a gate
""",
        id="gate-that-is-not-a-gate",
    ),
    pytest.param(
        "min_score = 60",
        "min_score = 160",
        "160",
        errors.InvalidValueError,
        """
{file}:{line}: tiers[high].min_score: invalid value
  expected: a score between 0 and 100
  found:    160 (an integer)
""",
        id="min-score-out-of-range",
    ),
    pytest.param(
        "min_score = 60",
        "min_met = 5",
        "min_met = 5",
        errors.InvalidValueError,
        """
{file}:{line}: tiers[high].min_met.count: invalid value
  expected: a count from 0 to 2 (the rules it counts)
  found:    5 (an integer)
""",
        id="min-met-more-than-there-are",
    ),
    pytest.param(
        "min_score = 60",
        "any_of = [{ min_pillar = { ct = 10 } }, { min_pillar = { sg = 10 } }]",
        "any_of",
        errors.InvalidValueError,
        """
{file}:{line}: tiers[high].any_of: invalid value
  expected: groups that read only reform pillars and rules, or only safeguard ones
  found:    groups mixing reform and safeguard requirements
""",
        id="any-of-mixing-kinds",
    ),
]


@pytest.mark.parametrize(("old", "new", "needle", "error", "message"), CRITERIA_MEANING)
def test_criteria_meaning(files, old, new, needle, error, message):
    """The first problem has the case's type; the message names it and every problem that follows from the change."""
    err, path = _criteria_error(files, old, new)
    assert type(err.problems()[0]) is error
    _expect(err, message, path, needle)


# --- proposals --------------------------------------------------------------------------------------

PROPOSAL_CASES = [
    pytest.param(
        "[observations.lvl]",
        "[observations.lvll]",
        "[observations.lvll]",
        """
{file}:{line}: observations.lvll: unknown id
  expected: the id of an indicator of mini (flag, pct, lvl)
  found:    "lvll"
  did you mean "lvl"?
""",
        id="observation-to-indicator",
    ),
    pytest.param(
        'rule = "R-1"',
        'rule = "R-9"',
        "R-9",
        """
{file}:{line}: waivers[0].rule: unknown id
  expected: the id of a rule (R-1, R-2, S-1)
  found:    "R-9"
  did you mean "R-1"?
""",
        id="waiver-to-rule",
    ),
    pytest.param(
        'tier = "low"',
        'tier = "lo"',
        'tier = "lo"',
        """
{file}:{line}: proposal.tier: unknown id
  expected: the id of a tier of mini (low, high)
  found:    "lo"
  did you mean "low"?
""",
        id="proposal-tier",
    ),
    pytest.param(
        "expires = 2026-01-01\n",
        'expires = 2026-01-01\n\n[[waivers]]\nrule = "R-1" # again\n'
        'reason = "r"\nauthority = "z"\nexpires = 2026-02-01\n',
        'rule = "R-1" # again',
        """
{file}:{line}: waivers[1].rule: duplicate id
  expected: one waiver per rule
  found:    "R-1", already waived by waivers[0]
""",
        id="duplicate-waiver",
    ),
    pytest.param(
        "value = true",
        'value = "true"',
        'value = "true"',
        """
{file}:{line}: observations.flag.value: invalid value
  expected: true or false (indicator "flag" is a bool)
  found:    "true" (a string)
""",
        id="observed-bool-as-string",
    ),
    pytest.param(
        "[observations.flag]\nvalue = true",
        '[observations.pct]\nvalue = "12"',
        'value = "12"',
        """
{file}:{line}: observations.pct.value: invalid value
  expected: a number in % (indicator "pct" is a number)
  found:    "12" (a string)
""",
        id="observed-number-as-string",
    ),
    pytest.param(
        "[observations.flag]\nvalue = true",
        "[observations.pct]\nvalue = 120",
        "value = 120",
        """
{file}:{line}: observations.pct.value: invalid value
  expected: a number from 0 to 100 for "pct"
  found:    120 (an integer)
""",
        id="observed-number-above-max",
    ),
    pytest.param(
        "[observations.flag]\nvalue = true",
        "[observations.pct]\nvalue = -0.5",
        "value = -0.5",
        """
{file}:{line}: observations.pct.value: invalid value
  expected: a number from 0 to 100 for "pct"
  found:    -0.5 (a float)
""",
        id="observed-number-below-min",
    ),
    pytest.param(
        "[observations.flag]\nvalue = true",
        "[observations.pct]\nvalue = inf",
        "value = inf",
        """
{file}:{line}: observations.pct.value: invalid value
  expected: a finite number
  found:    inf (a float)
""",
        id="observed-infinity",
    ),
    pytest.param(
        'value = "partial"',
        'value = "parital"',
        "parital",
        """
{file}:{line}: observations.lvl.value: invalid value
  expected: one of the levels of "lvl": "closed", "partial", "open"
  found:    "parital" (a string)
  did you mean "partial"?
""",
        id="observed-level-misspelt",
    ),
    pytest.param(
        "value = true",
        "value = [true]",
        "value = [true]",
        """
{file}:{line}: observations.flag.value: invalid value
  expected: true/false, a number, or a level name
  found:    an array of 1 item
""",
        id="observed-array",
    ),
    pytest.param(
        "date = 2025-01-01",
        'date = "2025-01-01"',
        'date = "2025-01-01"',
        """
{file}:{line}: proposal.date: invalid value
  expected: a TOML date such as 2024-07-01 (no quotes, no time)
  found:    "2025-01-01" (a string)
  write the date without quotes: date = 2025-01-01
""",
        id="date-as-string",
    ),
    pytest.param(
        'as_of = 2024-12-01\nreliability = "B2"\n\n[observations.lvl]',
        'as_of = "1 Dec 2024"\nreliability = "B2"\n\n[observations.lvl]',
        "1 Dec 2024",
        """
{file}:{line}: observations.flag.as_of: invalid value
  expected: a TOML date such as 2024-07-01 (no quotes, no time)
  found:    "1 Dec 2024" (a string)
  write the date without quotes: as_of = 2024-07-01
""",
        id="as-of-as-prose",
    ),
    pytest.param(
        "expires = 2026-01-01",
        'expires = "2026-01-01"',
        "expires",
        """
{file}:{line}: waivers[0].expires: invalid value
  expected: a TOML date such as 2024-07-01 (no quotes, no time)
  found:    "2026-01-01" (a string)
  write the date without quotes: expires = 2026-01-01
""",
        id="expires-as-string",
    ),
    pytest.param(
        "date = 2025-01-01",
        "date = 2025-01-01T09:30:00Z",
        "date = 2025",
        """
{file}:{line}: proposal.date: invalid value
  expected: a TOML date such as 2024-07-01 (no quotes, no time)
  found:    2025-01-01T09:30:00+00:00 (a date-time)
  drop the time: date = 2025-01-01
""",
        id="datetime",
    ),
    pytest.param(
        "date = 2025-01-01",
        "date = 09:30:00",
        "date = 09",
        """
{file}:{line}: proposal.date: invalid value
  expected: a TOML date such as 2024-07-01 (no quotes, no time)
  found:    09:30:00 (a time)
""",
        id="time-of-day",
    ),
    pytest.param(
        'reliability = "B2"\n\n[observations.lvl]',
        'reliability = "b2"\n\n[observations.lvl]',
        '"b2"',
        """
{file}:{line}: observations.flag.reliability: invalid value
  expected: an Admiralty grade: a letter A-F and a digit 1-6, such as "B2"
  found:    "b2" (a string)
  did you mean "B2"?
""",
        id="grade-lower-case",
    ),
    pytest.param(
        'reliability = "B2"\n\n[observations.lvl]',
        'reliability = "B7"\n\n[observations.lvl]',
        '"B7"',
        """
{file}:{line}: observations.flag.reliability: invalid value
  expected: an Admiralty grade: a letter A-F and a digit 1-6, such as "B2"
  found:    "B7" (a string)
""",
        id="grade-digit-out-of-range",
    ),
    pytest.param(
        'reliability = "B2"\n\n[observations.lvl]',
        'reliability = "reliable"\n\n[observations.lvl]',
        '"reliable"',
        """
{file}:{line}: observations.flag.reliability: invalid value
  expected: an Admiralty grade: a letter A-F and a digit 1-6, such as "B2"
  found:    "reliable" (a string)
""",
        id="grade-in-words",
    ),
    pytest.param(
        'source = "s"\nas_of = 2024-12-01\nreliability = "B2"\n\n[observations.lvl]',
        'as_of = 2024-12-01\nreliability = "B2"\n\n[observations.lvl]',
        "[observations.flag]",
        """
{file}:{line}: observations.flag.source: missing key
  expected: a string
  found:    nothing: the key is absent
""",
        id="observation-without-source",
    ),
    pytest.param(
        'criteria = "crit.toml"',
        'criteria = "reform-before-recogniton"',
        "recogniton",
        """
{file}:{line}: proposal.criteria: criteria set not found
  expected: a shipped criteria set (reform-before-recognition) or the path of a criteria file
  found:    "reform-before-recogniton" (tried {shipped}/reform-before-recogniton.toml)
  did you mean "reform-before-recognition"?
""",
        id="criteria-set-misspelt",
    ),
    pytest.param(
        'criteria = "crit.toml"',
        'criteria = "sets/crit.toml"',
        "sets/crit.toml",
        """
{file}:{line}: proposal.criteria: criteria set not found
  expected: a shipped criteria set (reform-before-recognition) or the path of a criteria file relative to the proposal
  found:    "sets/crit.toml" (tried {folder}/sets/crit.toml)
""",
        id="criteria-file-not-found",
    ),
    pytest.param(
        "expires = 2026-01-01\n",
        'expires = 2026-01-01\n\n[expect]\noutcome = "suported"\nsupported_tier = "high"\n',
        "suported",
        """
{file}:{line}: expect.outcome: invalid value
  expected: one of "rejected", "scale-back", "revise", "supported"
  found:    "suported" (a string)
  did you mean "supported"?
""",
        id="expect-outcome",
    ),
    pytest.param(
        "expires = 2026-01-01\n",
        'expires = 2026-01-01\n\n[expect]\noutcome = "supported"\nsupported_tier = "hgh"\n',
        "hgh",
        """
{file}:{line}: expect.supported_tier: unknown id
  expected: the id of a tier of mini, or none (low, high, none)
  found:    "hgh"
  did you mean "high"?
""",
        id="expect-tier",
    ),
    pytest.param(
        'tier = "low"',
        'tier = "low"\ntiers = "low"',
        "tiers",
        """
{file}:{line}: proposal.tiers: unknown key
  expected: one of id, title, actor, counterpart, tier, date, criteria, summary, evidence
  found:    "tiers"
  did you mean "tier"?
""",
        id="unknown-proposal-key",
    ),
]


@pytest.mark.parametrize(("old", "new", "needle", "message"), PROPOSAL_CASES)
def test_proposal(files, old, new, needle, message):
    err, path = _proposal_error(files, old, new)
    _expect(err, message, path, needle)


def test_criteria_named_on_the_command_line_not_found(files):
    files.write("crit.toml", CRITERIA)
    proposal = files.proposal(PROPOSAL)
    with pytest.raises(errors.CriteriaNotFoundError) as info:
        reform_gate.criteria_for(proposal, "reform-before-recogniton")
    assert str(info.value) == (
        "--criteria: criteria set not found\n"
        "  expected: a shipped criteria set (reform-before-recognition) or the path of a criteria file\n"
        f'  found:    "reform-before-recogniton" (tried {shown(shipped_criteria()["reform-before-recognition"].parent)}'
        '/reform-before-recogniton.toml)\n'
        '  did you mean "reform-before-recognition"?'
    )


def test_an_invalid_criteria_file_is_blamed_not_the_proposal(files):
    crit = files.write("crit.toml", _change(CRITERIA, 'id = "R-2"', 'id = "R-1"'))
    proposal = files.proposal(PROPOSAL)
    with pytest.raises(errors.DuplicateIdError) as info:
        reform_gate.criteria_for(proposal)
    assert info.value.file == str(crit)
    assert info.value.path == "rules[1].id"


def test_did_you_mean():
    assert errors.did_you_mean("rationle", ["rationale", "remedy"]) == "rationale"
    assert errors.did_you_mean("zzz", ["rationale", "remedy"]) is None
    # Case does not hide a match, and a tie goes to the first choice, in the file's order.
    assert errors.did_you_mean("ct1", ["CT-1", "CL-1"]) == "CT-1"
    assert errors.did_you_mean("R-l", ["R-1", "R-2"]) == "R-1"
    assert errors.did_you_mean("R-l", ["R-2", "R-1"]) == "R-2"


# --- nothing but ReformGateError, whatever the input ------------------------------------------------

BAD_VALUES = ['""', "-1", "1.5", "true", "[]", "{}", "2024-01-01", '"x"', "[1, 2]", "{ a = 1 }"]


def _mutants(text: str):
    """Every line with its value replaced by each bad value, and every line deleted."""
    lines = text.strip("\n").splitlines()
    for i, line in enumerate(lines):
        yield "\n".join(lines[:i] + lines[i + 1 :])
        if " = " in line and not line.startswith("["):
            key = line.split(" = ", 1)[0]
            for bad in BAD_VALUES:
                yield "\n".join([*lines[:i], f"{key} = {bad}", *lines[i + 1 :]])


def test_no_other_exception_escapes_the_criteria_loader(files):
    outcomes = {"loaded": 0, "rejected": 0}
    for n, text in enumerate(_mutants(CRITERIA)):
        path = files.write(f"c{n}.toml", text)
        try:
            reform_gate.load_criteria(path)
            outcomes["loaded"] += 1
        except errors.ReformGateError as err:
            outcomes["rejected"] += 1
            assert err.render().startswith(str(path))
    assert outcomes["rejected"] > outcomes["loaded"] > 0


def test_no_other_exception_escapes_proposal_loading_and_scoring(files):
    files.write("crit.toml", CRITERIA)
    outcomes = {"scored": 0, "rejected": 0}
    for n, text in enumerate(_mutants(PROPOSAL)):
        path = files.write(f"p{n}.toml", text)
        try:
            proposal = reform_gate.load_proposal(path)
            reform_gate.score(proposal, reform_gate.criteria_for(proposal))
            outcomes["scored"] += 1
        except errors.ReformGateError as err:
            outcomes["rejected"] += 1
            assert err.render().startswith(str(path))
    assert outcomes["rejected"] > outcomes["scored"] > 0


# --- every problem of a file at once ----------------------------------------------------------------


def test_every_shape_problem_of_a_proposal_is_reported_in_line_order(files):
    """A wrong type, an unknown key and a bad grade in one file: three problems, each with its line."""
    files.write("crit.toml", CRITERIA)
    text = _change(PROPOSAL, 'title = "P"', "title = 5")
    text = _change(text, 'value = "partial"\nsource = "s"', 'value = "partial"\nsourcee = "s"')
    text = text.replace('reliability = "B2"', 'reliability = "b2"', 1)
    path = files.write("prop.toml", text)
    with pytest.raises(errors.InvalidFileError) as info:
        reform_gate.load_proposal(path)
    problems = info.value.problems()
    assert [(p.path, p.kind) for p in problems] == [
        ("proposal.title", "invalid value"),
        ("observations.flag.reliability", "invalid value"),
        ("observations.lvl.sourcee", "unknown key"),
    ]
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert info.value.render() == "\n".join(p.render() for p in problems)
    assert problems[1].hint == 'did you mean "B2"?'


def test_every_reference_problem_against_the_criteria_is_reported(files):
    """An unknown tier, an unknown indicator and a waiver of an unknown rule: all three, with lines."""
    files.write("crit.toml", CRITERIA)
    text = _change(PROPOSAL, 'tier = "low"', 'tier = "lowest"')
    text = _change(text, "[observations.lvl]", "[observations.levl]")
    text = _change(text, 'rule = "R-1"', 'rule = "R-9"')
    path = files.write("prop.toml", text)
    proposal = reform_gate.load_proposal(path)
    with pytest.raises(errors.InvalidFileError) as info:
        reform_gate.score(proposal, reform_gate.criteria_for(proposal))
    problems = info.value.problems()
    assert [p.path for p in problems] == ["proposal.tier", "observations.levl", "waivers[0].rule"]
    assert all(isinstance(p, errors.DanglingReferenceError) for p in problems)
    assert [p.hint for p in problems] == ['did you mean "low"?', 'did you mean "lvl"?', 'did you mean "R-1"?']
    assert [p.line for p in problems] == [_line(path, 'tier = "lowest"'), _line(path, "[observations.levl]"),
                                          _line(path, 'rule = "R-9"')]


def test_a_criteria_path_names_an_element_by_its_id_only_when_unique(files):
    """``rules[R-2]`` where the id is unique; ``rules[1]`` where two rules share it."""
    err, _ = _criteria_error(files, "weight = 2", "weight = true")
    assert err.path == "rules[R-2].weight"
    text = _change(CRITERIA, 'id = "S-1"', 'id = "R-2"')
    path = files.write("crit.toml", _change(text, "weight = 2", "weight = true"))
    with pytest.raises(errors.ReformGateError) as info:
        reform_gate.load_criteria(path)
    assert info.value.path == "rules[1].weight"


def test_validate_prints_every_problem(files, capsys):
    """``reform-gate validate`` writes one ``error:`` block per problem and counts the file once."""
    files.write("crit.toml", CRITERIA)
    text = _change(PROPOSAL, 'title = "P"', "title = 5")
    text = text.replace('reliability = "B2"', 'reliability = "b2"', 1)
    path = files.write("prop.toml", text)
    from reform_gate import cli

    assert cli.main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("error: ") == 2
    assert "0 of 1 file valid" in captured.out
