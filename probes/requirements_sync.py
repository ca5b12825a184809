"""M2/M6: the third-party packages the group's code imports are declared as dependencies.

Every absolute import of the group's non-test Python code is mapped to the distributions
that provide it (``sklearn`` → ``scikit-learn``, curated in ``verifier/data/import_names.yaml``);
standard-library modules and the project's own modules are skipped, and so are imports that
are optional (inside ``try``/``except ImportError``) or only for type checkers
(``if TYPE_CHECKING:``). What remains must be declared somewhere: requirements files,
pyproject.toml (any group or extra), a conda environment, or a lock file (which also lists
indirect dependencies, so a locked package counts as covered).

The threshold (module constants, adjustable):

* ``found``: nothing undeclared in the package code, and at most ``MAX_HELPER_UNDECLARED``
  undeclared packages imported only by helper scripts (``scripts/``, loose files beside a
  package, ``tasks.py``): a forgotten ``matplotlib`` in a plotting script is not ``torch``
  missing from the project.
* ``missing``: no dependency declaration at all, or fewer than ``MIN_COVERED_SHARE`` of the
  imported packages declared.
* ``partial`` otherwise, naming each undeclared package with its import line.
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING

import yaml

from probes._common import evidence, is_test_path, own_files, own_python_files, py_index
from probes._deps import DeclarationSource, declared_dependencies
from verifier.engine.registry import probe
from verifier.findings import Observation, found, missing, partial
from verifier.repo.formats.dependencies import (
    Requirement,
    import_to_distributions,
    is_stdlib,
    normalize_name,
    parse_requirements,
)

if TYPE_CHECKING:
    from verifier.repo.formats.pyindex import Import
    from verifier.repo.snapshot import Snapshot

#: Undeclared packages tolerated when only helper scripts import them.
MAX_HELPER_UNDECLARED = 2
#: Below this share of imported packages declared, the declarations are not kept up to date.
MIN_COVERED_SHARE = 0.5
#: Folders whose scripts are helpers rather than the application's package code.
HELPER_DIRS = frozenset(
    {
        "scripts",
        "script",
        "tools",
        "notebooks",
        "examples",
        "playground",
        "scratch",
        "misc",
        "trash",
        "old",
        "archive",
        "deprecated",
        "legacy",
        "sandbox",
    }
)
#: Files that are build or documentation tooling, not the application.
TOOLING_FILES = frozenset({"setup.py", "noxfile.py", "conftest.py"})
#: Standard-library modules of older Pythons (removed since), still imported by old code.
REMOVED_STDLIB = frozenset(
    {"parser", "symbol", "formatter", "distutils", "imp", "asynchat", "asyncore", "smtpd"}
)
#: The course's own report checker, shipped with the report template (``reports/report.py``).
COURSE_FILES = frozenset({"reports/report.py", "report/report.py"})
#: Always present where pip works; nobody declares them.
ALWAYS_AVAILABLE = frozenset({"setuptools", "pip", "wheel", "pkg-resources"})
#: Import names missing from the shared curated map (verifier/data/import_names.yaml),
#: seen in group repositories; consulted first.
EXTRA_IMPORT_NAMES: dict[str, tuple[str, ...]] = {
    "google.oauth2": ("google-auth",),
    "google.api_core": ("google-api-core",),
    "google.genai": ("google-genai",),
    "google.generativeai": ("google-generativeai",),
    "imblearn": ("imbalanced-learn",),
    "pywt": ("pywavelets",),
    "umap": ("umap-learn",),
    "Bio": ("biopython",),
    "mpl_toolkits": ("matplotlib",),
    "lightning_utilities": ("lightning-utilities",),
}
#: Packages that a common declared package installs with itself. Importing them without
#: declaring them works (it is an indirect dependency); they are named, not counted.
COMES_WITH: dict[str, tuple[str, ...]] = {
    "omegaconf": ("hydra-core",),
    "antlr4-python3-runtime": ("hydra-core",),
    "numpy": (
        "torch",
        "torchvision",
        "pandas",
        "scikit-learn",
        "scipy",
        "matplotlib",
        "tensorflow",
        "transformers",
        "opencv-python",
        "timm",
        "onnxruntime",
    ),
    "pillow": ("torchvision", "matplotlib", "scikit-image"),
    "pyyaml": ("hydra-core", "omegaconf", "transformers", "wandb", "pytorch-lightning", "dvc"),
    "requests": ("wandb", "transformers", "huggingface-hub", "google-cloud-storage"),
    "tqdm": ("transformers", "huggingface-hub", "datasets", "dvc"),
    "torch": ("pytorch-lightning", "lightning", "torchvision", "timm", "torchaudio"),
    "pytorch-lightning": ("lightning",),
    "lightning-utilities": ("lightning", "pytorch-lightning", "torchmetrics"),
    "pydantic": ("fastapi",),
    "starlette": ("fastapi",),
    "anyio": ("fastapi", "starlette", "httpx"),
    "click": ("typer", "uvicorn", "flask", "dvc"),
    "typing-extensions": ("torch", "pydantic", "fastapi", "typer"),
    "packaging": ("torch", "pytorch-lightning", "lightning", "transformers"),
    "huggingface-hub": ("transformers", "timm", "datasets"),
    "fsspec": ("datasets", "pytorch-lightning", "lightning", "gcsfs", "dvc"),
    "google-auth": ("google-cloud-storage",),
    "google-api-core": ("google-cloud-storage",),
    "jinja2": ("torch", "flask"),
    "rich": ("typer",),
    "protobuf": ("wandb", "tensorboard"),
}


@dataclass
class ImportUse:
    distributions: tuple[str, ...]
    module: str
    sites: list[tuple[str, int]] = field(default_factory=list)  # (path, line)
    in_package: bool = False
    package_sites: int = 0


def _code_files(snap: Snapshot) -> list[str]:
    """The group's non-test Python files, without build and documentation tooling."""

    out = []
    for path in own_python_files(snap):
        name = posixpath.basename(path)
        if is_test_path(path) or name in TOOLING_FILES or is_course_file(path):
            continue
        if path.split("/")[0] in ("docs", "doc") and name == "conf.py":
            continue
        out.append(path)
    return out


