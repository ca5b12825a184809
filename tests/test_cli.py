from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import make_repo, make_tree

from verifier.cli import main

REPORT = """\
## Overall project checklist

### Week 1

* [x] Create a git repository (M5)
* [x] Construct one or multiple docker files for your code (M10)
* [ ] Get some continuous integration running on the GitHub repository (M17)
"""


def _repo(tmp_path: Path) -> Path:
    repo = make_repo(
        tmp_path,
        {"reports/README.md": REPORT, "README.md": "# project\n"},
        name="group",
    )
    return Path(repo.working_tree_dir)


def test_audit_json_has_schema_and_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repo(tmp_path)
    assert main(["audit", str(root), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema_version"] == "1.0"
    assert data["snapshot"]["commit"]
    verdicts = {f["id"]: f["verdict"] for f in data["findings"]}
    assert verdicts["M5.git-repository"] == "verified"
    assert verdicts["M10.dockerfiles"] == "mismatch"
    assert verdicts["M17.ci"] == "absent"
    docker = next(f for f in data["findings"] if f["id"] == "M10.dockerfiles")
    assert docker["line"] == 6 and docker["checked"]


def test_fail_on_mismatch_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _repo(tmp_path)
    assert main(["audit", str(root), "--fail-on", "mismatch"]) == 1
    out = capsys.readouterr().out
    assert "mismatch" in out and "M10.dockerfiles" in out


def test_output_file(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    out = tmp_path / "result.json"
    assert main(["audit", str(root), "--format", "json", "--output", str(out)]) == 0
    assert json.loads(out.read_text())["report"]["path"] == "reports/README.md"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["audit", "/nonexistent/dir"], "does not exist"),
        (["audit", "{root}", "--ref", "no-such-branch"], "no-such-branch"),
        (["audit", "{root}", "--deadline", "yesterday"], "ISO 8601"),
        (["audit", "{root}", "--deadline", "2000-01-01"], ""),
        (["audit", "{root}", "--report", "nope.md"], "report not found"),
        (["audit", "{empty}"], "no report found"),
        (["check-report", "/nonexistent.md"], "report not found"),
    ],
)
def test_input_errors_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    root = _repo(tmp_path)
    empty = make_tree(tmp_path, {"a.txt": "x"}, name="empty")
    argv = [a.format(root=root, empty=empty) for a in args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("verifier: ") and message in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["audit", "--format", "yaml"])
    assert exc.value.code == 2


def test_probes_lists_every_catalog_item(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["probes"]) == 0
    out = capsys.readouterr().out
    assert "M17.ci" in out and "ci.continuous_integration" in out
    assert "M28.alerts" in out


def test_check_report_reports_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "README.md"
    report.write_text(
        REPORT + "\n### Question 1\n\n> **Enter the group number**\n>\n> Answer:\n\n7\n"
    )
    code = main(["check-report", str(report)])
    out = capsys.readouterr().out
    assert code in (0, 1)
    assert f"{report}:" in out and "question" in out


def test_report_moved_into_the_top_level_readme_is_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    boxes = "".join(f"* [x] item {n} (M{n})\n" for n in range(5, 10))  # five module-tagged boxes
    readme = "# Our project\n\nSome words about it.\n\n## Checklist\n\n" + boxes
    repo = make_repo(tmp_path, {"README.md": readme, "src/pkg/__init__.py": ""}, name="g")
    assert main(["audit", str(repo.working_tree_dir), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["report"]["path"] == "README.md"
    assert len(data["report"]["items"]) == 5


def test_plain_readme_is_not_taken_for_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path, {"README.md": "# project\n* [x] done\n"}, name="g")
    assert main(["audit", str(repo.working_tree_dir)]) == 2
    assert "no report found" in capsys.readouterr().err


def test_on_disk_reads_the_files_about_to_be_committed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repo(tmp_path)
    (root / "Dockerfile").write_text("FROM python:3.12-slim\n")  # not committed yet
    assert main(["audit", str(root), "--format", "json"]) == 0
    committed = {f["id"]: f["verdict"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert committed["M10.dockerfiles"] == "mismatch"
    assert main(["audit", str(root), "--on-disk", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    on_disk = {f["id"]: f["verdict"] for f in data["findings"]}
    assert on_disk["M10.dockerfiles"] == "verified"
    assert data["snapshot"]["kind"] == "on-disk"
    assert main(["audit", str(root), "--on-disk", "--ref", "main"]) == 2


def test_committed_secret_is_reported_masked_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = "3f9a1c0de4b5a6978812ab34cd56ef7890abcdef"
    repo = make_repo(
        tmp_path,
        {"reports/README.md": REPORT, ".env": f"WANDB_API_KEY={key}\n"},
        name="leaky",
    )
    root = str(repo.working_tree_dir)
    assert main(["audit", root, "--format", "json"]) == 0
    out = capsys.readouterr().out
    notices = json.loads(out)["notices"]["secrets"]
    assert [(e["path"], e["line"]) for e in notices["evidence"]] == [(".env", 1)]
    assert key not in out
    for fmt in ("text", "markdown", "sarif"):
        main(["audit", root, "--format", fmt])
        assert key not in capsys.readouterr().out
