"""M21 training in GCP and M23 cloud deployment: job configs and the commands that launch them.

Shell commands are gathered from everywhere a group keeps them: workflow ``run`` steps,
``cloudbuild*.yaml`` steps (``entrypoint``/``args``, ``bash -c`` scripts), shell scripts,
Makefiles, Dockerfile ``RUN``/``CMD`` lines and command strings in Python (``c.run("...")`` in
``tasks.py``, ``subprocess.run([...])``). Markdown is never evidence: a command in a README
only says what someone could type. Whatever lives only in the cloud console is invisible here.
"""

from __future__ import annotations

import ast
import posixpath
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from probes._commands import Invocation, invocations
from probes._common import dockerfiles, evidence, own_files, py_indexes, py_tree, workflows
from probes._deps import declared_dependencies
from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, Origin, found, missing, not_verifiable, partial

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot


# --------------------------------------------------------------------------- shell commands


@dataclass(frozen=True)
class ShellCommand:
    """One shell command line found in the repository (continuations joined)."""

    path: str
    line: int
    text: str
    kind: str  # "workflow", "cloudbuild", "script", "makefile", "dockerfile", "python"


#: Words that make a Python file worth scanning for command strings.
COMMAND_WORDS = (
    "gcloud",
    "torch-model-archiver",
    "torchserve",
    "torchrun",
    "accelerate",
    "bentoml",
)
_SCRIPT_SUFFIXES = (".sh", ".bash", ".zsh", ".ps1", ".cmd", ".bat")
_MAKE_NAMES = ("makefile", "gnumakefile", "justfile")
_SUBSHELL = re.compile(r"\$\(|`")


def command_invocations(command: str) -> list[Invocation]:
    """``invocations`` that also looks inside ``$(...)`` and backticks."""

    return invocations(_SUBSHELL.sub(" ; ", command).replace(")", " ; "))


def _join_continuations(lines: list[str], first: int = 1) -> list[tuple[int, str]]:
    """Physical lines → (line number, command) with ``\\`` continuations joined and ``#``
    comment lines dropped."""

    out: list[tuple[int, str]] = []
    pending: list[str] = []
    start = first
    for offset, raw in enumerate(lines):
        text = raw.strip()
        if not pending:
            if not text or text.startswith(("#", "::", "REM ")):
                continue
            start = first + offset
        if text.endswith(("\\", "`")) and not text.endswith("\\\\"):
            pending.append(text[:-1].strip())
            continue
        pending.append(text)
        joined = " ".join(p for p in pending if p)
        pending = []
        if joined:
            out.append((start, joined))
    if pending:
        out.append((start, " ".join(p for p in pending if p)))
    return out


def _script_commands(snap: Snapshot, path: str, kind: str) -> list[ShellCommand]:
    lines = snap.lines(path)
    if kind == "makefile":
        lines = [ln.lstrip("\t @-") if ln.startswith("\t") else ln for ln in lines]
    return [ShellCommand(path, n, t, kind) for n, t in _join_continuations(lines)]


def _is_cloudbuild_name(path: str) -> bool:
    name = posixpath.basename(path).lower()
    return name.startswith("cloudbuild") and name.endswith((".yaml", ".yml", ".json"))


def _looks_like_cloudbuild(snap: Snapshot, path: str) -> bool:
    """A YAML file of Cloud Build steps under another name (``.gcp/build.yaml``)."""

    if path.startswith(".github/"):
        return False
    text = snap.text(path) or ""
    return "steps:" in text and any(
        w in text for w in ("cloud-builders", "cloudsdktool", "cloud-sdk")
    )


def _as_strs(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, str | int | float)]
    if isinstance(value, str):
        return [value]
    return []


def _locate(lines: list[str], needle: str, start: int, *, word: bool = False) -> int:
    """1-based line of the first line at or after ``start`` (0-based) containing ``needle``
    (as a whole YAML word when ``word``); ``start + 1`` when there is none."""

    needle = needle.strip()
    if needle:
        pattern = re.compile(rf"(^|[\s'\"\[,-]){re.escape(needle)}($|[\s'\",\]])") if word else None
        for i in range(max(start, 0), len(lines)):
            if pattern.search(lines[i]) if pattern else needle in lines[i]:
                return i + 1
    return start + 1