def is_course_file(path: str) -> bool:
    """The course's report checker (``reports/report.py``), in the root or a project folder."""
    return any(path == f or path.endswith("/" + f) for f in COURSE_FILES)


def _package_dirs(paths: list[str]) -> set[str]:
    return {posixpath.dirname(p) for p in paths if posixpath.basename(p) == "__init__.py"}


def _is_package_code(path: str, package_dirs: set[str]) -> bool:
    parts = path.split("/")
    if any(p in HELPER_DIRS for p in parts[:-1]):
        return False
    if parts[0] == "src" and len(parts) > 2:
        return True
    return posixpath.dirname(path) in package_dirs


@functools.cache
def curated_import_names() -> frozenset[str]:
    """Top-level import names the shared curated map knows (``docker``, ``wandb``, ...)."""

    try:
        text = resources.files("verifier").joinpath("data/import_names.yaml").read_text()
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError, ModuleNotFoundError):
        return frozenset()
    if not isinstance(data, dict):
        return frozenset()
    return frozenset(str(k).split(".", 1)[0] for k in data)


def local_module_names(snap: Snapshot) -> set[str]:
    """Names the group's own code can be imported by: every folder and module name on the
    way to each of its Python files, and the project's distribution name."""

    names: set[str] = set()
    for path in own_python_files(snap):
        folder, name = posixpath.split(path)
        if name == "__init__.py":
            names.update(p for p in folder.split("/") if p)  # packages
        else:
            names.add(name[:-3])
    # Other folders (``from models import Net`` beside a models/ folder): a broken import of
    # the group's, not a missing dependency. Only for names the curated map does not know,
    # so that a streamlit/ or docker/ folder does not hide the library itself.
    for path in own_files(snap):
        for folder in path.split("/")[:-1]:
            if folder.isidentifier() and folder not in curated_import_names():
                names.add(folder)
    doc = snap.toml("pyproject.toml") if snap.is_file("pyproject.toml") else None
    if doc is not None and isinstance(doc.value, dict):
        project = doc.value.get("project")
        poetry = doc.value.get("tool", {}).get("poetry") if isinstance(doc.value, dict) else None
        for table in (project, poetry):
            if isinstance(table, dict) and isinstance(table.get("name"), str):
                names.add(normalize_name(table["name"]).replace("-", "_"))
    return names


