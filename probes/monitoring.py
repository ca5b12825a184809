"""M27 data drift and input-output collection, M28 metrics, cloud monitoring and alerts.

Drift and metrics are code (parsed, never run). Cloud monitoring, dashboards and alert
policies usually exist only in the cloud console: those items are ``manual`` with the
pointers found, unless a file in the repository really defines them.
"""

from __future__ import annotations

import ast
import json
import posixpath
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from probes._common import (
    dotted,
    evidence,
    is_test_path,
    own_files,
    own_python_files,
    py_indexes,
    py_tree,
)
from probes.cloud import (
    _declared,
    cloud_run_service_yamls,
    cmd_evidence,
    deploy_commands,
    gcloud_calls,
    missing_with_branches,
    shell_commands,
)
from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, found, missing, not_verifiable, partial

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

DRIFT_LIBS = ("evidently", "alibi_detect", "nannyml", "torchdrift", "deepchecks", "frouros")
ROUTE_METHODS = ("get", "post", "put", "patch", "delete", "api_route", "route", "websocket")


# --------------------------------------------------------------------------- drift


def drift_calls(snap: Snapshot) -> list[Evidence]:
    """Calls into drift-detection libraries, one per file (tests excluded)."""

    def build() -> list[Evidence]:
        out = []
        for lib in DRIFT_LIBS:
            for idx in py_indexes(snap, mentioning=lib):
                if is_test_path(idx.path) or any(e.path == idx.path for e in out):
                    continue
                call = next((c for c in idx.calls if c.resolved.split(".")[0] == lib), None)
                if call is not None:
                    out.append(
                        evidence(snap, idx.path, call.line, f"drift detection: {call.resolved}")
                    )
        for idx in py_indexes(snap, mentioning="ks_2samp"):
            if is_test_path(idx.path) or any(e.path == idx.path for e in out):
                continue
            if "drift" not in (snap.text(idx.path) or "").lower():
                continue
            call = next((c for c in idx.calls if c.resolved.endswith("ks_2samp")), None)
            if call is not None:
                out.append(evidence(snap, idx.path, call.line, "drift test (Kolmogorov-Smirnov)"))
        return out

    return snap.memo("probes.monitoring.drift_calls", build)


@probe("M27.drift-robustness")
def drift_robustness(snap: Snapshot) -> Observation:
    """Drift analysis code: evidently reports/test suites, alibi-detect, nannyml, KS tests."""

    checked = [
        "calls into evidently / alibi_detect / nannyml / torchdrift / deepchecks (AST)",
        "scipy ks_2samp in files about drift; test files are not counted",
        "modules named *drift*/*robust* without a library: partial",
    ]
    calls = drift_calls(snap)
    if calls:
        return found(f"drift analysis in {len(calls)} file(s)", calls[:3], checked)
    scripts = _drift_named_scripts(snap)
    if scripts:
        return partial(
            "a drift/robustness script without a drift library: check what it measures",
            scripts[:3],
            checked,
        )
    declared = _declared(snap, "evidently", "alibi-detect", "nannyml", "torchdrift")
    if declared:
        return partial("a drift library is declared but no code uses it", declared, checked)
    return missing_with_branches(
        snap, "no drift analysis in the code", checked, ("drift", "robust")
    )


def _drift_named_scripts(snap: Snapshot) -> list[Evidence]:
    """Non-empty modules named for drift or robustness (a hand-made robustness check)."""

    out = []
    for path in own_python_files(snap):
        name = posixpath.basename(path).lower()
        if is_test_path(path) or not ("drift" in name or "robust" in name):
            continue
        idx = next(iter(py_indexes(snap, [path])), None)
        if idx is not None and idx.functions and idx.calls:
            out.append(evidence(snap, path, idx.functions[0].line, "a drift/robustness script"))
    return out


# --------------------------------------------------------------------------- routes


@dataclass(frozen=True)
class Route:
    path: str
    line: int
    name: str
    node: ast.FunctionDef | ast.AsyncFunctionDef


def api_routes(snap: Snapshot) -> list[Route]:
    """Route handlers of FastAPI/Flask apps (``@app.post(...)``, ``@router.get``)."""

    out = []
    for word in ("fastapi", "flask"):
        for idx in py_indexes(snap, mentioning=word):
            if is_test_path(idx.path) or any(r.path == idx.path for r in out):
                continue
            if not any((i.top_level or "") in ("fastapi", "flask") for i in idx.imports):
                continue
            tree = py_tree(snap, idx.path)
            if tree is None:
                continue
            for node in ast.walk(tree):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for deco in node.decorator_list:
                    target = deco.func if isinstance(deco, ast.Call) else deco
                    if isinstance(target, ast.Attribute) and target.attr in ROUTE_METHODS:
                        out.append(Route(idx.path, deco.lineno, node.name, node))
                        break
    return out