def _cloudbuild_commands(snap: Snapshot, path: str) -> list[ShellCommand]:
    doc = snap.yaml(path)
    steps = doc.value.get("steps") if doc.ok and isinstance(doc.value, dict) else None
    if not isinstance(steps, list):
        return []
    lines = snap.lines(path)
    out: list[ShellCommand] = []
    cursor = 0
    for step in steps:
        if not isinstance(step, dict):
            continue
        image = str(step.get("name") or "")
        cursor = _locate(lines, image, cursor) - 1 if image else cursor
        args = _as_strs(step.get("args"))
        entry = str(step.get("entrypoint") or "")
        script = step.get("script")
        if isinstance(script, str):
            first = _locate(lines, script.strip().split("\n", 1)[0], cursor)
            out.extend(
                ShellCommand(path, n, t, "cloudbuild")
                for n, t in _join_continuations(script.split("\n"), first)
            )
            continue
        if entry.rsplit("/", 1)[-1] in ("bash", "sh") and "-c" in args:
            body = args[args.index("-c") + 1] if args.index("-c") + 1 < len(args) else ""
            first = _locate(lines, body.strip().split("\n", 1)[0], cursor)
            out.extend(
                ShellCommand(path, n, t, "cloudbuild")
                for n, t in _join_continuations(body.split("\n"), first)
            )
            continue
        program = entry or image.rsplit("/", 1)[-1].split(":", 1)[0]
        if program in ("cloud-sdk", "google-cloud-cli") and args:
            program, args = args[0], args[1:]
        if not program:
            continue
        positional = [a for a in args if not a.startswith("-")]
        line = _locate(lines, positional[0], cursor, word=True) if positional else cursor + 1
        if program == "gcloud" and len(positional) > 1:
            # ``gcloud run deploy`` as an args list: point at the verb, not at ``run``
            line = _locate(lines, positional[1], line - 1, word=True)
        out.append(ShellCommand(path, line, " ".join([program, *args]), "cloudbuild"))
    return out


def _string_value(node: ast.AST) -> str | None:
    """A literal string, an f-string (fields as ``{}``) or a list of them joined by spaces."""

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for v in node.values:
            if isinstance(v, ast.Constant) and isinstance(v.value, str):
                parts.append(v.value)
            else:
                parts.append("{}")
        return "".join(parts)
    if isinstance(node, ast.List | ast.Tuple):
        words = [_string_value(e) for e in node.elts]
        if words and all(w is not None for w in words):
            return " ".join(w for w in words if w is not None)
    return None


_RUNNER_TAILS = ("run", "system", "call", "check_call", "check_output", "Popen", "popen", "sudo")


def _python_commands(snap: Snapshot, path: str) -> list[ShellCommand]:
    """Command strings passed to ``c.run``/``subprocess.*``/``os.system`` in a Python file."""

    tree = py_tree(snap, path)
    if tree is None:
        return []
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        tail = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if tail not in _RUNNER_TAILS:
            continue
        value = _string_value(node.args[0])
        if value is None:
            continue
        for offset, command in _join_continuations(value.split("\n")):
            out.append(ShellCommand(path, node.args[0].lineno + offset - 1, command, "python"))
    return out


