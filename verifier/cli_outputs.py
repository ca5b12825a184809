"""Extra outputs of ``verifier audit`` for CI: job summary, annotations, SARIF, JSON, outputs.

Each is written from the same :class:`AuditResult` besides the main ``--format`` output, so
one run of the audit feeds a GitHub Actions job everything it shows:

``--summary-file PATH``   append the Markdown summary (``$GITHUB_STEP_SUMMARY``)
``--annotations``         print workflow commands (``::warning file=…``) on standard output
``--sarif-file PATH``     write SARIF 2.1.0 (for ``github/codeql-action/upload-sarif``)
``--json-file PATH``      write the JSON result
``--github-output PATH``  append step outputs: counts and the paths written (``$GITHUB_OUTPUT``)
``--repo-url URL``        link evidence in the summary (default for a checked-out working tree:
                          from ``GITHUB_SERVER_URL`` and ``GITHUB_REPOSITORY`` when both are set)
``--pr-comment``          post or update one comment on the pull request with the summary
                          (``GITHUB_TOKEN``, ``GITHUB_REPOSITORY``, ``GITHUB_EVENT_PATH``,
                          ``GITHUB_API_URL``); no pull request or an API failure is a one-line
                          notice or warning and never changes the exit code
``--online``              try the deployed services the answers name (Cloud Run, Cloud
                          Functions, GitHub Pages) on /, /health and /docs; the results go
                          into the summary, the PR comment and the JSON file (``"online"``)
``--online-timeout S``    seconds per request of --online (default 5)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import sys
from collections.abc import Mapping
from pathlib import Path

from verifier.engine.result import AuditResult
from verifier.errors import InputError


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("CI outputs (written besides --format)")
    group.add_argument(
        "--summary-file", metavar="PATH", help="append a Markdown summary ($GITHUB_STEP_SUMMARY)"
    )
    group.add_argument(
        "--annotations",
        action="store_true",
        help="print GitHub workflow annotations on the report lines",
    )
    group.add_argument("--sarif-file", metavar="PATH", help="write SARIF 2.1.0 to this file")
    group.add_argument("--json-file", metavar="PATH", help="write the JSON result to this file")
    group.add_argument(
        "--github-output", metavar="PATH", help="append counts and paths ($GITHUB_OUTPUT)"
    )
    group.add_argument(
        "--repo-url",
        metavar="URL",
        help="https://github.com/OWNER/REPO, for links in the summary "
        "(default: from GITHUB_SERVER_URL and GITHUB_REPOSITORY)",
    )
    group.add_argument(
        "--pr-comment",
        action="store_true",
        help="post or update one pull request comment with the summary "
        "(GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH, GITHUB_API_URL)",
    )
    group.add_argument(
        "--online",
        action="store_true",
        help="check that deployed services named in the report answer (network access)",
    )
    group.add_argument(
        "--online-timeout",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="timeout of each request of --online (default: 5)",
    )


def default_repo_url(env: Mapping[str, str] | None = None) -> str | None:
    env = os.environ if env is None else env
    server = env.get("GITHUB_SERVER_URL", "").rstrip("/")
    repository = env.get("GITHUB_REPOSITORY", "")
    if server and repository:
        return f"{server}/{repository}"
    return None


def say(level: str, message: str, env: Mapping[str, str] | None = None) -> None:
    """One line for the log: a workflow command inside GitHub Actions, plain text elsewhere.

    ``message`` is the tool's own words; it is still made one line and encoded so that it
    cannot end the command early.
    """

    env = os.environ if env is None else env
    text = " ".join(message.split())
    if env.get("GITHUB_ACTIONS") == "true":
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        sys.stdout.write(f"::{level} title=verifier::{text}\n")
        sys.stdout.flush()
    else:
        sys.stderr.write(f"verifier: {level}: {text}\n")


def pull_request_number(env: Mapping[str, str]) -> int | None:
    """``pull_request.number`` of the event that started the workflow, if it is a PR event."""

    path = env.get("GITHUB_EVENT_PATH", "")
    if not path:
        return None
    try:
        event = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    pr = event.get("pull_request") if isinstance(event, dict) else None
    number = pr.get("number") if isinstance(pr, dict) else None
    return number if isinstance(number, int) and not isinstance(number, bool) else None


_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


def comment_on_pull_request(
    result: AuditResult, repo_url: str | None, env: Mapping[str, str] | None = None
) -> str | None:
    """Post or update the PR comment; "created", "updated", or None when nothing was posted
    (a one-line notice or warning says why). Never raises."""

    env = os.environ if env is None else env
    number = pull_request_number(env)
    if number is None:
        say("notice", "no pull request in this event; no PR comment posted", env)
        return None
    repository = env.get("GITHUB_REPOSITORY", "")
    token = env.get("GITHUB_TOKEN", "")
    if not _REPOSITORY.match(repository) or not token:
        say("warning", "PR comment needs GITHUB_TOKEN and GITHUB_REPOSITORY; none posted", env)
        return None
    api_url = env.get("GITHUB_API_URL", "").rstrip("/") or "https://api.github.com"
    try:
        import github

        from verifier.github.pr_comment import post_or_update_comment
        from verifier.render.markdown_render import render_markdown

        body = render_markdown(result, repo_url=repo_url)
        gh = github.Github(auth=github.Auth.Token(token), base_url=api_url, timeout=15, retry=None)
        try:
            action = post_or_update_comment(gh, repository, number, body)
        finally:
            gh.close()
    except Exception as exc:  # the comment is a courtesy: it never fails the audit
        status = getattr(exc, "status", None)
        why = f"HTTP {status}" if isinstance(status, int) else type(exc).__name__
        say("warning", f"PR comment on #{number} not posted: {why}", env)
        return None
    say("notice", f"PR comment on #{number} {action}", env)
    return action


def run_online_checks(args: argparse.Namespace, result: AuditResult) -> None:
    """Fill ``result.online`` once when ``--online`` is given; call it before rendering.

    A network problem is a result (a ``weak`` check), never an error of the audit.
    """

    if not getattr(args, "online", False) or getattr(args, "online_checked", False):
        return
    from verifier.online import check_urls

    timeout = getattr(args, "online_timeout", 5.0) or 5.0
    result.online = check_urls(result.report, timeout=max(0.1, min(timeout, 60.0)))
    args.online_checked = True


def json_text(result: AuditResult, *, online: bool = False) -> str:
    """The JSON result, with ``"online"`` when the online checks ran."""

    from verifier.render.json_render import render_json, result_dict

    if not online and not result.online:
        return render_json(result)
    data = result_dict(result)
    data["online"] = [c.to_dict() for c in result.online]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _write(path: str, text: str, *, append: bool = False) -> None:
    try:
        with Path(path).open("a" if append else "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from exc


def _output_line(name: str, value: str) -> str:
    """``name=value``, or GitHub's delimiter form when the value spans lines."""

    if "\n" not in value and "\r" not in value:
        return f"{name}={value}\n"
    delimiter = f"ghadelimiter_{secrets.token_hex(8)}"
    return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