def _route_arg(route: Route) -> str:
    for deco in route.node.decorator_list:
        if isinstance(deco, ast.Call) and deco.args:
            first = deco.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                return first.value
    return ""


# --------------------------------------------------------------------------- M27 collection

SINK_TAILS = (
    "writerow",
    "writerows",
    "to_csv",
    "to_parquet",
    "upload_from_string",
    "upload_from_filename",
    "upload_from_file",
    "insert_one",
    "insert_many",
    "insert_rows_json",
    "put_object",
    "commit",
)
_SAVER_NAME = re.compile(
    r"log|save|store|record|collect|persist|write|append|monitor|track|upload", re.I
)


def _sinks(fn: ast.AST) -> list[tuple[int, str]]:
    """Calls in ``fn`` that persist data: CSV/parquet/bucket/DB writes, ``json.dump``,
    ``.write`` on a file opened for appending, SQL INSERTs."""

    out = []
    appends = False
    calls = [n for n in ast.walk(fn) if isinstance(n, ast.Call)]
    for call in calls:
        name = dotted(call.func)
        if name in ("open", "builtins.open", "io.open") or name.endswith(".open"):
            # open(path, "a") / Path.open("a") / open(path, mode="a")
            positional = (
                call.args[1:2] if name in ("open", "builtins.open", "io.open") else call.args[:1]
            )
            modes = [*positional, *(k.value for k in call.keywords if k.arg == "mode")]
            if any(isinstance(m, ast.Constant) and "a" in str(m.value) for m in modes):
                appends = True
    for call in calls:
        name = dotted(call.func)
        tail = name.rsplit(".", 1)[-1]
        if tail in SINK_TAILS or name in ("json.dump",):
            out.append((call.lineno, name))
        elif tail == "execute" and call.args:
            arg = call.args[0]
            if isinstance(arg, ast.Constant) and "insert" in str(arg.value).lower():
                out.append((call.lineno, name))
        elif tail in ("write", "dump") and appends:
            out.append((call.lineno, f"{name} (appending)"))
    return out


def _functions_of(snap: Snapshot, path: str) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    def build() -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
        tree = py_tree(snap, path)
        if tree is None:
            return {}
        return {
            n.name: n
            for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        }

    return snap.memo(f"probes.monitoring.functions:{path}", build)


def _imported_names(snap: Snapshot, path: str) -> dict[str, tuple[str, int, str]]:
    """``local name -> (module, level, original name)`` of a file's from-imports."""

    def build() -> dict[str, tuple[str, int, str]]:
        tree = py_tree(snap, path)
        out: dict[str, tuple[str, int, str]] = {}
        if tree is None:
            return out
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    out[alias.asname or alias.name] = (
                        node.module or "",
                        node.level or 0,
                        alias.name,
                    )
        return out

    return snap.memo(f"probes.monitoring.imports:{path}", build)


def _module_file(snap: Snapshot, importer: str, module: str, level: int) -> str | None:
    """The group's file for ``from <module> import ...`` written in ``importer``."""

    if level:
        base = posixpath.dirname(importer)
        for _ in range(level - 1):
            base = posixpath.dirname(base)
        stem = posixpath.join(base, *module.split(".")) if module else base
        candidates = [f"{stem}.py", f"{stem}/__init__.py"]
        return next((c for c in candidates if snap.exists(c)), None)
    by_suffix = snap.memo("probes.monitoring.module_files", lambda: _module_index(snap))
    tail = "/".join(module.split("."))
    return by_suffix.get(tail)


def _module_index(snap: Snapshot) -> dict[str, str]:
    """Dotted-path suffixes (``pkg/storage``) of the group's Python files, shortest path first."""

    out: dict[str, str] = {}
    for path in sorted(own_python_files(snap), key=len):
        stem = path[: -len("/__init__.py")] if path.endswith("/__init__.py") else path[:-3]
        parts = stem.split("/")
        for i in range(len(parts)):
            out.setdefault("/".join(parts[i:]), path)
    return out


