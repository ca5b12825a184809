"""Checking the claims of the free-text answers against the repository.

Claims are read by :mod:`verifier.claims`; each kind has one checker (registered in the
``probes`` package with :func:`verifier.engine.registry.claim_check`). A checker runs
isolated like a probe: a crash or a hang is an ``error`` on that claim, nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from verifier.claims import extract_claims
from verifier.claims.model import Claim
from verifier.engine.budget import DEFAULT_MEMORY_MB
from verifier.engine.registry import claim_check_for
from verifier.findings import ClaimResult, unverifiable

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot
    from verifier.report.model import Report


@dataclass
class ClaimFinding:
    """One claim of an answer, anchored at its report line, and how it compares."""

    claim: Claim
    result: ClaimResult | None
    checker: str | None = None
    error: str | None = None
    duration_ms: float = 0.0

    @property
    def verdict(self) -> str:
        return "error" if self.result is None else str(self.result.verdict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = self.claim.to_dict()
        out.update(
            {
                "verdict": self.verdict,
                "expected": self.result.expected if self.result else None,
                "observed": self.result.observed if self.result else None,
                "why": self.result.why if self.result else self.error,
                "evidence": [e.to_dict() for e in self.result.evidence] if self.result else [],
                "checker": self.checker,
                "error": self.error,
                "duration_ms": round(self.duration_ms, 3),
            }
        )
        return out


def _check_one(
    claim: Claim, snap: Snapshot, report: Report, budget_s: float, memory_mb: float | None
) -> ClaimFinding:
    from verifier.engine.audit import call_isolated

    spec = claim_check_for(claim.kind)
    if spec is None:
        result = unverifiable(str(claim.value), f"no checker compares {claim.kind} claims yet")
        return ClaimFinding(claim, result)
    value, error, ms = call_isolated(
        f"claim check {spec.name}", spec.func, (claim, snap, report), budget_s, memory_mb
    )
    if error is None and not isinstance(value, ClaimResult):
        error = f"claim check {spec.name} returned {type(value).__name__}"
    if error is not None:
        return ClaimFinding(claim, None, spec.name, error, ms)
    assert isinstance(value, ClaimResult)
    return ClaimFinding(claim, value, spec.name, None, ms)


def run_claim_checks(
    report: Report,
    snap: Snapshot,
    *,
    budget_s: float,
    memory_mb: float | None = DEFAULT_MEMORY_MB,
) -> list[ClaimFinding]:
    """Extract every claim of the answers and compare each with the repository."""

    claims = extract_claims(report)
    return [_check_one(c, snap, report, budget_s, memory_mb) for c in claims]
