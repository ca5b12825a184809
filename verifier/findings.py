"""The shared vocabulary of an audit: evidence, observations and verdicts.

A probe returns an :class:`Observation` (what the repository shows); the engine combines it
with the tick state of the report item into a :class:`Verdict`. Nothing here knows about git,
report parsing or output formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Origin(StrEnum):
    """Whose work a piece of evidence is."""

    GROUP = "group"
    TEMPLATE = "template"  # identical to what the course template ships
    OTHER_BRANCH = "other-branch"  # exists, but not on the audited commit
    GROUP_POINTER = "group-pointer"  # the group pointed at it in .verifier.yml
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Evidence:
    """One clickable location: a path, a 1-based line, the line itself and why it counts."""

    path: str
    line: int | None
    text: str
    why: str
    origin: Origin = Origin.GROUP

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "text": self.text,
            "why": self.why,
            "origin": str(self.origin),
        }


class Outcome(StrEnum):
    """What a probe saw in the repository."""

    FOUND = "found"
    PARTIAL = "partial"
    MISSING = "missing"
    NOT_VERIFIABLE = "not-verifiable"


@dataclass
class Observation:
    """A probe's answer: the outcome, a one-line summary, evidence and what it looked at.

    ``checked`` says where the probe looked, so that ``missing`` can be read as "looked in
    these places and found nothing" rather than "does not exist".
    """

    outcome: Outcome
    summary: str
    evidence: list[Evidence] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "outcome": str(self.outcome),
            "summary": self.summary,
            "evidence": [e.to_dict() for e in self.evidence],
            "checked": list(self.checked),
        }


def found(summary: str, evidence: list[Evidence], checked: list[str] | None = None) -> Observation:
    return Observation(Outcome.FOUND, summary, list(evidence), list(checked or []))


def partial(
    summary: str, evidence: list[Evidence], checked: list[str] | None = None
) -> Observation:
    return Observation(Outcome.PARTIAL, summary, list(evidence), list(checked or []))


def missing(
    summary: str, checked: list[str], evidence: list[Evidence] | None = None
) -> Observation:
    return Observation(Outcome.MISSING, summary, list(evidence or []), list(checked))


def not_verifiable(
    summary: str, evidence: list[Evidence] | None = None, checked: list[str] | None = None
) -> Observation:
    return Observation(Outcome.NOT_VERIFIABLE, summary, list(evidence or []), list(checked or []))


class Verdict(StrEnum):
    VERIFIED = "verified"
    WEAK = "weak"
    MISMATCH = "mismatch"
    UNCLAIMED = "unclaimed"
    ABSENT = "absent"
    MANUAL = "manual"
    ERROR = "error"
    UNKNOWN_ITEM = "unknown-item"  # a report line that matches no catalog item


#: Severity order used by ``--fail-on``: a verdict at or above the threshold fails the run.
SEVERITY: dict[Verdict, int] = {
    Verdict.ABSENT: 0,
    Verdict.UNCLAIMED: 0,
    Verdict.VERIFIED: 0,
    Verdict.MANUAL: 0,
    Verdict.UNKNOWN_ITEM: 0,
    Verdict.WEAK: 1,
    Verdict.MISMATCH: 2,
    Verdict.ERROR: 2,
}


class ClaimVerdict(StrEnum):
    """How a claim of a free-text answer compares with the repository."""

    CONSISTENT = "consistent"
    INCONSISTENT = "inconsistent"
    UNVERIFIABLE = "unverifiable"


@dataclass
class ClaimResult:
    """What a claim checker concluded: the verdict, what the repository shows, and why.

    ``expected`` restates the answer's claim in the checker's terms ("77 tests"),
    ``observed`` what the files show ("64 test functions, 80 cases with parametrize").
    """

    verdict: ClaimVerdict
    expected: str
    observed: str
    why: str
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "verdict": str(self.verdict),
            "expected": self.expected,
            "observed": self.observed,
            "why": self.why,
            "evidence": [e.to_dict() for e in self.evidence],
        }


def consistent(
    expected: str, observed: str, why: str, evidence: list[Evidence] | None = None
) -> ClaimResult:
    return ClaimResult(ClaimVerdict.CONSISTENT, expected, observed, why, list(evidence or []))


def inconsistent(
    expected: str, observed: str, why: str, evidence: list[Evidence] | None = None
) -> ClaimResult:
    return ClaimResult(ClaimVerdict.INCONSISTENT, expected, observed, why, list(evidence or []))


def unverifiable(
    expected: str, why: str, evidence: list[Evidence] | None = None, observed: str = ""
) -> ClaimResult:
    return ClaimResult(ClaimVerdict.UNVERIFIABLE, expected, observed, why, list(evidence or []))