def _resolve_function(
    snap: Snapshot, path: str, name: str
) -> tuple[str, ast.FunctionDef | ast.AsyncFunctionDef] | None:
    """Where the function called ``name`` in ``path`` is defined: the same file, or a group
    module it is imported from."""

    local = _functions_of(snap, path)
    if name in local:
        return path, local[name]
    imported = _imported_names(snap, path).get(name)
    if imported is None:
        return None
    module, level, original = imported
    target = _module_file(snap, path, module, level)
    if target is None:
        return None
    fn = _functions_of(snap, target).get(original)
    return (target, fn) if fn is not None else None


def _collection_for(snap: Snapshot, route: Route) -> tuple[str, int, str, str] | None:
    """(path, line, callee, where) of a persisting call reached from a route: in the route,
    in a background task it schedules, or in a saving helper up to two calls away."""

    queue: list[tuple[str, ast.AST, str, bool, int]] = [
        (route.path, route.node, route.name, True, 0)
    ]
    seen: set[int] = {id(route.node)}
    while queue:
        path, fn, name, trusted, depth = queue.pop(0)
        sinks = _sinks(fn)
        if sinks and (trusted or _SAVER_NAME.search(name)):
            line, callee = sinks[0]
            return path, line, callee, f"{name}()"
        if depth >= 2:
            continue
        for call in (n for n in ast.walk(fn) if isinstance(n, ast.Call)):
            callee = dotted(call.func)
            tail = callee.rsplit(".", 1)[-1]
            background = tail == "add_task" and bool(call.args)
            target = dotted(call.args[0]) if background else callee
            if not target or (not background and target not in (tail, f"self.{tail}")):
                continue
            resolved = _resolve_function(snap, path, target.rsplit(".", 1)[-1])
            if resolved is None or id(resolved[1]) in seen:
                continue
            seen.add(id(resolved[1]))
            fn_name = resolved[1].name
            saver = background or bool(_SAVER_NAME.search(fn_name)) or (trusted and depth > 0)
            queue.append((resolved[0], resolved[1], fn_name, saver, depth + 1))
    return None


@probe("M27.input-output-collection")
def input_output_collection(snap: Snapshot) -> Observation:
    """The API stores request inputs and predictions: a route (or the background task or
    helper it calls) writes to a file, bucket or database."""

    checked = [
        "FastAPI/Flask route handlers, their background tasks and same-file helpers (AST)",
        "writes: csv/parquet, json.dump, append-mode files, GCS uploads, DB inserts",
    ]
    routes = api_routes(snap)
    if not routes:
        return missing("no API routes, so nothing collects inputs and outputs", checked)
    for route in routes:
        hit = _collection_for(snap, route)
        if hit is not None:
            path, line, callee, where = hit
            return found(
                f"route {route.name}() stores data through {where}",
                [
                    evidence(snap, route.path, route.line, f"route {route.name}()"),
                    evidence(snap, path, line, f"{callee}: persists request data"),
                ],
                checked,
            )
    return missing(
        f"{len(routes)} API route(s), none stores its inputs and predictions",
        checked,
        [evidence(snap, routes[0].path, routes[0].line, "route checked")],
    )


# --------------------------------------------------------------------------- M27 drift API


def _drift_in(snap: Snapshot, path: str, fn: ast.AST, depth: int = 0) -> bool:
    """Whether ``fn`` calls a drift library, itself or through helpers two calls deep."""

    idx = next(iter(py_indexes(snap, [path])), None)
    if idx is None:
        return False
    first, last = getattr(fn, "lineno", 0), getattr(fn, "end_lineno", 0) or 0
    if any(first <= c.line <= last and c.resolved.split(".")[0] in DRIFT_LIBS for c in idx.calls):
        return True
    if depth >= 2:
        return False
    for call in (n for n in ast.walk(fn) if isinstance(n, ast.Call)):
        callee = dotted(call.func)
        if not callee or "." in callee:
            continue
        resolved = _resolve_function(snap, path, callee)
        if (
            resolved is not None
            and resolved[1] is not fn
            and _drift_in(snap, resolved[0], resolved[1], depth + 1)
        ):
            return True
    return False


def drift_apis(snap: Snapshot) -> list[Evidence]:
    """Routes that run drift detection, directly or through the group's helpers."""

    if not drift_calls(snap):
        return []
    return [
        evidence(snap, r.path, r.line, f"route {_route_arg(r) or r.name} runs drift detection")
        for r in api_routes(snap)
        if _drift_in(snap, r.path, r.node)
    ]


