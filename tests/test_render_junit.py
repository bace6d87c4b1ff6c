"""The JUnit format, read back by junitparser (a real JUnit consumer) and by xml.etree."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import attrs
import pytest
from junitparser import Error, Failure, JUnitXml, TestSuite

from reform_gate.errors import TomlSyntaxError
from reform_gate.render import Run, junit
from reform_gate.render.shared import blocking_findings
from tests.golden_util import check_golden
from tests.render_util import SEED_IDS, rendered, seed_run, seed_verdict


def suites(run: Run) -> list[TestSuite]:
    xml = JUnitXml.fromstring(rendered(junit, run).encode("utf-8"))
    return list(xml)


@pytest.mark.parametrize("seed", SEED_IDS)
def test_junit_golden(seed: str) -> None:
    """Each seed's JUnit report is exactly as reviewed."""
    check_golden(f"junit/{seed}.xml", rendered(junit, seed_run(seed)))


@pytest.mark.parametrize("seed", SEED_IDS)
def test_one_suite_per_proposal_one_case_per_rule(seed: str) -> None:
    """junitparser reads one suite named by the proposal, a case per rule plus the outcome."""
    v = seed_verdict(seed)
    (suite,) = suites(seed_run(seed))
    assert suite.name == v.proposal
    cases = list(suite)
    assert [c.name.split(" ", 1)[0] for c in cases[:-1]] == [f.rule for f in v.findings]
    assert cases[-1].name == f"outcome: {v.requested_tier}"
    assert suite.tests == len(v.findings) + 1
    failed = [c for c in cases if any(isinstance(r, Failure) for r in c.result)]
    assert suite.failures == len(failed)
    if v.outcome == "supported":
        assert not failed
    else:
        assert {c.name.split(" ", 1)[0] for c in failed[:-1]} == {f.rule for f in blocking_findings(v)}
        assert failed[-1].name.startswith("outcome")


def test_failures_carry_observed_against_needed() -> None:
    """A failure's message says what was observed and what was needed; its text has the evidence."""
    v = seed_verdict("ru-formal-recognition")
    (suite,) = suites(seed_run("ru-formal-recognition"))
    case = next(c for c in suite if c.name.startswith("CT-1 "))
    (failure,) = case.result
    assert isinstance(failure, Failure)
    assert failure.type == "gate"
    assert failure.message == "observed safe_haven_denied = false; needs safe_haven_denied = true"
    assert "evidence: UN Analytical Support" in (failure.text or "")
    assert case.classname == f"{v.proposal}.counterterrorism"


def test_properties_and_locations_with_etree() -> None:
    """xml.etree sees the verdict in properties and file/line on each testcase."""
    v = seed_verdict("ru-formal-recognition")
    root = ET.fromstring(rendered(junit, seed_run("ru-formal-recognition")))
    assert root.tag == "testsuites" and root.get("name") == "reform-gate"
    suite = root.find("testsuite")
    assert suite is not None
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["outcome"] == v.outcome and props["requested_tier"] == v.requested_tier
    assert props["supported_tier"] == v.supported_tier
    case = next(c for c in suite.iter("testcase") if c.get("name", "").startswith("CT-1 "))
    assert case.get("file") == v.file and case.get("line") == str(v.finding("CT-1").line)
    assert root.get("failures") == suite.get("failures")


def test_fail_below_decides_failure() -> None:
    """With --fail-below scale-back a scale-back proposal passes: blocking rules only say so in system-out."""
    (suite,) = suites(seed_run("ru-formal-recognition", fail_below="scale-back"))
    assert suite.failures == 0
    root = ET.fromstring(rendered(junit, seed_run("ru-formal-recognition", fail_below="scale-back")))
    outs = [o.text or "" for o in root.iter("system-out")]
    assert any("blocks recognition, but scale-back passes" in o for o in outs)


def test_invalid_files_are_errors() -> None:
    """Files that could not be scored form a suite of errors."""
    err = TomlSyntaxError("proposals/bad.toml", "", "valid TOML", "an unclosed table", None, 4)
    parsed = suites(seed_run("ru-tapi-pipeline", errors=(err,)))
    bad = parsed[-1]
    assert bad.name == "invalid input" and bad.errors == 1
    (case,) = list(bad)
    (error,) = case.result
    assert isinstance(error, Error) and error.type == "TomlSyntaxError"
    assert "proposals/bad.toml:4" in (error.text or "")


def test_text_that_xml_cannot_hold() -> None:
    """Control characters from a file are replaced, so the report still parses."""
    v = attrs.evolve(seed_verdict("ru-tapi-pipeline"), proposal="p\x01<&>\"'", title="\x0b\ud800")
    (suite,) = suites(Run((v,)))
    assert suite.name == "p\ufffd<&>\"'"


def test_a_rule_s_texts_are_written_once_per_run() -> None:
    """In a run, a rule's remedy and place are in its first failure only; each later failure of the
    rule still says what happened there and names the proposal whose failure has them."""
    run = seed_run()
    remedies: dict[str, str] = {f.rule: f.remedy.strip() for v in run.verdicts for f in v.findings}
    first: dict[str, str] = {}
    repeated = 0
    for suite in suites(run):
        for case in suite:
            failure = next((r for r in case.result if isinstance(r, Failure)), None)
            rule = case.name.split(" ", 1)[0]
            if failure is None or rule not in remedies:
                continue
            text = failure.text or ""
            assert text.startswith(case.name) and "observed: " in text and "at: " in text
            if rule not in first:
                first[rule] = suite.name
                assert f"remedy: {remedies[rule]}" in text and "\nrule: " in text
            else:
                repeated += 1
                assert remedies[rule] not in text and "\nrule: " not in text
                assert text.endswith(f"remedy and rule: as in the failure of {rule} under {first[rule]}")
    assert first and repeated, "the seeds have rules failing in several proposals"
