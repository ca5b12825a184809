"""Claim extraction from the free-text answers: the five seed reports (every claim listed by
hand, with its report line) and synthetic sentences for negation, hypotheticals, numbers,
ranges, percentages, endpoints, links and pathological input."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.claims import (
    CLAIM_KINDS,
    Claim,
    answer_claims,
    extract_claims,
    framework_distributions,
    load_vocabulary,
)
from verifier.claims import extract as extract_module
from verifier.report import parse_report
from verifier.report.model import Answer, Report

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
WORDS = [
    " we used ",
    " DVC ",
    " not ",
    " would ",
    " tests ",
    " twenty ",
    " between ",
    " and ",
    " https://github.com/o/r/blob/main/",
    "Dockerfile",
    " /predict ",
    " Python 3.12 ",
    " ubuntu ",
    " caching ",
    " ruff ",
    " instead of ",
    "```\n",
    "TOTAL  10  2  80%",
    "![x](a.png)",
]


def _seed_report(stem: str) -> Report:
    path = SEEDS / f"{stem}.txt"
    if not path.is_file():
        pytest.skip(f"seed report not found: {path}")
    return parse_report(path.read_bytes())


# ---------------------------------------------------------------------------------------------
# Seeds: (kind, question, report line, value, negated) for every claim a careful reader finds.
# Links and images of the quoted prompts ("figures/wandb.png" etc.) are not claims; neither
# are hypothetical sentences ("Even if we had 100% coverage ...", "we would use Locust").

EXPECTED: dict[str, list[tuple[str, int, int, object, bool]]] = {
    "000_c48c01e3fdddef64": [
        ("framework", 3, 153, "dvc", False),
        ("dvc-remote", 3, 153, "gcs", False),
        ("framework", 3, 153, "wandb", False),
        ("framework", 3, 155, "fastapi", False),
        ("framework", 3, 155, "locust", False),
        ("dependency-manager", 4, 175, "uv", False),
        ("dvc-remote", 5, 195, "gcs", False),
        ("linter", 6, 212, "ruff", False),
        ("formatter", 6, 212, "ruff", False),
        ("test-count", 7, 232, 77, False),
        ("coverage-percent", 8, 248, 24.0, False),
        ("dvc-used", 10, 279, True, False),
        ("dvc-remote", 10, 279, "gdrive", False),
        ("workflow-count", 11, 298, 6, False),
        ("ci-os", 11, 298, "linux", False),
        ("ci-os", 11, 298, "macos", False),
        ("ci-python", 11, 298, "3.12", False),
        ("ci-caching", 11, 298, True, False),
        ("ci-linting", 11, 300, "ruff", False),
        ("image", 14, 359, "figures/best_model_overview_v0.png", False),
        ("image", 14, 363, "figures/best_model_charts_v0.png", False),
        ("image", 14, 367, "figures/best_model_v0.png", False),
        ("docker-role", 15, 382, "train", False),
        ("docker-role", 15, 382, "api", False),
        ("dockerfile", 15, 384, "dockerfiles/train.dockerfile", False),
        ("dockerfile", 15, 386, "dockerfiles/api.dockerfile", False),
        ("dockerfile", 15, 386, "backend/Dockerfile", False),
        ("image", 19, 454, "figures/GCP_bucket.png", False),
        ("image", 20, 463, "figures/GCP_registry.png", False),
        ("image", 21, 472, "figures/GCP_build_history.png", False),
        ("dvc-remote", 22, 489, "gcs", False),
        ("api-endpoint", 23, 508, "/predict", False),
        ("api-endpoint", 23, 508, "/health", False),
        ("api-endpoint", 24, 524, "/health", False),
        ("api-endpoint", 24, 524, "/predict", False),
        ("api-endpoint", 24, 531, "/drift/features", False),
        ("api-endpoint", 25, 547, "/health", False),
        ("api-endpoint", 25, 547, "/predict", False),
        ("load-test-tool", 25, 547, "locust", False),
        ("api-endpoint", 26, 562, "/drift/features", False),
        ("image", 29, 615, "../docs/source/figures/architecture_diagram.png", False),
        ("dvc-remote", 29, 619, "gcs", False),
        ("dvc-remote", 31, 662, "gcs", False),
        ("uses-branches", 9, 264, True, False),
        ("uses-pull-requests", 9, 264, True, True),
    ],
    "001_8261ab6955c114f9": [
        ("framework", 3, 146, "transformers", False),
        ("dependency-manager", 4, 166, "conda", False),
        ("dependency-manager", 4, 166, "uv", False),
        ("dependency-manager", 4, 170, "pip", False),
        ("linter", 6, 218, "ruff", False),
        ("formatter", 6, 218, "ruff", False),
        ("pre-commit", 6, 219, "pre-commit", False),
        ("test-count", 7, 246, 11, False),
        ("coverage-percent", 8, 263, 39.0, False),
        ("coverage-percent", 8, 263, 50.0, False),
        ("coverage-percent", 8, 263, 93.0, False),
        ("dvc-used", 10, 301, True, True),
        ("workflow-count", 11, 324, 1, False),
        ("ci-os", 11, 327, "linux", False),
        ("ci-os", 11, 327, "windows", False),
        ("ci-os", 11, 327, "macos", False),
        ("ci-python", 11, 328, "3.12", False),
        ("ci-python", 11, 328, "3.11", False),
        ("ci-caching", 11, 329, True, False),
        ("dockerfile", 13, 389, "train.dockerfile", False),
        ("image", 14, 411, "figures/Unet_Wandb.png", False),
        ("image", 14, 421, "figures/Trans_Wandb.png", False),
        ("image", 14, 431, "figures/Comparison_Wandb.png", False),
        ("docker-role", 15, 455, "train", False),
        ("docker-role", 15, 455, "evaluate", False),
        ("docker-role", 15, 455, "api", False),
        ("docker-role", 15, 455, "visualize", False),
        ("dockerfile", 15, 467, "dockerfiles/train.dockerfile", False),
        ("dockerfile", 15, 474, "../dockerfiles/train.dockerfile", False),
        ("file-link", 15, 474, "../dockerfiles/train.dockerfile", False),
        ("dockerfile", 15, 477, "train.gpu.dockerfile", False),
        ("dockerfile", 15, 478, "evaluate.dockerfile", False),
        ("dockerfile", 15, 479, "api.dockerfile", False),
        ("dockerfile", 15, 480, "visualize.dockerfile", False),
        ("image", 19, 575, "figures/GCP_Bucket.png", False),
        ("image", 20, 584, "./figures/artifacts1.png", False),
        ("image", 20, 585, "./figures/artifacts2.png", False),
        ("image", 21, 594, "./figures/cbuild.png", False),
        ("api-endpoint", 24, 666, "/docs", False),
        ("api-endpoint", 24, 676, "/metrics", False),
        ("api-endpoint", 25, 694, "/", False),
        ("load-test-tool", 25, 704, "locust", False),
        ("api-endpoint", 25, 707, "/predict", False),
        ("api-endpoint", 26, 738, "/metrics", False),
        ("uses-branches", 9, 283, True, True),
        ("uses-pull-requests", 9, 283, True, True),
    ],
    "002_60413883467b3244": [
        ("framework", 3, 27, "pytorch", False),
        ("framework", 3, 27, "timm", False),
        ("dependency-manager", 4, 43, "poetry", False),
        ("dependency-manager", 4, 43, "uv", False),
        ("dvc-remote", 4, 43, "gcs", False),
        ("linter", 6, 78, "ruff", False),
        ("formatter", 6, 78, "ruff", False),
        ("type-checker", 6, 78, "mypy", False),
        ("pre-commit", 6, 78, "pre-commit", False),
        ("test-count", 7, 97, 45, False),
        ("coverage-percent", 8, 117, 82.0, False),
        ("dvc-used", 10, 145, True, False),
        ("dvc-remote", 10, 150, "gcs", False),
        ("workflow-count", 11, 168, 2, False),
        ("workflow-file", 11, 170, "tests.yaml", False),
        ("ci-linting", 11, 172, "ruff", False),
        ("ci-os", 11, 174, "linux", False),
        ("ci-python", 11, 174, "3.12", False),
        ("ci-caching", 11, 175, True, False),
        ("file-link", 11, 176, ".github/workflows/tests.yaml", False),
        ("workflow-file", 11, 178, "gcs-sync.yaml", False),
        ("file-link", 11, 182, ".github/workflows/gcs-sync.yaml", False),
        ("docker-role", 15, 279, "train", False),
        ("dockerfile", 15, 279, "dockerfiles/train.dockerfile", False),
        ("file-link", 15, 279, "dockerfiles/train.dockerfile", False),
        ("docker-role", 15, 285, "evaluate", False),
        ("dockerfile", 15, 285, "dockerfiles/evaluate.dockerfile", False),
        ("file-link", 15, 285, "dockerfiles/evaluate.dockerfile", False),
        ("docker-role", 15, 291, "api", False),
        ("dockerfile", 15, 291, "dockerfiles/api.dockerfile", False),
        ("file-link", 15, 291, "dockerfiles/api.dockerfile", False),
        ("file-link", 16, 310, "src/car_image_classification_using_cnn/train.py", False),
        ("file-link", 17, 336, "cloudbuild.yaml", False),
        ("dvc-remote", 18, 365, "gcs", False),
        ("image", 19, 377, "figures/bucket.png", False),
        ("image", 20, 391, "figures/registry.png", False),
        ("image", 21, 405, "figures/cloud_build.png", False),
        ("file-link", 23, 445, "src/main.py", False),
        ("api-endpoint", 23, 447, "/predict", False),
        ("api-endpoint", 23, 449, "/predict_batch", False),
        ("api-endpoint", 23, 451, "/monitoring", False),
        ("api-endpoint", 23, 453, "/metrics", False),
        ("api-endpoint", 23, 455, "/health", False),
        ("api-endpoint", 23, 455, "/classes", False),
        ("dockerfile", 23, 457, "dockerfiles/api.dockerfile", False),
        ("file-link", 23, 457, "dockerfiles/api.dockerfile", False),
        ("api-endpoint", 24, 472, "/predict", False),
        ("dockerfile", 24, 480, "api.dockerfile", False),
        ("file-link", 25, 498, "tests/integrationtests/test_apis.py", False),
        ("api-endpoint", 25, 499, "/predict", False),
        ("api-endpoint", 25, 501, "/classes", False),
        ("api-endpoint", 25, 502, "/health", False),
        ("file-link", 25, 505, "scripts/batch_test.py", False),
        ("api-endpoint", 26, 528, "/metrics", False),
        ("file-link", 26, 537, "prediction_database.csv", False),
        ("api-endpoint", 26, 539, "/monitoring", False),
        ("image", 29, 609, "figures/architecture_diagram.png", False),
        ("dvc-remote", 29, 613, "gcs", False),
        ("dockerfile", 29, 632, "api.dockerfile", False),
        ("dvc-remote", 31, 674, "gcs", False),
        ("file-link", 31, 674, "src/car_image_classification_using_cnn/data.py", False),
        ("file-link", 31, 674, "src/car_image_classification_using_cnn/data_transform.py", False),
        ("file-link", 31, 676, "src/car_image_classification_using_cnn/model.py", False),
        ("file-link", 31, 676, "src/car_image_classification_using_cnn/train_hydra.py", False),
        ("file-link", 31, 678, "dockerfiles/", False),
        ("file-link", 31, 678, ".github/workflows/", False),
        ("file-link", 31, 680, "tests/", False),
        ("file-link", 31, 680, "src/main.py", False),
        ("file-link", 31, 680, "src/car_image_classification_using_cnn/drift_detection.py", False),
        ("file-link", 31, 682, "frontend.py", False),
        ("file-link", 31, 682, ".pre-commit-config.yaml", False),
        ("uses-branches", 9, 130, True, False),
        ("uses-pull-requests", 9, 130, True, False),
        ("pr-reviews", 9, 132, True, False),
    ],
    "003_c52dc975d077c3cf": [
        ("framework", 3, 151, "typer", True),
        ("framework", 3, 151, "argparse", False),
        ("dependency-manager", 4, 172, "uv", False),
        ("linter", 6, 209, "ruff", False),
        ("formatter", 6, 209, "black", False),
        ("test-count", 7, 229, 34, False),
        ("coverage-percent", 8, 244, 79.0, False),
        ("coverage-percent", 8, 244, 78.0, False),
        ("coverage-percent", 8, 244, 69.0, False),
        ("coverage-percent", 8, 244, 74.0, False),
        ("coverage-percent", 8, 244, 99.0, False),
        ("coverage-percent", 8, 244, 95.0, False),
        ("dvc-used", 10, 274, True, True),
        ("docker-role", 15, 357, "data", False),
        ("docker-role", 15, 357, "evaluate", False),
        ("docker-role", 15, 357, "frontend", False),
        ("docker-role", 15, 357, "api", False),
        ("dockerfile", 15, 367, "dockerfiles/evaluation.dockerfile", False),
        ("file-link", 15, 367, "dockerfiles/evaluation.dockerfile", False),
        ("image", 19, 430, "figures/bucket.png", False),
        ("image", 20, 443, "figures/registry.png", False),
        ("image", 21, 456, "figures/build.png", False),
        ("dockerfile", 24, 507, "backend.dockerfile", False),
        ("load-test-tool", 25, 522, "locust", False),
        ("image", 29, 592, "figures/overview.png", False),
        ("uses-branches", 9, 259, True, False),
        ("uses-pull-requests", 9, 259, True, True),
    ],
    "004_2f0b6ac39a5d2a2f": [
        ("dependency-manager", 4, 170, "uv", False),
        ("linter", 6, 201, "ruff", False),
        ("pre-commit", 6, 201, "pre-commit", False),
        ("formatter", 6, 201, "ruff", False),
        ("coverage-percent", 8, 236, 49.0, False),
        ("dvc-used", 10, 267, True, False),
        ("dvc-remote", 10, 267, "gcs", False),
        ("workflow-file", 11, 284, "tests.yaml", False),
        ("ci-os", 11, 284, "linux", False),
        ("ci-os", 11, 284, "windows", False),
        ("ci-caching", 11, 284, True, False),
        ("ci-linting", 11, 284, "ruff", False),
        ("workflow-file", 11, 284, "codecheck.yaml", False),
        ("workflow-file", 11, 284, "build-image.yaml", False),
        ("workflow-file", 11, 284, "cml_data.yaml", False),
        ("workflow-file", 11, 284, "stage_model.yaml", False),
        ("image", 14, 335, "figures/wandb_charts.png", False),
        ("image", 14, 335, "figures/wandb_logs.png", False),
        ("docker-role", 15, 350, "train", False),
        ("docker-role", 15, 350, "api", False),
        ("dockerfile", 15, 350, "train_gpu.dockerfile", False),
        ("dockerfile", 15, 350, "vertex_train.dockerfile", False),
        ("dockerfile", 15, 353, "dockerfiles/train_cpu.dockerfile", False),
        ("file-link", 15, 356, "dockerfiles/train_cpu.dockerfile", False),
        ("image", 19, 412, "figures/bucket.png", False),
        ("image", 19, 413, "figures/bucket_data.png", False),
        ("image", 20, 422, "figures/repositories.png", False),
        ("image", 20, 423, "figures/example_bentoml.png", False),
        ("image", 21, 432, "figures/build.png", False),
        ("dvc-remote", 22, 447, "gcs", False),
        ("api-endpoint", 24, 480, "/predict", False),
        ("api-endpoint", 24, 480, "/health", False),
        ("api-endpoint", 25, 497, "/predict", False),
        ("dvc-remote", 29, 564, "gcs", False),
        ("uses-branches", 9, 252, True, False),
        ("uses-pull-requests", 9, 252, True, False),
        ("pr-reviews", 9, 252, True, False),
        ("branch-protection", 9, 252, True, False),
    ],
}


def _facts(claims: list[Claim]) -> list[tuple[str, int, int, object, bool]]:
    return [(c.kind, c.question, c.line, c.value, c.negated) for c in claims]


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_seed_claims(stem: str) -> None:
    claims = extract_claims(_seed_report(stem))
    got = _facts(claims)
    expected = EXPECTED[stem]
    missing = [f for f in expected if f not in got]
    extra = [f for f in got if f not in expected]
    assert not missing and not extra, f"missing: {missing}\nextra: {extra}"


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_seed_claims_point_at_their_words(stem: str) -> None:
    """The claim's line holds the words that make it: the number, path or route itself."""
    path = SEEDS / f"{stem}.txt"
    report = _seed_report(stem)
    lines = parse_report_lines(path)
    for c in extract_claims(report):
        assert c.kind in CLAIM_KINDS
        assert 0 < len(c.quote) <= 200 and c.sentence
        line = lines[c.line - 1].lower()
        if isinstance(c.value, bool):
            words = [w for w in c.quote.lower().split() if len(w) > 3]
            assert any(w.strip(".,`'*()") in line for w in words), (c.line, c.quote)
        elif isinstance(c.value, int | float) and any(ch.isdigit() for ch in c.quote):
            assert str(int(c.value)) in line, (c.line, c.value)
        elif c.kind in ("dockerfile", "file-link", "image", "api-endpoint", "workflow-file"):
            assert str(c.value).lower().rsplit("/", 1)[-1] in line, (c.line, c.value)
        else:
            words = [w.strip(".,`'*()") for w in c.quote.lower().split()]
            assert any(len(w) > 1 and w in line for w in words), (c.line, c.quote)


