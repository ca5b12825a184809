"""Markdown for GitHub job summaries and PR comments.

A headline with the counts, a table of what needs attention (mismatches, weak items, probe
errors, contradicted claims) linked to the report line and the evidence lines on GitHub, then
collapsible ``<details>`` with everything else. Every piece of student text goes through
:func:`verifier.render.escape.escape_markdown`; only the renderer's own words are markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from verifier.engine.claims_run import ClaimFinding
from verifier.engine.result import AuditResult, Finding
from verifier.findings import Evidence, Origin, Verdict
from verifier.render.escape import escape_markdown
from verifier.render.github_facts import facts_lines

#: A GitHub comment holds at most 65536 characters; keep a margin for a marker and a footer.
DEFAULT_MAX_CHARS = 60_000
TEXT_LIMIT = 160  # characters of one piece of student text in a cell
EVIDENCE_LIMIT = 3  # evidence links per row

ATTENTION: tuple[Verdict, ...] = (Verdict.MISMATCH, Verdict.ERROR, Verdict.WEAK)
#: The collapsible sections, in order, with the words of their summary line.
DETAILS: tuple[tuple[Verdict, str], ...] = (
    (Verdict.UNCLAIMED, "unclaimed: done but not ticked"),
    (Verdict.MANUAL, "manual: for a person to check"),
    (Verdict.UNKNOWN_ITEM, "unknown items: not in the catalog"),
    (Verdict.VERIFIED, "verified"),
    (Verdict.ABSENT, "absent: not ticked, not found"),
)
HEADLINE: tuple[Verdict, ...] = (
    Verdict.VERIFIED,
    Verdict.WEAK,
    Verdict.MISMATCH,
    Verdict.UNCLAIMED,
    Verdict.MANUAL,
)

_REPO_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~-]+)*/?$")
_SHA = re.compile(r"^[0-9a-f]{7,64}$")
# Files GitHub renders on their blob page: a line anchor needs the source view.
_RENDERED = (".md", ".markdown", ".mdown", ".rst", ".ipynb", ".adoc", ".org", ".textile")


class _Links:
    """Links into the repository at one commit; plain text where no link can be made."""

    def __init__(self, repo_url: str | None, sha: str | None) -> None:
        url = (repo_url or "").strip()
        self.base = url.rstrip("/") if _REPO_URL.match(url) else None
        self.sha = sha if sha and _SHA.match(sha) else None

    def blob(self, path: str, line: int | None) -> str | None:
        if self.base is None or self.sha is None or not path or path.startswith("/"):
            return None
        if ".." in path.split("/"):
            return None
        url = f"{self.base}/blob/{self.sha}/{quote(path, safe='/')}"
        if line:
            plain = "?plain=1" if path.lower().endswith(_RENDERED) else ""
            url += f"{plain}#L{line}"
        return url

    def commit(self) -> str | None:
        if self.base is None or self.sha is None:
            return None
        return f"{self.base}/commit/{self.sha}"


def _link(label: str, url: str | None) -> str:
    """``label`` is already escaped; ``url`` is built from checked parts and quoted."""

    return f"[{label}]({url})" if url else label


def _where(ev: Evidence) -> str:
    return f"{ev.path}:{ev.line}" if ev.line else ev.path


def _evidence_cell(evidence: list[Evidence], links: _Links, limit: int = EVIDENCE_LIMIT) -> str:
    parts = []
    for ev in evidence[:limit]:
        label = escape_markdown(_where(ev), limit=TEXT_LIMIT)
        text = _link(label, links.blob(ev.path, ev.line))
        if ev.why:
            text += " " + escape_markdown(ev.why, limit=TEXT_LIMIT)
        if ev.origin != Origin.GROUP:
            text += f" ({escape_markdown(str(ev.origin))})"
        parts.append(text)
    if len(evidence) > limit:
        parts.append(f"and {len(evidence) - limit} more")
    return "<br>".join(parts) if parts else "none"


def _report_line(result: AuditResult, line: int, links: _Links) -> str:
    return _link(f"L{line}", links.blob(result.report.path, line))


def _item_cell(f: Finding) -> str:
    label = escape_markdown(f.title or f.item.text, limit=TEXT_LIMIT)
    if f.catalog_id:
        label += f"<br>{escape_markdown(f.catalog_id)}"
    return label


def _summary(f: Finding) -> str:
    obs = f.observation
    return obs.summary if obs else (f.error or "")


def _finding_rows(
    result: AuditResult, findings: Iterable[Finding], links: _Links, *, verdict: bool
) -> list[str]:
    rows = []
    for f in findings:
        evidence = f.observation.evidence if f.observation else []
        cells = [
            _report_line(result, f.line, links),
            escape_markdown(f"[{f.item.mark}]"),
            _item_cell(f),
        ]
        if verdict:
            cells.append(f"**{f.verdict}**")
        cells += [
            escape_markdown(_summary(f), limit=TEXT_LIMIT * 2) or " ",
            _evidence_cell(evidence, links),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def _finding_table(verdict: bool) -> list[str]:
    head = ["report", "tick", "item", *(["verdict"] if verdict else []), "what was found"]
    head.append("evidence")
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]


def _claim_rows(result: AuditResult, claims: Iterable[ClaimFinding], links: _Links) -> list[str]:
    rows = []
    for c in claims:
        res = c.result
        if res is None:
            expected, observed, why, evidence = str(c.claim.value), "", c.error or "", []
        else:
            expected, observed, why, evidence = res.expected, res.observed, res.why, res.evidence
        detail = escape_markdown(observed, limit=TEXT_LIMIT)
        if why:
            detail += ("<br>" if detail else "") + escape_markdown(why, limit=TEXT_LIMIT)
        cells = [
            _report_line(result, c.claim.line, links),
            str(c.claim.question),
            escape_markdown(c.claim.quote, limit=TEXT_LIMIT)
            + f"<br>{escape_markdown(c.claim.kind)}",
            f"**{escape_markdown(c.verdict)}**",
            escape_markdown(expected, limit=TEXT_LIMIT) or " ",
            detail or " ",
            _evidence_cell(evidence, links),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


_CLAIM_TABLE = [
    "| report | Q | claim | verdict | the answer says | the repository shows | evidence |",
    "|---|---|---|---|---|---|---|",
]


def _online_rows(result: AuditResult, links: _Links) -> list[str]:
    """One row per deployed service tried with ``--online``; URLs are student text."""

    rows = []
    for check in result.online:
        level = f"**{check.level}**" if check.level is Verdict.WEAK else str(check.level)
        cells = [
            _report_line(result, check.target.line, links),
            escape_markdown(check.url, limit=TEXT_LIMIT)
            + f"<br>{escape_markdown(check.target.kind)}",
            level,
            escape_markdown(check.summary, limit=TEXT_LIMIT * 2) or " ",
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


_ONLINE_TABLE = [
    "| report | service | answers | tried |",
    "|---|---|---|---|",
]


def _headline(result: AuditResult) -> list[str]:
    counts = result.counts()
    claims = result.claim_counts()
    parts = []
    for v in HEADLINE:
        n = counts[str(v)]
        text = f"{n} {v}"
        parts.append(f"**{text}**" if n and v in ATTENTION else text)
    bad = claims.get("inconsistent", 0)
    words = f"{bad} inconsistent claim{'' if bad == 1 else 's'}"
    parts.append(f"**{words}**" if bad else words)
    for extra in (Verdict.ERROR, Verdict.UNKNOWN_ITEM):
        if counts[str(extra)]:
            parts.append(f"**{counts[str(extra)]} {extra}**")
    return [" · ".join(parts)]


def _context(result: AuditResult, links: _Links) -> list[str]:
    snap = result.snapshot
    rep = result.report
    words = [f"Report {escape_markdown(rep.path, limit=TEXT_LIMIT)}"]
    if rep.generation:
        words.append(f"template {escape_markdown(rep.generation)}")
    if snap.commit:
        commit = _link(escape_markdown(snap.commit[:10]), links.commit())
        ref = f" ({escape_markdown(snap.ref, limit=80)})" if snap.ref else ""
        words.append(f"commit {commit}{ref}")
    if snap.deadline:
        words.append(f"deadline {escape_markdown(snap.deadline)}")
    if snap.commits_after_deadline:
        words.append(f"{snap.commits_after_deadline} commits after the deadline not audited")
    if snap.project_root:
        words.append(f"project folder {escape_markdown(snap.project_root, limit=80)}")
    return [", ".join(words) + "."]


def _details(summary: str) -> tuple[list[str], list[str]]:
    """Opening and closing lines; the blank line after <summary> lets GitHub render the
    Markdown table inside."""

    return ["<details>", f"<summary>{summary}</summary>", ""], ["", "</details>", ""]


_NOTE = 100  # room kept for a "left out" line


class _Doc:
    """The output lines, kept under ``max_chars`` by leaving rows and sections out."""

    def __init__(self, max_chars: int) -> None:
        self.lines: list[str] = []
        self.size = 0
        self.limit = max_chars - _NOTE  # room for the final note on what was left out
        self.omitted = 0

    def fits(self, lines: list[str]) -> bool:
        return self.size + sum(len(line) + 1 for line in lines) <= self.limit

    def add(self, lines: list[str]) -> None:
        self.lines += lines
        self.size += sum(len(line) + 1 for line in lines)

    def section(
        self, opening: list[str], head: list[str], rows: list[str], closing: list[str]
    ) -> None:
        reserve = [" " * _NOTE]
        if not self.fits(opening + head + closing + reserve):
            self.omitted += 1
            return
        self.add(opening + head)
        shown = 0
        for row in rows:
            if not self.fits([row, *closing, *reserve]):
                break
            self.add([row])
            shown += 1
        if shown < len(rows):
            self.add(["", f"{len(rows) - shown} more rows left out to keep this short."])
        self.add(closing)


def render_markdown(
    result: AuditResult,
    *,
    repo_url: str | None = None,
    sha: str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> str:
    """The audit as GitHub Markdown.

    ``repo_url`` (``https://github.com/owner/repo``) and ``sha`` (default: the audited
    commit) turn report lines and evidence into links; without them they are plain text.
    The output stays under ``max_chars`` (a GitHub comment holds 65536) by leaving rows and
    then whole sections out, and says so.
    """

    links = _Links(repo_url, sha or result.snapshot.commit)
    doc = _Doc(max_chars)
    doc.add(["## verifier", "", *_headline(result), "", *_context(result, links), ""])

    rank = {v: i for i, v in enumerate(ATTENTION)}
    attention = sorted(
        (f for f in result.findings if f.verdict in rank),
        key=lambda f: (rank[f.verdict], f.line),
    )
    bad_claims = sorted(
        (c for c in result.claims if c.verdict in ("inconsistent", "error")),
        key=lambda c: (c.verdict != "inconsistent", c.claim.line),
    )
    if attention:
        doc.section(
            ["### Ticked, but the repository does not show it", ""],
            _finding_table(True),
            _finding_rows(result, attention, links, verdict=True),
            [""],
        )
    if bad_claims:
        doc.section(
            ["### Answers the repository contradicts", ""],
            _CLAIM_TABLE,
            _claim_rows(result, bad_claims, links),
            [""],
        )
    if not attention and not bad_claims:
        doc.add(["Nothing needs attention: every ticked item has evidence.", ""])
    for notice in result.notices.values():
        if notice["evidence"]:
            doc.section(
                [f"### {escape_markdown(notice['title'])}", ""],
                ["| file | why |", "|---|---|"],
                [
                    f"| {escape_markdown(e['path'], limit=TEXT_LIMIT)}:{e['line']} "
                    f"| {escape_markdown(e['why'], limit=TEXT_LIMIT)} |"
                    for e in notice["evidence"]
                ],
                [""],
            )
    github_rows = facts_lines(result.github)
    if github_rows:
        doc.section(
            ["### On GitHub", ""],
            ["| | |", "|---|---|"],
            [
                f"| {escape_markdown(label)} | {escape_markdown(text, limit=TEXT_LIMIT * 2)} |"
                for label, text in github_rows
            ],
            [""],
        )
    if result.online:
        doc.section(
            ["### Deployed services named in the report (online check)", ""],
            _ONLINE_TABLE,
            _online_rows(result, links),
            [""],
        )

    for verdict, words in DETAILS:
        group = sorted((f for f in result.findings if f.verdict == verdict), key=lambda f: f.line)
        if group:
            opening, closing = _details(f"{len(group)} {words}")
            rows = _finding_rows(result, group, links, verdict=False)
            doc.section(opening, _finding_table(False), rows, closing)
    for kind in ("consistent", "unverifiable"):
        claims = sorted((c for c in result.claims if c.verdict == kind), key=lambda c: c.claim.line)
        if claims:
            opening, closing = _details(f"{len(claims)} {kind} claims in the answers")
            doc.section(opening, _CLAIM_TABLE, _claim_rows(result, claims, links), closing)
    if result.report.problems:
        problems = ["- " + escape_markdown(p, limit=TEXT_LIMIT * 2) for p in result.report.problems]
        opening, closing = _details(f"{len(problems)} notes on the report itself")
        doc.section(opening, [], problems, closing)
    if doc.omitted:
        doc.lines += [
            f"{doc.omitted} sections left out to keep this short; "
            "the JSON output has every finding.",
        ]
    return "\n".join(doc.lines).rstrip() + "\n"