_SERVER = re.compile(r"\b(uvicorn|gunicorn|hypercorn|fastapi|python[\d.]*|flask)\b")


def _started_by_deployment(snap: Snapshot, path: str) -> list[Evidence]:
    """A container starting the module at ``path`` (``uvicorn pkg.drift_api:app``,
    ``python drift_api.py``), or a Cloud Run / Functions deploy command."""

    stem = posixpath.splitext(posixpath.basename(path))[0]
    starts = re.compile(rf"(^|[\s./\"'])({re.escape(stem)}:\w+|{re.escape(stem)}\.py)(\s|$|[\"'])")
    out = []
    for cmd in shell_commands(snap):
        if cmd.kind not in ("dockerfile", "cloudbuild"):
            continue  # a local run script (``uvicorn --reload``) is not a deployment
        if not _SERVER.search(cmd.text) or not starts.search(cmd.text):
            continue
        why = (
            "container starts the drift API" if cmd.kind == "dockerfile" else "starts the drift API"
        )
        out.append(cmd_evidence(snap, cmd, why))
    runs, _ = deploy_commands(snap)
    return out + runs


@probe("M27.drift-api")
def drift_api(snap: Snapshot) -> Observation:
    """An API whose routes run drift detection, with a container or deploy command for it."""

    checked = [
        "API routes in files calling drift libraries or importing a project drift module",
        "Dockerfiles starting that module, gcloud run deploy commands",
    ]
    apis = drift_apis(snap)
    if apis:
        deployed = _started_by_deployment(snap, apis[0].path)
        if deployed:
            return found(
                "a drift detection API with deployment config", apis[:2] + deployed[:2], checked
            )
        return partial(
            "a drift detection API, but no container or deploy command starts it",
            apis[:3],
            checked,
        )
    drift = drift_calls(snap)
    if drift:
        return partial("drift analysis exists, but no API route runs it", drift[:2], checked)
    return missing_with_branches(
        snap, "no drift detection API (no drift analysis at all)", checked, ("drift",)
    )


# --------------------------------------------------------------------------- M28 metrics

PROM_METRICS = ("Counter", "Histogram", "Gauge", "Summary", "Info", "Enum")
PROM_EXPOSE = ("make_asgi_app", "make_wsgi_app", "generate_latest", "start_http_server")
INSTRUMENTATORS = (
    "prometheus_fastapi_instrumentator.Instrumentator",
    "starlette_exporter.PrometheusMiddleware",
    "starlette_prometheus.PrometheusMiddleware",
    "prometheus_flask_exporter.PrometheusMetrics",
)
OTEL_METRIC_TAILS = ("create_counter", "create_histogram", "create_up_down_counter", "create_gauge")


_EXPOSE_TEXT = re.compile(r"\.expose\(|handle_metrics|[\"']/metrics")


def metrics_instrumentation(snap: Snapshot) -> tuple[list[Evidence], list[Evidence]]:
    """(metric definitions or instrumentators, exposures such as a /metrics endpoint)."""

    def build() -> tuple[list[Evidence], list[Evidence]]:
        defined: list[Evidence] = []
        exposed: list[Evidence] = []
        for word in ("prometheus", "opentelemetry", "metrics"):
            for idx in py_indexes(snap, mentioning=word):
                if is_test_path(idx.path) or any(e.path == idx.path for e in defined + exposed):
                    continue
                for call in idx.calls:
                    name = call.resolved
                    parts = name.split(".")
                    if parts[0] == "prometheus_client" and parts[-1] in PROM_METRICS:
                        defined.append(evidence(snap, idx.path, call.line, f"metric {parts[-1]}"))
                    elif parts[0] == "prometheus_client" and parts[-1] in PROM_EXPOSE:
                        exposed.append(
                            evidence(snap, idx.path, call.line, f"metrics exposed ({parts[-1]})")
                        )
                    elif any(name.startswith(i) for i in INSTRUMENTATORS):
                        defined.append(
                            evidence(snap, idx.path, call.line, f"{parts[-1]}: API instrumented")
                        )
                        line = next(
                            (
                                n
                                for n, t in enumerate(snap.lines(idx.path), 1)
                                if not t.lstrip().startswith("#") and _EXPOSE_TEXT.search(t)
                            ),
                            None,
                        )
                        if line is not None:
                            why = "metrics exposed by the instrumentator"
                            exposed.append(evidence(snap, idx.path, line, why))
                    elif parts[-1] in OTEL_METRIC_TAILS and "opentelemetry" in (
                        snap.text(idx.path) or ""
                    ):
                        defined.append(
                            evidence(snap, idx.path, call.line, f"OpenTelemetry {parts[-1]}")
                        )
                for fn in idx.functions:
                    for deco in fn.decorators:
                        if deco.name.rsplit(".", 1)[-1] in ROUTE_METHODS and (
                            deco.args or ""
                        ).startswith(('"/metrics', "'/metrics")):
                            exposed.append(evidence(snap, idx.path, deco.line, "/metrics endpoint"))
        return defined, exposed

    return snap.memo("probes.monitoring.metrics", build)


