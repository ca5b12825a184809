"""M29 distributed data loading, M30 distributed training, M31 quantization/compilation/pruning.

These items say "if applicable": a missing one is still reported as missing, with what was
checked. Keyword values (``num_workers=4``, ``strategy="ddp"``) are read from the AST; a value
coming from a variable is looked up in the same file (parameter defaults, assignments) and in
the group's YAML configs.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from probes._common import dotted, evidence, is_test_path, own_files, py_indexes, py_tree
from probes.cloud import command_invocations, missing_with_branches, shell_commands
from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, found, missing, partial

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot


@dataclass(frozen=True)
class KeywordUse:
    path: str
    line: int
    callee: str
    value: ast.expr


def keyword_uses(snap: Snapshot, word: str, tails: tuple[str, ...], key: str) -> list[KeywordUse]:
    """``key=`` arguments of calls whose callee ends with one of ``tails`` (or dict literals
    / ``dict(...)`` holding ``key`` in files mentioning ``word``), outside tests."""

    out = []
    for idx in py_indexes(snap, mentioning=word):
        if is_test_path(idx.path) or key not in (snap.text(idx.path) or ""):
            continue
        tree = py_tree(snap, idx.path)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                callee = dotted(node.func)
                if callee.rsplit(".", 1)[-1] in (*tails, "dict"):
                    for kw in node.keywords:
                        if kw.arg == key:
                            out.append(KeywordUse(idx.path, kw.value.lineno, callee, kw.value))
            elif isinstance(node, ast.Dict):
                for k, v in zip(node.keys, node.values, strict=False):
                    if isinstance(k, ast.Constant) and k.value == key:
                        out.append(KeywordUse(idx.path, v.lineno, "dict", v))
    return out


def _int(node: ast.AST | None) -> int | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return int(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _int(node.operand)
        return -inner if inner is not None else None
    if isinstance(node, ast.Call) and node.args:  # typer.Option(4), Field(4)
        return _int(node.args[0])
    return None


#: Stands for "as many as the machine has": positive, unknown size.
DYNAMIC = 1_000_000
_CPU_COUNT = re.compile(r"cpu_count|cores|nproc", re.I)


def _defaults_in_file(tree: ast.Module, name: str) -> list[tuple[int, int]]:
    """(line, value) of int parameter defaults, assignments and argparse defaults of ``name``."""

    out: list[tuple[int, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = node.args
            positional = [*args.posonlyargs, *args.args]
            pairs = list(
                zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=False)
            )
            pairs += [
                (a, d)
                for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=False)
                if d is not None
            ]
            for arg, default in pairs:
                value = _int(default)
                if arg.arg == name and value is not None:
                    out.append((default.lineno, value))
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = _int(node.value) if node.value is not None else None
            if (
                value is None
                and isinstance(node.value, ast.Call)
                and _CPU_COUNT.search(ast.unparse(node.value))
            ):
                value = DYNAMIC
            if value is not None and any(dotted(t).rsplit(".", 1)[-1] == name for t in targets):
                out.append((node.lineno, value))
        elif isinstance(node, ast.Call) and dotted(node.func).endswith("add_argument"):
            flags = [
                a.value
                for a in node.args
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            if any(f.lstrip("-").replace("-", "_") == name for f in flags):
                for kw in node.keywords:
                    value = _int(kw.value) if kw.arg == "default" else None
                    if value is not None:
                        out.append((node.lineno, value))
    return out


def _walk_yaml(value: Any) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield str(k), v, value
            yield from _walk_yaml(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk_yaml(v)


def _config_values(snap: Snapshot, name: str) -> list[tuple[str, int, Any, dict[str, Any]]]:
    """(path, line, value, enclosing mapping) of ``name:`` keys in the group's YAML configs."""

    out = []
    for path in own_files(snap):
        if not path.endswith((".yaml", ".yml")) or path.startswith(".github/"):
            continue
        text = snap.text(path) or ""
        if name not in text:
            continue
        doc = snap.yaml(path)
        if not doc.ok:
            continue
        for key, value, parent in _walk_yaml(doc.value):
            if key == name and not isinstance(value, dict | list):
                line = next(
                    (
                        n
                        for n, t in enumerate(snap.lines(path), 1)
                        if t.strip().startswith(f"{name}:")
                    ),
                    1,
                )
                out.append((path, line, value, parent))
    return out


