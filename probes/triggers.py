"""M19 and M21: workflows that start by themselves when the data, the model registry or the
code of the Docker images changes.

Workflows are parsed: a trigger counts for its ``on:`` events and their ``paths:`` filters,
matched the way GitHub matches them (``*`` stays inside one folder, ``**`` crosses folders).
Cloud Build configurations are parsed too; the Cloud Build trigger that runs one lives in the
GCP console and cannot be seen from the repository.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from probes._commands import invocations
from probes._common import evidence, only_template, own_files, py_indexes, where, workflows
from probes._scripts import local_commands
from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, found, missing, not_verifiable, partial
from verifier.repo.formats.workflow import Step, Workflow
from verifier.repo.formats.yamlnodes import LineList, load_yaml
from verifier.repo.snapshot import glob_regex

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

CHECKED_WORKFLOWS = ".github/workflows/*.yml and *.yaml"
PATH_EVENTS = ("push", "pull_request", "pull_request_target")
#: Events after which a workflow runs without anybody starting it.
AUTOMATIC_EVENTS = frozenset(
    {
        "push",
        "pull_request",
        "pull_request_target",
        "merge_group",
        "schedule",
        "workflow_run",
        "workflow_call",
        "release",
        "repository_dispatch",
    }
)
#: Folder names that hold data (not data code).
DATA_DIRS = frozenset(
    {"data", "dataset", "datasets", "raw", "processed", "interim", "external", "raw_data"}
)
#: File types that are data when a ``paths:`` filter names them (``**/*.png``).
DATA_SUFFIXES = (
    ".csv",
    ".tsv",
    ".parquet",
    ".feather",
    ".arrow",
    ".jsonl",
    ".npy",
    ".npz",
    ".png",
    ".jpg",
    ".jpeg",
    ".tif",
    ".tiff",
    ".bmp",
    ".wav",
    ".flac",
    ".mp3",
)
CODE_DIRS = frozenset({"src", "tests", "test", "scripts", "notebooks", "configs", "docs"})
MODEL_DIRS = frozenset({"models", "model", "checkpoints", "artifacts", "weights"})
MODEL_SUFFIXES = (".pt", ".pth", ".ckpt", ".onnx", ".pkl", ".joblib", ".safetensors", ".h5")
#: Programs whose runs only print: a job made of these does no work.
PRINT_ONLY = frozenset({"echo", "printf", "ls", "cat", "pwd", "true", "date", "tree", "env"})
_GLOB_CHARS = re.compile(r"[*?\[]")


# --------------------------------------------------------------------------- shared helpers


def _line_of(snap: Snapshot, path: str, needle: str, start: int | None) -> int | None:
    """First line at or after ``start`` that holds ``needle`` (a trigger key or pattern)."""

    for number, text in enumerate(snap.lines(path), start=1):
        if number >= (start or 1) and needle in text.split(" #", 1)[0]:
            return number
    return start


def _parsed(snap: Snapshot) -> list[Workflow]:
    return [wf for wf in workflows(snap) if wf.error is None]


def does_work(step: Step) -> bool:
    """A step that does more than check out the code or print something."""

    action = (step.action or "").lower()
    if action:
        return not action.startswith("actions/checkout")
    for _line, command in step.run_commands():
        for inv in invocations(command):
            if inv.program not in PRINT_ONLY:
                return True
    return False


def workflow_does_work(wf: Workflow) -> bool:
    return any(does_work(step) for _job, step in wf.all_steps()) or any(
        job.uses_workflow for job in wf.jobs
    )


def _matches_any(pattern: str, files: list[str]) -> bool:
    try:
        regex = glob_regex(pattern.lstrip("!"))
    except re.error:
        return False
    return any(regex.match(p) for p in files)


def _plain_pattern(pattern: str) -> str:
    """The pattern without negation and leading ``./`` or ``/``."""

    text = pattern.lstrip("!")
    while text.startswith(("./", "/")):
        text = text[1:] if text.startswith("/") else text[2:]
    return text


def _literal_parts(pattern: str) -> list[str]:
    """The folder names a pattern spells out before its first wildcard."""

    parts = _plain_pattern(pattern).split("/")
    out = []
    for part in parts:
        if _GLOB_CHARS.search(part):
            break
        out.append(part)
    return out


# --------------------------------------------------------------------------- M19 data


def _dvc_outputs(snap: Snapshot) -> list[str]:
    """Folders and files tracked by DVC pointer files (``data/raw.dvc`` → ``data/raw``)."""

    return [p[: -len(".dvc")] for p in own_files(snap) if p.endswith(".dvc")]


def data_pattern_kind(pattern: str, dvc_outputs: list[str]) -> str | None:
    """Why a ``paths:`` pattern covers data: ``"dvc"``, ``"data"`` or None."""

    if pattern.startswith("!"):
        return None
    low = _plain_pattern(pattern).lower()
    base = posixpath.basename(low)
    if low.endswith(".dvc") or ".dvc/" in f"/{low}" or base in ("dvc.lock", "dvc.yaml"):
        return "dvc"
    if low.endswith(DATA_SUFFIXES):
        return "data"
    if low.endswith((".py", ".ipynb", ".md", ".toml", ".txt", ".yml", ".yaml", ".cfg")):
        return None
    named = [p for p in low.split("/") if not _GLOB_CHARS.search(p)]
    if any(p in CODE_DIRS for p in named):
        return None
    if any(p in DATA_DIRS for p in named):
        return "data"
    prefix = "/".join(_literal_parts(pattern))
    if prefix and any(out == prefix or out.startswith(prefix + "/") for out in dvc_outputs):
        return "data"
    return None


@dataclass
class PathTrigger:
    workflow: Workflow
    event: str
    patterns: list[str]  # the data (or model) patterns
    evidence: list[Evidence]


def _path_triggers(
    snap: Snapshot, judge: Any, why: str
) -> list[PathTrigger]:  # judge: (pattern) -> bool
    out = []
    for wf in _parsed(snap):
        hits: list[str] = []
        ev: list[Evidence] = []
        events = []
        for event in PATH_EVENTS:
            for pattern in wf.paths.get(event, {}).get("paths", []):
                if judge(pattern):
                    events.append(event)
                    if pattern not in hits:
                        hits.append(pattern)
                        line = _line_of(snap, wf.path, pattern, wf.trigger_line)
                        ev.append(
                            evidence(snap, wf.path, line, f"on {event}, paths: {pattern} {why}")
                        )
        if hits:
            out.append(PathTrigger(wf, "/".join(dict.fromkeys(events)), hits, ev))
    return out


def _data_workflows_without_filter(snap: Snapshot) -> list[Evidence]:
    """Data-minded workflows (CML, DVC, named for data) that run without a data filter."""

    out = []
    for wf in _parsed(snap):
        title = f"{posixpath.basename(wf.path)} {wf.name or ''}".lower()
        cml = any(
            (step.action or "").lower().startswith("iterative/setup-cml")
            for _job, step in wf.all_steps()
        )
        dvc = any(
            inv.program == "dvc"
            for _job, step in wf.all_steps()
            for _line, command in step.run_commands()
            for inv in invocations(command)
        )
        if not (cml or "data" in title or (dvc and "dvc" in title)):
            continue
        events = sorted(wf.triggers)
        what = "a CML data report" if cml else "data checks"
        if "schedule" in wf.triggers:
            why = f"{what} on a schedule, not when the data changes"
        elif set(wf.triggers) & set(PATH_EVENTS):
            on = "/".join(e for e in events if e in PATH_EVENTS)
            why = f"{what} on every {on}, not only when data changes"
        else:
            why = f"{what}, started only by {', '.join(events) or 'no trigger'}"
        out.append(evidence(snap, wf.path, wf.trigger_line or 1, why))
    return out


@probe("M19.data-trigger")
def data_trigger(snap: Snapshot) -> Observation:
    """A workflow whose push/pull-request ``paths:`` filter covers data or DVC files."""

    checked = [
        CHECKED_WORKFLOWS + ": on push/pull_request paths filters",
        "patterns on *.dvc, .dvc/, dvc.lock, dvc.yaml, data folders and DVC-tracked outputs",
        "CML / DVC / data-named workflows without such a filter",
    ]
    if not workflows(snap):
        return missing("no GitHub workflow files", checked)
    outputs = _dvc_outputs(snap)
    triggers = _path_triggers(snap, lambda p: data_pattern_kind(p, outputs) is not None, "(data)")
    files = snap.files()
    pointer_files = [p for p in own_files(snap) if p.endswith(".dvc")]
    good: list[PathTrigger] = []
    weak: list[tuple[PathTrigger, str]] = []
    for trig in triggers:
        if not workflow_does_work(trig.workflow):
            weak.append((trig, "its jobs only check out the code or print a message"))
            continue
        covers_dvc = any(data_pattern_kind(p, outputs) == "dvc" for p in trig.patterns)
        matched = any(_matches_any(p, files) for p in trig.patterns)
        if pointer_files and not covers_dvc and not matched:
            weak.append(
                (
                    trig,
                    f"the data is versioned by DVC ({where(pointer_files)}), and these paths "
                    "match none of the committed files, so a data update never starts it",
                )
            )
            continue
        good.append(trig)
    if good:
        first = good[0]
        summary = (
            f"{first.workflow.path} runs on {first.event} when these paths change: "
            + ", ".join(first.patterns[:6])
        )
        if len(good) > 1:
            summary += f" (+{len(good) - 1} more workflow(s))"
        ev = [e for t in good for e in t.evidence[:3]][:6]
        if only_template(ev):
            return partial(
                "the data-triggered workflow is the course template's, unchanged", ev, checked
            )
        return found(summary, ev, checked)
    if weak:
        trig, reason = weak[0]
        return partial(
            f"{trig.workflow.path} filters on data paths ({', '.join(trig.patterns[:4])}), but "
            + reason,
            [e for t, _r in weak for e in t.evidence[:2]][:4],
            checked,
        )
    loose = _data_workflows_without_filter(snap)
    if loose:
        return partial(
            "a data workflow exists, but no trigger is tied to changes of the data: "
            + loose[0].why,
            loose[:3],
            checked,
        )
    return missing("no workflow is triggered by changes to data or DVC files", checked)


# --------------------------------------------------------------------------- M19 registry


def model_pattern(pattern: str) -> bool:
    """A ``paths:`` pattern on model files (``models/**``, ``*.pt``, ``models.dvc``)."""

    if pattern.startswith("!"):
        return False
    low = _plain_pattern(pattern).lower()
    if low.endswith(MODEL_SUFFIXES):
        return True
    base = posixpath.basename(low)
    if low.endswith(".dvc") and any(w in base for w in ("model", "checkpoint", "weight")):
        return True
    literal = [p.lower() for p in _literal_parts(pattern)]
    if any(p in CODE_DIRS for p in literal):
        return False
    return any(p in MODEL_DIRS for p in literal) and not low.endswith(".py")


#: Input names that carry a registry artefact (not ``model`` alone: a training choice).
_MODEL_INPUT = re.compile(
    r"^(?!.*artifact_?registry)(.*artifact.*|.*alias.*|.*registry.*|.*model_?(name|version|uri|"
    r"path|ref|tag).*)$",
    re.IGNORECASE,
)
_WANDB = re.compile(r"\bwandb\b|WANDB_", re.IGNORECASE)


def _registry_dispatch_line(snap: Snapshot, wf: Workflow) -> int | None:
    """For a ``workflow_dispatch`` workflow that takes a model as input and talks to W&B
    (the shape a W&B webhook calling the dispatch API needs), the line of that input."""

    conf = wf.triggers.get("workflow_dispatch")
    inputs = conf.get("inputs") if isinstance(conf, dict) else None
    if not isinstance(inputs, dict):
        return None
    names = [str(k) for k in inputs if _MODEL_INPUT.search(str(k))]
    if not names:
        return None
    if not any(_WANDB.search(text.split("#", 1)[0]) for text in snap.lines(wf.path)):
        return None
    return _line_of(snap, wf.path, f"{names[0]}:", wf.trigger_line)


_MODEL_WORDS = re.compile(r"model|artifact|wandb|registry|stag|alias|checkpoint", re.IGNORECASE)


def _about_models(snap: Snapshot, wf: Workflow) -> bool:
    """The dispatch workflow speaks of models (event types, payload use, W&B)."""

    if any(_MODEL_WORDS.search(t) for t in _dispatch_types(wf)):
        return True
    return any(_MODEL_WORDS.search(text.split("#", 1)[0]) for text in snap.lines(wf.path))


def _dispatch_types(wf: Workflow) -> list[str]:
    conf = wf.triggers.get("repository_dispatch")
    if isinstance(conf, dict):
        types = conf.get("types")
        if isinstance(types, list):
            return [str(t) for t in types]
        if types is not None:
            return [str(types)]
    return []


def _wandb_automations(snap: Snapshot) -> list[Evidence]:
    """Python code that creates W&B automations or webhooks (``wandb.automations``)."""

    out = []
    for idx in py_indexes(snap, mentioning="automation"):
        for imp in idx.imports:
            module = imp.module or ""
            names = [n.name for n in imp.names]
            if module.startswith("wandb.automations") or (
                module == "wandb" and "automations" in names
            ):
                out.append(evidence(snap, idx.path, imp.line, "W&B automation code"))
                break
    return out


@probe("M19.registry-trigger")
def registry_trigger(snap: Snapshot) -> Observation:
    """A workflow started by a model-registry event (``repository_dispatch`` from W&B)."""

    checked = [
        CHECKED_WORKFLOWS + ": repository_dispatch and workflow_dispatch triggers",
        "push/pull_request paths filters on model files",
        "wandb.automations code",
    ]
    if not workflows(snap):
        return missing("no GitHub workflow files", checked)
    automations = _wandb_automations(snap)
    dispatched: list[tuple[Workflow, Evidence]] = []
    by_hand: list[Evidence] = []
    for wf in _parsed(snap):
        if "repository_dispatch" in wf.triggers:
            types = _dispatch_types(wf)
            line = _line_of(snap, wf.path, "repository_dispatch", wf.trigger_line)
            label = f"types: {', '.join(types)}" if types else "any type"
            dispatched.append(
                (wf, evidence(snap, wf.path, line, f"started by repository_dispatch ({label})"))
            )
        elif "workflow_dispatch" in wf.triggers:
            line = _registry_dispatch_line(snap, wf)
            if line is not None:
                by_hand.append(
                    evidence(
                        snap,
                        wf.path,
                        line,
                        "workflow_dispatch with a model input and W&B access; a W&B webhook "
                        "may call it",
                    )
                )
    related = [(wf, ev) for wf, ev in dispatched if _about_models(snap, wf)]
    if dispatched and not related:
        return partial(
            "a repository_dispatch workflow exists, but neither its event types nor its jobs "
            "speak of a model, an artifact or W&B",
            [ev for _wf, ev in dispatched][:3],
            checked,
        )
    working = [(wf, ev) for wf, ev in related if workflow_does_work(wf)]
    not_visible = (
        "the registry automation that sends the event (e.g. a W&B webhook) is set up "
        "outside the repository"
    )
    if working:
        wf, _ev = working[0]
        types = _dispatch_types(wf)
        summary = f"{wf.path} runs on repository_dispatch"
        summary += f" ({', '.join(types)})" if types else ""
        summary += "; " + ("W&B automation code sends it" if automations else not_visible)
        return found(summary, [ev for _wf, ev in working][:3] + automations[:2], checked)
    if dispatched:
        return partial(
            "a repository_dispatch workflow exists, but its jobs only print the event; "
            "nothing tests, evaluates or deploys the model",
            [ev for _wf, ev in dispatched][:3],
            checked,
        )
    if by_hand:
        return not_verifiable(
            "no repository_dispatch trigger; a workflow_dispatch workflow handles registry "
            "models, and whether a registry webhook calls it can only be seen in W&B",
            by_hand[:3] + automations[:2],
            checked,
        )
    model_paths = _path_triggers(snap, model_pattern, "(model files)")
    if model_paths:
        trig = model_paths[0]
        return partial(
            f"{trig.workflow.path} runs when model files in git change "
            f"({', '.join(trig.patterns[:4])}); that is not an event of a model registry",
            [e for t in model_paths for e in t.evidence[:2]][:4],
            checked,
        )
    if automations:
        return partial(
            "W&B automation code exists, but no workflow listens for repository_dispatch",
            automations[:3],
            checked,
        )
    return missing("no workflow is started by a model registry event", checked)


# --------------------------------------------------------------------------- M21 docker build


_BUILD_ACTIONS = ("docker/build-push-action", "docker/bake-action", "redhat-actions/buildah-build")


def build_command(command: str) -> str | None:
    """What a shell line does to build an image (``docker build``), or None."""

    for inv in invocations(command):
        args = [a.lower() for a in inv.args]
        words = [a for a in args if not a.startswith("-")]
        if inv.program == "docker":
            if words[:1] == ["build"] or words[:2] in (["buildx", "build"], ["compose", "build"]):
                return "docker " + " ".join(words[:2] if words[0] != "build" else words[:1])
            if words[:2] == ["image", "build"]:
                return "docker image build"
        if inv.program in ("docker-compose", "podman", "buildah") and words[:1] in (
            ["build"],
            ["bud"],
        ):
            return f"{inv.program} build"
        if inv.program == "gcloud" and "builds" in words and "submit" in words:
            return "gcloud builds submit"
        if inv.program == "gcloud" and words[:4] == ["builds", "triggers", "run"]:
            return "gcloud builds triggers run"
        if inv.program in ("curl", "wget") and any(
            "cloudbuild.googleapis.com" in a and "/triggers/" in a for a in args
        ):
            return "a call to a Cloud Build trigger"
        if inv.program in ("invoke", "inv", "make", "just") and any(
            "docker" in a and "build" in a for a in args
        ):
            return f"{inv.program} {' '.join(inv.args[:1])}"
    return None


def _workflow_builds(snap: Snapshot) -> list[tuple[Workflow, Evidence]]:
    out = []
    for wf in _parsed(snap):
        for job, step in wf.all_steps():
            action = (step.action or "").lower()
            if action.startswith(_BUILD_ACTIONS):
                pushes = str(step.with_.get("push", "")).lower() == "true"
                why = f"job {job.id}: {step.action}" + (" (pushes)" if pushes else "")
                out.append((wf, evidence(snap, wf.path, step.line, why)))
                continue
            for line, command in step.run_commands():
                what = build_command(command)
                if what:
                    out.append((wf, evidence(snap, wf.path, line, f"job {job.id}: {what}")))
                    break
    return out


def is_cloudbuild_path(path: str) -> bool:
    if not path.lower().endswith((".yaml", ".yml")) or path.startswith(".github/"):
        return False
    return any("cloudbuild" in part.lower() for part in path.split("/"))


def _args_words(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str):
        return value.split()
    return []


def cloudbuild_step_builds(step: Any) -> str | None:
    """What a Cloud Build step does to build an image, or None."""

    if not isinstance(step, dict):
        return None
    builder = str(step.get("name", "")).lower()
    args = _args_words(step.get("args"))
    entry = str(step.get("entrypoint", "")).lower()
    if "kaniko-project/executor" in builder:
        return "kaniko build"
    if ("cloud-builders/docker" in builder or builder == "docker") and entry in ("", "docker"):
        if args[:1] == ["build"] or args[:2] == ["buildx", "build"]:
            return "docker build"
        return None
    shell_flag = next((i for i, a in enumerate(args) if re.fullmatch(r"-[a-z]*c", a)), None)
    scripts = " ".join(args[shell_flag + 1 :] if shell_flag is not None else args)
    if isinstance(step.get("script"), str):
        scripts += "\n" + step["script"]
    for part in re.split(r"[\n;]|&&", scripts):
        what = build_command(part.strip())
        if what:
            return what
    return None


@dataclass
class CloudBuild:
    path: str
    builds: list[Evidence]
    problem: str | None  # why the file builds nothing (empty, no steps, broken)
    pushes: bool


def _step_lines(snap: Snapshot, path: str) -> list[int]:
    """Line of each item under ``steps:``, read with a line-keeping YAML loader."""

    loaded = load_yaml(snap.text(path) or "")
    steps = loaded.data.get("steps") if isinstance(loaded.data, dict) else None
    if isinstance(steps, LineList):
        return [steps.line_at(i) for i in range(len(steps))]
    return []


def cloudbuild_files(snap: Snapshot) -> list[CloudBuild]:
    def build() -> list[CloudBuild]:
        out = []
        for path in own_files(snap):
            if not is_cloudbuild_path(path):
                continue
            doc = snap.yaml(path)
            if doc.error:
                out.append(CloudBuild(path, [], f"does not parse: {doc.error}", False))
                continue
            value = doc.value
            if value is None or (isinstance(value, str) and not value.strip()):
                out.append(CloudBuild(path, [], "is empty", False))
                continue
            steps = value.get("steps") if isinstance(value, dict) else None
            if not isinstance(steps, list) or not steps:
                out.append(CloudBuild(path, [], "has no build steps", False))
                continue
            builds = []
            pushes = isinstance(value, dict) and bool(value.get("images"))
            lines = _step_lines(snap, path)
            for i, step in enumerate(steps):
                what = cloudbuild_step_builds(step)
                if what:
                    line = lines[i] if i < len(lines) else None
                    builds.append(evidence(snap, path, line, f"Cloud Build step: {what}"))
                if isinstance(step, dict) and "push" in _args_words(step.get("args"))[:1]:
                    pushes = True
            problem = None if builds else "has steps, but none builds an image"
            out.append(CloudBuild(path, builds, problem, pushes))
        return out

    return snap.memo("probes.cloudbuild", build)


def _automatic(wf: Workflow) -> bool:
    return bool(AUTOMATIC_EVENTS & set(wf.triggers))


@probe("M21.docker-build-trigger")
def docker_build_trigger(snap: Snapshot) -> Observation:
    """Images built automatically: a workflow on push, or a Cloud Build config with builds."""

    checked = [
        CHECKED_WORKFLOWS + ": docker/build-push-action, docker build, gcloud builds submit",
        "cloudbuild*.yaml (any folder) parsed for docker/kaniko build steps",
    ]
    wf_builds = _workflow_builds(snap)
    auto = [(wf, ev) for wf, ev in wf_builds if _automatic(wf)]
    cloud = cloudbuild_files(snap)
    cloud_ok = [cb for cb in cloud if cb.builds]
    if auto:
        wf = auto[0][0]
        events = sorted(AUTOMATIC_EVENTS & set(wf.triggers))
        ev = [e for _wf, e in auto][:3] + [cb.builds[0] for cb in cloud_ok][:2]
        summary = f"{wf.path} builds images on {', '.join(events)}"
        if only_template(ev):
            return partial("the only image build is the course template's, unchanged", ev, checked)
        return found(summary, ev, checked)
    if cloud_ok:
        ev = [e for cb in cloud_ok for e in cb.builds[:2]][:4]
        pushed = any(cb.pushes for cb in cloud_ok)
        summary = (
            f"Cloud Build config {where(cb.path for cb in cloud_ok)} builds"
            + (" and pushes" if pushed else "")
            + " images; the Cloud Build trigger that runs it on push is set up in the GCP "
            "console and is not visible here"
        )
        return found(summary, ev + [e for _wf, e in wf_builds][:2], checked)
    notes = [evidence(snap, cb.path, None, f"{cb.path} {cb.problem}") for cb in cloud]
    if wf_builds:
        wf = wf_builds[0][0]
        started = ", ".join(sorted(wf.triggers)) or "no trigger"
        return partial(
            f"{wf.path} builds images, but only when started by hand ({started})",
            [e for _wf, e in wf_builds][:3] + notes[:2],
            checked,
        )
    if cloud and any(cb.problem == "has steps, but none builds an image" for cb in cloud):
        return partial(
            "Cloud Build config exists but builds no image: "
            + "; ".join(f"{cb.path} {cb.problem}" for cb in cloud[:3]),
            notes[:3],
            checked,
        )
    summary = "no workflow or Cloud Build config builds Docker images"
    if cloud:
        summary += " (" + "; ".join(f"{cb.path} {cb.problem}" for cb in cloud[:3]) + ")"
    by_hand = _local_builds(snap)
    if by_hand:
        summary += f"; images are built only by hand ({where(e.path for e in by_hand)})"
    return missing(summary, checked, notes[:3] + by_hand[:2])


def _local_builds(snap: Snapshot) -> list[Evidence]:
    """Build commands in tasks.py, Makefiles and scripts: building by hand, not a trigger."""

    out = []
    seen: set[str] = set()
    for path, _kind, line, command in local_commands(snap):
        what = build_command(command)
        if what and path not in seen:
            seen.add(path)
            out.append(evidence(snap, path, line, f"{what}, run by hand"))
    return out
