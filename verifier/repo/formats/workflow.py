"""GitHub Actions workflow files, parsed into line-numbered jobs, matrices and steps.

Only the structure that probes ask about is kept: triggers and their path filters, jobs with
their runner labels, build matrix, the operating systems and Python versions they resolve to,
and steps (``uses`` / ``run`` / ``with``). ``${{ matrix.<key> }}`` expressions are expanded
over the matrix values; other expressions are left as written.

YAML 1.1 reads ``on:`` as the boolean ``True`` and ``3.10`` as the float ``3.1``; the first is
undone here, the second is kept, because GitHub reads the file the same way (a matrix entry
``3.10`` really runs Python 3.1).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from verifier.repo.formats.yamlnodes import LineDict, LineList, key_line, load_yaml, value_line

_MATRIX_EXPR = re.compile(r"\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}")
_ANY_EXPR = re.compile(r"\$\{\{.*?\}\}")
_OS_LABEL = re.compile(r"^(ubuntu|windows|macos)(-[\w.]+)?$", re.IGNORECASE)
_PYTHON_KEY = re.compile(r"^(python|py)([-_]?versions?)?$", re.IGNORECASE)
_MAX_COMBINATIONS = 4096


@dataclass(frozen=True)
class Step:
    """One step of a job; ``line`` is the line of the step's first key."""

    line: int
    name: str | None
    uses: str | None
    run: str | None
    with_: dict[str, Any]
    id: str | None = None
    run_line: int | None = None  # line where the ``run`` text starts (after ``|``)
    env: dict[str, Any] = field(default_factory=dict)
    if_: str | None = None
    with_lines: dict[str, int] = field(default_factory=dict)

    @property
    def action(self) -> str | None:
        """The ``uses`` reference without its ``@ref`` (``actions/setup-python``)."""
        if self.uses is None:
            return None
        return self.uses.split("@", 1)[0].strip()

    @property
    def action_ref(self) -> str | None:
        if self.uses is None or "@" not in self.uses:
            return None
        return self.uses.split("@", 1)[1].strip()

    def run_commands(self) -> list[tuple[int, str]]:
        """Each command of the ``run`` script with its own absolute line.

        Blank lines and ``#`` comments are dropped, trailing comments are cut (outside
        quotes), and lines continued with ``\\`` are joined onto the first line's number.
        Folded (``>``) scalars lose their line structure in YAML; there the numbers are
        approximate.
        """
        if not self.run:
            return []
        start = self.run_line or self.line
        commands: list[tuple[int, str]] = []
        pending: list[str] = []
        pending_line = start
        for offset, physical in enumerate(self.run.split("\n")):
            text = _strip_shell_comment(physical).strip()
            if not pending and not text:
                continue
            if not pending:
                pending_line = start + offset
            if text.endswith("\\"):
                pending.append(text[:-1].strip())
                continue
            pending.append(text)
            joined = " ".join(part for part in pending if part)
            pending = []
            if joined:
                commands.append((pending_line, joined))
        if pending:
            joined = " ".join(part for part in pending if part)
            if joined:
                commands.append((pending_line, joined))
        return commands


def _strip_shell_comment(line: str) -> str:
    """Cut a ``#`` comment that starts a word outside quotes."""
    quote: str | None = None
    prev = " "
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
        elif ch == "#" and prev.isspace():
            return line[:i]
        prev = ch
    return line


@dataclass
class Job:
    """One job of a workflow; ``runs_on`` and ``oses`` are resolved through the matrix."""

    id: str
    line: int
    name: str | None
    runs_on_raw: Any
    runs_on: list[str]
    matrix: dict[str, list[Any]]
    oses: set[str]
    python_versions: set[str]
    steps: list[Step]
    matrix_line: int | None = None
    matrix_combinations: list[dict[str, Any]] = field(default_factory=list)
    matrix_dynamic: bool = False  # the matrix is an expression (``fromJSON(...)``)
    python_version_files: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    uses_workflow: str | None = None  # a reusable workflow called by the job
    if_: str | None = None
    env: dict[str, Any] = field(default_factory=dict)

    def uses(self, action_prefix: str) -> list[Step]:
        """Steps whose action (``uses`` without ``@ref``) starts with ``action_prefix``.

        The comparison ignores case, as GitHub does for owner and repository names.
        """
        prefix = action_prefix.lower()
        return [s for s in self.steps if s.action and s.action.lower().startswith(prefix)]

    def os_families(self) -> set[str]:
        """``linux`` / ``windows`` / ``macos`` for the resolved runner labels."""
        return {_os_family(label) for label in self.oses}


