"""Claim checks on serving: Dockerfiles named in the answers, image roles, and API endpoints
against the routes read from the code (FastAPI, prefixes, built-in pages, Prometheus,
BentoML, Cloud Functions)."""

from __future__ import annotations

from pathlib import Path

from conftest import make_repo

from probes.claims_serving import loose_match, route_matches
from verifier.engine.claims_run import ClaimFinding, run_claim_checks
from verifier.engine.inputs import load_report
from verifier.repo.snapshot import open_snapshot


def report_text(answers: dict[int, str]) -> str:
    parts = ["# Exam template for 02476 Machine Learning Operations", ""]
    for number in sorted(answers):
        parts += [f"### Question {number}", "", "> **Question?**", ">", "> Answer:", ""]
        parts += [answers[number], ""]
    return "\n".join(parts)


def audit(
    tmp_path: Path, files: dict[str, str], answers: dict[int, str], kind: str
) -> list[ClaimFinding]:
    repo = make_repo(tmp_path, {**files, "reports/README.md": report_text(answers)})
    snap = open_snapshot(repo.working_tree_dir)
    rep = load_report(snap, None)
    return [f for f in run_claim_checks(rep, snap, budget_s=10) if f.claim.kind == kind]


def by_value(findings: list[ClaimFinding]) -> dict[str, str]:
    return {str(f.claim.value): f.verdict for f in findings}


API = """\
from fastapi import APIRouter, FastAPI
from prometheus_fastapi_instrumentator import Instrumentator

app = FastAPI()
router = APIRouter()
Instrumentator().instrument(app).expose(app)


@app.get("/health")
def health():
    return {"ok": True}


@app.post("/predict/{model_name}")
def predict(model_name: str):
    return model.predict(model_name)


@router.get("/items/{item_id}")
def item(item_id: int):
    return item_id


app.include_router(router, prefix="/api/v1")
"""

TRAIN_DF = 'FROM python:3.11-slim\nCOPY src src\nENTRYPOINT ["python", "-u", "src/train.py"]\n'
API_DF = 'FROM python:3.11-slim\nCMD ["uvicorn", "src.api:app", "--port", "8000"]\n'
UI_DF = "FROM python:3.11-slim\nCMD streamlit run src/ui.py --server.port 8080\n"


# --------------------------------------------------------------------------- routes


def test_route_matching_rules() -> None:
    assert route_matches("/items/{item_id}", "/items/7")
    assert route_matches("/items/{item_id}", "/items/{id}")
    assert route_matches("/translate/{text}", "/translate/Hello%20world")
    assert route_matches("/files/{p:path}", "/files/a/b/c")
    assert not route_matches("/items/{item_id}", "/items")
    assert not route_matches("/items", "/items/{id}")
    assert not route_matches("/", "/metrics")
    assert loose_match("/api/v1/predict", "/predict")
    assert loose_match("/predict/{model_name}", "/predict")
    assert not loose_match("/predict", "/predict")
    assert not loose_match("/predictions", "/predict")


def test_endpoints_found_and_missing(tmp_path: Path) -> None:
    findings = audit(
        tmp_path,
        {"src/api.py": API},
        {
            23: "We built endpoints `/health`, `/api/v1/items/{item_id}` and `/predict/{model}`. "
            "The Swagger UI is at `/docs` and Prometheus metrics at `/metrics`. "
            "We also have a `/feedback` endpoint."
        },
        "api-endpoint",
    )
    assert by_value(findings) == {
        "/health": "consistent",
        "/api/v1/items/{item_id}": "consistent",
        "/predict/{model}": "consistent",
        "/docs": "consistent",
        "/metrics": "consistent",
        "/feedback": "inconsistent",
    }
    missing = next(f for f in findings if f.claim.value == "/feedback")
    assert missing.result is not None
    assert "/health" in missing.result.observed
    health = next(f for f in findings if f.claim.value == "/health")
    assert health.result is not None
    ev = health.result.evidence[0]
    assert (ev.path, ev.line, ev.text) == ("src/api.py", 9, '@app.get("/health")')


def test_loose_reference_to_a_parametrised_route(tmp_path: Path) -> None:
    findings = audit(
        tmp_path,
        {"src/api.py": API},
        {23: "The `/predict` endpoint returns the class."},
        "api-endpoint",
    )
    assert by_value(findings) == {"/predict": "consistent"}
    assert findings[0].result is not None
    assert "/predict/{model_name}" in findings[0].result.observed


def test_docs_disabled_is_not_served(tmp_path: Path) -> None:
    code = (
        "from fastapi import FastAPI\napp = FastAPI(docs_url=None)\n\n"
        '@app.get("/")\ndef r():\n    return 1\n'
    )
    findings = audit(
        tmp_path, {"src/api.py": code}, {24: "Open `/docs` in the browser."}, "api-endpoint"
    )
    assert by_value(findings) == {"/docs": "inconsistent"}


