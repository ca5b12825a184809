"""Committed secrets: found with path and line, masked in the evidence, no false alarms on
references, placeholders, lock-file hashes and commit ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from probe_helpers import snapshot_of

import probes.secrets as secrets_probe
from probes.secrets import find_secrets, mask

WANDB_KEY = "3f9a1c0b7e5d24f68a0c1e3b5d7f9a2c4e6b8d0f"
GITHUB_TOKEN = "ghp_" + "Zq8XyT3kLm9Np2Rs5Vw7Bc4Df6Gh1Jk0Lq3Ar"
PEM_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj"
SERVICE_ACCOUNT = {
    "type": "service_account",
    "project_id": "mlops-group-7",
    "private_key_id": "1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e",
    "private_key": f"-----BEGIN PRIVATE KEY-----\n{PEM_BODY}\n-----END PRIVATE KEY-----\n",
    "client_email": "trainer@mlops-group-7.iam.gserviceaccount.com",
}

LEAKS = {
    ".env": f"# local settings\nWANDB_API_KEY={WANDB_KEY}\nWANDB_PROJECT=mnist\n",
    "gcp-key.json": json.dumps(SERVICE_ACCOUNT, indent=2) + "\n",
    "configs/config.yaml": f"lr: 0.01\nwandb:\n  api_key: '{WANDB_KEY}'\n",
    "src/project/train.py": f'import wandb\n\nwandb.login(key="{WANDB_KEY}")\n',
    "scripts/deploy.sh": f"#!/bin/sh\nexport GITHUB_TOKEN={GITHUB_TOKEN}\n",
}
EXPECTED_OWN_RULES = {
    (".env", 2),
    ("gcp-key.json", 5),
    ("configs/config.yaml", 3),
    ("src/project/train.py", 3),
}

CLEAN = {
    ".github/workflows/ci.yaml": (
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    env:\n"
        "      WANDB_API_KEY: ${{ secrets.WANDB_API_KEY }}\n    steps:\n      - run: pytest\n"
    ),
    ".env.example": "WANDB_API_KEY=your-key-here\nGCP_KEY=<path to key>\n",
    "uv.lock": 'hash = "sha256:' + "a1b2c3d4e5f60718293a4b5c6d7e8f90" * 2 + '"\n',
    "src/project/version.py": 'COMMIT = "0224d1f3f2a1b4c5d6e7f8091a2b3c4d5e6f7081"\n',
    "src/project/api.py": 'import os\n\nTOKEN = os.environ["API_TOKEN"]\npassword = getenv("PW")\n',
    "reports/README.md": "We keep the W&B key in a GitHub secret (`WANDB_API_KEY`).\n",
}


def _located(evidence: list) -> set[tuple[str, int]]:
    return {(e.path, e.line) for e in evidence}


def _assert_masked(evidence: list) -> None:
    for ev in evidence:
        blob = json.dumps(ev.to_dict())
        for secret in (WANDB_KEY, GITHUB_TOKEN, PEM_BODY, PEM_BODY[:20], WANDB_KEY[4:]):
            assert secret not in blob, blob
        assert "********" in ev.text


def test_committed_secrets_are_found_at_their_line_and_masked(tmp_path: Path) -> None:
    evidence = find_secrets(snapshot_of(tmp_path, {**LEAKS, **CLEAN}))
    located = _located(evidence)
    assert located >= EXPECTED_OWN_RULES
    assert {p for p, _ in located} <= set(LEAKS), located
    assert [e.line for e in evidence if e.path == "gcp-key.json"] == [5], "one leak, one line"
    _assert_masked(evidence)
    kinds = {e.path: e.text for e in evidence}
    assert kinds[".env"].startswith("W&B API key: 3f9a")
    assert kinds["gcp-key.json"].startswith("GCP service-account private key")


def test_a_token_only_a_maintained_detector_knows(tmp_path: Path) -> None:
    pytest.importorskip("detect_secrets")
    evidence = find_secrets(
        snapshot_of(tmp_path, {"scripts/deploy.sh": LEAKS["scripts/deploy.sh"]})
    )
    assert _located(evidence) == {("scripts/deploy.sh", 2)}
    assert "GitHub" in evidence[0].text
    _assert_masked(evidence)


def test_no_false_alarms_on_references_placeholders_and_hashes(tmp_path: Path) -> None:
    assert find_secrets(snapshot_of(tmp_path, CLEAN)) == []


def test_own_rules_work_without_detect_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(secrets_probe, "_detector", lambda: None)
    evidence = find_secrets(snapshot_of(tmp_path, {**LEAKS, **CLEAN}))
    assert _located(evidence) == EXPECTED_OWN_RULES
    _assert_masked(evidence)


def test_secrets_in_a_project_folder_carry_repository_paths(tmp_path: Path) -> None:
    files = {"group/reports/README.md": "# r\n", "group/.env": LEAKS[".env"]}
    view = snapshot_of(tmp_path, files).subtree("group")
    assert _located(find_secrets(view)) == {("group/.env", 2)}


def test_mask_hides_short_secrets_entirely() -> None:
    assert mask("abc") == "********"
    assert mask(WANDB_KEY) == "3f9a********"


def test_the_scan_keeps_nothing_it_read(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {**LEAKS, **CLEAN})
    find_secrets(snap)
    assert snap._text == {} and snap._bytes == {}  # a pass over every file holds none of them
    assert snap.text(".env") == LEAKS[".env"]  # later readers still get the file


def test_data_files_are_not_scanned_and_large_files_get_the_own_rules_only(
    tmp_path: Path,
) -> None:
    pytest.importorskip("detect_secrets")
    filler = "".join(f"row {i}: nothing to see here\n" for i in range(12_000))
    files = {
        "data/raw.dvc": f"outs:\n- md5: {WANDB_KEY}\n  path: raw\n",
        "notes/big.txt": filler
        + f"WANDB_API_KEY={WANDB_KEY}\nexport GITHUB_TOKEN={GITHUB_TOKEN}\n",
    }
    evidence = find_secrets(snapshot_of(tmp_path, files))
    assert _located(evidence) == {("notes/big.txt", 12_001)}  # W&B by the own rule only
