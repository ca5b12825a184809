from __future__ import annotations

from pathlib import Path

from probe_helpers import observe

from verifier.findings import Outcome

DRIFT = """\
from evidently import Report
from evidently.presets import DataDriftPreset


def drift_report(reference, current):
    report = Report(metrics=[DataDriftPreset()])
    return report.run(reference_data=reference, current_data=current)
"""

DRIFT_API = """\
from fastapi import FastAPI

from pkg.drift import drift_report

app = FastAPI()


@app.get("/health")
def health():
    return {"ok": True}


@app.get("/drift")
def drift():
    return drift_report(None, None)
"""


def test_evidently_report_is_drift_analysis(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M27.drift-robustness", {"src/pkg/drift.py": DRIFT})
    assert obs.outcome is Outcome.FOUND
    ev = obs.evidence[0]
    assert (ev.path, ev.line) == ("src/pkg/drift.py", 6)
    assert ev.text == "report = Report(metrics=[DataDriftPreset()])"


def test_drift_library_only_declared_or_in_tests(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "evidently==0.4\n",
        "tests/test_drift.py": "from evidently import Report\n\nReport(metrics=[])\n",
    }
    obs = observe(tmp_path, "M27.drift-robustness", files)
    assert obs.outcome is Outcome.PARTIAL
    obs = observe(tmp_path / "b", "M27.drift-robustness", {"src/pkg/train.py": "x = 1\n"})
    assert obs.outcome is Outcome.MISSING


def test_drift_api_with_container_is_found(tmp_path: Path) -> None:
    files = {
        "src/pkg/drift.py": DRIFT,
        "src/pkg/drift_api.py": DRIFT_API,
        "dockerfiles/drift.dockerfile": (
            'FROM python:3.12-slim\nCMD ["uvicorn", "pkg.drift_api:app", "--port", "8080"]\n'
        ),
    }
    obs = observe(tmp_path, "M27.drift-api", files)
    assert obs.outcome is Outcome.FOUND
    route = obs.evidence[0]
    assert (route.path, route.line) == ("src/pkg/drift_api.py", 13)  # /drift, not /health
    assert obs.evidence[1].path == "dockerfiles/drift.dockerfile"


def test_drift_api_without_deployment_and_drift_without_api(tmp_path: Path) -> None:
    files = {
        "src/pkg/drift.py": DRIFT,
        "src/pkg/drift_api.py": DRIFT_API,
        "run_local.sh": "uvicorn pkg.drift_api:app --reload\n",  # a local run, not a deployment
    }
    obs = observe(tmp_path, "M27.drift-api", files)
    assert obs.outcome is Outcome.PARTIAL
    assert "no container" in obs.summary
    obs = observe(tmp_path / "b", "M27.drift-api", {"src/pkg/drift.py": DRIFT})
    assert obs.outcome is Outcome.PARTIAL
    assert "no API route" in obs.summary
    plain_api = (
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        "@app.get('/drift')\ndef d():\n    return 1\n"
    )
    obs = observe(tmp_path / "c", "M27.drift-api", {"src/pkg/api.py": plain_api})
    assert obs.outcome is Outcome.MISSING


COLLECTING_API = """\
from fastapi import BackgroundTasks, FastAPI

from pkg.storage import save_prediction

app = FastAPI()


@app.post("/predict")
def predict(x: list[float], background_tasks: BackgroundTasks):
    y = sum(x)
    background_tasks.add_task(save_prediction, x, y)
    return {"y": y}
"""

STORAGE = """\
import json


def save_prediction(x, y):
    with open("predictions.jsonl", "a") as f:
        f.write(json.dumps({"input": x, "output": y}) + "\\n")
"""


def test_background_task_in_another_module_collects_data(tmp_path: Path) -> None:
    files = {"src/pkg/api.py": COLLECTING_API, "src/pkg/storage.py": STORAGE}
    obs = observe(tmp_path, "M27.input-output-collection", files)
    assert obs.outcome is Outcome.FOUND
    route, sink = obs.evidence
    assert (route.path, route.line) == ("src/pkg/api.py", 8)
    assert (sink.path, sink.line) == ("src/pkg/storage.py", 6)


def test_saving_the_upload_to_a_temp_file_is_not_collection(tmp_path: Path) -> None:
    api = (
        "from fastapi import FastAPI, UploadFile\n\napp = FastAPI()\n\n\n"
        "@app.post('/predict')\nasync def predict(file: UploadFile):\n"
        "    with open('/tmp/x.png', 'wb') as f:\n        f.write(await file.read())\n"
        "    return {'y': 1}\n"
    )
    obs = observe(tmp_path, "M27.input-output-collection", {"src/pkg/api.py": api})
    assert obs.outcome is Outcome.MISSING
    assert obs.evidence[0].line == 6
    obs = observe(tmp_path / "b", "M27.input-output-collection", {"src/pkg/x.py": "y = 1\n"})
    assert obs.outcome is Outcome.MISSING


PROM_API = """\
from fastapi import FastAPI
from prometheus_client import Counter, make_asgi_app

app = FastAPI()
app.mount("/metrics", make_asgi_app())
REQUESTS = Counter("requests", "Number of requests")
"""


def test_prometheus_metrics_exposed_are_found(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M28.system-metrics", {"src/pkg/api.py": PROM_API})
    assert obs.outcome is Outcome.FOUND
    assert (obs.evidence[0].line, obs.evidence[0].text) == (
        6,
        'REQUESTS = Counter("requests", "Number of requests")',
    )
    instrumentator = (
        "from fastapi import FastAPI\n"
        "from prometheus_fastapi_instrumentator import Instrumentator\n\n"
        "app = FastAPI()\nInstrumentator().instrument(app).expose(app)\n"
    )
    obs = observe(tmp_path / "b", "M28.system-metrics", {"api.py": instrumentator})
    assert obs.outcome is Outcome.FOUND


def test_metrics_never_exposed_or_a_collections_counter(tmp_path: Path) -> None:
    defined = "from prometheus_client import Histogram\n\nLATENCY = Histogram('latency', 'l')\n"
    obs = observe(tmp_path, "M28.system-metrics", {"src/pkg/metrics.py": defined})
    assert obs.outcome is Outcome.PARTIAL
    trap = "from collections import Counter\n\nmetrics = Counter(['a', 'b'])\n"
    obs = observe(tmp_path / "b", "M28.system-metrics", {"src/pkg/metrics.py": trap})
    assert obs.outcome is Outcome.MISSING


def test_cloud_monitoring_and_alerts_are_manual_without_config(tmp_path: Path) -> None:
    files = {"src/pkg/api.py": PROM_API}
    obs = observe(tmp_path, "M28.cloud-monitoring", files)
    assert obs.outcome is Outcome.NOT_VERIFIABLE
    assert obs.evidence and obs.evidence[0].path == "src/pkg/api.py"
    obs = observe(tmp_path / "b", "M28.alerts", files)
    assert obs.outcome is Outcome.NOT_VERIFIABLE


def test_alert_policy_and_collector_config_are_found(tmp_path: Path) -> None:
    policy = (
        '{\n  "displayName": "High latency",\n  "combiner": "OR",\n  "conditions": [\n'
        '    {"displayName": "p95", "conditionThreshold": {"thresholdValue": 1}}\n  ]\n}\n'
    )
    obs = observe(tmp_path, "M28.alerts", {"monitoring/alert.json": policy})
    assert obs.outcome is Outcome.FOUND
    assert (obs.evidence[0].path, obs.evidence[0].line) == ("monitoring/alert.json", 4)
    collector = (
        "receivers:\n  prometheus:\n    config: {}\nexporters:\n  googlemanagedprometheus:\n"
        "service:\n  pipelines:\n    metrics:\n      receivers: [prometheus]\n"
    )
    obs = observe(tmp_path / "b", "M28.cloud-monitoring", {"collector.yaml": collector})
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].line == 4


def test_alert_like_json_without_conditions_list_is_not_a_policy(tmp_path: Path) -> None:
    trap = '{"conditions": "none", "combiner": "OR"}\n'
    obs = observe(tmp_path, "M28.alerts", {"alert.json": trap})
    assert obs.outcome is Outcome.NOT_VERIFIABLE


def test_telemetry_and_performance_monitoring(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M28.system-telemetry", {"src/pkg/api.py": PROM_API})
    assert obs.outcome is Outcome.FOUND
    obs = observe(tmp_path / "b", "M28.system-telemetry", {"src/pkg/x.py": "y = 1\n"})
    assert obs.outcome is Outcome.NOT_VERIFIABLE
    files = {"src/pkg/drift.py": DRIFT, "src/pkg/drift_api.py": DRIFT_API}
    obs = observe(tmp_path / "c", "M28.performance-monitoring", files)
    assert obs.outcome is Outcome.FOUND
    obs = observe(tmp_path / "d", "M28.performance-monitoring", {"src/pkg/drift.py": DRIFT})
    assert obs.outcome is Outcome.PARTIAL


def test_instrumentator_without_expose_is_partial(tmp_path: Path) -> None:
    code = (
        "from fastapi import FastAPI\n"
        "from prometheus_fastapi_instrumentator import Instrumentator\n\n"
        "app = FastAPI()\nInstrumentator().instrument(app)\n# .expose(app)\n"
    )
    obs = observe(tmp_path, "M28.system-metrics", {"api.py": code})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.evidence[0].line == 5


def test_cloud_run_service_with_prometheus_sidecar(tmp_path: Path) -> None:
    service = (
        "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: api\n"
        "spec:\n  template:\n    spec:\n      containers:\n        - name: api\n"
        "          image: europe-docker.pkg.dev/p/r/api\n        - name: collector\n"
        "          image: us-docker.pkg.dev/cloud-ops-agents-artifacts/cloud-run-gmp-sidecar/"
        "cloud-run-gmp-sidecar:1.0.0\n"
    )
    obs = observe(tmp_path, "M28.cloud-monitoring", {"service.yaml": service})
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].line == 12
    plain = service.split("        - name: collector")[0]
    obs = observe(tmp_path / "b", "M28.cloud-monitoring", {"service.yaml": plain})
    assert obs.outcome is Outcome.NOT_VERIFIABLE


def test_hand_made_drift_script_is_partial(tmp_path: Path) -> None:
    code = "import numpy as np\n\n\ndef shift(x):\n    return np.clip(x + 0.5, 0, 1)\n"
    obs = observe(tmp_path, "M27.drift-robustness", {"src/pkg/robustness_check.py": code})
    assert obs.outcome is Outcome.PARTIAL
    assert (obs.evidence[0].path, obs.evidence[0].line) == ("src/pkg/robustness_check.py", 4)