def test_metrics_without_instrumentation_is_inconsistent(tmp_path: Path) -> None:
    code = (
        "from fastapi import FastAPI\napp = FastAPI()\n"
        "# Instrumentator().instrument(app).expose(app)\n\n"
        '@app.get("/")\ndef r():\n    return 1\n'
    )
    findings = audit(
        tmp_path,
        {"src/api.py": code},
        {26: "Metrics are exposed at `/metrics` for Prometheus."},
        "api-endpoint",
    )
    assert by_value(findings) == {"/metrics": "inconsistent"}


def test_mounted_metrics_app(tmp_path: Path) -> None:
    code = (
        "from fastapi import FastAPI\nfrom prometheus_client import make_asgi_app\n"
        'app = FastAPI()\napp.mount("/metrics", make_asgi_app())\n'
    )
    findings = audit(
        tmp_path, {"src/api.py": code}, {26: "Prometheus scrapes `/metrics`."}, "api-endpoint"
    )
    assert by_value(findings) == {"/metrics": "consistent"}


def test_no_fastapi_is_unverifiable(tmp_path: Path) -> None:
    findings = audit(
        tmp_path, {"src/train.py": "print(1)\n"}, {23: "We call `/predict`."}, "api-endpoint"
    )
    assert by_value(findings) == {"/predict": "unverifiable"}


def test_bentoml_api(tmp_path: Path) -> None:
    code = (
        "import bentoml\n\n@bentoml.service\nclass Svc:\n"
        "    @bentoml.api\n    def classify(self, text: str) -> str:\n        return text\n"
    )
    findings = audit(
        tmp_path,
        {"src/service.py": code},
        {23: "BentoML serves `/classify`, and `/health` too."},
        "api-endpoint",
    )
    assert by_value(findings) == {"/classify": "consistent", "/health": "unverifiable"}


def test_counterfactual_sentence_is_never_inconsistent(tmp_path: Path) -> None:
    findings = audit(
        tmp_path,
        {"src/api.py": API.replace("Instrumentator().instrument(app).expose(app)", "")},
        {26: "We could’ve used Prometheus to expose metrics via a /metrics endpoint."},
        "api-endpoint",
    )
    # The extractor reads no claim from it; were one read, the checker would not accuse.
    assert by_value(findings) in ({}, {"/metrics": "unverifiable"})


# --------------------------------------------------------------------------- Dockerfiles


def test_dockerfile_paths(tmp_path: Path) -> None:
    findings = audit(
        tmp_path,
        {
            "dockerfiles/train.dockerfile": TRAIN_DF,
            "dockerfiles/Dockerfile.api": API_DF,
        },
        {
            15: "We build `dockerfiles/train.dockerfile` in CI, "
            "and `api.dockerfile` and [this one](../dockerfiles/train.dockerfile) "
            "and `dockerfiles/evaluate.dockerfile`.",
            21: "Cloud Build builds `train.dockerfile` on every push.",
        },
        "dockerfile",
    )
    verdicts = by_value(findings)
    assert verdicts["dockerfiles/train.dockerfile"] == "consistent"
    assert verdicts["train.dockerfile"] == "consistent"
    assert verdicts["../dockerfiles/train.dockerfile"] == "consistent"
    # the same name words in another form: the file the answer means
    assert verdicts["api.dockerfile"] == "consistent"
    assert verdicts["dockerfiles/evaluate.dockerfile"] == "inconsistent"
    api = next(f for f in findings if f.claim.value == "api.dockerfile")
    assert api.result is not None
    assert "closest name: dockerfiles/Dockerfile.api" in api.result.observed
    train = next(f for f in findings if f.claim.value == "dockerfiles/train.dockerfile")
    assert train.result is not None
    ev = train.result.evidence[0]
    assert (ev.path, ev.line, ev.text) == (
        "dockerfiles/train.dockerfile",
        1,
        "FROM python:3.11-slim",
    )


def test_docker_roles(tmp_path: Path) -> None:
    findings = audit(
        tmp_path,
        {
            "dockerfiles/train.dockerfile": TRAIN_DF,
            "Dockerfile": API_DF,
            "dockerfiles/app.dockerfile": UI_DF,
        },
        {15: "We made one docker image for training, one for the API and one for the frontend."},
        "docker-role",
    )
    assert by_value(findings) == {
        "train": "consistent",
        "api": "consistent",
        "frontend": "consistent",
    }
    api = next(f for f in findings if f.claim.value == "api")
    assert api.result is not None
    assert api.result.evidence[0].path == "Dockerfile"  # told by uvicorn, not the name


