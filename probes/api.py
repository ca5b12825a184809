"""M22: a FastAPI application whose routes run the model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from probes._common import evidence, py_indexes
from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, found, missing, partial

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

ROUTE_METHODS = ("get", "post", "put", "patch", "delete", "api_route", "websocket")
#: Callee name parts that mean "runs a model" inside a route handler.
INFERENCE_HINTS = (
    "predict",
    "infer",
    "forward",
    "model",
    "classif",
    "pipeline",
    "no_grad",
    "inference_mode",
    "session.run",
    "softmax",
    "argmax",
)


def _route_functions(snap: Snapshot) -> tuple[list[Evidence], list[Evidence], list[Evidence]]:
    """(FastAPI() creations, routes, routes whose handler calls model code)."""

    apps: list[Evidence] = []
    routes: list[Evidence] = []
    inferring: list[Evidence] = []
    for idx in py_indexes(snap, mentioning="fastapi"):
        for call in idx.calls:
            name = call.resolved or call.name
            if name in ("fastapi.FastAPI", "fastapi.APIRouter"):
                apps.append(evidence(snap, idx.path, call.line, f"{name.split('.')[-1]}()"))
        if not any((imp.module or "").split(".")[0] == "fastapi" for imp in idx.imports):
            continue  # route decorators only count in files that use FastAPI
        for fn in idx.functions:
            for deco in fn.decorators:
                parts = deco.name.split(".")
                if len(parts) == 2 and parts[1] in ROUTE_METHODS:
                    route = (deco.args or "").split(",")[0]
                    ev = evidence(snap, idx.path, deco.line, f"route {parts[1].upper()} {route}")
                    routes.append(ev)
                    body_calls = [
                        (c.resolved or c.name)
                        for c in idx.calls
                        if fn.line <= c.line <= (fn.end_line or fn.line)
                    ]
                    hit = next(
                        (c for c in body_calls if any(h in c.lower() for h in INFERENCE_HINTS)),
                        None,
                    )
                    if hit:
                        inferring.append(
                            evidence(
                                snap, idx.path, deco.line, f"{fn.name}() calls {hit}: inference"
                            )
                        )
    return apps, routes, inferring


@probe("M22.fastapi")
def fastapi_app(snap: Snapshot) -> Observation:
    """A FastAPI app with at least one route whose handler calls model code."""

    checked = ["FastAPI()/APIRouter() calls and @app.<method> routes in *.py (AST)"]
    apps, routes, inferring = _route_functions(snap)
    if inferring:
        return found(
            f"FastAPI app with {len(routes)} route(s), inference in {len(inferring)}",
            inferring[:3] + apps[:1],
            checked,
        )
    if routes or apps:
        return partial(
            "a FastAPI app, but no route handler visibly runs a model",
            (routes or apps)[:3],
            checked,
        )
    return missing("no FastAPI application", checked)
