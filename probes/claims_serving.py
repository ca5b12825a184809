"""Claims on serving: Dockerfiles named in the answers, the roles of the images, and the
API endpoints the answers name, compared with the Dockerfiles and the routes of the code.

Routes are read from the AST (never imported): FastAPI decorators (through
:func:`probes.api.fastapi_routes`), ``add_api_route`` and ``mount`` calls, router prefixes,
FastAPI's built-in documentation pages, the ``/metrics`` page of
``Instrumentator().instrument(app).expose(app)``, Flask ``@app.route``, BentoML ``@bentoml.api``
methods and Cloud Functions entry points.
"""

from __future__ import annotations

import ast
import difflib
import posixpath
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from urllib.parse import unquote

from probes._common import dockerfiles, evidence, is_dockerfile_name, own_python_files, where
from probes.api import fastapi_routes
from probes.claims_files import own_repositories, whole_repository
from verifier.engine.registry import claim_check
from verifier.findings import ClaimResult, Evidence, consistent, inconsistent, unverifiable
from verifier.repo.formats.dockerfile import Dockerfile
from verifier.repo.snapshot import normalize_path

if TYPE_CHECKING:
    from verifier.claims.model import Claim
    from verifier.repo.snapshot import Snapshot
    from verifier.report.model import Report


def _ev(snap: Snapshot, path: str, line: int | None, why: str) -> Evidence:
    """Evidence with the path as the repository names it (also in a project-folder view)."""

    ev = evidence(snap, path, line, why)
    return replace(ev, path=snap.repo_path(path))


def _flip(result: ClaimResult, negated: bool, expected: str) -> ClaimResult:
    """For "we did not have X": the repository showing X contradicts it, and the reverse."""

    if not negated or str(result.verdict) == "unverifiable":
        return result
    if str(result.verdict) == "consistent":
        return inconsistent(
            expected, result.observed, "the answer denies it, " + result.why, result.evidence
        )
    return consistent(
        expected, result.observed, "the answer denies it; " + result.why, result.evidence
    )


def _unticked_note(report: Report, item_id: str, what: str) -> str:
    """A note when the answer shows work whose checklist box is left unticked."""

    from verifier.report.model import Tick

    item = next((i for i in report.items if i.catalog_id == item_id), None)
    if item is None or item.tick is not Tick.UNTICKED:
        return ""
    return f"; the checklist's {what} box (line {item.line}) is not ticked"


def _with_note(result: ClaimResult, note: str) -> ClaimResult:
    if note and str(result.verdict) == "consistent":
        result.observed += note
    return result


# =========================================================================== Dockerfiles


def _describe(df: Dockerfile) -> str:
    run = df.entrypoint or df.cmd
    parts = []
    if df.stages:
        parts.append(f"base image {df.stages[-1].image}")
    if run is not None:
        parts.append(f"starts {' '.join(run.argv)[:80]}")
    return "; ".join(parts) or (df.error or "no instructions")


def _docker_ev(snap: Snapshot, df: Dockerfile, why: str) -> Evidence:
    line = df.stages[-1].line if df.stages else None
    return _ev(snap, df.path, line, f"{why} ({_describe(df)})")


def _path_candidates(value: str, report_dir: str, project_root: str) -> list[str]:
    """Repository paths the written path may mean, most literal first."""

    value = value.replace("\\", "/").strip()
    out: list[str] = []
    if value.startswith(("../", "./")):
        joined = posixpath.normpath(posixpath.join(report_dir, value))
        if not joined.startswith(".."):
            out.append(joined)
    bare = value.lstrip("/")
    while bare.startswith(("../", "./")):
        bare = bare[3:] if bare.startswith("../") else bare[2:]
    norm = normalize_path(bare)
    if norm:
        if project_root:
            out.append(f"{project_root}/{norm}")
        out.append(norm)
        parts = norm.split("/")
        out.extend("/".join(parts[i:]) for i in range(1, len(parts)))  # "proj/dockerfiles/x"
    return list(dict.fromkeys(out))


