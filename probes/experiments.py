"""M14 logging and Weights & Biases, M15 PyTorch Lightning: real calls, not imports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from probes._common import evidence, own_files, py_indexes
from probes._deps import declared_dependencies
from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, found, missing, partial

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

LIGHTNING_MODULES = (
    "pytorch_lightning.LightningModule",
    "lightning.LightningModule",
    "lightning.pytorch.LightningModule",
    "pytorch_lightning.core.LightningModule",
    "lightning.pytorch.core.LightningModule",
    "pytorch_lightning.LightningDataModule",
    "lightning.LightningDataModule",
    "lightning.pytorch.LightningDataModule",
)
TRAINERS = (
    "pytorch_lightning.Trainer",
    "lightning.Trainer",
    "lightning.pytorch.Trainer",
    # LightningCLI builds the Trainer from the command line and config files.
    "lightning.pytorch.cli.LightningCLI",
    "pytorch_lightning.cli.LightningCLI",
    "lightning.LightningCLI",
)


def _declared(snap: Snapshot, *names: str) -> list[Evidence]:
    for path, req in declared_dependencies(snap).requirements:
        if req.name in names:
            return [evidence(snap, path, req.line, f"{req.name} declared")]
    return []


@probe("M15.lightning")
def pytorch_lightning(snap: Snapshot) -> Observation:
    """A LightningModule subclass trained with a Lightning Trainer."""

    checked = ["classes based on LightningModule and Trainer(...) calls in *.py (AST)"]
    modules: list[Evidence] = []
    trainers: list[Evidence] = []
    for idx in py_indexes(snap, mentioning="lightning"):
        for cls in idx.classes:
            bases = set(cls.resolved_bases) | set(cls.bases)
            if any(b in LIGHTNING_MODULES for b in bases):
                modules.append(evidence(snap, idx.path, cls.line, f"class {cls.name}: Lightning"))
        for call in idx.calls:
            if call.resolved in TRAINERS:
                trainers.append(evidence(snap, idx.path, call.line, "Lightning Trainer"))
    if modules and trainers:
        return found("LightningModule trained with a Trainer", modules[:2] + trainers[:2], checked)
    if modules or trainers:
        lacking = "no Trainer call" if modules else "no LightningModule subclass"
        return partial(f"Lightning only in part: {lacking}", (modules + trainers)[:3], checked)
    declared = _declared(snap, "pytorch-lightning", "lightning")
    if declared:
        return partial("Lightning is declared but no code uses it", declared, checked)
    return missing("no PyTorch Lightning in the code", checked)


WANDB_LOGGERS = (
    "pytorch_lightning.loggers.WandbLogger",
    "lightning.pytorch.loggers.WandbLogger",
    "lightning.pytorch.loggers.wandb.WandbLogger",
    "pytorch_lightning.loggers.wandb.WandbLogger",
)


@probe("M14.wandb")
def weights_and_biases(snap: Snapshot) -> Observation:
    """``wandb.init`` with ``wandb.log`` (or run.log / a WandbLogger), not just an import."""

    checked = [
        "wandb.init/log calls and WandbLogger in *.py (AST)",
        "_target_/class_path WandbLogger in YAML configs",
    ]
    inits: list[Evidence] = []
    logs: list[Evidence] = []
    imports: list[Evidence] = []
    for idx in py_indexes(snap, mentioning="wandb"):
        for imp in idx.imports:
            if (imp.module or "").split(".")[0] == "wandb" or any(
                n.name == "WandbLogger" for n in imp.names
            ):
                imports.append(evidence(snap, idx.path, imp.line, "imports wandb"))
        for call in idx.calls:
            name = call.resolved
            if name in ("wandb.init", "wandb.sdk.init"):
                inits.append(evidence(snap, idx.path, call.line, "starts a W&B run"))
            elif name in WANDB_LOGGERS:
                inits.append(evidence(snap, idx.path, call.line, "W&B logger for Lightning"))
                logs.append(evidence(snap, idx.path, call.line, "logs through Lightning"))
            elif name.startswith("wandb.") and name.rsplit(".", 1)[-1] in ("log", "log_artifact"):
                logs.append(evidence(snap, idx.path, call.line, f"{name}()"))
            elif call.name.endswith((".log", ".log_artifact")) and "run" in call.name.lower():
                logs.append(evidence(snap, idx.path, call.line, f"{call.name}() on a W&B run"))
    configured = _wandb_in_configs(snap)
    if configured and not (inits and logs):
        return found(
            "a W&B logger is instantiated from config files (Hydra _target_ / class_path)",
            configured[:2] + inits[:1],
            checked,
        )
    if inits and logs:
        return found("W&B runs are started and logged to", inits[:2] + logs[:2], checked)
    if inits or logs:
        lacking = "nothing is logged" if inits else "no run is started (wandb.init)"
        return partial(f"W&B only in part: {lacking}", (inits + logs)[:3], checked)
    if imports:
        return partial("wandb is imported but never called", imports[:2], checked)
    declared = _declared(snap, "wandb")
    if declared:
        return partial("wandb is declared but no code uses it", declared, checked)
    return missing("no Weights & Biases use in the code", checked)


def _wandb_in_configs(snap: Snapshot) -> list[Evidence]:
    """YAML configs that instantiate a W&B logger (Hydra ``_target_``, LightningCLI
    ``class_path``): the code then never names wandb itself."""

    ev = []
    for path in own_files(snap):
        if not path.endswith((".yaml", ".yml")) or path.startswith(".github/"):
            continue
        for number, line in enumerate(snap.lines(path), start=1):
            stripped = line.strip()
            if stripped.startswith(("_target_:", "class_path:")) and "WandbLogger" in stripped:
                ev.append(evidence(snap, path, number, "W&B logger built from this config"))
                break
    return ev


LOG_SETUP = (
    "logging.getLogger",
    "logging.basicConfig",
    "logging.config.dictConfig",
    "loguru.logger.add",
    "loguru.logger.remove",
)
LOG_METHODS = ("debug", "info", "warning", "warn", "error", "exception", "critical", "success")


@probe("M14.logging")
def logging_events(snap: Snapshot) -> Observation:
    """Loggers set up (logging / loguru) and used to log events in the group's code."""

    checked = ["logging.getLogger/basicConfig, loguru logger.add, and logger.<level>() calls"]
    setup: list[Evidence] = []
    uses: list[Evidence] = []
    for idx in py_indexes(snap, mentioning="log"):
        if "/tests/" in f"/{idx.path}" or idx.path.startswith("test"):
            continue
        for call in idx.calls:
            name = call.resolved
            tail = call.name.rsplit(".", 1)[-1]
            if name in LOG_SETUP:
                setup.append(evidence(snap, idx.path, call.line, f"{name}()"))
            elif tail in LOG_METHODS and (
                name.startswith(("logging.", "loguru.logger."))
                or call.name.split(".")[0].lower() in ("logger", "log", "_logger", "_log", "LOGGER")
            ):
                uses.append(evidence(snap, idx.path, call.line, "logs an event"))
    if uses:
        return found(f"{len(uses)} logging calls", setup[:1] + uses[:3], checked)
    if setup:
        return partial("a logger is set up but nothing is logged", setup[:2], checked)
    experiment = _experiment_logging(snap)
    if experiment:
        return partial(
            "only experiment tracking (metrics to W&B, Lightning or TensorBoard), no logging of "
            "the program's events",
            experiment[:2],
            checked,
        )
    return missing("no logging calls in the code", checked)


EXPERIMENT_LOGGERS = ("WandbLogger", "SummaryWriter", "TensorBoardLogger", "CSVLogger")


def _experiment_logging(snap: Snapshot) -> list[Evidence]:
    """Metric logging to experiment trackers: related to the item, but not event logging."""

    ev = []
    for idx in py_indexes(snap, mentioning="log"):
        for call in idx.calls:
            tail = call.resolved.rsplit(".", 1)[-1]
            if (
                call.resolved in ("wandb.log", "mlflow.log_metric", "mlflow.log_metrics")
                or tail in EXPERIMENT_LOGGERS
                or call.name in ("self.log", "self.log_dict")
            ):
                ev.append(evidence(snap, idx.path, call.line, f"experiment logging: {call.name}()"))
    return ev