def parse_report_lines(path: Path) -> list[str]:
    return (
        parse_report(path.read_bytes()) and path.read_text("utf-8", errors="replace").splitlines()
    )


def test_seed_000_details() -> None:
    claims = extract_claims(_seed_report("000_c48c01e3fdddef64"))
    by = {(c.kind, c.value): c for c in claims}
    tests = by[("test-count", 77)]
    assert tests.quote.startswith("We have implemented 77 pytest")
    assert tests.qualifier is None
    assert by[("coverage-percent", 24.0)].tags == ()
    # the Q10 answer says Google Drive, other answers a GCS bucket: both are kept, per question
    remotes = {(c.question, c.value) for c in claims if c.kind == "dvc-remote"}
    assert (10, "gdrive") in remotes and (3, "gcs") in remotes
    assert "course" in by[("framework", "wandb")].tags


def test_seed_001_no_dvc_and_parts_only() -> None:
    claims = extract_claims(_seed_report("001_8261ab6955c114f9"))
    dvc = [c for c in claims if c.kind == "dvc-used"]
    assert [(c.line, c.negated) for c in dvc] == [(301, True)]
    assert "did not use DVC" in dvc[0].quote
    coverage = [c for c in claims if c.kind == "coverage-percent"]
    assert all("part" in c.tags for c in coverage)
    assert {c.value: c.qualifier for c in coverage}[50.0] == "at most"  # "up to 50%"


