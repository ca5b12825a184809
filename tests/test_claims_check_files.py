"""Claim checks on links and images of the answers: resolved the way GitHub renders the
report (relative to its folder; ``/`` is the repository root), GitHub URLs into this
repository, Git LFS pointers, and the broken links real reports carry."""

from __future__ import annotations

from pathlib import Path

from conftest import checkout, commit_files, create_branch, make_repo

from verifier.engine.claims_run import ClaimFinding, run_claim_checks
from verifier.engine.inputs import load_report, project_root
from verifier.repo.snapshot import open_snapshot

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40)
LFS = (
    "version https://git-lfs.github.com/spec/v1\n"
    "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n"
)


def report_text(answers: dict[int, str]) -> str:
    parts = ["# Exam template for 02476 Machine Learning Operations", ""]
    for number in sorted(answers):
        parts += [
            f"### Question {number}",
            "",
            "> **Question text?**",
            ">",
            "> Answer:",
            "",
            answers[number],
            "",
        ]
    return "\n".join(parts)


def audit_links(
    tmp_path: Path,
    files: dict[str, str | bytes],
    answers: dict[int, str],
    *,
    report: str = "reports/README.md",
    remote: str | None = None,
) -> list[ClaimFinding]:
    repo = make_repo(tmp_path, {**files, report: report_text(answers)})
    if remote is not None:
        repo.create_remote("origin", remote)
    snap = open_snapshot(repo.working_tree_dir)
    rep = load_report(snap, report)
    root = project_root(rep.path)
    if root:
        snap = snap.subtree(root)
    found = run_claim_checks(rep, snap, budget_s=10)
    return [f for f in found if f.claim.kind in ("file-link", "image")]


def one(findings: list[ClaimFinding]) -> ClaimFinding:
    assert len(findings) == 1, [f.to_dict() for f in findings]
    return findings[0]


def test_image_relative_to_the_report_folder_is_consistent(tmp_path: Path) -> None:
    f = one(
        audit_links(
            tmp_path,
            {"reports/figures/wandb_runs.png": PNG},
            {14: "Our runs: ![runs](figures/wandb_runs.png)"},
        )
    )
    assert f.verdict == "consistent"
    assert f.result is not None
    assert f.result.evidence[0].path == "reports/figures/wandb_runs.png"
    assert f.claim.line == 9


def test_link_that_only_works_from_the_root_is_broken_but_the_file_exists(
    tmp_path: Path,
) -> None:
    f = one(
        audit_links(
            tmp_path,
            {"dockerfiles/train.dockerfile": "FROM python:3.11\n"},
            {15: "See [the trainer](dockerfiles/train.dockerfile)."},
        )
    )
    assert f.verdict == "consistent"  # the answer is true; only its link is broken
    assert f.result is not None and "the link is broken" in f.result.observed
    assert f.result is not None
    assert "../dockerfiles/train.dockerfile" in f.result.observed
    assert f.result.evidence[0].path == "dockerfiles/train.dockerfile"


def test_parent_link_and_anchor_and_percent_encoding(tmp_path: Path) -> None:
    findings = audit_links(
        tmp_path,
        {"src/my pkg/train.py": "print(1)\n", "configs/exp.yaml": "a: 1\n"},
        {12: "Config in [exp](../configs/exp.yaml#L1) and [code](../src/my%20pkg/train.py?x=1)."},
    )
    assert [f.verdict for f in findings] == ["consistent", "consistent"]


def test_leading_slash_is_the_repository_root(tmp_path: Path) -> None:
    findings = audit_links(
        tmp_path,
        {"dockerfiles/api.dockerfile": "FROM python:3.11\n"},
        {15: "API image: [api](/dockerfiles/api.dockerfile), [folder](/dockerfiles/)."},
    )
    assert [f.verdict for f in findings] == ["consistent", "consistent"]


def test_directory_link_resolves(tmp_path: Path) -> None:
    f = one(audit_links(tmp_path, {"tests/test_a.py": "x = 1\n"}, {7: "See [tests](../tests)."}))
    assert f.verdict == "consistent"
    assert f.result is not None and "folder tests/" in f.result.observed