@probe("M28.system-metrics")
def system_metrics(snap: Snapshot) -> Observation:
    """prometheus-client metrics (or an instrumentator) in the API, exposed on /metrics."""

    checked = [
        "prometheus_client Counter/Histogram/Gauge/Summary, instrumentators (AST)",
        "make_asgi_app/generate_latest/start_http_server, /metrics routes",
        "OpenTelemetry meters (create_counter/histogram)",
    ]
    defined, exposed = metrics_instrumentation(snap)
    if defined and (exposed or any("OpenTelemetry" in e.why for e in defined)):
        shown = {(d.path, d.line) for d in defined[:3]}
        extra = [e for e in exposed if (e.path, e.line) not in shown][:1]
        return found(f"{len(defined)} metric definition(s), exposed", defined[:3] + extra, checked)
    if defined:
        return partial(
            "metrics are defined but never exposed (no /metrics endpoint)", defined[:3], checked
        )
    if exposed:
        return partial(
            "a /metrics endpoint without Prometheus/OpenTelemetry metrics: check what it reports",
            exposed[:2],
            checked,
        )
    declared = _declared(snap, "prometheus-client", "prometheus-fastapi-instrumentator")
    if declared:
        return partial("a metrics library is declared but no code uses it", declared, checked)
    return missing_with_branches(
        snap, "no metrics instrumentation in the code", checked, ("metric", "prometheus", "monitor")
    )


# --------------------------------------------------------------------------- M28 cloud


def _deploy_pointers(snap: Snapshot) -> list[Evidence]:
    runs, other = deploy_commands(snap)
    return runs[:1] + other[:1]


_SIDECAR_WORDS = (
    "collector",
    "prometheus",
    "otel",
    "opentelemetry",
    "stackdriver",
    "gmp",
    "ops-agent",
)


def _collector_configs(snap: Snapshot) -> list[Evidence]:
    """OpenTelemetry collector configs exporting to Google Cloud, Cloud Run sidecars,
    dashboard definitions."""

    out = []
    for path in own_files(snap):
        if not path.endswith((".yaml", ".yml", ".json")) or path.startswith(".github/"):
            continue
        text = snap.text(path) or ""
        if path.endswith(".json"):
            if '"widgets"' in text and ("mosaicLayout" in text or "gridLayout" in text):
                out.append(evidence(snap, path, 1, "Cloud Monitoring dashboard definition"))
            continue
        if "exporters" in text and ("googlecloud" in text or "googlemanagedprometheus" in text):
            doc = snap.yaml(path)
            if doc.ok and isinstance(doc.value, dict) and "receivers" in doc.value:
                line = next(
                    (n for n, t in enumerate(snap.lines(path), 1) if t.startswith("exporters")), 1
                )
                out.append(
                    evidence(snap, path, line, "collector exporting metrics to Google Cloud")
                )
    for ev in cloud_run_service_yamls(snap):
        line = next(
            (
                n
                for n, t in enumerate(snap.lines(ev.path), 1)
                if "image:" in t and any(w in t.lower() for w in _SIDECAR_WORDS)
            ),
            None,
        )
        if line is not None:
            why = "Cloud Run service with a monitoring sidecar"
            out.append(evidence(snap, ev.path, line, why))
    for cmd, _ in gcloud_calls(snap, "monitoring", "dashboards", "create"):
        out.append(cmd_evidence(snap, cmd, "creates a monitoring dashboard"))
    for idx in py_indexes(snap, mentioning="cloud_monitoring"):
        for call in idx.calls:
            if "cloud_monitoring" in call.resolved or call.resolved.startswith(
                "google.cloud.monitoring"
            ):
                out.append(
                    evidence(snap, idx.path, call.line, "exports metrics to Cloud Monitoring")
                )
                break
    return out