# --------------------------------------------------------------------------- M29


@probe("M29.distributed-data-loading")
def distributed_data_loading(snap: Snapshot) -> Observation:
    """``DataLoader(num_workers>0)``, with the value read from code or configs."""

    checked = [
        "DataLoader(...) calls and their num_workers (AST), dict literals with num_workers",
        "variables resolved through parameter defaults, assignments, argparse defaults and "
        "num_workers keys in YAML configs; notebooks are not read",
    ]
    uses = keyword_uses(snap, "DataLoader", ("DataLoader",), "num_workers")
    loaders = sum(
        1
        for idx in py_indexes(snap, mentioning="DataLoader")
        if not is_test_path(idx.path)
        for c in idx.calls
        if c.name.rsplit(".", 1)[-1] == "DataLoader"
    )
    positive: list[Evidence] = []
    unresolved: list[Evidence] = []
    zero: list[Evidence] = []
    for use in uses:
        value = use.value
        const = _int(value) if not isinstance(value, ast.Call) else None
        if const is not None:
            target = positive if const > 0 else zero
            target.append(evidence(snap, use.path, use.line, f"num_workers={const}"))
            continue
        source = ast.unparse(value)
        if isinstance(value, ast.Call) and _CPU_COUNT.search(source):
            positive.append(evidence(snap, use.path, use.line, "num_workers from the CPU count"))
            continue
        if isinstance(value, ast.IfExp):
            branches = [_int(value.body), _int(value.orelse)]
            if any(b is not None and b > 0 for b in branches):
                positive.append(evidence(snap, use.path, use.line, "num_workers > 0 (conditional)"))
                continue
        name = (
            dotted(value).rsplit(".", 1)[-1] if isinstance(value, ast.Name | ast.Attribute) else ""
        )
        values: list[tuple[str, int, int]] = []
        if name:
            tree = py_tree(snap, use.path)
            if tree is not None:
                values += [(use.path, line, v) for line, v in _defaults_in_file(tree, name)]
            values += [
                (p, line, v)
                for p, line, v, _ in _config_values(snap, name)
                if isinstance(v, int) and not isinstance(v, bool)
            ]
        if any(v > 0 for _, _, v in values):
            path, line, v = next(x for x in values if x[2] > 0)
            positive.append(evidence(snap, use.path, use.line, f"num_workers={source}"))
            shown = "the CPU count" if v == DYNAMIC else str(v)
            positive.append(evidence(snap, path, line, f"{name} = {shown}"))
        elif values:
            zero.append(evidence(snap, use.path, use.line, f"num_workers={source}, which is 0"))
        else:
            unresolved.append(
                evidence(snap, use.path, use.line, f"num_workers={source} (value not found)")
            )
    if positive:
        return found("data loaded by worker processes (num_workers > 0)", positive[:3], checked)
    if unresolved:
        return partial(
            "num_workers is set from a variable whose value was not found", unresolved[:3], checked
        )
    if loaders:
        return missing(
            f"{loaders} DataLoader call(s), all single-process (num_workers unset or 0)",
            checked,
            zero[:2],
        )
    return missing("no PyTorch DataLoader in the code", checked)


# --------------------------------------------------------------------------- M30

DISTRIBUTED_CALLS = {
    "torch.distributed.init_process_group": "process group initialised",
    "torch.nn.parallel.DistributedDataParallel": "DistributedDataParallel",
    "torch.nn.DataParallel": "DataParallel",
    "torch.nn.parallel.DataParallel": "DataParallel",
    "torch.multiprocessing.spawn": "processes spawned for training",
    "torch.distributed.fsdp.FullyShardedDataParallel": "FSDP",
}
_STRATEGY_WORDS = ("ddp", "fsdp", "deepspeed", "dp", "horovod")