def shell_commands(snap: Snapshot) -> list[ShellCommand]:
    """Every shell command of the group's workflows, build configs, scripts and tasks."""

    def build() -> list[ShellCommand]:
        out: list[ShellCommand] = []
        for wf in workflows(snap):
            for _job, step in wf.all_steps():
                out.extend(ShellCommand(wf.path, n, t, "workflow") for n, t in step.run_commands())
        for path in own_files(snap):
            name = posixpath.basename(path).lower()
            if name.endswith((".yaml", ".yml")) and (
                _is_cloudbuild_name(path) or _looks_like_cloudbuild(snap, path)
            ):
                out.extend(_cloudbuild_commands(snap, path))
            elif name.endswith(_SCRIPT_SUFFIXES):
                out.extend(_script_commands(snap, path, "script"))
            elif name in _MAKE_NAMES or name.endswith(".mk"):
                out.extend(_script_commands(snap, path, "makefile"))
            elif name.endswith(".py") and any(w in (snap.text(path) or "") for w in COMMAND_WORDS):
                out.extend(_python_commands(snap, path))
        for df in dockerfiles(snap):
            for ins in df.instructions:
                if ins.keyword in ("RUN", "CMD", "ENTRYPOINT"):
                    text = " ".join(ins.arguments) if ins.exec_form else ins.args
                    out.append(ShellCommand(df.path, ins.line, text, "dockerfile"))
        return out

    return snap.memo("probes.cloud.shell_commands", build)


def gcloud_words(inv: Invocation) -> tuple[str, ...]:
    """The command group words of a ``gcloud`` call (``("run", "deploy", "svc")``), with
    ``alpha``/``beta`` and options dropped."""

    if inv.program != "gcloud":
        return ()
    words = []
    skip_next = False
    for arg in inv.args:
        if skip_next:
            skip_next = False
            continue
        if arg.startswith("-"):
            skip_next = "=" not in arg and arg in ("--project", "--region", "--format")
            continue
        if arg in ("alpha", "beta"):
            continue
        words.append(arg)
    return tuple(words)


def gcloud_calls(snap: Snapshot, *prefix: str) -> list[tuple[ShellCommand, Invocation]]:
    """Commands running ``gcloud <prefix...>``."""

    out = []
    for cmd in shell_commands(snap):
        if "gcloud" not in cmd.text:
            continue
        for inv in command_invocations(cmd.text):
            if gcloud_words(inv)[: len(prefix)] == prefix:
                out.append((cmd, inv))
    return out


def option_value(inv: Invocation, name: str) -> str | None:
    """``--name=value`` or ``--name value`` of an invocation."""

    args = list(inv.args)
    for i, arg in enumerate(args):
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
        if arg == name and i + 1 < len(args):
            return args[i + 1]
    return None


def _names_work(branch: str, word: str) -> bool:
    """A word starts one of the branch name's parts (``feature/frontend-v2`` names
    ``frontend``; ``rebuild`` does not name ``ui``); a word with a dash must appear whole."""

    name = branch.lower().replace("_", "-")
    if "-" in word:
        return word in name
    return any(part.startswith(word) for part in re.split(r"[^a-z0-9]+", name))


def missing_with_branches(
    snap: Snapshot, summary: str, checked: list[str], words: tuple[str, ...]
) -> Observation:
    """``missing``, naming other branches called after the work (``feature/frontend``):
    work only there is not on the audited commit, and is said so rather than counted."""

    hints = [
        Evidence(
            ".git",
            None,
            f"branch {branch}",
            "a branch named after this work; it is not on the audited commit",
            Origin.OTHER_BRANCH,
        )
        for branch in snap.history.branches
        if any(_names_work(branch, w) for w in words)
    ][:2]
    if hints:
        names = ", ".join(h.text.removeprefix("branch ") for h in hints)
        summary += f" (branch {names} may hold it, but it is not on the audited commit)"
    return missing(summary, checked, hints)


def cmd_evidence(snap: Snapshot, cmd: ShellCommand, why: str) -> Evidence:
    return evidence(snap, cmd.path, cmd.line, f"{why} ({cmd.kind})")


def _yaml_files(snap: Snapshot) -> list[str]:
    return [
        p
        for p in own_files(snap)
        if p.endswith((".yaml", ".yml")) and not p.startswith(".github/workflows/")
    ]


def _declared(snap: Snapshot, *names: str) -> list[Evidence]:
    for path, req in declared_dependencies(snap).requirements:
        if req.name in names:
            return [evidence(snap, path, req.line, f"{req.name} declared")]
    return []