@probe("M28.cloud-monitoring")
def cloud_monitoring(snap: Snapshot) -> Observation:
    """Cloud monitoring of the instrumented app: found only for a config that defines it
    (collector sidecar, dashboard, exporter); otherwise a console matter."""

    checked = [
        "OpenTelemetry collector configs with Google Cloud exporters, Cloud Run sidecars",
        "dashboard JSON, gcloud monitoring dashboards create, Cloud Monitoring exporters",
    ]
    configs = _collector_configs(snap)
    if configs:
        return found("cloud monitoring defined in the repository", configs[:3], checked)
    defined, exposed = metrics_instrumentation(snap)
    pointers = defined[:1] + exposed[:1] + _deploy_pointers(snap)
    return not_verifiable(
        "cloud monitoring is set up in the cloud console; pointers: "
        + ("instrumented app" if defined else "no instrumentation found"),
        pointers,
        checked,
    )


def _alert_policies(snap: Snapshot) -> list[Evidence]:
    out = []
    for path in own_files(snap):
        lower = path.lower()
        if lower.endswith(".tf"):
            for n, line in enumerate(snap.lines(path), 1):
                if "google_monitoring_alert_policy" in line and line.lstrip().startswith(
                    "resource"
                ):
                    out.append(evidence(snap, path, n, "Terraform alert policy"))
                    break
            continue
        if not lower.endswith((".json", ".yaml", ".yml")) or lower.startswith(".github/"):
            continue
        text = snap.text(path) or ""
        if "conditions" not in text or not any(
            k in text
            for k in (
                "conditionThreshold",
                "conditionAbsent",
                "conditionMatchedLog",
                "conditionPrometheusQueryLanguage",
                "combiner",
            )
        ):
            continue
        value: Any
        if lower.endswith(".json"):
            try:
                value = json.loads(text)
            except ValueError:
                continue
        else:
            doc = snap.yaml(path)
            value = doc.value if doc.ok else None
        if isinstance(value, dict) and isinstance(value.get("conditions"), list):
            line = next((n for n, t in enumerate(snap.lines(path), 1) if "conditions" in t), 1)
            out.append(evidence(snap, path, line, "alert policy definition"))
    for cmd, _ in gcloud_calls(snap, "monitoring", "policies", "create"):
        out.append(cmd_evidence(snap, cmd, "creates an alert policy"))
    return out


@probe("M28.alerts")
def alerts(snap: Snapshot) -> Observation:
    """Alert policies: found for a policy file or command; otherwise a console matter."""

    checked = [
        "alert policy JSON/YAML (conditions + threshold/absence/log match), Terraform",
        "gcloud alpha monitoring policies create",
    ]
    policies = _alert_policies(snap)
    if policies:
        return found("alert policy defined in the repository", policies[:3], checked)
    defined, _ = metrics_instrumentation(snap)
    return not_verifiable(
        "no alert policy in the repository; alerts normally live in the cloud console",
        defined[:1] + _deploy_pointers(snap),
        checked,
    )


@probe("M28.system-telemetry")
def system_telemetry(snap: Snapshot) -> Observation:
    """Telemetry of the deployed model: metrics instrumentation or monitoring configs;
    otherwise the console's own service metrics (manual)."""

    checked = ["metrics instrumentation (as M28.system-metrics) and monitoring configs"]
    defined, exposed = metrics_instrumentation(snap)
    configs = _collector_configs(snap)
    if defined or configs:
        return found(
            "the service is instrumented for monitoring",
            (defined + configs)[:2] + exposed[:1],
            checked,
        )
    return not_verifiable(
        "no instrumentation in the code; Cloud Run/Functions telemetry lives in the console",
        _deploy_pointers(snap),
        checked,
    )


@probe("M28.performance-monitoring")
def performance_monitoring(snap: Snapshot) -> Observation:
    """Monitoring of prediction quality: a drift API or drift reports on collected data."""

    checked = ["drift detection APIs and drift analysis code (as M27)"]
    apis = drift_apis(snap)
    if apis:
        return found("a drift monitoring API", apis[:2], checked)
    drift = drift_calls(snap)
    if drift:
        return partial(
            "drift analysis exists, but not as monitoring of the deployed model", drift[:2], checked
        )
    return not_verifiable(
        "no drift or performance monitoring in the code; console-only monitoring is not visible",
        _deploy_pointers(snap),
        checked,
    )