def _find_file(root: Snapshot, candidates: list[str]) -> tuple[str | None, bool]:
    """The first candidate that exists (exact), else a case-insensitive or suffix match.

    The flag is True for an exact match."""

    for c in candidates:
        if root.exists(c):
            return c, True
    paths = root.all_paths()
    lowered = {p.lower(): p for p in paths}
    for c in candidates:
        hit = lowered.get(c.lower())
        if hit is not None:
            return hit, False
    if candidates:
        tail = candidates[-1].lower()
        hits = sorted(p for p in paths if p.lower().endswith("/" + tail))
        if hits:
            return hits[0], False
    return None, False


def _report_dir(report: Report) -> str:
    path = normalize_path(report.path.replace("\\", "/")) or ""
    return posixpath.dirname(path) if not report.path.startswith("/") else "reports"


@claim_check("dockerfile")
def check_dockerfile(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """A Dockerfile the answer names exists (by path, or by name in another folder)."""

    written = str(claim.value)
    expected = f"no Dockerfile {written}" if claim.negated else f"Dockerfile {written} exists"
    root = whole_repository(snap)
    if "github" in claim.tags:
        name = f"{claim.get('owner')}/{claim.get('repo')}".lower()
        own, told = own_repositories(snap, report)
        norm = normalize_path(written)
        if name not in own and not (norm and root.exists(norm)):
            return unverifiable(
                expected, f"a URL into github.com/{name}, not known as this repository ({told})"
            )
    stem = posixpath.basename(written.replace("\\", "/")).lower()
    if stem in (".dockerfile", "dockerfile.", ".docker"):
        return unverifiable(expected, "names a kind of file, not a file")
    candidates = _path_candidates(written, _report_dir(report), snap.project_root)
    hit, exact = _find_file(root, candidates)
    if hit is None:
        result = _dockerfile_missing(root, snap, written, candidates, expected)
        return _flip(result, claim.negated, expected)
    df = next((d for d in dockerfiles(root) if d.path == hit), None)
    if df is None:
        text = root.text(hit)
        from verifier.repo.formats.dockerfile import parse_dockerfile

        df = parse_dockerfile(hit, text) if text is not None else None
    how = "the named file exists" if exact else "a file of that name exists"
    ev = [_docker_ev(root, df, how)] if df is not None else [_ev(root, hit, None, how)]
    observed = hit if df is None else f"{hit} ({_describe(df)})"
    if df is not None and (df.error or not df.stages):
        observed += f"; it is not a usable Dockerfile: {df.error or 'no FROM instruction'}"
    result = consistent(expected, observed, how + ("" if exact else f" at {hit}"), ev)
    result = _with_note(result, _unticked_note(report, "M10.dockerfiles", "Dockerfile"))
    return _flip(result, claim.negated, expected)


def _dockerfile_missing(
    root: Snapshot, snap: Snapshot, written: str, candidates: list[str], expected: str
) -> ClaimResult:
    present = [d.path for d in dockerfiles(root)]
    for c in candidates:
        branches = root.branches_holding(c)
        if branches:
            return inconsistent(
                expected,
                f"{c} is only on branch {', '.join(branches[:3])}",
                "not at the audited commit",
            )
    observed = (
        f"no {written}; Dockerfiles here: {where(present)}"
        if present
        else (f"no {written}; no Dockerfile in the repository")
    )
    close = _closest(written, present)
    if close:
        observed += f"; closest name: {close}"
        df = next(d for d in dockerfiles(root) if d.path == close)
        ev_close = [_docker_ev(root, df, "the Dockerfile the answer names, named differently")]
        if _name_words(close) == _name_words(written):
            return consistent(
                expected,
                observed,
                f"{close} has the same name words in another form ({written})",
                ev_close,
            )
        return unverifiable(
            expected,
            f"no Dockerfile of that name; {close} is spelled nearly the same and may be the one "
            "meant",
            ev_close,
            observed,
        )
    if posixpath.basename(written).lower() in ("dockerfile", "dockerfiles") and present:
        return unverifiable(
            expected,
            "the answer names a plain Dockerfile; the repository's Dockerfiles have other names, "
            "and which one is meant cannot be told",
            [_docker_ev(root, d, "a Dockerfile of the repository") for d in dockerfiles(root)[:3]],
            observed,
        )
    folders = sorted({posixpath.dirname(p) for p in present} - {""})
    base = posixpath.basename(candidates[-1]) if candidates else ""
    gone = _removed(root, [*candidates, *(f"{f}/{base}" for f in folders if base)])
    if gone:
        observed += f"; {gone}"
    ev = [_docker_ev(root, d, "a Dockerfile of the repository") for d in dockerfiles(root)[:3]]
    return inconsistent(expected, observed, "looked for the path and the file name everywhere", ev)


def _name_words(path: str) -> set[str]:
    name = posixpath.basename(path).lower().replace("dockerfile", " ")
    return set(re.findall(r"[a-z0-9]+", name))


def _closest(written: str, present: list[str]) -> str | None:
    """A Dockerfile whose name has the same words in another order or form
    (``train.dockerfile`` for ``Dockerfile.train``), or a near spelling of them."""

    want = _name_words(written)
    if not want:
        return None
    for path in present:
        if _name_words(path) == want:
            return path
    stems = {"_".join(sorted(_name_words(p))): p for p in present if _name_words(p)}
    near = difflib.get_close_matches("_".join(sorted(want)), list(stems), 1, 0.8)
    return stems[near[0]] if near else None


def _removed(root: Snapshot, candidates: list[str]) -> str | None:
    """ "removed in <commit>" when a candidate path existed earlier in the history."""

    for c in candidates:
        log = root.path_log(c, max_count=1)
        if log:
            return f"{c} existed earlier (last changed in {log[0].sha[:8]}: {log[0].subject[:60]})"
    return None


#: Words in a Dockerfile's name or in the command it starts, per role of an image.
ROLE_WORDS: dict[str, frozenset[str]] = {
    "train": frozenset({"train", "trainer", "training", "finetune", "fine_tune", "sweep"}),
    "api": frozenset(
        {
            "api",
            "backend",
            "fastapi",
            "serve",
            "server",
            "serving",
            "inference",
            "infer",
            "predict",
            "predictor",
            "prediction",
            "deploy",
            "deployment",
            "uvicorn",
            "gunicorn",
            "bentoml",
            "torchserve",
            "onnx",
            "service",
        }
    ),
    "frontend": frozenset(
        {"frontend", "front", "streamlit", "ui", "gradio", "web", "website", "dashboard", "nginx"}
    ),
    "evaluate": frozenset({"evaluate", "eval", "evaluation", "evaluator", "test", "tests"}),
    "data": frozenset(
        {"data", "dataset", "preprocess", "preprocessing", "make_dataset", "download", "prepare"}
    ),
    "monitoring": frozenset({"monitoring", "monitor", "drift", "evidently", "prometheus"}),
    "visualize": frozenset({"visualize", "visualise", "visualization", "plot", "plots"}),
}


#: Roles an image of its own is usually built for; other steps (data, evaluation, plots)
#: often run inside one of these.
PRIMARY_ROLES = frozenset({"train", "api", "frontend"})
BENTOFILES = frozenset({"bentofile.yaml", "bentofile.yml"})


def _words(text: str) -> set[str]:
    low = text.lower()
    words = set(re.findall(r"[a-z0-9]+", low))
    words |= set(re.findall(r"[a-z0-9]+_[a-z0-9]+", low))
    return words


def dockerfile_roles(df: Dockerfile) -> dict[str, str]:
    """Roles of the image a Dockerfile builds, each with what tells it (name or command)."""

    name = posixpath.basename(df.path).lower()
    name_words = _words(name.replace("dockerfile", " "))
    if not any(name_words & words for words in ROLE_WORDS.values()):
        name_words |= _words(posixpath.dirname(df.path))  # docker/train/Dockerfile
    run = df.entrypoint or df.cmd
    argv = " ".join(run.argv) if run is not None else ""
    # options (``--server.port``) say nothing of the role; program and script names do
    run_words = _words(
        " ".join(posixpath.basename(a) for a in argv.split() if not a.startswith("-"))
    )
    for words in (name_words, run_words):
        if "drift" in words:
            words.discard("data")  # a data-drift image monitors; it prepares no data
    roles: dict[str, str] = {}
    for role, words in ROLE_WORDS.items():
        if run_words & words:
            roles[role] = f"starts {argv[:80]}"
        elif name_words & words:
            roles[role] = f"named {df.path}"
    return roles


@claim_check("docker-role")
def check_docker_role(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """An image for a role (training, API, frontend...) has a Dockerfile for it."""

    role = str(claim.value)
    expected = f"no {role} image" if claim.negated else f"a Dockerfile for a {role} image"
    root = whole_repository(snap)
    dfs = [d for d in dockerfiles(root) if d.error is None or d.stages]
    if not dfs:
        result = inconsistent(
            expected,
            "no Dockerfile in the repository",
            "looked for Dockerfiles by every common name",
        )
        return _flip(result, claim.negated, expected)
    matching = [(d, dockerfile_roles(d)) for d in dfs]
    hits = [(d, r[role]) for d, r in matching if role in r]
    if hits and claim.negated:
        # Denials of an image are rarely what the sentence is about ("we decided against a
        # CUDA base image", "we did not run the images by hand"): not held against the group.
        return unverifiable(
            expected,
            f"the answer reads as denying a {role} image, but {where(d.path for d, _ in hits)} "
            "is one; the sentence may be about something else",
            [_docker_ev(root, d, f"{role} image: {why}") for d, why in hits[:3]],
            observed=f"{role} image: {where(d.path for d, _ in hits)}",
        )
    if hits:
        ev = [_docker_ev(root, d, f"{role} image: {why}") for d, why in hits[:3]]
        result = consistent(
            expected,
            f"{role} image: {where(d.path for d, _ in hits)}",
            "told by the Dockerfile's name or the command it starts",
            ev,
        )
        result = _with_note(result, _unticked_note(report, "M10.dockerfiles", "Dockerfile"))
        return _flip(result, claim.negated, expected)
    if role == "api":
        bento = [p for p in root.files() if posixpath.basename(p) in BENTOFILES]
        if bento:
            result = consistent(
                expected,
                f"BentoML service built into an image from {bento[0]}",
                "bentoml containerize builds the API image without a Dockerfile",
                [_ev(root, bento[0], None, "BentoML build file")],
            )
            return _flip(result, claim.negated, expected)
    unknown = [d for d, r in matching if not r]
    described = ", ".join(
        f"{d.path} ({'/'.join(sorted(r)) or 'role unknown'})" for d, r in matching[:6]
    )
    ev = [_docker_ev(root, d, "a Dockerfile of the repository") for d in dfs[:3]]
    if unknown:
        return unverifiable(
            expected,
            f"the role of {where(d.path for d in unknown)} cannot be told from its name or command",
            ev,
            observed=described,
        )
    if role not in PRIMARY_ROLES:
        return unverifiable(
            expected,
            f"no Dockerfile is named for {role} or starts it; such a step often runs inside "
            "another image",
            ev,
            observed=described,
        )
    result = inconsistent(expected, described, f"no Dockerfile builds a {role} image", ev)
    return _flip(result, claim.negated, expected)


# =========================================================================== endpoints


@dataclass(frozen=True)
class Endpoint:
    """A route the code serves: the file and line that declare it, and the framework."""

    route: str
    path: str
    line: int
    framework: str  # fastapi, fastapi-docs, prometheus, mount, flask, bentoml, cloud-function
    method: str = ""


@dataclass
class Served:
    endpoints: list[Endpoint] = field(default_factory=list)
    prefixes: set[str] = field(default_factory=set)
    dynamic: list[Endpoint] = field(default_factory=list)  # routes whose path is not literal
    fastapi_apps: list[Evidence] = field(default_factory=list)

    @property
    def frameworks(self) -> set[str]:
        return {e.framework for e in self.endpoints}


_SCAN_WORDS = ("fastapi", "flask", "bentoml", "Instrumentator", "functions_framework", ".mount(")
_DOCS = {"docs_url": "/docs", "redoc_url": "/redoc", "openapi_url": "/openapi.json"}


def _const_str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _kw(call: ast.Call, name: str) -> ast.AST | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _chain_names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)
    }


