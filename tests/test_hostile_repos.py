"""Broken and hostile repositories and reports, audited end to end through the command line.

Each case is a real git repository in a temporary directory, audited with
``verifier.cli.main(["audit", ..., "--format", fmt])`` for every format. Every run must exit
0, 1 or 2 without a traceback; JSON and SARIF must be valid JSON; no probe or claim check may
end in an ``error`` verdict unless the test names the reason. Contents that must never be
read (a file behind a symlink, a file over the size limit) carry a unique canary string that
must appear in no output.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ISOLATED_GIT_ENV, Link, commit_files, create_branch, make_repo, make_tree

from verifier.cli import main
from verifier.repo.snapshot import DEFAULT_MAX_FILE_BYTES
from verifier.report.catalog import load_catalog

FORMATS = ("text", "json", "markdown", "sarif")


# --------------------------------------------------------------------------- the report


def checklist(year: int = 2025) -> str:
    """Every checklist box of one template year, all ticked, so that every probe runs."""

    lines = ["## Overall project checklist", "", "### Week 1", ""]
    for entry in load_catalog().for_year(year):
        wording = next(w.text for w in entry.wordings if year in w.years)
        lines.append(f"* [X] {wording}")
    return "\n".join(lines) + "\n"


def question(number: int, prompt: str, answer: str) -> str:
    return f"### Question {number}\n\n> **{prompt}**\n>\n> Answer:\n\n{answer}\n\n"


def report(*answers: str, extra_items: str = "") -> str:
    """A report: the full ticked checklist, optional extra boxes, one question per answer."""

    prompts = [
        "Enter the group number you signed up on",
        "Enter the study number for each member in the group",
        "What framework did you use in your project?",
        "How did you manage dependencies in your project?",
        "How did you organize your code?",
    ]
    body = "# Exam template for 02476 Machine Learning Operations\n\n" + checklist()
    body += extra_items + "\n## Group information\n\n"
    for number, text in enumerate(answers, start=1):
        body += question(number, prompts[(number - 1) % len(prompts)], text)
    return body


PLAIN_REPORT = report("42", "s123456, s654321", "We used PyTorch and FastAPI.")


# --------------------------------------------------------------------------- running


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(capsys: pytest.CaptureFixture[str], args: list[str]) -> Run:
    try:
        code = main(args)
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return Run(code, out, err)


def audit_all(
    capsys: pytest.CaptureFixture[str], target: Path | str, *extra: str
) -> dict[str, Run]:
    """Audit ``target`` once per format and check what holds for every input."""

    runs = {
        fmt: run_cli(capsys, ["audit", str(target), "--format", fmt, *extra]) for fmt in FORMATS
    }
    for fmt, run in runs.items():
        assert run.code in (0, 1, 2), (fmt, run.code, run.err)
        assert "Traceback" not in run.out + run.err, (fmt, run.err)
        if run.code == 2:
            assert run.out == "", fmt
            assert run.err.count("\n") == 1 and run.err.startswith("verifier: "), run.err
        elif fmt in ("json", "sarif"):
            json.loads(run.out)
    return runs


def error_verdicts(runs: dict[str, Run]) -> list[str]:
    """``id: reason`` of every probe finding and claim check that ended in ``error``."""

    data = json.loads(runs["json"].out)
    out = [f"{f['id']}: {f['error']}" for f in data["findings"] if f["verdict"] == "error"]
    out += [f"{c['kind']}: {c['error']}" for c in data["claims"] if c["verdict"] == "error"]
    return out


def skipped(runs: dict[str, Run]) -> dict[str, str]:
    data = json.loads(runs["json"].out)
    return {s["path"]: s["reason"] for s in data["snapshot"]["skipped"]}


def assert_nowhere(runs: dict[str, Run], *needles: str) -> None:
    for fmt, run in runs.items():
        for needle in needles:
            assert needle not in run.out and needle not in run.err, (fmt, needle)


def repo_dir(tmp_path: Path, files: dict[str, str | bytes | Link], name: str = "group") -> Path:
    repo = make_repo(tmp_path, files, name=name)
    return Path(repo.working_tree_dir or "")


def canary() -> str:
    return f"CANARY-{uuid.uuid4().hex}"


# --------------------------------------------------------------------------- symlinks


def test_symlinks_out_of_the_repository_are_never_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = canary()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "notes.txt").write_text(secret + "\n", encoding="utf-8")
    absolute = str(outside / "notes.txt")
    root = repo_dir(
        tmp_path,
        {
            "reports/README.md": PLAIN_REPORT,
            # Every place a probe reads, as a link out of the repository.
            "requirements.txt": Link(absolute),
            "pyproject.toml": Link("../outside/notes.txt"),
            "Dockerfile": Link(absolute),
            "configs/config.yaml": Link("../../outside/notes.txt"),
            ".github/workflows/ci.yaml": Link(absolute),
            ".pre-commit-config.yaml": Link(absolute),
            "src/project/train.py": Link(absolute),
            "tests/test_data.py": Link(absolute),
        },
    )
    runs = audit_all(capsys, root)
    assert_nowhere(runs, secret)
    reasons = skipped(runs)
    assert reasons["requirements.txt"].startswith("symlink outside the snapshot")
    assert reasons["configs/config.yaml"].startswith("symlink outside the snapshot")
    assert error_verdicts(runs) == []


def test_report_that_is_a_link_out_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = canary()
    outside = tmp_path / "outside.md"
    outside.write_text(secret + "\n" + PLAIN_REPORT, encoding="utf-8")
    root = repo_dir(tmp_path, {"reports/README.md": Link(str(outside)), "README.md": "# x\n"})
    runs = audit_all(capsys, root)
    assert {r.code for r in runs.values()} == {2}
    assert "cannot be read: symlink outside the snapshot" in runs["text"].err
    assert_nowhere(runs, secret)
    # Named explicitly, the link is found in the repository and refused, not followed.
    runs = audit_all(capsys, root, "--report", "reports/README.md")
    assert {r.code for r in runs.values()} == {2}
    assert "cannot be read" in runs["text"].err
    assert_nowhere(runs, secret)


def test_a_linked_directory_is_not_walked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = canary()
    outside = tmp_path / "outside"
    (outside / "src").mkdir(parents=True)
    (outside / "src" / "model.py").write_text(f'"""{secret}"""\n', encoding="utf-8")
    (outside / "requirements.txt").write_text(f"{secret}\n", encoding="utf-8")
    root = repo_dir(tmp_path, {"reports/README.md": PLAIN_REPORT, "project": Link(str(outside))})
    runs = audit_all(capsys, root)
    assert_nowhere(runs, secret)
    # The same tree audited as a plain directory (no git): links listed, never followed.
    plain = make_tree(tmp_path, {"reports/README.md": PLAIN_REPORT, "project": Link(str(outside))})
    runs = audit_all(capsys, plain)
    assert_nowhere(runs, secret)
    assert error_verdicts(runs) == []


# --------------------------------------------------------------------------- size and binary


def test_file_just_over_the_size_limit_and_binary_posing_as_python(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file one byte over the snapshot's limit (``DEFAULT_MAX_FILE_BYTES``, 2 MB; the
    200 MB case is :func:`test_sparse_200_mb_file_is_never_read`) is listed, never read."""

    secret = canary()
    filler = "x = 1\n" * (DEFAULT_MAX_FILE_BYTES // 6 + 1)
    big = (f"# {secret}\n" + filler)[: DEFAULT_MAX_FILE_BYTES + 1]
    assert len(big.encode()) == DEFAULT_MAX_FILE_BYTES + 1
    binary = b"\x7fELF\x02\x01\x01\x00\x00\x00" + secret.encode() + bytes(range(256)) * 64
    root = repo_dir(
        tmp_path,
        {
            "reports/README.md": PLAIN_REPORT,
            "src/project/train.py": big,
            "requirements.txt": f"# {secret}\n" + "torch\n" * (DEFAULT_MAX_FILE_BYTES // 6),
            "src/project/model.py": binary,
            "tests/test_model.py": binary,
            ".github/workflows/ci.yaml": binary,
        },
    )
    runs = audit_all(capsys, root)
    assert_nowhere(runs, secret)
    reasons = skipped(runs)
    assert reasons["src/project/train.py"].startswith("too large")
    assert reasons["requirements.txt"].startswith("too large")
    assert reasons["src/project/model.py"] == "binary"
    assert reasons["tests/test_model.py"] == "binary"
    assert error_verdicts(runs) == []


@pytest.mark.slow
def test_sparse_200_mb_file_is_never_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path, {"reports/README.md": PLAIN_REPORT}, name="group")
    root = Path(repo.working_tree_dir or "")
    secret = canary()
    big = root / "data" / "raw.py"
    big.parent.mkdir()
    with big.open("wb") as handle:
        handle.write(secret.encode())
        handle.truncate(200 * 1024 * 1024)  # sparse: cheap on disk, zeros compress well
    repo.git.add("data/raw.py")
    commit_files(repo, {}, message="add data")
    runs = audit_all(capsys, root)
    assert_nowhere(runs, secret)
    assert skipped(runs)["data/raw.py"].startswith("too large")
    assert error_verdicts(runs) == []


# --------------------------------------------------------------------------- YAML, TOML, Python


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels + 1):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


