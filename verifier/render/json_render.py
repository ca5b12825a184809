"""JSON output: the contract other tools build on (``schema_version``, stable ordering)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from verifier.engine.result import SCHEMA_VERSION, AuditResult
from verifier.report.model import Answer, ChecklistItem, Report


def _item(item: ChecklistItem) -> dict[str, Any]:
    return {
        "line": item.line,
        "end_line": item.end_line,
        "tick": str(item.tick),
        "mark": item.mark,
        "text": item.text,
        "module": item.module,
        "section": item.section,
        "id": item.catalog_id,
        "match_score": round(item.match_score, 3),
    }


def _answer(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.number,
        "heading_line": answer.heading_line,
        "start_line": answer.start_line,
        "end_line": answer.end_line,
        "unanswered": answer.unanswered,
        "words": answer.word_count,
        "text": answer.text,
        "links": [
            {
                "text": lk.text,
                "target": lk.target,
                "line": lk.line,
                "image": lk.is_image,
                "in_prompt": lk.in_prompt,
            }
            for lk in answer.links
        ],
    }


def report_dict(report: Report) -> dict[str, Any]:
    return {
        "path": report.path,
        "generation": report.generation,
        "title": report.title,
        "line_count": report.line_count,
        "problems": list(report.problems),
        "items": [_item(i) for i in report.items],
        "answers": [_answer(a) for a in sorted(report.answers, key=lambda a: a.number)],
    }


def result_dict(result: AuditResult) -> dict[str, Any]:
    findings = sorted(result.findings, key=lambda f: (f.line, f.catalog_id or ""))
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "verifier", "version": result.tool_version},
        "snapshot": asdict(result.snapshot),
        "counts": result.counts(),
        "findings": [f.to_dict() for f in findings],
        "claim_counts": result.claim_counts(),
        "claims": [
            c.to_dict() for c in sorted(result.claims, key=lambda c: (c.claim.line, c.claim.kind))
        ],
        "online": [c.to_dict() for c in result.online],
        "github": result.github,
        "notices": result.notices,
        "report": report_dict(result.report),
        "timings": result.timings,
    }


def render_json(result: AuditResult) -> str:
    return json.dumps(result_dict(result), indent=2, ensure_ascii=False) + "\n"
