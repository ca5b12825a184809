"""M10: Dockerfiles of the group's code, and evidence that they are built."""

from __future__ import annotations

import fnmatch
import posixpath
import re
from typing import TYPE_CHECKING

from probes._common import (
    dockerfiles,
    evidence,
    first_line_matching,
    only_template,
    own_files,
    where,
    workflows,
)
from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, found, missing, not_verifiable, partial
from verifier.repo.formats.dockerfile import Copy, Dockerfile

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

CHECKED_NAMES = "Dockerfile, Dockerfile.*, *.dockerfile, *-dockerfile (any folder)"


def _source_exists(snap: Snapshot, df: Dockerfile, source: str) -> bool | None:
    """Does a COPY source exist relative to the repository root or the Dockerfile's folder?

    None when it cannot be told (variables, URLs, absolute paths).
    """

    if "$" in source or "://" in source or source.startswith(("/", "<<")):
        return None  # variables, URLs, absolute paths and heredocs cannot be checked
    source = source.rstrip("/")
    while source.startswith("./"):
        source = source[2:]
    if source in ("", "."):
        return True
    bases = ["", posixpath.dirname(df.path)]
    files = snap.files()
    for base in bases:
        full = posixpath.normpath(posixpath.join(base, source)) if base else source
        if any(ch in full for ch in "*?["):
            if any(fnmatch.fnmatch(p, full) for p in files):
                return True
        elif snap.exists(full) or snap.is_dir(full):
            return True
    return False


def missing_copy_sources(snap: Snapshot, df: Dockerfile) -> list[tuple[Copy, str]]:
    out = []
    for copy in df.copies:
        if copy.from_stage is not None:  # copies from another stage or image
            continue
        for source in copy.sources:
            if _source_exists(snap, df, source) is False:
                out.append((copy, source))
    return out


def _usable(df: Dockerfile) -> bool:
    return df.error is None and bool(df.stages)


@probe("M10.dockerfiles")
def dockerfiles_present(snap: Snapshot) -> Observation:
    """Dockerfiles that parse, with a base image, and whose COPY sources exist."""

    dfs = dockerfiles(snap)
    checked = [f"files named {CHECKED_NAMES}, outside virtual environments"]
    if not dfs:
        return missing("no Dockerfile in the repository", checked)
    usable = [df for df in dfs if _usable(df)]
    ev: list[Evidence] = []
    notes: list[str] = []
    for df in usable:
        stage = df.stages[-1]
        run = df.entrypoint or df.cmd
        why = f"base image {stage.image}"
        if run is not None:
            why += f"; starts {' '.join(run.argv)[:80]}"
        ev.append(evidence(snap, df.path, stage.line, why))
        for copy, source in missing_copy_sources(snap, df)[:3]:
            notes.append(f"{df.path}:{copy.line} copies {source}, which is not in the repository")
            ev.append(
                evidence(snap, df.path, copy.line, f"COPY source {source} is not in the repository")
            )
    broken = [df for df in dfs if not _usable(df)]
    for df in broken:
        ev.append(evidence(snap, df.path, None, df.error or "no FROM instruction"))
    if not usable:
        return partial(
            f"Dockerfiles found but none is usable: {where(df.path for df in broken)}",
            ev,
            checked,
        )
    if only_template([e for e in ev if e.line is not None and "COPY" not in e.why][: len(usable)]):
        return partial(
            "only the course template's Dockerfiles, unchanged: " + where(df.path for df in usable),
            ev,
            checked,
        )
    summary = f"{len(usable)} Dockerfile(s): {where(df.path for df in usable)}"
    if notes:
        # Sources may be produced before the build (gitignored data, downloaded models): a
        # note for the reader, not a reason to doubt that the files were written.
        summary += f"; {len(notes)} COPY source(s) not in the repository"
    return found(summary, ev, checked)


BUILD_FILES = ("docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml")


@probe("M10.docker-build-local")
def docker_build(snap: Snapshot) -> Observation:
    """Building locally cannot be seen; build commands and compose files are pointers."""

    pattern = re.compile(r"\bdocker(?:\s+|-)(?:compose\s+)?build\b|\bdocker\s+buildx\s+build\b")
    ev: list[Evidence] = []
    for path in own_files(snap):
        name = posixpath.basename(path)
        if (
            name in BUILD_FILES
            or name in ("tasks.py", "Makefile", "justfile")
            or name.endswith(".sh")
        ):
            line = first_line_matching(snap, path, pattern)
            if line is not None:
                ev.append(evidence(snap, path, line, "docker build command"))
            elif name in BUILD_FILES:
                ev.append(evidence(snap, path, 1, "docker compose file"))
    for wf in workflows(snap):
        for _job, step in wf.all_steps():
            if step.action and "docker/build-push-action" in step.action.lower():
                ev.append(evidence(snap, wf.path, step.line, "image built in CI"))
            for line, cmd in step.run_commands():
                if pattern.search(cmd):
                    ev.append(evidence(snap, wf.path, line, "image built in CI"))
    if not dockerfiles(snap):
        return missing(
            "no Dockerfile in the repository, so nothing to build",
            [f"files named {CHECKED_NAMES}"],
        )
    # READMEs and the report are prose about building, not commands that build: not evidence.
    if ev:
        return found("build commands for the images are in the repository", ev[:8])
    return not_verifiable(
        "Dockerfiles exist; a local build leaves no trace in the repository and no build "
        "command was found",
        [
            evidence(snap, df.path, df.stages[0].line if df.stages else None, "Dockerfile")
            for df in dockerfiles(snap)[:3]
        ],
        ["docker build / compose in tasks.py, Makefile, justfile, *.sh, compose files, CI"],
    )