def deep_yaml(depth: int = 5000) -> str:
    return "key: " + "[" * depth + "]" * depth + "\n"


def test_yaml_bombs_and_deep_nesting_as_workflows_and_configs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = billion_laughs()
    workflow_bomb = (
        "name: ci\non: push\n"
        + bomb.replace("a0:", "x-a0:")
        + ("jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: *a9\n")
    )
    root = repo_dir(
        tmp_path,
        {
            "reports/README.md": PLAIN_REPORT,
            ".github/workflows/bomb.yaml": workflow_bomb,
            ".github/workflows/laughs.yml": bomb,
            ".github/workflows/deep.yml": deep_yaml(),
            ".github/dependabot.yml": bomb,
            ".pre-commit-config.yaml": bomb,
            "configs/config.yaml": bomb,
            "configs/experiment/deep.yaml": deep_yaml(),
            "conf/config.yaml": "defaults:\n" + "  - " * 1 + deep_yaml(2000),
            "docker-compose.yaml": bomb,
            "cloudbuild.yaml": bomb,
            ".dvc/config": "[core]\n    remote = " + "x" * 10,
            "data.dvc": bomb,
            "mkdocs.yml": deep_yaml(),
            "sweep.yaml": bomb,
        },
    )
    start = time.perf_counter()
    runs = audit_all(capsys, root)
    elapsed = time.perf_counter() - start
    assert error_verdicts(runs) == []
    assert elapsed < 60, elapsed
    data = json.loads(runs["json"].out)
    said = json.dumps(data["findings"])
    assert "YAML refused" in said or "nesting too deep" in said or "nested" in said


