"""M8 data version control with DVC, and M21 a GCS bucket as its remote."""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from probes._common import evidence, own_files, py_indexes, where
from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, found, missing, not_verifiable, partial
from verifier.repo.formats.dvc import DvcConfig, parse_dvc_config, parse_dvc_file, parse_dvc_yaml

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

CHECKED = [
    ".dvc/config (remotes)",
    "*.dvc pointer files with outs",
    "dvc.yaml / dvc.lock pipelines",
    ".gitattributes (Git LFS)",
]


def dvc_roots(snap: Snapshot) -> list[str]:
    """Folders that hold a DVC project (``<root>/.dvc/``), the repository root first.

    DVC can be initialised in a subfolder (``dvc init --subdir``, e.g. in ``data/``).
    """

    roots = {p[: p.index(".dvc/")].rstrip("/") for p in own_files(snap) if "/.dvc/" in "/" + p}
    return sorted(roots, key=lambda r: (r.count("/") if r else -1, r))


def _join(root: str, name: str) -> str:
    return f"{root}/{name}" if root else name


def dvc_configs(snap: Snapshot) -> list[DvcConfig]:
    def build() -> list[DvcConfig]:
        out = []
        for root in dvc_roots(snap):
            path = _join(root, ".dvc/config")
            text = snap.text(path)
            if text is not None:
                out.append(parse_dvc_config(path, text))
        return out

    return snap.memo("probes.dvc_configs", build)


def _pointer_files(snap: Snapshot) -> tuple[list[Evidence], list[Evidence]]:
    """(valid pointers, broken pointers) among the ``*.dvc`` files outside ``.dvc/``."""

    good, bad = [], []
    for path in own_files(snap):
        if not path.endswith(".dvc") or "/.dvc/" in "/" + path:
            continue
        if posixpath.basename(path) == ".dvc":
            continue
        text = snap.text(path)
        if text is None:
            continue
        parsed = parse_dvc_file(path, text)
        if parsed.error is None and parsed.outs:
            out = parsed.outs[0]
            size = f", {out.nfiles} files" if out.nfiles else ""
            good.append(evidence(snap, path, out.line or 1, f"DVC tracks {out.path}{size}"))
        else:
            bad.append(evidence(snap, path, None, parsed.error or "pointer file with no outs"))
    return good, bad


def _pipelines(snap: Snapshot) -> list[Evidence]:
    ev = []
    for path in own_files(snap):
        if posixpath.basename(path) != "dvc.yaml":
            continue
        text = snap.text(path)
        if text is None:
            continue
        pipe = parse_dvc_yaml(path, text)
        for stage in pipe.stages[:3]:
            if stage.outs:
                ev.append(evidence(snap, path, stage.line, f"DVC stage {stage.name} with outputs"))
    return ev


def _lfs(snap: Snapshot) -> list[Evidence]:
    ev = []
    for number, line in enumerate(snap.lines(".gitattributes"), start=1):
        if "filter=lfs" in line.replace(" ", "") and not line.lstrip().startswith("#"):
            ev.append(evidence(snap, ".gitattributes", number, "Git LFS tracks these files"))
    return ev


def _remote_evidence(snap: Snapshot, configs: list[DvcConfig]) -> list[Evidence]:
    return [
        evidence(snap, cfg.path, r.line, f"DVC remote {r.name} ({r.kind})")
        for cfg in configs
        for r in cfg.remotes
    ]


