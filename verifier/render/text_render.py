"""A readable terminal table (rich). Student text is printed as text, never as markup."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from verifier.engine.result import AuditResult, Finding
from verifier.findings import Verdict
from verifier.render.github_facts import facts_lines
from verifier.report.model import Tick

STYLE: dict[Verdict, str] = {
    Verdict.VERIFIED: "green",
    Verdict.WEAK: "yellow",
    Verdict.MISMATCH: "bold red",
    Verdict.UNCLAIMED: "cyan",
    Verdict.ABSENT: "dim",
    Verdict.MANUAL: "magenta",
    Verdict.ERROR: "bold magenta",
    Verdict.UNKNOWN_ITEM: "yellow",
}

#: Order of the table: what needs attention first.
ORDER: list[Verdict] = [
    Verdict.MISMATCH,
    Verdict.ERROR,
    Verdict.WEAK,
    Verdict.UNKNOWN_ITEM,
    Verdict.UNCLAIMED,
    Verdict.MANUAL,
    Verdict.VERIFIED,
    Verdict.ABSENT,
]


def _evidence_text(finding: Finding, limit: int) -> Text:
    out = Text()
    obs = finding.observation
    summary = obs.summary if obs else (finding.error or "")
    out.append(summary)
    if obs:
        for ev in obs.evidence[:limit]:
            where = f"{ev.path}:{ev.line}" if ev.line else ev.path
            out.append("\n  " + where, style="bold")
            if ev.text:
                out.append("  " + ev.text[:100], style="dim")
            if ev.origin != "group":
                out.append(f"  [{ev.origin}]", style="yellow")
        if len(obs.evidence) > limit:
            out.append(f"\n  … {len(obs.evidence) - limit} more", style="dim")
    return out


def _quiet(finding: Finding) -> bool:
    """Unticked and nothing found, or unticked and only a person could tell."""

    return finding.item.tick is Tick.UNTICKED and finding.verdict in (
        Verdict.ABSENT,
        Verdict.MANUAL,
    )


def render_text(
    result: AuditResult,
    *,
    width: int = 120,
    color: bool = False,
    limit: int = 3,
    all_rows: bool = False,
) -> str:
    buf = io.StringIO()
    console = Console(
        file=buf, width=width, force_terminal=color, no_color=not color, highlight=False
    )
    snap = result.snapshot
    head = f"{snap.target} ({snap.kind}"
    if snap.commit:
        head += f" @ {snap.ref or ''} {snap.commit[:10]}"
    head += ")"
    console.print(Text(f"verifier audit: {head}", style="bold"))
    rep = result.report
    console.print(
        Text(
            f"report {rep.path}: template {rep.generation}, {len(rep.items)} checklist items, "
            f"{len(rep.answers)} answers"
        )
    )
    if snap.commits_after_deadline:
        console.print(Text(f"{snap.commits_after_deadline} commits after the deadline ignored"))
    for problem in rep.problems:
        console.print(Text(f"report: {problem}", style="yellow"))

    table = Table(show_lines=False, expand=True)
    table.add_column("line", justify="right", no_wrap=True)
    table.add_column("tick", no_wrap=True)
    table.add_column("item", ratio=2)
    table.add_column("verdict", no_wrap=True)
    table.add_column("evidence / reason", ratio=3)
    rank = {v: i for i, v in enumerate(ORDER)}
    hidden = 0
    for f in sorted(result.findings, key=lambda f: (rank[f.verdict], f.line)):
        if not all_rows and _quiet(f):
            hidden += 1
            continue
        item_label = Text(f.title)
        if f.catalog_id:
            item_label.append(f"\n{f.catalog_id}", style="dim")
        table.add_row(
            Text(str(f.line)),
            Text(f"[{f.item.mark}]"),
            item_label,
            Text(str(f.verdict), style=STYLE[f.verdict]),
            _evidence_text(f, limit),
        )
    if result.findings:
        console.print(table)
    if hidden:
        console.print(
            Text(
                f"{hidden} unticked items with nothing to report are not listed "
                "(--all lists them; --format json has every finding)",
                style="dim",
            )
        )
    if not result.findings:
        console.print(Text("the report has no checklist; nothing to check item by item"))
    counts = result.counts()
    summary = ", ".join(f"{counts[str(v)]} {v}" for v in ORDER if counts[str(v)])
    console.print(Text(summary or "no findings", style="bold"))
    _claims_table(console, result, limit)
    for label, text in facts_lines(result.github):
        console.print(Text(f"github {label}: {text}"))
    for notice in result.notices.values():
        if notice["evidence"]:
            console.print(Text(f"{notice['title']}: {len(notice['evidence'])}", style="bold red"))
            for ev in notice["evidence"][: limit * 3]:
                console.print(Text(f"  {ev['path']}:{ev['line']}  {ev['why']}"))
    return buf.getvalue()


CLAIM_STYLE = {
    "inconsistent": "bold red",
    "error": "bold magenta",
    "unverifiable": "dim",
    "consistent": "green",
}
CLAIM_ORDER = ["inconsistent", "error", "consistent", "unverifiable"]


def _claims_table(console: Console, result: AuditResult, limit: int) -> None:
    """Claims of the answers: the inconsistent ones first; unverifiable ones are counted."""

    if not result.claims:
        return
    shown = [c for c in result.claims if c.verdict != "unverifiable"]
    rank = {v: i for i, v in enumerate(CLAIM_ORDER)}
    table = Table(title="Claims in the answers", expand=True)
    table.add_column("line", justify="right", no_wrap=True)
    table.add_column("Q", justify="right", no_wrap=True)
    table.add_column("claim", ratio=2)
    table.add_column("verdict", no_wrap=True)
    table.add_column("repository", ratio=3)
    for c in sorted(shown, key=lambda c: (rank.get(c.verdict, 9), c.claim.line)):
        claim = Text(c.claim.quote[:120])
        claim.append(f"\n{c.claim.kind}", style="dim")
        detail = Text()
        if c.result is not None:
            detail.append(c.result.observed or c.result.why)
            if c.result.observed and c.result.why:
                detail.append("\n" + c.result.why, style="dim")
            for ev in c.result.evidence[:limit]:
                where = f"{ev.path}:{ev.line}" if ev.line else ev.path
                detail.append("\n  " + where, style="bold")
        else:
            detail.append(c.error or "")
        table.add_row(
            Text(str(c.claim.line)),
            Text(str(c.claim.question)),
            claim,
            Text(c.verdict, style=CLAIM_STYLE.get(c.verdict, "")),
            detail,
        )
    if shown:
        console.print(table)
    counts = result.claim_counts()
    line = ", ".join(f"{counts[k]} {k}" for k in CLAIM_ORDER if counts.get(k))
    console.print(Text(f"claims: {line}", style="bold"))
