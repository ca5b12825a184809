"""M24: load testing the API (Locust, k6)."""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from probes._commands import invocations
from probes._common import evidence, own_files, py_indexes, workflows
from probes._deps import declared_dependencies
from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, found, missing, partial

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

LOCUST_USERS = (
    "locust.HttpUser",
    "locust.FastHttpUser",
    "locust.User",
    "locust.contrib.fasthttp.FastHttpUser",
)
_K6_IMPORT = re.compile(r"""from\s+['"]k6(/http)?['"]""")


def locust_tasks(snap: Snapshot) -> list[tuple[str, int]]:
    """``(path, line)`` of every ``@task`` method of the group's Locust user classes."""

    out: list[tuple[str, int]] = []
    for idx in py_indexes(snap, mentioning="locust"):
        users = {
            cls.name
            for cls in idx.classes
            if any(b in LOCUST_USERS for b in (*cls.resolved_bases, *cls.bases))
        }
        for fn in idx.functions:
            owner = fn.qualname.rsplit(".", 1)[0] if fn.is_method else None
            if owner in users and fn.has_decorator("locust.task"):
                out.append((idx.path, fn.line))
    return out


@probe("M24.load-test")
def load_test(snap: Snapshot) -> Observation:
    """A Locust user class or a k6 script that targets the API; CI runs are noted."""

    checked = [
        "Python classes based on locust.HttpUser/FastHttpUser (AST)",
        "*.js files importing k6",
        "workflow steps running locust or k6",
    ]
    ev: list[Evidence] = []
    for idx in py_indexes(snap, mentioning="locust"):
        for cls in idx.classes:
            if any(b in LOCUST_USERS for b in (*cls.resolved_bases, *cls.bases)):
                ev.append(evidence(snap, idx.path, cls.line, f"Locust user {cls.name}"))
    for path in own_files(snap):
        if posixpath.splitext(path)[1] in (".js", ".ts"):
            for number, line in enumerate(snap.lines(path)[:50], start=1):
                if _K6_IMPORT.search(line):
                    ev.append(evidence(snap, path, number, "k6 load test script"))
                    break
    ci: list[Evidence] = []
    for wf in workflows(snap):
        for _job, step in wf.all_steps():
            for line, command in step.run_commands():
                if any(inv.program in ("locust", "k6") for inv in invocations(command)):
                    ci.append(evidence(snap, wf.path, line, "load test run in CI"))
    if ev:
        return found(f"load test: {ev[0].path}", ev[:3] + ci[:1], checked)
    if ci:
        return partial(
            "a workflow runs a load test tool, but no test script was found", ci, checked
        )
    for path, req in declared_dependencies(snap).requirements:
        if req.name == "locust":
            return partial(
                "locust is declared but there is no locustfile",
                [evidence(snap, path, req.line, "locust declared")],
                checked,
            )
    return missing("no load test (Locust or k6)", checked)