_DOC_SUFFIXES = (".md", ".rst", ".txt")
_REGISTRY_IMAGE = re.compile(r"(\bgcr\.io|-docker\.pkg\.dev)/[\w${}. -]+/")


def is_report_path(path: str) -> bool:
    """The course report (and its copies): the claim itself, never evidence for it."""

    lower = path.lower()
    return lower.startswith(("reports/", "report/")) or "/reports/" in lower


#: A copy of the report's checklist (``* [x] ... (M21)``) says nothing about the work.
_CHECKLIST_LINE = re.compile(r"^\s*[*-]\s*\[.{0,4}\]")
_NOT_DOCS = (".github/agents/", ".github/prompts/")


def doc_pointers(snap: Snapshot, pattern: re.Pattern[str], why: str) -> list[Evidence]:
    """First matching line of each documentation file (not the report): a pointer only."""

    out = []
    for path in own_files(snap):
        if not path.lower().endswith(_DOC_SUFFIXES) or is_report_path(path):
            continue
        if path.startswith(_NOT_DOCS) or posixpath.basename(path).upper().startswith("AGENTS"):
            continue
        if path.endswith(".txt") and posixpath.basename(path).startswith("requirements"):
            continue
        for number, line in enumerate(snap.lines(path), start=1):
            if pattern.search(line) and not _CHECKLIST_LINE.match(line):
                ev = evidence(snap, path, number, why)
                if ev.origin is not Origin.TEMPLATE:
                    out.append(ev)
                break
    return out


def gcp_build_pointers(snap: Snapshot) -> list[Evidence]:
    """Cloud Build configs and images pushed to a Google registry: the group uses GCP."""

    out = []
    for path in own_files(snap):
        if _is_cloudbuild_name(path) and (snap.text(path) or "").strip():
            out.append(evidence(snap, path, 1, "Cloud Build config (the group builds on GCP)"))
    for cmd in shell_commands(snap):
        if cmd.kind != "dockerfile" and _REGISTRY_IMAGE.search(cmd.text):
            out.append(cmd_evidence(snap, cmd, "image in a Google registry"))
            break
    return out


GOOGLE_ACTIONS = ("google-github-actions/",)


def gcp_use(snap: Snapshot) -> list[Evidence]:
    """Signs that the group works on GCP at all: builds, deployments, gcloud commands,
    deployed-service URLs, a GCS DVC remote. Pointers for items done in the console."""

    out = gcp_build_pointers(snap)
    runs, other = deploy_commands(snap)
    out += runs[:1] + other[:1]
    gcloud = next((c for c in shell_commands(snap) if "gcloud " in c.text), None)
    if gcloud is not None:
        out.append(cmd_evidence(snap, gcloud, "gcloud command"))
    out += service_urls(snap)[:1]
    for wf in workflows(snap):
        step = next(
            (st for _, st in wf.all_steps() if (st.action or "").startswith(GOOGLE_ACTIONS)), None
        )
        if step is not None:
            out.append(evidence(snap, wf.path, step.line, f"uses {step.action}"))
            break
    for path in (".dvc/config", ".dvc/config.local"):
        line = next((n for n, t in enumerate(snap.lines(path), 1) if "gs://" in t), None)
        if line is not None:
            out.append(evidence(snap, path, line, "DVC remote in a GCS bucket"))
    return out


# --------------------------------------------------------------------------- M21 training


_WORKER_POOL = re.compile(r"^\s*-?\s*[\"']?(workerPoolSpecs|worker_pool_specs)[\"']?\s*:")
_TRAINING_DOC = re.compile(
    r"custom-jobs\s+create|workerPoolSpecs|compute\s+instances\s+create|Vertex\s*AI", re.I
)
AIPLATFORM_JOBS = (
    "CustomJob",
    "CustomContainerTrainingJob",
    "CustomTrainingJob",
    "CustomPythonPackageTrainingJob",
    "HyperparameterTuningJob",
    "PipelineJob",
)


