"""GitHub Actions workflow commands: annotations on the report line of each finding.

``::warning file=reports/README.md,line=75,title=…::message`` for a mismatch and for an answer
the repository contradicts, ``::notice`` for a weak item. Printed to a step's standard output
they show on the report in the job and in the pull request's diff.

Student text never breaks out of its command: data escapes ``%``, CR and LF; properties also
``:`` and ``,`` (GitHub's own escaping rules), and other control characters are dropped.
"""

from __future__ import annotations

import re

from verifier.engine.claims_run import ClaimFinding
from verifier.engine.result import AuditResult, Finding
from verifier.findings import Verdict

MAX_MESSAGE = 600
MAX_TITLE = 120

COMMAND: dict[Verdict, str] = {Verdict.MISMATCH: "warning", Verdict.WEAK: "notice"}

_CONTROL = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029]")


def _clean(text: str) -> str:
    """Tabs and other control characters as spaces (CR and LF are escaped, not dropped)."""

    return _CONTROL.sub(" ", text)


def escape_data(text: str) -> str:
    """The message part after ``::``."""

    return _clean(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (``file=``, ``title=``): data escaping plus ``:`` and ``,``."""

    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def command(
    kind: str, message: str, *, file: str, line: int, end_line: int | None, title: str
) -> str:
    props = [f"file={escape_property(file)}", f"line={int(line)}"]
    if end_line and end_line > line:
        props.append(f"endLine={int(end_line)}")
    props.append(f"title={escape_property(_cut(title, MAX_TITLE))}")
    return f"::{kind} {','.join(props)}::{escape_data(_cut(message, MAX_MESSAGE))}"


def _finding_command(f: Finding, path: str) -> str:
    obs = f.observation
    summary = obs.summary if obs else (f.error or "")
    if f.verdict is Verdict.MISMATCH:
        title = f"verifier: {f.title} ticked, not found"
        message = f"{f.catalog_id}: ticked, but the repository does not show it. {summary}"
        if obs and obs.checked:
            message += "\nLooked in: " + ", ".join(obs.checked[:8])
    else:
        title = f"verifier: {f.title} only partly there"
        message = f"{f.catalog_id}: ticked; the repository shows only part of it. {summary}"
    if obs and obs.evidence:
        ev = obs.evidence[0]
        where = f"{ev.path}:{ev.line}" if ev.line else ev.path
        message += f"\nEvidence: {where} {ev.why}"
    return command(
        COMMAND[f.verdict], message, file=path, line=f.line, end_line=f.item.end_line, title=title
    )


def _claim_command(c: ClaimFinding, path: str) -> str:
    res = c.result
    assert res is not None
    quote = " ".join(c.claim.quote.split())
    message = f'Answer {c.claim.question}: "{quote}" ({res.expected})'
    if res.observed:
        message += f"\nThe repository shows: {res.observed}"
    if res.why:
        message += f"\n{res.why}"
    title = f"verifier: answer {c.claim.question} contradicted ({c.claim.kind})"
    return command("warning", message, file=path, line=c.claim.line, end_line=None, title=title)


def workflow_commands(result: AuditResult) -> list[str]:
    """One command per mismatch, weak item and contradicted claim, ordered by report line.

    Reports read from outside the repository (an absolute path) cannot be annotated and give
    no commands.
    """

    path = result.report.path
    if path.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", path):
        return []
    located: list[tuple[int, int, str]] = []
    for f in result.findings:
        if f.verdict in COMMAND:
            located.append((f.line, 0, _finding_command(f, path)))
    for c in result.claims:
        if c.verdict == "inconsistent" and c.result is not None:
            located.append((c.claim.line, 1, _claim_command(c, path)))
    return [cmd for _, _, cmd in sorted(located, key=lambda t: (t[0], t[1]))]