def _scan_file(path: str, text: str, served: Served) -> None:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    flask = "flask" in text
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            _scan_call(path, node, served)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            _scan_function(path, node, served, flask)


def _scan_call(path: str, node: ast.Call, served: Served) -> None:
    name = _callee(node)
    first = _const_str(node.args[0]) if node.args else None
    if name in ("include_router", "APIRouter", "Blueprint", "register_blueprint"):
        prefix = _const_str(_kw(node, "prefix")) or _const_str(_kw(node, "url_prefix"))
        if prefix:
            served.prefixes.add(prefix.rstrip("/"))
    elif name == "mount" and first is not None:
        served.endpoints.append(Endpoint(first, path, node.lineno, "mount"))
    elif name in ("add_api_route", "add_route", "add_url_rule"):
        if first is not None:
            served.endpoints.append(Endpoint(first, path, node.lineno, "fastapi"))
    elif name == "expose" and "Instrumentator" in _chain_names(node.func):
        route = _const_str(_kw(node, "endpoint")) or "/metrics"
        served.endpoints.append(Endpoint(route, path, node.lineno, "prometheus"))
    elif name == "FastAPI":
        for kwarg, default in _DOCS.items():
            value = _kw(node, kwarg)
            if value is None:
                served.endpoints.append(Endpoint(default, path, node.lineno, "fastapi-docs"))
            elif _const_str(value):
                route = _const_str(value) or default
                served.endpoints.append(Endpoint(route, path, node.lineno, "fastapi-docs"))