@dataclass
class Workflow:
    path: str
    name: str | None = None
    triggers: dict[str, Any] = field(default_factory=dict)
    trigger_line: int | None = None
    paths: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    branches: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    jobs: list[Job] = field(default_factory=list)
    env: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    def all_steps(self) -> list[tuple[Job, Step]]:
        """Every step of every job, with its job, in file order."""
        return [(job, step) for job in self.jobs for step in job.steps]

    def job(self, job_id: str) -> Job | None:
        return next((j for j in self.jobs if j.id == job_id), None)

    def uses(self, action_prefix: str) -> list[tuple[Job, Step]]:
        return [(job, step) for job in self.jobs for step in job.uses(action_prefix)]

    @property
    def oses(self) -> set[str]:
        return set().union(*(j.oses for j in self.jobs)) if self.jobs else set()

    @property
    def python_versions(self) -> set[str]:
        return set().union(*(j.python_versions for j in self.jobs)) if self.jobs else set()


def _os_family(label: str) -> str:
    low = label.lower()
    if low.startswith("ubuntu"):
        return "linux"
    if low.startswith("windows"):
        return "windows"
    if low.startswith("macos"):
        return "macos"
    return low


def _str_or_none(value: Any) -> str | None:
    if value is None:
        return None
    return _scalar_str(value)