def test_seed_002_qualifier_and_github_links() -> None:
    claims = extract_claims(_seed_report("002_60413883467b3244"))
    tests = next(c for c in claims if c.kind == "test-count")
    assert (tests.value, tests.qualifier) == (45, "approximately")
    link = next(c for c in claims if c.kind == "file-link" and c.line == 176)
    assert link.value == ".github/workflows/tests.yaml"
    assert link.get("owner") == "Klakawaka" and link.get("ref") == "main"
    assert "github" in link.tags
    # "we would implement ... load testing with tools like Locust or Apache JMeter"
    assert not [c for c in claims if c.kind == "load-test-tool"]


def test_seed_003_total_and_parts() -> None:
    claims = extract_claims(_seed_report("003_c52dc975d077c3cf"))
    coverage = {c.value: c.tags for c in claims if c.kind == "coverage-percent"}
    assert coverage[79.0] == ()
    assert all(coverage[v] == ("part",) for v in (78.0, 69.0, 74.0, 99.0, 95.0))
    typer = next(c for c in claims if c.value == "typer")
    assert typer.negated and "instead of" in typer.quote


# ---------------------------------------------------------------------------------------------
# Synthetic answers

PROMPTS = {
    3: "Did you end up using any open-source frameworks/packages not covered in the course?",
    4: "Explain how you managed dependencies in your project?",
    6: "Did you implement any rules for code quality and format?",
    7: "How many tests did you implement and what are they testing in your code?",
    8: "What is the total code coverage (in percentage) of your code?",
    10: "Did you use DVC for managing data in your project?",
    11: "Discuss you continuous integration setup.",
    14: "Upload 1 to 3 screenshots. Take inspiration from [this figure](figures/wandb.png).",
    15: "Docker is an important tool for creating containerized applications.",
    23: "Did you manage to write an API for your model?",
    25: "Did you perform any unit testing and load testing of your API?",
}


