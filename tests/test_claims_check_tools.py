"""Claim checks for tools named in the answers: DVC, dependency managers, code-quality tools,
frameworks and load testing."""

from __future__ import annotations

from pathlib import Path

from conftest import commit_files, make_repo
from probe_helpers import snapshot_of

from probes.claims_tools import (
    check_dependency_manager,
    check_dvc_remote,
    check_dvc_used,
    check_framework,
    check_load_test_tool,
    check_quality_tool,
    programs,
)
from verifier.claims.model import Claim
from verifier.engine.registry import claim_check_for
from verifier.findings import ClaimVerdict, Origin
from verifier.repo.snapshot import open_snapshot
from verifier.report.model import ChecklistItem, Report, Tick
from verifier.report.parse import parse_report

REPORT = parse_report("# Report\n")

DVC_CONFIG = (
    "[core]\n    remote = storage\n['remote \"storage\"']\n    url = gs://bucket/dvcstore\n"
)
DVC_POINTER = "outs:\n- md5: 0123456789abcdef0123456789abcdef.dir\n  path: raw\n"


def _claim(kind: str, value: object, **kw: object) -> Claim:
    fields: dict[str, object] = {"kind": kind, "question": 10, "line": 40, "quote": ""}
    fields.update(kw)
    return Claim(value=value, **fields)  # type: ignore[arg-type]


def _report(tick: Tick) -> Report:
    item = ChecklistItem(
        line=61,
        tick=tick,
        mark="x" if tick is Tick.TICKED else " ",
        text="Setup version control for your data or part of your data",
        modules=("M8",),
        section="Week 1",
        catalog_id="M8.data-version-control",
    )
    return Report("reports/README.md", "2025", None, [item], [])


def _dvc_repo(tmp_path: Path):
    return snapshot_of(tmp_path, {".dvc/config": DVC_CONFIG, "data/raw.dvc": DVC_POINTER})


# ------------------------------------------------------------------------ DVC


def test_dvc_used_consistent_with_pointer_evidence(tmp_path: Path) -> None:
    result = check_dvc_used(_claim("dvc-used", True), _dvc_repo(tmp_path), REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert (result.evidence[0].path, result.evidence[0].line) == ("data/raw.dvc", 2)
    assert result.evidence[0].text == "- md5: 0123456789abcdef0123456789abcdef.dir"


def test_dvc_claimed_but_absent(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"README.md": "# p\n"})
    result = check_dvc_used(_claim("dvc-used", True), snap, REPORT)
    assert result.verdict is ClaimVerdict.INCONSISTENT


def test_dvc_initialised_but_tracking_nothing_is_unverifiable(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {".dvc/config": DVC_CONFIG})
    result = check_dvc_used(_claim("dvc-used", True), snap, REPORT)
    assert result.verdict is ClaimVerdict.UNVERIFIABLE


def test_denied_dvc_with_ticked_box_is_true_of_the_repository(tmp_path: Path) -> None:
    """No DVC, as the answer says: the claim holds; the ticked box is the DVC item's own
    mismatch, and the claim points at it."""

    snap = snapshot_of(tmp_path, {"reports/README.md": "# r\n" * 70})
    result = check_dvc_used(_claim("dvc-used", True, negated=True), snap, _report(Tick.TICKED))
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert "ticks the DVC item (line 61) all the same" in result.why
    assert (result.evidence[0].path, result.evidence[0].line) == ("reports/README.md", 61)
    assert result.evidence[0].origin is Origin.GROUP
    unticked = check_dvc_used(_claim("dvc-used", True, negated=True), snap, _report(Tick.UNTICKED))
    assert unticked.verdict is ClaimVerdict.CONSISTENT


def test_denied_dvc_but_dvc_tracks_data(tmp_path: Path) -> None:
    result = check_dvc_used(
        _claim("dvc-used", True, negated=True), _dvc_repo(tmp_path), _report(Tick.UNTICKED)
    )
    assert result.verdict is ClaimVerdict.INCONSISTENT
    ticked = check_dvc_used(
        _claim("dvc-used", True, negated=True), _dvc_repo(tmp_path / "b"), _report(Tick.TICKED)
    )
    assert ticked.verdict is ClaimVerdict.INCONSISTENT
    assert "and the checklist ticks the DVC item" in ticked.why


