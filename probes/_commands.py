"""Which programs a shell command line runs, with wrappers (``uv run``, ``python -m``,
``coverage run -m``, env assignments) peeled off.

Used to tell ``pytest`` being run from ``pip install pytest`` being run: a name appearing in a
command is not the command.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

_SEPARATORS = re.compile(r"&&|\|\||;|\|(?!\|)|\n")
_ENV_ASSIGN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
#: Programs that run the next word as the real command, and how many of their own options
#: take a value (so ``uv run --with x pytest`` is pytest).
_RUNNERS = {
    "uv": ("run",),
    "poetry": ("run",),
    "pipenv": ("run",),
    "pdm": ("run",),
    "hatch": ("run",),
    "rye": ("run",),
    "conda": ("run",),
    "mamba": ("run",),
    "micromamba": ("run",),
    "pixi": ("run",),
}
_PREFIXES = {
    "sudo",
    "time",
    "exec",
    "env",
    "xvfb-run",
    "uvx",
    "pipx",
    "nohup",
    "command",
    "xargs",
}
_VALUE_OPTIONS = {
    "--with",
    "--python",
    "-p",
    "--extra",
    "--group",
    "--env-file",
    "-n",
    "--name",
    "--directory",
    "--project",
    "--package",
    "-e",
    "--environment",
    "--source",
    "--rcfile",
    "--data-file",
    "--omit",
    "--include",
    "--context",
    "--concurrency",
    "-I",
    "-L",
    "-P",
    "-d",
    "-s",
}


@dataclass(frozen=True)
class Invocation:
    program: str  # basename, lower case: "pytest", "ruff", "python"
    args: tuple[str, ...]


def _words(command: str) -> list[str]:
    try:
        return shlex.split(command, comments=False, posix=True)
    except ValueError:
        return command.split()


def _skip_options(words: list[str], i: int) -> int:
    while i < len(words) and words[i].startswith("-"):
        opt = words[i]
        i += 1
        if "=" not in opt and opt in _VALUE_OPTIONS and i < len(words):
            i += 1
    return i


def _unwrap(words: list[str]) -> Invocation | None:
    i = 0
    for _ in range(12):  # bounded: nested wrappers are few
        while i < len(words) and _ENV_ASSIGN.match(words[i]):
            i += 1
        if i >= len(words):
            return None
        prog = words[i].rsplit("/", 1)[-1].lower()
        if prog in _PREFIXES:
            i = _skip_options(words, i + 1)
            if prog == "timeout" and i < len(words):
                i += 1
            continue
        if prog == "timeout":
            i = _skip_options(words, i + 1) + 1
            continue
        if prog in _RUNNERS and i + 1 < len(words) and words[i + 1] in _RUNNERS[prog]:
            i = _skip_options(words, i + 2)
            continue
        if re.fullmatch(r"python(\d(\.\d+)?)?(\.exe)?|py", prog):
            # ``python -m X``: the module is the program
            k = i + 1
            while k < len(words) and words[k].startswith("-") and words[k] != "-m":
                k += 1
            if k < len(words) - 1 and words[k] == "-m":
                return Invocation(words[k + 1].lower(), tuple(words[k + 2 :]))
            return Invocation("python", tuple(words[i + 1 :]))
        if prog == "coverage" and i + 1 < len(words) and words[i + 1] == "run":
            j = i + 2
            while j < len(words) and words[j].startswith("-") and words[j] != "-m":
                opt = words[j]
                j += 2 if "=" not in opt and opt in _VALUE_OPTIONS else 1
            if j < len(words) and words[j] == "-m" and j + 1 < len(words):
                return Invocation(words[j + 1].lower(), tuple(words[j + 2 :]))
            if j < len(words):
                return Invocation("python", tuple(words[j:]))
            return None
        return Invocation(prog, tuple(words[i + 1 :]))
    return None


def invocations(command: str) -> list[Invocation]:
    """Every simple command of ``command`` (split on ``&&``, ``;``, pipes) unwrapped."""

    out = []
    for part in _SEPARATORS.split(command):
        part = part.strip()
        if not part:
            continue
        inv = _unwrap(_words(part))
        if inv is not None:
            out.append(inv)
    return out


_TASK_RUNNERS = {"invoke", "inv", "make", "just", "task", "nox", "tox", "hatch"}


def _is_test_target(arg: str) -> bool:
    """``test``, ``tests``, ``test-unit``, ``unit-tests``; not ``requirements_tests``."""

    name = arg.lower().lstrip("-")
    return name.startswith("test") or name in ("unit-tests", "unit_tests", "unittests", "pytest")


def runs_tests(command: str) -> bool:
    """True when the command line runs a test suite (not when it installs pytest)."""

    for inv in invocations(command):
        if inv.program in ("pytest", "py.test", "unittest"):
            return True
        if inv.program in ("tox", "nox"):
            return True
        if inv.program in _TASK_RUNNERS and any(_is_test_target(a) for a in inv.args):
            return True
    return False


LINTERS = {
    "ruff": "ruff",
    "flake8": "flake8",
    "pylint": "pylint",
    "mypy": "mypy",
    "pyright": "pyright",
    "black": "black",
    "isort": "isort",
    "pydocstyle": "pydocstyle",
    "pycodestyle": "pycodestyle",
    "bandit": "bandit",
    "pre-commit": "pre-commit",
    "pre_commit": "pre-commit",
}


def lint_runs(command: str) -> list[tuple[str, bool]]:
    """Linters the command runs, each with whether it can fail the step.

    ``ruff format`` and ``black`` without ``--check`` rewrite files and always succeed.
    """

    out: list[tuple[str, bool]] = []
    for inv in invocations(command):
        tool = LINTERS.get(inv.program)
        if tool is None:
            if inv.program in _TASK_RUNNERS and any(
                a.lower() in ("lint", "linting", "check", "style", "format-check") for a in inv.args
            ):
                out.append((f"{inv.program} {' '.join(inv.args[:2])}", True))
            continue
        args = [a.lower() for a in inv.args]
        if tool == "ruff" and args and args[0] == "format":
            out.append(("ruff format", "--check" in args or "--diff" in args))
        elif tool in ("black", "isort"):
            out.append((tool, "--check" in args or "--diff" in args or "--check-only" in args))
        elif tool == "pre-commit":
            out.append(("pre-commit", bool(args) and args[0] == "run"))
        else:
            out.append((tool, True))
    return out