def test_invalid_yaml_toml_and_python_syntax(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = repo_dir(
        tmp_path,
        {
            "reports/README.md": PLAIN_REPORT,
            ".github/workflows/ci.yaml": "on: [push\njobs:\n  - : :\n\t- tab\n",
            ".github/workflows/other.yml": "{{{{",
            ".pre-commit-config.yaml": "repos:\n- repo: x\n  hooks: [\n",
            "configs/config.yaml": "lr: 0.1\n  bad: indent\n: :\n",
            "pyproject.toml": '[project\nname = "x"\ndependencies = [\n',
            "uv.lock": "version = = 1\n",
            ".dvc/config": "[core\n",
            "src/project/__init__.py": "",
            "src/project/train.py": "def train(:\n    return\n",
            "src/project/model.py": "class Model(\n" + "(" * 500 + "\n",
            "src/project/data.py": "x = " + "-" * 100_000 + "1\n",
            "src/project/api.py": "from fastapi import FastAPI\napp = FastAPI(\n@app.get('/')\n",
            "tests/test_data.py": "def test_x(:\n    assert True\n",
            "tests/test_model.py": "import pytest\n" + "[" * 300 + "\n",
            "Dockerfile": "FROM \\\n" * 50,
            "requirements.txt": "torch==\n-e\n-r requirements.txt\n--index-url\n",
            "tasks.py": "@task\ndef build(c:\n",
        },
    )
    runs = audit_all(capsys, root)
    assert error_verdicts(runs) == []


# --------------------------------------------------------------------------- encodings


def test_non_utf8_and_mixed_encodings_in_report_and_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mixed = (
        PLAIN_REPORT.encode("utf-8")
        + question(4, "How did you manage dependencies?", "Über-café naïve — ").encode("cp1252")
        + "We used uv ✅ and “pip”.\n".encode()
        + b"\xff\xfe\x00broken \xc3\x28 \xed\xa0\x80 surrogate\n"
    )
    root = repo_dir(
        tmp_path,
        {
            "reports/README.md": mixed,
            "requirements.txt": "torch\nnumpy\n".encode("utf-16"),
            "requirements_dev.txt": "pytest\n".encode("utf-32"),
            "src/project/__init__.py": b"",
            "src/project/data.py": "# -*- coding: latin-1 -*-\nname = 'café'\n".encode("latin-1"),
            "src/project/model.py": b"\xef\xbb\xbfimport torch\n\nclass Model:\n    pass\n",
            "src/project/train.py": "x = 'é'\n".encode() + b"y = '\xe9'\r\nz = 1\r",
            "tests/test_data.py": "def test_a():\n    assert 'ø'\n".encode("utf-16-le"),
            ".github/workflows/ci.yaml": "name: tëst\non: push\n".encode("cp1252")
            + b"jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n",
            "pyproject.toml": b'[project]\nname = "caf\xe9"\n',
        },
    )
    runs = audit_all(capsys, root)
    data = json.loads(runs["json"].out)
    assert any("not valid UTF-8" in p for p in data["report"]["problems"])
    assert "Über-café" in runs["json"].out or "\ufffd" in runs["json"].out
    assert data["report"]["answers"], "answers after the bad bytes are still read"
    assert error_verdicts(runs) == []


def test_utf16_report_does_not_crash_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = repo_dir(tmp_path, {"reports/README.md": PLAIN_REPORT.encode("utf-16")})
    runs = audit_all(capsys, root)
    data = json.loads(runs["json"].out)
    assert data["report"]["items"], "a UTF-16 report (byte order mark) is read"
    assert error_verdicts(runs) == []


def test_utf16_report_is_read_like_its_utf8_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = repo_dir(tmp_path, {"reports/README.md": PLAIN_REPORT.encode("utf-16")})
    runs = audit_all(capsys, root)
    data = json.loads(runs["json"].out)
    assert len(data["report"]["items"]) == PLAIN_REPORT.count("* [X]")


# --------------------------------------------------------------------------- hostile report text

SCRIPT = "<script>alert(document.cookie)</script>"
IMG = '<img src=x onerror="alert(1)">'
MENTION = "@dtu-mlops/teachers"
RICH = "[red]boom[/red]"

HOSTILE_ITEMS = (
    f"* [X] {SCRIPT} pipe|cell|break {MENTION} (M99)\n"
    f"* [X] {IMG} ![pixel](https://evil.example/p.png) {RICH}\n"
    "  continued | on a | second line <b>bold</b>\n"
    "* [X] Construct one or multiple docker files for your code @octocat #1 (M10)\n"
)
HOSTILE_ANSWER = (
    f"We used {SCRIPT} and {IMG} with `pytest`, see {MENTION} and @octocat.\n"
    "| a | b |\n|---|---|\n| x | y |\n"
    "We wrote 12 tests in [tests](tests/) and ran them in CI.\n"
    "[click](javascript:alert(1)) <!-- hidden --> <details><summary>x</summary></details>\n"
    f"{RICH} [/] [bold] [link=https://evil.example]x[/link]\n"
)


def test_html_markdown_mentions_and_markup_in_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = report("42", HOSTILE_ANSWER, HOSTILE_ANSWER, extra_items=HOSTILE_ITEMS)
    root = repo_dir(
        tmp_path, {"reports/README.md": text, "tests/test_a.py": "def test_a():\n    pass\n"}
    )
    runs = audit_all(capsys, root, "--all")
    assert error_verdicts(runs) == []

    markdown = runs["markdown"].out
    assert "<script" not in markdown.lower() and "<img" not in markdown.lower()
    assert "<b>" not in markdown and "javascript:" not in markdown.replace("javascript\\:", "")
    assert MENTION not in markdown and "@octocat" not in markdown
    assert "@\u200bdtu" in markdown, "the item text is in the summary, its mention broken"
    assert "&lt;script&gt;" in markdown
    # Every table row keeps its column count: no student pipe or newline splits a row.
    _assert_tables_intact(markdown)

    # JSON and SARIF keep the text exactly as written, JSON-encoded.
    data = json.loads(runs["json"].out)
    texts = [i["text"] for i in data["report"]["items"]]
    assert any(SCRIPT in t and MENTION in t for t in texts)
    assert any(IMG in t and "second line" in t for t in texts)
    assert any(SCRIPT in a["text"] for a in data["report"]["answers"])
    json.loads(runs["sarif"].out)

    # The terminal table prints rich markup literally (never interpreted).
    out = runs["text"].out
    assert RICH in out and "<script>alert" in out


def test_hostile_answer_cannot_start_a_workflow_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = (
        "We wrote 25 unit tests in total.\n::error file=x::pwned %0A::error::pwned\r"
        f"::set-output name=x::y {SCRIPT} {MENTION}\n"
    )
    text = report(*([answer] * 31))
    root = repo_dir(
        tmp_path, {"reports/README.md": text, "tests/test_a.py": "def test_a():\n    pass\n"}
    )
    run = run_cli(capsys, ["audit", str(root), "--format", "json", "--annotations"])
    assert run.code in (0, 1), run.err
    commands = [ln for ln in run.out.splitlines() if ln.startswith("::")]
    assert commands, "the contradicted claims and mismatches are annotated"
    for line in commands:
        assert line.startswith(("::warning ", "::notice ", "::verifier-")), line
    assert not any(
        ln.lstrip().startswith(("::error", "::set-output")) for ln in run.out.splitlines()
    )


def _assert_tables_intact(markdown: str) -> None:
    unescaped = re.compile(r"(?<!\\)\|")
    columns: int | None = None
    for line in markdown.splitlines():
        if not line.startswith("|"):
            columns = None
            continue
        count = len(unescaped.findall(line))
        if columns is None:
            columns = count
        assert count == columns, line


# --------------------------------------------------------------------------- paths in the report


def test_links_with_traversal_and_absolute_paths_read_nothing_outside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = canary()
    (tmp_path / "outside.py").write_text(f"SECRET = '{secret}'\n", encoding="utf-8")
    depth = "../" * 12
    answer = (
        "Our code is in [train](../../outside.py) and [deep](" + depth + "etc/passwd), "
        "see [abs](/etc/passwd), [abs2](" + str(tmp_path / "outside.py") + "), "
        "[file](file:///etc/passwd), ![img](../../outside.py), ![img2](/etc/shadow) and "
        "[win](C:\\Windows\\win.ini). The config is `../../outside.py` and "
        "`/etc/passwd`; we wrote 3 tests in `" + depth + "etc/passwd`.\n"
    )
    root = repo_dir(
        tmp_path,
        {
            "reports/README.md": report("42", answer, answer),
            "src/project/train.py": "def train() -> None:\n    pass\n",
        },
    )
    runs = audit_all(capsys, root)
    assert_nowhere(runs, secret, "root:x:0:0", "[fonts]")
    assert error_verdicts(runs) == []
    data = json.loads(runs["json"].out)
    links = [c for c in data["claims"] if c["kind"] in ("file-link", "image")]
    assert links, "the links are read as claims"
    outside = [c for c in links if "passwd" in str(c["value"]) or "outside" in str(c["value"])]
    assert outside, [c["value"] for c in links]
    assert all(c["verdict"] != "consistent" for c in outside)


# --------------------------------------------------------------------------- file names


@pytest.mark.parametrize("fmt", FORMATS)
def test_file_names_with_newlines_quotes_and_shell_metacharacters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    names = [
        "src/project/$(touch pwned).py",
        "src/project/`touch pwned2`.py",
        "src/project/a;rm -rf x;touch pwned3.py",
        "src/project/new\nline.py",
        "src/project/quote\"'s.py",
        "tests/test_$(touch pwned4).py",
        "tests/test_|&>x.py",
        "configs/$(touch pwned5).yaml",
        "data/--help.py",
        "-rf.py",
    ]
    files: dict[str, str | bytes | Link] = {"reports/README.md": PLAIN_REPORT}
    for name in names:
        files[name] = "def test_x() -> None:\n    assert True\n"
    files[".github/workflows/ci.yaml"] = (
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: touch pwned6 && pytest $(touch pwned7)\n"
    )
    root = repo_dir(tmp_path, files)
    run = run_cli(capsys, ["audit", str(root), "--format", fmt])
    assert run.code in (0, 1), run.err
    assert "Traceback" not in run.err
    if fmt in ("json", "sarif"):
        json.loads(run.out)
    if fmt == "json":
        assert error_verdicts({"json": run}) == []
    created = [p.name for p in (work, root, tmp_path) for p in p.iterdir() if "pwned" in p.name]
    assert created == []
    assert not list(Path("/tmp").glob("pwned*"))


# --------------------------------------------------------------------------- empty repositories


def _one_line_exit_2(runs: dict[str, Run], fragment: str) -> None:
    for fmt, run in runs.items():
        assert run.code == 2, fmt
        assert fragment in run.err, run.err


def test_empty_repository_and_empty_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path, None, name="empty")
    _one_line_exit_2(audit_all(capsys, repo.working_tree_dir or ""), "has no commits")
    blank = make_repo(tmp_path, {}, name="blank")  # one commit, no files
    _one_line_exit_2(audit_all(capsys, blank.working_tree_dir or ""), "no report found")
    plain = tmp_path / "plain"
    plain.mkdir()
    _one_line_exit_2(audit_all(capsys, plain), "no report found")


