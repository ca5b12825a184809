"""Finding the report to audit: in the snapshot at the audited commit, or a file given."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from verifier.errors import InputError
from verifier.report.model import Report
from verifier.report.parse import parse_report

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

#: Where groups keep the report, most common first. Matched case-insensitively.
REPORT_CANDIDATES = (
    "reports/README.md",
    "reports/readme.md",
    "report/README.md",
    "reports/report.md",
    "docs/reports/README.md",
)


#: Lines only a course report holds: its question headings and module-tagged tick boxes.
_QUESTION = re.compile(r"^#{2,4}\s*question\s+\d+", re.IGNORECASE | re.MULTILINE)
_MODULE_BOX = re.compile(r"^\s*[-*+]\s*\[[^\]\n]{0,6}\]\s[^\n]*\(M\d+", re.MULTILINE)


def _looks_like_report(snap: Snapshot, path: str) -> bool:
    """Five question headings or five module-tagged tick boxes: a course report, even
    when a group moved it into the top-level README below their project description."""

    text = snap.text(path) or ""
    return len(_QUESTION.findall(text)) >= 5 or len(_MODULE_BOX.findall(text)) >= 5


def find_report_path(snap: Snapshot) -> str | None:
    """The path of the report inside the snapshot, or None.

    The usual places first; then a ``reports/README.md`` in a nested project folder
    (shallowest first); then any Markdown file in a ``reports`` folder or the top-level
    README.md when its text is a course report (groups move or rename it).
    """

    files = snap.files()
    by_lower = {p.lower(): p for p in files}
    for candidate in REPORT_CANDIDATES:
        hit = by_lower.get(candidate.lower())
        if hit is not None:
            return hit
    nested = sorted(
        (p for p in files if p.lower().endswith("/reports/readme.md")),
        key=lambda p: (p.count("/"), p),
    )
    if nested:
        return nested[0]
    others = sorted(
        (p for p in files if p.lower().startswith("reports/") and p.lower().endswith(".md")),
        key=lambda p: (p.count("/"), p),
    )
    for path in [*others, *(p for p in ("README.md", "readme.md") if p in by_lower.values())]:
        if _looks_like_report(snap, path):
            return path
    return None


def _unreadable_candidate(snap: Snapshot) -> None:
    """A report at a usual place that the snapshot skipped (too large, a link): say so."""

    skipped = {s.path.lower(): s for s in snap.skipped}
    for candidate in REPORT_CANDIDATES:
        hit = skipped.get(candidate.lower())
        if hit is not None:
            raise InputError(f"the report {hit.path} cannot be read: {hit.reason}")


def load_report(snap: Snapshot, report: str | None) -> Report:
    """Read and parse the report.

    ``report`` is a path inside the repository (read at the audited commit) or, failing
    that, a file on disk. Without it the usual places inside the repository are tried.
    """

    if report is None:
        path = find_report_path(snap)
        if path is None:
            _unreadable_candidate(snap)
            tried = ", ".join(REPORT_CANDIDATES)
            raise InputError(f"no report found in {snap.label} (tried {tried}); use --report")
        data = snap.read_bytes(path)
        if data is None:
            raise InputError(f"the report {path} cannot be read (binary, too large or a link)")
        return parse_report(data, path)
    rel = None
    if not Path(report).is_absolute():
        rel = report.replace("\\", "/")
        while rel.startswith("./"):
            rel = rel[2:]
    if rel and snap.exists(rel):
        data = snap.read_bytes(rel)
        if data is None:
            raise InputError(f"the report {rel} cannot be read (binary, too large or a link)")
        return parse_report(data, rel)
    disk = Path(report)
    if disk.is_file():
        try:
            return parse_report(disk.read_bytes(), str(disk))
        except OSError as exc:
            raise InputError(f"cannot read the report {report}: {exc.strerror}") from exc
    raise InputError(f"report not found: {report} (neither in the repository nor on disk)")


def project_root(report_path: str) -> str:
    """The folder holding the project: the parent of the report's ``reports/`` folder.

    ``group_project/reports/README.md`` gives ``group_project``; a report at the usual
    place (or outside a ``reports`` folder) gives "" (the repository root).
    """

    parts = report_path.replace("\\", "/").split("/")
    if len(parts) >= 3 and parts[-2].lower() in ("reports", "report"):
        return "/".join(parts[:-2])
    return ""
