"""The result of one audit: what every renderer reads. Knows nothing of git or formats."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from verifier.findings import Observation, Verdict

if TYPE_CHECKING:
    from verifier.engine.claims_run import ClaimFinding
    from verifier.online import OnlineCheck
from verifier.report.model import ChecklistItem, Report

SCHEMA_VERSION = "1.0"


@dataclass
class Finding:
    """The verdict on one checklist item, anchored at the report line that makes the claim."""

    item: ChecklistItem
    catalog_id: str | None
    title: str
    verdict: Verdict
    observation: Observation | None
    probe: str | None = None
    duration_ms: float = 0.0
    error: str | None = None

    @property
    def line(self) -> int:
        return self.item.line

    def to_dict(self) -> dict[str, Any]:
        obs = self.observation
        return {
            "id": self.catalog_id,
            "title": self.title,
            "line": self.item.line,
            "text": self.item.text,
            "module": self.item.module,
            "section": self.item.section,
            "tick": str(self.item.tick),
            "mark": self.item.mark,
            "verdict": str(self.verdict),
            "outcome": str(obs.outcome) if obs else None,
            "summary": obs.summary if obs else self.error,
            "evidence": [e.to_dict() for e in obs.evidence] if obs else [],
            "checked": list(obs.checked) if obs else [],
            "probe": self.probe,
            "duration_ms": round(self.duration_ms, 3),
            "error": self.error,
        }


@dataclass
class SnapshotInfo:
    """What was audited: enough for a reader to find the same files again."""

    target: str
    kind: str
    commit: str | None
    ref: str | None
    commit_date: str | None
    deadline: str | None
    commits_after_deadline: int | None
    file_count: int
    project_root: str = ""  # the folder holding the project when it is not the root
    skipped: list[dict[str, str]] = field(default_factory=list)


@dataclass
class AuditResult:
    snapshot: SnapshotInfo
    report: Report
    findings: list[Finding]
    claims: list[ClaimFinding] = field(default_factory=list)
    #: Repository-wide notices (e.g. committed secrets): name -> {title, evidence, error}.
    notices: dict[str, dict[str, Any]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    tool_version: str = ""
    online: list[OnlineCheck] = field(default_factory=list)  # only with --online
    #: What the GitHub API said (``RepoFacts.to_dict()``), only with --github.
    github: dict[str, Any] | None = None

    def counts(self) -> dict[str, int]:
        out = {str(v): 0 for v in Verdict}
        for f in self.findings:
            out[str(f.verdict)] += 1
        return out

    def claim_counts(self) -> dict[str, int]:
        out = {"consistent": 0, "inconsistent": 0, "unverifiable": 0, "error": 0}
        for c in self.claims:
            out[c.verdict] = out.get(c.verdict, 0) + 1
        return out
