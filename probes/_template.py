"""Is a file still what the course's cookiecutter template generated?

The course template ships workflows, Dockerfiles, stub modules and a stub test that already
look like some checklist items. Presence is not authorship: a probe asks here whether a
file is template-identical before it counts the file as the group's work.

Files are compared by fingerprint: the SHA-256 of a normalised text (comment-only and blank
lines dropped, white space folded, the project's package name and Python versions replaced by
placeholders), so a file matches whatever name the group gave its package. The fingerprints in
``verifier/data/template_fingerprints.yaml`` were computed the same way from the template's
files at the commits groups started from (2024-01 to 2026-01), rendered for both of its
dependency-manager choices; no template text is kept.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml

from probes._common import own_files

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

_PY_VERSION = re.compile(r"(?<![\d.])3\.1[0-9](?![\d])")
_SPACE = re.compile(r"[ \t]+")
PACKAGE_PLACEHOLDER = "\u00a7P"
VERSION_PLACEHOLDER = "\u00a7V"


def normalise(text: str, package_names: tuple[str, ...]) -> str:
    """The text a fingerprint is taken of (see the module docstring)."""

    out = []
    patterns = [re.compile(rf"\b{re.escape(n)}\b") for n in package_names if n]
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        for pat in patterns:
            line = pat.sub(PACKAGE_PLACEHOLDER, line)
        line = _PY_VERSION.sub(VERSION_PLACEHOLDER, line)
        out.append(_SPACE.sub(" ", line))
    return "\n".join(out)


def fingerprint(text: str, package_names: tuple[str, ...]) -> str:
    return hashlib.sha256(normalise(text, package_names).encode("utf-8")).hexdigest()


@cache
def known_fingerprints() -> dict[str, str]:
    """Fingerprint → the template path it was taken from (e.g. ``tests/test_data.py``)."""

    text = resources.files("verifier").joinpath("data/template_fingerprints.yaml").read_text()
    data = yaml.safe_load(text) or {}
    out: dict[str, str] = {}
    for entry in data.get("files", []):
        for digest in entry.get("sha256", []):
            out[str(digest)] = str(entry["path"])
    return out


def package_names(snap: Snapshot) -> tuple[str, ...]:
    """Names the group's package may have: ``src/<pkg>/`` and top-level packages."""

    def build() -> tuple[str, ...]:
        names: set[str] = set()
        for path in own_files(snap):
            parts = path.split("/")
            if parts[-1] != "__init__.py":
                continue
            if len(parts) == 3 and parts[0] == "src":
                names.add(parts[1])
            elif len(parts) in (2, 3) and parts[0] not in ("tests", "test", "src"):
                names.add(parts[0])
        return tuple(sorted(names, key=lambda n: (-len(n), n)))

    return snap.memo("probes.package_names", build)


def template_source(snap: Snapshot, path: str) -> str | None:
    """The template file ``path`` is identical to (after normalising), or None."""

    def build() -> str | None:
        text = snap.text(path)
        if text is None:
            return None
        known = known_fingerprints()
        names = package_names(snap)
        for attempt in (names, ()):
            hit = known.get(fingerprint(text, attempt))
            if hit is not None:
                return hit
        return None

    return snap.memo(f"probes.template:{path}", build)


def is_template_copy(snap: Snapshot, path: str) -> bool:
    return template_source(snap, path) is not None


def template_note(snap: Snapshot, path: str) -> str:
    source = template_source(snap, path)
    if source is None:
        return ""
    return f"identical to the course template's {posixpath.basename(source)}"
