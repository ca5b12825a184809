"""M6: the cookiecutter layout, and data.py / model.py / train.py actually filled in."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from probes._common import evidence, is_test_path, own_files, own_python_files, py_index
from probes._pysubstance import Substance, substance
from probes._template import is_template_copy
from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, found, missing, partial

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

#: A module with fewer real statements than this is taken for an unfilled stub. Models are
#: legitimately short (``timm.create_model(...)`` in a function); the template's dummy model
#: is recognised by its fingerprint instead.
MIN_FILLED_STATEMENTS = {"data": 10, "model": 3, "training": 8}

DATA_STEMS = ("data", "dataset", "datasets", "make_dataset", "datamodule", "data_module")
DATA_HINTS = ("data", "preprocess", "download")
MODEL_STEMS = ("model", "models", "network", "net", "architecture", "lightning_module")
MODEL_HINTS = ("model", "net")
TRAIN_STEMS = ("train", "train_model", "training", "trainer")
TRAIN_HINTS = ("train",)


#: Template folders that sometimes hold an ``__init__.py`` but are not the source package.
NOT_PACKAGES = frozenset(
    {"configs", "config", "tests", "test", "docs", "data", "models", "notebooks", "reports"}
)


def _top_dirs(snap: Snapshot) -> set[str]:
    return {p.split("/", 1)[0] for p in own_files(snap) if "/" in p}


def _packages(snap: Snapshot) -> list[str]:
    """Directories holding an ``__init__.py`` at ``src/<pkg>`` or ``<pkg>`` (not tests)."""

    in_src, top = [], []
    for path in own_python_files(snap):
        parts = path.split("/")
        if parts[-1] != "__init__.py" or is_test_path(path):
            continue
        if len(parts) == 3 and parts[0] == "src":
            in_src.append("/".join(parts[:-1]))
        elif len(parts) == 2 and parts[0] not in NOT_PACKAGES:
            top.append(parts[0])
    return sorted(in_src) + sorted(top)


@probe("M6.cookiecutter-structure")
def cookiecutter_structure(snap: Snapshot) -> Observation:
    """The layout of the course's cookiecutter template: package, tests, configs, ..."""

    files = own_files(snap)
    tops = _top_dirs(snap)
    ev: list[Evidence] = []
    packages = _packages(snap)
    has_package = bool(packages) or any(p.startswith("src/") and p.endswith(".py") for p in files)
    if packages:
        ev.append(evidence(snap, packages[0] + "/__init__.py", None, "source package"))
    elif has_package:
        first = next(p for p in files if p.startswith("src/") and p.endswith(".py"))
        ev.append(evidence(snap, first, None, "source code under src/"))
    hallmarks = {
        "tests": "tests folder",
        "configs": "configs folder",
        "dockerfiles": "dockerfiles folder",
        "reports": "reports folder",
        "models": "models folder",
        "notebooks": "notebooks folder",
        "docs": "docs folder",
        "data": "data folder",
    }
    seen = []
    for folder, why in hallmarks.items():
        if folder in tops:
            first = next(p for p in files if p.startswith(folder + "/"))
            ev.append(evidence(snap, first, None, why))
            seen.append(folder)
    for name in ("pyproject.toml", "tasks.py", "setup.py", "Makefile", "requirements.txt"):
        if snap.exists(name):
            ev.append(evidence(snap, name, None, f"{name} at the root"))
            seen.append(name)
    checked = [
        "src/<package>/__init__.py or <package>/__init__.py",
        "top-level folders " + ", ".join(hallmarks),
        "pyproject.toml, tasks.py, setup.py, Makefile, requirements.txt",
    ]
    has_tests = "tests" in tops
    if has_package and has_tests and len(seen) >= 4:
        return found(
            f"cookiecutter-style layout: package plus {', '.join(seen)}", ev, checked=checked
        )
    if has_package or len(seen) >= 3:
        lacking = [
            w
            for w in ("a source package", "a tests folder")
            if not (
                (w == "a source package" and has_package) or (w == "a tests folder" and has_tests)
            )
        ]
        extra = f"; lacks {' and '.join(lacking)}" if lacking else ""
        return partial(
            f"only part of the template layout ({', '.join(seen) or 'package only'}){extra}",
            ev,
            checked=checked,
        )
    return missing("no trace of the template layout", checked, ev)


def _named_like(stem: str, hints: tuple[str, ...]) -> bool:
    """A part of the name starts with a hint: ``train_utils`` and ``trainer`` are training
    modules, ``pretrained`` is not; ``resnet`` ends in ``net``."""

    parts = [p for p in re.split(r"[_\-.]+", stem) if p]
    return any(p.startswith(h) or (h == "net" and p.endswith("net")) for p in parts for h in hints)


def _candidates(
    snap: Snapshot, stems: Iterable[str], hints: Iterable[str]
) -> tuple[list[str], list[str]]:
    """Non-test modules named for the role (``data.py``), and loosely named ones
    (``data_utils.py``, ``trainers.py``)."""

    exact, loose = [], []
    stems, hints = tuple(stems), tuple(hints)
    for path in own_python_files(snap):
        if is_test_path(path):
            continue
        stem = posixpath.splitext(posixpath.basename(path))[0].lower()
        if stem in stems:
            exact.append(path)
        elif (
            stem != "__init__"
            and "drift" not in stem
            and (_named_like(stem, hints) or any(d.lower() in stems for d in path.split("/")[:-1]))
        ):
            # Drift-monitoring modules are about data, not the data pipeline.
            loose.append(path)
    return exact, loose


