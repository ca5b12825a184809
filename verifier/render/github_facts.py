"""The GitHub facts of a result (``--github``) as label/value lines of plain text, shared by
the terminal, Markdown and HTML renderers; each escapes the values for its own format
(logins, titles and URLs come from GitHub and are untrusted)."""

from __future__ import annotations

from typing import Any

MAX_PEOPLE = 8
MAX_RUNS = 6


def _people(items: list[dict[str, Any]], limit: int = MAX_PEOPLE) -> str:
    shown = ", ".join(f"{c['login']} ({c['permission']})" for c in items[:limit])
    more = len(items) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def _write_access(facts: dict[str, Any]) -> str:
    collaborators = facts.get("collaborators")
    if collaborators is None:
        return "unknown: " + (facts.get("errors", {}).get("collaborators") or "not read")
    writers = [
        c
        for c in collaborators
        if c.get("permission") in ("admin", "maintain", "write")
        and not str(c.get("login", "")).lower().endswith("[bot]")
    ]
    size = facts.get("group_size")
    of = f" (group of {size})" if size else ""
    return f"{len(writers)} can push{of}: {_people(writers) or 'nobody'}"


def _contributors(facts: dict[str, Any]) -> str:
    shares = facts.get("commit_shares")
    if shares is None:
        return "unknown: " + (facts.get("errors", {}).get("contributors") or "not read")
    if not shares:
        return "none"
    parts = [f"{s['login']} {s['share'] * 100:.0f} % ({s['commits']})" for s in shares]
    more = len(parts) - MAX_PEOPLE
    return ", ".join(parts[:MAX_PEOPLE]) + (f" and {more} more" if more > 0 else "")


def _pulls(facts: dict[str, Any]) -> str:
    pulls = facts.get("pulls")
    if pulls is None:
        return "unknown: " + (facts.get("errors", {}).get("pulls") or "not read")
    text = f"{pulls['total']}{'+' if pulls.get('truncated') else ''}"
    text += f" ({pulls['merged']} merged, {pulls['open']} open, by {pulls['authors']} authors)"
    if pulls.get("reviews_checked"):
        text += (
            f"; {pulls['reviewed']} of the {pulls['reviews_checked']} newest had a review by"
            " someone other than the author"
        )
    return text


def _runs(facts: dict[str, Any]) -> str:
    runs = facts.get("runs")
    if runs is None:
        return "unknown: " + (facts.get("errors", {}).get("runs") or "not read")
    if not runs:
        return "no workflow runs on the default branch"
    states = [
        f"{r['workflow']}: {r['conclusion'] if r['status'] == 'completed' else r['status']}"
        for r in runs[:MAX_RUNS]
    ]
    verdict = {True: "all passing", False: "failing", None: "not all finished"}
    return f"{verdict[facts.get('ci_passing')]} ({', '.join(states)})"


def _pages(facts: dict[str, Any]) -> str:
    pages = facts.get("pages")
    if pages is None:
        return "unknown: " + (facts.get("errors", {}).get("pages") or "not read")
    if not pages.get("enabled"):
        return "not switched on"
    details = ", ".join(str(v) for v in (pages.get("source"), pages.get("status")) if v)
    return f"switched on ({details}) {pages.get('url') or ''}".strip()


def _quota(facts: dict[str, Any]) -> str | None:
    if facts.get("rate_remaining") is None:
        return None
    text = f"{facts['rate_remaining']} of {facts.get('rate_limit') or '?'} requests left"
    return text + (f" (resets {facts['rate_reset']})" if facts.get("rate_reset") else "")


def facts_lines(facts: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(label, plain text) rows; empty when there are no facts."""

    if not facts:
        return []
    branch = facts.get("default_branch")
    repo = facts.get("full_name", "") + (f" (default branch {branch})" if branch else "")
    rows = [
        ("repository", repo),
        ("write access", _write_access(facts)),
        ("commits per person", _contributors(facts)),
        ("pull requests", _pulls(facts)),
        ("latest workflow runs", _runs(facts)),
        ("GitHub Pages", _pages(facts)),
    ]
    errors = facts.get("errors") or {}
    if errors.get("repository"):
        rows = [("repository", f"{facts.get('full_name', '')}: {errors['repository']}")]
    quota = _quota(facts)
    if quota:
        rows.append(("API quota", quota))
    return rows