def test_missing_image_is_inconsistent(tmp_path: Path) -> None:
    f = one(
        audit_links(
            tmp_path, {"reports/figures/other.png": PNG}, {14: "![gcp](figures/bucket.png)"}
        )
    )
    assert f.verdict == "inconsistent"
    assert f.result is not None
    assert f.result.observed == "no reports/figures/bucket.png at the audited commit"


def test_case_difference_is_broken_on_github(tmp_path: Path) -> None:
    f = one(
        audit_links(tmp_path, {"reports/figures/wandb.JPG": PNG}, {14: "![w](figures/wandb.jpg)"})
    )
    assert f.verdict == "consistent"
    assert f.result is not None and "case differs" in f.result.observed


def test_same_name_elsewhere_is_suggested(tmp_path: Path) -> None:
    f = one(
        audit_links(
            tmp_path,
            {"reports/_locust/stats.csv": "a,b\n"},
            {25: "Results: [stats](locust/stats.csv)"},
        )
    )
    assert f.verdict == "consistent"
    assert f.result is not None and "_locust/stats.csv" in f.result.observed


def test_lfs_pointer_counts_as_present(tmp_path: Path) -> None:
    f = one(
        audit_links(tmp_path, {"reports/figures/arch.png": LFS}, {29: "![a](figures/arch.png)"})
    )
    assert f.verdict == "consistent"
    assert f.result is not None and "Git LFS" in f.result.observed


def test_external_image_is_unverifiable(tmp_path: Path) -> None:
    f = one(
        audit_links(
            tmp_path,
            {"a.txt": "x\n"},
            {14: "![w](https://github.com/user-attachments/assets/0a1b-2c3d)"},
        )
    )
    assert f.verdict == "unverifiable"
    assert f.result is not None and "github.com" in f.result.why


def test_link_leaving_the_repository(tmp_path: Path) -> None:
    f = one(
        audit_links(
            tmp_path,
            {"dockerfiles/api.dockerfile": "FROM python:3.11\n"},
            {15: "[api](../dockerfiles/api.dockerfile)"},
            report="README.md",
        )
    )
    assert f.verdict == "consistent"
    assert f.result is not None
    assert "leaves the repository" in f.result.observed
    assert "dockerfiles/api.dockerfile exists" in f.result.observed


def test_mangled_github_url(tmp_path: Path) -> None:
    f = one(
        audit_links(
            tmp_path,
            {"trainer.dockerfile": "FROM python:3.11\n"},
            {15: "github[link](.com/org/proj/blob/main/trainer.dockerfile)"},
        )
    )
    assert f.verdict == "consistent"
    assert f.result is not None and "trainer.dockerfile itself exists" in f.result.observed


def test_github_url_to_this_repository_by_remote(tmp_path: Path) -> None:
    findings = audit_links(
        tmp_path,
        {"dockerfiles/train.dockerfile": "FROM python:3.11\n"},
        {
            15: "Train: https://github.com/Org/Proj/blob/main/dockerfiles/train.dockerfile "
            "and [api](https://github.com/org/proj/blob/main/dockerfiles/api.dockerfile)"
        },
        remote="git@github.com:org/proj.git",
    )
    assert [f.verdict for f in findings] == ["consistent", "inconsistent"]


def test_github_url_identity_from_other_links(tmp_path: Path) -> None:
    findings = audit_links(
        tmp_path,
        {"src/train.py": "x = 1\n"},
        {
            15: "Code: https://github.com/org/proj/blob/main/src/train.py and "
            "https://github.com/org/proj/blob/main/src/api.py and "
            "https://github.com/course/dtu_mlops/blob/main/README.md"
        },
    )
    verdicts = {f.claim.value: f.verdict for f in findings}
    assert verdicts == {
        "src/train.py": "consistent",
        "src/api.py": "inconsistent",
        "README.md": "unverifiable",
    }


def test_github_url_unknown_repository_is_unverifiable(tmp_path: Path) -> None:
    f = one(
        audit_links(
            tmp_path,
            {"a.txt": "x\n"},
            {15: "See https://github.com/org/proj/blob/main/dockerfiles/x.dockerfile"},
        )
    )
    assert f.verdict == "unverifiable"
    assert f.result is not None and "cannot tell" in f.result.why