def _pool_specs(value: Any) -> Any:
    if not isinstance(value, dict):
        return None
    for key in ("workerPoolSpecs", "worker_pool_specs"):
        if key in value:
            return value[key]
    for key in ("jobSpec", "job_spec", "trainingInput"):
        inner = value.get(key)
        if isinstance(inner, dict):
            found_specs = _pool_specs(inner)
            if found_specs is not None:
                return found_specs
    return None


def _mentions(value: Any, key: str) -> bool:
    if isinstance(value, dict):
        return key in value or any(_mentions(v, key) for v in value.values())
    if isinstance(value, list):
        return any(_mentions(v, key) for v in value)
    return False


_PLACEHOLDER = re.compile(r"<\s*(your|project|docker|image|PROJECT|IMAGE)[\w -]*>")
PLACEHOLDER_NOTE = ", with placeholder values (<...>) never filled in"


_IMAGE_KEYS = ("imageUri", "image_uri", "executorImageUri", "executor_image_uri")


def _values_of(value: Any, keys: tuple[str, ...]) -> list[Any]:
    if isinstance(value, dict):
        out = [v for k, v in value.items() if k in keys]
        for v in value.values():
            out.extend(_values_of(v, keys))
        return out
    if isinstance(value, list):
        return [x for v in value for x in _values_of(v, keys)]
    return []


def vertex_configs(snap: Snapshot) -> list[Evidence]:
    """YAML files defining a Vertex AI custom job (worker pool specs with a machine spec)."""

    out = []
    for path in _yaml_files(snap):
        text = snap.text(path) or ""
        if "orker" not in text:
            continue
        doc = snap.yaml(path)
        specs = _pool_specs(doc.value) if doc.ok else None
        if specs is None or (
            not _mentions(specs, "machineSpec") and not _mentions(specs, "machine_spec")
        ):
            continue
        line = next(
            (n for n, t in enumerate(snap.lines(path), start=1) if _WORKER_POOL.match(t)), 1
        )
        image = "containerSpec" in text or "pythonPackageSpec" in text
        why = "Vertex AI job config: worker pool with a machine spec"
        if any(_PLACEHOLDER.search(str(v)) for v in _values_of(specs, _IMAGE_KEYS)):
            why += PLACEHOLDER_NOTE
        elif not image:
            why += ", but no container"
        out.append(evidence(snap, path, line, why))
    return out