def _scan_function(
    path: str, node: ast.FunctionDef | ast.AsyncFunctionDef, served: Served, flask: bool
) -> None:
    for deco in node.decorator_list:
        call = deco if isinstance(deco, ast.Call) else None
        target = call.func if call is not None else deco
        attr = (
            target.attr
            if isinstance(target, ast.Attribute)
            else (target.id if isinstance(target, ast.Name) else "")
        )
        dotted = ast.unparse(target)
        first = _const_str(call.args[0]) if call is not None and call.args else None
        if attr == "route" and first is not None:
            served.endpoints.append(Endpoint(first, path, deco.lineno, "flask"))
        elif flask and attr in ("get", "post", "put", "delete", "patch") and first is not None:
            served.endpoints.append(Endpoint(first, path, deco.lineno, "flask", attr))
        elif attr == "api" and ("bentoml" in dotted or dotted.endswith(".api") or dotted == "api"):
            route = (_const_str(_kw(call, "route")) if call is not None else None) or (
                "/" + node.name
            )
            served.endpoints.append(Endpoint(route, path, deco.lineno, "bentoml"))
        elif dotted.startswith("functions_framework."):
            served.endpoints.append(Endpoint("/" + node.name, path, deco.lineno, "cloud-function"))


def served_routes(snap: Snapshot) -> Served:
    """Every route the group's code declares, read from the AST."""

    def build() -> Served:
        served = Served()
        apps, routes = fastapi_routes(snap)
        served.fastapi_apps = [a for a in apps if a.why.startswith("FastAPI")]
        for r in routes:
            if r.method == "websocket":
                continue
            ep = Endpoint(r.route, r.path, r.line, "fastapi", r.method)
            (served.endpoints if r.route else served.dynamic).append(ep)
        for path in own_python_files(snap):
            text = snap.text(path) or ""
            if any(w in text for w in _SCAN_WORDS):
                _scan_file(path, text, served)
        return served

    return snap.memo("claims_serving.served_routes", build)


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def _param(segment: str) -> bool:
    return (segment.startswith("{") and segment.endswith("}")) or (
        segment.startswith("<") and segment.endswith(">")
    )


