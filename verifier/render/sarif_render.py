"""SARIF 2.1.0 for GitHub code scanning (``github/codeql-action/upload-sarif``).

One rule per catalog item and one per kind of answer claim. A result sits on the report line
that makes the claim, so code scanning annotates the report itself; the repository files that
were read are its ``relatedLocations``. Levels: a mismatch and a contradicted claim are
``warning`` (a probe that finds nothing has not disproved anything, so not ``error``); a weak
item is a ``note``. Probe crashes are tool notifications, not results.

``partialFingerprints`` hash the report path, the rule and what the line says, never the line
number: an alert survives edits elsewhere in the report and is dismissed once, not per run.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from verifier.claims.model import CLAIM_KINDS
from verifier.engine.claims_run import ClaimFinding
from verifier.engine.result import AuditResult, Finding
from verifier.findings import Evidence, Origin, Verdict
from verifier.report.catalog import Catalog, CatalogEntry, load_catalog
from verifier.report.model import Report

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "verifier"
#: Where a reader learns what the checklist items mean: the course the report belongs to.
INFORMATION_URI = "https://skaftenicki.github.io/dtu_mlops/"
FINGERPRINT_KEY = "verifierClaim/v1"
UNKNOWN_RULE = "verifier.unknown-item"
CLAIM_RULE_PREFIX = "claim."
MAX_MESSAGE = 1000

LEVEL: dict[Verdict, str] = {
    Verdict.MISMATCH: "warning",
    Verdict.WEAK: "note",
}
CLAIM_LEVEL = {"inconsistent": "warning"}

_CAMEL = re.compile(r"[A-Za-z0-9]+")


def _camel(text: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in _CAMEL.findall(text)) or "Rule"


def _latest_wording(entry: CatalogEntry) -> str:
    best = max(entry.wordings, key=lambda w: max(w.years, default=0))
    return best.text


def _catalog_rule(entry: CatalogEntry) -> dict[str, Any]:
    modules = ", ".join(entry.modules)
    help_md = (
        f"**Looks for:** {entry.looks_for}\n\nVerifiable from a repository: {entry.verifiable}."
    )
    return {
        "id": entry.id,
        "name": _camel(entry.title),
        "shortDescription": {"text": entry.title},
        "fullDescription": {"text": _latest_wording(entry)},
        "help": {"text": f"Looks for: {entry.looks_for}", "markdown": help_md},
        "defaultConfiguration": {"level": "warning"},
        "properties": {
            "tags": ["mlops-report", *(m for m in entry.modules)],
            "precision": "medium",
            "modules": modules,
            "verifiable": entry.verifiable,
        },
    }


def _claim_rule(kind: str, value_type: str) -> dict[str, Any]:
    words = kind.replace("-", " ")
    return {
        "id": CLAIM_RULE_PREFIX + kind,
        "name": "Claim" + _camel(kind),
        "shortDescription": {"text": f"Answer claim: {words}"},
        "fullDescription": {
            "text": f"A {words} claim in a free-text answer of the report ({value_type}), "
            "compared with what the repository shows."
        },
        "help": {
            "text": f"The answer states a {words}; the repository should show the same.",
        },
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": ["mlops-report", "claim"], "precision": "medium"},
    }


def _unknown_rule() -> dict[str, Any]:
    return {
        "id": UNKNOWN_RULE,
        "name": "UnknownItem",
        "shortDescription": {"text": "Checklist item not in the catalog"},
        "fullDescription": {"text": "A tick box of the report that matches no known item."},
        "help": {"text": "Keep the template's wording of the checklist item."},
        "defaultConfiguration": {"level": "note"},
        "properties": {"tags": ["mlops-report"], "precision": "low"},
    }


def sarif_rules(catalog: Catalog | None = None) -> list[dict[str, Any]]:
    """Every catalog item, every claim kind, and the rule for items the catalog lacks."""

    catalog = catalog or load_catalog()
    rules = [_catalog_rule(e) for e in catalog.entries]
    rules += [_claim_rule(kind, kind_type) for kind, kind_type in sorted(CLAIM_KINDS.items())]
    rules.append(_unknown_rule())
    return rules


def artifact_uri(path: str) -> str:
    """A repository-relative path as a relative URI reference; an absolute one as file URI."""

    if PureWindowsPath(path).is_absolute() and not path.startswith("/"):
        return PureWindowsPath(path).as_uri()
    if path.startswith("/"):
        return PurePosixPath(path).as_uri()
    return quote(path.replace("\\", "/"), safe="/")


def _physical(path: str, line: int | None, end_line: int | None = None) -> dict[str, Any]:
    loc: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(path)}}
    if line and line > 0:
        region: dict[str, Any] = {"startLine": line}
        if end_line and end_line > line:
            region["endLine"] = end_line
        loc["region"] = region
    return loc


def _related(evidence: list[Evidence]) -> list[dict[str, Any]]:
    out = []
    for index, ev in enumerate(evidence, start=1):
        words = ev.why or "evidence"
        if ev.origin != Origin.GROUP:
            words += f" ({ev.origin})"
        if ev.text:
            words += f": {ev.text}"
        out.append(
            {
                "id": index,
                "physicalLocation": _physical(ev.path, ev.line),
                "message": {"text": _clip(words)},
            }
        )
    return out


def _clip(text: str, limit: int = MAX_MESSAGE) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fingerprint(*parts: object) -> str:
    joined = "\x1f".join(" ".join(str(p).split()).lower() for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


def _finding_message(f: Finding) -> str:
    obs = f.observation
    summary = obs.summary if obs else (f.error or "")
    head = {
        Verdict.MISMATCH: "ticked, but the repository does not show it",
        Verdict.WEAK: "ticked; the repository shows only part of it",
    }.get(f.verdict, str(f.verdict))
    text = f"{f.title}: {head}. {summary}".strip()
    if obs and f.verdict is Verdict.MISMATCH and obs.checked:
        text += " Looked in: " + ", ".join(obs.checked[:8])
        if len(obs.checked) > 8:
            text += f" and {len(obs.checked) - 8} more"
        text += "."
    return _clip(text)


def _claim_message(c: ClaimFinding) -> str:
    res = c.result
    quote_ = " ".join(c.claim.quote.split())
    if res is None:
        return _clip(f'Answer {c.claim.question} says "{quote_}"; the check failed: {c.error}')
    observed = f" The repository shows: {res.observed}." if res.observed else ""
    return _clip(
        f'Answer {c.claim.question} says "{quote_}" ({res.expected}).{observed} {res.why}'.strip()
    )


def _finding_result(f: Finding, report: Report, rule_index: dict[str, int]) -> dict[str, Any]:
    rule_id = f.catalog_id if f.catalog_id in rule_index else UNKNOWN_RULE
    evidence = f.observation.evidence if f.observation else []
    key = f.catalog_id or f.item.text
    out: dict[str, Any] = {
        "ruleId": rule_id,
        "ruleIndex": rule_index[rule_id],
        "level": LEVEL.get(f.verdict, "note"),
        "message": {"text": _finding_message(f)},
        "locations": [{"physicalLocation": _physical(report.path, f.line, f.item.end_line)}],
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint("item", report.path, key)},
        "properties": {"verdict": str(f.verdict), "tick": str(f.item.tick)},
    }
    if evidence:
        out["relatedLocations"] = _related(evidence)
    return out


def _claim_result(
    c: ClaimFinding, report: Report, rule_index: dict[str, int], occurrence: int
) -> dict[str, Any]:
    rule_id = CLAIM_RULE_PREFIX + c.claim.kind
    if rule_id not in rule_index:
        rule_id = UNKNOWN_RULE
    value = c.claim.value
    value_text = ",".join(map(str, value)) if isinstance(value, tuple) else str(value)
    fingerprint = _fingerprint(
        "claim", report.path, c.claim.kind, c.claim.question, value_text, occurrence
    )
    out: dict[str, Any] = {
        "ruleId": rule_id,
        "ruleIndex": rule_index[rule_id],
        "level": CLAIM_LEVEL.get(c.verdict, "note"),
        "message": {"text": _claim_message(c)},
        "locations": [{"physicalLocation": _physical(report.path, c.claim.line)}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {"verdict": c.verdict, "question": c.claim.question},
    }
    evidence = c.result.evidence if c.result else []
    if evidence:
        out["relatedLocations"] = _related(evidence)
    return out


def _notifications(result: AuditResult) -> list[dict[str, Any]]:
    """Probe and claim-check crashes: the tool failed there, the group did nothing wrong."""

    out = []
    path = result.report.path
    for f in sorted(result.findings, key=lambda f: f.line):
        if f.verdict is Verdict.ERROR:
            out.append(
                {
                    "level": "error",
                    "message": {"text": _clip(f"probe {f.probe or '?'} failed: {f.error or ''}")},
                    "locations": [{"physicalLocation": _physical(path, f.line)}],
                }
            )
    for c in sorted(result.claims, key=lambda c: c.claim.line):
        if c.verdict == "error":
            out.append(
                {
                    "level": "error",
                    "message": {"text": _clip(f"claim check {c.checker or '?'}: {c.error}")},
                    "locations": [{"physicalLocation": _physical(path, c.claim.line)}],
                }
            )
    return out


def sarif_log(result: AuditResult, *, catalog: Catalog | None = None) -> dict[str, Any]:
    """The SARIF log as a dict (``render_sarif`` serialises it)."""

    rules = sarif_rules(catalog)
    rule_index = {r["id"]: i for i, r in enumerate(rules)}
    report = result.report
    results = [
        _finding_result(f, report, rule_index)
        for f in sorted(result.findings, key=lambda f: (f.line, f.catalog_id or ""))
        if f.verdict in LEVEL
    ]
    seen: dict[tuple[str, int, str], int] = {}
    for c in sorted(result.claims, key=lambda c: (c.claim.line, c.claim.kind, c.claim.quote)):
        if c.verdict not in CLAIM_LEVEL:
            continue
        key = (c.claim.kind, c.claim.question, str(c.claim.value))
        seen[key] = seen.get(key, 0) + 1
        results.append(_claim_result(c, report, rule_index, seen[key]))
    notes = _notifications(result)
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notes:
        invocation["toolExecutionNotifications"] = notes
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": result.tool_version or "unknown",
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "report": report.path,
            "commit": result.snapshot.commit,
            "counts": result.counts(),
            "claimCounts": result.claim_counts(),
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(result: AuditResult) -> str:
    return json.dumps(sarif_log(result), indent=2, ensure_ascii=False) + "\n"
