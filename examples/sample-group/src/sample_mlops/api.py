"""Inference API: POST four measurements to /predict and get the species back."""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from pathlib import Path

import torch
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

from sample_mlops.data import SPECIES
from sample_mlops.model import IrisClassifier

MODEL_PATH = Path(os.environ.get("MODEL_PATH", "models/model.pt"))
state: dict[str, IrisClassifier] = {}


class Measurements(BaseModel):
    features: list[float] = Field(min_length=4, max_length=4, description="normalised sepal/petal sizes")


class Prediction(BaseModel):
    species: str
    probabilities: dict[str, float]


def load_model(path: Path = MODEL_PATH) -> IrisClassifier:
    """Load trained weights when they exist; an untrained model otherwise (for smoke tests)."""
    model = IrisClassifier()
    if path.exists():
        model.load_state_dict(torch.load(path, map_location="cpu"))
    model.eval()
    return model


@asynccontextmanager
async def lifespan(app: FastAPI):
    state["model"] = load_model()
    yield
    state.clear()


app = FastAPI(title="Iris classifier", lifespan=lifespan)


@app.get("/")
def root() -> dict[str, str]:
    return {"status": "ok", "model": str(MODEL_PATH)}


@app.post("/predict")
def predict(body: Measurements) -> Prediction:
    model = state.get("model")
    if model is None:
        raise HTTPException(status_code=503, detail="model not loaded")
    with torch.no_grad():
        probs = torch.softmax(model(torch.tensor([body.features])), dim=1)[0]
    best = int(probs.argmax())
    return Prediction(species=SPECIES[best], probabilities={s: float(p) for s, p in zip(SPECIES, probs)})
