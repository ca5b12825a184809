"""Groups answer back: ``.verifier.yml`` in the audited repository.

A group can point to evidence a probe missed and give a reason for an item::

    evidence:
      M28.alerts: docs/monitoring.md:12        # a file, a line, or a range (12-20)
      M21.cloud-build: [cloudbuild.yaml, docs/cloud.md:3]
    reasons:
      M12.profiling: profiled locally with cProfile; see Q12
    deadline: 2026-01-24T23:59:00+01:00          # for the Action: audit the commit before this
    report: reports/README.md                   # for the Action: where the report is

Each pointer is checked (the file exists, the line is inside it) and shown as the group's own
evidence (origin ``group-pointer``); a reason is shown with the line of ``.verifier.yml`` that
gives it. Neither changes a verdict: ``manual`` and ``mismatch`` stay what they are, with the
group's word beside them. Whatever is wrong in the file becomes a note on the report, never
an error of the audit. The file is read with a safe YAML loader only.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from verifier.findings import Evidence, Origin
from verifier.repo.snapshot import normalize_path, parse_yaml

if TYPE_CHECKING:
    from verifier.engine.result import Finding
    from verifier.repo.snapshot import Snapshot
    from verifier.report.catalog import Catalog

CONFIG_NAMES: tuple[str, ...] = (".verifier.yml", ".verifier.yaml")
KNOWN_KEYS = frozenset({"evidence", "reasons", "deadline", "report"})
MAX_ENTRIES = 200  # items named in one file
MAX_POINTERS = 10  # pointers per item
MAX_TEXT = 300  # characters of a reason or a quoted line
POINTED = "the group points here"

_POINTER = re.compile(r"^(?P<path>.+?)(?::(?P<start>\d{1,7})(?:-(?P<end>\d{1,7}))?)?$")


@dataclass(frozen=True)
class Pointer:
    """``path``, ``path:12`` or ``path:12-20`` as written, and the line of the file it is on."""

    raw: str
    path: str
    start: int | None
    end: int | None
    config_line: int | None


@dataclass
class GroupConfig:
    """What ``.verifier.yml`` says, already checked for shape; ``problems`` for the rest."""

    path: str
    evidence: dict[str, list[Pointer]] = field(default_factory=dict)
    reasons: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    deadline: str | None = None
    report: str | None = None
    problems: list[str] = field(default_factory=list)


def _clip(text: str, limit: int = MAX_TEXT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _key_lines(text: str) -> dict[str, int]:
    """First line of each ``key:`` in the file, for pointing at the group's own words."""

    out: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"^\s*[\"']?([A-Za-z0-9_.\-]+)[\"']?\s*:", line)
        if m and m.group(1) not in out:
            out[m.group(1)] = number
    return out


def parse_pointer(raw: str, config_line: int | None = None) -> Pointer | None:
    m = _POINTER.match(raw.strip())
    if m is None:
        return None
    path = normalize_path(m.group("path"))
    if not path:
        return None
    start = int(m.group("start")) if m.group("start") else None
    end = int(m.group("end")) if m.group("end") else None
    if start is not None and (start < 1 or (end is not None and end < start)):
        return None
    return Pointer(raw.strip(), path, start, end, config_line)


def _as_text(value: Any) -> str | None:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value).strip() or None
    return None


def parse_config(text: str, path: str = ".verifier.yml") -> GroupConfig:
    """The file's content, checked; never raises."""

    config = GroupConfig(path)
    doc = parse_yaml(text)
    if not doc.ok:
        config.problems.append(f"{path}: not read: {_clip(doc.error or '', 200)}")
        return config
    data = doc.value
    if data is None:
        return config
    if not isinstance(data, dict):
        config.problems.append(f"{path}: expected a mapping at the top, not a list or a value")
        return config
    lines = _key_lines(text)
    for key in data:
        if key not in KNOWN_KEYS:
            config.problems.append(f"{path}: unknown key {_clip(str(key), 80)!r} ignored")
    _read_evidence(config, data.get("evidence"), lines)
    _read_reasons(config, data.get("reasons"), lines)
    for key in ("deadline", "report"):
        if key in data:
            value = _as_text(data[key])
            if value is None or "\n" in value or len(value) > 200:
                config.problems.append(f"{path}: {key} must be one line of text; ignored")
            else:
                setattr(config, key, value)
    return config


