"""Claim checks for tools the answers name: DVC (Q10), the dependency manager (Q4), linters,
formatters, type checkers and pre-commit (Q6), third-party frameworks (Q3) and the load
testing tool (Q25).

Each check looks for what using the tool leaves in a repository, strongest first:

- DVC: ``.dvc/config`` and data it tracks (``*.dvc`` pointers, ``dvc.yaml`` stages); the remote
  kind comes from the config's URLs (gs:// → gcs, gdrive:// → gdrive, ...). The answer is also
  compared with the checklist: "we did not use DVC" next to a ticked DVC box is inconsistent.
- dependency manager: its lock file or configuration table (uv.lock / [tool.uv], poetry.lock /
  [tool.poetry], requirements*.txt, environment.yml, Pipfile, pdm.lock, [tool.hatch]); then
  commands run in workflows, Dockerfiles, Makefiles, tasks.py and shell scripts.
- code-quality tools: their configuration ([tool.ruff], ruff.toml, .flake8, [tool.mypy], ...),
  pre-commit hooks, CI steps, task-runner commands; a declared dependency alone is weaker and
  said so.
- frameworks: an import in the group's Python files or notebooks, then a direct declaration.
- load testing: a Locust user class or locustfile, a k6 script, a JMeter plan, CI runs.

A negated claim ("we did not use X", "instead of X") is consistent when X is absent and
inconsistent when X is clearly used; weak traces (a command somewhere, a declaration) make it
unverifiable rather than inconsistent.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import git

from probes._common import (
    dockerfiles,
    evidence,
    only_template,
    own_files,
    own_python_files,
    py_index,
    where,
    workflows,
)
from probes._deps import declared_dependencies
from probes.claims_ci import _pre_commit_hooks, ci_lint_tools
from probes.data_versioning import dvc_configs, dvc_roots
from probes.load_test import LOCUST_USERS
from probes.precommit import hook_ids as _hook_ids
from verifier.claims import framework_distributions, load_vocabulary
from verifier.engine.registry import claim_check
from verifier.findings import (
    ClaimResult,
    Evidence,
    Origin,
    consistent,
    inconsistent,
    unverifiable,
)
from verifier.repo.formats.dependencies import normalize_name
from verifier.repo.formats.dvc import parse_dvc_config, parse_dvc_file, parse_dvc_yaml
from verifier.repo.formats.pyindex import PyIndex, index_notebook
from verifier.report.model import Tick

if TYPE_CHECKING:
    from verifier.claims.model import Claim
    from verifier.repo.snapshot import Snapshot
    from verifier.report.model import ChecklistItem, Report

DVC_ITEM = "M8.data-version-control"


@dataclass
class Traces:
    """What a tool left in the repository: strong traces (configuration, lock files, hooks,
    CI steps) and weak ones (a declaration, a command in a script)."""

    strong: list[Evidence] = field(default_factory=list)
    weak: list[Evidence] = field(default_factory=list)

    def summary(self, limit: int = 3) -> str:
        items = [e.why + f" ({e.path})" for e in (self.strong or self.weak)]
        return "; ".join(list(dict.fromkeys(items))[:limit])


def _unique(items: list[Evidence]) -> list[Evidence]:
    seen: set[tuple[str, int | None]] = set()
    out = []
    for e in items:
        if (e.path, e.line) not in seen:
            seen.add((e.path, e.line))
            out.append(e)
    return out


def _verdict(claim: Claim, expected: str, traces: Traces, absent: str) -> ClaimResult:
    """The common comparison of a "we used X" / "we did not use X" claim with traces."""

    traces = Traces(_unique(traces.strong), _unique(traces.weak))
    if not claim.negated:
        if traces.strong:
            return consistent(
                expected, traces.summary(), "the repository shows it", traces.strong[:3]
            )
        if traces.weak:
            return consistent(
                expected,
                traces.summary() + " (no configuration of its own)",
                "only a weaker trace: it is declared or run by a command",
                traces.weak[:3],
            )
        return inconsistent(expected, absent, "no trace of it in the repository")
    if traces.strong and only_template(traces.strong):
        return consistent(
            expected,
            traces.summary() + " (the course template's file, unchanged)",
            "only the course template's file shows it, which the group did not have to use",
            traces.strong[:2],
        )
    if traces.strong:
        return inconsistent(
            expected,
            traces.summary(),
            "the answer says no, but the repository uses it",
            traces.strong[:3],
        )
    if traces.weak:
        return unverifiable(
            expected,
            "only weak traces (a declaration or a command), which may be left over",
            traces.weak[:3],
            traces.summary(),
        )
    return consistent(expected, absent, "no trace of it, as the answer says")


def _report_evidence(snap: Snapshot, report: Report, line: int, why: str) -> Evidence:
    return evidence(snap, report.path, line, why, Origin.GROUP)


# ------------------------------------------------------------------------ DVC


def _dvc_traces(snap: Snapshot) -> tuple[Traces, bool]:
    """(traces, initialised): tracked data is strong; a bare ``.dvc/`` is weak."""

    traces = Traces()
    roots = dvc_roots(snap)
    for path in own_files(snap):
        name = posixpath.basename(path)
        if path.endswith(".dvc") and name != ".dvc" and "/.dvc/" not in "/" + path:
            tracked = _pointer_out(snap, path)
            if tracked is not None:
                line, out_path = tracked
                traces.strong.append(evidence(snap, path, line, f"DVC tracks {out_path}"))
        elif name == "dvc.yaml":
            pipe = parse_dvc_yaml(path, snap.text(path) or "")
            for stage in pipe.stages[:2]:
                traces.strong.append(evidence(snap, path, stage.line, f"DVC stage {stage.name}"))
    for cfg in dvc_configs(snap):
        for r in cfg.remotes[:2]:
            traces.weak.append(evidence(snap, cfg.path, r.line, f"DVC remote {r.name} ({r.kind})"))
    if roots and not traces.weak:
        first = f"{roots[0]}/.dvc/config" if roots[0] else ".dvc/config"
        line = 1 if snap.exists(first) else None
        traces.weak.append(evidence(snap, first, line, "DVC initialised"))
    return traces, bool(roots)


MAX_POINTER_PARSE = 20_000
_OUT_PATH = re.compile(r"^\s*(?:-\s+)?path:\s*(\S+)")


def _pointer_out(snap: Snapshot, path: str) -> tuple[int, str] | None:
    """(line, tracked path) of a ``*.dvc`` pointer's first output; None when it has none.

    Pointers are a few lines; an old-style pointer listing thousands of files is read by its
    first ``path:`` line instead of being parsed whole.
    """

    def build() -> tuple[int, str] | None:
        text = snap.text(path) or ""
        if len(text) > MAX_POINTER_PARSE:
            lines = text.splitlines()
            if not any(t.startswith("outs:") for t in lines[:50]):
                return None
            for number, line in enumerate(lines, start=1):
                m = _OUT_PATH.match(line)
                if m:
                    return number, m.group(1)
            return None
        parsed = parse_dvc_file(path, text)
        if parsed.error is None and parsed.outs:
            return parsed.outs[0].line or 1, parsed.outs[0].path
        return None

    return snap.memo(f"claims.dvc_pointer:{path}", build)


def _lfs_lines(snap: Snapshot) -> list[Evidence]:
    out = []
    for number, line in enumerate(snap.lines(".gitattributes"), start=1):
        if "filter=lfs" in line.replace(" ", "") and not line.lstrip().startswith("#"):
            out.append(evidence(snap, ".gitattributes", number, "Git LFS tracks these files"))
    return out


def _dvc_item(report: Report) -> ChecklistItem | None:
    return next((i for i in report.items if i.catalog_id == DVC_ITEM), None)


@claim_check("dvc-used")
def check_dvc_used(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """DVC used (or not) as the answer says, vs. the DVC files and the checklist's DVC box."""

    expected = "DVC not used" if claim.negated else "DVC used for the data"
    traces, initialised = _dvc_traces(snap)
    item = _dvc_item(report)
    ticked = item is not None and item.tick is Tick.TICKED
    if traces.strong:
        observed = f"DVC tracks data: {where(e.path for e in traces.strong)}"
    elif initialised:
        observed = "DVC is initialised (.dvc/) but tracks no data (no *.dvc pointer, no dvc.yaml)"
    else:
        observed = "no .dvc/ folder, no *.dvc pointer files, no dvc.yaml"
        other = snap.branches_holding(".dvc/config")
        if other:
            observed += f" (DVC is set up on branch {', '.join(other[:2])})"
    if claim.negated:
        lfs = _lfs_lines(snap)
        if ticked and item is not None and lfs and not traces.strong:
            ev = [_report_evidence(snap, report, item.line, "the data versioning box is ticked")]
            return unverifiable(
                expected,
                "the data versioning box is ticked, and Git LFS (not DVC) may be what it means",
                ev + lfs[:1],
                observed + "; Git LFS tracks files",
            )
        ticked_ev = (
            [_report_evidence(snap, report, item.line, "the DVC box is ticked")]
            if ticked and item is not None
            else []
        )
        if traces.strong:
            why = "the answer says no, but DVC tracks data"
            if ticked_ev:
                why += " (and the checklist ticks the DVC item)"
            return inconsistent(expected, observed, why, traces.strong[:3] + ticked_ev)
        why = "no DVC-tracked data, as the answer says"
        if ticked_ev and item is not None:
            # The answer is true of the repository; the ticked box is the report's own
            # contradiction, and the DVC item's verdict says so at that line.
            why += f"; the checklist ticks the DVC item (line {item.line}) all the same"
        return consistent(expected, observed, why, ticked_ev + traces.weak[:1])
    note = ""
    ev: list[Evidence] = []
    if item is not None and item.tick is Tick.UNTICKED:
        note = f"; the checklist's DVC box (line {item.line}) is not ticked"
        ev.append(_report_evidence(snap, report, item.line, "DVC box left unticked"))
    if traces.strong:
        return consistent(expected, observed, "DVC tracks data" + note, traces.strong[:3] + ev)
    if initialised:
        return unverifiable(
            expected,
            "DVC is set up but tracks nothing at this commit (the pointers may have been "
            "removed)" + note,
            traces.weak[:2] + ev,
            observed,
        )
    return inconsistent(expected, observed, "there is no DVC in the repository" + note, ev)