def test_used_dvc_with_unticked_box_is_said(tmp_path: Path) -> None:
    result = check_dvc_used(_claim("dvc-used", True), _dvc_repo(tmp_path), _report(Tick.UNTICKED))
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert "not ticked" in result.why


def test_denied_dvc_ticked_box_with_git_lfs_is_unverifiable(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {".gitattributes": "*.pt filter=lfs diff=lfs merge=lfs -text\n"})
    result = check_dvc_used(_claim("dvc-used", True, negated=True), snap, _report(Tick.TICKED))
    assert result.verdict is ClaimVerdict.UNVERIFIABLE


def test_dvc_remote_kind(tmp_path: Path) -> None:
    snap = _dvc_repo(tmp_path)
    gcs = check_dvc_remote(_claim("dvc-remote", "gcs"), snap, REPORT)
    assert gcs.verdict is ClaimVerdict.CONSISTENT
    assert (gcs.evidence[0].path, gcs.evidence[0].line) == (".dvc/config", 4)
    gdrive = check_dvc_remote(_claim("dvc-remote", "gdrive"), snap, REPORT)
    assert gdrive.verdict is ClaimVerdict.INCONSISTENT
    assert "gs://bucket/dvcstore" in gdrive.observed


def test_dvc_remote_of_an_earlier_config_is_consistent(tmp_path: Path) -> None:
    old = "['remote \"drive\"']\n    url = gdrive://0AIac4JZqHhKmUk9PDA\n"
    repo = make_repo(tmp_path, {".dvc/config": old, "data/raw.dvc": DVC_POINTER})
    commit_files(repo, {".dvc/config": DVC_CONFIG}, date="2026-01-10T12:00:00+00:00")
    snap = open_snapshot(repo.working_tree_dir)
    result = check_dvc_remote(_claim("dvc-remote", "gdrive"), snap, REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert "earlier .dvc/config" in result.why


def test_storage_outside_the_dvc_answer_without_dvc(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"README.md": "# p\n"})
    claim = _claim("dvc-remote", "gcs", question=22, sentence="We relied on a GCS bucket.")
    assert check_dvc_remote(claim, snap, REPORT).verdict is ClaimVerdict.UNVERIFIABLE
    in_q10 = _claim("dvc-remote", "gcs", sentence="Our DVC remote is a GCS bucket.")
    assert check_dvc_remote(in_q10, snap, REPORT).verdict is ClaimVerdict.INCONSISTENT


# ------------------------------------------------------------------------ dependency managers


def test_uv_lock(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"uv.lock": "version = 1\n", "pyproject.toml": "[project]\n"})
    result = check_dependency_manager(_claim("dependency-manager", "uv"), snap, REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert result.evidence[0].path == "uv.lock"


def test_claimed_poetry_but_the_repository_uses_uv(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"uv.lock": "version = 1\n", "pyproject.toml": "[project]\n"})
    result = check_dependency_manager(_claim("dependency-manager", "poetry"), snap, REPORT)
    assert result.verdict is ClaimVerdict.INCONSISTENT
    assert "the repository uses uv" in result.observed


def test_negated_manager(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"uv.lock": "version = 1\n", "pyproject.toml": "[project]\n"})
    not_poetry = _claim("dependency-manager", "poetry", negated=True)
    assert check_dependency_manager(not_poetry, snap, REPORT).verdict is ClaimVerdict.CONSISTENT
    not_uv = _claim("dependency-manager", "uv", negated=True)
    assert check_dependency_manager(not_uv, snap, REPORT).verdict is ClaimVerdict.INCONSISTENT