def report_of(answers: dict[int, str]) -> tuple[Report, list[str]]:
    """A report with the given answers, and its lines (for checking claim lines)."""
    parts = ["# Exam template for 02476 Machine Learning Operations", ""]
    for number in sorted(answers):
        parts += [
            f"### Question {number}",
            "",
            f"> **{PROMPTS.get(number, 'Question text?')}**",
            ">",
            "> Answer:",
            "",
            answers[number],
            "",
        ]
    text = "\n".join(parts)
    return parse_report(text), text.split("\n")


def claims_of(answers: dict[int, str], kind: str | None = None) -> list[Claim]:
    report, _ = report_of(answers)
    claims = extract_claims(report)
    return [c for c in claims if kind is None or c.kind == kind]


def values(answers: dict[int, str], kind: str) -> list[tuple[object, bool]]:
    return [(c.value, c.negated) for c in claims_of(answers, kind)]


# --- negation


@pytest.mark.parametrize(
    ("number", "text", "kind", "expected"),
    [
        (10, "We did not use DVC in our project.", "dvc-used", [(True, True)]),
        (10, "We didn't use DVC, since the data never changed.", "dvc-used", [(True, True)]),
        (10, "DVC was not used in this project.", "dvc-used", [(True, True)]),
        (10, "We could not get DVC to work with our cluster.", "dvc-used", [(True, True)]),
        (10, "No. Our dataset is static.", "dvc-used", [(True, True)]),
        (10, "We used DVC to version our data.", "dvc-used", [(True, False)]),
        (
            4,
            "We used uv instead of poetry.",
            "dependency-manager",
            [("uv", False), ("poetry", True)],
        ),
        (
            4,
            "We chose pip rather than conda.",
            "dependency-manager",
            [("pip", False), ("conda", True)],
        ),
        (6, "We never used mypy.", "type-checker", [("mypy", True)]),
        (
            6,
            "We format with black, without pre-commit hooks.",
            "pre-commit",
            [("pre-commit", True)],
        ),
        (11, "The workflow runs without caching.", "ci-caching", [(True, True)]),
        (11, "There is no caching in our CI.", "ci-caching", [(True, True)]),
        (11, "We cache the uv dependencies.", "ci-caching", [(True, False)]),
        (
            11,
            "We do not test on Windows, only on Ubuntu.",
            "ci-os",
            [("windows", True), ("linux", False)],
        ),
        (6, "We not only used ruff for linting but also mypy.", "linter", [("ruff", False)]),
    ],
)
def test_negation(number: int, text: str, kind: str, expected: list[tuple[object, bool]]) -> None:
    assert values({number: text}, kind) == expected


