"""The bundled sample group against its answer key (examples/sample-group/EXPECTED.md).

Every checklist item of the key lists the verdicts a fair reading allows; the audit must give
one of them. This is the end-to-end check of the README's first command.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from verifier.cli import main

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample-group"


def _answer_key() -> dict[str, dict[str, object]]:
    text = (SAMPLE / "EXPECTED.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert block is not None, "EXPECTED.md has no yaml answer key"
    return yaml.safe_load(block.group(1))["items"]


@pytest.fixture(scope="module")
def audit(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = tmp_path_factory.mktemp("sample") / "result.json"
    assert main(["audit", str(SAMPLE), "--format", "json", "--output", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_every_key_item_gets_an_allowed_verdict(audit: dict[str, object]) -> None:
    key = _answer_key()
    findings = {f["id"]: f for f in audit["findings"]}  # type: ignore[index,union-attr]
    wrong = []
    for item_id, expected in key.items():
        finding = findings.get(item_id)
        assert finding is not None, f"{item_id} is not in the audit"
        assert finding["line"] == expected["line"], item_id
        if finding["verdict"] not in expected["verdict"]:  # type: ignore[operator]
            wrong.append(f"{item_id}: {finding['verdict']} ({finding['summary']})")
    assert not wrong, "\n".join(wrong)


def test_false_ticks_are_flagged_with_the_report_line(audit: dict[str, object]) -> None:
    findings = {f["id"]: f for f in audit["findings"]}  # type: ignore[index,union-attr]
    for item_id in ("M15.lightning", "M24.load-test"):
        assert findings[item_id]["verdict"] == "mismatch"
        assert findings[item_id]["checked"], "a mismatch says where it looked"
