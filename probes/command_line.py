"""M9: command line interfaces and project commands in the group's own code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from probes._common import evidence, only_template, own_files, py_indexes
from probes._deps import declared_dependencies
from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, found, missing, partial

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

CLI_CALLS = {
    "typer.Typer": "typer app",
    "typer.run": "typer command",
    "argparse.ArgumentParser": "argparse parser",
    "fire.Fire": "python-fire command",
    "click.Group": "click group",
}
CLI_DECORATORS = ("click.command", "click.group", "invoke.task", "invoke.tasks.task")


def _cli_evidence(snap: Snapshot) -> list[Evidence]:
    ev: list[Evidence] = []
    for word in ("typer", "argparse", "click", "fire", "invoke"):
        for idx in py_indexes(snap, mentioning=word):
            for call in idx.calls:
                kind = CLI_CALLS.get(call.resolved)
                if kind:
                    ev.append(evidence(snap, idx.path, call.line, kind))
            for fn in idx.functions:
                for deco in fn.decorators:
                    if deco.resolved in CLI_DECORATORS:
                        ev.append(evidence(snap, idx.path, deco.line, f"command {fn.name}"))
                    elif deco.name.endswith(".command") and "typer" in idx.imported_modules():
                        ev.append(evidence(snap, idx.path, deco.line, f"typer command {fn.name}"))
    unique = {(e.path, e.line): e for e in ev}
    return sorted(unique.values(), key=lambda e: (e.path, e.line or 0))


@probe("M9.cli")
def command_line(snap: Snapshot) -> Observation:
    """typer/click/argparse/fire entry points, [project.scripts], invoke tasks, Makefiles."""

    checked = [
        "typer/click/argparse/fire/invoke in *.py (AST)",
        "[project.scripts] in pyproject.toml",
        "Makefile / justfile targets",
    ]
    ev = _cli_evidence(snap)
    for path, name, target, line in declared_dependencies(snap).scripts:
        ev.append(evidence(snap, path, line, f"console script {name} = {target}"))
    for path in own_files(snap):
        if path in ("Makefile", "makefile", "justfile"):
            ev.append(evidence(snap, path, 1, "project commands"))
    if not ev:
        return missing("no command line interface or project commands", checked)
    own = [e for e in ev if e.origin != "template"]
    if not own and only_template(ev):
        return partial(
            "only the course template's commands (its tasks.py / data.py stub), unchanged",
            ev[:3],
            checked,
        )
    return found(f"{len(own)} command line entry points", own[:4], checked)
