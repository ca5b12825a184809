"""M10 probes: Dockerfiles of the group's code, and commands that build them."""

from __future__ import annotations

from pathlib import Path

from conftest import Link
from probe_helpers import observe

from verifier.findings import Outcome

FILES = "M10.dockerfiles"
BUILD = "M10.docker-build-local"

TRAIN_DOCKERFILE = """\
# Base image
FROM python:3.11-slim AS base

RUN apt update && \\
    apt install --no-install-recommends -y build-essential gcc && \\
    apt clean && rm -rf /var/lib/apt/lists/*

COPY requirements.txt requirements.txt
COPY pyproject.toml pyproject.toml
COPY src/ src/

WORKDIR /
RUN pip install -r requirements.txt --no-cache-dir
RUN pip install . --no-deps --no-cache-dir

ENTRYPOINT ["python", "-u", "src/mnist_project/train.py"]
"""

API_DOCKERFILE = """\
FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY src/ src/
CMD ["uvicorn", "src.mnist_project.api:app", "--host", "0.0.0.0", "--port", "8000"]
"""

PROJECT = {
    "requirements.txt": "torch\nfastapi\n",
    "pyproject.toml": '[project]\nname = "mnist_project"\nversion = "0.1"\n',
    "src/mnist_project/__init__.py": "",
    "src/mnist_project/train.py": "print('train')\n",
}

TASKS = """\
from invoke import Context, task


@task
def docker_build(ctx: Context, progress: str = "plain") -> None:
    \"\"\"Build docker images.\"\"\"
    ctx.run(
        f"docker build -t train:latest . -f dockerfiles/train.dockerfile --progress={progress}",
        echo=True,
        pty=True,
    )
"""

# --------------------------------------------------------------------------- Dockerfiles


def test_root_dockerfile_is_found_with_from_line_and_entrypoint(tmp_path: Path) -> None:
    obs = observe(tmp_path, FILES, {**PROJECT, "Dockerfile": TRAIN_DOCKERFILE})
    assert obs.outcome is Outcome.FOUND
    assert obs.summary == "1 Dockerfile(s): Dockerfile"
    [ev] = obs.evidence
    assert (ev.path, ev.line, ev.text) == ("Dockerfile", 2, "FROM python:3.11-slim AS base")
    assert ev.why == "base image python:3.11-slim; starts python -u src/mnist_project/train.py"


def test_common_dockerfile_names_are_all_found(tmp_path: Path) -> None:
    files = {
        **PROJECT,
        "dockerfiles/api.dockerfile": API_DOCKERFILE,
        "dockerfiles/train.dockerfile": TRAIN_DOCKERFILE,
        "Dockerfile.train": TRAIN_DOCKERFILE,
        "docs/Dockerfile.md": "# How to build\n",
        "docker-compose.yaml": "services:\n  api:\n    build: .\n",
        ".dockerignore": "data/\n",
    }
    obs = observe(tmp_path, FILES, files)
    assert obs.outcome is Outcome.FOUND
    assert obs.summary == (
        "3 Dockerfile(s): Dockerfile.train, dockerfiles/api.dockerfile, "
        "dockerfiles/train.dockerfile"
    )
    api = next(e for e in obs.evidence if e.path == "dockerfiles/api.dockerfile")
    assert api.why.startswith("base image python:3.11-slim; starts uvicorn src.mnist_project.api")


def test_copy_of_a_file_not_in_the_repository_is_found_with_a_note(tmp_path: Path) -> None:
    dockerfile = TRAIN_DOCKERFILE.replace(
        "COPY src/ src/\n", "COPY src/ src/\nCOPY models/model.pth models/model.pth\n"
    )
    obs = observe(tmp_path, FILES, {**PROJECT, "Dockerfile": dockerfile})
    assert obs.outcome is Outcome.FOUND
    assert obs.summary.endswith("; 1 COPY source(s) not in the repository")
    note = obs.evidence[1]
    assert (note.path, note.line, note.text) == (
        "Dockerfile",
        11,
        "COPY models/model.pth models/model.pth",
    )
    assert note.why == "COPY source models/model.pth is not in the repository"


def test_copy_from_another_stage_is_not_checked_against_the_repository(tmp_path: Path) -> None:
    dockerfile = (
        "FROM python:3.11 AS builder\nCOPY requirements.txt .\nRUN pip wheel -r requirements.txt\n"
        "FROM python:3.11-slim\nCOPY --from=builder /wheels /wheels\n"
    )
    obs = observe(tmp_path, FILES, {**PROJECT, "Dockerfile": dockerfile})
    assert obs.outcome is Outcome.FOUND
    assert "COPY source" not in obs.summary
    assert obs.evidence[0].line == 4  # the final stage's FROM


def test_arg_before_from_is_usable(tmp_path: Path) -> None:
    dockerfile = "ARG PYTHON_VERSION=3.11\nFROM python:${PYTHON_VERSION}-slim\nCOPY . .\n"
    obs = observe(tmp_path, FILES, {"Dockerfile": dockerfile})
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].line == 2


def test_dockerfile_without_from_is_partial(tmp_path: Path) -> None:
    dockerfile = "# FROM python:3.11\nRUN pip install torch\nCMD python train.py\n"
    obs = observe(tmp_path, FILES, {"Dockerfile": dockerfile})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == "Dockerfiles found but none is usable: Dockerfile"
    assert obs.evidence[0].why == "no FROM instruction"