@probe("M8.data-version-control")
def data_version_control(snap: Snapshot) -> Observation:
    """DVC set up and tracking data (pointer files or pipeline outputs)."""

    configs = dvc_configs(snap)
    roots = dvc_roots(snap)
    initialised = bool(roots)
    pointers, broken = _pointer_files(snap)
    stages = _pipelines(snap)
    remotes = _remote_evidence(snap, configs)
    tracked = pointers + stages
    where_dvc = "" if not roots or roots[0] == "" else f" (DVC project in {roots[0]}/)"
    if initialised and tracked:
        summary = f"DVC tracks {len(pointers)} pointer file(s)"
        if stages:
            summary += f" and {len(stages)} pipeline stage(s)"
        kinds = ", ".join(r.why.removeprefix("DVC remote ") for r in remotes)
        summary += f"; remote: {kinds}" if remotes else "; no remote in .dvc/config"
        return found(summary + where_dvc, tracked[:4] + remotes[:2], CHECKED)
    lfs = _lfs(snap)
    if lfs and not initialised:
        return found("data versioned with Git LFS (not DVC)", lfs[:3], CHECKED)
    if initialised and not tracked:
        why = "DVC is initialised but tracks nothing" + where_dvc
        if broken:
            why += f" ({len(broken)} pointer file(s) do not parse)"
        first = _join(roots[0], ".dvc/config")
        ev = remotes or [evidence(snap, first, 1 if snap.exists(first) else None, "DVC folder")]
        return partial(why, ev + broken[:2], CHECKED)
    if tracked or broken:
        return partial(
            f"DVC pointer files without a .dvc/ folder: {where(e.path for e in tracked + broken)}",
            (tracked + broken)[:4],
            CHECKED,
        )
    other = snap.branches_holding(".dvc/config")
    if other:
        return missing(
            f"DVC is set up on branch {', '.join(other[:3])}, not on the audited one", CHECKED
        )
    return missing("no DVC setup or tracked data", CHECKED)


#: A bucket URL (also one built from a variable: ``gs://$BUCKET``) or a GCS command line.
_GCS_URL = re.compile(r"\bgs://[a-z0-9${][\w.${}-]{2,62}|\bgsutil\s|\bgcloud\s+storage\s")
_GCS_TEXT_SUFFIXES = (".py", ".yaml", ".yml", ".sh", ".toml", ".cfg", ".json", ".ipynb")
_GCS_CALLS = ("google.cloud.storage.Client", "gcsfs.GCSFileSystem")


def gcs_usage(snap: Snapshot) -> list[Evidence]:
    """Places where the code or configuration uses a Google Cloud Storage bucket."""

    def build() -> list[Evidence]:
        ev: list[Evidence] = []
        candidates = [
            idx for word in ("storage", "gcsfs") for idx in py_indexes(snap, mentioning=word)
        ]
        for idx in {i.path: i for i in candidates}.values():
            for call in idx.calls:
                if call.resolved in _GCS_CALLS:
                    ev.append(evidence(snap, idx.path, call.line, f"{call.resolved}()"))
        for path in own_files(snap):
            if not path.endswith(_GCS_TEXT_SUFFIXES) or path.startswith("reports/"):
                continue
            for number, line in enumerate(snap.lines(path), start=1):
                if len(line) < 2000 and _GCS_URL.search(line):
                    ev.append(evidence(snap, path, number, "refers to a GCS bucket"))
                    break
            if len(ev) >= 6:
                break
        return ev

    return snap.memo("probes.gcs_usage", build)


@probe("M21.gcp-bucket")
def gcp_bucket_remote(snap: Snapshot) -> Observation:
    """A Google Cloud Storage bucket linked to DVC as a remote."""

    configs = dvc_configs(snap)
    checked = [
        ".dvc/config remotes (any DVC root)",
        "gs:// URLs, google.cloud.storage and gcsfs use in code and configs",
    ]
    gcs = [(cfg, r) for cfg in configs for r in cfg.remotes if r.kind == "gcs"]
    if gcs:
        ev = [evidence(snap, cfg.path, r.line, f"DVC remote {r.name}: {r.url}") for cfg, r in gcs]
        return found(f"DVC remote on a GCS bucket ({gcs[0][1].url})", ev, checked)
    used = gcs_usage(snap)
    if configs and any(cfg.remotes for cfg in configs):
        kinds = ", ".join(f"{r.name} ({r.kind})" for cfg in configs for r in cfg.remotes)
        ev = _remote_evidence(snap, configs) + used[:2]
        return partial(f"DVC remotes, but none is a GCS bucket: {kinds}", ev, checked)
    if used:
        why = "a GCS bucket is used, but not as a DVC remote"
        if configs:
            why += " (DVC has no remote in .dvc/config; it may be in the uncommitted config.local)"
        return partial(why, used[:4], checked)
    if configs:
        return not_verifiable(
            "DVC has no remote in .dvc/config; it may be set in the uncommitted config.local",
            [evidence(snap, configs[0].path, 1, "DVC configuration without a remote")],
            checked,
        )
    return missing("no bucket is referred to anywhere, and no DVC setup", checked)
