"""Command line: ``verifier audit``, ``probes``, ``check-report``, ``batch`` and ``merge``.

Exit codes (also in README.md):
  0  the command ran; no finding at or above ``--fail-on``
  1  findings at or above ``--fail-on`` (audit), or a failed report check (check-report)
  2  usage or input error (no report, not a repository, bad ref or date), one-line message
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from verifier import __version__
from verifier.cli_budget import add_budget_arguments, budget_from_args
from verifier.cli_github import github_facts_for
from verifier.cli_outputs import add_output_arguments, run_online_checks, write_outputs
from verifier.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, InputError
from verifier.findings import SEVERITY

FAIL_ON = {"mismatch": 2, "weak": 1, "never": None}


class _Parser(argparse.ArgumentParser):
    """argparse that exits with our usage code and a one-line message."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"verifier: error: {message}\n")
        raise SystemExit(EXIT_USAGE)


def parse_deadline(value: str | None) -> datetime | None:
    """ISO 8601 date or date-time; a value without a zone is taken as UTC."""

    if value is None:
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"--deadline {value!r} is not an ISO 8601 date or time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="verifier",
        description="Checks an MLOps course report against the group's repository.",
    )
    parser.add_argument("--version", action="version", version=f"verifier {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    audit = sub.add_parser("audit", help="check a report against its repository")
    audit.add_argument("target", nargs="?", default=".", help="directory, git repo or clone URL")
    audit.add_argument("--report", help="report path inside the repository, or a file")
    audit.add_argument("--ref", help="branch, tag or commit to audit (default: HEAD)")
    audit.add_argument("--deadline", help="audit the last commit at or before this ISO time")
    audit.add_argument(
        "--on-disk",
        action="store_true",
        help="read a working tree's files as they are on disk, not its last commit",
    )
    audit.add_argument("--format", choices=["text", "json", "markdown", "sarif"], default="text")
    audit.add_argument("--output", "-o", help="write the result to this file")
    audit.add_argument("--fail-on", choices=list(FAIL_ON), default="never")
    audit.add_argument("--color", action="store_true", help="colour the terminal table")
    audit.add_argument("--all", action="store_true", help="list every item in the table")
    audit.add_argument(
        "--github",
        action="store_true",
        help="also read GitHub facts through the API (token from GITHUB_TOKEN or GH_TOKEN)",
    )
    audit.add_argument(
        "--repo", help="with --github: the GitHub repository (owner/name) when the target is local"
    )
    audit.add_argument("--group-size", type=int, help="with --github: students in the group")
    add_budget_arguments(audit)
    add_output_arguments(audit)

    sub.add_parser("probes", help="list the probes and the checklist items they cover")

    check = sub.add_parser("check-report", help="word and image limits per question")
    check.add_argument("path", nargs="?", default="reports/README.md")

    from verifier.batch.cli import add_batch_parsers

    add_batch_parsers(sub)
    return parser


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc.strerror}") from exc


def cmd_audit(args: argparse.Namespace) -> int:
    from verifier.engine.audit import run_audit
    from verifier.engine.inputs import load_report, project_root
    from verifier.render import RENDERERS
    from verifier.render.text_render import render_text
    from verifier.repo.snapshot import SnapshotError, open_snapshot

    deadline = parse_deadline(args.deadline)
    seconds, memory = budget_from_args(args)  # a bad option is said before any work
    try:
        snap = open_snapshot(args.target, ref=args.ref, deadline=deadline, on_disk=args.on_disk)
    except SnapshotError as exc:
        raise InputError(str(exc)) from exc
    report = load_report(snap, args.report)
    root = project_root(report.path) if not Path(report.path).is_absolute() else ""
    if root and snap.is_dir(root):
        snap = snap.subtree(root)
    if args.github:
        snap.github = github_facts_for(args)
    result = run_audit(
        report,
        snap,
        deadline=deadline.isoformat() if deadline else None,
        probe_budget_s=seconds,
        probe_memory_mb=memory,
    )
    run_online_checks(args, result)  # before rendering, so every format shows them
    if args.format == "text":
        text = render_text(result, color=args.color and args.output is None, all_rows=args.all)
    else:
        text = RENDERERS[args.format](result)
    _write(text, args.output)
    write_outputs(args, result)
    threshold = FAIL_ON[args.fail_on]
    if threshold is None:
        return EXIT_OK
    if any(SEVERITY[f.verdict] >= threshold for f in result.findings):
        return EXIT_FINDINGS
    # A claim the repository contradicts weighs like a mismatch; a checker error too.
    if any(c.verdict in ("inconsistent", "error") for c in result.claims):
        return EXIT_FINDINGS
    return EXIT_OK


def cmd_probes(_: argparse.Namespace) -> int:
    from verifier.engine.registry import probe_for
    from verifier.report.catalog import load_catalog

    catalog = load_catalog()
    for entry in catalog.entries:
        spec = probe_for(entry.id)
        who = spec.name if spec else f"(no probe: {entry.verifiable})"
        sys.stdout.write(f"{entry.id:<40} {who:<36} {entry.title}\n")
    return EXIT_OK


def cmd_check_report(args: argparse.Namespace) -> int:
    from verifier.report.check import check_report
    from verifier.report.parse import parse_report

    path = Path(args.path)
    if not path.is_file():
        raise InputError(f"report not found: {args.path}")
    try:
        report = parse_report(path.read_bytes(), str(path))
    except OSError as exc:
        raise InputError(f"cannot read {args.path}: {exc.strerror}") from exc
    checks = check_report(report)
    failed = 0
    for c in checks:
        mark = "ok  " if c.ok else "FAIL"
        failed += not c.ok
        sys.stdout.write(f"{path}:{c.line}: {mark} question {c.question}: {c.message}\n")
    sys.stdout.write(f"{len(checks) - failed} ok, {failed} failing\n")
    return EXIT_FINDINGS if failed else EXIT_OK


COMMANDS = {"audit": cmd_audit, "probes": cmd_probes, "check-report": cmd_check_report}


def _command(name: str) -> Callable[[argparse.Namespace], int]:
    if name in COMMANDS:
        return COMMANDS[name]
    from verifier.batch.cli import BATCH_COMMANDS

    return BATCH_COMMANDS[name]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _command(args.command)(args)
    except InputError as exc:
        sys.stderr.write(f"verifier: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("verifier: interrupted\n")
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
