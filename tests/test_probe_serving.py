from __future__ import annotations

import json
from pathlib import Path

from conftest import commit_files, create_branch, make_repo
from probe_helpers import observe

from verifier.engine.registry import probe_for
from verifier.findings import Origin, Outcome
from verifier.repo.snapshot import open_snapshot

EXPORT = """\
import torch


def export(model, example):
    torch.onnx.export(model, example, "model.onnx")
"""

ONNX_API = """\
import onnxruntime as ort
from fastapi import FastAPI

app = FastAPI()
session = ort.InferenceSession("model.onnx")


@app.post("/predict")
def predict(x: list[float]):
    return session.run(None, {"input": [x]})
"""


def test_onnx_model_served_by_an_api_is_found(tmp_path: Path) -> None:
    obs = observe(
        tmp_path, "M25.onnx-bentoml", {"src/pkg/export.py": EXPORT, "src/pkg/api.py": ONNX_API}
    )
    assert obs.outcome is Outcome.FOUND
    first = obs.evidence[0]
    assert (first.path, first.line) == ("src/pkg/api.py", 5)
    assert first.text == 'session = ort.InferenceSession("model.onnx")'


def test_bentoml_service_is_found(tmp_path: Path) -> None:
    service = (
        "import bentoml\n\n\n@bentoml.service(resources={'cpu': '1'})\nclass Classifier:\n"
        "    @bentoml.api\n    def predict(self, x: list[float]) -> int:\n        return 0\n"
    )
    obs = observe(tmp_path, "M25.onnx-bentoml", {"service.py": service})
    assert obs.outcome is Outcome.FOUND
    assert {e.line for e in obs.evidence} >= {5, 7}


def test_onnx_export_alone_is_partial(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M25.onnx-bentoml", {"src/pkg/export.py": EXPORT})
    assert obs.outcome is Outcome.PARTIAL
    assert "never loaded" in obs.summary
    assert obs.evidence[0].line == 5


def test_onnx_only_in_tests_or_comments_is_missing(tmp_path: Path) -> None:
    files = {
        "tests/test_onnx.py": "import onnxruntime as ort\n\ns = ort.InferenceSession('m.onnx')\n",
        "src/pkg/api.py": "# session = ort.InferenceSession('m.onnx')\nprint('no onnx')\n",
    }
    obs = observe(tmp_path, "M25.onnx-bentoml", files)
    assert obs.outcome is Outcome.MISSING


def test_torchserve_archive_and_handler(tmp_path: Path) -> None:
    handler = (
        "from ts.torch_handler.image_classifier import ImageClassifier\n\n\n"
        "class Handler(ImageClassifier):\n    pass\n"
    )
    script = (
        "torch-model-archiver --model-name m --version 1.0 --serialized-file m.pt \\\n"
        "  --handler handler.py --export-path model_store\n"
        "torchserve --start --model-store model_store --models m=m.mar\n"
    )
    obs = observe(tmp_path, "M25.torchserve", {"serve/handler.py": handler, "serve.sh": script})
    assert obs.outcome is Outcome.FOUND
    assert (obs.evidence[0].path, obs.evidence[0].line) == ("serve.sh", 1)
    obs = observe(tmp_path / "b", "M25.torchserve", {"serve/handler.py": handler})
    assert obs.outcome is Outcome.PARTIAL
    obs = observe(tmp_path / "c", "M25.torchserve", {"README.md": "torchserve --start\n"})
    assert obs.outcome is Outcome.MISSING


STREAMLIT_CLIENT = """\
import requests
import streamlit as st

st.title("Classifier")
upload = st.file_uploader("image")
if upload:
    response = requests.post("http://localhost:8000/predict", files={"file": upload})
    st.write(response.json())
"""


def test_streamlit_frontend_calling_the_api_is_found(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M26.frontend", {"frontend/app.py": STREAMLIT_CLIENT})
    assert obs.outcome is Outcome.FOUND
    app, client = obs.evidence
    assert (app.path, app.line, app.text) == ("frontend/app.py", 4, 'st.title("Classifier")')
    assert client.line == 7


def test_streamlit_running_the_model_itself_is_partial(tmp_path: Path) -> None:
    app = "import streamlit as st\nimport torch\n\nmodel = torch.load('m.pt')\nst.write('hi')\n"
    obs = observe(tmp_path, "M26.frontend", {"app.py": app})
    assert obs.outcome is Outcome.PARTIAL
    assert "does not call an API" in obs.summary


def test_react_frontend_with_fetch(tmp_path: Path) -> None:
    package = json.dumps({"name": "ui", "dependencies": {"react": "^18.0.0"}}, indent=2)
    files = {
        "web/package.json": package,
        "web/src/App.jsx": "export default function App() {\n  fetch('/api/predict');\n}\n",
    }
    obs = observe(tmp_path, "M26.frontend", files)
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[1].path == "web/src/App.jsx" and obs.evidence[1].line == 2


def test_inline_html_page_served_by_the_api(tmp_path: Path) -> None:
    api = (
        "from fastapi import FastAPI\nfrom fastapi.responses import HTMLResponse\n\n"
        "app = FastAPI()\n\nPAGE = '''<html>\n<body>\n<script>\n"
        "fetch('/predict', {method: 'POST'});\n</script>\n</body>\n</html>'''\n\n\n"
        "@app.get('/', response_class=HTMLResponse)\ndef index():\n    return PAGE\n"
    )
    obs = observe(tmp_path, "M26.frontend", {"src/pkg/api.py": api})
    assert obs.outcome is Outcome.FOUND
    assert [e.line for e in obs.evidence] == [6, 9]


def test_streamlit_only_declared_or_imported_is_not_an_app(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "streamlit==1.30\n",
        "src/pkg/ui.py": "import streamlit  # noqa: F401\n",
    }
    obs = observe(tmp_path, "M26.frontend", files)
    assert obs.outcome is Outcome.PARTIAL
    assert obs.evidence[0].path == "requirements.txt"
    obs = observe(tmp_path / "b", "M26.frontend", {"src/pkg/model.py": "x = 1\n"})
    assert obs.outcome is Outcome.MISSING


def test_streamlit_calling_the_api_through_a_helper_module(tmp_path: Path) -> None:
    app = "import streamlit as st\n\nfrom pkg.client import predict\n\nst.write(predict([1.0]))\n"
    client = (
        "import httpx\n\n\ndef predict(x):\n"
        "    return httpx.post('http://api:8000/predict', json=x).json()\n"
    )
    files = {"src/pkg/frontend.py": app, "src/pkg/client.py": client}
    obs = observe(tmp_path, "M26.frontend", files)
    assert obs.outcome is Outcome.FOUND
    assert (obs.evidence[1].path, obs.evidence[1].line) == ("src/pkg/client.py", 5)


def test_frontend_only_on_another_branch_is_missing_and_names_it(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"README.md": "# app\n"}, name="g")
    create_branch(repo, "feature/frontend", checkout=True)
    commit_files(repo, {"frontend/app.py": STREAMLIT_CLIENT})
    repo.git.checkout("-q", "main")
    create_branch(repo, "rebuild-docs")  # "ui" inside a word is no frontend
    spec = probe_for("M26.frontend")
    assert spec is not None
    with open_snapshot(repo.working_tree_dir or "", ref="main") as snap:
        obs = spec.func(snap)
    assert obs.outcome is Outcome.MISSING
    assert "feature/frontend" in obs.summary and "rebuild" not in obs.summary
    assert obs.evidence[0].origin is Origin.OTHER_BRANCH