def _scalar_str(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return list(value)
    return [value]


def _plain(value: Any) -> Any:
    """Copy a loaded value into plain dicts and lists (dropping line bookkeeping)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _hashable_value(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((str(k), _hashable_value(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_hashable_value(v) for v in value)
    return value


def _normalise_triggers(on: Any) -> dict[str, Any]:
    if on is None:
        return {}
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {_scalar_str(e): None for e in on if isinstance(e, str | int | float | bool)}
    if isinstance(on, dict):
        return {_scalar_str(k): _plain(v) for k, v in on.items()}
    return {}


def _filters(triggers: dict[str, Any], keys: tuple[str, ...]) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {}
    for event, conf in triggers.items():
        if not isinstance(conf, dict):
            continue
        found = {k: [_scalar_str(v) for v in _as_list(conf[k])] for k in keys if k in conf}
        if found:
            out[event] = found
    return out


def _include_applies(combo: dict[str, Any], entry: dict[str, Any], base_keys: set[str]) -> bool:
    """An include entry extends a combination when it overwrites none of its matrix values."""
    return all(combo[k] == v for k, v in entry.items() if k in base_keys and k in combo)


def _expand_matrix(matrix: dict[str, Any]) -> list[dict[str, Any]]:
    """The job combinations GitHub would run: product, minus ``exclude``, plus ``include``."""
    base = {k: _as_list(v) for k, v in matrix.items() if k not in ("include", "exclude")}
    base = {k: v for k, v in base.items() if v}
    combos: list[dict[str, Any]] = []
    if base:
        keys = list(base)
        for values in itertools.islice(itertools.product(*base.values()), _MAX_COMBINATIONS):
            combos.append(dict(zip(keys, values, strict=True)))
    excludes = [e for e in _as_list(matrix.get("exclude")) if isinstance(e, dict)]
    combos = [
        c for c in combos if not any(all(c.get(k) == v for k, v in e.items()) for e in excludes)
    ]
    originals = [dict(c) for c in combos]
    base_keys = set(base)
    for entry in _as_list(matrix.get("include")):
        if not isinstance(entry, dict):
            continue
        entry = {k: _plain(v) for k, v in entry.items()}
        matched = False
        for combo, original in zip(combos, originals, strict=False):
            if _include_applies(original, entry, base_keys):
                combo.update(entry)
                matched = True
        if not matched:
            combos.append(dict(entry))
    return combos


def _matrix_values(combos: list[dict[str, Any]]) -> dict[str, list[Any]]:
    values: dict[str, list[Any]] = {}
    seen: dict[str, set[Any]] = {}
    for combo in combos:
        for k, v in combo.items():
            key = _scalar_str(k)
            marker = _hashable_value(v)
            if marker in seen.setdefault(key, set()):
                continue
            seen[key].add(marker)
            values.setdefault(key, []).append(v)
    return values


def _resolve(text: str, combos: list[dict[str, Any]]) -> list[str]:
    """Expand ``${{ matrix.x }}`` in ``text`` once per matrix combination.

    A combination without the key gives an empty string, as on GitHub; when no combination
    resolves (no matrix, unknown key) the text is returned as written.
    """
    if not combos or not _MATRIX_EXPR.search(text):
        return [text]
    results: list[str] = []
    for combo in combos:

        def sub(m: re.Match[str], combo: dict[str, Any] = combo) -> str:
            value = combo.get(m.group(1))
            if value is None:
                return ""
            if isinstance(value, dict | list):
                return m.group(0)
            return _scalar_str(value)

        resolved = _MATRIX_EXPR.sub(sub, text).strip()
        if resolved and resolved not in results:
            results.append(resolved)
    return results or [text]


def _resolve_any(value: Any, combos: list[dict[str, Any]]) -> list[Any]:
    """Resolve a value that may itself be a matrix expression, a list or a scalar."""
    if isinstance(value, str):
        m = _MATRIX_EXPR.fullmatch(value.strip())
        if m and combos:
            out: list[Any] = []
            for combo in combos:
                if m.group(1) in combo:
                    for item in _as_list(combo[m.group(1)]):
                        if item not in out:
                            out.append(item)
            return out or [value]
        return _resolve(value, combos)
    if isinstance(value, list):
        flat: list[Any] = []
        for item in value:
            flat.extend(_resolve_any(item, combos))
        return flat
    if isinstance(value, dict):
        # runs-on: {group: ..., labels: [...]}
        return _resolve_any(value.get("labels"), combos) if "labels" in value else []
    if value is None:
        return []
    return [value]


def _python_versions_from(value: Any, combos: list[dict[str, Any]]) -> set[str]:
    out: set[str] = set()
    for item in _resolve_any(value, combos):
        if isinstance(item, str):
            for part in re.split(r"[\n,]", item):
                part = part.strip()
                if part and not _ANY_EXPR.search(part):
                    out.add(part)
        elif item is not None and not isinstance(item, dict | list | bool):
            out.add(str(item))
    return out


_VERSION_WORD = re.compile(r"^(\d+(\.\d+){0,2}|pypy\S*|\$\{\{\s*matrix\.[\w-]+\s*\}\})$")
_UV_INSTALL = re.compile(r"\buv\s+python\s+install\b([^;&|\n]*)")
_PYTHON_OPTION = re.compile(r"\buv\s[^;&|\n]*?--python[=\s]+(\S+)")


def _run_python_versions(script: str) -> list[str]:
    """Versions named by ``uv python install 3.12`` or ``uv ... --python 3.12`` in a script."""
    found: list[str] = []
    for m in _UV_INSTALL.finditer(script):
        words = re.findall(r"\$\{\{.*?\}\}|\S+", m.group(1))
        found.extend(w for w in words if _VERSION_WORD.match(w))
    for m in _PYTHON_OPTION.finditer(script):
        if _VERSION_WORD.match(m.group(1)):
            found.append(m.group(1))
    return found


def _parse_step(raw: Any, index: int, steps_node: Any) -> Step | None:
    line = steps_node.line_at(index) if isinstance(steps_node, LineList) else 0
    if not isinstance(raw, dict):
        return None
    with_raw = raw.get("with")
    with_ = (
        {_scalar_str(k): _plain(v) for k, v in with_raw.items()}
        if isinstance(with_raw, dict)
        else {}
    )
    with_lines = (
        {_scalar_str(k): v for k, v in with_raw.key_lines.items()}
        if isinstance(with_raw, LineDict)
        else {}
    )
    run = raw.get("run")
    env = raw.get("env")
    return Step(
        line=line,
        name=_str_or_none(raw.get("name")),
        uses=_str_or_none(raw.get("uses")),
        run=_str_or_none(run),
        with_=with_,
        id=_str_or_none(raw.get("id")),
        run_line=value_line(raw, "run", line) if run is not None else None,
        env={_scalar_str(k): _plain(v) for k, v in env.items()} if isinstance(env, dict) else {},
        if_=_str_or_none(raw.get("if")),
        with_lines=with_lines,
    )


def _parse_job(job_id: str, raw: Any, line: int) -> Job:
    if not isinstance(raw, dict):
        raw = {}
    strategy = raw.get("strategy")
    matrix_raw = strategy.get("matrix") if isinstance(strategy, dict) else None
    combos: list[dict[str, Any]] = []
    dynamic = False
    matrix_line = None
    if isinstance(matrix_raw, dict):
        combos = _expand_matrix(matrix_raw)
        matrix_line = key_line(strategy, "matrix") or None
    elif isinstance(matrix_raw, str):
        dynamic = True
        matrix_line = key_line(strategy, "matrix") or None
    matrix = _matrix_values(combos)

    runs_on_raw = _plain(raw.get("runs-on"))
    runs_on = [_scalar_str(v) for v in _resolve_any(runs_on_raw, combos) if v is not None]
    oses = {label for label in runs_on if _OS_LABEL.match(label.strip())}

    steps_node = raw.get("steps")
    steps: list[Step] = []
    if isinstance(steps_node, list):
        for i, step_raw in enumerate(steps_node):
            step = _parse_step(step_raw, i, steps_node)
            if step is not None:
                steps.append(step)

    pythons: set[str] = set()
    for key, values in matrix.items():
        if _PYTHON_KEY.match(key):
            pythons |= _python_versions_from(values, combos)
    version_files: list[str] = []
    job_env = raw.get("env") if isinstance(raw.get("env"), dict) else {}
    if "UV_PYTHON" in job_env:
        pythons |= _python_versions_from(job_env["UV_PYTHON"], combos)
    for step in steps:
        if step.run:
            pythons |= _python_versions_from(_run_python_versions(step.run), combos)
        if "UV_PYTHON" in step.env:
            pythons |= _python_versions_from(step.env["UV_PYTHON"], combos)
        action = (step.action or "").lower()
        if not (
            action.startswith("actions/setup-python") or action.startswith("astral-sh/setup-uv")
        ):
            continue
        if "python-version" in step.with_:
            pythons |= _python_versions_from(step.with_["python-version"], combos)
        if "python-version-file" in step.with_:
            version_files.append(_scalar_str(step.with_["python-version-file"]))

    env = raw.get("env")
    return Job(
        id=job_id,
        line=line,
        name=_str_or_none(raw.get("name")),
        runs_on_raw=runs_on_raw,
        runs_on=runs_on,
        matrix=matrix,
        oses=oses,
        python_versions=pythons,
        steps=steps,
        matrix_line=matrix_line,
        matrix_combinations=combos,
        matrix_dynamic=dynamic,
        python_version_files=version_files,
        needs=[_scalar_str(n) for n in _as_list(raw.get("needs"))],
        uses_workflow=_str_or_none(raw.get("uses")),
        if_=_str_or_none(raw.get("if")),
        env={_scalar_str(k): _plain(v) for k, v in env.items()} if isinstance(env, dict) else {},
    )


def parse_workflow(path: str, text: str) -> Workflow:
    """Parse a workflow file; never raises (problems land in ``Workflow.error``)."""
    wf = Workflow(path=path)
    try:
        return _parse(wf, text)
    except Exception as exc:  # the contract is "never raise"; keep the reason
        wf.error = f"could not read workflow: {type(exc).__name__}: {exc}"
        return wf


def _parse(wf: Workflow, text: str) -> Workflow:
    loaded = load_yaml(text)
    if loaded.error:
        wf.error = loaded.error
        return wf
    doc = loaded.data
    if doc is None:
        wf.error = "empty workflow file"
        return wf
    if not isinstance(doc, dict):
        wf.error = f"workflow is a YAML {type(doc).__name__}, not a mapping"
        return wf

    on_key = next((k for k in (True, "on", "On", "ON") if k in doc), None)
    if on_key is not None:
        wf.triggers = _normalise_triggers(doc[on_key])
        wf.trigger_line = key_line(doc, on_key) or None
    wf.paths = _filters(wf.triggers, ("paths", "paths-ignore"))
    wf.branches = _filters(wf.triggers, ("branches", "branches-ignore", "tags", "tags-ignore"))
    wf.name = _str_or_none(doc.get("name"))
    env = doc.get("env")
    wf.env = {_scalar_str(k): _plain(v) for k, v in env.items()} if isinstance(env, dict) else {}

    jobs = doc.get("jobs")
    if isinstance(jobs, dict):
        for job_id, job_raw in jobs.items():
            wf.jobs.append(_parse_job(_scalar_str(job_id), job_raw, key_line(jobs, job_id)))
    elif jobs is not None:
        wf.error = "'jobs' is not a mapping"
    return wf
