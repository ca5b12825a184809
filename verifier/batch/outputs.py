"""Files a batch run writes: one JSON record per repository (``results/<name>.json``),
``results.jsonl`` (every record, one a line) and ``summary.csv`` (one row per group).

A record is ``{"record_version", "entry", "status": "ok"|"error", "error", "error_kind",
"started_at", "finished_at", "elapsed_s", "result"}``; ``result`` is the audit's JSON
(:func:`verifier.render.json_render.result_dict`) or None for an error.
"""

from __future__ import annotations

import csv
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

RECORD_VERSION = 1
RESULTS_DIR = "results"
SUMMARY_CSV = "summary.csv"
RESULTS_JSONL = "results.jsonl"
MANIFEST = "manifest.json"

VERDICT_COLUMNS = ("verified", "weak", "mismatch", "unclaimed", "absent", "manual")
SUMMARY_COLUMNS = (
    "group",
    "repo",
    "students",
    "status",
    "commit",
    "commit_date",
    "commits_after_deadline",
    *VERDICT_COLUMNS,
    "probe_errors",
    "unknown_items",
    "mismatches",
    "claims_inconsistent",
    "inconsistent_claims",
    "github_writers",
    "github_pull_requests",
    "github_ci_passing",
    "error",
)


def _write_atomic(path: Path, write: Callable[[IO[str]], None]) -> None:
    """Write through a temporary file renamed into place, so that a reader (or a resumed
    run) never sees half a file."""

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            write(handle)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, value: Any) -> None:
    def write(handle: IO[str]) -> None:
        json.dump(value, handle, ensure_ascii=False, indent=1, sort_keys=False)
        handle.write("\n")

    _write_atomic(path, write)


def write_text_atomic(path: Path, text: str) -> None:
    _write_atomic(path, lambda handle: handle.write(text))  # type: ignore[func-returns-value]


def result_path(out_dir: Path, name: str) -> Path:
    return out_dir / RESULTS_DIR / f"{name}.json"


def load_record(path: Path) -> dict[str, Any] | None:
    """The record in ``path``, or None when it is missing, unreadable or not a record."""

    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(value, dict) or value.get("status") not in ("ok", "error"):
        return None
    if not isinstance(value.get("entry"), dict):
        return None
    return value


def load_records(out_dir: Path) -> list[dict[str, Any]]:
    """Every valid record under ``out_dir/results`` (temporary files are ignored)."""

    folder = out_dir / RESULTS_DIR
    if not folder.is_dir():
        return []
    records = []
    for path in sorted(folder.glob("*.json")):
        record = load_record(path)
        if record is not None:
            records.append(record)
    return records


def _group_key(record: dict[str, Any]) -> tuple[int, int, str, str]:
    entry = record["entry"]
    group = str(entry.get("group") or "")
    number = int(group) if group.isdigit() else 0
    return (0 if group.isdigit() else 1, number, group.lower(), str(entry.get("target") or ""))


def sort_records(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Groups in numeric order (then names, then targets): the order of every output."""

    return sorted(records, key=_group_key)


_FORMULA_START = re.compile(r"^[=+\-@\t\r]")


def _cell(value: object) -> object:
    """A CSV cell; text that a spreadsheet would run as a formula is quoted with ``'``."""

    if isinstance(value, str) and _FORMULA_START.match(value):
        return "'" + value
    return "" if value is None else value


def summary_row(record: dict[str, Any]) -> dict[str, object]:
    entry = record["entry"]
    row: dict[str, object] = {
        "group": entry.get("group") or "",
        "repo": entry.get("target") or "",
        "students": ";".join(entry.get("students") or []),
        "status": record["status"],
        "error": record.get("error") or "",
    }
    result = record.get("result")
    if record["status"] != "ok" or not isinstance(result, dict):
        return row
    snapshot = result.get("snapshot") or {}
    counts = result.get("counts") or {}
    row.update(
        commit=snapshot.get("commit") or "",
        commit_date=snapshot.get("commit_date") or "",
        commits_after_deadline=snapshot.get("commits_after_deadline"),
        probe_errors=counts.get("error", 0),
        unknown_items=counts.get("unknown-item", 0),
    )
    for verdict in VERDICT_COLUMNS:
        row[verdict] = counts.get(verdict, 0)
    findings = result.get("findings") or []
    row["mismatches"] = ";".join(
        str(f.get("id")) for f in findings if f.get("verdict") == "mismatch" and f.get("id")
    )
    bad = [c for c in result.get("claims") or [] if c.get("verdict") == "inconsistent"]
    row["claims_inconsistent"] = len(bad)
    row["inconsistent_claims"] = ";".join(f"{c.get('kind')}@{c.get('line')}" for c in bad)
    row.update(_github_cells(result.get("github")))
    return row


def _github_cells(facts: object) -> dict[str, object]:
    """People who can push, pull requests and whether the latest runs pass (``--github``);
    empty cells where GitHub was not asked or could not say."""

    if not isinstance(facts, dict):
        return {}
    pulls = facts.get("pulls")
    passing = facts.get("ci_passing")
    return {
        "github_writers": facts.get("writers"),
        "github_pull_requests": pulls.get("total") if isinstance(pulls, dict) else None,
        "github_ci_passing": "" if passing is None else ("yes" if passing else "no"),
    }


def summary_csv(records: Iterable[dict[str, Any]]) -> str:
    buffer = _StringSink()
    writer = csv.DictWriter(buffer, fieldnames=SUMMARY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in sort_records(records):
        row = summary_row(record)
        writer.writerow({k: _cell(row.get(k)) for k in SUMMARY_COLUMNS})
    return buffer.text()


class _StringSink:
    def __init__(self) -> None:
        self._parts: list[str] = []

    def write(self, text: str) -> int:
        self._parts.append(text)
        return len(text)

    def text(self) -> str:
        return "".join(self._parts)


def write_outputs(out_dir: Path, records: list[dict[str, Any]]) -> None:
    """``summary.csv`` and ``results.jsonl`` for ``records``, each written atomically;
    ``results.jsonl`` one record at a time, so a class's results are never one string."""

    write_text_atomic(out_dir / SUMMARY_CSV, summary_csv(records))

    def write_lines(handle: IO[str]) -> None:
        for record in sort_records(records):
            handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")

    _write_atomic(out_dir / RESULTS_JSONL, write_lines)
