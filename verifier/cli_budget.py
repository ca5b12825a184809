"""Command-line options for the per-check budgets, shared by ``audit`` and ``batch``."""

from __future__ import annotations

import argparse
import math

from verifier.engine.budget import DEFAULT_MEMORY_MB, DEFAULT_SECONDS
from verifier.errors import InputError


def add_budget_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--probe-seconds",
        type=float,
        default=DEFAULT_SECONDS,
        help=f"time budget of each probe and check (default: {DEFAULT_SECONDS:g})",
    )
    parser.add_argument(
        "--probe-memory",
        type=float,
        default=DEFAULT_MEMORY_MB,
        metavar="MB",
        help=f"memory each probe may add to the process, 0 for no limit "
        f"(default: {DEFAULT_MEMORY_MB:g})",
    )


def budget_from_args(args: argparse.Namespace) -> tuple[float, float | None]:
    """(seconds, megabytes or None for no limit) from the parsed options."""

    seconds = float(args.probe_seconds)
    memory = float(args.probe_memory)
    if not math.isfinite(seconds) or seconds <= 0:
        raise InputError("--probe-seconds must be a positive number")
    if not math.isfinite(memory) or memory < 0:
        raise InputError("--probe-memory must be 0 (no limit) or a positive number")
    return seconds, (memory or None)
