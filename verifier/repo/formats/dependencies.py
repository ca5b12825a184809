"""Declared dependencies: requirements files, pyproject.toml, lock files, conda environments.

Names are normalised per PEP 503 (``Scikit_Learn`` → ``scikit-learn``). PEP 508 strings are
split by hand into name, extras, version specifier, URL and marker (no third-party parser).

Line numbers in TOML are an approximation: ``tomllib`` gives none, so after parsing, the text
is scanned for the table header (``[tool.poetry.dependencies]``), then for the key inside that
table (``numpy = ...``) and, for array items, for the quoted string after the key. That is
right for files written the usual way (one item per line, tables in header form) and falls
back to the key's or the table's line otherwise.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.resources
import re
import sys
import tomllib
from dataclasses import dataclass, field
from typing import Any

import yaml

from verifier.repo.formats.yamlnodes import LineList, load_yaml

_NAME = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*")
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_ARCHIVE = re.compile(r"([A-Za-z0-9][A-Za-z0-9._]*?)-\d[^/]*\.(?:whl|tar\.gz|zip|tar\.bz2)$")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^git\+|^hg\+|^svn\+|^bzr\+|^file:")
_COMMENT = re.compile(r"(^|\s)#.*$")
_TRAILING_OPTION = re.compile(r"\s--?[A-Za-z][A-Za-z-]*(?:[=\s]\S+)?")

STDLIB_MODULES: frozenset[str] = frozenset(sys.stdlib_module_names)


def normalize_name(name: str) -> str:
    """PEP 503 normalised form of a distribution name."""
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


def is_stdlib(module: str) -> bool:
    """Whether the top-level package of a dotted module name is in the standard library."""
    return module.split(".", 1)[0] in STDLIB_MODULES


@functools.lru_cache(maxsize=1)
def _import_map() -> dict[str, tuple[str, ...]]:
    try:
        resource = importlib.resources.files("verifier").joinpath("data/import_names.yaml")
        data = yaml.safe_load(resource.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, ModuleNotFoundError):
        return {}
    if not isinstance(data, dict):
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for key, value in data.items():
        values = value if isinstance(value, list) else [value]
        out[str(key)] = tuple(normalize_name(str(v)) for v in values if v)
    return out


def import_to_distributions(module: str) -> list[str]:
    """Distributions that may provide ``module`` (``sklearn.metrics`` → ``["scikit-learn"]``).

    The curated map is tried for the full dotted name, then each parent; a name that is not
    in the map gives its top-level package, normalised. Standard-library modules give ``[]``.
    """
    module = module.strip().strip(".")
    if not module:
        return []
    mapping = _import_map()
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        hit = mapping.get(".".join(parts[:end]))
        if hit:
            return list(hit)
    if is_stdlib(module):
        return []
    return [normalize_name(parts[0])]


# --------------------------------------------------------------------------- PEP 508


@dataclass(frozen=True)
class Requirement:
    """One declared dependency.

    ``name`` is PEP 503 normalised, or ``None`` for unnamed ones (``-e .``, a bare path or a
    VCS URL without ``#egg=``). ``source`` tells where it was declared: ``requirements``,
    ``project``, ``optional:<extra>``, ``group:<name>``, ``poetry``, ``poetry:<group>``,
    ``uv-dev``, ``conda-pip``.
    """

    name: str | None
    raw: str
    line: int
    extras: tuple[str, ...] = ()
    specifier: str = ""
    marker: str | None = None
    url: str | None = None
    editable: bool = False
    source: str = "requirements"
    declared_name: str | None = None  # as written, before normalisation


@dataclass(frozen=True)
class Include:
    """A ``-r other.txt`` (kind ``requirement``) or ``-c constraints.txt`` (``constraint``)."""

    kind: str
    target: str
    line: int


class RequirementList(list[Requirement]):
    """The requirements of one file, plus the files it includes and any problem."""

    includes: list[Include]
    error: str | None

    def __init__(self) -> None:
        super().__init__()
        self.includes = []
        self.error = None

    def names(self) -> set[str]:
        return {r.name for r in self if r.name}


def _split_marker(text: str) -> tuple[str, str | None]:
    if ";" not in text:
        return text, None
    # a URL may contain ';' — PEP 508 requires whitespace before the marker separator there
    m = re.search(r"\s;|;\s|;(?=[a-z_])", text)
    if m is None:
        return text, None
    return text[: m.start()], text[m.end() :].strip() or None


def _name_from_url(url: str) -> str | None:
    m = _EGG.search(url)
    if m:
        return m.group(1)
    tail = url.split("#", 1)[0].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    m = _ARCHIVE.match(tail)
    return m.group(1) if m else None


def parse_pep508(
    text: str, line: int = 0, source: str = "requirements", editable: bool = False
) -> Requirement | None:
    """Split a PEP 508 string (or a bare URL / path) into a :class:`Requirement`.

    Returns ``None`` for empty text; never raises.
    """
    raw = text.strip()
    if not raw:
        return None
    body, marker = _split_marker(raw)
    body = body.strip()
    if _URL.match(body) or body.startswith((".", "/", "~")) or re.match(r"^[A-Za-z]:[\\/]", body):
        extras: tuple[str, ...] = ()
        m = re.search(r"\[([^\]]*)\]$", body)
        if m and not _URL.match(body):
            extras = tuple(e.strip() for e in m.group(1).split(",") if e.strip())
            body = body[: m.start()]
        declared = _name_from_url(body)
        return Requirement(
            name=normalize_name(declared) if declared else None,
            raw=raw,
            line=line,
            extras=extras,
            marker=marker,
            url=body,
            editable=editable,
            source=source,
            declared_name=declared,
        )
    m = _NAME.match(body)
    if not m:
        return Requirement(None, raw, line, source=source, editable=editable, marker=marker)
    declared = m.group(1)
    rest = body[m.end() :]
    extras = ()
    em = re.match(r"\[([^\]]*)\]\s*", rest)
    if em:
        extras = tuple(e.strip() for e in em.group(1).split(",") if e.strip())
        rest = rest[em.end() :]
    url = None
    if rest.startswith("@"):
        url = rest[1:].strip() or None
        rest = ""
    spec = rest.strip()
    if spec.startswith("(") and spec.endswith(")"):
        spec = spec[1:-1].strip()
    spec = re.sub(r"\s+", "", spec)
    return Requirement(
        name=normalize_name(declared),
        raw=raw,
        line=line,
        extras=extras,
        specifier=spec,
        marker=marker,
        url=url,
        editable=editable,
        source=source,
        declared_name=declared,
    )


# --------------------------------------------------------------------------- requirements.txt

_INCLUDE_OPTS = {
    "-r": "requirement",
    "--requirement": "requirement",
    "-c": "constraint",
    "--constraint": "constraint",
}
_EDITABLE_OPTS = ("-e", "--editable")


def _logical_requirement_lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 0
    for number, physical in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        # a comment ends the line even when continued (pip strips comments first)
        stripped = _COMMENT.sub("", physical).rstrip()
        if stripped.endswith("\\"):
            pending.append(stripped[:-1])
            continue
        pending.append(stripped)
        out.append((start, " ".join(pending).strip()))
        pending = []
    if pending:
        out.append((start, " ".join(pending).strip()))
    return out


def _option_value(line: str, options: tuple[str, ...]) -> str | None:
    for opt in sorted(options, key=len, reverse=True):
        if line == opt:
            return ""
        if line.startswith(opt + "=") or line.startswith(opt + " "):
            return line[len(opt) + 1 :].strip()
        if len(opt) == 2 and line.startswith(opt) and not line.startswith(opt + "-"):
            return line[2:].strip()  # "-rrequirements.txt"
    return None


def parse_requirement_line(line_text: str, line: int, source: str = "requirements") -> Any:
    """One logical requirements line: a :class:`Requirement`, an :class:`Include` or ``None``."""
    text = line_text.strip()
    if not text:
        return None
    if text.startswith("-"):
        for opt, kind in _INCLUDE_OPTS.items():
            value = _option_value(text, (opt,))
            if value is not None:
                return Include(kind, value.split()[0] if value else "", line)
        value = _option_value(text, _EDITABLE_OPTS)
        if value is not None:
            return parse_pep508(value, line, source=source, editable=True)
        return None  # --index-url, --find-links, --hash, --pre, ... : options, not packages
    text = _TRAILING_OPTION.sub("", " " + text).strip() if " -" in text else text
    return parse_pep508(text, line, source=source)


def parse_requirements(path: str, text: str) -> RequirementList:
    """Parse a pip requirements file. Never raises; returns a list with ``includes``/``error``."""
    result = RequirementList()
    if not isinstance(text, str):
        result.error = "not text"
        return result
    if "\x00" in text:
        result.error = "binary content (NUL bytes)"
        return result
    try:
        for line, logical in _logical_requirement_lines(text.lstrip("\ufeff")):
            item = parse_requirement_line(logical, line)
            if isinstance(item, Include):
                result.includes.append(item)
            elif isinstance(item, Requirement):
                result.append(item)
    except Exception as exc:  # the contract is "never raise"
        result.error = f"could not read requirements: {type(exc).__name__}: {exc}"
    return result


# --------------------------------------------------------------------------- TOML line finder


def _split_dotted(header: str) -> tuple[str, ...]:
    parts = re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', header)
    return tuple(p.strip().strip("\"'").strip() for p in parts if p.strip())


class _TomlLines:
    """Approximate line lookup in TOML text (see the module docstring)."""

    _HEADER = re.compile(r"^\s*\[\[?\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: list[tuple[int, tuple[str, ...]]] = []
        for number, line in enumerate(self.lines, start=1):
            m = self._HEADER.match(line)
            if m:
                self.headers.append((number, _split_dotted(m.group(1))))

    def table_line(self, path: tuple[str, ...]) -> int | None:
        for number, header in self.headers:
            if header == path:
                return number
        return None

    def table_prefix_line(self, path: tuple[str, ...]) -> int | None:
        """Line of the first header at or below ``path`` (``[tool.ruff.lint]`` for tool.ruff)."""
        for number, header in self.headers:
            if header[: len(path)] == path:
                return number
        return None

    def _range(self, path: tuple[str, ...]) -> tuple[int, int]:
        """1-based [start, end) line range of the table's body; the preamble for ``()``."""
        start = 1 if not path else self.table_line(path)
        if start is None:
            return (0, 0)
        following = [n for n, _ in self.headers if n > start or (not path and n >= start)]
        end = min(following) if following else len(self.lines) + 1
        return (start if not path else start + 1, end)

    def key_line(self, path: tuple[str, ...], key: str) -> int | None:
        start, end = self._range(path)
        pattern = re.compile(
            r"^\s*(?:"
            + re.escape(key)
            + r"|\""
            + re.escape(key)
            + r"\"|'"
            + re.escape(key)
            + r"')\s*[=.]"
        )
        for number in range(start, end):
            if pattern.match(self.lines[number - 1]):
                return number
        if path:  # dotted key in the parent table: ``[project] scripts.train = ...``
            parent_start, parent_end = self._range(path[:-1])
            dotted = re.compile(
                r"^\s*" + re.escape(path[-1]) + r"\s*\.\s*" + re.escape(key) + r"\s*="
            )
            for number in range(parent_start, parent_end):
                if dotted.match(self.lines[number - 1]):
                    return number
        return None

    def item_line(self, path: tuple[str, ...], key: str, value: str) -> int | None:
        """Line of a string item in the array ``key`` of table ``path``."""
        key_at = self.key_line(path, key)
        if key_at is None:
            return self.table_line(path)
        _, end = self._range(path)
        quoted = (f'"{value}"', f"'{value}'", f'"""{value}', f"'''{value}")
        for number in range(key_at, max(end, key_at + 1)):
            if number - 1 < len(self.lines) and any(q in self.lines[number - 1] for q in quoted):
                return number
        return key_at


# --------------------------------------------------------------------------- pyproject.toml


@dataclass(frozen=True)
class Script:
    name: str
    target: str
    line: int
    source: str = "project"  # or "poetry"


@dataclass
class PyprojectDeps:
    path: str
    project_name: str | None = None
    requires_python: str | None = None
    dependencies: list[Requirement] = field(default_factory=list)  # [project] dependencies
    optional: dict[str, list[Requirement]] = field(default_factory=dict)
    groups: dict[str, list[Requirement]] = field(default_factory=dict)  # PEP 735
    poetry: list[Requirement] = field(default_factory=list)  # [tool.poetry.dependencies]
    poetry_groups: dict[str, list[Requirement]] = field(default_factory=dict)
    uv_dev: list[Requirement] = field(default_factory=list)  # [tool.uv] dev-dependencies
    scripts: list[Script] = field(default_factory=list)
    build_backend: str | None = None
    build_requires: list[str] = field(default_factory=list)
    build_backend_line: int | None = None
    tools: dict[str, int] = field(default_factory=dict)  # "ruff" -> line of [tool.ruff...]
    sections: dict[str, int] = field(default_factory=dict)  # "project" -> line of [project]
    error: str | None = None

    def all_requirements(self) -> list[Requirement]:
        """Every declared dependency, runtime first."""
        out = list(self.dependencies) + list(self.poetry)
        for group in (self.optional, self.groups, self.poetry_groups):
            for reqs in group.values():
                out.extend(reqs)
        out.extend(self.uv_dev)
        return out

    def names(self) -> set[str]:
        return {r.name for r in self.all_requirements() if r.name}

    def has_tool(self, name: str) -> bool:
        return name in self.tools


def _string_list(
    values: Any, lines: _TomlLines, path: tuple[str, ...], key: str, source: str
) -> list[Requirement]:
    out: list[Requirement] = []
    if not isinstance(values, list):
        return out
    for value in values:
        if not isinstance(value, str):
            continue  # {include-group = "..."} and other tables
        line = lines.item_line(path, key, value) or 0
        req = parse_pep508(value, line, source=source)
        if req is not None:
            out.append(req)
    return out


def _poetry_requirement(name: str, spec: Any, line: int, source: str) -> Requirement:
    extras: tuple[str, ...] = ()
    specifier = ""
    marker = None
    url = None
    if isinstance(spec, list):  # multiple-constraint form: take the first
        spec = spec[0] if spec else ""
    if isinstance(spec, str):
        specifier = spec.strip()
    elif isinstance(spec, dict):
        specifier = str(spec.get("version", "")).strip()
        extras = tuple(str(e) for e in spec.get("extras", []) if isinstance(e, str))
        marker = spec.get("markers") if isinstance(spec.get("markers"), str) else None
        for key in ("git", "url", "path"):
            if isinstance(spec.get(key), str):
                url = spec[key]
                break
    raw = f"{name} = {spec!r}" if not isinstance(spec, str) else f'{name} = "{spec}"'
    return Requirement(
        name=normalize_name(name),
        raw=raw,
        line=line,
        extras=extras,
        specifier="" if specifier == "*" else specifier,
        marker=marker,
        url=url,
        source=source,
        declared_name=name,
    )


def _poetry_table(
    table: Any, lines: _TomlLines, path: tuple[str, ...], source: str, deps: PyprojectDeps
) -> list[Requirement]:
    out: list[Requirement] = []
    if not isinstance(table, dict):
        return out
    for name, spec in table.items():
        if name.lower() == "python":
            if deps.requires_python is None and isinstance(spec, str):
                deps.requires_python = spec
            continue
        line = lines.key_line(path, name) or lines.table_line(path) or 0
        out.append(_poetry_requirement(str(name), spec, line, source))
    return out


def parse_pyproject(path: str, text: str) -> PyprojectDeps:
    """Parse the dependency-related parts of a pyproject.toml; never raises."""
    deps = PyprojectDeps(path=path)
    if not isinstance(text, str):
        deps.error = "not text"
        return deps
    try:
        data = tomllib.loads(text.lstrip("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        deps.error = f"TOML error: {exc}"
        return deps
    except (ValueError, RecursionError) as exc:
        deps.error = f"TOML error: {type(exc).__name__}: {exc}"
        return deps
    try:
        _fill_pyproject(deps, data, _TomlLines(text.lstrip("\ufeff")))
    except Exception as exc:  # the contract is "never raise"
        deps.error = f"could not read pyproject: {type(exc).__name__}: {exc}"
    return deps


def _table(data: Any, *keys: str) -> dict[str, Any]:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def _fill_pyproject(deps: PyprojectDeps, data: dict[str, Any], lines: _TomlLines) -> None:
    for section in data:
        line = lines.table_prefix_line((section,))
        if line is not None:
            deps.sections[section] = line

    project = _table(data, "project")
    if isinstance(project.get("name"), str):
        deps.project_name = project["name"]
    if isinstance(project.get("requires-python"), str):
        deps.requires_python = project["requires-python"]
    deps.dependencies = _string_list(
        project.get("dependencies"), lines, ("project",), "dependencies", "project"
    )
    optional_path = ("project", "optional-dependencies")
    for extra, values in _table(project, "optional-dependencies").items():
        if lines.table_line(optional_path) is not None:
            reqs = _string_list(values, lines, optional_path, extra, f"optional:{extra}")
        else:  # inline table under [project]
            reqs = _string_list(values, lines, ("project",), "optional-dependencies", "")
            reqs = [_with_source(r, f"optional:{extra}") for r in reqs]
        deps.optional[str(extra)] = reqs
    for group, values in _table(data, "dependency-groups").items():
        deps.groups[str(group)] = _string_list(
            values, lines, ("dependency-groups",), group, f"group:{group}"
        )

    for name, target in _table(project, "scripts").items():
        line = lines.key_line(("project", "scripts"), name) or 0
        deps.scripts.append(Script(str(name), str(target), line, "project"))

    poetry = _table(data, "tool", "poetry")
    if poetry:
        if deps.project_name is None and isinstance(poetry.get("name"), str):
            deps.project_name = poetry["name"]
        deps.poetry = _poetry_table(
            poetry.get("dependencies"),
            lines,
            ("tool", "poetry", "dependencies"),
            "poetry",
            deps,
        )
        for group, conf in _table(poetry, "group").items():
            group_path = ("tool", "poetry", "group", str(group), "dependencies")
            deps.poetry_groups.setdefault(str(group), []).extend(
                _poetry_table(
                    _table(conf, "dependencies"), lines, group_path, f"poetry:{group}", deps
                )
            )
        legacy = poetry.get("dev-dependencies")
        if isinstance(legacy, dict):
            deps.poetry_groups.setdefault("dev", []).extend(
                _poetry_table(
                    legacy, lines, ("tool", "poetry", "dev-dependencies"), "poetry:dev", deps
                )
            )
        for name, target in _table(poetry, "scripts").items():
            line = lines.key_line(("tool", "poetry", "scripts"), name) or 0
            deps.scripts.append(Script(str(name), str(target), line, "poetry"))

    uv = _table(data, "tool", "uv")
    deps.uv_dev = _string_list(
        uv.get("dev-dependencies"), lines, ("tool", "uv"), "dev-dependencies", "uv-dev"
    )

    build = _table(data, "build-system")
    if isinstance(build.get("build-backend"), str):
        deps.build_backend = build["build-backend"]
        deps.build_backend_line = lines.key_line(("build-system",), "build-backend")
    if isinstance(build.get("requires"), list):
        deps.build_requires = [str(r) for r in build["requires"]]

    for tool in _table(data, "tool"):
        line = (
            lines.table_prefix_line(("tool", str(tool)))
            or lines.key_line(("tool",), str(tool))
            or lines.table_line(("tool",))
            or 0
        )
        deps.tools[str(tool)] = line


def _with_source(req: Requirement, source: str) -> Requirement:
    return dataclasses.replace(req, source=source)


# --------------------------------------------------------------------------- lock files


def parse_lock_packages(path: str, text: str) -> list[str]:
    """Normalised package names of a ``uv.lock`` or ``poetry.lock`` (``[[package]] name``).

    Falls back to a line scan when the TOML does not parse (e.g. a merge conflict left in it).
    Never raises; returns ``[]`` for anything unreadable.
    """
    if not isinstance(text, str):
        return []
    names: list[str] = []
    try:
        data = tomllib.loads(text)
        packages = data.get("package", [])
        if isinstance(packages, list):
            for pkg in packages:
                if isinstance(pkg, dict) and isinstance(pkg.get("name"), str):
                    names.append(normalize_name(pkg["name"]))
    except (tomllib.TOMLDecodeError, ValueError, RecursionError):
        in_package = False
        for line in text.splitlines():
            stripped = line.strip()
            if stripped.startswith("["):
                in_package = stripped == "[[package]]"
                continue
            m = re.match(r'^name\s*=\s*"([^"]+)"', stripped)
            if in_package and m:
                names.append(normalize_name(m.group(1)))
                in_package = False
    seen: set[str] = set()
    return [n for n in names if not (n in seen or seen.add(n))]


# --------------------------------------------------------------------------- environment.yml


@dataclass(frozen=True)
class CondaDependency:
    name: str  # normalised
    spec: str  # version / build part as written ("=3.11", ">=1.2", "")
    raw: str
    line: int
    channel: str | None = None


@dataclass
class CondaEnvironment:
    path: str
    name: str | None = None
    channels: list[str] = field(default_factory=list)
    conda: list[CondaDependency] = field(default_factory=list)
    pip: RequirementList = field(default_factory=RequirementList)
    error: str | None = None

    def names(self) -> set[str]:
        return {d.name for d in self.conda} | self.pip.names()


_CONDA_SPEC = re.compile(r"^(?:([\w.-]+)::)?([A-Za-z0-9_][A-Za-z0-9._-]*)\s*(.*)$")


def parse_environment_yml(path: str, text: str) -> CondaEnvironment:
    """Parse a conda ``environment.yml`` (conda packages plus the ``pip:`` sub-list)."""
    env = CondaEnvironment(path=path)
    loaded = load_yaml(text) if isinstance(text, str) else None
    if loaded is None or loaded.error:
        env.error = loaded.error if loaded else "not text"
        return env
    doc = loaded.data
    if not isinstance(doc, dict):
        env.error = "environment file is not a mapping" if doc is not None else "empty file"
        return env
    if isinstance(doc.get("name"), str):
        env.name = doc["name"]
    env.channels = [str(c) for c in doc.get("channels") or [] if isinstance(c, str)]
    deps = doc.get("dependencies")
    if not isinstance(deps, list):
        return env
    for index, item in enumerate(deps):
        line = deps.line_at(index) if isinstance(deps, LineList) else 0
        if isinstance(item, str | int | float):
            m = _CONDA_SPEC.match(str(item).strip())
            if m:
                env.conda.append(
                    CondaDependency(
                        normalize_name(m.group(2)), m.group(3).strip(), str(item), line, m.group(1)
                    )
                )
        elif isinstance(item, dict) and isinstance(item.get("pip"), list):
            pip_list = item["pip"]
            for j, entry in enumerate(pip_list):
                if not isinstance(entry, str):
                    continue
                pip_line = pip_list.line_at(j) if isinstance(pip_list, LineList) else line
                parsed = parse_requirement_line(entry, pip_line, source="conda-pip")
                if isinstance(parsed, Include):
                    env.pip.includes.append(parsed)
                elif isinstance(parsed, Requirement):
                    env.pip.append(parsed)
    return env


__all__ = [
    "STDLIB_MODULES",
    "CondaDependency",
    "CondaEnvironment",
    "Include",
    "PyprojectDeps",
    "Requirement",
    "RequirementList",
    "Script",
    "import_to_distributions",
    "is_stdlib",
    "normalize_name",
    "parse_environment_yml",
    "parse_lock_packages",
    "parse_pep508",
    "parse_pyproject",
    "parse_requirement_line",
    "parse_requirements",
]