def test_pip_in_a_dockerfile_is_a_weak_trace(tmp_path: Path) -> None:
    snap = snapshot_of(
        tmp_path, {"Dockerfile": "FROM python:3.12\nRUN pip install --no-cache-dir torch\n"}
    )
    result = check_dependency_manager(_claim("dependency-manager", "pip"), snap, REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert (result.evidence[0].path, result.evidence[0].line) == ("Dockerfile", 2)
    assert "no configuration of its own" in result.observed


def test_conda_without_files_is_unverifiable(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"README.md": "conda create -n p python=3.11\n"})
    result = check_dependency_manager(_claim("dependency-manager", "conda"), snap, REPORT)
    assert result.verdict is ClaimVerdict.UNVERIFIABLE
    assert result.evidence[0].path == "README.md"


def test_programs_peel_python_m() -> None:
    assert list(programs("python -m pip install -r requirements.txt && uv sync")) == [
        ("pip", ["install", "-r", "requirements.txt"]),
        ("uv", ["sync"]),
    ]


# ------------------------------------------------------------------------ code quality

RUFF_PYPROJECT = '[project]\nname = "p"\n\n[tool.ruff.lint]\nselect = ["E", "F", "I"]\n'


def test_ruff_config_and_rules_of_other_tools(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"pyproject.toml": RUFF_PYPROJECT})
    ruff = check_quality_tool(_claim("linter", "ruff", question=6), snap, REPORT)
    assert ruff.verdict is ClaimVerdict.CONSISTENT
    assert (ruff.evidence[0].path, ruff.evidence[0].line) == ("pyproject.toml", 4)
    assert ruff.evidence[0].text == "[tool.ruff.lint]"
    isort = check_quality_tool(_claim("formatter", "isort", question=6), snap, REPORT)
    assert isort.verdict is ClaimVerdict.CONSISTENT
    assert isort.observed == "ruff selects I"


def test_pre_commit_hook_claimed_but_missing(tmp_path: Path) -> None:
    config = "repos:\n  - repo: https://github.com/psf/black\n    rev: 24.1.0\n    hooks:\n"
    config += "      - id: black\n"
    snap = snapshot_of(tmp_path, {".pre-commit-config.yaml": config})
    black = check_quality_tool(_claim("formatter", "black", question=6), snap, REPORT)
    assert black.verdict is ClaimVerdict.CONSISTENT
    assert black.evidence[0].line == 5
    claim = _claim(
        "formatter", "isort", question=6, sentence="pre-commit runs black and isort for us."
    )
    assert check_quality_tool(claim, snap, REPORT).verdict is ClaimVerdict.INCONSISTENT
    pre = check_quality_tool(_claim("pre-commit", "pre-commit", question=6), snap, REPORT)
    assert pre.verdict is ClaimVerdict.CONSISTENT


def test_tool_without_any_trace_is_unverifiable_unless_placed(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"src/a.py": "x = 1\n"})
    vague = _claim("type-checker", "mypy", question=6, sentence="We used mypy now and then.")
    assert check_quality_tool(vague, snap, REPORT).verdict is ClaimVerdict.UNVERIFIABLE
    negated = _claim("type-checker", "mypy", question=6, negated=True)
    assert check_quality_tool(negated, snap, REPORT).verdict is ClaimVerdict.CONSISTENT


def test_mypy_declared_only_is_a_weak_trace(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"requirements_dev.txt": "pytest\nmypy==1.8\n"})
    result = check_quality_tool(_claim("type-checker", "mypy", question=6), snap, REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert (result.evidence[0].path, result.evidence[0].line) == ("requirements_dev.txt", 2)


# ------------------------------------------------------------------------ frameworks


def test_framework_imported(tmp_path: Path) -> None:
    snap = snapshot_of(
        tmp_path,
        {
            "src/m.py": "import os\nimport timm\n",
            "requirements.txt": "timm>=0.9\n",
        },
    )
    result = check_framework(_claim("framework", "timm", question=3), snap, REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert (result.evidence[0].path, result.evidence[0].line) == ("src/m.py", 2)
    assert result.evidence[0].text == "import timm"


def test_framework_import_name_differs(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"src/m.py": "from sklearn.metrics import f1_score\n"})
    result = check_framework(_claim("framework", "scikit-learn", question=3), snap, REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT


def test_framework_only_in_the_readme_is_inconsistent(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"README.md": "We will use timm.\n", "src/m.py": "import torch\n"})
    result = check_framework(_claim("framework", "timm", question=3), snap, REPORT)
    assert result.verdict is ClaimVerdict.INCONSISTENT


def test_framework_declared_not_imported_is_unverifiable(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"requirements.txt": "albumentations\n"})
    result = check_framework(_claim("framework", "albumentations", question=3), snap, REPORT)
    assert result.verdict is ClaimVerdict.UNVERIFIABLE


