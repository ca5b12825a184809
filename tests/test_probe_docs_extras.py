from __future__ import annotations

from pathlib import Path

from probe_helpers import observe

from verifier.engine.registry import probe_for
from verifier.findings import Origin, Outcome
from verifier.repo.snapshot import open_snapshot

DOCS = "M32.documentation"
DIAGRAM = "extra.architecture-diagram"
UPLOADED = "extra.uploaded-code"

MKDOCS = """\
site_name: shapes
docs_dir: source
nav:
  - Home: index.md
  - API: api.md
"""

GUIDE = "# Getting started\n\n" + "".join(
    f"Step {i}: run `uv run train --epochs {i}` and look at the plots.\n" for i in range(25)
)


def test_pages_of_the_groups_own_are_found(tmp_path: Path) -> None:
    files = {"docs/mkdocs.yaml": MKDOCS, "docs/source/index.md": GUIDE}
    obs = observe(tmp_path, DOCS, files)
    assert obs.outcome is Outcome.FOUND, obs.summary
    assert "25 content lines" in obs.summary
    assert [(e.path, e.line) for e in obs.evidence] == [
        ("docs/mkdocs.yaml", 1),
        ("docs/source/index.md", 1),
    ]
    assert obs.evidence[0].why == "MkDocs configuration (2 nav entries)"


def test_api_reference_in_a_configured_site_is_found(tmp_path: Path) -> None:
    api = "# API\n\n::: shapes.model\n\n::: shapes.data\n"
    files = {"docs/mkdocs.yaml": MKDOCS, "docs/source/api.md": api}
    obs = observe(tmp_path, DOCS, files)
    assert obs.outcome is Outcome.FOUND
    assert ("docs/source/api.md", 3, "::: shapes.model") in [
        (e.path, e.line, e.text) for e in obs.evidence
    ]


def test_template_skeleton_and_sphinx_stubs_are_partial(tmp_path: Path) -> None:
    index = "## Documentation\n\nDocumentation for shapes\n"
    obs = observe(tmp_path / "a", DOCS, {"docs/mkdocs.yaml": MKDOCS, "docs/source/index.md": index})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary.startswith("only a documentation skeleton")
    stub = obs.evidence[1]
    assert stub.path == "docs/source/index.md" and stub.origin is Origin.TEMPLATE
    sphinx = {
        "docs/conf.py": "project = 'p'\nextensions = []\n",
        "docs/getting-started.rst": "Getting started\n===============\n\nThis is where you "
        "describe how to get set up on a clean install, including the\ncommands.\n",
    }
    obs = observe(tmp_path / "b", DOCS, sphinx)
    assert obs.outcome is Outcome.PARTIAL
    assert obs.evidence[0].why == "Sphinx configuration"


def test_short_docs_are_partial_and_a_readme_alone_is_partial(tmp_path: Path) -> None:
    obs = observe(tmp_path / "a", DOCS, {"docs/usage.md": "# Usage\n\nRun `train`.\n"})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary.startswith("little documentation")
    readme = "# Shapes\n\n" + "".join(f"Line {i} about the project.\n" for i in range(12))
    obs = observe(tmp_path / "b", DOCS, {"README.md": readme})
    assert obs.outcome is Outcome.PARTIAL
    assert "only a README" in obs.summary


def test_no_docs_at_all_is_missing_and_built_site_is_not_a_source(tmp_path: Path) -> None:
    files = {"docs/site/index.md": GUIDE, "README.md": "# p\n", "src/p/x.py": "x = 1\n"}
    obs = observe(tmp_path, DOCS, files)
    assert obs.outcome is Outcome.MISSING


# ---------------------------------------------------------------- architecture diagram

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_diagram_named_figure_is_found(tmp_path: Path) -> None:
    files = {"reports/figures/mlops_architecture.png": PNG, "reports/figures/loss.png": PNG}
    obs = observe(tmp_path, DIAGRAM, files)
    assert obs.outcome is Outcome.FOUND
    assert [e.path for e in obs.evidence] == ["reports/figures/mlops_architecture.png"]
    assert "claims" in obs.summary