def test_negation_keeps_the_line_and_quote() -> None:
    report, lines = report_of({10: "Our data lives in a bucket.\nWe did not use DVC for it."})
    (claim,) = [c for c in extract_claims(report) if c.kind == "dvc-used"]
    assert claim.negated
    assert "We did not use DVC" in lines[claim.line - 1]
    assert claim.quote == "We did not use DVC for it"


# --- hypotheticals: no claim of use


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (10, "DVC would be beneficial if the dataset changed over time."),
        (10, "If we had more time we would have set up DVC with a GCS bucket."),
        (10, "By using DVC, the team could easily go back to previous dataset versions."),
        (10, "DVC is invaluable for evolving datasets."),
        (4, "We could have used poetry."),
        (6, "In the future, we plan to add mypy."),
        (25, "For load testing we would use Locust."),
        (25, "If we had more time we would run k6 against the API."),
        (3, "It might be worth trying timm next time."),
        (7, "With more time we would have written 100 tests."),
        (8, "Even if we had 100% coverage, we would not trust the code to be error free."),
        (11, "Ideally we would test on macOS and Python 3.11 with caching."),
        (23, "We could add a `/metrics` endpoint later."),
    ],
)
def test_hypothetical_sentences_claim_nothing(number: int, text: str) -> None:
    assert claims_of({number: text}) == []


def test_hypothetical_clause_does_not_hide_a_real_one() -> None:
    text = "We used DVC with a GCS bucket, which would also make it easy to share the data."
    assert values({10: text}, "dvc-used") == [(True, False)]
    assert values({10: text}, "dvc-remote") == [("gcs", False)]


# --- test counts: words, ranges, approximations


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("We implemented 77 tests.", 77, None),
        ("We implemented twelve tests.", 12, None),
        ("We wrote twenty-five unit tests for the data module.", 25, None),
        ("We have one hundred and twenty tests.", 120, None),
        ("We implemented approximately 45 tests.", 45, "approximately"),
        ("There are about 30 tests.", 30, "approximately"),
        ("We have around 60 test cases.", 60, "approximately"),
        ("We have ~40 tests.", 40, "approximately"),
        ("We wrote over 200 tests.", 200, "over"),
        ("We wrote more than 50 tests.", 50, "over"),
        ("We wrote 200+ tests.", 200, "over"),
        ("We wrote at least 10 tests.", 10, "at least"),
        ("We wrote between 20 and 30 tests.", (20, 30), "range"),
        ("We wrote 20-30 tests.", (20, 30), "range"),
        ("We wrote 20 to 30 unit tests.", (20, 30), "range"),
        ("In total, 34 tests cover the code.", 34, "exactly"),
        ("We have 77 pytest (uv run pytest --collect-only) style tests.", 77, None),
        ("We did not write any tests.", 0, "exactly"),
        ("There are no tests.", 0, "exactly"),
    ],
)
def test_test_counts(text: str, value: object, qualifier: str | None) -> None:
    (claim,) = claims_of({7: text}, "test-count")
    assert (claim.value, claim.qualifier, claim.negated) == (value, qualifier, False)


@pytest.mark.parametrize(
    "text",
    [
        "We implemented tests across 5 modules/files.",
        "We have 3 test files with many tests each.",
        "One of the tests checks the shapes.",
        "The tests run on Python 3.12 in 2 minutes.",
        "We tested with 20 concurrent users.",
    ],
)
def test_not_test_counts(text: str) -> None:
    assert claims_of({7: text}, "test-count") == []


def test_test_count_only_in_its_question() -> None:
    assert claims_of({25: "We implemented 12 tests for the API."}, "test-count") == []


# --- coverage


def test_two_different_totals_are_a_conflict() -> None:
    text = "Our total code coverage is 65%.\nLater runs showed an overall coverage of 72%."
    report, lines = report_of({8: text})
    claims = [c for c in extract_claims(report) if c.kind == "coverage-percent"]
    assert [(c.value, c.tags) for c in claims] == [(65.0, ("conflict",)), (72.0, ("conflict",))]
    assert "65%" in lines[claims[0].line - 1] and "72%" in lines[claims[1].line - 1]


def test_total_and_parts_are_no_conflict() -> None:
    text = "The total coverage is 80%, with 95% for data.py and 60% for the api module."
    claims = claims_of({8: text}, "coverage-percent")
    assert [(c.value, c.tags) for c in claims] == [(80.0, ()), (95.0, ("part",)), (60.0, ("part",))]


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("Our coverage is around 70 %.", 70.0, "approximately"),
        ("Coverage is 82.5 percent.", 82.5, None),
        ("Our coverage is between 60 and 70%.", (60.0, 70.0), "range"),
        ("Our coverage is 60-70%.", (60.0, 70.0), "range"),
    ],
)
def test_coverage_forms(text: str, value: object, qualifier: str | None) -> None:
    (claim,) = claims_of({8: text}, "coverage-percent")
    assert (claim.value, claim.qualifier) == (value, qualifier)


def test_coverage_ignores_other_percentages() -> None:
    text = "Our coverage is 50%. The model reaches 91% accuracy on the validation set."
    assert [c.value for c in claims_of({8: text}, "coverage-percent")] == [50.0]


def test_coverage_total_line_of_a_report_in_code() -> None:
    text = "```\nName    Stmts   Miss  Cover\nTOTAL     277    141    49%\n```"
    (claim,) = claims_of({8: text}, "coverage-percent")
    assert claim.value == 49.0 and "code" in claim.tags


