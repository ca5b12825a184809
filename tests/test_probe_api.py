"""M22 probe: a FastAPI application whose routes run the model."""

from __future__ import annotations

from pathlib import Path

import pytest
from probe_helpers import observe

from verifier.findings import Outcome

ITEM = "M22.fastapi"
API_PATH = "src/mnist_project/api.py"

PREDICT_API = """\
from contextlib import asynccontextmanager

import torch
from fastapi import FastAPI, File, UploadFile
from PIL import Image

from mnist_project.model import MyAwesomeModel

model = None


@asynccontextmanager
async def lifespan(app: FastAPI):
    global model
    model = MyAwesomeModel()
    model.load_state_dict(torch.load("models/model.pth"))
    model.eval()
    yield


app = FastAPI(lifespan=lifespan)


@app.get("/")
def root():
    return {"message": "hello"}


@app.post("/predict")
async def predict(file: UploadFile = File(...)):
    image = Image.open(file.file).convert("L").resize((28, 28))
    x = torch.tensor(list(image.getdata()), dtype=torch.float32).view(1, 1, 28, 28)
    logits = model(x)
    return {"prediction": int(logits.argmax(dim=1).item())}
"""

HELLO_API = """\
from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def read_root():
    return {"Hello": "World"}


@app.get("/items/{item_id}")
def read_item(item_id: int, q: str | None = None):
    return {"item_id": item_id, "q": q}
"""


def test_predict_route_calling_the_model_is_found(tmp_path: Path) -> None:
    obs = observe(tmp_path, ITEM, {API_PATH: PREDICT_API})
    assert obs.outcome is Outcome.FOUND
    assert obs.summary == "FastAPI app with 2 route(s), inference in 1"
    route, app = obs.evidence
    assert (route.path, route.line, route.text) == (API_PATH, 29, '@app.post("/predict")')
    assert route.why.startswith("POST /predict runs ")
    assert (app.path, app.line, app.text) == (API_PATH, 21, "app = FastAPI(lifespan=lifespan)")


def test_hello_world_routes_are_partial(tmp_path: Path) -> None:
    obs = observe(tmp_path, ITEM, {API_PATH: HELLO_API})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == "a FastAPI app, but no route handler visibly runs a model"
    assert [(e.line, e.text) for e in obs.evidence] == [
        (6, '@app.get("/")'),
        (11, '@app.get("/items/{item_id}")'),
    ]
    assert obs.evidence[0].why == "route GET /"


def test_router_in_a_separate_file_is_found(tmp_path: Path) -> None:
    router = """\
from fastapi import APIRouter

from mnist_project.predictor import Predictor

router = APIRouter(prefix="/v1")
predictor = Predictor()


@router.post("/predict")
def predict(text: str):
    return {"label": predictor.predict(text)}
"""
    main = (
        "from fastapi import FastAPI\n\nfrom mnist_project.routes.inference import router\n\n"
        "app = FastAPI()\napp.include_router(router)\n"
    )
    files = {"src/mnist_project/routes/inference.py": router, "src/mnist_project/main.py": main}
    obs = observe(tmp_path, ITEM, files)
    assert obs.outcome is Outcome.FOUND
    ev = obs.evidence[0]
    assert (ev.path, ev.line) == ("src/mnist_project/routes/inference.py", 9)
    assert ev.why == "POST /predict runs predictor.predict in predict()"


def test_app_without_routes_is_partial(tmp_path: Path) -> None:
    obs = observe(tmp_path, ITEM, {API_PATH: "from fastapi import FastAPI\n\napp = FastAPI()\n"})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.evidence[0].why == "FastAPI()"


def test_commented_out_app_is_missing(tmp_path: Path) -> None:
    text = HELLO_API.replace("app = FastAPI()", "# app = FastAPI()").replace(
        "@app.get", "# @app.get"
    )
    obs = observe(tmp_path, ITEM, {API_PATH: text})
    assert obs.outcome is Outcome.MISSING
    assert obs.summary == "no FastAPI application"


def test_fastapi_app_inside_a_committed_venv_does_not_count(tmp_path: Path) -> None:
    files = {
        ".venv/lib/python3.11/site-packages/fastapi_demo/api.py": PREDICT_API,
        "venv/app/main.py": PREDICT_API,
        API_PATH: "print('api to do')\n",
    }
    obs = observe(tmp_path, ITEM, files)
    assert obs.outcome is Outcome.MISSING
    assert obs.evidence == []


def test_flask_app_is_not_fastapi(tmp_path: Path) -> None:
    flask = (
        "from flask import Flask, request\n\nfrom mnist_project.model import load_model\n\n"
        "app = Flask(__name__)\nmodel = load_model()\n\n\n"
        '@app.route("/predict", methods=["POST"])\ndef predict():\n'
        '    return {"y": model.predict(request.json)}\n'
    )
    obs = observe(tmp_path, ITEM, {API_PATH: flask})
    assert obs.outcome is Outcome.MISSING
    assert obs.summary == "no FastAPI application"