def test_mermaid_block_in_docs_is_found_but_not_in_the_report(tmp_path: Path) -> None:
    doc = "# Overview\n\n```mermaid\ngraph LR\n  A --> B\n```\n"
    obs = observe(tmp_path / "a", DIAGRAM, {"docs/architecture.md": doc})
    assert obs.outcome is Outcome.FOUND
    assert (obs.evidence[0].path, obs.evidence[0].line) == ("docs/architecture.md", 3)
    obs = observe(tmp_path / "b", DIAGRAM, {"reports/README.md": doc})
    assert obs.outcome is Outcome.MISSING


def test_screenshots_named_overview_are_not_diagrams(tmp_path: Path) -> None:
    files = {"reports/figures/BillingOverview.png": PNG, "reports/figures/bucket.png": PNG}
    obs = observe(tmp_path, DIAGRAM, files)
    assert obs.outcome is Outcome.NOT_VERIFIABLE
    assert "none named like a diagram" in obs.summary


def test_nothing_is_missing(tmp_path: Path) -> None:
    obs = observe(tmp_path, DIAGRAM, {"src/p/x.py": "x = 1\n"})
    assert obs.outcome is Outcome.MISSING
    assert obs.checked


# ---------------------------------------------------------------- uploaded code


def test_group_code_in_git_is_found(tmp_path: Path) -> None:
    files = {"src/p/train.py": "import torch\n\nprint(torch)\n", "README.md": "# p\n"}
    obs = observe(tmp_path, UPLOADED, files)
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].path == ".git"
    assert "1 commits" in obs.evidence[0].text
    assert (obs.evidence[1].path, obs.evidence[1].line) == ("src/p/train.py", 1)


def test_no_python_is_missing_and_course_checker_is_not_group_code(tmp_path: Path) -> None:
    obs = observe(tmp_path / "a", UPLOADED, {"README.md": "# p\n"})
    assert obs.outcome is Outcome.MISSING
    obs = observe(tmp_path / "b", UPLOADED, {"reports/report.py": "import markdown\n"})
    assert obs.outcome is Outcome.MISSING  # the course's checker is nobody's upload


def test_plain_directory_is_not_verifiable(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "x.py").write_text("x = 1\n")
    spec = probe_for(UPLOADED)
    assert spec is not None
    obs = spec.func(open_snapshot(str(tmp_path)))
    assert obs.outcome is Outcome.NOT_VERIFIABLE


def test_reflections_are_manual_with_pointers(tmp_path: Path) -> None:
    readme = "# Shapes\n\n## Project description\n\nWe classify shapes.\n"
    obs = observe(tmp_path, "extra.revisit-description", {"README.md": readme})
    assert obs.outcome is Outcome.NOT_VERIFIABLE
    assert (obs.evidence[0].path, obs.evidence[0].line) == ("README.md", 3)
    obs = observe(tmp_path / "b", "extra.team-understanding", {"README.md": readme})
    assert obs.outcome is Outcome.NOT_VERIFIABLE
    assert obs.evidence[0].path == ".git"


def test_generic_figure_names_are_manual_and_data_images_are_ignored(tmp_path: Path) -> None:
    files = {"q29.png": PNG, "data/raw/cat_001.png": PNG}
    obs = observe(tmp_path / "a", DIAGRAM, files)
    assert obs.outcome is Outcome.NOT_VERIFIABLE
    assert [e.path for e in obs.evidence] == ["q29.png"]
    obs = observe(tmp_path / "b", DIAGRAM, {"data/raw/cat_001.png": PNG})
    assert obs.outcome is Outcome.MISSING


def test_mkdocs_docs_dir_outside_docs_is_read(tmp_path: Path) -> None:
    files = {"mkdocs.yml": "site_name: p\ndocs_dir: wiki\n", "wiki/guide.md": GUIDE}
    obs = observe(tmp_path, DOCS, files)
    assert obs.outcome is Outcome.FOUND, obs.summary
    assert obs.evidence[1].path == "wiki/guide.md"
