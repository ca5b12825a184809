"""M25 specialised serving (ONNX, BentoML, TorchServe) and M26 frontends for the API."""

from __future__ import annotations

import ast
import json
import posixpath
import re
from typing import TYPE_CHECKING

from probes._common import evidence, is_test_path, own_files, py_indexes, py_tree
from probes.cloud import _declared, command_invocations, missing_with_branches, shell_commands
from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, found, partial

if TYPE_CHECKING:
    from verifier.repo.formats.pyindex import PyIndex
    from verifier.repo.snapshot import Snapshot


#: Modules whose import makes a file a served application.
SERVING_MODULES = ("fastapi", "flask", "bentoml", "gradio", "streamlit", "litserve", "starlette")


def _serves(idx: PyIndex) -> bool:
    return any((imp.top_level or "") in SERVING_MODULES for imp in idx.imports)


# --------------------------------------------------------------------------- M25 ONNX/BentoML

ONNX_EXPORTS = (
    "torch.onnx.export",
    "torch.onnx.dynamo_export",
    "skl2onnx.convert_sklearn",
    "skl2onnx.to_onnx",
    "tf2onnx.convert.from_keras",
    "onnxmltools.convert_lightgbm",
    "onnxmltools.convert_xgboost",
)
ONNX_RUNTIMES = ("onnxruntime.InferenceSession", "onnxruntime.InferenceSession.run")
BENTO_SERVICE_DECORATORS = ("bentoml.service", "bentoml.Service")


def _onnx_and_bento(
    snap: Snapshot,
) -> tuple[list[Evidence], list[Evidence], list[Evidence], list[Evidence]]:
    """(exports, runtime sessions in served apps, other runtime sessions, BentoML services)."""

    exports: list[Evidence] = []
    served: list[Evidence] = []
    runtime: list[Evidence] = []
    bento: list[Evidence] = []
    for word in ("onnx", "bentoml"):
        for idx in py_indexes(snap, mentioning=word):
            if is_test_path(idx.path):
                continue
            for call in idx.calls:
                name = call.resolved
                if word == "onnx":
                    if name in ONNX_EXPORTS or call.name.endswith(".to_onnx"):
                        exports.append(evidence(snap, idx.path, call.line, f"ONNX export: {name}"))
                    elif name == "onnxruntime.InferenceSession":
                        target = served if _serves(idx) else runtime
                        why = "ONNX Runtime session" + (" in a served app" if _serves(idx) else "")
                        target.append(evidence(snap, idx.path, call.line, why))
                elif name in BENTO_SERVICE_DECORATORS:
                    bento.append(evidence(snap, idx.path, call.line, "BentoML service"))
            if word == "bentoml":
                for cls in idx.classes:
                    if any(d.resolved in BENTO_SERVICE_DECORATORS for d in cls.decorators):
                        bento.append(
                            evidence(snap, idx.path, cls.line, f"BentoML service {cls.name}")
                        )
                for fn in idx.functions:
                    if any(
                        d.resolved.startswith("bentoml.api") or d.name.endswith(".api")
                        for d in fn.decorators
                    ):
                        bento.append(evidence(snap, idx.path, fn.line, f"BentoML API {fn.name}()"))
    # de-duplicate (the two passes see files mentioning both words twice)
    seen: set[tuple[str, int | None]] = set()
    lists = []
    for items in (exports, served, runtime, bento):
        keep = []
        for e in items:
            if (e.path, e.line) not in seen:
                seen.add((e.path, e.line))
                keep.append(e)
        lists.append(keep)
    return lists[0], lists[1], lists[2], lists[3]


def _bentofiles(snap: Snapshot) -> list[Evidence]:
    out = []
    for path in own_files(snap):
        if posixpath.basename(path) in ("bentofile.yaml", "bentofile.yml"):
            doc = snap.yaml(path)
            if doc.ok and isinstance(doc.value, dict) and doc.value.get("service"):
                line = next(
                    (n for n, t in enumerate(snap.lines(path), 1) if t.startswith("service")), 1
                )
                out.append(evidence(snap, path, line, "bentofile names a service"))
    return out