def route_matches(route: str, claimed: str) -> bool:
    """Does a claimed path (``/items/1``, ``/items/{id}``) fall under a declared route?"""

    r, c = _segments(route), [unquote(s) for s in _segments(claimed)]
    if route.endswith("/**"):  # a mounted application serves everything below its path
        return c[: len(r) - 1] == r[:-1]
    for k, seg in enumerate(r):
        if _param(seg) and (seg.endswith(":path}") or seg.startswith("<path:")):
            return len(c) > k
        if k >= len(c):
            return False
        if _param(seg):
            continue
        if _param(c[k]) or seg != c[k]:
            return False
    return len(r) == len(c)


def _full_routes(ep: Endpoint, prefixes: set[str]) -> list[str]:
    if ep.framework == "mount":
        return [ep.route.rstrip("/") + "/**"]
    if ep.framework in ("fastapi-docs", "prometheus", "cloud-function"):
        return [ep.route]
    out = [ep.route]
    for p in prefixes:
        out.append(p + "/" + ep.route.lstrip("/"))
        for q in prefixes:
            out.append(p + q + "/" + ep.route.lstrip("/"))
    return out


#: Hosts of a group's own deployment: local, Cloud Run / Functions / App Engine, Hugging
#: Face Spaces, bare addresses, and placeholders (``<url>``, ``$URL``, ``YOUR-SERVICE``).
_OWN_HOSTS = re.compile(
    r"(^localhost|^[\d.]+$|^[\d.]+:\d+$|\.run\.app|cloudfunctions\.net|appspot\.com|hf\.space|"
    r"[<>${}]|[A-Z]{2,}|^localhost:\d+$)",
)
_URL_HOST = re.compile(r"https?://([^/\s'\"`]+)")


