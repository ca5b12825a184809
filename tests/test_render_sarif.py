"""SARIF 2.1.0: valid against the OASIS schema, located at the report line, stable fingerprints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import git
import pytest
from conftest import commit_files
from test_render_markdown import (
    ANSWER_LINE,
    CACHING_LINE,
    DOCKER_LINE,
    REPORT,
    audit_fixture,
    make_fixture_repo,
)

from verifier.claims.model import CLAIM_KINDS
from verifier.engine.audit import run_audit
from verifier.engine.inputs import load_report
from verifier.engine.result import AuditResult
from verifier.findings import Verdict
from verifier.render.sarif_render import FINGERPRINT_KEY, artifact_uri, render_sarif, sarif_log
from verifier.repo.snapshot import open_snapshot
from verifier.report.catalog import load_catalog

SCHEMAS = Path(__file__).resolve().parents[1].parent / "shared" / "schemas"
SARIF_SCHEMA = SCHEMAS / "sarif-schema-2.1.0.json"


@pytest.fixture
def result(tmp_path: Path) -> AuditResult:
    return audit_fixture(tmp_path)


def _validate(log: dict[str, Any]) -> None:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF 2.1.0 schema is not at {SARIF_SCHEMA} (../shared is absent)")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    if "properties" not in schema:
        # This copy keeps the log's own shape under definitions/Root and leaves the top level
        # empty, which would accept anything: validate against Root explicitly.
        assert "Root" in schema.get("definitions", {}), "no root shape in the SARIF schema"
        schema = {**schema, "$ref": "#/definitions/Root"}
    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_valid_against_the_sarif_schema(result: AuditResult) -> None:
    log = json.loads(render_sarif(result))
    assert log["version"] == "2.1.0"
    _validate(log)


def test_schema_check_catches_a_broken_log(result: AuditResult) -> None:
    """The validation itself can fail: a result without its message is rejected."""

    log = sarif_log(result)
    del log["runs"][0]["results"][0]["message"]
    with pytest.raises(AssertionError):
        _validate(log)


def test_probe_errors_are_notifications_and_still_valid(result: AuditResult) -> None:
    finding = result.findings[0]
    finding.verdict, finding.observation = Verdict.ERROR, None
    finding.error, finding.probe = "ValueError: boom", "git_probe"
    log = sarif_log(result)
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["level"] == "error" and "boom" in notes[0]["message"]["text"]
    _validate(log)


def test_one_rule_per_catalog_item_and_claim_kind(result: AuditResult) -> None:
    driver = sarif_log(result)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "verifier" and driver["version"] and driver["informationUri"]
    ids = [r["id"] for r in driver["rules"]]
    assert len(ids) == len(set(ids))
    catalog = load_catalog()
    assert set(catalog.ids()) <= set(ids)
    assert {f"claim.{kind}" for kind in CLAIM_KINDS} <= set(ids)
    docker = next(r for r in driver["rules"] if r["id"] == "M10.dockerfiles")
    entry = catalog.get("M10.dockerfiles")
    assert entry is not None
    assert docker["shortDescription"]["text"] == entry.title
    assert docker["fullDescription"]["text"] in {w.text for w in entry.wordings}
    assert entry.looks_for in docker["help"]["text"]


def test_results_sit_on_the_report_line(result: AuditResult) -> None:
    run = sarif_log(result)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert set(by_rule) == {"M10.dockerfiles", "M17.caching-multi-os", "claim.file-link"}
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == "reports/README.md"
    docker = by_rule["M10.dockerfiles"]
    assert docker["level"] == "warning"
    assert docker["locations"][0]["physicalLocation"]["region"]["startLine"] == DOCKER_LINE
    assert "Looked in" in docker["message"]["text"]
    weak = by_rule["M17.caching-multi-os"]
    assert weak["level"] == "note"
    assert weak["locations"][0]["physicalLocation"]["region"]["startLine"] == CACHING_LINE
    related = weak["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"] == ".github/workflows/tests.yaml"
    assert related["region"]["startLine"] > 0
    claim = by_rule["claim.file-link"]
    assert claim["level"] == "warning"
    assert claim["locations"][0]["physicalLocation"]["region"]["startLine"] == ANSWER_LINE
    assert "reports/tests/test_gone.py" in claim["message"]["text"]


def _fingerprints(result: AuditResult) -> dict[str, str]:
    return {
        r["ruleId"]: r["partialFingerprints"][FINGERPRINT_KEY]
        for r in sarif_log(result)["runs"][0]["results"]
    }


def test_fingerprints_are_stable_across_runs_and_line_moves(tmp_path: Path) -> None:
    root = make_fixture_repo(tmp_path)
    with open_snapshot(str(root)) as snap:
        first = _fingerprints(run_audit(load_report(snap, None), snap))
    with open_snapshot(str(root)) as snap:
        again = _fingerprints(run_audit(load_report(snap, None), snap))
    assert first == again
    assert len(set(first.values())) == len(first)
    # Four lines more above the checklist: every finding moves, no alert is new.
    moved = REPORT.replace("## Overall", "Intro.\n\nMore intro.\n\n## Overall", 1)
    commit_files(git.Repo(root), {"reports/README.md": moved}, message="edit report")
    with open_snapshot(str(root)) as snap:
        result = run_audit(load_report(snap, None), snap)
        later = _fingerprints(result)
    lines = {r["ruleId"]: r for r in sarif_log(result)["runs"][0]["results"]}
    start = lines["M10.dockerfiles"]["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert start == DOCKER_LINE + 4
    assert later == first


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("reports/README.md", "reports/README.md"),
        ("group project/reports/README #1.md", "group%20project/reports/README%20%231.md"),
        ("/abs/report.md", "file:///abs/report.md"),
    ],
)
def test_artifact_uris(path: str, uri: str) -> None:
    assert artifact_uri(path) == uri
