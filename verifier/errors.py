"""Errors that end a command with a one-line message and a documented exit code."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class InputError(Exception):
    """Bad input from the user: no report, not a repository, a bad ref or date. Exit code 2."""
