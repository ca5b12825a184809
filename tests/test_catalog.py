"""Checklist catalog: the data file, tolerant matching and id assignment."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
import yaml

from verifier.report import (
    CatalogError,
    ChecklistItem,
    Report,
    Tick,
    assign_catalog_ids,
    load_catalog,
    parse_report,
)
from verifier.report.catalog import catalog_from_data, normalize

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

REQUIRED_IDS = {
    "M5.git-repository", "M5.write-access", "M2.dedicated-environment",
    "M6.cookiecutter-structure", "M6.data-py", "M6.model-train-py",
    "M2.requirements-up-to-date", "M7.pep8", "M7.typing-docs", "M8.data-version-control",
    "M9.cli", "M10.dockerfiles", "M10.docker-build-local", "M11.config-files", "M11.hydra",
    "M12.profiling", "M14.logging", "M14.wandb", "M14.sweep", "M15.lightning",
    "M16.data-tests", "M16.model-tests", "M16.coverage", "M17.ci", "M17.caching-multi-os",
    "M17.linting-ci", "M18.pre-commit", "M19.data-trigger", "M19.registry-trigger",
    "M21.gcp-bucket", "M21.docker-build-trigger", "M21.cloud-training", "M22.fastapi",
    "M23.cloud-deploy", "M24.api-tests-ci", "M24.load-test", "M25.onnx-bentoml",
    "M26.frontend", "M27.drift-robustness", "M27.input-output-collection", "M27.drift-api",
    "M28.system-metrics", "M28.cloud-monitoring", "M28.alerts",
    "M29.distributed-data-loading", "M30.distributed-training",
    "M31.quantization-compilation-pruning", "M32.documentation", "M32.github-pages",
    "extra.revisit-description", "extra.architecture-diagram", "extra.team-understanding",
    "extra.uploaded-code",
}  # fmt: skip


def _raw_yaml() -> dict:
    text = resources.files("verifier").joinpath("data/catalog.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def test_yaml_is_valid_and_complete() -> None:
    data = _raw_yaml()
    assert data["schema_version"] == 1
    catalog = catalog_from_data(data)
    ids = [e.id for e in catalog.entries]
    assert len(ids) == len(set(ids))
    assert set(ids) >= REQUIRED_IDS
    for entry in catalog.entries:
        assert entry.verifiable in {"repo", "partial", "manual"}
        assert entry.looks_for and entry.title
        assert entry.years and set(entry.years) <= {2023, 2024, 2025, 2026}
        prefix = entry.id.split(".")[0]
        assert prefix == "extra" or prefix in entry.modules
    assert {g: len(q) for g, q in catalog.questions.items()} == {"2023": 27, "2025": 31, "2026": 31}


def test_template_sizes_per_year() -> None:
    catalog = load_catalog()
    assert len(catalog.for_year(2023)) == 36
    assert len(catalog.for_year(2025)) == 52
    assert len(catalog.for_year(2026)) == 53


def test_every_wording_matches_its_own_entry() -> None:
    catalog = load_catalog()
    for entry in catalog.entries:
        for wording in entry.wordings:
            modules = tuple(re.findall(r"M\d+", wording.text.rsplit("(", 1)[-1]))
            assert catalog.match(wording.text, modules) == (entry.id, 1.0), wording.text
            # a wording's normalised form belongs to one entry only
            others = [e.id for e in catalog.entries if normalize(wording.text) in e._normalized]
            assert others == [entry.id]


def test_load_catalog_is_cached() -> None:
    assert load_catalog() is load_catalog()
    assert load_catalog().get("M8.data-version-control").modules == ("M8",)  # type: ignore[union-attr]
    assert load_catalog().get("nope") is None


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])
def test_every_seed_item_is_known(seed: Path) -> None:
    report = parse_report(seed.read_bytes())
    assert all(item.catalog_id for item in report.items)
    ids = [item.catalog_id for item in report.items]
    assert len(ids) == len(set(ids))
    assert not any("not in the catalog" in p for p in report.problems)


def test_seeds_present() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed reports not found at {SEEDS}")
    assert len(list(SEEDS.glob("*.txt"))) >= 5


@pytest.mark.parametrize(
    ("text", "modules", "expected"),
    [
        (
            "Add a continuous workflow that triggers when data changes (M19)",
            ("M19",),
            "M19.data-trigger",
        ),
        (
            "add caching and multi os / python / pytorch testing to your continous integration",
            (),
            "M17.caching-multi-os",
        ),
        (
            "Setup version controll for your data or part of you data",
            ("M8",),
            "M8.data-version-control",
        ),
        ("Set up version control for your data", (), "M8.data-version-control"),
        ("Used **Hydra** to load the configs and manage hyperparameters", ("M11",), "M11.hydra"),
        (
            "Write unit tests related to model construction and/or model training",
            (),
            "M16.model-tests",
        ),
        (
            "Create a FastAPI application that can do inference using your model",
            ("M22",),
            "M22.fastapi",
        ),
        (
            "Make sure all group members have an understanding about all parts of the project!",
            (),
            "extra.team-understanding",
        ),
        ("Use Pytorch Lightning (if applicable) to reduce boilerplate", (), "M15.lightning"),
        (
            "Deploy your model in GCP using either Functions or Run as backend",
            ("M23",),
            "M23.cloud-deploy",
        ),
    ],
)
def test_reworded_and_typod_items_match(text: str, modules: tuple[str, ...], expected: str) -> None:
    item_id, score = load_catalog().match(text, modules)
    assert item_id == expected, (text, item_id, score)
    assert 0.6 <= score <= 1.0


@pytest.mark.parametrize(
    "text",
    [
        "Bake a chocolate cake for the teaching assistants",
        "We used Kubernetes with Helm charts",
        "",
        "(M8)",
    ],
)
def test_unrelated_text_is_unknown(text: str) -> None:
    item_id, score = load_catalog().match(text, ())
    assert item_id is None
    assert score < 0.6


def test_module_code_breaks_ties() -> None:
    catalog = load_catalog()
    # a vague text between two modules' items: the module code decides
    vague = "Create a workflow that triggers automatically"
    assert catalog.match(vague, ("M19",))[0] == "M19.data-trigger"
    assert catalog.match(vague, ("M21",))[0] != "M19.data-trigger"
    assert catalog.match("Write some documentation for your application", ("M32",))[0] == (
        "M32.documentation"
    )
    with_conflict = catalog.match("Load test your application", ("M8",))
    without = catalog.match("Load test your application", ("M24",))
    assert with_conflict[0] == without[0] == "M24.load-test"
    assert with_conflict[1] < without[1]


def _item(line: int, text: str, modules: tuple[str, ...] = ()) -> ChecklistItem:
    return ChecklistItem(
        line=line, tick=Tick.TICKED, mark="x", text=text, modules=modules, section=None
    )


def test_two_items_never_silently_share_an_id() -> None:
    report = Report(
        path="r.md",
        generation="unknown",
        title=None,
        items=[
            _item(1, "Add a linting step to your continuous integration (M17)", ("M17",)),
            _item(2, "Add a linting step to the CI pipeline", ("M17",)),
        ],
        answers=[],
    )
    assign_catalog_ids(report, load_catalog())
    assert report.items[0].catalog_id == "M17.linting-ci"
    assert report.items[1].catalog_id is None
    assert any("line 2" in p and "M17.linting-ci" in p for p in report.problems)


def test_identical_items_keep_the_id_and_are_reported() -> None:
    text = "Create a git repository (M5)"
    report = Report("r.md", "unknown", None, [_item(3, text, ("M5",)), _item(9, text, ("M5",))], [])
    assign_catalog_ids(report, load_catalog())
    assert [i.catalog_id for i in report.items] == ["M5.git-repository"] * 2
    assert any("line 9" in p and "repeats" in p for p in report.problems)


def test_unknown_items_are_kept_and_reported() -> None:
    report = parse_report("### Extra\n\n* [x] Trained a model on the moon\n")
    assert len(report.items) == 1 and report.items[0].catalog_id is None
    assert any("line 3" in p and "not in the catalog" in p for p in report.problems)


def test_malformed_catalog_data_is_rejected() -> None:
    good = _raw_yaml()
    bad_variants = [
        [],
        {"items": "x"},
        {"items": [{**good["items"][0], "verifiable": "maybe"}]},
        {"items": [{**good["items"][0], "id": "no dots"}]},
        {"items": [good["items"][0], good["items"][0]]},
        {"items": [{**good["items"][0], "wordings": []}]},
        {"items": [{**good["items"][0], "wordings": [{"text": "x", "years": "2025"}]}]},
    ]
    for data in bad_variants:
        with pytest.raises(CatalogError):
            catalog_from_data(data)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Add a continues workflow that triggers when changes to the model registry is made "
            "(M19) (NOTE: it runs, but only by hand)",
            "M19.registry-trigger",
        ),
        ("Use profiling to optimize your code (M12) <!-- only used locally -->", "M12.profiling"),
        (
            "Check how robust your model is towards data drifting (M27) We compare two splits.",
            "M27.drift-robustness",
        ),
        ("= Done", None),
    ],
)
def test_items_with_text_the_group_appended(text: str, expected: str | None) -> None:
    assert load_catalog().match(text)[0] == expected