# --- CI


def test_ci_claims() -> None:
    text = (
        "We have 3 GitHub Actions workflows: `tests.yaml`, `lint.yml` and `docker.yaml`.\n"
        "We test on ubuntu-latest, windows-latest and macos-latest with Python 3.10-3.12.\n"
        "Dependencies are cached, and ruff checks linting."
    )
    claims = claims_of({11: text})
    facts = {(c.kind, c.value) for c in claims}
    assert ("workflow-count", 3) in facts
    assert {v for k, v in facts if k == "workflow-file"} == {
        "tests.yaml",
        "lint.yml",
        "docker.yaml",
    }
    assert {v for k, v in facts if k == "ci-os"} == {"linux", "windows", "macos"}
    assert {v for k, v in facts if k == "ci-python"} == {"3.10", "3.11", "3.12"}
    assert ("ci-caching", True) in facts
    assert {v for k, v in facts if k == "ci-linting"} == {"ruff"}
    python = [c for c in claims if c.kind == "ci-python"]
    assert all(c.qualifier == "range" and c.line == python[0].line for c in python)


def test_ci_generic_linting_and_flags() -> None:
    facts = values(
        {11: "A workflow does linting. We run pip install --no-cache-dir ."}, "ci-linting"
    )
    assert facts == [("linting", False)]
    assert claims_of({11: "We run `pip install --no-cache-dir .`"}, "ci-caching") == []


def test_ci_python_versions_need_python_context() -> None:
    assert claims_of({11: "The run takes 3.12 minutes."}, "ci-python") == []
    assert values({11: "We use `actions/setup-python@v5` with Python 3.11."}, "ci-python") == [
        ("3.11", False)
    ]


# --- tools and frameworks


def test_code_quality_kinds_follow_their_cue() -> None:
    text = "We used ruff for linting and the Black formatter for formatting, and mypy for typing."
    facts = {(c.kind, c.value) for c in claims_of({6: text})}
    assert facts == {("linter", "ruff"), ("formatter", "black"), ("type-checker", "mypy")}


def test_pip_installing_another_manager_is_not_pip() -> None:
    assert values({4: "We used Poetry (pip install poetry)."}, "dependency-manager") == [
        ("poetry", False)
    ]


def test_frameworks_ambiguous_names_need_context() -> None:
    assert claims_of({3: "We used vision transformers from a paper."}, "framework") == []
    facts = values({3: "We used the Hugging Face transformers library and timm."}, "framework")
    assert facts == [("transformers", False), ("timm", False)]
    assert "torch" in framework_distributions("pytorch")
    assert framework_distributions("argparse") == ()


def test_load_test_tool() -> None:
    assert values({25: "For load testing we used Locust with 20 users."}, "load-test-tool") == [
        ("locust", False)
    ]


def test_dvc_remote_kinds() -> None:
    text = "We used DVC with a GCS bucket instead of Google Drive."
    assert values({10: text}, "dvc-remote") == [("gcs", False), ("gdrive", True)]
    # outside the DVC answer a remote counts only next to "DVC"
    assert claims_of({17: "We stored data in a GCS bucket."}, "dvc-remote") == []
    assert values({17: "Data is tracked by DVC in a GCS bucket."}, "dvc-remote") == [("gcs", False)]


# --- Docker


def test_dockerfiles_and_roles() -> None:
    text = (
        "The training image (`dockerfiles/train.dockerfile`) and the API image "
        "(`./dockerfiles/api.Dockerfile`) are built in CI.\n"
        "We wrote a Dockerfile for everything; `Dockerfile` at the root serves the frontend."
    )
    claims = claims_of({15: text})
    assert {c.value for c in claims if c.kind == "dockerfile"} == {
        "dockerfiles/train.dockerfile",
        "dockerfiles/api.Dockerfile",
        "Dockerfile",
    }
    assert {c.value for c in claims if c.kind == "docker-role"} == {"train", "api", "frontend"}


# --- endpoints versus file paths


def test_endpoints_not_file_paths() -> None:
    text = (
        "The API exposes `/predict` and a GET /health endpoint, plus '/items/{item_id}'.\n"
        "The model is stored in /tmp/model.pt, the app lives in /app/main.py, and the "
        "repository is https://github.com/org/repo/tree/main/src.\n"
        "Locally it runs at http://localhost:8000/docs and CI/CD deploys it."
    )
    assert [v for v, _ in values({23: text}, "api-endpoint")] == [
        "/predict",
        "/health",
        "/items/{item_id}",
        "/docs",
    ]


def test_endpoint_from_a_curl_command() -> None:
    text = "Call it with:\n\ncurl -X POST https://my-api-123.europe-west1.run.app/predict/ -F x=1"
    (claim,) = claims_of({24: text}, "api-endpoint")
    assert claim.value == "/predict" and "code" in claim.tags


def test_endpoints_only_in_api_questions() -> None:
    assert claims_of({12: "We ran `/predict` once."}, "api-endpoint") == []


# --- links and images


def test_links_and_images() -> None:
    text = (
        "![Charts](figures/charts.png) and ![ext](https://imgur.com/x.png)\n"
        "See [the config](../configs/train.yaml#L3) and "
        "[workflow](https://github.com/org/repo/blob/dev/.github/workflows/ci.yml).\n"
        "[docs](https://example.com/docs) [top](#top)"
    )
    report, _ = report_of({14: text})
    claims = [c for c in extract_claims(report) if c.kind in ("image", "file-link")]
    facts = [(c.kind, c.value, c.tags) for c in claims]
    assert facts == [
        ("image", "figures/charts.png", ()),
        ("image", "https://imgur.com/x.png", ("external",)),
        ("file-link", "../configs/train.yaml", ()),
        ("file-link", ".github/workflows/ci.yml", ("github",)),
    ]
    gh = claims[3]
    assert (gh.get("owner"), gh.get("repo"), gh.get("ref")) == ("org", "repo", "dev")
    # the prompt's [this figure](figures/wandb.png) is not the group's
    assert all(c.value != "figures/wandb.png" for c in claims)