def test_project_folder_report(tmp_path: Path) -> None:
    findings = audit_links(
        tmp_path,
        {
            "proj/reports/figures/a.png": PNG,
            "proj/dockerfiles/api.dockerfile": "FROM python:3.11\n",
        },
        {14: "![a](figures/a.png) and [api](dockerfiles/api.dockerfile)"},
        report="proj/reports/README.md",
    )
    assert [f.verdict for f in findings] == ["consistent", "consistent"]
    assert findings[0].result is not None
    assert findings[0].result.evidence[0].path == "proj/reports/figures/a.png"
    assert findings[1].result is not None
    assert "../dockerfiles/api.dockerfile" in findings[1].result.observed


def test_deleted_file_and_file_only_on_another_branch(tmp_path: Path) -> None:
    answers = {14: "![old](figures/old.png) and ![new](figures/new.png)"}
    repo = make_repo(
        tmp_path,
        {"reports/figures/old.png": PNG, "reports/README.md": report_text(answers)},
    )
    commit_files(repo, {"reports/figures/old.png": None}, message="drop the old figure")
    create_branch(repo, "figures", checkout=True)
    commit_files(repo, {"reports/figures/new.png": PNG}, message="new figure")
    checkout(repo, "main")
    snap = open_snapshot(repo.working_tree_dir)
    found = run_claim_checks(load_report(snap, None), snap, budget_s=10)
    by_value = {str(f.claim.value): f for f in found if f.claim.kind == "image"}
    old, new = by_value["figures/old.png"], by_value["figures/new.png"]
    assert (old.verdict, new.verdict) == ("inconsistent", "inconsistent")
    assert old.result is not None and "drop the old figure" in old.result.observed
    assert new.result is not None and "only on branch figures" in new.result.observed


def test_link_to_a_github_page_of_the_repository(tmp_path: Path) -> None:
    f = one(
        audit_links(
            tmp_path,
            {"a.txt": "x\n"},
            {11: "See the runs in [Actions](../../../actions/workflows/tests.yaml)."},
        )
    )
    assert f.verdict == "unverifiable"
    assert f.result is not None and "actions/workflows/tests.yaml" in f.result.why


def test_a_link_out_of_the_repository_to_nothing_is_inconsistent(tmp_path: Path) -> None:
    f = one(
        audit_links(tmp_path, {"a.txt": "x\n"}, {15: "[api](../../dockerfiles/api.dockerfile)"})
    )
    assert f.verdict == "inconsistent"
    assert f.result is not None and "leaves the repository" in f.result.observed


def test_a_common_name_in_another_folder_cannot_tell_which_file(tmp_path: Path) -> None:
    f = one(
        audit_links(
            tmp_path,
            {"src/proj/config.yaml": "a: 1\n"},
            {15: "Our settings are in [config](configs/config.yaml)."},
        )
    )
    assert f.verdict == "unverifiable"
    assert f.result is not None and "src/proj/config.yaml" in f.result.why


def test_a_name_spelled_differently_counts_a_similar_one_does_not(tmp_path: Path) -> None:
    findings = audit_links(
        tmp_path,
        {"reports/figures/artifact-registry.png": PNG, "reports/figures/model_v2.png": PNG},
        {14: "![r](figures/artifactRegistry.png) and ![m](figures/model_v1.png)"},
    )
    verdicts = {str(f.claim.value): f.verdict for f in findings}
    assert verdicts == {
        "figures/artifactRegistry.png": "consistent",
        "figures/model_v1.png": "inconsistent",
    }


def test_an_image_saved_in_another_format_and_a_link_without_its_scheme(tmp_path: Path) -> None:
    findings = audit_links(
        tmp_path,
        {"reports/figures/metrics.jpg": PNG},
        {
            14: "![m](figures/metrics.png) and the images are in "
            "[the registry](europe-west1-docker.pkg.dev/our-project/images/train)."
        },
    )
    verdicts = {str(f.claim.value): f for f in findings}
    image = verdicts["figures/metrics.png"]
    assert image.verdict == "consistent"
    assert image.result is not None and "another format" in image.result.observed
    registry = verdicts["europe-west1-docker.pkg.dev/our-project/images/train"]
    assert registry.verdict == "unverifiable"