def _foreign_host(claim: Claim) -> str | None:
    """The host of a URL in the claim's words that is no deployment of the group's."""

    for m in _URL_HOST.finditer(claim.quote):
        host = m.group(1)
        if not _OWN_HOSTS.search(host):
            return host
    return None


def _function_named(snap: Snapshot, name: str) -> tuple[str, int] | None:
    from probes._common import py_indexes

    for idx in py_indexes(snap, mentioning=name):
        for fn in idx.functions:
            if fn.name == name and not fn.is_method:
                return idx.path, fn.line
    return None


def _kind(ep: Endpoint) -> str:
    return {
        "fastapi-docs": "FastAPI's built-in documentation page",
        "prometheus": "Prometheus metrics exposed by the instrumentator",
        "mount": "a mounted application",
        "cloud-function": "Cloud Functions entry point",
    }.get(ep.framework, f"{ep.framework} route")


def _method(ep: Endpoint) -> str:
    return f"{ep.method.upper()} " if ep.method else ""


def loose_match(route: str, claimed: str) -> bool:
    """The claim names a route by its last segments (``/predict`` for ``/api/v1/predict``)
    or without its trailing parameters (``/predict`` for ``/predict/{model_name}``)."""

    r, c = _segments(route), _segments(claimed)
    if not c or len(c) >= len(r):
        return False
    if r[-len(c) :] == c:
        return True
    return r[: len(c)] == c and all(_param(seg) for seg in r[len(c) :])


#: Words that make a sentence counterfactual ("we could have exposed /metrics").
COUNTERFACTUAL = re.compile(
    r"\b(could|would|should|might)(\s+have|['’]ve)\b|\bcould\s+be\s+added\b", re.I
)


_IMAGE_REF = re.compile(
    r"\S*(?:\.pkg\.dev|gcr\.io|docker\.io|ghcr\.io|azurecr\.io|\.amazonaws\.com)/\S*", re.I
)


def _in_image_name(quote: str, claimed: str) -> bool:
    """``europe-west1-docker.pkg.dev/<project>/repo/api``: a registry path, not a route."""

    segments = claimed.strip("/")
    if not segments:
        return False  # "/" is in every registry path: it says nothing
    needle = f"/{segments}"
    return any(
        (m.group(0) + "/").find(needle + "/") >= 0 or m.group(0).endswith(needle)
        for m in _IMAGE_REF.finditer(quote)
    )


