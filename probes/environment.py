"""M2: a dedicated environment whose packages are written down."""

from __future__ import annotations

from typing import TYPE_CHECKING

from probes._common import evidence
from probes._deps import declared_dependencies
from verifier.engine.registry import probe
from verifier.findings import Observation, found, missing, partial

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

CHECKED = [
    "pyproject.toml (PEP 621, Poetry, uv, dependency groups)",
    "requirements*.txt / requirements/*.txt",
    "environment.yml / conda.yaml",
    "uv.lock, poetry.lock, pdm.lock, Pipfile(.lock)",
]


@probe("M2.dedicated-environment")
def dedicated_environment(snap: Snapshot) -> Observation:
    """Dependencies declared in a file an environment can be built from; a lock file helps."""

    declared = declared_dependencies(snap)
    useful = [s for s in declared.sources if s.count > 0 and s.error is None]
    if not declared.sources:
        return missing("no dependency declaration or lock file", CHECKED)
    ev = [
        evidence(snap, s.path, s.line, f"{s.kind}: {s.count} packages")
        for s in sorted(useful, key=lambda s: (s.kind != "lock", s.path))[:4]
    ]
    if useful:
        locks = [s.path for s in useful if s.kind == "lock"]
        extra = f", locked in {', '.join(locks)}" if locks else ""
        return found(f"{len(declared.names)} packages declared{extra}", ev, CHECKED)
    empty = [
        evidence(snap, s.path, None, s.error or "declares no packages") for s in declared.sources
    ]
    return partial("dependency files exist but declare no packages", empty[:4], CHECKED)