def test_docker_role_missing_and_unknown(tmp_path: Path) -> None:
    only_train = audit(
        tmp_path / "a",
        {"dockerfiles/train.dockerfile": TRAIN_DF},
        {15: "We made one docker image for training and one for the frontend."},
        "docker-role",
    )
    assert by_value(only_train) == {"train": "consistent", "frontend": "inconsistent"}
    unknown = audit(
        tmp_path / "b",
        {"Dockerfile": 'FROM python:3.11\nCMD ["python", "main.py"]\n'},
        {15: "We made a docker image for the frontend."},
        "docker-role",
    )
    assert by_value(unknown) == {"frontend": "unverifiable"}
    none = audit(
        tmp_path / "c",
        {"src/a.py": "x = 1\n"},
        {15: "We made a docker image for training."},
        "docker-role",
    )
    assert by_value(none) == {"train": "inconsistent"}


def test_project_folder_evidence_is_in_repository_paths(tmp_path: Path) -> None:
    answers = {23: "We serve `/health` from our API."}
    repo = make_repo(
        tmp_path, {"proj/src/api.py": API, "proj/reports/README.md": report_text(answers)}
    )
    snap = open_snapshot(repo.working_tree_dir)
    rep = load_report(snap, None)
    view = snap.subtree("proj")
    (finding,) = [
        f for f in run_claim_checks(rep, view, budget_s=10) if f.claim.kind == "api-endpoint"
    ]
    assert finding.verdict == "consistent"
    assert finding.result is not None
    assert finding.result.evidence[0].path == "proj/src/api.py"


def test_github_url_to_an_unknown_repository(tmp_path: Path) -> None:
    findings = audit(
        tmp_path,
        {"dockerfiles/train.dockerfile": TRAIN_DF},
        {
            15: "Image: https://github.com/org/proj/blob/main/dockerfiles/train.dockerfile "
            "and https://github.com/org/proj/blob/main/dockerfiles/api.dockerfile"
        },
        "dockerfile",
    )
    assert by_value(findings) == {
        "dockerfiles/train.dockerfile": "consistent",
        "dockerfiles/api.dockerfile": "inconsistent",
    }


def test_unticked_box_is_noted_on_a_consistent_endpoint(tmp_path: Path) -> None:
    text = (
        "# Exam template for 02476 Machine Learning Operations\n\n## Week 2\n\n"
        "* [ ] Create a FastAPI application that can do inference using your model (M22)\n\n"
        + report_text({23: "We serve `/health`."}).split("\n", 2)[2]
    )
    repo = make_repo(tmp_path, {"src/api.py": API, "reports/README.md": text})
    snap = open_snapshot(repo.working_tree_dir)
    rep = load_report(snap, None)
    (finding,) = [
        f for f in run_claim_checks(rep, snap, budget_s=10) if f.claim.kind == "api-endpoint"
    ]
    assert finding.verdict == "consistent"
    assert finding.result is not None
    assert "FastAPI box (line 5) is not ticked" in finding.result.observed


def test_a_denied_image_role_that_exists_is_not_held_against_the_group(tmp_path: Path) -> None:
    findings = audit(
        tmp_path,
        {"dockerfiles/train.dockerfile": TRAIN_DF},
        {15: "We did not build a separate docker image for training on a GPU."},
        "docker-role",
    )
    assert by_value(findings) == {"train": "unverifiable"}
    assert findings[0].result is not None
    assert "may be about something else" in findings[0].result.why


def test_a_fastapi_app_whose_routes_are_not_read_is_unverifiable(tmp_path: Path) -> None:
    code = (
        "from fastapi import FastAPI\nfrom routes import register\n\n"
        "app = FastAPI()\nregister(app)\n"
    )
    findings = audit(
        tmp_path,
        {"src/api.py": code},
        {23: "The `/predict` endpoint returns the class."},
        "api-endpoint",
    )
    assert by_value(findings) == {"/predict": "unverifiable"}


def test_a_registry_path_is_not_a_route(tmp_path: Path) -> None:
    findings = audit(
        tmp_path,
        {"src/api.py": API},
        {
            23: "`docker build -t europe-west1-docker.pkg.dev/[PROJECT]/images/api-server .` "
            "and the image serves `/health`."
        },
        "api-endpoint",
    )
    verdicts = by_value(findings)
    assert verdicts["/health"] == "consistent"
    assert verdicts["/images/api-server"] == "unverifiable"


def test_dockerfile_names_spelled_nearly_or_left_plain(tmp_path: Path) -> None:
    findings = audit(
        tmp_path,
        {"dockerfiles/train.dockerfile": TRAIN_DF, "dockerfiles/api.dockerfile": API_DF},
        {15: "The `trian.dockerfile` image trains. We build the `Dockerfile` in CI."},
        "dockerfile",
    )
    assert by_value(findings) == {"trian.dockerfile": "unverifiable", "Dockerfile": "unverifiable"}


def test_the_root_route_is_not_hidden_by_a_registry_path(tmp_path: Path) -> None:
    findings = audit(
        tmp_path,
        {"src/api.py": API},
        {23: "`docker push europe-west1-docker.pkg.dev/p/images/api` and then call `/`."},
        "api-endpoint",
    )
    assert by_value(findings) == {"/": "inconsistent"}  # API declares no "/" route