def _mapping(config: GroupConfig, name: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        config.problems.append(f"{config.path}: {name} must map item ids to values; ignored")
        return {}
    items = {str(k): v for k, v in value.items()}
    if len(items) > MAX_ENTRIES:
        config.problems.append(f"{config.path}: {name}: only the first {MAX_ENTRIES} items read")
        items = dict(list(items.items())[:MAX_ENTRIES])
    return items


def _read_evidence(config: GroupConfig, value: Any, lines: dict[str, int]) -> None:
    for item_id, raw in _mapping(config, "evidence", value).items():
        raws = raw if isinstance(raw, list) else [raw]
        pointers = []
        for one in raws[:MAX_POINTERS]:
            text = _as_text(one)
            pointer = parse_pointer(text, lines.get(item_id)) if text else None
            if pointer is None:
                shown = _clip(str(one), 80)
                config.problems.append(
                    f"{config.path}: evidence for {item_id}: {shown!r} is not path, path:line "
                    "or path:first-last inside the repository; ignored"
                )
            else:
                pointers.append(pointer)
        if pointers:
            config.evidence[item_id] = pointers


def _read_reasons(config: GroupConfig, value: Any, lines: dict[str, int]) -> None:
    for item_id, raw in _mapping(config, "reasons", value).items():
        text = _as_text(raw)
        if text is None:
            config.problems.append(f"{config.path}: reason for {item_id} must be text; ignored")
        else:
            config.reasons[item_id] = (_clip(text), lines.get(item_id))


def read_group_config(snap: Snapshot) -> GroupConfig | None:
    """``.verifier.yml`` at the repository's root (not the project folder), or None."""

    root = snap.root
    for name in CONFIG_NAMES:
        if root.is_file(name):
            text = root.text(name)
            if text is None:
                config = GroupConfig(name)
                config.problems.append(f"{name}: {root.why_unreadable(name) or 'unreadable'}")
                return config
            return parse_config(text, name)
    return None


def pointer_evidence(pointer: Pointer, snap: Snapshot) -> Evidence | str:
    """The evidence a pointer names, or why it names nothing."""

    root = snap.root
    if root.is_dir(pointer.path) and pointer.start is None:
        return Evidence(pointer.path, None, "", POINTED, Origin.GROUP_POINTER)
    if not root.is_file(pointer.path):
        return f"{pointer.raw!r} does not exist in the audited commit"
    if pointer.start is None:
        return Evidence(pointer.path, None, "", POINTED, Origin.GROUP_POINTER)
    lines = root.lines(pointer.path)
    last = pointer.end or pointer.start
    if last > len(lines):
        return f"{pointer.raw!r} is past the end of the file ({len(lines)} lines)"
    text = _clip(lines[pointer.start - 1], 200)
    why = POINTED if pointer.end is None else f"{POINTED} (lines {pointer.start}-{pointer.end})"
    return Evidence(pointer.path, pointer.start, text, why, Origin.GROUP_POINTER)


def group_evidence(
    config: GroupConfig, snap: Snapshot, catalog: Catalog, report_ids: set[str]
) -> tuple[dict[str, list[Evidence]], list[str]]:
    """Evidence per item id from the pointers and reasons, and notes on what was refused."""

    out: dict[str, list[Evidence]] = {}
    notes = list(config.problems)
    for item_id in [*config.evidence, *(k for k in config.reasons if k not in config.evidence)]:
        if catalog.get(item_id) is None:
            notes.append(f"{config.path}: {_clip(item_id, 80)!r} is not a known item id; ignored")
            continue
        if item_id not in report_ids:
            notes.append(f"{config.path}: {item_id} is not among the report's items; ignored")
            continue
        found: list[Evidence] = []
        for pointer in config.evidence.get(item_id, []):
            got = pointer_evidence(pointer, snap)
            if isinstance(got, str):
                notes.append(f"{config.path}: evidence for {item_id}: {got}")
            else:
                found.append(got)
        if item_id in config.reasons:
            reason, line = config.reasons[item_id]
            why = f"the group's reason: {reason}"
            found.append(Evidence(config.path, line, reason, why, Origin.GROUP_POINTER))
        if found:
            out[item_id] = found
    return out, notes


def attach(findings: list[Finding], evidence: dict[str, list[Evidence]]) -> list[str]:
    """Add the group's evidence to the findings of those items; the verdicts stay.

    Observations can be shared between findings of one probe, so each finding gets a copy.
    A finding without an observation (its probe failed) cannot carry it: a note says so.
    """

    notes = []
    for finding in findings:
        extra = evidence.get(finding.catalog_id or "")
        if not extra:
            continue
        if finding.observation is None:
            notes.append(
                f".verifier.yml: {finding.catalog_id}: the group's evidence is not shown, "
                "the item's check failed"
            )
            continue
        obs = finding.observation
        finding.observation = replace(obs, evidence=[*obs.evidence, *extra])
    return notes


def apply_answer_back(
    findings: list[Finding], snap: Snapshot, catalog: Catalog
) -> tuple[GroupConfig | None, list[str]]:
    """Read ``.verifier.yml`` and attach what it points to; the notes for the report.

    Never raises for anything in the file.
    """

    config = read_group_config(snap)
    if config is None:
        return None, []
    ids = {f.catalog_id for f in findings if f.catalog_id}
    evidence, notes = group_evidence(config, snap, catalog, ids)
    return config, notes + attach(findings, evidence)


def action_settings(directory: str) -> list[str]:
    """``deadline=…`` and ``report=…`` lines from ``directory``'s ``.verifier.yml``, for a
    shell to read (values are one line; anything else is left out)."""

    for name in CONFIG_NAMES:
        path = Path(directory) / name
        if path.is_file() and not path.is_symlink():
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                return []
            config = parse_config(text, name)
            out = []
            for key in ("deadline", "report"):
                value = getattr(config, key)
                if value and value.isprintable():
                    out.append(f"{key}={value}")
            return out
    return []


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    for line in action_settings(args[0] if args else "."):
        sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
