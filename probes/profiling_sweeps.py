"""M12 profiling and M14 hyperparameter sweeps: real use, not a dependency line.

Profiling counts when a profiler is called (``cProfile``, ``torch.profiler``, pyinstrument,
line/memory profilers, Lightning profilers), run from a script, a task or CI (``python -m
cProfile``, ``snakeviz``, ``kernprof``, ``py-spy``, ``scalene``), used in a notebook
(``%prun``, ``%lprun``) or when its output is committed (``.prof`` files, profiler traces
in TensorBoard log folders).

A sweep counts as a W&B sweep configuration (``method`` and ``parameters``), a
``wandb.sweep``/``wandb.agent`` call or ``wandb sweep`` command, an Optuna study, Ray Tune,
scikit-learn's grid/random search, or Hydra multirun (a sweeper configuration or a
``--multirun`` command over several values).
"""

from __future__ import annotations

import ast
import json
import posixpath
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from probes._commands import invocations
from probes._common import evidence, first_line_matching, own_files, py_indexes, workflows
from probes._deps import declared_dependencies
from probes._template import is_template_copy
from verifier.engine.registry import probe
from verifier.findings import (
    Evidence,
    Observation,
    Origin,
    found,
    missing,
    not_verifiable,
    partial,
)

if TYPE_CHECKING:
    from verifier.repo.formats.pyindex import PyIndex
    from verifier.repo.snapshot import Snapshot

# ---------------------------------------------------------------- commands of the group


def _string_constants(text: str) -> Iterator[tuple[int, str]]:
    """(line, text) of string literals in a Python file: the commands a ``tasks.py`` runs.
    Only parsed, never executed; f-string holes become ``{}``."""

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr):
            parts = [
                v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "{}"
                for v in node.values
            ]
            yield node.lineno, "".join(parts)


def _logical_lines(lines: list[str]) -> Iterator[tuple[int, str, str]]:
    """(first line number, raw first line, joined text) with backslash continuations joined."""

    pending: list[str] = []
    start = 0
    first = ""
    for number, line in enumerate(lines, start=1):
        if not pending:
            start, first = number, line
        stripped = line.strip()
        if stripped.endswith("\\"):
            pending.append(stripped[:-1].strip())
            continue
        pending.append(stripped)
        yield start, first, " ".join(p for p in pending if p)
        pending = []
    if pending:
        yield start, first, " ".join(p for p in pending if p)


_SHELL_NAMES = re.compile(r"(^|/)(makefile|justfile|[^/]*\.(sh|bash|mk))$", re.I)


def commands(snap: Snapshot) -> list[tuple[str, int, str]]:
    """Shell commands the group runs: workflow steps, shell scripts, Makefiles, invoke
    tasks, with (path, line)."""

    def build() -> list[tuple[str, int, str]]:
        out: list[tuple[str, int, str]] = []
        for wf in workflows(snap):
            for _job, step in wf.all_steps():
                out.extend((wf.path, line, cmd) for line, cmd in step.run_commands())
        for path in own_files(snap):
            name = posixpath.basename(path)
            if _SHELL_NAMES.search(path):
                make = not name.lower().endswith((".sh", ".bash"))
                for number, line, joined in _logical_lines(snap.lines(path)):
                    if not joined or joined.startswith("#"):
                        continue
                    # Makefile/justfile: only recipe lines run; ``VAR = x`` and targets do not
                    if make and not line[:1].isspace():
                        continue
                    out.append((path, number, joined.lstrip("@-")))
            elif name == "tasks.py" or (path.startswith("tasks/") and name.endswith(".py")):
                text = snap.text(path)
                if text is not None:
                    for line, value in _string_constants(text):
                        for chunk in value.splitlines():
                            if chunk.strip():
                                out.append((path, line, chunk.strip()))
        return out

    return snap.memo("probes.profiling_sweeps.commands", build)


_FENCE = re.compile(r"^\s*(```|~~~)")
_REPORT_NAMES = frozenset({"reports/README.md", "report/README.md"})