def test_no_dockerfile_is_missing(tmp_path: Path) -> None:
    obs = observe(tmp_path, FILES, {**PROJECT, "docker-compose.yml": "services: {}\n"})
    assert obs.outcome is Outcome.MISSING
    assert obs.checked


def test_dockerfiles_inside_installed_packages_do_not_count(tmp_path: Path) -> None:
    files = {
        **PROJECT,
        ".venv/lib/python3.11/site-packages/docker/Dockerfile": "FROM python:3.11\n",
        "venv/src/thing/Dockerfile": "FROM python:3.11\n",
        "node_modules/app/Dockerfile": "FROM node:20\n",
    }
    obs = observe(tmp_path, FILES, files)
    assert obs.outcome is Outcome.MISSING
    assert obs.summary == "no Dockerfile in the repository"


# --------------------------------------------------------------------------- build


def test_build_task_in_tasks_py_is_found(tmp_path: Path) -> None:
    files = {**PROJECT, "dockerfiles/train.dockerfile": TRAIN_DOCKERFILE, "tasks.py": TASKS}
    obs = observe(tmp_path, BUILD, files)
    assert obs.outcome is Outcome.FOUND
    [ev] = obs.evidence
    assert (ev.path, ev.line) == ("tasks.py", 8)
    assert ev.text.startswith('f"docker build -t train:latest .')


def test_image_built_in_ci_is_found(tmp_path: Path) -> None:
    workflow = (
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - uses: docker/build-push-action@v6\n"
        "        with:\n          file: dockerfiles/api.dockerfile\n"
    )
    files = {
        **PROJECT,
        "dockerfiles/api.dockerfile": API_DOCKERFILE,
        ".github/workflows/docker.yml": workflow,
    }
    obs = observe(tmp_path, BUILD, files)
    assert obs.outcome is Outcome.FOUND
    ev = obs.evidence[0]
    assert (ev.path, ev.line, ev.why) == (".github/workflows/docker.yml", 7, "image built in CI")


def test_dockerfile_with_build_only_in_readme_is_not_verifiable(tmp_path: Path) -> None:
    files = {
        **PROJECT,
        "Dockerfile": TRAIN_DOCKERFILE,
        "README.md": "Build with `docker build -t train .`\n",
    }
    obs = observe(tmp_path, BUILD, files)
    # A local build leaves no trace; prose in a README is not a build command.
    assert obs.outcome is Outcome.NOT_VERIFIABLE
    assert [(e.path, e.line) for e in obs.evidence] == [("Dockerfile", 2)]
    assert all(e.path != "README.md" for e in obs.evidence)


def test_build_command_without_any_dockerfile_is_missing(tmp_path: Path) -> None:
    files = {**PROJECT, "Makefile": "build:\n\tdocker build -t train .\n"}
    obs = observe(tmp_path, BUILD, files)
    assert obs.outcome is Outcome.MISSING
    assert obs.summary == "no Dockerfile in the repository, so nothing to build"


def test_commented_out_build_command_does_not_count(tmp_path: Path) -> None:
    tasks = (
        "from invoke import task\n\n\n@task\ndef build(ctx):\n"
        '    # ctx.run("docker build -t train:latest .")\n    pass\n'
    )
    files = {**PROJECT, "Dockerfile": TRAIN_DOCKERFILE, "tasks.py": tasks}
    obs = observe(tmp_path, BUILD, files)
    assert obs.outcome is Outcome.NOT_VERIFIABLE
    assert all(e.path != "tasks.py" for e in obs.evidence)


def test_copy_forms_with_flags_json_and_globs_find_their_sources(tmp_path: Path) -> None:
    dockerfile = (
        "FROM python:3.11-slim\n"
        'COPY ["requirements.txt", "./"]\n'
        "COPY --chown=app:app --chmod=644 src/ /app/src/\n"
        "COPY --link pyproject.toml ./\n"
        "COPY requirements*.txt ./\n"
        "COPY ./src/mnist_project/ ./src/mnist_project/\n"
        "COPY . /app\n"
    )
    obs = observe(tmp_path, FILES, {**PROJECT, "Dockerfile": dockerfile})
    assert obs.outcome is Outcome.FOUND
    assert obs.summary == "1 Dockerfile(s): Dockerfile"
    assert len(obs.evidence) == 1


def test_heredoc_copy_is_not_a_missing_source(tmp_path: Path) -> None:
    dockerfile = "FROM python:3.11-slim\nCOPY <<EOT /app/run.sh\necho hi\nEOT\n"
    obs = observe(tmp_path, FILES, {"Dockerfile": dockerfile})
    assert obs.outcome is Outcome.FOUND
    assert "not in the repository" not in obs.summary


def test_dockerfile_linking_outside_the_repository_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside" / "Dockerfile"
    outside.parent.mkdir()
    outside.write_text("FROM python:3.11\n")
    obs = observe(tmp_path, FILES, {"Dockerfile": Link(str(outside)), "README.md": "# x\n"})
    assert obs.outcome is Outcome.MISSING
    assert obs.evidence == []