@claim_check("api-endpoint")
def check_endpoint(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """A route the answer names is declared by the group's API code."""

    claimed = str(claim.value)
    expected = f"no endpoint {claimed}" if claim.negated else f"endpoint {claimed}"
    served = served_routes(snap)
    hits = [
        ep
        for ep in served.endpoints
        if any(route_matches(full, claimed) for full in _full_routes(ep, served.prefixes))
    ]
    loose = [
        (ep, full)
        for ep in served.endpoints
        if ep.framework not in ("fastapi-docs", "mount")
        for full in _full_routes(ep, served.prefixes)
        if loose_match(full, claimed)
    ]
    if not hits and loose:
        ep, full = loose[0]
        ev = [_ev(snap, e.path, e.line, f"{_kind(e)}: {_method(e)}{f}") for e, f in loose[:3]]
        result = consistent(
            expected,
            f"{_method(ep)}{full} ({_kind(ep)})",
            f"the answer names the route {full} by part of its path",
            ev,
        )
        return _flip(result, claim.negated, expected)
    if hits:
        ep = hits[0]
        ev = [_ev(snap, e.path, e.line, f"{_kind(e)}: {_method(e)}{e.route}") for e in hits[:3]]
        result = consistent(
            expected, f"{_method(ep)}{ep.route} ({_kind(ep)})", "declared in the code", ev
        )
        if ep.framework == "fastapi":
            result = _with_note(result, _unticked_note(report, "M22.fastapi", "FastAPI"))
        return _flip(result, claim.negated, expected)
    declared = sorted({e.route for e in served.endpoints if e.framework != "fastapi-docs"})
    listing = ", ".join(declared[:10]) or "none"
    if COUNTERFACTUAL.search(claim.sentence):
        return unverifiable(
            expected,
            "the sentence reads as something the group could have done, not as done",
            observed=f"declared routes: {listing}",
        )
    if _in_image_name(claim.quote, claimed):
        return unverifiable(
            expected,
            "the path is part of a container image name, not a route",
            observed=f"declared routes: {listing}",
        )
    host = _foreign_host(claim)
    if host is not None:
        return unverifiable(
            expected,
            f"the path belongs to a URL on {host}, not to the group's API",
            observed=f"declared routes: {listing}",
        )
    if "cloudfunctions.net" in claim.quote:
        entry = _function_named(snap, claimed.strip("/"))
        if entry is not None:
            return consistent(
                expected,
                f"function {claimed.strip('/')}() at {snap.repo_path(entry[0])}:{entry[1]}",
                "a Cloud Functions URL names the deployed function",
                [_ev(snap, entry[0], entry[1], "the function the URL names")],
            )
        return unverifiable(
            expected,
            "a Cloud Functions URL: the path is the deployed function's name, and no entry "
            "point of that name was found",
            observed=f"declared routes: {listing}",
        )
    fastapi = [e for e in served.endpoints if e.framework == "fastapi"]
    if not fastapi and served.fastapi_apps:
        return unverifiable(
            expected,
            "a FastAPI app is created, but no route of it was read from the code (routes "
            "added in ways not read here)",
            observed=f"declared routes: {listing}",
        )
    if not fastapi and not served.fastapi_apps:
        others = sorted(served.frameworks - {"fastapi-docs", "mount"})
        why = (
            f"the API is not FastAPI ({', '.join(others)}); its routes may be declared in "
            "ways not read here"
            if others
            else "no FastAPI app or other API routes found in the code; the API may live elsewhere"
        )
        return unverifiable(expected, why, observed=f"declared routes: {listing}")
    if served.dynamic:
        d = served.dynamic[0]
        return unverifiable(
            expected,
            f"some routes are not literal paths (e.g. {d.path}:{d.line}); "
            f"{claimed} may be one of them",
            [_ev(snap, d.path, d.line, "a route with a computed path")],
            observed=f"declared routes: {listing}",
        )
    ev = [_ev(snap, e.path, e.line, f"route {e.method.upper()} {e.route}") for e in fastapi[:3]]
    result = inconsistent(
        expected,
        f"declared routes: {listing}",
        f"no route of the FastAPI code serves {claimed}",
        ev,
    )
    return _flip(result, claim.negated, expected)


__all__ = [
    "ROLE_WORDS",
    "Endpoint",
    "Served",
    "check_docker_role",
    "check_dockerfile",
    "check_endpoint",
    "dockerfile_roles",
    "is_dockerfile_name",
    "route_matches",
    "served_routes",
]