def documented_commands(snap: Snapshot) -> list[tuple[str, int, str]]:
    """Commands inside fenced code blocks of the group's Markdown files (not the report).

    A documented command shows intent, not that it ran: it supports ``partial`` only.
    """

    def build() -> list[tuple[str, int, str]]:
        out: list[tuple[str, int, str]] = []
        for path in own_files(snap):
            if not path.lower().endswith(".md") or any(
                path == r or path.endswith("/" + r) for r in _REPORT_NAMES
            ):
                continue
            if is_template_copy(snap, path):
                continue
            inside = False
            for number, line, joined in _logical_lines(snap.lines(path)):
                if _FENCE.match(line):
                    inside = not inside
                    continue
                command = joined.lstrip("$ ").strip()
                if inside and command and not command.startswith("#"):
                    out.append((path, number, command))
        return out

    return snap.memo("probes.profiling_sweeps.doc_commands", build)


def branch_hints(snap: Snapshot, words: tuple[str, ...]) -> list[Evidence]:
    """Other branches named after the work (``aiax/profiling``): not on the audited commit,
    said so rather than counted."""

    out = []
    for branch in snap.history.branches:
        if any(w in branch.lower() for w in words):
            out.append(
                Evidence(
                    ".git",
                    None,
                    f"branch {branch}",
                    "a branch named after this work; it is not on the audited commit",
                    Origin.OTHER_BRANCH,
                )
            )
    return out[:2]


def _missing(
    snap: Snapshot, summary: str, checked: list[str], words: tuple[str, ...]
) -> Observation:
    hints = branch_hints(snap, words)
    if hints:
        names = ", ".join(h.text.removeprefix("branch ") for h in hints)
        summary += f" (branch {names} may hold it, but it is not on the audited commit)"
    return missing(summary, checked, hints)


def _unique(items: list[Evidence]) -> list[Evidence]:
    seen: set[tuple[str, int | None]] = set()
    out = []
    for ev in items:
        if (ev.path, ev.line) not in seen:
            seen.add((ev.path, ev.line))
            out.append(ev)
    return out


def _declared(snap: Snapshot, names: tuple[str, ...]) -> list[Evidence]:
    for path, req in declared_dependencies(snap).requirements:
        if req.name in names:
            return [evidence(snap, path, req.line, f"{req.name} declared")]
    return []


def _notebooks(snap: Snapshot, words: tuple[str, ...]) -> list[str]:
    out = []
    for path in own_files(snap):
        if path.endswith(".ipynb"):
            text = snap.text(path) or ""
            if any(w in text for w in words):
                out.append(path)
    return out


def _code_cells(snap: Snapshot, path: str) -> list[str]:
    try:
        nb = json.loads(snap.text(path) or "")
    except (ValueError, RecursionError):
        return []
    cells = nb.get("cells") if isinstance(nb, dict) else None
    out = []
    for cell in cells if isinstance(cells, list) else []:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            if isinstance(source, list):
                source = "".join(s for s in source if isinstance(s, str))
            if isinstance(source, str):
                out.append(source)
    return out


# ---------------------------------------------------------------- profiling

