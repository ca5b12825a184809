from fastapi.testclient import TestClient

from sample_mlops.api import app
from sample_mlops.data import SPECIES


def test_root_reports_status() -> None:
    with TestClient(app) as client:
        response = client.get("/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_predict_returns_a_species_and_probabilities() -> None:
    with TestClient(app) as client:
        response = client.post("/predict", json={"features": [0.1, -0.3, 0.5, 0.2]})
    assert response.status_code == 200
    body = response.json()
    assert body["species"] in SPECIES
    assert abs(sum(body["probabilities"].values()) - 1.0) < 1e-5
