"""The composite action (action.yml) run as the runner would, and the CLI's CI outputs.

The ``run:`` steps of action.yml are executed in order with bash, with ``${{ … }}``
expressions substituted here and ``GITHUB_*`` / ``RUNNER_*`` variables pointing at temporary
files; ``uses:`` steps are skipped and the install step is a no-op (the package is installed
in this environment). Each step gets its own ``$GITHUB_OUTPUT``, read back into
``steps.<id>.outputs`` as the runner does.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from test_render_markdown import DOCKER_LINE, REPO_URL, audit_fixture, make_fixture_repo

from verifier.cli_outputs import add_output_arguments, default_repo_url, write_outputs
from verifier.engine.result import AuditResult

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
BASH = shutil.which("bash")
_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def parse_github_output(text: str) -> dict[str, str]:
    """``name=value`` lines and ``name<<DELIM`` … ``DELIM`` blocks."""

    out: dict[str, str] = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            end = lines.index(delim, i + 1)
            out[name] = "\n".join(lines[i + 1 : end])
            i = end + 1
            continue
        if line:
            name, value = line.split("=", 1)
            out[name] = value
        i += 1
    return out


@dataclass
class ActionRun:
    steps: dict[str, dict[str, str]] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    stdout: str = ""
    codes: list[tuple[str, int]] = field(default_factory=list)
    summary: str = ""
    skipped: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(code != 0 for _, code in self.codes)


def run_action(tmp_path: Path, workspace: Path, inputs: dict[str, str]) -> ActionRun:
    """Run the action's steps as a runner would; stop at the first failing step."""

    assert BASH is not None
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    declared = action["inputs"]
    unknown = set(inputs) - set(declared)
    assert not unknown, f"inputs not declared in action.yml: {unknown}"
    values = {name: str(spec.get("default", "")) for name, spec in declared.items()}
    values.update(inputs)
    temp = tmp_path / "runner-temp"
    temp.mkdir(exist_ok=True)
    summary = tmp_path / "step-summary.md"
    summary.touch()
    run = ActionRun()
    # The venv's console script `verifier` first, as after the install step.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    context = {
        "github.action_path": str(ROOT),
        "github.workspace": str(workspace),
        "runner.temp": str(temp),
        "runner.os": "Linux",
    }

    def expand(text: str) -> str:
        def one(match: re.Match[str]) -> str:
            expr = match.group(1)
            if expr.startswith("inputs."):
                return values[expr.removeprefix("inputs.")]
            if expr in context:
                return context[expr]
            found = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
            if found:
                return run.steps.get(found.group(1), {}).get(found.group(2), "")
            raise AssertionError(f"expression the test cannot evaluate: {expr}")

        return _EXPR.sub(one, text)

    for index, step in enumerate(action["runs"]["steps"]):
        name = step.get("id") or f"step{index}"
        assert "if" not in step, "conditions are kept in bash so that this test runs them"
        if "uses" in step:
            run.skipped.append(step["uses"])
            continue
        assert step.get("shell") == "bash", f"{name}: composite run steps need shell: bash"
        script = expand(step["run"])
        if step.get("id") == "install":
            assert "pip install" in script and str(ROOT) in script
            script = "true"
        output = tmp_path / f"output-{name}.txt"
        output.write_text("")
        env = {
            **os.environ,
            "PATH": path,
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_ACTION_PATH": str(ROOT),
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REPOSITORY": "group/project",
            "GITHUB_ACTIONS": "true",
            "RUNNER_TEMP": str(temp),
            "RUNNER_OS": "Linux",
        }
        env.update({k: expand(str(v)) for k, v in (step.get("env") or {}).items()})
        script_file = tmp_path / f"step-{index}.sh"
        script_file.write_text(script, encoding="utf-8")
        proc = subprocess.run(
            [BASH, "--noprofile", "--norc", "-eo", "pipefail", str(script_file)],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        run.stdout += proc.stdout
        run.codes.append((name, proc.returncode))
        run.steps[name] = parse_github_output(output.read_text(encoding="utf-8"))
        if proc.returncode != 0:
            run.stdout += proc.stderr
            break
    run.outputs = {k: expand(str(v["value"])) for k, v in action.get("outputs", {}).items()}
    run.summary = summary.read_text(encoding="utf-8")
    return run


def _cli_has_outputs() -> bool:
    from verifier.cli import build_parser

    try:
        build_parser().parse_args(["audit", ".", "--summary-file", "x", "--format", "sarif"])
    except SystemExit:
        return False
    return True


needs_cli = pytest.mark.skipif(
    not _cli_has_outputs(),
    reason="verifier/cli.py does not wire verifier.cli_outputs and RENDERERS yet "
    "(add_output_arguments(audit), write_outputs(args, result), --format choices)",
)
pytestmark = pytest.mark.skipif(BASH is None, reason="bash is not installed")


# ---- action.yml itself


def test_action_declares_the_inputs_and_outputs() -> None:
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert set(action["inputs"]) >= {
        "report-path",
        "deadline",
        "fail-on",
        "format",
        "comment",
        "online",
    }
    assert action["inputs"]["fail-on"]["default"] == "never"
    assert set(action["outputs"]) >= {"mismatch", "weak", "verified", "json-path", "sarif-path"}
    steps = action["runs"]["steps"]
    assert any(str(s.get("uses", "")).startswith("actions/setup-python@") for s in steps)
    assert any(str(s.get("uses", "")).startswith("actions/cache@") for s in steps)


def test_inputs_reach_scripts_only_through_the_environment() -> None:
    """``${{ inputs.* }}`` inside a script would let an input inject shell code."""

    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    for step in action["runs"]["steps"]:
        assert "inputs." not in step.get("run", ""), step.get("name")


# ---- the steps, run


@needs_cli
def test_default_run_writes_summary_annotations_sarif_and_outputs(tmp_path: Path) -> None:
    workspace = make_fixture_repo(tmp_path)
    run = run_action(tmp_path, workspace, {})
    assert not run.failed, run.stdout
    assert run.skipped[0].startswith("actions/setup-python@")
    # Job summary with links at the audited commit.
    commit = run.outputs["commit"]
    assert len(commit) == 40
    assert "**1 mismatch**" in run.summary
    assert f"{REPO_URL}/blob/{commit}/reports/README.md?plain=1#L{DOCKER_LINE}" in run.summary
    # Annotations on the report line.
    assert f"::warning file=reports/README.md,line={DOCKER_LINE}," in run.stdout
    # The log output is fenced off from the runner's command parsing.
    fence = re.search(r"^::stop-commands::(\S+)$", run.stdout, re.M)
    assert fence is not None and f"\n::{fence.group(1)}::" in run.stdout
    assert run.stdout.index("::warning") < fence.start()
    # Outputs: counts and files.
    assert run.outputs["mismatch"] == "1" and run.outputs["weak"] == "1"
    assert run.outputs["claims-inconsistent"] == "1"
    assert run.outputs["exit-code"] == "0"
    data = json.loads(Path(run.outputs["json-path"]).read_text(encoding="utf-8"))
    assert data["counts"]["mismatch"] == 1
    sarif = json.loads(Path(run.outputs["sarif-path"]).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    assert Path(run.outputs["output-path"]).name == "result.txt"
    assert re.fullmatch(r"[0-9a-f]{16}", run.steps["pip-cache"]["hash"])


@needs_cli
def test_fail_on_mismatch_fails_after_writing_everything(tmp_path: Path) -> None:
    workspace = make_fixture_repo(tmp_path)
    run = run_action(tmp_path, workspace, {"fail-on": "mismatch", "format": "sarif"})
    assert run.codes[-1] == ("audit", 1)
    assert "::error title=verifier::findings at or above fail-on: mismatch" in run.stdout
    assert run.outputs["exit-code"] == "1" and run.outputs["mismatch"] == "1"
    assert "**1 mismatch**" in run.summary
    assert Path(run.outputs["output-path"]).name == "result.sarif"
    assert Path(run.outputs["sarif-path"]).is_file()


@needs_cli
def test_fail_on_weak_passes_a_clean_report(tmp_path: Path) -> None:
    workspace = make_fixture_repo(tmp_path)
    report = workspace / "reports" / "only-git.md"
    report.write_text("* [x] Create a git repository (M5)\n", encoding="utf-8")
    run = run_action(
        tmp_path, workspace, {"fail-on": "weak", "report-path": str(report), "format": "markdown"}
    )
    assert not run.failed, run.stdout
    assert run.outputs["mismatch"] == "0" and run.outputs["verified"] == "1"
    assert "Nothing needs attention" in Path(run.outputs["output-path"]).read_text()


@needs_cli
def test_bad_input_fails_with_usage_error(tmp_path: Path) -> None:
    workspace = make_fixture_repo(tmp_path)
    run = run_action(tmp_path, workspace, {"fail-on": "sometimes"})
    assert run.codes[-1] == ("audit", 2)
    assert "exit code 2" in run.stdout


@needs_cli
def test_inputs_are_not_shell_code(tmp_path: Path) -> None:
    workspace = make_fixture_repo(tmp_path)
    marker = tmp_path / "pwned"
    hostile = f'x"; touch {marker}; echo "$(touch {marker})'
    run = run_action(tmp_path, workspace, {"report-path": hostile, "deadline": hostile})
    assert not marker.exists()
    assert run.codes[-1][1] == 2  # a bad deadline: usage error, nothing run


# ---- write_outputs without the CLI


@pytest.fixture
def result(tmp_path: Path) -> AuditResult:
    return audit_fixture(tmp_path)


def _args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_output_arguments(parser)
    return parser.parse_args(argv)


def test_write_outputs(
    tmp_path: Path, result: AuditResult, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    out = tmp_path / "out.txt"
    args = _args(
        [
            "--summary-file",
            str(summary),
            "--annotations",
            "--sarif-file",
            str(tmp_path / "v.sarif"),
            "--json-file",
            str(tmp_path / "v.json"),
            "--github-output",
            str(out),
            "--repo-url",
            REPO_URL,
        ]
    )
    write_outputs(args, result)
    text = summary.read_text()
    assert text.startswith("earlier step\n## verifier"), "the summary is appended"
    assert f"{REPO_URL}/blob/{result.snapshot.commit}/" in text
    printed = capsys.readouterr().out.splitlines()
    assert printed and all(line.startswith(("::warning ", "::notice ")) for line in printed)
    outputs = parse_github_output(out.read_text())
    assert outputs["mismatch"] == "1" and outputs["claims-inconsistent"] == "1"
    assert outputs["commit"] == result.snapshot.commit
    assert json.loads(Path(outputs["json-path"]).read_text())["schema_version"]
    assert json.loads(Path(outputs["sarif-path"]).read_text())["version"] == "2.1.0"


def test_write_outputs_nothing_asked(
    result: AuditResult, capsys: pytest.CaptureFixture[str]
) -> None:
    write_outputs(_args([]), result)
    assert capsys.readouterr().out == ""


def test_unwritable_output_is_an_input_error(tmp_path: Path, result: AuditResult) -> None:
    from verifier.errors import InputError

    with pytest.raises(InputError, match="cannot write"):
        write_outputs(_args(["--json-file", str(tmp_path / "no" / "such" / "dir.json")]), result)


def test_default_repo_url() -> None:
    env = {"GITHUB_SERVER_URL": "https://github.com/", "GITHUB_REPOSITORY": "o/r"}
    assert default_repo_url(env) == "https://github.com/o/r"
    assert default_repo_url({"GITHUB_REPOSITORY": "o/r"}) is None


def test_multiline_output_values_use_a_delimiter(tmp_path: Path, result: AuditResult) -> None:
    result.report.path = "reports/odd\nname.md"
    out = tmp_path / "out.txt"
    write_outputs(_args(["--github-output", str(out)]), result)
    assert parse_github_output(out.read_text())["report-path"] == "reports/odd\nname.md"


# ---- the pre-commit hook


def test_pre_commit_hook_runs_the_audit(tmp_path: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "verifier")
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    assert re.search(hook["files"], "reports/README.md")
    assert not re.search(hook["files"], "README.md")
    workspace = make_fixture_repo(tmp_path)
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    proc = subprocess.run(
        shlex.split(hook["entry"]),
        cwd=workspace,
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "M10.dockerfiles" in proc.stdout and "mismatch" in proc.stdout


def test_links_from_the_environment_only_for_the_checked_out_repository(
    tmp_path: Path, result: AuditResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "group/project")
    summary = tmp_path / "summary.md"
    write_outputs(_args(["--summary-file", str(summary)]), result)
    assert f"{REPO_URL}/blob/" in summary.read_text()
    result.snapshot.kind = "clone"  # another repository than the workflow's own
    summary.write_text("")
    write_outputs(_args(["--summary-file", str(summary)]), result)
    assert "](" not in summary.read_text()