# --- sentence splitting keeps report lines


def test_wrapped_sentence_claims_the_line_of_its_words() -> None:
    text = "Our project has a\nlarge test suite: we\nimplemented 42 tests, e.g. for the API.\nDone."
    report, lines = report_of({7: text})
    (claim,) = [c for c in extract_claims(report) if c.kind == "test-count"]
    assert "42 tests" in lines[claim.line - 1]
    assert claim.sentence.startswith("Our project has a large test suite")


def test_numbered_list_and_abbreviations_do_not_split_badly() -> None:
    text = "1. We used ruff, i.e. a linter.\n2. We also used mypy."
    claims = claims_of({6: text})
    assert [(c.value, c.line - claims[0].line) for c in claims] == [("ruff", 0), ("mypy", 1)]


# --- robustness


def test_very_long_line_still_gives_its_claim() -> None:
    """Speed on such input is measured by benchmarks/bench_pathological.py, not here."""
    long_answer = ("word " * 40_000) + "We implemented 77 tests. " + ("a/" * 30_000)
    counts = claims_of({7: long_answer}, "test-count")
    assert [c.value for c in counts] == [77]


PATHOLOGICAL = [
    "(" * 5_000,
    "/" * 5_000,
    "`/" * 2_500,
    "1-" * 2_500,
    "not " * 1_000 + "DVC",
    "3." * 2_500,
    "https://" + "a" * 5_000,
    "x" * 5_000 + ".dockerfile",
    "." * 5_000,
    "1. A " * 1_000,
    "a, which b DVC " * 500,
    "5% " * 1_000,
    "twenty " * 1_000 + "tests",
    "![x](a.png) [y](b/c.py)\n" * 250,
    " ".join(f"`d{i}/a{i}.dockerfile` a{i}.dockerfile" for i in range(250)),
]


@pytest.mark.parametrize("text", PATHOLOGICAL, ids=range(len(PATHOLOGICAL)))
def test_pathological_input_never_raises(text: str) -> None:
    """Odd input gives claims or none, never an error. How the time grows with the input
    is measured by benchmarks/bench_pathological.py (no timed assertions in tests)."""
    numbers = (7, 8, 10, 11, 15, 23)
    for t in (text, text * 4):
        report = report_of(dict.fromkeys(numbers, t))[0]
        assert isinstance(extract_claims(report), list)


def test_never_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(ctx: object) -> list[Claim]:
        raise RuntimeError("boom")

    monkeypatch.setitem(extract_module.READERS, "tests", (broken,))
    report, _ = report_of({7: "We have 5 tests.", 4: "We used uv."})
    claims = extract_claims(report)
    assert [c.kind for c in claims] == ["dependency-manager"]


def test_odd_answers() -> None:
    for text in ["", "\n\n", "```", "|a|b|", "> quoted", "\x00\ufffd", "# heading", "- [x] item"]:
        answer = Answer(7, 1, 2, 2, text, "", False)
        report = Report("r.md", "2026", None, [], [answer])
        assert isinstance(extract_claims(report), list)


def test_claim_is_frozen_and_serialisable() -> None:
    (claim,) = claims_of({7: "We wrote between 20 and 30 tests."}, "test-count")
    with pytest.raises(dataclasses.FrozenInstanceError):
        claim.line = 3  # type: ignore[misc]
    assert claim.to_dict()["value"] == [20, 30]


# --- regressions from real reports


@pytest.mark.parametrize(
    ("number", "text", "kind"),
    [
        (10, "The dataset is static, so we did not benefit much from using DVC.", "dvc-used"),
        (10, "In our project DVC is not essential given the data never changes.", "dvc-used"),
        (10, "For our project we tried to implement DVC with a GCS bucket.", "dvc-used"),
        (25, "We looked into using Locust to load test our API.", "load-test-tool"),
        (
            3,
            "Although part of the PyTorch ecosystem, it is not part of the PyTorch core.",
            "framework",
        ),
        (8, "We are far from 100% coverage of our code.", "coverage-percent"),
        (8, "However, with 100% coverage the code could still fail.", "coverage-percent"),
        (8, "A 100% code coverage doesn't mean the code is bug free.", "coverage-percent"),
        (8, "The remaining 35% of the lines are untested.", "coverage-percent"),
        (
            11,
            "See https://github.com/org/MLOps_group_66/actions/workflows/tests.yaml",
            "workflow-count",
        ),
        (23, "The HTML page is stored in the /static folder of the server.", "api-endpoint"),
        (23, "Open https://app-123.a.run.app/docs#/default/predict_predict_post", "image"),
    ],
)
def test_real_report_sentences_that_claim_nothing(number: int, text: str, kind: str) -> None:
    assert claims_of({number: text}, kind) == []


def test_negation_of_something_else_is_not_a_denial() -> None:
    text = "We implemented a total of 13 unit and integration tests, not including the Locust test."
    (claim,) = claims_of({7: text}, "test-count")
    assert (claim.value, claim.qualifier, claim.negated) == (13, "exactly", False)


def test_comparison_with_another_tool_denies_it() -> None:
    text = "Using uv proved to be much more efficient than using the traditional pip."
    assert values({4: text}, "dependency-manager") == [("uv", False), ("pip", True)]


def test_sub_counts_are_parts_of_the_total() -> None:
    text = (
        "In total, we wrote 17 tests.\nThey include data tests (4 tests) and model tests (7 tests)."
    )
    claims = claims_of({7: text}, "test-count")
    assert [(c.value, c.tags) for c in claims] == [(17, ()), (4, ("part",)), (7, ("part",))]