@claim_check("dvc-remote")
def check_dvc_remote(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """The kind of DVC remote the answer names vs. the remotes of ``.dvc/config``."""

    kind = str(claim.value)
    expected = f"no DVC remote on {kind}" if claim.negated else f"a DVC remote on {kind}"
    remotes = [(cfg, r) for cfg in dvc_configs(snap) for r in cfg.remotes]
    observed = (
        "DVC remotes: " + ", ".join(f"{r.name} ({r.kind}: {r.url})" for _c, r in remotes)
        if remotes
        else "no remote in a committed .dvc/config"
    )
    hits = [
        evidence(snap, cfg.path, r.line, f"DVC remote {r.name} ({r.kind})")
        for cfg, r in remotes
        if r.kind == kind
    ]
    others = [
        evidence(snap, cfg.path, r.line, f"DVC remote {r.name} ({r.kind})")
        for cfg, r in remotes
        if r.kind != kind
    ]
    if claim.negated:
        if hits:
            return inconsistent(expected, observed, "a remote of that kind is configured", hits)
        return consistent(expected, observed, "no remote of that kind", others[:2])
    if hits:
        why = "a remote of that kind is configured"
        bucket = next((i for i in report.items if i.catalog_id == "M21.gcp-bucket"), None)
        if kind == "gcs" and bucket is not None and bucket.tick is Tick.UNTICKED:
            why += f"; the checklist's GCP bucket box (line {bucket.line}) is not ticked"
            hits.append(_report_evidence(snap, report, bucket.line, "GCP bucket box unticked"))
        return consistent(expected, observed, why, hits[:3])
    if others:
        earlier = _earlier_remote(snap, kind)
        if earlier is not None:
            sha, date, path = earlier
            why = f"an earlier .dvc/config (commit {sha[:8]}, {date}) had a {kind} remote"
            return consistent(
                expected,
                observed + f"; {kind} in commit {sha[:8]}",
                why + "; the answer describes that earlier set-up",
                [evidence(snap, path, None, why, Origin.GROUP), *others[:1]],
            )
        return inconsistent(
            expected,
            observed,
            "the configured remotes are of another kind, and no earlier .dvc/config had one of "
            "this kind",
            others[:2],
        )
    dvc_questions = load_vocabulary().questions("dvc", report.generation)
    off_topic = claim.question not in dvc_questions
    if not dvc_roots(snap) and (off_topic or "dvc" not in (claim.sentence or claim.quote).lower()):
        return unverifiable(
            expected,
            "the storage named is not clearly a DVC remote (the sentence is outside the DVC "
            "answer or does not name DVC), and the repository has no DVC set-up",
            [],
            observed,
        )
    if dvc_roots(snap):
        return unverifiable(
            expected,
            "DVC is set up but no remote is committed (it may live in .dvc/config.local)",
            [],
            observed,
        )
    return inconsistent(expected, "no DVC set-up at all", "there is no .dvc/config")


def _earlier_remote(snap: Snapshot, kind: str) -> tuple[str, str, str] | None:
    """(commit, date, path) of the newest earlier ``.dvc/config`` with a remote of ``kind``."""

    repo = snap.git_repo
    if repo is None:
        return None
    for cfg in dvc_configs(snap)[:1]:
        for info in snap.path_log(cfg.path, max_count=15)[1:]:
            try:
                text = repo.git.show(f"{info.sha}:{snap.repo_path(cfg.path)}")
            except (git.GitCommandError, ValueError):
                text = ""  # a missing blob or a git failure: nothing to read
            old = parse_dvc_config(cfg.path, text)
            if any(r.kind == kind for r in old.remotes):
                date = info.date.date().isoformat() if info.date else "undated"
                return info.sha, date, cfg.path
    return None


# ------------------------------------------------------------------------ commands


@dataclass(frozen=True)
class CommandLine:
    path: str
    line: int
    text: str
    where: str  # "workflow", "Dockerfile", "Makefile", "tasks.py", "script"


_TASK_RUN = re.compile(r"""\.run\(\s*f?r?(['"])(?P<cmd>.+?)\1""")


def command_lines(snap: Snapshot) -> list[CommandLine]:
    """Shell command lines of workflows, Dockerfiles, Makefiles, tasks.py and shell scripts."""

    def build() -> list[CommandLine]:
        out: list[CommandLine] = []
        for wf in workflows(snap):
            for _job, step in wf.all_steps():
                for line, command in step.run_commands():
                    out.append(CommandLine(wf.path, line, command, "workflow"))
        for df in dockerfiles(snap):
            for instr in df.runs():
                out.append(CommandLine(df.path, instr.line, instr.args, "Dockerfile"))
        for path in own_files(snap):
            name = posixpath.basename(path)
            if name in ("Makefile", "makefile", "GNUmakefile", "justfile"):
                for number, text in enumerate(snap.lines(path), start=1):
                    if text.startswith(("\t", "    ")) and not text.strip().startswith("#"):
                        out.append(CommandLine(path, number, text.strip().lstrip("@-"), name))
            elif name in ("tasks.py", "noxfile.py"):
                for number, text in enumerate(snap.lines(path), start=1):
                    m = _TASK_RUN.search(text)
                    if m and not text.lstrip().startswith("#"):
                        out.append(CommandLine(path, number, m.group("cmd"), name))
            elif name.endswith(".sh"):
                for number, text in enumerate(snap.lines(path), start=1):
                    stripped = text.strip()
                    if stripped and not stripped.startswith("#"):
                        out.append(CommandLine(path, number, stripped, "script"))
        return out

    return snap.memo("claims.command_lines", build)


_SEGMENTS = re.compile(r"&&|\|\||;|\|")


def programs(command: str) -> Iterator[tuple[str, list[str]]]:
    """(program, arguments) of each simple command of a line; ``python -m x`` is ``x``."""

    for part in _SEGMENTS.split(command):
        try:
            words = shlex.split(part, posix=True)
        except ValueError:
            words = part.split()
        while words and (re.match(r"^[A-Za-z_]\w*=", words[0]) or words[0] in ("sudo", "RUN")):
            words = words[1:]
        if not words:
            continue
        prog = posixpath.basename(words[0]).lower()
        if re.match(r"^python(3(\.\d+)?)?$", prog) and len(words) >= 3 and words[1] == "-m":
            yield words[2].lower(), words[3:]
        else:
            yield prog, words[1:]


# ------------------------------------------------------------------------ dependency managers

#: Manager -> (programs and subcommands that show use of it).
MANAGER_COMMANDS: dict[str, dict[str, tuple[str, ...]]] = {
    "uv": {"uv": ("sync", "pip", "add", "lock", "run", "venv", "export", "tool", "python")},
    "poetry": {"poetry": ("install", "add", "lock", "run", "export", "shell", "build")},
    "pip": {"pip": ("install",), "pip3": ("install",)},
    "pip-tools": {"pip-compile": (), "pip-sync": ()},
    "conda": {
        "conda": ("env", "create", "install", "activate", "run"),
        "mamba": ("env", "create", "install"),
        "micromamba": ("env", "create", "install", "activate"),
    },
    "pipenv": {"pipenv": ("install", "sync", "run", "lock")},
    "pdm": {"pdm": ("install", "sync", "add", "lock", "run")},
    "hatch": {"hatch": ("run", "env", "shell", "build")},
}
MANAGER_ACTIONS = {
    "uv": ("astral-sh/setup-uv",),
    "poetry": ("snok/install-poetry", "abatilo/actions-poetry"),
    "conda": ("conda-incubator/setup-miniconda", "mamba-org/setup-micromamba"),
    "pdm": ("pdm-project/setup-pdm",),
}


def _pyproject_tables(snap: Snapshot) -> dict[str, tuple[str, int]]:
    """``tool.<name>`` tables of every pyproject.toml: name -> (path, header line)."""

    out: dict[str, tuple[str, int]] = {}
    for path in own_files(snap):
        if posixpath.basename(path) != "pyproject.toml" or path.count("/") > 1:
            continue
        for number, text in enumerate(snap.lines(path), start=1):
            m = re.match(r"^\s*\[\[?\s*tool\.([\w-]+)", text)
            if m:
                out.setdefault(m.group(1).lower(), (path, number))
    return out


def _manager_files(snap: Snapshot, manager: str) -> list[Evidence]:
    files = own_files(snap)
    tables = _pyproject_tables(snap)
    ev: list[Evidence] = []

    def named(*names: str) -> list[str]:
        return [p for p in files if posixpath.basename(p) in names and p.count("/") <= 2]

    def table(name: str, why: str) -> None:
        if name in tables:
            path, line = tables[name]
            ev.append(evidence(snap, path, line, why))

    if manager == "uv":
        ev += [evidence(snap, p, 1, "uv lock file") for p in named("uv.lock")]
        table("uv", "[tool.uv] settings")
    elif manager == "poetry":
        ev += [evidence(snap, p, 1, "poetry lock file") for p in named("poetry.lock")]
        table("poetry", "[tool.poetry] project")
    elif manager == "pip":
        for src in declared_dependencies(snap).sources:
            if src.kind == "requirements":
                ev.append(evidence(snap, src.path, src.line or 1, "requirements file for pip"))
    elif manager == "pip-tools":
        for p in files:
            name = posixpath.basename(p)
            if re.match(r"^requirements[\w.-]*\.in$", name):
                ev.append(evidence(snap, p, 1, "pip-tools input file"))
            elif re.match(r"^requirements[\w.-]*\.txt$", name) and any(
                "pip-compile" in t for t in snap.lines(p)[:8]
            ):
                ev.append(evidence(snap, p, 1, "compiled by pip-compile"))
    elif manager == "conda":
        for src in declared_dependencies(snap).sources:
            if src.kind == "conda":
                ev.append(evidence(snap, src.path, src.line or 1, "conda environment file"))
    elif manager == "pipenv":
        ev += [evidence(snap, p, 1, "Pipfile") for p in named("Pipfile", "Pipfile.lock")]
    elif manager == "pdm":
        ev += [evidence(snap, p, 1, "pdm lock file") for p in named("pdm.lock")]
        table("pdm", "[tool.pdm] settings")
    elif manager == "hatch":
        table("hatch", "[tool.hatch] settings")
    return ev


def _manager_commands(snap: Snapshot, manager: str) -> list[Evidence]:
    wanted = MANAGER_COMMANDS.get(manager, {})
    ev: list[Evidence] = []
    for cl in command_lines(snap):
        for prog, args in programs(cl.text):
            subs = wanted.get(prog)
            if subs is None:
                continue
            if not subs or (args and args[0].lower() in subs):
                ev.append(evidence(snap, cl.path, cl.line, f"{cl.where} runs {prog}"))
                break
    for wf in workflows(snap):
        for _job, step in wf.all_steps():
            action = (step.action or "").lower()
            if any(action.startswith(a) for a in MANAGER_ACTIONS.get(manager, ())):
                ev.append(evidence(snap, wf.path, step.line, f"workflow sets up {manager}"))
    return ev


@claim_check("dependency-manager")
def check_dependency_manager(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """The dependency manager named vs. its lock/declaration files and the commands run."""

    manager = str(claim.value).lower()
    expected = f"{'not ' if claim.negated else ''}managing dependencies with {manager}"
    if manager not in MANAGER_COMMANDS:
        return unverifiable(expected, f"no rule for the dependency manager {manager}")
    traces = Traces(_manager_files(snap, manager), _manager_commands(snap, manager))
    if manager == "conda" and not traces.strong and not traces.weak and not claim.negated:
        readme = _readme_conda(snap)
        return unverifiable(
            expected,
            "conda used only to create the environment leaves no file (no environment.yml "
            "here); the report's word cannot be checked",
            readme[:1],
            "no environment.yml or conda command"
            + ("; the README tells to run conda" if readme else ""),
        )
    result = _verdict(claim, expected, traces, f"no {manager} files or commands")
    if result.verdict == "inconsistent" and not claim.negated:
        used = [
            m for m in MANAGER_COMMANDS if m not in (manager, "pip") and _manager_files(snap, m)
        ]
        if used:
            result.observed += f"; the repository uses {', '.join(used)}"
            result.evidence += [_manager_files(snap, m)[0] for m in used[:2]]
    return result


_CONDA_COMMAND = re.compile(r"\b(conda|mamba|micromamba)\s+(create|activate|env|install)\b")


def _readme_conda(snap: Snapshot) -> list[Evidence]:
    for name in ("README.md", "readme.md", "Readme.md"):
        for number, line in enumerate(snap.lines(name) if snap.exists(name) else [], start=1):
            if _CONDA_COMMAND.search(line):
                return [evidence(snap, name, number, "README instructs a conda command")]
    return []


# ------------------------------------------------------------------------ code-quality tools

#: Configuration files of a tool (file name at the repository root or one level down).
TOOL_FILES: dict[str, tuple[str, ...]] = {
    "ruff": ("ruff.toml", ".ruff.toml"),
    "flake8": (".flake8",),
    "pylint": (".pylintrc", "pylintrc"),
    "isort": (".isort.cfg",),
    "mypy": ("mypy.ini", ".mypy.ini"),
    "pyright": ("pyrightconfig.json",),
    "yapf": (".style.yapf",),
    "pre-commit": (".pre-commit-config.yaml", ".pre-commit-config.yml"),
}
#: INI sections (setup.cfg, tox.ini) configuring a tool.
TOOL_SECTIONS: dict[str, tuple[str, ...]] = {
    "flake8": ("flake8",),
    "pycodestyle": ("pycodestyle", "pep8"),
    "pylint": ("pylint", "pylint.messages control"),
    "isort": ("isort", "tool:isort"),
    "mypy": ("mypy",),
    "pydocstyle": ("pydocstyle",),
    "yapf": ("yapf",),
}


def _tool_config(snap: Snapshot, tool: str) -> list[Evidence]:
    ev: list[Evidence] = []
    for path in own_files(snap):
        if path.count("/") <= 1 and posixpath.basename(path) in TOOL_FILES.get(tool, ()):
            ev.append(evidence(snap, path, 1, f"{tool} configuration"))
    tables = _pyproject_tables(snap)
    if tool in tables:
        path, line = tables[tool]
        ev.append(evidence(snap, path, line, f"[tool.{tool}] configuration"))
    for name in ("setup.cfg", "tox.ini"):
        if not snap.exists(name):
            continue
        for number, text in enumerate(snap.lines(name), start=1):
            m = re.match(r"^\s*\[([^\]]+)\]", text)
            if m and m.group(1).strip().lower() in TOOL_SECTIONS.get(tool, ()):
                ev.append(evidence(snap, name, number, f"{tool} configuration"))
    return ev


def tool_traces(snap: Snapshot, tool: str) -> Traces:
    """Configuration, pre-commit hooks, CI steps and task commands (strong); a declared
    dependency (weak)."""

    traces = Traces(_tool_config(snap, tool))
    if tool == "pre-commit" and traces.strong:
        doc = snap.yaml(traces.strong[0].path)
        hooks = _hook_ids(doc.value) if doc.error is None else []
        if hooks:
            traces.strong[0] = evidence(
                snap, traces.strong[0].path, 1, f"pre-commit configuration ({len(hooks)} hooks)"
            )
        else:
            traces.weak, traces.strong = traces.strong, []
    hooks = _pre_commit_hooks(snap)
    if tool in hooks:
        path, line = hooks[tool]
        traces.strong.append(evidence(snap, path, line, f"pre-commit hook runs {tool}"))
    traces.strong += ci_lint_tools(snap).get(tool, [])[:2]
    for cl in command_lines(snap):
        if cl.where == "workflow":
            continue
        if any(prog == tool or prog == tool.replace("-", "_") for prog, _a in programs(cl.text)):
            traces.strong.append(evidence(snap, cl.path, cl.line, f"{cl.where} runs {tool}"))
            break
    for path, req in declared_dependencies(snap).requirements:
        if req.name == normalize_name(tool):
            traces.weak.append(evidence(snap, path, req.line, f"{tool} declared as a dependency"))
            break
    return traces


#: Tools whose rules ruff re-implements, with their rule-code prefixes.
RUFF_RULES: dict[str, tuple[str, ...]] = {
    "pycodestyle": ("E", "W"),
    "pyflakes": ("F",),
    "flake8": ("F", "E"),
    "isort": ("I",),
    "pydocstyle": ("D",),
    "pylint": ("PL",),
    "pyupgrade": ("UP",),
    "bandit": ("S",),
}
#: ruff's default rule selection covers these.
RUFF_DEFAULT = frozenset({"pycodestyle", "pyflakes", "flake8"})
_SELECT_LINE = re.compile(r"^\s*(extend-)?select\s*=")


def _ruff_select(snap: Snapshot) -> tuple[list[str], Evidence] | None:
    """ruff's selected rule codes and where; None when ruff is not configured."""

    places = (("pyproject.toml", ("tool", "ruff")), ("ruff.toml", ()), (".ruff.toml", ()))
    for path, keys in places:
        if not snap.exists(path):
            continue
        doc = snap.toml(path)
        table: object = doc.value if isinstance(doc.value, dict) else {}
        for key in keys:
            table = table.get(key, {}) if isinstance(table, dict) else {}
        if not isinstance(table, dict) or (keys and not table):
            continue
        codes: list[str] = []
        for section in (table, table.get("lint", {})):
            if isinstance(section, dict):
                for key in ("select", "extend-select"):
                    value = section.get(key)
                    if isinstance(value, list):
                        codes += [str(v).upper() for v in value]
        line = next(
            (n for n, t in enumerate(snap.lines(path), start=1) if _SELECT_LINE.match(t)), 1
        )
        return codes, evidence(snap, path, line, "ruff rule selection")
    return None


def _through_ruff(claim: Claim, snap: Snapshot, tool: str) -> ClaimResult | None:
    """A tool whose rules the group runs through ruff ("ruff, with pycodestyle rules")."""

    prefixes = RUFF_RULES.get(tool)
    found = _ruff_select(snap) if prefixes else None
    if not prefixes or found is None or claim.negated:
        return None
    codes, ev = found
    expected = f"{tool} rules"
    selected = [c for c in codes if c == "ALL" or any(c.startswith(p) for p in prefixes)]
    if selected:
        observed = f"ruff selects {', '.join(selected[:4])}"
        return consistent(expected, observed, f"ruff runs {tool}'s rules", [ev])
    if not codes and tool in RUFF_DEFAULT:
        observed = "ruff with its default rules (pycodestyle E4/E7/E9, pyflakes F)"
        return consistent(expected, observed, f"ruff's default rules include {tool}'s", [ev])
    if "ruff" in (claim.sentence or "").lower():
        observed = f"ruff selects {', '.join(codes[:6])}" if codes else "ruff default rules"
        why = f"{tool} is not set up, and ruff does not select its rules ({'/'.join(prefixes)})"
        return unverifiable(expected, why, [ev], observed)
    return None


@claim_check("linter", "formatter", "type-checker", "pre-commit")
def check_quality_tool(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """A linter, formatter, type checker or pre-commit named vs. its config, hooks and CI."""

    tool = str(claim.value).lower()
    role = {"linter": "linting", "formatter": "formatting", "type-checker": "type checking"}
    what = f"{tool} for {role[claim.kind]}" if claim.kind in role else tool
    expected = f"{'not using' if claim.negated else 'using'} {what}"
    traces = tool_traces(snap, tool)
    if not traces.strong and not traces.weak:
        via_ruff = _through_ruff(claim, snap, tool)
        if via_ruff is not None:
            via_ruff.expected = expected
            return via_ruff
    absent = f"no {tool} configuration, hook, CI step or declaration"
    if claim.negated or traces.strong or traces.weak:
        return _verdict(claim, expected, traces, absent)
    return _no_trace(claim, snap, tool, expected, absent)


_HOOK_WORDS = re.compile(r"pre-?commit|\bhooks?\b", re.I)
_CI_WORDS = re.compile(r"\b(ci|workflows?|github actions?|pipelines?)\b", re.I)


def _no_trace(claim: Claim, snap: Snapshot, tool: str, expected: str, absent: str) -> ClaimResult:
    """A code-quality tool with no trace: disproved only where the answer says where it runs."""

    words = claim.sentence or claim.quote
    hook_config = _tool_config(snap, "pre-commit")
    if _HOOK_WORDS.search(words) and tool != "pre-commit" and hook_config:
        return inconsistent(
            expected,
            absent + "; the pre-commit configuration has no hook for it",
            "the answer runs it as a pre-commit hook",
            hook_config[:1],
        )
    if _CI_WORDS.search(words) and workflows(snap):
        return inconsistent(
            expected, absent + "; no workflow runs it", "the answer runs it in CI", []
        )
    return unverifiable(
        expected,
        "no configuration, hook, CI step or declaration; a tool run by hand or by an editor "
        "leaves no trace",
        [],
        absent,
    )


# ------------------------------------------------------------------------ frameworks

#: Import names of distributions whose module is not the distribution name with ``_``.
IMPORT_NAMES: dict[str, tuple[str, ...]] = {
    "pytorch-lightning": ("pytorch_lightning", "lightning"),
    "lightning": ("lightning", "pytorch_lightning"),
    "scikit-learn": ("sklearn",),
    "scikit-image": ("skimage",),
    "opencv-python": ("cv2",),
    "opencv-python-headless": ("cv2",),
    "opencv-contrib-python": ("cv2",),
    "pillow": ("PIL",),
    "hydra-core": ("hydra",),
    "google-cloud-storage": ("google.cloud.storage",),
    "faiss-cpu": ("faiss",),
    "faiss-gpu": ("faiss",),
    "onnxruntime-gpu": ("onnxruntime",),
    "pytest-cov": (),
    "coverage": ("coverage",),
    "gym": ("gym",),
    "soundfile": ("soundfile",),
    "biopython": ("Bio",),
    "great-expectations": ("great_expectations",),
    "tensorflow": ("tensorflow", "tf_keras"),
}
#: Frameworks mostly used as a command: a declaration is enough.
COMMAND_FRAMEWORKS = frozenset(
    {"dvc", "uvicorn", "pytest", "coverage", "invoke", "snakeviz", "locust", "mlflow", "bentoml"}
)
STDLIB = {"argparse": ("argparse",), "unittest": ("unittest",)}


def _modules(name: str, dists: tuple[str, ...]) -> list[str]:
    mods: list[str] = list(STDLIB.get(name, ()))
    for dist in dists:
        mods += IMPORT_NAMES.get(dist, (dist.replace("-", "_"),))
    return list(dict.fromkeys(mods))


def _notebook_index(snap: Snapshot, path: str) -> PyIndex | None:
    def build() -> PyIndex | None:
        text = snap.text(path)
        return None if text is None else index_notebook(path, text)

    return snap.memo(f"claims.nbindex:{path}", build)


def import_sites(snap: Snapshot, modules: list[str]) -> list[Evidence]:
    """Imports of any of ``modules`` (or below them) in the group's Python files and notebooks."""

    out: list[Evidence] = []
    roots = {m.split(".", 1)[0] for m in modules}
    candidates = [
        p
        for p in [*own_python_files(snap), *(f for f in own_files(snap) if f.endswith(".ipynb"))]
        if any(r in (snap.text(p) or "") for r in roots)
    ]
    for path in candidates:
        idx = _notebook_index(snap, path) if path.endswith(".ipynb") else py_index(snap, path)
        if idx is None or idx.error:
            continue
        for module in modules:
            hits = [i for i in idx.imports_module(module) if not i.type_checking]
            if hits:
                where_ = f" (cell {hits[0].cell})" if hits[0].cell else ""
                out.append(evidence(snap, path, hits[0].line, f"imports {module}{where_}"))
                break
        if len(out) >= 3:
            break
    return out


@claim_check("framework")
def check_framework(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """A third-party framework named vs. the group's imports and declared dependencies."""

    name = str(claim.value)
    expected = f"{'not using' if claim.negated else 'using'} {name}"
    dists = framework_distributions(name)
    modules = _modules(name, dists)
    if not modules and not dists:
        return unverifiable(expected, f"no distribution or module is known for {name}")
    imports = import_sites(snap, modules) if modules else []
    declared = declared_dependencies(snap)
    wanted = {normalize_name(d) for d in dists}
    decl = [
        evidence(snap, path, req.line, f"{req.name} declared")
        for path, req in declared.requirements
        if req.name in wanted
    ][:2]
    locked = sorted(wanted & declared.locked)
    parts = []
    if imports:
        parts.append(f"imported in {where(e.path for e in imports)}")
    if decl:
        parts.append(f"declared in {where(e.path for e in decl)}")
    elif locked:
        parts.append(f"only in a lock file ({', '.join(locked)}), as an indirect dependency")
    observed = "; ".join(parts) or f"neither imported ({', '.join(modules) or '-'}) nor declared"
    if claim.negated:
        if imports:
            return inconsistent(expected, observed, "the group's code imports it", imports)
        return consistent(expected, observed, "not imported by the group's code", decl)
    if imports:
        return consistent(expected, observed, "the group's code imports it", imports + decl[:1])
    if decl and name in COMMAND_FRAMEWORKS:
        return consistent(expected, observed, "declared; it is mostly used as a command", decl)
    if decl:
        return unverifiable(
            expected,
            "declared, but no Python file or notebook of the group imports it "
            "(it may be used through configuration or a command)",
            decl,
            observed,
        )
    if locked:
        return unverifiable(
            expected, "only an indirect dependency in a lock file; not imported", [], observed
        )
    return inconsistent(expected, observed, "neither imported nor declared")


# ------------------------------------------------------------------------ load testing

_K6_IMPORT = re.compile(r"""from\s+['"]k6(/http)?['"]""")
LOAD_PROGRAMS = {
    "locust": ("locust",),
    "k6": ("k6",),
    "jmeter": ("jmeter",),
    "artillery": ("artillery",),
    "vegeta": ("vegeta",),
    "wrk": ("wrk",),
    "apache-bench": ("ab",),
    "gatling": ("gatling", "gatling.sh"),
}


def load_traces(snap: Snapshot, tool: str) -> Traces:
    traces = Traces()
    if tool == "locust":
        for path in own_python_files(snap):
            if "locust" not in (snap.text(path) or ""):
                continue
            idx = py_index(snap, path)
            if idx is None or idx.error:
                continue
            for cls in idx.classes:
                if any(b in LOCUST_USERS for b in (*cls.resolved_bases, *cls.bases)):
                    traces.strong.append(evidence(snap, path, cls.line, f"Locust user {cls.name}"))
                    break
    elif tool == "k6":
        for path in own_files(snap):
            if posixpath.splitext(path)[1] in (".js", ".ts"):
                for number, line in enumerate(snap.lines(path)[:50], start=1):
                    if _K6_IMPORT.search(line):
                        traces.strong.append(evidence(snap, path, number, "k6 script"))
                        break
    elif tool == "jmeter":
        traces.strong += [
            evidence(snap, p, 1, "JMeter test plan") for p in own_files(snap) if p.endswith(".jmx")
        ]
    elif tool == "artillery":
        for path in own_files(snap):
            if path.endswith((".yml", ".yaml")) and "artillery" in path.lower():
                traces.strong.append(evidence(snap, path, 1, "Artillery scenario file"))
    names = LOAD_PROGRAMS.get(tool, (tool,))
    for cl in command_lines(snap):
        if any(prog in names for prog, _a in programs(cl.text)):
            traces.strong.append(evidence(snap, cl.path, cl.line, f"{cl.where} runs {tool}"))
            break
    for path, req in declared_dependencies(snap).requirements:
        if req.name == normalize_name(tool):
            traces.weak.append(evidence(snap, path, req.line, f"{tool} declared"))
            break
    return traces


@claim_check("load-test-tool")
def check_load_test_tool(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """The load testing tool named vs. its scripts (locustfile, k6 script, ...) and runs."""

    tool = str(claim.value).lower()
    expected = f"{'no ' if claim.negated else ''}load testing with {tool}"
    traces = load_traces(snap, tool)
    if not claim.negated and not traces.strong and traces.weak:
        return unverifiable(
            expected,
            f"{tool} is declared, but there is no test script or run of it",
            traces.weak,
            traces.summary(),
        )
    return _verdict(claim, expected, traces, f"no {tool} script, run or declaration")
