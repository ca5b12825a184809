"""The dependencies a repository declares, gathered from every usual place.

pyproject.toml (PEP 621, Poetry, uv, PEP 735 groups), requirements*.txt (with ``-r``
includes followed inside the snapshot), conda environment files, and lock files (uv.lock,
poetry.lock: these also list indirect dependencies).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from probes._common import own_files
from verifier.repo.formats.dependencies import (
    Requirement,
    normalize_name,
    parse_environment_yml,
    parse_lock_packages,
    parse_pyproject,
    parse_requirements,
)

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

_REQUIREMENTS_NAME = re.compile(r"^requirements([_.-][\w.-]*)?\.(txt|in)$", re.I)
_ENV_NAMES = ("environment.yml", "environment.yaml", "conda.yaml", "conda.yml", "env.yml")
LOCK_NAMES = ("uv.lock", "poetry.lock", "pdm.lock", "Pipfile.lock", "conda-lock.yml")


@dataclass(frozen=True)
class DeclarationSource:
    path: str
    kind: str  # "pyproject", "requirements", "conda", "lock", "pipfile"
    count: int
    line: int | None  # where the first declaration is
    error: str | None = None


@dataclass
class Declared:
    sources: list[DeclarationSource] = field(default_factory=list)
    requirements: list[tuple[str, Requirement]] = field(default_factory=list)  # (path, req)
    names: set[str] = field(default_factory=set)  # declared directly
    locked: set[str] = field(default_factory=set)  # in a lock file (direct or indirect)
    scripts: list[tuple[str, str, str, int]] = field(default_factory=list)  # path,name,target,line

    @property
    def all_names(self) -> set[str]:
        return self.names | self.locked


def _is_candidate(path: str) -> bool:
    depth = path.count("/")
    name = posixpath.basename(path)
    if depth > 2:
        return False
    return (
        name == "pyproject.toml"
        or bool(_REQUIREMENTS_NAME.match(name))
        or (depth <= 1 and path.startswith("requirements/") and name.endswith((".txt", ".in")))
        or name in _ENV_NAMES
        or name in LOCK_NAMES
        or name == "Pipfile"
    )


def declared_dependencies(snap: Snapshot) -> Declared:
    return snap.memo("probes.declared", lambda: _collect(snap))


def _collect(snap: Snapshot) -> Declared:
    out = Declared()
    for path in own_files(snap):
        if not _is_candidate(path):
            continue
        text = snap.text(path)
        if text is None:
            continue
        name = posixpath.basename(path)
        if name == "pyproject.toml":
            py = parse_pyproject(path, text)
            reqs = py.all_requirements()
            first = min((r.line for r in reqs if r.line), default=None)
            out.sources.append(DeclarationSource(path, "pyproject", len(reqs), first, py.error))
            out.requirements.extend((path, r) for r in reqs)
            out.scripts.extend((path, s.name, s.target, s.line) for s in py.scripts)
        elif name in LOCK_NAMES:
            names = parse_lock_packages(path, text) if name.endswith(".lock") else []
            out.locked.update(names)
            out.sources.append(DeclarationSource(path, "lock", len(names), 1))
        elif name in _ENV_NAMES:
            env = parse_environment_yml(path, text)
            # The interpreter and pip themselves are not the project's packages.
            count = len([d for d in env.conda if d.name not in ("python", "pip")]) + len(env.pip)
            line = min([d.line for d in env.conda] + [r.line for r in env.pip], default=None)
            out.sources.append(DeclarationSource(path, "conda", count, line, env.error))
            out.names.update(env.names())
            out.requirements.extend((path, r) for r in env.pip)
        elif name == "Pipfile":
            doc = snap.toml(path)
            names = []
            if isinstance(doc.value, dict):
                for table in ("packages", "dev-packages"):
                    section = doc.value.get(table)
                    if isinstance(section, dict):
                        names.extend(normalize_name(str(k)) for k in section)
            out.names.update(names)
            first = next(
                (n for n, t in enumerate(snap.lines(path), 1) if t.strip() == "[packages]"), None
            )
            out.sources.append(DeclarationSource(path, "pipfile", len(names), first, doc.error))
        else:
            reqs = parse_requirements(path, text)
            named = [r for r in reqs if r.name]
            first = min((r.line for r in named), default=None)
            out.sources.append(
                DeclarationSource(path, "requirements", len(named), first, reqs.error)
            )
            out.requirements.extend((path, r) for r in named)
    out.names.update(r.name for _p, r in out.requirements if r.name)
    return out