def _distributed_strategy(value: object) -> bool:
    text = str(value).lower()
    return any(text.startswith(w) or f"{w}_" in text for w in _STRATEGY_WORDS) or "ddp" in text


def _many_devices(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value > 1 or value == -1
    if isinstance(value, list):
        return len(value) > 1
    if isinstance(value, str):
        return value.strip() == "-1" or (value.strip().isdigit() and int(value) > 1)
    return False


@probe("M30.distributed-training")
def distributed_training(snap: Snapshot) -> Observation:
    """DDP/DataParallel/FSDP in code, Lightning strategies or several devices, torchrun or
    ``accelerate launch`` commands."""

    checked = [
        "torch.distributed / DistributedDataParallel / DataParallel / FSDP calls (AST)",
        "Trainer(strategy=ddp*|fsdp|deepspeed, devices>1, num_nodes>1) in code and YAML",
        "torchrun / python -m torch.distributed.run / accelerate launch commands",
        "accelerate.Accelerator",
    ]
    ev: list[Evidence] = []
    weak: list[Evidence] = []
    seen: set[str] = set()
    for idx in py_indexes(snap, mentioning="torch") + py_indexes(snap, mentioning="accelerate"):
        if is_test_path(idx.path) or idx.path in seen:
            continue
        seen.add(idx.path)
        for call in idx.calls:
            why = DISTRIBUTED_CALLS.get(call.resolved)
            if why:
                ev.append(evidence(snap, idx.path, call.line, why))
            elif call.resolved in (
                "accelerate.Accelerator",
                "lightning.fabric.Fabric",
                "lightning.Fabric",
            ):
                weak.append(
                    evidence(snap, idx.path, call.line, f"{call.resolved.rsplit('.', 1)[-1]}()")
                )
    for key in ("strategy", "devices", "num_nodes", "gpus"):
        for use in keyword_uses(snap, "Trainer", ("Trainer", "Fabric"), key):
            value = use.value
            const = value.value if isinstance(value, ast.Constant) else None
            if isinstance(value, ast.List):
                const = [0] * len(value.elts)
            if key == "strategy" and isinstance(const, str) and _distributed_strategy(const):
                ev.append(evidence(snap, use.path, use.line, f"strategy={const!r}"))
            elif key != "strategy" and _many_devices(const):
                ev.append(evidence(snap, use.path, use.line, f"{key}={ast.unparse(value)}"))
            elif const is None and key == "strategy":
                weak.append(evidence(snap, use.path, use.line, f"strategy={ast.unparse(value)}"))
    for path, line, value, parent in _config_values(snap, "strategy"):
        if (
            isinstance(value, str)
            and _distributed_strategy(value)
            and ("accelerator" in parent or "max_epochs" in parent or "devices" in parent)
        ):
            ev.append(evidence(snap, path, line, f"Trainer strategy {value} in config"))
    for key in ("devices", "num_nodes"):
        for path, line, value, parent in _config_values(snap, key):
            if _many_devices(value) and ("accelerator" in parent or "max_epochs" in parent):
                ev.append(evidence(snap, path, line, f"{key}: {value} in the Trainer config"))
    for cmd in shell_commands(snap):
        if not any(w in cmd.text for w in ("torchrun", "torch.distributed", "accelerate")):
            continue
        for inv in command_invocations(cmd.text):
            if inv.program in ("torchrun", "torch.distributed.run", "torch.distributed.launch") or (
                inv.program == "accelerate" and inv.args[:1] == ("launch",)
            ):
                ev.append(
                    evidence(snap, cmd.path, cmd.line, f"multi-process launch ({inv.program})")
                )
    if ev:
        return found("distributed training set up", ev[:3], checked)
    if weak:
        return partial(
            "a distributed-capable setup (accelerate/Fabric or a configurable strategy), but no "
            "multi-device or multi-process run is visible",
            weak[:3],
            checked,
        )
    return missing_with_branches(
        snap,
        "no distributed training in the code, configs or launch commands",
        checked,
        ("ddp", "fsdp", "distributed-train", "multi-gpu"),
    )


# --------------------------------------------------------------------------- M31

OPTIMISATIONS = (
    ("torch.quantization.", "quantization"),
    ("torch.ao.quantization.", "quantization"),
    ("torch.ao.pruning.", "pruning"),
    ("torch.nn.utils.prune.", "pruning"),
    ("torch.compile", "compilation (torch.compile)"),
    ("torch.jit.script", "compilation (TorchScript)"),
    ("torch.jit.trace", "compilation (TorchScript)"),
    ("onnxruntime.quantization.", "ONNX quantization"),
    ("transformers.BitsAndBytesConfig", "quantization (bitsandbytes)"),
    ("torch_pruning.", "pruning"),
    ("optimum.onnxruntime.ORTQuantizer", "ONNX quantization"),
    ("lightning.pytorch.callbacks.ModelPruning", "pruning (Lightning callback)"),
    ("pytorch_lightning.callbacks.ModelPruning", "pruning (Lightning callback)"),
    ("pytorch_lightning.callbacks.QuantizationAwareTraining", "quantization-aware training"),
)


_NOTEBOOK_OPT = re.compile(
    r"torch\.(ao\.)?quantization|quantize_(dynamic|static)|torch\.compile\(|torch\.nn\.utils\.prune"
    r"|\bprune\.\w+_unstructured|torch\.jit\.(script|trace)\(|def \w*(prune|quantiz)\w*\("
)


def _notebook_hits(snap: Snapshot) -> list[Evidence]:
    """Code cells of the group's notebooks that quantize, compile or prune."""

    out = []
    for path in own_files(snap):
        if not path.endswith(".ipynb"):
            continue
        try:
            cells = json.loads(snap.text(path) or "").get("cells", [])
        except (ValueError, AttributeError):
            continue
        raw = snap.lines(path)
        for cell in cells if isinstance(cells, list) else []:
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            source = cell.get("source", [])
            lines = source if isinstance(source, list) else str(source).split("\n")
            hit = next((str(t) for t in lines if _NOTEBOOK_OPT.search(str(t))), None)
            if hit is None or hit.lstrip().startswith("#"):
                continue
            needle = json.dumps(hit.rstrip("\n"))[1:-1]
            line = next((n for n, t in enumerate(raw, 1) if needle and needle in t), None)
            out.append(evidence(snap, path, line, "in a notebook code cell"))
            break
    return out


@probe("M31.quantization-compilation-pruning")
def quantization_compilation_pruning(snap: Snapshot) -> Observation:
    """Calls to torch quantization, torch.compile/TorchScript or pruning in the group's code."""

    checked = [
        "torch.(ao.)quantization, quantize_dynamic, torch.compile, torch.jit, "
        "torch.nn.utils.prune, onnxruntime.quantization, Lightning pruning callbacks (AST)",
        "notebooks: code cells only, as a weaker sign",
    ]
    ev: list[Evidence] = []
    in_tests: list[Evidence] = []
    kinds: set[str] = set()
    for word in ("quantiz", "compile", "prune", "jit", "Pruning"):
        for idx in py_indexes(snap, mentioning=word):
            for call in idx.calls:
                name = call.resolved
                kind = next(
                    (k for p, k in OPTIMISATIONS if name == p.rstrip(".") or name.startswith(p)),
                    None,
                )
                if kind is None:
                    continue
                item = evidence(snap, idx.path, call.line, f"{kind}: {name}")
                if any((e.path, e.line) == (item.path, item.line) for e in ev + in_tests):
                    continue
                if is_test_path(idx.path):
                    in_tests.append(item)
                else:
                    ev.append(item)
                    kinds.add(kind.split(" ")[0])
    if ev:
        return found(f"{', '.join(sorted(kinds))} in the code", ev[:3], checked)
    if in_tests:
        return partial("only tests call quantization/compilation/pruning", in_tests[:2], checked)
    notebooks = _notebook_hits(snap)
    if notebooks:
        return partial(
            "quantization/compilation/pruning only in notebooks (not in the project code)",
            notebooks[:3],
            checked,
        )
    return missing_with_branches(
        snap,
        "no quantization, compilation or pruning in the code",
        checked,
        ("quantiz", "prun", "compil"),
    )