@probe("M21.cloud-training")
def cloud_training(snap: Snapshot) -> Observation:
    """A Vertex AI custom job (config, ``gcloud ai custom-jobs create``, ``aiplatform`` job) or
    a Compute Engine VM launched for training."""

    checked = [
        "YAML with workerPoolSpecs/machineSpec (Vertex AI job configs)",
        "gcloud ai custom-jobs create / ai-platform jobs submit / compute instances create|ssh "
        "in workflows, cloudbuild, scripts, Makefiles, Dockerfiles, tasks.py",
        "google.cloud.aiplatform job classes in *.py (AST)",
        "a job started only from the cloud console leaves no trace here",
    ]
    configs = vertex_configs(snap)
    config_paths = {e.path for e in configs}
    launches: list[Evidence] = []
    broken: list[Evidence] = []
    for cmd, inv in gcloud_calls(snap, "ai", "custom-jobs", "create") + gcloud_calls(
        snap, "ai-platform", "jobs", "submit"
    ):
        cfg = option_value(inv, "--config")
        if cfg and not snap.exists(cfg.strip("'\"")) and "{" not in cfg and "$" not in cfg:
            broken.append(cmd_evidence(snap, cmd, f"launches a Vertex AI job with missing {cfg}"))
            continue
        if cfg:
            config_paths.discard(cfg.strip("'\"").lstrip("./"))
        launches.append(cmd_evidence(snap, cmd, "launches a Vertex AI custom job"))
    for idx in py_indexes(snap, mentioning="aiplatform"):
        for call in idx.calls:
            name = call.resolved
            if not name.startswith("google.cloud.aiplatform"):
                continue
            parts = name.split(".")
            if any(p in AIPLATFORM_JOBS for p in parts) or parts[-1] == "create_custom_job":
                launches.append(evidence(snap, idx.path, call.line, f"Vertex AI job: {name}"))
    vms = [
        cmd_evidence(snap, c, "creates a Compute Engine VM")
        for c, _ in gcloud_calls(snap, "compute", "instances", "create")
    ]
    ssh = [
        cmd_evidence(snap, c, "runs commands on a Compute Engine VM")
        for c, _ in gcloud_calls(snap, "compute", "ssh") + gcloud_calls(snap, "compute", "scp")
    ]
    if configs and not launches and all(PLACEHOLDER_NOTE in e.why for e in configs):
        return partial(
            "a Vertex AI job config copied with its placeholders, never filled in",
            configs[:2],
            checked,
        )
    if launches or configs:
        summary = "Vertex AI training: " + (
            f"{len(launches)} launch(es)" if launches else "job config(s)"
        )
        if configs and not launches:
            summary += " (not launched by any script in the repository; presumably from a terminal)"
        return found(summary, launches[:3] + configs[:2] + vms[:1], checked)
    if vms:
        if ssh:
            return found(
                "training on a Compute Engine VM (created and used over ssh)",
                vms[:2] + ssh[:2],
                checked,
            )
        return partial(
            "a Compute Engine VM is created, but no training on it is visible", vms[:3], checked
        )
    if broken:
        return partial(
            "a Vertex AI job command points at a config that is not in the repository",
            broken[:3],
            checked,
        )
    if ssh:
        return partial(
            "commands run on a Compute Engine VM, but its creation is not visible", ssh[:3], checked
        )
    declared = _declared(snap, "google-cloud-aiplatform")
    if declared:
        return partial(
            "google-cloud-aiplatform is declared but no training job is defined", declared, checked
        )
    docs = doc_pointers(snap, _TRAINING_DOC, "cloud training described in the docs (a pointer)")
    pointers = docs + gcp_use(snap)
    if pointers:
        return not_verifiable(
            "no training job config or launch command in the code; the group uses GCP, and a "
            "job started from the cloud console leaves no trace: check the answer",
            pointers[:3],
            checked,
        )
    return missing_with_branches(
        snap,
        "no Vertex AI job or Compute Engine training, and no GCP use at all",
        checked,
        ("vertex", "cloud-train", "gcp", "cloud"),
    )


# --------------------------------------------------------------------------- M23 deployment


_RUN_APP_URL = re.compile(r"https?://[\w.-]+\.(run\.app|cloudfunctions\.net)\b[^\s)\"'>]*")
_DEPLOY_DOC = re.compile(r"gcloud\s+(beta\s+)?(run|functions)\s+deploy")
DEPLOY_ACTIONS = (
    "google-github-actions/deploy-cloudrun",
    "google-github-actions/deploy-cloud-functions",
)


def cloud_run_service_yamls(snap: Snapshot) -> list[Evidence]:
    """Knative service manifests (``gcloud run services replace`` input)."""

    out = []
    for path in _yaml_files(snap):
        text = snap.text(path) or ""
        if "serving.knative.dev" not in text:
            continue
        doc = snap.yaml(path)
        value = doc.value if doc.ok else None
        if (
            isinstance(value, dict)
            and str(value.get("apiVersion", "")).startswith("serving.knative.dev")
            and value.get("kind") == "Service"
        ):
            line = next(
                (n for n, t in enumerate(snap.lines(path), 1) if "serving.knative.dev" in t), 1
            )
            out.append(evidence(snap, path, line, "Cloud Run service manifest"))
    return out