@probe("M25.onnx-bentoml")
def onnx_bentoml(snap: Snapshot) -> Observation:
    """A BentoML service, or an ONNX model served with ONNX Runtime inside an API."""

    checked = [
        "torch.onnx.export / skl2onnx / .to_onnx() and onnxruntime.InferenceSession (AST)",
        "@bentoml.service classes, @bentoml.api methods, bentoml.Service(), bentofile.yaml",
        "test files are not counted",
    ]
    exports, served, runtime, bento = _onnx_and_bento(snap)
    if bento:
        return found("BentoML service", bento[:3] + _bentofiles(snap)[:1], checked)
    if served:
        return found(
            "an API serves an ONNX model with ONNX Runtime", served[:2] + exports[:2], checked
        )
    if exports and runtime:
        return partial(
            "the model is exported to ONNX and run with ONNX Runtime, but not inside an API",
            exports[:2] + runtime[:2],
            checked,
        )
    if exports or runtime:
        lacking = "never loaded with ONNX Runtime" if exports else "no export to ONNX"
        return partial(f"ONNX only in part: {lacking}", (exports + runtime)[:3], checked)
    bentofiles = _bentofiles(snap)
    if bentofiles:
        return partial("a bentofile, but no BentoML service code", bentofiles, checked)
    declared = _declared(snap, "onnx", "onnxruntime", "onnxruntime-gpu", "bentoml")
    if declared:
        return partial("ONNX/BentoML is declared but no code uses it", declared, checked)
    return missing_with_branches(
        snap, "no ONNX export/runtime or BentoML service in the code", checked, ("onnx", "bento")
    )


# --------------------------------------------------------------------------- M25 TorchServe

TS_HANDLER_PREFIX = "ts.torch_handler"


@probe("M25.torchserve")
def torchserve(snap: Snapshot) -> Observation:
    """A model archive built with ``torch-model-archiver`` and served with ``torchserve``, or a
    custom TorchServe handler."""

    checked = [
        "torch-model-archiver / torchserve commands in scripts, workflows, Dockerfiles, tasks.py",
        "handler classes based on ts.torch_handler.* (AST)",
        "*.mar archives and config.properties",
    ]
    archiver: list[Evidence] = []
    serve: list[Evidence] = []
    for cmd in shell_commands(snap):
        if "torch-model-archiver" not in cmd.text and "torchserve" not in cmd.text:
            continue
        for inv in command_invocations(cmd.text):
            if inv.program == "torch-model-archiver":
                archiver.append(evidence(snap, cmd.path, cmd.line, "builds a .mar archive"))
            elif inv.program == "torchserve" and "--stop" not in inv.args:
                serve.append(evidence(snap, cmd.path, cmd.line, "starts TorchServe"))
    handlers: list[Evidence] = []
    for idx in py_indexes(snap, mentioning="ts.torch_handler"):
        for cls in idx.classes:
            if any(b.startswith(TS_HANDLER_PREFIX) for b in cls.resolved_bases):
                handlers.append(
                    evidence(snap, idx.path, cls.line, f"TorchServe handler {cls.name}")
                )
    archives = [
        evidence(snap, p, None, "model archive (.mar)")
        for p in own_files(snap)
        if p.endswith(".mar")
    ]
    if archiver and (serve or handlers or archives):
        return found(
            "model archived and served with TorchServe",
            archiver[:2] + serve[:1] + handlers[:1],
            checked,
        )
    if serve and (archives or handlers):
        return found(
            "TorchServe started on a model archive", serve[:2] + (archives + handlers)[:2], checked
        )
    if archiver or serve or handlers or archives:
        return partial(
            "TorchServe only in part (archive, handler and serving not all visible)",
            (archiver + serve + handlers + archives)[:3],
            checked,
        )
    declared = _declared(snap, "torchserve", "torch-model-archiver")
    if declared:
        return partial("TorchServe is declared but not used", declared, checked)
    return missing_with_branches(
        snap, "no TorchServe archive, handler or command", checked, ("torchserve", "serve")
    )


