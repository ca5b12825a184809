from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import make_tree

from verifier.engine.audit import run_audit, run_probe
from verifier.engine.registry import ProbeSpec, RegistryError, probe
from verifier.engine.verdicts import verdict_for
from verifier.findings import Evidence, Observation, Outcome, Verdict, found, missing
from verifier.repo.snapshot import open_snapshot
from verifier.report.model import Tick
from verifier.report.parse import parse_report

REPORT = """\
## Overall project checklist

### Week 1

* [x] Create a git repository (M5)
* [ ] Create a dedicated environment for you project to keep track of your packages (M2)
* [x] Construct one or multiple docker files for your code (M10)
* [x] Teach the cat to juggle (M99)
"""


@pytest.mark.parametrize(
    ("tick", "outcome", "verdict"),
    [
        (Tick.TICKED, Outcome.FOUND, Verdict.VERIFIED),
        (Tick.TICKED, Outcome.PARTIAL, Verdict.WEAK),
        (Tick.TICKED, Outcome.MISSING, Verdict.MISMATCH),
        (Tick.TICKED, Outcome.NOT_VERIFIABLE, Verdict.MANUAL),
        (Tick.UNTICKED, Outcome.FOUND, Verdict.UNCLAIMED),
        (Tick.UNTICKED, Outcome.PARTIAL, Verdict.ABSENT),
        (Tick.UNTICKED, Outcome.MISSING, Verdict.ABSENT),
        (Tick.UNTICKED, Outcome.NOT_VERIFIABLE, Verdict.ABSENT),
        (Tick.PART, Outcome.FOUND, Verdict.VERIFIED),
        (Tick.PART, Outcome.MISSING, Verdict.MISMATCH),
    ],
)
def test_verdict_table(tick: Tick, outcome: Outcome, verdict: Verdict) -> None:
    assert verdict_for(tick, outcome) is verdict


def _spec(func: object) -> ProbeSpec:
    return ProbeSpec("t.probe", ("X.test",), func, "")  # type: ignore[arg-type]


def test_crashing_probe_becomes_an_error_with_the_reason(tmp_path: Path) -> None:
    snap = open_snapshot(make_tree(tmp_path, {"a.txt": "x"}))

    def boom(_snap: object) -> Observation:
        raise ValueError("bad YAML somewhere")

    run = run_probe(_spec(boom), snap, 5)
    assert run.observation is None
    assert run.error is not None and "ValueError: bad YAML somewhere" in run.error


def test_slow_probe_is_cut_off_at_its_budget(tmp_path: Path) -> None:
    snap = open_snapshot(make_tree(tmp_path, {"a.txt": "x"}))

    def slow(_snap: object) -> Observation:
        time.sleep(3)
        return missing("late", [])

    run = run_probe(_spec(slow), snap, 0.2)
    assert run.observation is None
    assert run.error is not None and "budget" in run.error


def test_found_without_evidence_is_refused(tmp_path: Path) -> None:
    snap = open_snapshot(make_tree(tmp_path, {"a.txt": "x"}))
    run = run_probe(_spec(lambda _s: found("trust me", [])), snap, 5)
    assert run.observation is None and "without evidence" in (run.error or "")


def test_probe_returning_garbage_is_an_error(tmp_path: Path) -> None:
    snap = open_snapshot(make_tree(tmp_path, {"a.txt": "x"}))
    run = run_probe(_spec(lambda _s: {"found": True}), snap, 5)
    assert run.observation is None and "dict" in (run.error or "")


def test_two_probes_cannot_claim_one_item() -> None:
    @probe("X.only-once-test")
    def first(_snap: object) -> Observation:
        return missing("", [])

    with pytest.raises(RegistryError):

        @probe("X.only-once-test")
        def second(_snap: object) -> Observation:
            return missing("", [])


def test_audit_of_a_small_tree(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path,
        {
            "reports/README.md": REPORT,
            "dockerfiles/train.dockerfile": "FROM python:3.11-slim\nCOPY src src\n",
            "src/pkg/__init__.py": "",
        },
    )
    snap = open_snapshot(root)
    report = parse_report(REPORT)
    result = run_audit(report, snap)
    by_line = {f.line: f for f in result.findings}
    assert len(result.findings) == len(report.items) == 4
    assert by_line[5].verdict is Verdict.MANUAL  # plain directory: git cannot be shown
    assert by_line[6].verdict is Verdict.ABSENT
    docker = by_line[7]
    assert docker.verdict is Verdict.VERIFIED
    assert docker.observation is not None
    ev = docker.observation.evidence[0]
    assert isinstance(ev, Evidence)
    assert (ev.path, ev.line, ev.text) == (
        "dockerfiles/train.dockerfile",
        1,
        "FROM python:3.11-slim",
    )
    assert by_line[8].verdict is Verdict.UNKNOWN_ITEM
    assert result.counts()["verified"] == 1


def test_a_checklist_box_without_text_is_ignored_and_said(tmp_path: Path) -> None:
    report = parse_report(
        "## Overall project checklist\n\n* [x] Create a git repository (M5)\n* [ ] \n* [x]\n"
    )
    snap = open_snapshot(make_tree(tmp_path, {"a.txt": "x"}))
    result = run_audit(report, snap)
    assert [f.line for f in result.findings] == [3]
    assert "line(s) 4, 5: checklist box without text, ignored" in result.report.problems