def test_figures_listed_with_respectively_are_parts() -> None:
    text = "The total coverage is 71%, while evaluation and data scripts reached 74% and 70% each."
    claims = claims_of({8: text}, "coverage-percent")
    assert [(c.value, c.tags) for c in claims] == [(71.0, ()), (74.0, ("part",)), (70.0, ("part",))]
    listed = claims_of({8: "Coverage for the three modules is 40%, 60% and 100%, respectively."})
    assert [c.value for c in listed] == [40.0, 60.0, 100.0]
    assert all("part" in c.tags for c in listed)


def test_unfenced_coverage_table_total_row() -> None:
    text = (
        "Name                 Stmts   Miss  Cover\n"
        "src/models/model.py     70      2    97%\n"
        "TOTAL                  213     48    77%\n\n"
        "The code coverage is 45% for predict_model.py."
    )
    claims = claims_of({8: text}, "coverage-percent")
    assert [(c.value, "part" in c.tags) for c in claims] == [(77.0, False), (45.0, True)]


def test_framework_named_in_a_link_text() -> None:
    text = "We made use of the [Transformers](https://github.com/huggingface/transformers) library."
    assert values({3: text}, "framework") == [("transformers", False)]
    text = "We used [torchaudio](https://pytorch.org/audio/stable/index.html) for audio."
    assert values({3: text}, "framework") == [("torchaudio", False)]


def test_inline_answer_keeps_its_line() -> None:
    text = "### Question 7\n\n> **How many tests did you write?**\n>\n> Answer: We wrote 9 tests.\n"
    (claim,) = [c for c in extract_claims(parse_report(text)) if c.kind == "test-count"]
    assert (claim.value, claim.line) == (9, 5)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(list("ab /%.,;:-()[]`'\"\n#*>|~+0123456789") + WORDS), max_size=60
    ).map("".join)
)
def test_never_raises_on_odd_text(text: str) -> None:
    for number in (3, 4, 6, 7, 8, 10, 11, 15, 23, 25):
        answer = Answer(number, 1, 2, 2 + text.count("\n"), text, "", False)
        claims = answer_claims(answer, "2026", load_vocabulary())  # raises if a reader does
        assert all(2 <= c.line <= 2 + text.count("\n") for c in claims)


def test_uv_pip_is_uv() -> None:
    text = "We used uv; a new member runs `uv pip install -e .` after cloning."
    assert values({4: text}, "dependency-manager") == [("uv", False)]
    text = "The workflow runs without problems with pip caching enabled."
    assert values({11: text}, "ci-caching") == [(True, False)]


def test_contracted_could_have_is_a_hedge() -> None:
    text = "We could\u2019ve used Prometheus to expose a /metrics endpoint. We built /predict."
    found = claims_of({23: text}, "api-endpoint")
    assert [c.value for c in found] == ["/predict"]


def test_limited_use_and_side_remarks_are_not_denials() -> None:
    typing_ok = claims_of({6: "We used typing, but not extensively, and ruff for linting."})
    assert [(c.kind, c.value, c.negated) for c in typing_ok] == [("linter", "ruff", False)]
    assert claims_of({11: "It would be straightforward to add caching to the workflow."}) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # partial denials: no claim either way
        ("In the end we did not really use the versioning part of DVC.", []),
        ("Our dataset was static, so we did not use DVC for active versioning.", []),
        ("DVC was not used extensively for updating the data.", []),
        ("At first we did not use DVC at all.", []),
        ("We initially did not use DVC in the project.", []),
        ("We did not use the remote storage functionality of DVC.", []),
        ("We did not have much experience with DVC before this course.", []),
        # statements about the tool, not the group's use of it
        ("DVC also helps to share datasets and integrate with cloud storage.", []),
        ("Furthermore, DVC enables teams to synchronise data with a remote.", []),
        # a negation that belongs to another clause with its own subject
        ("Git LFS did not work for us on Windows, and we all switched to DVC.", [(True, False)]),
        # one denial per sentence, even when the tool is praised after it
        ("We did not use DVC, since DVC makes sense mostly for changing data.", [(True, True)]),
        # plain denials and uses stay
        ("We decided not to use DVC.", [(True, True)]),
        ("We did not make use of DVC in our project.", [(True, True)]),
        ("Our data is versioned with DVC in a GCS bucket.", [(True, False)]),
    ],
)
def test_dvc_use_partial_denials_and_statements_about_the_tool(
    text: str, expected: list[tuple[object, bool]]
) -> None:
    assert values({10: text}, "dvc-used") == expected


def test_the_question_repeated_in_the_answer_claims_nothing() -> None:
    text = "**Did you use DVC for managing data in your project?** We did not use DVC."
    assert values({10: text}, "dvc-used") == [(True, True)]
    assert values({10: "Did you use DVC for managing data in your project?"}, "dvc-used") == []


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("ci-os", "The setup is simple, so it is easy to extend to Windows later.", []),
        ("ci-os", "The workflow can easily be expanded to run on windows-latest.", []),
        (
            "ci-python",
            "We do not test several Python versions as we only need Python 3.12 anyway.",
            [("3.12", False)],
        ),
        ("ci-os", "We did not test on Windows.", [("windows", True)]),
    ],
)
def test_ci_extensions_and_clauses_with_their_own_subject(
    kind: str, text: str, expected: list[tuple[object, bool]]
) -> None:
    assert values({11: text}, kind) == expected


def test_an_os_is_a_ci_claim_only_in_a_sentence_about_running() -> None:
    assert values({11: "We all develop on Windows laptops, so paths were a pain."}, "ci-os") == []
    assert values({11: "Our tests run on Windows and Ubuntu."}, "ci-os") == [
        ("windows", False),
        ("linux", False),
    ]