# --------------------------------------------------------------------------- M26 frontend

HTTP_CLIENT_PREFIXES = ("requests.", "httpx.", "aiohttp.", "urllib.request.urlopen")
JS_FRAMEWORKS = (
    "react",
    "vue",
    "svelte",
    "next",
    "@angular/core",
    "nuxt",
    "@sveltejs/kit",
    "solid-js",
)
_JS_CALL = re.compile(r"\bfetch\s*\(|\baxios\b|XMLHttpRequest|\$\.(ajax|post|get)\(")
HTML_RESPONSES = (
    "fastapi.templating.Jinja2Templates",
    "starlette.templating.Jinja2Templates",
    "fastapi.responses.HTMLResponse",
    "flask.render_template",
)


def _client_calls(idx: PyIndex) -> list[int]:
    return [
        c.line
        for c in idx.calls
        if c.resolved.startswith(HTTP_CLIENT_PREFIXES)
        and c.resolved.rsplit(".", 1)[-1]
        in (
            "get",
            "post",
            "put",
            "request",
            "urlopen",
            "stream",
            "Client",
            "AsyncClient",
            "ClientSession",
        )
    ]


def _client_in_imports(snap: Snapshot, idx: PyIndex) -> Evidence | None:
    """An HTTP client call in a group module the frontend imports (``from pkg.client
    import predict``)."""

    from probes.monitoring import _module_file  # monitoring imports this module

    for imp in idx.imports:
        if not imp.is_from or (imp.top_level or "") in SERVING_MODULES:
            continue
        target = _module_file(snap, idx.path, imp.module, imp.level)
        if target is None or target == idx.path:
            continue
        other = next(iter(py_indexes(snap, [target])), None)
        calls = _client_calls(other) if other is not None else []
        if calls:
            return evidence(snap, target, calls[0], "calls the API over HTTP (imported helper)")
    return None


def _python_frontends(snap: Snapshot) -> list[tuple[Evidence, Evidence | None]]:
    """(a Streamlit/Gradio app, its first HTTP client call or None)."""

    out: list[tuple[Evidence, Evidence | None]] = []
    for word in ("streamlit", "gradio"):
        for idx in py_indexes(snap, mentioning=word):
            if is_test_path(idx.path):
                continue
            if word == "streamlit":
                ui = [c for c in idx.calls if c.resolved.startswith("streamlit.")]
                kind = "Streamlit app"
            else:
                ui = [
                    c
                    for c in idx.calls
                    if c.resolved in ("gradio.Interface", "gradio.Blocks", "gradio.ChatInterface")
                ]
                kind = "Gradio app"
            if not ui:
                continue
            app = evidence(snap, idx.path, ui[0].line, kind)
            calls = _client_calls(idx)
            client = (
                evidence(snap, idx.path, calls[0], "calls the API over HTTP")
                if calls
                else _client_in_imports(snap, idx)
            )
            out.append((app, client))
    return out


def _js_frontends(snap: Snapshot) -> list[tuple[Evidence, Evidence | None]]:
    out: list[tuple[Evidence, Evidence | None]] = []
    files = own_files(snap)
    for path in files:
        if posixpath.basename(path) != "package.json":
            continue
        try:
            data = json.loads(snap.text(path) or "")
        except ValueError:
            continue
        if not isinstance(data, dict):
            continue
        deps: dict[str, object] = {}
        for key in ("dependencies", "devDependencies"):
            if isinstance(data.get(key), dict):
                deps.update(data[key])
        framework = next((f for f in JS_FRAMEWORKS if f in deps), None)
        if framework is None:
            continue
        folder = posixpath.dirname(path)
        prefix = f"{folder}/" if folder else ""
        sources = [
            p
            for p in files
            if p.startswith(prefix)
            and p.endswith((".js", ".jsx", ".ts", ".tsx", ".vue", ".svelte"))
            and "/node_modules/" not in f"/{p}"
            and not p.endswith((".config.js", ".config.ts"))
        ]
        if not sources:
            continue
        line = next((n for n, t in enumerate(snap.lines(path), 1) if f'"{framework}"' in t), 1)
        app = evidence(snap, path, line, f"{framework} frontend ({len(sources)} source files)")
        client = None
        for src in sources:
            n = next((n for n, t in enumerate(snap.lines(src), 1) if _JS_CALL.search(t)), None)
            if n is not None:
                client = evidence(snap, src, n, "calls the API over HTTP")
                break
        out.append((app, client))
    return out


