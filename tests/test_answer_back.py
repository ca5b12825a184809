"""Groups answer back: ``.verifier.yml`` pointers and reasons beside the verdicts.

Small real git repositories are audited end to end; the group's pointers must show as
``group-pointer`` evidence, be checked against the audited commit, and never change a verdict.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import commit_files, make_repo

from verifier.engine.answer_back import (
    action_settings,
    attach,
    main,
    parse_config,
    parse_pointer,
)
from verifier.engine.audit import run_audit
from verifier.engine.inputs import load_report
from verifier.engine.result import AuditResult, Finding
from verifier.findings import Evidence, Origin, Verdict, found
from verifier.render.json_render import render_json
from verifier.render.markdown_render import render_markdown
from verifier.repo.snapshot import open_snapshot
from verifier.report.model import ChecklistItem, Tick

REPORT = """\
# Exam template for 02476 Machine Learning Operations

## Overall project checklist

### Week 1

* [x] Create a git repository (M5)
* [x] Make sure that all team members have write access to the GitHub repository (M5)
* [x] Construct one or multiple docker files for your code (M10)

### Week 3

* [x] Create one or more alert systems in GCP to alert you if your app is not behaving \
correctly (M28)
"""

MONITORING = "# Monitoring\n\nAn alert policy fires when the error rate is above 5 %.\n"

CONFIG = """\
# our pointers
evidence:
  M28.alerts: docs/monitoring.md:3
  M10.dockerfiles:
    - docs/docker.md
    - dockerfiles/missing.dockerfile
reasons:
  M5.write-access: all four of us pushed to main; see the commit log
"""

BASE = {
    "reports/README.md": REPORT,
    "docs/monitoring.md": MONITORING,
    "docs/docker.md": "We build images in the cloud.\n",
    "pyproject.toml": '[project]\nname = "g"\nversion = "0"\n',
}


def audit(tmp_path: Path, files: dict[str, str]) -> AuditResult:
    repo = make_repo(tmp_path, files, name="group")
    snap = open_snapshot(str(repo.working_tree_dir))
    with snap:
        return run_audit(load_report(snap, None), snap)


def by_id(result: AuditResult) -> dict[str, Finding]:
    return {f.catalog_id: f for f in result.findings if f.catalog_id}


def pointed(finding: Finding) -> list[Evidence]:
    assert finding.observation is not None
    return [e for e in finding.observation.evidence if e.origin is Origin.GROUP_POINTER]


def test_without_the_file_nothing_changes(tmp_path: Path) -> None:
    result = audit(tmp_path, BASE)
    found_ = by_id(result)
    assert found_["M10.dockerfiles"].verdict is Verdict.MISMATCH
    assert found_["M28.alerts"].verdict is Verdict.MANUAL
    assert all(not pointed(f) for f in result.findings if f.observation)
    assert not any(".verifier" in p for p in result.report.problems)


def test_pointers_and_reasons_are_shown_and_verdicts_stay(tmp_path: Path) -> None:
    plain = by_id(audit(tmp_path / "a", BASE))
    result = audit(tmp_path / "b", {**BASE, ".verifier.yml": CONFIG})
    found_ = by_id(result)
    assert {k: f.verdict for k, f in found_.items()} == {k: f.verdict for k, f in plain.items()}
    assert found_["M28.alerts"].verdict is Verdict.MANUAL
    assert found_["M10.dockerfiles"].verdict is Verdict.MISMATCH

    [alert] = pointed(found_["M28.alerts"])
    assert (alert.path, alert.line) == ("docs/monitoring.md", 3)
    assert alert.text == "An alert policy fires when the error rate is above 5 %."
    assert alert.why == "the group points here"

    [docker] = pointed(found_["M10.dockerfiles"])
    assert (docker.path, docker.line) == ("docs/docker.md", None)

    [reason] = pointed(found_["M5.write-access"])
    assert (reason.path, reason.line) == (".verifier.yml", 8)
    assert reason.why.startswith("the group's reason: all four of us pushed")

    assert not pointed(found_["M5.git-repository"])
    notes = [p for p in result.report.problems if p.startswith(".verifier.yml")]
    assert notes == [
        ".verifier.yml: evidence for M10.dockerfiles: 'dockerfiles/missing.dockerfile' "
        "does not exist in the audited commit"
    ]


def test_json_and_markdown_label_the_groups_evidence(tmp_path: Path) -> None:
    result = audit(tmp_path, {**BASE, ".verifier.yml": CONFIG})
    data = json.loads(render_json(result))
    alerts = next(f for f in data["findings"] if f["id"] == "M28.alerts")
    assert alerts["verdict"] == "manual"
    assert alerts["evidence"][-1]["origin"] == "group-pointer"
    assert "does not exist in the audited commit" in " ".join(data["report"]["problems"])
    text = render_markdown(result, repo_url="https://github.com/o/r")
    assert "group\\-pointer" in text
    assert "the group points here" in text


def test_bad_pointers_and_ids_become_notes(tmp_path: Path) -> None:
    config = """\
evidence:
  M28.alerts: docs/monitoring.md:99
  M10.dockerfiles: docs/docker.md:1-5
  M99.nothing: docs/docker.md
  M12.profiling: docs/docker.md:1
  M5.git-repository: ../../etc/passwd
reasons:
  M28.alerts: [not, text]
