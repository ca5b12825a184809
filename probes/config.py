"""M11: experiment configuration files, and Hydra loading them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from probes._common import evidence, first_line_matching, own_files, py_indexes, where
from probes._deps import declared_dependencies
from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, found, missing, partial

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

CONFIG_EXT = (".yaml", ".yml", ".json", ".toml")
#: YAML files at fixed places that configure tools, not experiments.
TOOL_CONFIG_NAMES = {
    ".pre-commit-config.yaml",
    "dvc.yaml",
    "dvc.lock",
    "docker-compose.yaml",
    "docker-compose.yml",
    "compose.yaml",
    "compose.yml",
    "mkdocs.yaml",
    "mkdocs.yml",
    "cloudbuild.yaml",
    "cloudbuild.yml",
    "environment.yml",
    "environment.yaml",
    "codecov.yml",
    ".readthedocs.yaml",
    "pyproject.toml",
    "package.json",
    "tsconfig.json",
}
#: Words that make a config key an experiment setting: matched against the key's parts
#: (``per_device_train_batch_size`` has ``batch``; ``num_train_epochs`` has ``epochs``).
SETTING_WORDS = frozenset(
    {
        "lr",
        "learning",
        "epoch",
        "epochs",
        "batch",
        "optimizer",
        "optim",
        "seed",
        "hidden",
        "dropout",
        "decay",
        "momentum",
        "warmup",
        "scheduler",
        "layers",
        "patience",
        "steps",
        "hyperparameters",
        "hparams",
        "defaults",
    }
)
#: Folders of saved models and run outputs: a ``config.json`` there was written by a
#: library (``save_pretrained``), not by the group for an experiment.
ARTEFACT_DIRS = frozenset({"models", "model", "checkpoints", "artifacts", "runs", "logs", "saved"})


def _setting_keys(keys: set[str]) -> list[str]:
    out = []
    for key in keys:
        parts = set(re.split(r"[_\-.]+", key))
        if parts & SETTING_WORDS or key == "lr":
            out.append(key)
    return sorted(out)


def _key_line(snap: Snapshot, path: str, key: str) -> int:
    pattern = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*[:=]""", re.IGNORECASE)
    return first_line_matching(snap, path, pattern) or 1


def _keys(value: object, depth: int = 0) -> set[str]:
    if depth > 4:
        return set()
    out: set[str] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            out.add(str(k).lower())
            out |= _keys(v, depth + 1)
    elif isinstance(value, list):
        for v in value[:50]:
            out |= _keys(v, depth + 1)
    return out


_CONFIG_DIR_WORDS = ("conf", "cfg", "param", "experiment", "sweep")
_CONFIG_NAME_WORDS = ("config", "conf", "cfg", "param", "experiment", "sweep", "hydra")


def _config_candidate(path: str) -> bool:
    """Folders or names that say "configuration" (``configs/``, ``configshydra/``,
    ``train_config.yaml``, ``sweep.yaml``); tool files at fixed names are left out."""

    parts = path.lower().split("/")
    name = parts[-1]
    if name in TOOL_CONFIG_NAMES or not name.endswith(CONFIG_EXT) or parts[0] == ".github":
        return False
    if name in ("package-lock.json", "uv.lock", "poetry.lock") or name.startswith("."):
        return False
    if ARTEFACT_DIRS & set(parts[:-1]):
        return False
    in_dir = any(any(w in p for w in _CONFIG_DIR_WORDS) for p in parts[:-1])
    return in_dir or any(w in name for w in _CONFIG_NAME_WORDS)


def config_files(snap: Snapshot) -> list[str]:
    return [p for p in own_files(snap) if _config_candidate(p)]


@probe("M11.config-files")
def configuration_files(snap: Snapshot) -> Observation:
    """Config files holding experiment settings (hyperparameters) under a config folder."""

    checked = [
        "*.yaml/*.yml/*.json/*.toml in folders or with names about configuration "
        "(configs/, conf/, *config*, *params*, sweep*)"
    ]
    files = config_files(snap)
    if not files:
        return missing("no configuration folder with config files", checked)
    with_params: list[Evidence] = []
    for path in files:
        doc = snap.toml(path) if path.endswith(".toml") else snap.yaml(path)
        if doc.error or not isinstance(doc.value, dict) or not doc.value:
            continue
        keys = _setting_keys(_keys(doc.value))
        if keys:
            line = min(_key_line(snap, path, key) for key in keys[:8])
            with_params.append(evidence(snap, path, line, f"settings: {', '.join(keys[:5])}"))
    if with_params:
        return found(
            f"{len(files)} config file(s), {len(with_params)} with experiment settings",
            with_params[:4],
            checked,
        )
    ev = [evidence(snap, p, 1, "config file") for p in files[:3]]
    return partial(
        f"config files ({where(files)}) hold no recognisable experiment settings", ev, checked
    )


def _hydra_use(snap: Snapshot) -> tuple[list[Evidence], list[Evidence]]:
    """(``@hydra.main`` uses, ``compose``/``initialize`` uses) in the group's code."""

    mains, composes = [], []
    for idx in py_indexes(snap, mentioning="hydra"):
        for fn in idx.functions:
            for deco in fn.decorators:
                name = deco.resolved or deco.name
                if name in ("hydra.main", "hydra.main.main"):
                    mains.append(evidence(snap, idx.path, deco.line, f"@hydra.main on {fn.name}()"))
        for call in idx.calls:
            name = call.resolved or call.name
            if name in ("hydra.compose", "hydra.initialize", "hydra.initialize_config_dir"):
                composes.append(evidence(snap, idx.path, call.line, f"{name}()"))
    return mains, composes


@probe("M11.hydra")
def hydra(snap: Snapshot) -> Observation:
    """``@hydra.main`` loading the configs; ``compose`` alone ignores command-line overrides."""

    checked = ["@hydra.main decorators and hydra.compose/initialize calls in *.py (AST)"]
    mains, composes = _hydra_use(snap)
    if mains:
        return found(f"Hydra entry point(s): {len(mains)}", mains[:3] + composes[:1], checked)
    if composes:
        return partial(
            "Hydra's compose API only: configs load, but command-line overrides are ignored",
            composes[:3],
            checked,
        )
    declared = declared_dependencies(snap)
    if "hydra-core" in declared.names:
        src = next((p for p, r in declared.requirements if r.name == "hydra-core"), None)
        line = next((r.line for p, r in declared.requirements if r.name == "hydra-core"), None)
        ev = [evidence(snap, src, line, "hydra-core declared")] if src else []
        return partial("hydra-core is declared but no code uses it", ev, checked)
    return missing("no Hydra use in the code", checked)
