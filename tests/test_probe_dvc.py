"""M8 data version control, and M21 a GCS bucket linked to it."""

from __future__ import annotations

from pathlib import Path

from conftest import commit_files, create_branch, make_repo
from probe_helpers import observe

from verifier.engine.registry import probe_for
from verifier.findings import Outcome
from verifier.repo.snapshot import open_snapshot

DVC = "M8.data-version-control"
GCS = "M21.gcp-bucket"

#: As ``dvc remote add -d storage gs://...`` writes it, plus a hand-written inline comment.
GCS_CONFIG = """\
[core]
    remote = storage
    autostage = true
['remote "storage"']
    url = gs://mnist-dvc-bucket   # bucket made in week 2
    version_aware = true
"""

GDRIVE_CONFIG = """\
[core]
    remote = remote_storage
['remote "remote_storage"']
    url = gdrive://1AbCdEfGhIjKlMnOpQrStUvWxYz
"""

NO_REMOTE_CONFIG = "[core]\n    autostage = true\n"

DVC_GITIGNORE = "/config.local\n/tmp\n/cache\n"


def pointer(path: str) -> str:
    """A DVC 3 pointer file for a tracked folder."""

    return (
        "outs:\n"
        "- md5: 9a1b2c3d4e5f60718293a4b5c6d7e8f9.dir\n"
        "  size: 52428800\n"
        "  nfiles: 12\n"
        "  hash: md5\n"
        f"  path: {path}\n"
    )


PIPELINE = """\
stages:
  prepare:
    cmd: python src/mnist_project/data.py
    deps:
      - data/raw
    outs:
      - data/processed
"""


def root_dvc(config: str = GCS_CONFIG) -> dict[str, str]:
    return {
        ".dvc/config": config,
        ".dvc/.gitignore": DVC_GITIGNORE,
        ".dvcignore": "",
        "data.dvc": pointer("data"),
        ".gitignore": "/data\n",
    }


# --------------------------------------------------------------------------- M8


def test_root_dvc_with_pointer_and_quoted_remote_section_is_found(tmp_path: Path) -> None:
    obs = observe(tmp_path, DVC, root_dvc())
    assert obs.outcome is Outcome.FOUND
    assert obs.summary == "DVC tracks 1 pointer file(s); remote: storage (gcs)"
    ptr, remote = obs.evidence
    assert (ptr.path, ptr.line, ptr.text) == (
        "data.dvc",
        2,
        "- md5: 9a1b2c3d4e5f60718293a4b5c6d7e8f9.dir",
    )
    assert ptr.why == "DVC tracks data, 12 files"
    assert (remote.path, remote.line) == (".dvc/config", 5)
    assert remote.text == "url = gs://mnist-dvc-bucket   # bucket made in week 2"


def test_dvc_initialised_in_a_subfolder_is_found(tmp_path: Path) -> None:
    files = {
        "data/.dvc/config": NO_REMOTE_CONFIG,
        "data/.dvc/.gitignore": DVC_GITIGNORE,
        "data/raw.dvc": pointer("raw"),
        "src/mnist_project/data.py": "x = 1\n",
    }
    obs = observe(tmp_path, DVC, files)
    assert obs.outcome is Outcome.FOUND
    assert "(DVC project in data/)" in obs.summary
    assert "no remote in .dvc/config" in obs.summary
    assert obs.evidence[0].path == "data/raw.dvc"


def test_pipeline_stage_with_outputs_is_found(tmp_path: Path) -> None:
    files = {".dvc/config": NO_REMOTE_CONFIG, "dvc.yaml": PIPELINE}
    obs = observe(tmp_path, DVC, files)
    assert obs.outcome is Outcome.FOUND
    assert "1 pipeline stage(s)" in obs.summary
    ev = obs.evidence[0]
    assert (ev.path, ev.line, ev.text) == ("dvc.yaml", 2, "prepare:")