def _modules_of(imp: Import) -> list[str]:
    """Dotted names to map to distributions: ``a.b`` for each name of ``from a import b``
    (``from google.cloud import storage`` needs google-cloud-storage)."""

    if imp.level or not imp.module:
        return []
    if not imp.names:
        return [imp.module]
    return [f"{imp.module}.{n.name}" if n.name != "*" else imp.module for n in imp.names]


def _first_helper(use: ImportUse) -> int:
    return use.package_sites


def _distributions(module: str) -> tuple[str, ...]:
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        extra = EXTRA_IMPORT_NAMES.get(".".join(parts[:end]))
        if extra:
            return extra
    dists = tuple(import_to_distributions(module))
    if dists == ("google",) and len(parts) > 2 and parts[1] == "cloud":
        # google.cloud.<service> is published as google-cloud-<service>
        return (normalize_name(f"google-cloud-{parts[2]}"),)
    return dists


def _shown(module: str) -> str:
    """The module as the reader knows it: ``sklearn`` for ``sklearn.metrics.f1_score``,
    ``google.cloud.storage`` for a namespace package."""

    parts = module.split(".")
    return ".".join(parts[:3]) if parts[0] == "google" else parts[0]


def imported_distributions(snap: Snapshot) -> dict[str, ImportUse]:
    """Third-party imports of the group's code, keyed by the first candidate distribution."""

    def build() -> dict[str, ImportUse]:
        files = _code_files(snap)
        package_dirs = _package_dirs(files)
        any_package = any(_is_package_code(p, package_dirs) for p in files)
        local = local_module_names(snap)
        uses: dict[str, ImportUse] = {}
        for path in files:
            idx = py_index(snap, path)
            if idx is None or idx.error is not None:
                continue
            in_package = _is_package_code(path, package_dirs) or not any_package
            for imp in idx.imports:
                if imp.optional or imp.type_checking:
                    continue
                for module in _modules_of(imp):
                    top = module.split(".", 1)[0]
                    if top in local or is_stdlib(module) or top in REMOVED_STDLIB:
                        continue
                    dists = _distributions(module)
                    if not dists or dists[0] in ALWAYS_AVAILABLE:
                        continue
                    use = uses.setdefault(dists[0], ImportUse(dists, _shown(module)))
                    if (path, imp.line) not in use.sites:
                        # package code first: that is the import that matters
                        at = len(use.sites) if not in_package else _first_helper(use)
                        use.sites.insert(at, (path, imp.line))
                        if in_package:
                            use.package_sites += 1
                    use.in_package = use.in_package or in_package
        return uses

    return snap.memo("probes.requirements_sync.imports", build)


def _nested_requirements(snap: Snapshot) -> list[tuple[str, Requirement]]:
    """Requirement files deeper than the usual places: a cloud function or a service folder
    keeps its own ``requirements.txt`` beside its code."""

    out = []
    for path in own_files(snap):
        name = posixpath.basename(path)
        if path.count("/") <= 2 or not (name.startswith("requirements") and name.endswith(".txt")):
            continue
        text = snap.text(path)
        if text is not None:
            out.extend((path, r) for r in parse_requirements(path, text) if r.name)
    return out


def _declaration_sites(snap: Snapshot) -> dict[str, tuple[str, int]]:
    sites: dict[str, tuple[str, int]] = {}
    for path, req in declared_dependencies(snap).requirements + _nested_requirements(snap):
        if req.name and req.name not in sites:
            sites[req.name] = (path, req.line)
    return sites


def _import_text(snap: Snapshot, path: str, line: int) -> str:
    lines = snap.lines(path)
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""