def _best_filled(snap: Snapshot, paths: list[str]) -> tuple[str | None, Substance | None]:
    best: tuple[str | None, Substance | None] = (None, None)
    for path in paths:
        sub = substance(snap, path)
        if sub.error is None and (best[1] is None or sub.statements > best[1].statements):
            best = (path, sub)
    return best


def _judge_role(snap: Snapshot, role: str, paths: list[str]) -> tuple[str, Evidence | None]:
    """``filled`` / ``stub`` / ``none`` for one set of candidate modules, with the evidence."""

    own = [p for p in paths if not is_template_copy(snap, p)]
    if paths and not own:
        sub = substance(snap, paths[0])
        hollow = f"; empty: {', '.join(sub.empty_functions[:4])}" if sub.empty_functions else ""
        why = f"{role} module is an unfilled stub: the course template's, unchanged{hollow}"
        return "stub", evidence(snap, paths[0], 1, why)
    path, sub = _best_filled(snap, own)
    if path is None or sub is None:
        if paths:
            return "stub", evidence(snap, paths[0], None, f"{role} module does not parse")
        return "none", None
    if (
        sub.statements >= MIN_FILLED_STATEMENTS[role]
        or (role == "training" and sub.statements >= 3 and _calls_any(snap, path, TRAINING_CALLS))
        or (role == "data" and sub.statements >= 3 and _calls_any(snap, path, DATA_CALLS))
    ) and len(sub.empty_functions) < max(2, sub.functions // 2):
        why = f"{role} code: {sub.statements} statements in {sub.functions} functions"
        return "filled", evidence(snap, path, 1, why)
    hollow = f", empty: {', '.join(sub.empty_functions[:4])}" if sub.empty_functions else ""
    why = f"{role} module looks like an unfilled stub ({sub.statements} statements{hollow})"
    return "stub", evidence(snap, path, 1, why)


#: Calls that only training code makes: short Lightning scripts are real training code.
TRAINING_CALLS = (
    ".fit",
    ".backward",
    ".step",
    "Trainer",
    "LightningCLI",
    ".train_model",
    "train_one_epoch",
)


#: Calls that load or prepare data: a short data.py built on a data library is real.
DATA_CALLS = (
    "load_dataset",
    "save_to_disk",
    "read_csv",
    "read_parquet",
    "urlretrieve",
    "requests.get",
    "download",
    "ImageFolder",
    "torch.save",
    "np.save",
    "to_csv",
    "to_parquet",
    ".map",
    "kaggle",
    "gdown",
)


def _calls_any(snap: Snapshot, path: str, names: tuple[str, ...]) -> bool:
    idx = py_index(snap, path)
    return idx is not None and any(
        c.name.endswith(names) or c.resolved.endswith(names) for c in idx.calls
    )


def _role_observation(
    snap: Snapshot, role: str, candidates: tuple[list[str], list[str]]
) -> tuple[str, Evidence | None]:
    """The module named for the role decides; when it is a stub or absent, the code may
    live in a loosely named one (``trainers.py``, ``models/cnn.py``)."""

    exact, loose = candidates
    state, ev = _judge_role(snap, role, exact)
    if state == "filled":
        return state, ev
    loose_state, loose_ev = _judge_role(snap, role, loose)
    if loose_state == "filled" and loose_ev is not None:
        if ev is not None:
            loose_ev = replace(loose_ev, why=f"{loose_ev.why} ({ev.path} itself is a stub)")
        return loose_state, loose_ev
    return (state, ev) if exact else (loose_state, loose_ev)


@probe("M6.data-py")
def data_py(snap: Snapshot) -> Observation:
    """data.py (or a data module) with real loading/preprocessing code, not the stub."""

    paths = _candidates(snap, DATA_STEMS, DATA_HINTS)
    checked = ["non-test Python modules named data.py, dataset.py, make_dataset.py or *data*"]
    state, ev = _role_observation(snap, "data", paths)
    if state == "filled" and ev:
        return found(f"data module {ev.path} is filled in", [ev], checked)
    if state == "stub" and ev:
        return partial(f"data module {ev.path} exists but is not filled in", [ev], checked)
    return missing("no data module found", checked)


@probe("M6.model-train-py")
def model_and_train_py(snap: Snapshot) -> Observation:
    """A model in model.py and a training procedure in train.py, both filled in."""

    checked = [
        "non-test modules named model.py, models.py, *model*, *net*",
        "non-test modules named train.py, train_model.py, training.py, *train*",
    ]
    model_state, model_ev = _role_observation(
        snap, "model", _candidates(snap, MODEL_STEMS, MODEL_HINTS)
    )
    train_state, train_ev = _role_observation(
        snap, "training", _candidates(snap, TRAIN_STEMS, TRAIN_HINTS)
    )
    ev = [e for e in (model_ev, train_ev) if e is not None]
    if model_state == "filled" and train_state == "filled":
        return found("model and training code are filled in", ev, checked)
    if model_state == "none" and train_state == "none":
        return missing("no model or training module found", checked)
    lacking = []
    for role, state in (("model", model_state), ("training", train_state)):
        if state == "none":
            lacking.append(f"no {role} module")
        elif state == "stub":
            lacking.append(f"{role} module not filled in")
    return partial("; ".join(lacking), ev, checked)
