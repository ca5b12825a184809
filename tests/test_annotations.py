"""Workflow commands on the report lines, and GitHub's escaping of their properties and data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_render_markdown import ANSWER_LINE, CACHING_LINE, DOCKER_LINE, audit_fixture

from verifier.engine.result import AuditResult
from verifier.render.annotations import (
    command,
    escape_data,
    escape_property,
    workflow_commands,
)

# ::kind props::data, with the data free of raw line breaks.
_COMMAND = re.compile(r"^::(warning|notice|error) ([^:]*)::([^\r\n]*)$")


@pytest.fixture
def result(tmp_path: Path) -> AuditResult:
    return audit_fixture(tmp_path)


def _props(raw: str) -> dict[str, str]:
    return dict(p.split("=", 1) for p in raw.split(","))


def test_one_command_per_mismatch_weak_item_and_contradicted_claim(result: AuditResult) -> None:
    cmds = workflow_commands(result)
    parsed = [_COMMAND.match(c) for c in cmds]
    assert all(parsed), cmds
    seen = [(m.group(1), _props(m.group(2))) for m in parsed if m]
    assert [(kind, p["file"], int(p["line"])) for kind, p in seen] == [
        ("warning", "reports/README.md", DOCKER_LINE),
        ("notice", "reports/README.md", CACHING_LINE),
        ("warning", "reports/README.md", ANSWER_LINE),
    ]
    docker = cmds[0]
    assert "M10.dockerfiles" in docker and "title=verifier%3A Dockerfiles ticked" in docker
    assert "%0ALooked in%3A" not in docker  # data keeps its colons
    assert "%0ALooked in: " in docker


def test_student_text_cannot_start_a_new_command(result: AuditResult) -> None:
    claim = next(c for c in result.claims if c.verdict == "inconsistent")
    assert claim.result is not None
    claim.result.why = "broken\n::error file=x,line=1::injected\r\n::stop-commands::t"
    cmds = workflow_commands(result)
    assert len(cmds) == 3
    for cmd in cmds:
        assert "\n" not in cmd and "\r" not in cmd
    assert "%0A::error file=x,line=1::injected%0D%0A::stop-commands::t" in cmds[-1]


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("100% done", "100%25 done", "100%25 done"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("k: v, w", "k: v, w", "k%3A v%2C w"),
        ("%0A literal", "%250A literal", "%250A literal"),
        ("tab\there\x00", "tab here ", "tab here "),
    ],
)
def test_escaping_rules(raw: str, data: str, prop: str) -> None:
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_command_properties() -> None:
    cmd = command("warning", "msg", file="my, odd: path.md", line=3, end_line=5, title="a: b, c")
    assert cmd == "::warning file=my%2C odd%3A path.md,line=3,endLine=5,title=a%3A b%2C c::msg"


def test_report_outside_the_repository_gets_no_annotations(result: AuditResult) -> None:
    result.report.path = "/tmp/elsewhere/README.md"
    assert workflow_commands(result) == []