def _inline_pages(snap: Snapshot) -> list[tuple[Evidence, Evidence | None]]:
    """HTML pages written as string literals in an API file that returns HTMLResponse."""

    out: list[tuple[Evidence, Evidence | None]] = []
    for idx in py_indexes(snap, mentioning="HTMLResponse"):
        if is_test_path(idx.path) or (
            not any(c.resolved.endswith("HTMLResponse") for c in idx.calls)
            and "response_class=HTMLResponse" not in (snap.text(idx.path) or "")
        ):
            continue
        tree = py_tree(snap, idx.path)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            lower = node.value.lower()
            if "<html" not in lower and "<form" not in lower:
                continue
            page = evidence(snap, idx.path, node.lineno, "HTML page served by the API")
            client = None
            for offset, text in enumerate(node.value.split("\n")):
                if _JS_CALL.search(text) or ("<form" in text.lower() and "action=" in text.lower()):
                    client = evidence(
                        snap, idx.path, node.lineno + offset, "the page calls the API"
                    )
                    break
            out.append((page, client))
            break
    return out


def _html_frontends(snap: Snapshot) -> list[tuple[Evidence, Evidence | None]]:
    """HTML pages served by the API (templates / HTMLResponse) that call it back."""

    out: list[tuple[Evidence, Evidence | None]] = _inline_pages(snap)
    pages = [
        p
        for p in own_files(snap)
        if p.endswith((".html", ".htm"))
        and not p.startswith(("reports/", "docs/", "site/", "htmlcov/"))
    ]
    if not pages:
        return out
    servers = []
    for word in ("Jinja2Templates", "HTMLResponse", "render_template", "StaticFiles"):
        for idx in py_indexes(snap, mentioning=word):
            for call in idx.calls:
                if call.resolved in HTML_RESPONSES or call.resolved.endswith("StaticFiles"):
                    servers.append(evidence(snap, idx.path, call.line, "the API serves HTML pages"))
                    break
    if not servers:
        return out
    client = None
    for page in pages:
        n = next((n for n, t in enumerate(snap.lines(page), 1) if _JS_CALL.search(t)), None)
        if n is not None:
            client = evidence(snap, page, n, "the page calls the API")
            break
    out.append((servers[0], client))
    return out


@probe("M26.frontend")
def frontend(snap: Snapshot) -> Observation:
    """A Streamlit/Gradio app or a JS/HTML frontend; found when it talks to the API over HTTP."""

    checked = [
        "streamlit calls / gr.Interface|Blocks in *.py (AST), with requests/httpx calls",
        "package.json with react/vue/svelte/... and sources, fetch/axios calls",
        "HTML pages served by the API (Jinja2Templates/HTMLResponse/StaticFiles)",
    ]
    apps = _python_frontends(snap) + _js_frontends(snap) + _html_frontends(snap)
    talking = [[a, c] for a, c in apps if c is not None]
    if talking:
        return found(f"frontend {talking[0][0].path} calls the API", talking[0], checked)
    if apps:
        return partial(
            "a frontend, but it does not call an API over HTTP (it may run the model itself)",
            [a for a, _ in apps][:3],
            checked,
        )
    declared = _declared(snap, "streamlit", "gradio")
    if declared:
        return partial("a frontend library is declared but no app uses it", declared, checked)
    return missing_with_branches(
        snap,
        "no frontend (Streamlit, Gradio, JS or served HTML)",
        checked,
        ("frontend", "front-end", "streamlit", "gradio", "ui"),
    )