colour: blue
"""
    result = audit(tmp_path, {**BASE, ".verifier.yml": config})
    notes = [p for p in result.report.problems if p.startswith(".verifier.yml")]
    assert any(
        "M28.alerts: 'docs/monitoring.md:99' is past the end of the file (3" in n for n in notes
    )
    assert any("'docs/docker.md:1-5' is past the end of the file (1 lines)" in n for n in notes)
    assert any("'M99.nothing' is not a known item id" in n for n in notes)
    assert any("M12.profiling is not among the report's items" in n for n in notes)
    assert any("'../../etc/passwd' is not path" in n for n in notes)
    assert any("reason for M28.alerts must be text" in n for n in notes)
    assert any("unknown key 'colour'" in n for n in notes)
    assert all(not pointed(f) for f in result.findings if f.observation)


@pytest.mark.parametrize(
    "text",
    [
        "evidence: [unclosed\n",
        "- just\n- a list\n",
        "evidence: !!python/object/apply:os.system ['true']\n",
        "a: &a [*a, *a]\n",
        "evidence: docs/monitoring.md:3\n",
    ],
)
def test_broken_files_are_a_note_never_an_error(tmp_path: Path, text: str) -> None:
    result = audit(tmp_path, {**BASE, ".verifier.yml": text})
    notes = [p for p in result.report.problems if p.startswith(".verifier.yml")]
    assert notes
    assert not any(f.verdict is Verdict.ERROR for f in result.findings)
    assert all(not pointed(f) for f in result.findings if f.observation)


def test_the_file_is_read_from_the_audited_commit(tmp_path: Path) -> None:
    """Pointers committed after the audited commit do not count; the file of that commit does."""

    repo = make_repo(tmp_path, {**BASE, ".verifier.yml": CONFIG}, name="group")
    first = repo.head.commit.hexsha
    commit_files(repo, {".verifier.yml": None, "docs/monitoring.md": "# Monitoring\n"})

    def alerts_pointers(ref: str) -> list[Evidence]:
        snap = open_snapshot(str(repo.working_tree_dir), ref=ref)
        with snap:
            result = run_audit(load_report(snap, None), snap)
        return pointed(by_id(result)["M28.alerts"])

    assert [e.line for e in alerts_pointers(first)] == [3]
    assert alerts_pointers("HEAD") == []


def test_a_shared_observation_is_not_changed_for_other_items() -> None:
    obs = found("x", [Evidence("a.py", 1, "x", "probe")])

    def finding(item_id: str) -> Finding:
        item = ChecklistItem(1, Tick.TICKED, "x", "t", (), None, catalog_id=item_id)
        return Finding(item, item_id, "t", Verdict.VERIFIED, obs)

    one, two = finding("A.one"), finding("A.two")
    extra = Evidence("docs/a.md", 2, "y", "the group points here", Origin.GROUP_POINTER)
    assert attach([one, two], {"A.one": [extra]}) == []
    assert one.observation is not None and one.observation.evidence[-1] == extra
    assert two.observation is obs and len(obs.evidence) == 1
    assert one.verdict is Verdict.VERIFIED


def test_parse_pointer() -> None:
    assert parse_pointer("docs/a.md:12") is not None
    p = parse_pointer("./docs/a.md:12-20", 4)
    assert p is not None and (p.path, p.start, p.end, p.config_line) == ("docs/a.md", 12, 20, 4)
    p = parse_pointer("src/x.py")
    assert p is not None and (p.path, p.start, p.end) == ("src/x.py", None, None)
    for bad in ["", "../x", "docs/a.md:0", "docs/a.md:9-3", "/"]:
        assert parse_pointer(bad) is None, bad


def test_deadline_and_report_for_the_action(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / ".verifier.yml").write_text(
        "deadline: 2026-01-24T23:59:00+01:00\nreport: docs/report.md\n", encoding="utf-8"
    )
    assert action_settings(str(tmp_path)) == [
        "deadline=2026-01-24T23:59:00+01:00",
        "report=docs/report.md",
    ]
    assert main([str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "deadline=2026-01-24T23:59:00+01:00"
    config = parse_config("deadline: 2026-01-24\nreport: |\n  two\n  lines\n")
    assert config.deadline == "2026-01-24"
    assert config.report is None and any("report must be one line" in p for p in config.problems)
    assert action_settings(str(tmp_path / "absent")) == []


def test_the_action_takes_report_and_deadline_from_the_file(tmp_path: Path) -> None:
    from test_action import run_action

    files = {
        "docs/final-report.md": REPORT,
        "pyproject.toml": BASE["pyproject.toml"],
        ".verifier.yml": "report: docs/final-report.md\ndeadline: 2026-02-01T12:00:00Z\n",
    }
    repo = make_repo(tmp_path, files, name="group")
    workspace = Path(repo.working_tree_dir or "")
    (tmp_path / "run").mkdir()
    run = run_action(tmp_path / "run", workspace, {})
    assert run.outputs["exit-code"] == "0", run.stdout
    data = json.loads(Path(run.outputs["json-path"]).read_text(encoding="utf-8"))
    assert data["report"]["path"] == "docs/final-report.md"
    assert data["snapshot"]["deadline"] == "2026-02-01T12:00:00+00:00"

    (tmp_path / "run2").mkdir()
    run = run_action(tmp_path / "run2", workspace, {"deadline": "2026-03-01T00:00:00Z"})
    data = json.loads(Path(run.outputs["json-path"]).read_text(encoding="utf-8"))
    assert data["snapshot"]["deadline"] == "2026-03-01T00:00:00+00:00"  # the input wins