@probe("M2.requirements-up-to-date")
def requirements_up_to_date(snap: Snapshot) -> Observation:
    """Every third-party package the group's non-test code imports is declared."""

    declared = declared_dependencies(snap)
    sources = [s for s in declared.sources if s.count]
    if not sources and _nested_requirements(snap):
        path, req = _nested_requirements(snap)[0]
        sources = [DeclarationSource(path, "requirements", 1, req.line)]
    checked = [
        "absolute imports in the group's non-test *.py files (AST; optional and TYPE_CHECKING "
        "imports skipped, standard library and the project's own modules skipped)",
        "declarations: requirements*.txt, pyproject.toml (all groups and extras), conda "
        "environment files, Pipfile, lock files (uv.lock/poetry.lock count as covered)",
        f"found: no undeclared package in package code and at most {MAX_HELPER_UNDECLARED} in "
        f"helper scripts; missing: nothing declared or under {MIN_COVERED_SHARE:.0%} declared",
    ]
    code = _code_files(snap)
    if not code:
        return missing("no non-test Python code to check the dependencies of", checked)
    uses = imported_distributions(snap)
    nested = _nested_requirements(snap)
    names = declared.names | {r.name for _p, r in nested if r.name}
    locked = declared.locked
    covered: list[str] = []
    only_locked: list[str] = []
    indirect: list[str] = []
    undeclared: list[ImportUse] = []
    for key, use in sorted(uses.items()):
        if any(d in names for d in use.distributions):
            covered.append(key)
        elif any(d in locked for d in use.distributions):
            only_locked.append(key)
        elif any(p in names for d in use.distributions for p in COMES_WITH.get(d, ())):
            indirect.append(key)
        else:
            undeclared.append(use)

    decl_sites = _declaration_sites(snap)
    decl_ev = [
        evidence(snap, *decl_sites[k], f"declares {k}, imported in {len(uses[k].sites)} place(s)")
        for k in sorted(covered, key=lambda k: -len(uses[k].sites))
        if k in decl_sites
    ][:3]
    if not decl_ev and sources:
        src = sources[0]
        decl_ev = [evidence(snap, src.path, src.line, f"{src.count} dependencies declared")]

    notes = []
    if only_locked:
        notes.append(f"{len(only_locked)} only in a lock file ({', '.join(only_locked[:4])})")
    if indirect:
        notes.append(f"{len(indirect)} come with a declared package ({', '.join(indirect[:4])})")
    note = f"; {'; '.join(notes)}" if notes else ""

    if not uses:
        if decl_ev:
            return found(
                "the code imports no third-party package that needs declaring", decl_ev, checked
            )
        return partial(
            "the code imports no third-party package, and no dependency is declared",
            [],
            checked,
        )
    undeclared_ev = [
        evidence(
            snap,
            use.sites[0][0],
            use.sites[0][1],
            f"imports {use.module}: {' / '.join(use.distributions)} is not declared"
            + ("" if use.in_package else " (helper script)")
            + (f"; {len(use.sites)} imports in all" if len(use.sites) > 1 else ""),
        )
        for use in sorted(undeclared, key=lambda u: (not u.in_package, -len(u.sites)))
    ]
    listing = ", ".join(
        f"{u.distributions[0]} ({u.sites[0][0]}:{u.sites[0][1]})" for u in undeclared[:8]
    )
    total = len(uses)
    share = (total - len(undeclared)) / total
    if not sources:
        return missing(
            f"no dependency is declared anywhere, yet the code imports {total} third-party "
            f"packages: {listing}",
            checked,
            undeclared_ev[:6],
        )
    major = [u for u in undeclared if u.in_package]
    if not major and len(undeclared) <= MAX_HELPER_UNDECLARED:
        extra = f"; undeclared in helper scripts only: {listing}" if undeclared else ""
        return found(
            f"{total - len(undeclared)} of {total} imported third-party packages declared"
            f"{extra}{note}",
            decl_ev + undeclared_ev[:2],
            checked,
        )
    summary = (
        f"{len(undeclared)} of {total} imported third-party packages are not declared: "
        f"{listing}{note}"
    )
    if share < MIN_COVERED_SHARE:
        return missing(summary, checked, undeclared_ev[:6] + decl_ev[:1])
    return partial(summary, undeclared_ev[:6] + decl_ev[:1], checked)
