"""``verifier batch`` and ``verifier merge``: the instructor's class run.

Exit codes as for the other commands: 0 every repository was audited, 1 some repositories
failed (each has an error record), 2 a usage or input error (one line).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from verifier.batch.classlist import BatchEntry, org_entries, read_class_list
from verifier.batch.runner import DEFAULT_RETRIES, DEFAULT_TIMEOUT_S, default_jobs, run_batch
from verifier.batch.shard import parse_shard
from verifier.cli_budget import add_budget_arguments, budget_from_args
from verifier.errors import InputError


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "verifier" / "clones"


def add_batch_parsers(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``batch`` and ``merge`` commands to the main parser's subcommands."""

    batch = subparsers.add_parser("batch", help="audit every repository of a class")
    batch.add_argument(
        "class_list",
        nargs="?",
        help="group_info.csv, or a file with one repository URL or path per line",
    )
    batch.add_argument("--out", required=True, help="output directory")
    batch.add_argument("--jobs", type=int, default=None, help="parallel audits (default: CPUs)")
    batch.add_argument("--resume", action="store_true", help="skip repositories already done")
    batch.add_argument("--deadline", help="audit the last commit at or before this ISO time")
    batch.add_argument("--shard", help="audit only slice I of N (e.g. 2/4)")
    batch.add_argument("--org", help="list the repositories of this GitHub organisation")
    batch.add_argument("--match", help="with --org: only repository names matching this glob")
    batch.add_argument("--cache", help="clone cache directory (default: ~/.cache/verifier/clones)")
    batch.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds per repository"
    )
    batch.add_argument(
        "--retries",
        type=int,
        default=DEFAULT_RETRIES,
        help="extra attempts at a clone or fetch that failed for a passing reason (default: 2)",
    )
    batch.add_argument(
        "--github",
        action="store_true",
        help="also read GitHub facts through the API (token from GITHUB_TOKEN or GH_TOKEN)",
    )
    add_budget_arguments(batch)

    merge = subparsers.add_parser("merge", help="combine the outputs of batch shards")
    merge.add_argument("dirs", nargs="+", metavar="OUT_DIR", help="batch output directories")
    merge.add_argument("--out", required=True, help="merged output directory")


def _github_client() -> object:
    from verifier.github.client import make_client

    return make_client()


def _entries(args: argparse.Namespace) -> list[BatchEntry]:
    if args.org and args.class_list:
        raise InputError("give a class list or --org, not both")
    if args.org:
        return org_entries(_github_client(), args.org, match=args.match)  # type: ignore[arg-type]
    if not args.class_list:
        raise InputError("batch needs a class list (or --org NAME)")
    if args.match:
        raise InputError("--match only applies with --org")
    return read_class_list(args.class_list)


def cmd_batch(args: argparse.Namespace) -> int:
    from verifier.cli import parse_deadline

    if args.jobs is not None and args.jobs < 1:
        raise InputError("--jobs must be at least 1")
    if args.timeout <= 0:
        raise InputError("--timeout must be positive")
    if args.retries < 0:
        raise InputError("--retries must be 0 or more")
    probe_seconds, probe_memory_mb = budget_from_args(args)
    deadline = parse_deadline(args.deadline)
    shard = parse_shard(args.shard) if args.shard else None
    if args.github and not (os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN")):
        sys.stderr.write(
            "verifier: --github without GITHUB_TOKEN or GH_TOKEN: GitHub's anonymous quota "
            "(60 requests an hour) covers one or two repositories; the rest will say why "
            "their facts are missing\n"
        )
    entries = _entries(args)
    summary = run_batch(
        entries,
        Path(args.out),
        jobs=args.jobs or default_jobs(),
        resume=args.resume,
        deadline=deadline,
        shard=shard,
        cache_dir=Path(args.cache) if args.cache else default_cache_dir(),
        timeout_s=args.timeout,
        retries=args.retries,
        github=args.github,
        probe_seconds=probe_seconds,
        probe_memory_mb=probe_memory_mb,
    )
    sys.stdout.write(
        f"{summary.total} repositories: {summary.ok} audited, {summary.failed} failed"
        f" ({summary.resumed} resumed) in {summary.elapsed_s:.1f} s; results in {args.out}\n"
    )
    return summary.exit_code


def cmd_merge(args: argparse.Namespace) -> int:
    from verifier.batch.merge import merge_outputs

    summary = merge_outputs([Path(d) for d in args.dirs], Path(args.out))
    for target in summary.missing:
        sys.stderr.write(f"verifier: no result for {target}\n")
    sys.stdout.write(
        f"{summary.total} repositories: {summary.ok} audited, {summary.failed} failed,"
        f" {len(summary.missing)} missing; merged into {args.out}\n"
    )
    return summary.exit_code


#: Command name -> function, to add to ``verifier.cli.COMMANDS``.
BATCH_COMMANDS = {"batch": cmd_batch, "merge": cmd_merge}

__all__ = ["BATCH_COMMANDS", "add_batch_parsers", "cmd_batch", "cmd_merge"]