def test_route_decorators_in_a_file_not_using_fastapi_do_not_count(tmp_path: Path) -> None:
    # Another framework's ``app.get`` (here a hand-written registry) is not a FastAPI route.
    text = (
        "from mnist_project.registry import app, model\n\n\n"
        '@app.get("/predict")\ndef predict(x):\n    return model(x)\n'
    )
    obs = observe(tmp_path, ITEM, {API_PATH: text})
    assert obs.outcome is Outcome.MISSING
    assert obs.evidence == []


def test_pydantic_model_dump_is_not_inference(tmp_path: Path) -> None:
    crud = (
        "from fastapi import FastAPI\nfrom pydantic import BaseModel\n\napp = FastAPI()\n\n\n"
        "class Item(BaseModel):\n    name: str\n    price: float\n\n\n"
        '@app.post("/items")\ndef create_item(item: Item):\n    return item.model_dump()\n'
    )
    obs = observe(tmp_path, ITEM, {API_PATH: crud})
    assert obs.outcome is Outcome.PARTIAL


SENTIMENT_API = """\
from fastapi import FastAPI
from transformers import pipeline

app = FastAPI()
sentiment = pipeline("sentiment-analysis", model="models/distilbert-finetuned")


@app.post("/sentiment")
def analyse(text: str):
    return sentiment(text)[0]
"""

DETECT_API = """\
from fastapi import FastAPI, UploadFile
from PIL import Image
from ultralytics import YOLO

app = FastAPI()
detector = YOLO("models/best.pt")


@app.post("/detect")
async def detect(file: UploadFile):
    image = Image.open(file.file)
    results = detector(image)
    return {"boxes": results[0].boxes.xyxy.tolist()}
"""


@pytest.mark.parametrize("source", [SENTIMENT_API, DETECT_API], ids=["pipeline", "yolo"])
def test_model_loaded_at_module_level_under_another_name_is_inference(
    tmp_path: Path, source: str
) -> None:
    obs = observe(tmp_path, ITEM, {API_PATH: source})
    assert obs.outcome is Outcome.FOUND


ROUTES_WITHOUT_FASTAPI_IMPORT = """\
from pydantic import BaseModel

from mnist_project.api.app import app
from mnist_project.model import load_model

model = load_model()


class Image(BaseModel):
    pixels: list[float]


@app.post("/predict")
def predict(image: Image):
    return {"digit": int(model(image.pixels).argmax())}
"""


def test_routes_on_an_app_imported_from_the_project_count(tmp_path: Path) -> None:
    files = {
        "src/mnist_project/api/__init__.py": "",
        "src/mnist_project/api/app.py": (
            'from fastapi import FastAPI\n\napp = FastAPI(title="mnist")\n'
        ),
        "src/mnist_project/api/routes.py": ROUTES_WITHOUT_FASTAPI_IMPORT,
    }
    obs = observe(tmp_path, ITEM, files)
    assert obs.outcome is Outcome.FOUND


THREADED_API = """\
import asyncio

from fastapi import FastAPI

from mnist_project.model import load_model

app = FastAPI()
model = load_model("models/model.pt")


@app.post("/predict")
async def predict(pixels: list[float]):
    digit = await asyncio.to_thread(model.predict, pixels)
    return {"digit": int(digit)}
"""


def test_model_run_in_a_worker_thread_is_inference(tmp_path: Path) -> None:
    obs = observe(tmp_path, ITEM, {API_PATH: THREADED_API})
    assert obs.outcome is Outcome.FOUND


@pytest.mark.parametrize(
    ("handler", "runs"),
    [
        (
            '@app.get("/sample")\ndef sample(steps: int):\n'
            '    return make_images("best.ckpt", steps)\n',
            "make_images() on best.ckpt",
        ),
        (
            '@app.post("/cluster")\ndef assign(row: dict):\n'
            "    out = train.train(pd.DataFrame([row]))\n    return {'c': int(out)}\n",
            "train.train",
        ),
        (
            '@app.post("/image")\nasync def predict_image(file: bytes):\n'
            "    return {'label': helper(file)}\n",
            "predict_image()",
        ),
    ],
)
def test_other_ways_a_handler_runs_a_model(tmp_path: Path, handler: str, runs: str) -> None:
    code = "from fastapi import FastAPI\n\nimport pandas as pd\n\napp = FastAPI()\n\n\n" + handler
    obs = observe(tmp_path, ITEM, {"src/proj/api.py": code})
    assert obs.outcome is Outcome.FOUND
    assert f" runs {runs} in " in obs.evidence[0].why