def test_pointer_files_without_dvc_folder_are_partial(tmp_path: Path) -> None:
    obs = observe(tmp_path, DVC, {"data.dvc": pointer("data"), "models.dvc": pointer("models")})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == "DVC pointer files without a .dvc/ folder: data.dvc, models.dvc"


def test_dvc_init_without_tracked_data_is_partial(tmp_path: Path) -> None:
    obs = observe(tmp_path, DVC, {".dvc/config": NO_REMOTE_CONFIG, ".dvcignore": ""})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == "DVC is initialised but tracks nothing"
    ev = obs.evidence[0]
    assert (ev.path, ev.line, ev.text) == (".dvc/config", 1, "[core]")


def test_pointer_with_merge_conflict_markers_does_not_count(tmp_path: Path) -> None:
    conflicted = "<<<<<<< HEAD\nouts:\n- md5: aaa.dir\n=======\n- md5: bbb.dir\n>>>>>>> dev\n"
    obs = observe(tmp_path, DVC, {".dvc/config": GCS_CONFIG, "data.dvc": conflicted})
    assert obs.outcome is Outcome.PARTIAL
    assert "1 pointer file(s) do not parse" in obs.summary
    assert any(e.path == "data.dvc" for e in obs.evidence)


def test_git_lfs_counts_as_data_versioning(tmp_path: Path) -> None:
    attrs = "# large files\n*.pt filter=lfs diff=lfs merge=lfs -text\n"
    obs = observe(tmp_path, DVC, {".gitattributes": attrs})
    assert obs.outcome is Outcome.FOUND
    assert obs.summary == "data versioned with Git LFS (not DVC)"
    assert obs.evidence[0].line == 2


def test_names_that_merely_contain_dvc_are_missing(tmp_path: Path) -> None:
    # The course's own statistics count "any path containing .dvc": these would pass there.
    files = {
        "docs/using.dvc.md": "how we would use dvc\n",
        ".dvcignore": "",
        "requirements.txt": "dvc[gs]\n",
        "notes/.dvc": "",
    }
    obs = observe(tmp_path, DVC, files)
    assert obs.outcome is Outcome.MISSING
    assert obs.summary == "no DVC setup or tracked data"


def test_dvc_files_inside_a_committed_venv_do_not_count(tmp_path: Path) -> None:
    sp = ".venv/lib/python3.11/site-packages/dvc/testing"
    files = {f"{sp}/.dvc/config": GCS_CONFIG, f"{sp}/data.dvc": pointer("data")}
    obs = observe(tmp_path, DVC, files)
    assert obs.outcome is Outcome.MISSING
    assert obs.summary == "no DVC setup or tracked data"


def test_dvc_only_on_another_branch_is_missing_and_names_the_branch(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"README.md": "# mnist\n"}, name="g")
    create_branch(repo, "dvc-setup", checkout=True)
    commit_files(repo, root_dvc())
    repo.git.checkout("-q", "main")
    spec = probe_for(DVC)
    assert spec is not None
    with open_snapshot(repo.working_tree_dir or "", ref="main") as snap:
        obs = spec.func(snap)
    assert obs.outcome is Outcome.MISSING
    assert "dvc-setup" in obs.summary


# --------------------------------------------------------------------------- M21


def test_gcs_remote_is_found_with_url_without_its_comment(tmp_path: Path) -> None:
    obs = observe(tmp_path, GCS, root_dvc())
    assert obs.outcome is Outcome.FOUND
    assert obs.summary == "DVC remote on a GCS bucket (gs://mnist-dvc-bucket)"
    [ev] = obs.evidence
    assert (ev.path, ev.line) == (".dvc/config", 5)
    assert ev.why == "DVC remote storage: gs://mnist-dvc-bucket"


def test_gcs_remote_of_a_subfolder_dvc_is_found(tmp_path: Path) -> None:
    files = {"data/.dvc/config": GCS_CONFIG, "data/raw.dvc": pointer("raw")}
    obs = observe(tmp_path, GCS, files)
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].path == "data/.dvc/config"