def step_outputs(result: AuditResult, paths: dict[str, str]) -> dict[str, str]:
    """Counts of every verdict and claim verdict, the audited commit, and the files written."""

    out = {name: str(n) for name, n in result.counts().items()}
    for name, n in result.claim_counts().items():
        out[f"claims-{name}"] = str(n)
    out["commit"] = result.snapshot.commit or ""
    out["report-path"] = result.report.path
    out.update(paths)
    return out


def write_outputs(args: argparse.Namespace, result: AuditResult) -> None:
    """Write every output asked for on the command line; the main ``--format`` is not one."""

    run_online_checks(args, result)
    repo_url = getattr(args, "repo_url", None)
    if repo_url is None and result.snapshot.kind == "worktree":
        # The workflow's own repository only when its checkout is what was audited.
        repo_url = default_repo_url()
    paths: dict[str, str] = {}
    summary = getattr(args, "summary_file", None)
    if summary:
        from verifier.render.markdown_render import render_markdown

        _write(summary, render_markdown(result, repo_url=repo_url) + "\n", append=True)
        paths["summary-path"] = str(Path(summary).resolve())
    sarif = getattr(args, "sarif_file", None)
    if sarif:
        from verifier.render.sarif_render import render_sarif

        _write(sarif, render_sarif(result))
        paths["sarif-path"] = str(Path(sarif).resolve())
    json_file = getattr(args, "json_file", None)
    if json_file:
        _write(json_file, json_text(result, online=getattr(args, "online_checked", False)))
        paths["json-path"] = str(Path(json_file).resolve())
    if getattr(args, "annotations", False):
        from verifier.render.annotations import workflow_commands

        for line in workflow_commands(result):
            sys.stdout.write(line + "\n")
        sys.stdout.flush()
    if getattr(args, "pr_comment", False):
        comment_on_pull_request(result, repo_url)
    github_output = getattr(args, "github_output", None)
    if github_output:
        outputs = step_outputs(result, paths)
        text = "".join(_output_line(k, v) for k, v in outputs.items())
        _write(github_output, text, append=True)
