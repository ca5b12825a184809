"""M22: a FastAPI application whose routes run the model.

Route handlers are read from the AST: a handler counts as inference when it calls or hands
on (``asyncio.to_thread(model.predict, x)``) something model-like, or calls an object loaded
at module level from a model loader (``clf = pipeline(...)`` then ``clf(text)``).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from probes._common import evidence, own_python_files, py_indexes, py_tree
from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, found, missing, partial
from verifier.repo.formats.pyindex import dotted_name

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "api_route", "websocket"})
_ROUTE_TEXT = re.compile(r"@\w+\.(?:get|post|put|patch|delete|api_route|websocket)\(")
#: Name parts that mean "runs a model" inside a handler.
INFERENCE_WORDS = frozenset(
    {
        "predict",
        "prediction",
        "predictions",
        "infer",
        "inference",
        "forward",
        "model",
        "classify",
        "classifier",
        "no",  # torch.no_grad -> no, grad
        "softmax",
        "argmax",
        "logits",
        "inference_mode",
        "pipeline",
        "onnx",
        "session",
        # other ways a handler runs a model: training or fitting on request, generation,
        # detection, embedding, clustering, a network called directly
        "train",
        "fit",
        "generate",
        "detect",
        "detection",
        "segment",
        "embed",
        "embedding",
        "embeddings",
        "recognize",
        "transcribe",
        "translate",
        "summarize",
        "kmeans",
        "cluster",
        "estimator",
        "regressor",
        "clf",
        "net",
    }
)
#: pydantic methods that carry "model" in their name but run no model.
PYDANTIC_METHODS = frozenset(
    {
        "model_dump",
        "model_dump_json",
        "model_validate",
        "model_validate_json",
        "model_json_schema",
        "model_copy",
        "model_construct",
        "model_fields",
        "model_config",
    }
)
#: Callees that load a model into a module-level name.
LOADER_WORDS = frozenset(
    {"pipeline", "yolo", "load", "from_pretrained", "inferencesession", "create_model", "model"}
)


def _words(dotted: str) -> set[str]:
    parts = [p for p in dotted.split(".") if p not in PYDANTIC_METHODS]
    return {w for p in parts for w in re.split(r"_+", p.lower()) if w} | {p.lower() for p in parts}


def _is_inference_name(dotted: str) -> bool:
    words = _words(dotted)
    if "no" in words and "grad" not in words:
        words.discard("no")
    return bool(words & INFERENCE_WORDS)


@dataclass(frozen=True)
class Route:
    path: str
    line: int
    method: str
    route: str
    handler: str
    inference: str | None  # the callee or reference that runs the model


def _module_models(tree: ast.Module) -> set[str]:
    """Names bound at module level to the result of a model loader."""

    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Call):
            callee = dotted_name(node.value.func) or ""
            if _words(callee) & LOADER_WORDS:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


_WEIGHT_FILE = re.compile(r"\.(?:ckpt|pt|pth|onnx|safetensors|pkl|joblib|h5|keras)$", re.I)


def _handler_inference(fn: ast.AST, models: set[str]) -> str | None:
    for node in ast.walk(fn):
        if isinstance(node, ast.Call):
            callee = dotted_name(node.func) or ""
            if callee in models or _is_inference_name(callee):
                return callee
            weights = [
                a.value
                for a in node.args
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            if any(_WEIGHT_FILE.search(w) for w in weights):
                return f"{callee}() on {next(w for w in weights if _WEIGHT_FILE.search(w))}"
        elif isinstance(node, ast.Attribute):
            ref = dotted_name(node) or ""
            if ref and _is_inference_name(ref):
                return ref
        elif isinstance(node, ast.Name) and node.id in models:
            return node.id
    name = getattr(fn, "name", "")
    if name and _is_inference_name(name):
        return f"{name}()"  # named for it (predict_image, generate_sample): a weaker sign
    return None


def _routes_in(path: str, tree: ast.Module | None) -> list[Route]:
    if tree is None:
        return []
    models = _module_models(tree)
    routes = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for deco in node.decorator_list:
            if not (isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute)):
                continue
            if deco.func.attr not in ROUTE_METHODS:
                continue
            route = ""
            if deco.args and isinstance(deco.args[0], ast.Constant):
                route = str(deco.args[0].value)
            hit = _handler_inference(node, models)
            routes.append(Route(path, deco.lineno, deco.func.attr, route, node.name, hit))
    return routes


def _app_modules(snap: Snapshot) -> tuple[list[Evidence], set[str]]:
    """FastAPI()/APIRouter() creations, and the dotted module names of their files."""

    apps: list[Evidence] = []
    modules: set[str] = set()
    for idx in py_indexes(snap, mentioning="fastapi"):
        for call in idx.calls:
            if call.resolved in ("fastapi.FastAPI", "fastapi.APIRouter"):
                apps.append(evidence(snap, idx.path, call.line, f"{call.resolved[8:]}()"))
                parts = idx.path[:-3].split("/")
                modules.update(".".join(parts[i:]) for i in range(len(parts)))
    return apps, modules


def fastapi_routes(snap: Snapshot) -> tuple[list[Evidence], list[Route]]:
    """Every route of the group's FastAPI code (also on an app imported from another file)."""

    def build() -> tuple[list[Evidence], list[Route]]:
        apps, app_modules = _app_modules(snap)
        routes: list[Route] = []
        for path in own_python_files(snap):
            text = snap.text(path) or ""
            if not _ROUTE_TEXT.search(text):
                continue
            uses_fastapi = "fastapi" in text
            if not uses_fastapi:
                idx = next(iter(py_indexes(snap, [path])), None)
                imported = {imp.module for imp in idx.imports} if idx else set()
                if not imported & app_modules:
                    continue  # route-like decorators of another framework (Flask, ...)
            routes.extend(_routes_in(path, py_tree(snap, path)))
        return apps, routes

    return snap.memo("probes.fastapi_routes", build)


@probe("M22.fastapi")
def fastapi_app(snap: Snapshot) -> Observation:
    """A FastAPI app with at least one route whose handler runs model code."""

    checked = ["FastAPI()/APIRouter() calls and @app.<method> routes in *.py (AST)"]
    apps, routes = fastapi_routes(snap)
    inferring = [r for r in routes if r.inference]
    if inferring:
        ev = [
            evidence(
                snap,
                r.path,
                r.line,
                f"{r.method.upper()} {r.route} runs {r.inference} in {r.handler}()",
            )
            for r in inferring[:3]
        ]
        return found(
            f"FastAPI app with {len(routes)} route(s), inference in {len(inferring)}",
            ev + apps[:1],
            checked,
        )
    if routes or apps:
        ev = [
            evidence(snap, r.path, r.line, f"route {r.method.upper()} {r.route}")
            for r in routes[:3]
        ]
        return partial(
            "a FastAPI app, but no route handler visibly runs a model", (ev or apps)[:3], checked
        )
    return missing("no FastAPI application", checked)