def test_framework_in_a_comment_does_not_count(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"src/m.py": "# import timm\nx = 'timm'\n"})
    result = check_framework(_claim("framework", "timm", question=3), snap, REPORT)
    assert result.verdict is ClaimVerdict.INCONSISTENT


# ------------------------------------------------------------------------ load testing

LOCUSTFILE = """\
from locust import HttpUser, task


class ApiUser(HttpUser):
    @task
    def predict(self):
        self.client.post("/predict")
"""


def test_locust_user_class(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"tests/performance/locustfile.py": LOCUSTFILE})
    result = check_load_test_tool(_claim("load-test-tool", "locust", question=25), snap, REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert (result.evidence[0].path, result.evidence[0].line) == (
        "tests/performance/locustfile.py",
        4,
    )


def test_locust_declared_only_or_absent(tmp_path: Path) -> None:
    declared = snapshot_of(tmp_path / "a", {"requirements.txt": "locust\n"})
    claim = _claim("load-test-tool", "locust", question=25)
    assert check_load_test_tool(claim, declared, REPORT).verdict is ClaimVerdict.UNVERIFIABLE
    absent = snapshot_of(tmp_path / "b", {"src/a.py": "x = 1\n"})
    assert check_load_test_tool(claim, absent, REPORT).verdict is ClaimVerdict.INCONSISTENT


def test_k6_script(tmp_path: Path) -> None:
    script = "import http from 'k6/http';\nexport default function () { http.get('x'); }\n"
    snap = snapshot_of(tmp_path, {"load/test.js": script})
    result = check_load_test_tool(_claim("load-test-tool", "k6", question=25), snap, REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT


def test_checkers_are_registered() -> None:
    for kind in ("linter", "formatter", "type-checker", "pre-commit"):
        spec = claim_check_for(kind)
        assert spec is not None and spec.func is check_quality_tool
    assert claim_check_for("framework").func is check_framework
    assert claim_check_for("dvc-used").func is check_dvc_used


def test_large_old_style_pointer_is_read_by_its_first_path(tmp_path: Path) -> None:
    listing = "".join(f"  - relpath: img_{i}.png\n    md5: {i:032d}\n" for i in range(600))
    pointer = "md5: 1\nouts:\n- md5: abc.dir\n  path: images\n  cache: true\n" + listing
    snap = snapshot_of(tmp_path, {".dvc/config": DVC_CONFIG, "images.dvc": pointer})
    result = check_dvc_used(_claim("dvc-used", True), snap, REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert (result.evidence[0].path, result.evidence[0].line) == ("images.dvc", 4)
    assert result.evidence[0].why == "DVC tracks images"


def test_gcs_remote_next_to_an_unticked_bucket_box_is_said(tmp_path: Path) -> None:
    item = ChecklistItem(
        line=88,
        tick=Tick.UNTICKED,
        mark=" ",
        text="Create a GCP bucket and link it to DVC",
        modules=("M21",),
        section="Week 2",
        catalog_id="M21.gcp-bucket",
    )
    report = Report("reports/README.md", "2025", None, [item], [])
    result = check_dvc_remote(_claim("dvc-remote", "gcs"), _dvc_repo(tmp_path), report)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert "GCP bucket box (line 88) is not ticked" in result.why
