"""The engine: run the probe for every checklist item and turn observations into verdicts.

Each probe runs isolated: an exception, or a probe that outlives its time budget or grows
the process by more than its memory budget (:mod:`verifier.engine.budget`), becomes an
``error`` finding with the reason, and the rest of the audit goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from verifier.engine.budget import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, Budget, run_within
from verifier.engine.claims_run import run_claim_checks
from verifier.engine.registry import ProbeSpec, all_repo_checks, probe_for
from verifier.engine.result import AuditResult, Finding, SnapshotInfo
from verifier.engine.verdicts import verdict_for
from verifier.findings import Observation, Outcome, Verdict, not_verifiable
from verifier.report.catalog import Catalog, load_catalog
from verifier.report.model import ChecklistItem, Report

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

DEFAULT_PROBE_SECONDS = DEFAULT_SECONDS
DEFAULT_PROBE_MEMORY_MB = DEFAULT_MEMORY_MB


@dataclass
class ProbeRun:
    """One probe call's outcome: an observation, or the reason there is none."""

    observation: Observation | None
    error: str | None
    duration_ms: float


def call_isolated(
    label: str,
    func: Callable[..., object],
    args: tuple[object, ...],
    budget_s: float,
    memory_mb: float | None = DEFAULT_PROBE_MEMORY_MB,
) -> tuple[object, str | None, float]:
    """Call ``func(*args)`` in a daemon thread so a hung, crashing or memory-hungry check
    cannot hold or stop the audit: (its value, the reason there is none, milliseconds)."""

    outcome = run_within(label, func, args, Budget(seconds=budget_s, memory_mb=memory_mb))
    return outcome.value, outcome.error, outcome.elapsed_ms


def run_probe(
    spec: ProbeSpec,
    snap: Snapshot,
    budget_s: float,
    memory_mb: float | None = DEFAULT_PROBE_MEMORY_MB,
) -> ProbeRun:
    """Run one probe isolated, and refuse answers that break the contract."""

    label = f"probe {spec.name}"
    obs, error, elapsed = call_isolated(label, spec.func, (snap,), budget_s, memory_mb)
    if error is not None:
        return ProbeRun(None, error, elapsed)
    if not isinstance(obs, Observation):
        return ProbeRun(None, f"probe {spec.name} returned {type(obs).__name__}", elapsed)
    if obs.outcome is Outcome.FOUND and not obs.evidence:
        return ProbeRun(None, f"probe {spec.name} said found without evidence", elapsed)
    return ProbeRun(_in_repository_paths(obs, snap), None, elapsed)


def _in_repository_paths(obs: Observation, snap: Snapshot) -> Observation:
    """Evidence paths relative to the repository, also when the project sits in a folder."""

    if not snap.project_root:
        return obs
    obs.evidence = [replace(e, path=snap.repo_path(e.path)) for e in obs.evidence]
    return obs


def _finding_for(
    item: ChecklistItem,
    catalog: Catalog,
    snap: Snapshot,
    cache: dict[str, ProbeRun],
    budget_s: float,
    memory_mb: float | None,
) -> Finding:
    if item.catalog_id is None:
        return Finding(
            item,
            None,
            item.text,
            Verdict.UNKNOWN_ITEM,
            None,
            error="this line matches no known checklist item; it was not checked",
        )
    entry = catalog.get(item.catalog_id)
    title = entry.title if entry else item.catalog_id
    spec = probe_for(item.catalog_id)
    if spec is None:
        why = (
            "a repository cannot show this; it needs a person to check"
            if entry is not None and entry.verifiable == "manual"
            else "no probe checks this item yet; it needs a person to check"
        )
        obs = not_verifiable(why)
        return Finding(item, item.catalog_id, title, verdict_for(item.tick, obs.outcome), obs)
    run = cache.get(spec.name)
    if run is None:
        run = run_probe(spec, snap, budget_s, memory_mb)
        cache[spec.name] = run
    if run.observation is None:
        return Finding(
            item,
            item.catalog_id,
            title,
            Verdict.ERROR,
            None,
            probe=spec.name,
            duration_ms=run.duration_ms,
            error=run.error,
        )
    return Finding(
        item,
        item.catalog_id,
        title,
        verdict_for(item.tick, run.observation.outcome),
        run.observation,
        probe=spec.name,
        duration_ms=run.duration_ms,
    )