PROFILER_CALLS: dict[str, str] = {
    "cProfile.run": "profiles with cProfile",
    "cProfile.runctx": "profiles with cProfile",
    "cProfile.Profile": "profiles with cProfile",
    "profile.run": "profiles with the profile module",
    "profile.runctx": "profiles with the profile module",
    "profile.Profile": "profiles with the profile module",
    "pstats.Stats": "reads profiler statistics (pstats)",
    "torch.profiler.profile": "profiles with torch.profiler",
    "torch.autograd.profiler.profile": "profiles with torch.autograd.profiler",
    "torch.profiler.tensorboard_trace_handler": "writes torch.profiler traces for TensorBoard",
    "pyinstrument.Profiler": "profiles with pyinstrument",
    "line_profiler.LineProfiler": "profiles with line_profiler",
    "memory_profiler.profile": "profiles memory (memory_profiler)",
    "memory_profiler.memory_usage": "profiles memory (memory_profiler)",
    "scalene.scalene_profiler.start": "profiles with scalene",
    "yappi.start": "profiles with yappi",
}
PROFILER_PROGRAMS = {
    "cprofile": "python -m cProfile",
    "profile": "python -m profile",
    "snakeviz": "snakeviz",
    "kernprof": "kernprof (line_profiler)",
    "pyinstrument": "pyinstrument",
    "py-spy": "py-spy",
    "scalene": "scalene",
    "mprof": "memory_profiler (mprof)",
    "tuna": "tuna",
    "viztracer": "viztracer",
    "nsys": "Nsight Systems (nsys)",
    "torch.utils.bottleneck": "torch.utils.bottleneck",
}
PROFILER_PACKAGES = (
    "snakeviz",
    "pyinstrument",
    "line-profiler",
    "memory-profiler",
    "torch-tb-profiler",
    "scalene",
    "py-spy",
    "tuna",
    "yappi",
)
_LIGHTNING_PROFILER_ARG = re.compile(
    r"\bprofiler\s*=\s*['\"](simple|advanced|pytorch|xla)['\"]", re.I
)
_LIGHTNING_PROFILER_YAML = re.compile(r"^\s*profiler\s*:\s*['\"]?(simple|advanced|pytorch)\b")
_NOTEBOOK_MAGIC = re.compile(
    r"^\s*%{1,2}(prun|lprun|mprun|snakeviz|memit)\b|load_ext\s+(snakeviz|line_profiler|memory_profiler)"
)
_TRACE_NAME = re.compile(r"(\.prof|\.pstats|\.lprof|\.pt\.trace\.json(\.gz)?|\.xplane\.pb)$", re.I)
_PYTHON_M_PROFILE = re.compile(r"-m\s+c?profile\b", re.I)
_NOT_OUTPUT_DIRS = frozenset({".venv", "venv", "site-packages", "node_modules", "dist-packages"})


def _profiler_programs(command: str) -> list[str]:
    out = []
    for inv in invocations(command):
        what = PROFILER_PROGRAMS.get(inv.program)
        if inv.program in ("cprofile", "profile") and not _PYTHON_M_PROFILE.search(command):
            what = None
        if what:
            out.append(what)
    return out


def _profiler_in_code(idx: PyIndex, snap: Snapshot) -> tuple[list[Evidence], list[Evidence]]:
    """(calls, bare imports) of profilers in one indexed file."""

    uses: list[Evidence] = []
    modules = {i.top_level for i in idx.imports if i.top_level}
    for call in idx.calls:
        name = call.resolved
        what = PROFILER_CALLS.get(name)
        if what and name.split(".")[0] in modules:
            uses.append(evidence(snap, idx.path, call.line, what))
        elif (
            name.endswith("Profiler")
            and (".profilers." in name or ".profiler." in name)
            and name.split(".")[0] in ("lightning", "pytorch_lightning")
        ):
            uses.append(evidence(snap, idx.path, call.line, "Lightning profiler"))
    imported_profile = any(
        n.name == "profile" or n.alias == "profile" for i in idx.imports for n in i.names
    ) or any(i.alias == "profile" for i in idx.imports)
    for fn in idx.functions:
        for dec in fn.decorators:
            if dec.resolved == "memory_profiler.profile":
                uses.append(evidence(snap, idx.path, dec.line, "memory_profiler decorator"))
            elif dec.name == "profile" and not imported_profile:
                uses.append(
                    evidence(snap, idx.path, dec.line, "@profile for kernprof/line_profiler")
                )
    if "lightning" in modules or "pytorch_lightning" in modules:
        for number, line in enumerate(snap.lines(idx.path), start=1):
            if _LIGHTNING_PROFILER_ARG.search(line) and not line.lstrip().startswith("#"):
                uses.append(evidence(snap, idx.path, number, "Lightning Trainer profiler"))
    bare: list[Evidence] = []
    for imp in idx.imports:
        top = imp.top_level or ""
        if top in ("cProfile", "pyinstrument", "line_profiler", "memory_profiler", "pstats") or (
            imp.module.startswith("torch.profiler") or imp.module == "torch.autograd.profiler"
        ):
            bare.append(evidence(snap, idx.path, imp.line, f"imports {imp.module}"))
        elif imp.module == "torch" and any(n.name == "profiler" for n in imp.names):
            bare.append(evidence(snap, idx.path, imp.line, "imports torch.profiler"))
    return uses, bare