def test_no_commits_on_the_default_branch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path, {"reports/README.md": PLAIN_REPORT}, name="group", branch="work")
    # HEAD names a branch without commits; the work lives on another branch.
    repo.git.symbolic_ref("HEAD", "refs/heads/main")
    root = repo.working_tree_dir or ""
    _one_line_exit_2(audit_all(capsys, root), "points to no commit")
    assert "work" in run_cli(capsys, ["audit", root]).err
    runs = audit_all(capsys, root, "--ref", "work")
    assert {r.code for r in runs.values()} == {0}
    assert error_verdicts(runs) == []


def test_report_only_on_another_branch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path, {"README.md": "# x\n"}, name="group")
    create_branch(repo, "report", checkout=True)
    commit_files(repo, {"reports/README.md": PLAIN_REPORT})
    repo.git.checkout("-q", "main")
    root = repo.working_tree_dir or ""
    _one_line_exit_2(audit_all(capsys, root), "no report found")


# --------------------------------------------------------------------------- long lines


def test_pathological_long_lines_in_report_and_workflow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Long lines of the characters the regexes look for: each audit stays fast (linear)."""

    n = 100_000
    long_item = "* [X] " + "(M1" * (n // 3) + " " + "[x](" * 1000 + "\n"
    long_answer = (
        "We "
        + "used " * (n // 5)
        + "\n"
        + "[" * n
        + "\n"
        + "![a](" * (n // 5)
        + "\n"
        + "`" * n
        + "\n"
        + "* [ ] " * (n // 6)
        + "\n"
        + "1" * n
        + " tests\n"
        + "> " * (n // 2)
        + "Answer:\n"
        + ("https://github.com/" + "a/" * (n // 2))
        + "\n"
    )
    workflow = (
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: " + "pip install " * (n // 12) + "&& pytest " + "-x " * (n // 3) + "\n"
        "      - run: '" + "\\" * n + "'\n"
        "      - uses: " + "a/" * (n // 2) + "@v1\n"
    )
    root = repo_dir(
        tmp_path,
        {
            "reports/README.md": report("42", long_answer, long_answer, extra_items=long_item),
            ".github/workflows/ci.yaml": workflow,
            "requirements.txt": "torch" + "[" * n + "\n" + "=" * n + "\n",
            "Dockerfile": "RUN " + "apt-get install -y x " * (n // 20) + "\n",
            "src/project/train.py": "x = '" + "a" * n + "'\n" + "#" * n + "\n",
        },
    )
    start = time.perf_counter()
    runs = audit_all(capsys, root)
    elapsed = time.perf_counter() - start
    assert {r.code for r in runs.values()} == {0}
    assert error_verdicts(runs) == []
    assert elapsed < 60, elapsed


def test_report_over_the_size_limit_is_one_line_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    padding = "x" * (DEFAULT_MAX_FILE_BYTES + 1)
    root = repo_dir(tmp_path, {"reports/README.md": report("42", padding)})
    runs = audit_all(capsys, root, "--report", "reports/README.md")
    _one_line_exit_2(runs, "cannot be read (binary, too large or a link)")


def test_report_over_the_size_limit_found_by_discovery_says_too_large(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    padding = "x" * (DEFAULT_MAX_FILE_BYTES + 1)
    root = repo_dir(tmp_path, {"reports/README.md": report("42", padding)})
    _one_line_exit_2(audit_all(capsys, root), "cannot be read")


# --------------------------------------------------------------------------- many files


def _commit_many_files(tmp_path: Path, count: int) -> Path:
    """A repository of ``count`` small Python files plus the report, built in git's index
    directly (one blob, ``count`` paths), so that building it takes seconds."""

    repo = make_repo(tmp_path, {"reports/README.md": PLAIN_REPORT}, name="many")
    root = Path(repo.working_tree_dir or "")

    def git(*args: str, data: bytes) -> str:
        env = {**os.environ, **ISOLATED_GIT_ENV}
        done = subprocess.run(
            ["git", *args], input=data, cwd=root, env=env, capture_output=True, check=True
        )
        return done.stdout.decode().strip()

    blob = git("hash-object", "-w", "--stdin", data=b"def f() -> int:\n    return 1\n")
    paths = "".join(f"100644 {blob}\tsrc/pkg{i // 1000}/mod{i}.py\n" for i in range(count))
    git("update-index", "--add", "--index-info", data=paths.encode())
    commit_files(repo, {}, message="many files")
    return root


@pytest.mark.slow
def test_a_hundred_thousand_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """100 000 files: the audit completes; a probe that needs longer than its budget is an
    ``error`` naming the budget, and nothing else is."""

    root = _commit_many_files(tmp_path, 100_000)
    run = run_cli(capsys, ["audit", str(root), "--format", "json"])
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert data["snapshot"]["file_count"] == 100_001
    errors = [f for f in data["findings"] if f["verdict"] == "error"]
    assert all("exceeded its budget" in (f["error"] or "") for f in errors), errors
    assert len(errors) < len(data["findings"]) // 4