def test_gdrive_remote_is_partial(tmp_path: Path) -> None:
    obs = observe(tmp_path, GCS, root_dvc(GDRIVE_CONFIG))
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == "DVC remotes, but none is a GCS bucket: remote_storage (gdrive)"
    ev = obs.evidence[0]
    assert (ev.line, ev.text) == (4, "url = gdrive://1AbCdEfGhIjKlMnOpQrStUvWxYz")


def test_bucket_used_in_code_without_dvc_is_partial(tmp_path: Path) -> None:
    code = (
        "from google.cloud import storage\n"
        "\n"
        "\n"
        "def upload(path: str) -> None:\n"
        "    client = storage.Client()\n"
        '    client.bucket("mnist-data").blob("model.pt").upload_from_filename(path)\n'
    )
    files = {
        "src/mnist_project/cloud.py": code,
        "configs/data.yaml": "path: gs://mnist-data-bucket/processed\n",
    }
    obs = observe(tmp_path, GCS, files)
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == "a GCS bucket is used, but not as a DVC remote"
    ev = {(e.path, e.line, e.text) for e in obs.evidence}
    assert ("src/mnist_project/cloud.py", 5, "client = storage.Client()") in ev
    assert ("configs/data.yaml", 1, "path: gs://mnist-data-bucket/processed") in ev


def test_dvc_without_any_remote_is_not_verifiable(tmp_path: Path) -> None:
    obs = observe(tmp_path, GCS, root_dvc(NO_REMOTE_CONFIG))
    assert obs.outcome is Outcome.NOT_VERIFIABLE
    assert "config.local" in obs.summary
    assert obs.evidence[0].path == ".dvc/config"


def test_bucket_named_only_in_prose_or_venv_is_missing(tmp_path: Path) -> None:
    files = {
        "reports/README.md": "we stored the data in gs://our-bucket\n",
        "README.md": "Data lives in gs://our-bucket\n",
        ".venv/lib/python3.11/site-packages/gcsfs/core.py": 'DEFAULT = "gs://some-bucket"\n',
    }
    obs = observe(tmp_path, GCS, files)
    assert obs.outcome is Outcome.MISSING
    assert obs.summary == "no bucket is referred to anywhere, and no DVC setup"


def test_windows_line_endings_in_dvc_config(tmp_path: Path) -> None:
    config = GCS_CONFIG.replace("\n", "\r\n")
    obs = observe(tmp_path, GCS, {**root_dvc(), ".dvc/config": config})
    assert obs.outcome is Outcome.FOUND
    ev = obs.evidence[0]
    assert (ev.line, ev.text) == (5, "url = gs://mnist-dvc-bucket   # bucket made in week 2")


def test_a_second_remote_on_gcs_is_found_beside_a_default_gdrive(tmp_path: Path) -> None:
    config = GDRIVE_CONFIG + "['remote \"gcs\"']\n    url = gs://mnist-dvc-bucket-2\n"
    obs = observe(tmp_path, GCS, root_dvc(config))
    assert obs.outcome is Outcome.FOUND
    assert obs.summary == "DVC remote on a GCS bucket (gs://mnist-dvc-bucket-2)"
    assert obs.evidence[0].line == 6


def test_bucket_written_with_a_variable_in_ci_or_scripts_is_partial(tmp_path: Path) -> None:
    workflow = (
        "on: push\njobs:\n  upload:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: gsutil cp models/model.pt gs://${{ secrets.BUCKET }}/models/\n"
    )
    script = '#!/bin/bash\ngcloud storage cp -r data/processed "gs://$BUCKET_NAME/data"\n'
    files = {".github/workflows/upload.yml": workflow, "scripts/sync.sh": script}
    obs = observe(tmp_path, GCS, files)
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == "a GCS bucket is used, but not as a DVC remote"
    assert {(e.path, e.line) for e in obs.evidence} == {
        (".github/workflows/upload.yml", 6),
        ("scripts/sync.sh", 2),
    }