def _profile_outputs(snap: Snapshot) -> list[Evidence]:
    out = []
    for path in snap.all_paths():
        parts = path.split("/")
        if any(p in _NOT_OUTPUT_DIRS for p in parts[:-1]):
            continue
        if _TRACE_NAME.search(path) or "/plugins/profile/" in f"/{path}":
            out.append(evidence(snap, path, None, "profiler output committed"))
    return out


@probe("M12.profiling")
def profiling(snap: Snapshot) -> Observation:
    """A profiler is really used: called in code, run as a command, or its output committed."""

    checked = [
        "profiler calls in *.py (AST): cProfile/profile, pstats, torch.profiler, pyinstrument, "
        "line/memory profilers, Lightning profilers, @profile for kernprof",
        "commands in workflows, shell scripts, Makefiles and tasks.py: python -m cProfile, "
        "snakeviz, kernprof, pyinstrument, py-spy, scalene",
        "notebooks: %prun/%lprun magics and profiler calls",
        "committed output: *.prof, *.pstats, *.lprof, *.pt.trace.json, TensorBoard "
        "plugins/profile folders",
    ]
    uses: list[Evidence] = []
    bare: list[Evidence] = []
    for idx in py_indexes(snap, mentioning="rofil"):
        u, b = _profiler_in_code(idx, snap)
        uses.extend(u)
        bare.extend(b)
    for path, line, cmd in commands(snap):
        for what in _profiler_programs(cmd):
            uses.append(evidence(snap, path, line, f"runs {what}"))
    for path in _notebooks(snap, ("prof", "snakeviz", "%memit")):
        for source in _code_cells(snap, path):
            for text in source.splitlines():
                hit = _NOTEBOOK_MAGIC.search(text) or re.search(
                    r"\b(cProfile\.(run|Profile)|torch\.profiler\.profile|profile\(\s*activities)",
                    text,
                )
                if hit and not text.lstrip().startswith("#"):
                    number = first_line_matching(snap, path, re.compile(re.escape(text.strip())))
                    uses.append(evidence(snap, path, number, "profiles in a notebook"))
                    break
    for path in own_files(snap):
        if path.endswith((".yaml", ".yml")) and not path.startswith(".github/"):
            number = first_line_matching(snap, path, _LIGHTNING_PROFILER_YAML)
            if number is not None:
                uses.append(evidence(snap, path, number, "Lightning profiler configured"))
    outputs = _profile_outputs(snap)
    uses = _unique(uses)
    if uses or outputs:
        summary = f"profiler used in {len(uses)} place(s)"
        if outputs:
            summary += f"; {len(outputs)} profiler output file(s) committed"
        return found(summary, uses[:4] + outputs[:2], checked)
    if bare:
        return partial("a profiler is imported but never called", _unique(bare)[:3], checked)
    documented = [
        evidence(snap, path, line, f"documents running {what}")
        for path, line, cmd in documented_commands(snap)
        for what in _profiler_programs(cmd)
    ]
    if documented:
        return partial(
            "profiling is only documented (a command in Markdown); no profiler call, script "
            "or output in the repository",
            _unique(documented)[:3],
            checked,
        )
    declared = _declared(snap, PROFILER_PACKAGES)
    if declared:
        return partial("a profiling tool is declared but nothing uses it", declared, checked)
    # ``python -m cProfile train.py`` or snakeviz on a laptop leaves nothing in the
    # repository: not finding it does not disprove it, so a person has to judge.
    hints = branch_hints(snap, ("profil",))
    return not_verifiable(
        "no profiler use, profiling command or profiler output in the repository; profiling "
        "run by hand leaves no trace, so the report's answer has to show it",
        hints,
        checked,
    )


# ---------------------------------------------------------------- sweeps

