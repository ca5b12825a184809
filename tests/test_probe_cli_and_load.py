from __future__ import annotations

from pathlib import Path

from probe_helpers import observe

from verifier.findings import Outcome

TYPER_DATA = """\
import typer

app = typer.Typer()


@app.command()
def preprocess(raw: str, out: str) -> None:
    print(raw, out)


if __name__ == "__main__":
    app()
"""


def test_typer_app_found_with_lines(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M9.cli", {"src/pkg/data.py": TYPER_DATA})
    assert obs.outcome is Outcome.FOUND
    assert [(e.line, e.text) for e in obs.evidence[:2]] == [
        (3, "app = typer.Typer()"),
        (6, "@app.command()"),
    ]


def test_console_script_and_argparse_count(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "p"\n\n[project.scripts]\ntrain = "pkg.train:main"\n',
        "src/pkg/train.py": "import argparse\n\nparser = argparse.ArgumentParser()\n",
    }
    obs = observe(tmp_path, "M9.cli", files)
    assert obs.outcome is Outcome.FOUND
    whys = {e.why for e in obs.evidence}
    assert "argparse parser" in whys and any("console script train" in w for w in whys)


def test_no_cli_is_missing(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M9.cli", {"src/pkg/model.py": "x = 1\n"})
    assert obs.outcome is Outcome.MISSING


LOCUSTFILE = """\
from locust import HttpUser, between, task


class ApiUser(HttpUser):
    wait_time = between(1, 2)

    @task
    def predict(self) -> None:
        self.client.post("/predict", json={"x": [1, 2, 3, 4]})
"""


def test_locust_user_found(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M24.load-test", {"tests/performance/locustfile.py": LOCUSTFILE})
    assert obs.outcome is Outcome.FOUND
    ev = obs.evidence[0]
    assert (ev.path, ev.line, ev.text) == (
        "tests/performance/locustfile.py",
        4,
        "class ApiUser(HttpUser):",
    )


def test_k6_script_found(tmp_path: Path) -> None:
    script = "import http from 'k6/http';\n\nexport default function () {\n  http.get('x');\n}\n"
    obs = observe(tmp_path, "M24.load-test", {"load/k6.js": script})
    assert obs.outcome is Outcome.FOUND


def test_locust_only_declared_is_partial(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M24.load-test", {"requirements.txt": "fastapi\nlocust==2.20\n"})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.evidence[0].line == 2


def test_no_load_test_is_missing(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M24.load-test", {"src/pkg/api.py": "import fastapi\n"})
    assert obs.outcome is Outcome.MISSING
