"""Template-identical files: the fingerprint tolerates the group's package name, Python
versions, comments and blank lines, and nothing else. The course template's own text is not
kept in this repository, so the tests register the fingerprint of a stand-in file."""

from __future__ import annotations

from pathlib import Path

import pytest
from probe_helpers import observe, snapshot_of

from probes import _template
from probes._template import fingerprint, is_template_copy, known_fingerprints, normalise
from verifier.findings import Origin, Outcome

STUB = """\
from torch import nn


class Model(nn.Module):
    \"\"\"Stand-in for a template's dummy model.\"\"\"

    def __init__(self) -> None:
        super().__init__()
        self.layer = nn.Linear(1, 1)

    def forward(self, x):
        return self.layer(x)
"""

TEST_STUB = """\
from pkgname.data import MyDataset


def test_my_dataset():
    dataset = MyDataset("data/raw")
    assert isinstance(dataset, object)
"""


@pytest.fixture
def known(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    table = {
        fingerprint(STUB, ()): "src/{package}/model.py",
        fingerprint(TEST_STUB, ("pkgname",)): "tests/test_data.py",
    }
    monkeypatch.setattr(_template, "known_fingerprints", lambda: table)
    return table


def test_bundled_fingerprints_load() -> None:
    table = known_fingerprints()
    assert len(table) > 20
    assert "tests/test_data.py" in table.values()
    assert all(len(digest) == 64 for digest in table)


def test_normalising_drops_comments_blank_lines_names_and_versions() -> None:
    text = "# a comment\n\nimport mypkg.data   # kept\nFROM python:3.12-slim\n"
    assert normalise(text, ("mypkg",)) == "import \u00a7P.data # kept\nFROM python:\u00a7V-slim"


def test_a_renamed_package_still_matches(tmp_path: Path, known: dict[str, str]) -> None:
    own_name = TEST_STUB.replace("pkgname", "leaf_shapes")
    snap = snapshot_of(
        tmp_path,
        {"src/leaf_shapes/__init__.py": "", "tests/test_data.py": own_name + "\n# edited\n"},
    )
    assert is_template_copy(snap, "tests/test_data.py")


def test_a_real_change_is_the_groups_own(tmp_path: Path, known: dict[str, str]) -> None:
    changed = STUB.replace("nn.Linear(1, 1)", "nn.Linear(4, 3)")
    snap = snapshot_of(tmp_path, {"src/pkg/__init__.py": "", "src/pkg/model.py": changed})
    assert not is_template_copy(snap, "src/pkg/model.py")


def test_template_stub_test_is_not_a_data_test(tmp_path: Path, known: dict[str, str]) -> None:
    files = {
        "src/pkgname/__init__.py": "",
        "src/pkgname/data.py": "class MyDataset:\n    def __init__(self, p):\n        self.p = p\n",
        "tests/test_data.py": TEST_STUB,
    }
    obs = observe(tmp_path, "M16.data-tests", files)
    assert obs.outcome is Outcome.PARTIAL
    assert obs.evidence[0].origin is Origin.TEMPLATE
    assert "template" in obs.evidence[0].why