SWEEP_METHODS = frozenset({"grid", "random", "bayes"})
SWEEP_CALLS: dict[str, str] = {
    "wandb.sweep": "creates a W&B sweep",
    "wandb.agent": "runs a W&B sweep agent",
    "optuna.create_study": "Optuna study",
    "optuna.study.create_study": "Optuna study",
    "optuna.load_study": "Optuna study",
    "ray.tune.run": "Ray Tune",
    "ray.tune.Tuner": "Ray Tune",
    "sklearn.model_selection.GridSearchCV": "grid search (scikit-learn)",
    "sklearn.model_selection.RandomizedSearchCV": "random search (scikit-learn)",
    "sklearn.model_selection.HalvingGridSearchCV": "grid search (scikit-learn)",
    "hyperopt.fmin": "hyperopt search",
    "skopt.gp_minimize": "Bayesian search (scikit-optimize)",
}
SWEEP_PACKAGES = (
    "optuna",
    "ray",
    "hyperopt",
    "keras-tuner",
    "hydra-optuna-sweeper",
    "scikit-optimize",
)
_SWEEPER_DEFAULT = re.compile(r"^\s*-\s*(override\s+)?/?hydra/sweeper\s*:")
_VALUE_LIST = re.compile(r"^[\w.+/-]+=[^=\s]*,[^=\s]*$|^[\w.+/-]+=(range|choice|interval)\(")


def _wandb_sweep_yaml(value: Any) -> tuple[bool, bool, str] | None:
    """(has method, has non-empty parameters, note) when ``value`` looks like a sweep config."""

    if not isinstance(value, dict) or "parameters" not in value:
        return None
    method = value.get("method")
    params = value.get("parameters")
    if method is None and "metric" not in value:
        return None
    has_method = isinstance(method, str) and method.lower() in SWEEP_METHODS
    has_params = isinstance(params, dict) and bool(params)
    note = ""
    if has_method and str(method).lower() == "bayes" and not isinstance(value.get("metric"), dict):
        note = " (bayes without a metric: W&B refuses it)"
    return has_method, has_params, note


def _hydra_sweeper(value: Any) -> bool:
    hydra = value.get("hydra") if isinstance(value, dict) else None
    sweeper = hydra.get("sweeper") if isinstance(hydra, dict) else None
    return isinstance(sweeper, dict) and bool(sweeper.get("params") or sweeper.get("_target_"))


def _sweep_configs(snap: Snapshot) -> tuple[list[Evidence], list[Evidence]]:
    good: list[Evidence] = []
    weak: list[Evidence] = []
    for path in own_files(snap):
        if not path.endswith((".yaml", ".yml")) or path.startswith(".github/"):
            continue
        text = snap.text(path) or ""
        if "sweep" not in text and "parameters" not in text:
            continue
        number = first_line_matching(snap, path, _SWEEPER_DEFAULT)
        if number is not None:
            good.append(evidence(snap, path, number, "Hydra sweeper selected (multirun)"))
            continue
        parts = path.split("/")
        doc = snap.yaml(path)
        if "sweeper" in parts[:-1] and isinstance(doc.value, dict) and doc.value:
            good.append(evidence(snap, path, 1, "Hydra sweeper configuration"))
            continue
        if _hydra_sweeper(doc.value):
            line = first_line_matching(snap, path, re.compile(r"^\s*sweeper\s*:"))
            good.append(evidence(snap, path, line, "Hydra sweeper with parameters"))
            continue
        shape = _wandb_sweep_yaml(doc.value)
        if shape is None:
            continue
        has_method, has_params, note = shape
        line = first_line_matching(snap, path, re.compile(r"^method\s*:")) or first_line_matching(
            snap, path, re.compile(r"^parameters\s*:")
        )
        if has_method and has_params:
            good.append(evidence(snap, path, line, f"W&B sweep configuration{note}"))
        else:
            lacking = "no search method" if not has_method else "no parameters to search"
            weak.append(evidence(snap, path, line, f"sweep-like configuration with {lacking}"))
    return good, weak


def _is_multirun(program: str, args: list[str]) -> bool:
    """A Hydra multirun over several values: ``python train.py -m lr=0.1,0.01``."""

    values = any(_VALUE_LIST.match(a) for a in args if not a.startswith("-"))
    if not values:
        return False
    if "--multirun" in args:
        return True
    script = program.endswith(".py") or (
        program.startswith("python") and bool(args) and args[0].endswith(".py")
    )
    return script and "-m" in args


def _sweep_commands(
    snap: Snapshot, found_in: list[tuple[str, int, str]], verb: str = "runs"
) -> list[Evidence]:
    out = []
    for path, line, cmd in found_in:
        for inv in invocations(cmd):
            args = list(inv.args)
            if inv.program == "wandb" and args and args[0] in ("sweep", "agent"):
                out.append(evidence(snap, path, line, f"{verb} wandb {args[0]}"))
            elif _is_multirun(inv.program, args):
                out.append(evidence(snap, path, line, f"{verb} a Hydra multirun over values"))
    return out