def _answer_back(
    findings: list[Finding], report: Report, snap: Snapshot, catalog: Catalog
) -> Report:
    """The group's own pointers and reasons (``.verifier.yml``) beside the verdicts, which
    stay as they are; what is wrong in that file becomes a note on the report."""

    from verifier.engine.answer_back import apply_answer_back

    _, notes = apply_answer_back(findings, snap, catalog)
    return replace(report, problems=[*report.problems, *notes]) if notes else report


def run_repo_checks(
    snap: Snapshot, budget_s: float, memory_mb: float | None = DEFAULT_PROBE_MEMORY_MB
) -> dict[str, dict[str, Any]]:
    """Repository-wide checks (committed secrets, ...), each isolated like a probe."""

    out: dict[str, dict[str, Any]] = {}
    for name, (title, func) in all_repo_checks().items():
        value, error, _ms = call_isolated(f"check {name}", func, (snap,), budget_s, memory_mb)
        evidence = value if isinstance(value, list) else []
        evidence = [replace(e, path=snap.repo_path(e.path)) for e in evidence]
        out[name] = {"title": title, "evidence": [e.to_dict() for e in evidence], "error": error}
    return out


def snapshot_info(snap: Snapshot, deadline: str | None) -> SnapshotInfo:
    return SnapshotInfo(
        target=str(snap.label),
        kind=snap.kind,
        commit=snap.commit,
        ref=snap.ref,
        commit_date=snap.commit_date.isoformat() if snap.commit_date else None,
        deadline=deadline,
        commits_after_deadline=snap.commits_after_deadline,
        file_count=len(snap.files()),
        project_root=snap.project_root,
        skipped=[{"path": s.path, "reason": s.reason} for s in snap.skipped],
    )


def run_audit(
    report: Report,
    snap: Snapshot,
    *,
    deadline: str | None = None,
    catalog: Catalog | None = None,
    probe_budget_s: float = DEFAULT_PROBE_SECONDS,
    probe_memory_mb: float | None = DEFAULT_PROBE_MEMORY_MB,
    with_claims: bool = True,
) -> AuditResult:
    """Audit every checklist item of ``report`` against ``snap``.

    Every probe and check gets ``probe_budget_s`` seconds and may grow the process by
    ``probe_memory_mb`` (None: no memory limit); past either it becomes an ``error``.
    """

    from verifier import __version__

    catalog = catalog or load_catalog()
    start = time.perf_counter()
    cache: dict[str, ProbeRun] = {}
    blank = [item for item in report.items if not item.text.strip()]
    if blank:
        # "* [ ] " left over in the template: nothing is claimed by a box without words.
        lines = ", ".join(str(item.line) for item in blank[:10])
        report = replace(
            report,
            problems=[*report.problems, f"line(s) {lines}: checklist box without text, ignored"],
        )
    findings = [
        _finding_for(item, catalog, snap, cache, probe_budget_s, probe_memory_mb)
        for item in report.items
        if item.text.strip()
    ]
    probes_ms = (time.perf_counter() - start) * 1000
    report = _answer_back(findings, report, snap, catalog)
    start = time.perf_counter()
    claims = (
        run_claim_checks(report, snap, budget_s=probe_budget_s, memory_mb=probe_memory_mb)
        if with_claims
        else []
    )
    claims_ms = (time.perf_counter() - start) * 1000
    notices = run_repo_checks(snap, probe_budget_s, probe_memory_mb)
    info = snapshot_info(snap, deadline)
    return AuditResult(
        snapshot=info,
        report=report,
        findings=findings,
        claims=claims,
        notices=notices,
        timings={"probes_ms": round(probes_ms, 3), "claims_ms": round(claims_ms, 3)},
        tool_version=__version__,
        github=snap.github.to_dict() if snap.github is not None else None,
    )