def deploy_commands(snap: Snapshot) -> tuple[list[Evidence], list[Evidence]]:
    """(Cloud Run / Functions deployments, other GCP serving deployments)."""

    runs: list[Evidence] = []
    other: list[Evidence] = []
    for cmd, _ in gcloud_calls(snap, "run", "deploy"):
        runs.append(cmd_evidence(snap, cmd, "deploys to Cloud Run"))
    for cmd, _ in gcloud_calls(snap, "run", "services", "replace"):
        runs.append(cmd_evidence(snap, cmd, "deploys a Cloud Run service manifest"))
    for cmd, _ in gcloud_calls(snap, "functions", "deploy"):
        runs.append(cmd_evidence(snap, cmd, "deploys a Cloud Function"))
    for cmd, _ in gcloud_calls(snap, "ai", "endpoints", "deploy-model"):
        other.append(cmd_evidence(snap, cmd, "deploys to a Vertex AI endpoint"))
    for cmd, _ in gcloud_calls(snap, "app", "deploy"):
        other.append(cmd_evidence(snap, cmd, "deploys to App Engine"))
    for wf in workflows(snap):
        for _job, step in wf.all_steps():
            if step.action in DEPLOY_ACTIONS:
                runs.append(evidence(snap, wf.path, step.line, f"uses {step.action}"))
    return runs, other


def function_sources(snap: Snapshot) -> list[Evidence]:
    """Functions decorated with ``functions_framework.http``/``cloud_event``."""

    out = []
    for idx in py_indexes(snap, mentioning="functions_framework"):
        for fn in idx.functions:
            for deco in fn.decorators:
                if deco.resolved.startswith("functions_framework."):
                    out.append(evidence(snap, idx.path, deco.line, f"Cloud Function {fn.name}()"))
    return out


def service_urls(snap: Snapshot) -> list[Evidence]:
    """``*.run.app`` / ``cloudfunctions.net`` URLs outside the report: pointers, not proof."""

    out = []
    for path in own_files(snap):
        if is_report_path(path) or not path.endswith(
            (".md", ".py", ".yaml", ".yml", ".toml", ".js", ".ts", ".json", ".env", ".txt")
        ):
            continue
        text = snap.text(path) or ""
        if ".run.app" not in text and "cloudfunctions.net" not in text:
            continue
        for number, line in enumerate(snap.lines(path), start=1):
            if _RUN_APP_URL.search(line):
                out.append(evidence(snap, path, number, "URL of a deployed service (a pointer)"))
                break
    return out


@probe("M23.cloud-deploy")
def cloud_deploy(snap: Snapshot) -> Observation:
    """A Cloud Run / Cloud Functions deployment: ``gcloud run|functions deploy``, a deploy
    action, a service manifest or functions-framework code."""

    checked = [
        "gcloud run deploy / run services replace / functions deploy in workflows, cloudbuild, "
        "scripts, Makefiles, tasks.py",
        "google-github-actions/deploy-cloudrun|deploy-cloud-functions steps",
        "Cloud Run service YAML (serving.knative.dev), functions_framework decorators",
        "*.run.app URLs (pointers only)",
    ]
    runs, other = deploy_commands(snap)
    manifests = cloud_run_service_yamls(snap)
    functions = function_sources(snap)
    if runs:
        return found(
            f"deployed with {len(runs)} Cloud Run/Functions command(s)",
            runs[:3] + manifests[:1] + functions[:1],
            checked,
        )
    if functions:
        return found(
            "Cloud Function code (functions_framework); the deployment itself is not visible",
            functions[:3],
            checked,
        )
    if manifests:
        return found("Cloud Run service manifest", manifests[:3], checked)
    if other:
        return partial(
            "deployed on GCP, but not on Cloud Run or Cloud Functions as the item asks",
            other[:3],
            checked,
        )
    urls = service_urls(snap)
    docs = doc_pointers(snap, _DEPLOY_DOC, "deployment described in the docs (a pointer)")
    if urls or docs:
        return not_verifiable(
            "no deploy command or config in the code, but deployed services are named: check them",
            (urls + docs)[:3],
            checked,
        )
    builds = gcp_use(snap)
    if builds:
        return not_verifiable(
            "no deploy command or config; the group uses GCP, and a deployment made in the "
            "cloud console leaves no trace: check the answer",
            builds[:3],
            checked,
        )
    return missing_with_branches(
        snap,
        "no Cloud Run or Cloud Functions deployment, and no GCP use at all",
        checked,
        ("deploy", "cloudrun", "cloud-run", "gcp", "cloud"),
    )