def _sweep_outputs(snap: Snapshot) -> list[Evidence]:
    """Folders a sweep leaves behind: Hydra's ``multirun.yaml``, W&B ``wandb/sweep-<id>``."""

    out = []
    for path in snap.all_paths():
        parts = path.split("/")
        if any(p in _NOT_OUTPUT_DIRS for p in parts[:-1]):
            continue
        if parts[-1] == "multirun.yaml":
            out.append(evidence(snap, path, None, "Hydra multirun output committed"))
        elif "wandb" in parts[:-1] and any(p.startswith("sweep-") for p in parts[:-1]):
            out.append(evidence(snap, path, None, "W&B sweep run folder committed"))
    seen: set[str] = set()
    unique = []
    for ev in out:
        folder = posixpath.dirname(ev.path)
        if folder not in seen:
            seen.add(folder)
            unique.append(ev)
    return unique


@probe("M14.sweep")
def sweep(snap: Snapshot) -> Observation:
    """A hyperparameter sweep is set up: W&B sweep, Optuna, Ray Tune or Hydra multirun."""

    checked = [
        "YAML files: W&B sweep configurations (method + parameters), Hydra sweeper configs",
        "calls in *.py (AST): wandb.sweep/agent, optuna.create_study, ray.tune, "
        "GridSearchCV/RandomizedSearchCV, hyperopt",
        "commands in workflows, shell scripts, Makefiles, tasks.py: wandb sweep/agent, "
        "--multirun with value lists",
    ]
    good, weak = _sweep_configs(snap)
    imports: list[Evidence] = []
    for word in ("wandb", "optuna", "tune", "SearchCV", "hyperopt", "skopt"):
        for idx in py_indexes(snap, mentioning=word):
            for call in idx.calls:
                what = SWEEP_CALLS.get(call.resolved)
                if what is None and call.resolved.startswith("ray.tune."):
                    what = "Ray Tune" if call.resolved.rsplit(".", 1)[-1][0].isupper() else None
                if what:
                    good.append(evidence(snap, idx.path, call.line, what))
            for imp in idx.imports:
                if imp.top_level in ("optuna", "hyperopt", "skopt") or imp.module.startswith(
                    "ray.tune"
                ):
                    imports.append(evidence(snap, idx.path, imp.line, f"imports {imp.module}"))
    good.extend(_sweep_commands(snap, commands(snap)))
    good.extend(_sweep_outputs(snap))
    good = _unique(good)
    if good:
        return found(f"hyperparameter sweep set up in {len(good)} place(s)", good[:4], checked)
    if weak:
        return partial("a sweep configuration is incomplete", weak[:3], checked)
    if imports:
        return partial(
            "a search library is imported but no study or search is run",
            _unique(imports)[:3],
            checked,
        )
    documented = _sweep_commands(snap, documented_commands(snap), verb="documents")
    if documented:
        return partial(
            "a sweep is only documented (a command in Markdown); no sweep configuration, "
            "script or output in the repository",
            _unique(documented)[:3],
            checked,
        )
    declared = _declared(snap, SWEEP_PACKAGES)
    if declared:
        return partial("a search library is declared but no code uses it", declared, checked)
    if _uses_wandb(snap):
        # A W&B sweep can be defined in the web app and run with ``wandb agent <id>``.
        hints = branch_hints(snap, ("sweep", "optuna", "hyperparam", "tuning"))
        return not_verifiable(
            "no sweep configuration, study or multirun in the repository; the code logs to "
            "W&B, where a sweep can be defined in the web app and leave no file behind",
            hints,
            checked,
        )
    return _missing(
        snap,
        "no sweep configuration, study or multirun found",
        checked,
        ("sweep", "optuna", "hyperparam", "tuning"),
    )


def _uses_wandb(snap: Snapshot) -> bool:
    return any(
        call.resolved.startswith("wandb.") or call.resolved.endswith("WandbLogger")
        for idx in py_indexes(snap, mentioning="wandb")
        for call in idx.calls
    )
