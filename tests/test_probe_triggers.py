"""Probes of workflows started by data changes, model-registry events and image builds."""

from __future__ import annotations

from pathlib import Path

from probe_helpers import observe

from verifier.findings import Outcome

DATA = "M19.data-trigger"
REGISTRY = "M19.registry-trigger"
BUILD = "M21.docker-build-trigger"

DATA_CHECK = """\
name: data check
on:
  pull_request:
    branches: [main]
    paths:
      - '**/*.dvc'
      - '.dvc/**'
jobs:
  stats:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: iterative/setup-dvc@v1
      - run: dvc pull
      - run: python src/pkg/data_stats.py > report.md
"""

ECHO_ONLY = """\
on:
  push:
    paths:
      - 'data/**'
jobs:
  noop:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "data changed"
"""

DVC_POINTER = "outs:\n- md5: 0123\n  path: data\n"


def test_data_trigger_found_with_the_pattern_line(tmp_path: Path) -> None:
    obs = observe(tmp_path, DATA, {".github/workflows/cml_data.yaml": DATA_CHECK})
    assert obs.outcome is Outcome.FOUND
    assert "**/*.dvc" in obs.summary and "pull_request" in obs.summary
    ev = obs.evidence[0]
    assert ev.path == ".github/workflows/cml_data.yaml"
    assert ev.line == 6
    assert ev.text == "- '**/*.dvc'"


def test_echo_only_data_workflow_is_partial(tmp_path: Path) -> None:
    obs = observe(tmp_path, DATA, {".github/workflows/d.yaml": ECHO_ONLY, "data/a.csv": "x\n"})
    assert obs.outcome is Outcome.PARTIAL
    assert "print" in obs.summary


def test_data_folder_filter_that_misses_the_dvc_pointer_is_partial(tmp_path: Path) -> None:
    wf = ECHO_ONLY.replace('echo "data changed"', "pytest tests/test_data.py")
    obs = observe(tmp_path, DATA, {".github/workflows/d.yaml": wf, "data.dvc": DVC_POINTER})
    assert obs.outcome is Outcome.PARTIAL
    assert "data.dvc" in obs.summary and "never starts it" in obs.summary


def test_data_folder_filter_with_committed_data_is_found(tmp_path: Path) -> None:
    wf = ECHO_ONLY.replace('echo "data changed"', "pytest tests/test_data.py")
    obs = observe(tmp_path, DATA, {".github/workflows/d.yaml": wf, "data/raw/a.csv": "1\n"})
    assert obs.outcome is Outcome.FOUND
    assert "data/**" in obs.summary


def test_filter_on_data_code_is_not_a_data_trigger(tmp_path: Path) -> None:
    wf = ECHO_ONLY.replace("'data/**'", "'src/pkg/data/**'").replace(
        'echo "data changed"', "pytest"
    )
    obs = observe(tmp_path, DATA, {".github/workflows/d.yaml": wf})
    assert obs.outcome is Outcome.MISSING


def test_commented_out_paths_do_not_count(tmp_path: Path) -> None:
    wf = DATA_CHECK.replace("    paths:\n      - '**/*.dvc'\n      - '.dvc/**'\n", "")
    wf = wf.replace("    branches: [main]\n", "    branches: [main]\n    # paths: ['**/*.dvc']\n")
    obs = observe(tmp_path, DATA, {".github/workflows/ci.yaml": wf})
    # a data-minded workflow on every pull request: related, but not tied to data changes
    assert obs.outcome is Outcome.PARTIAL
    assert "every pull_request" in obs.summary


def test_no_data_workflow_is_missing(tmp_path: Path) -> None:
    wf = "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n"
    obs = observe(tmp_path, DATA, {".github/workflows/tests.yaml": wf})
    assert obs.outcome is Outcome.MISSING
    assert obs.checked


# --------------------------------------------------------------------------- registry

STAGED = """\
name: Check staged model
on:
  repository_dispatch:
    types: staged_model
jobs:
  test_model:
    runs-on: ubuntu-latest
    env:
      MODEL_NAME: ${{ github.event.client_payload.artifact_version_string }}
    steps:
      - uses: actions/checkout@v4
      - run: pip install -r requirements.txt
      - run: pytest tests/performancetests/test_model.py
"""


def test_repository_dispatch_is_found_with_its_types(tmp_path: Path) -> None:
    obs = observe(tmp_path, REGISTRY, {".github/workflows/stage_model.yaml": STAGED})
    assert obs.outcome is Outcome.FOUND
    assert "staged_model" in obs.summary
    ev = obs.evidence[0]
    assert (ev.path, ev.line, ev.text) == (
        ".github/workflows/stage_model.yaml",
        3,
        "repository_dispatch:",
    )
    assert "outside the repository" in obs.summary


def test_repository_dispatch_that_only_prints_is_partial(tmp_path: Path) -> None:
    echo = STAGED.split("    steps:")[0] + (
        '    steps:\n      - run: echo "${{ github.event.client_payload.artifact_version }}"\n'
    )
    obs = observe(tmp_path, REGISTRY, {".github/workflows/stage_model.yaml": echo})
    assert obs.outcome is Outcome.PARTIAL


def test_paths_on_model_files_are_partial(tmp_path: Path) -> None:
    wf = (
        "on:\n  push:\n    paths:\n      - 'models/**'\n"
        "jobs:\n  e:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python evaluate.py\n"
    )
    obs = observe(tmp_path, REGISTRY, {".github/workflows/model.yaml": wf})
    assert obs.outcome is Outcome.PARTIAL
    assert "not an event of a model registry" in obs.summary
    assert obs.evidence[0].line == 4


def test_workflow_dispatch_with_a_model_input_needs_a_human(tmp_path: Path) -> None:
    wf = (
        "on:\n  workflow_dispatch:\n    inputs:\n      model_name:\n        required: true\n"
        "jobs:\n  e:\n    runs-on: ubuntu-latest\n    env:\n"
        "      WANDB_API_KEY: ${{ secrets.WANDB_API_KEY }}\n"
        "    steps:\n      - run: python link_model.py\n"
    )
    obs = observe(tmp_path, REGISTRY, {".github/workflows/promote.yaml": wf})
    assert obs.outcome is Outcome.NOT_VERIFIABLE
    assert obs.evidence[0].line == 4


def test_artifact_registry_for_images_is_not_a_model_registry(tmp_path: Path) -> None:
    wf = (
        "on:\n  workflow_dispatch:\n    inputs:\n      artifact_registry:\n        default: x\n"
        "jobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build .\n"
    )
    obs = observe(tmp_path, REGISTRY, {".github/workflows/build.yaml": wf})
    assert obs.outcome is Outcome.MISSING


# --------------------------------------------------------------------------- image builds

BUILD_PUSH = """\
name: images
on:
  push:
    branches: [main]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: docker/build-push-action@v6
        with:
          file: dockerfiles/api.dockerfile
          push: true
"""

CLOUDBUILD = """\
steps:
- name: 'gcr.io/cloud-builders/docker'
  id: 'Build'
  args: ['build', '-t', 'europe-west1-docker.pkg.dev/p/r/api', '-f', 'api.dockerfile', '.']
- name: 'gcr.io/cloud-builders/docker'
  args: ['push', 'europe-west1-docker.pkg.dev/p/r/api']
"""


def test_build_push_action_on_push_is_found(tmp_path: Path) -> None:
    obs = observe(tmp_path, BUILD, {".github/workflows/images.yaml": BUILD_PUSH})
    assert obs.outcome is Outcome.FOUND
    ev = obs.evidence[0]
    assert (ev.path, ev.line) == (".github/workflows/images.yaml", 10)
    assert ev.text == "- uses: docker/build-push-action@v6"
    assert "pushes" in ev.why


def test_cloudbuild_with_a_docker_build_is_found_and_says_the_trigger_is_hidden(
    tmp_path: Path,
) -> None:
    obs = observe(tmp_path, BUILD, {"cloudbuild.yaml": CLOUDBUILD})
    assert obs.outcome is Outcome.FOUND
    assert "GCP console" in obs.summary and "pushes" in obs.summary
    ev = obs.evidence[0]
    assert (ev.path, ev.line, ev.text) == (
        "cloudbuild.yaml",
        2,
        "- name: 'gcr.io/cloud-builders/docker'",
    )


def test_cloudbuild_building_through_bash_is_found(tmp_path: Path) -> None:
    text = (
        "steps:\n- name: 'gcr.io/cloud-builders/docker'\n  entrypoint: 'bash'\n"
        "  args: ['-c', 'docker build -t gcr.io/p/train . -f dockerfiles/train.dockerfile']\n"
    )
    obs = observe(tmp_path, BUILD, {"configs/cloudbuild.yaml": text})
    assert obs.outcome is Outcome.FOUND


def test_empty_cloudbuild_is_missing(tmp_path: Path) -> None:
    obs = observe(tmp_path, BUILD, {"cloudbuild.yaml": "\n# to do\n"})
    assert obs.outcome is Outcome.MISSING
    assert "cloudbuild.yaml is empty" in obs.summary


def test_cloudbuild_that_only_deploys_is_partial(tmp_path: Path) -> None:
    text = (
        "steps:\n- name: 'gcr.io/google.com/cloudsdktool/cloud-sdk'\n"
        "  args: ['gcloud', 'run', 'deploy', 'api', '--image', 'x']\n"
    )
    obs = observe(tmp_path, BUILD, {"cloudbuild.yaml": text})
    assert obs.outcome is Outcome.PARTIAL
    assert "builds no image" in obs.summary


def test_build_started_only_by_hand_is_partial(tmp_path: Path) -> None:
    wf = BUILD_PUSH.replace("  push:\n    branches: [main]\n", "  workflow_dispatch:\n")
    obs = observe(tmp_path, BUILD, {".github/workflows/images.yaml": wf})
    assert obs.outcome is Outcome.PARTIAL
    assert "by hand" in obs.summary


def test_commented_out_build_step_does_not_count(tmp_path: Path) -> None:
    wf = (
        "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: |\n          # docker build -t api .\n          echo skipped\n"
    )
    obs = observe(tmp_path, BUILD, {".github/workflows/images.yaml": wf})
    assert obs.outcome is Outcome.MISSING


def test_training_choice_named_model_is_not_a_registry_input(tmp_path: Path) -> None:
    wf = (
        "on:\n  workflow_dispatch:\n    inputs:\n      model:\n        type: choice\n"
        "        options: [cnn, resnet]\n"
        "jobs:\n  t:\n    runs-on: ubuntu-latest\n    env:\n"
        "      WANDB_API_KEY: ${{ secrets.WANDB_API_KEY }}\n"
        "    steps:\n      - run: python train.py\n"
    )
    obs = observe(tmp_path, REGISTRY, {".github/workflows/train.yaml": wf})
    assert obs.outcome is Outcome.MISSING


def test_building_only_from_tasks_is_missing_with_a_pointer(tmp_path: Path) -> None:
    tasks = (
        "from invoke import task\n\n\n@task\ndef docker_build(ctx):\n"
        '    ctx.run(f"docker build -t api:latest . -f dockerfiles/api.dockerfile")\n'
    )
    obs = observe(tmp_path, BUILD, {"tasks.py": tasks})
    assert obs.outcome is Outcome.MISSING
    assert "only by hand (tasks.py)" in obs.summary
    assert (obs.evidence[0].path, obs.evidence[0].line) == ("tasks.py", 6)


def test_cloudbuild_evidence_lines_follow_the_yaml_steps(tmp_path: Path) -> None:
    text = (
        "steps:\n# api\n- name: 'gcr.io/cloud-builders/docker'\n  args: ['build', '-t', 'a', '.']\n"
        "- name: 'gcr.io/google.com/cloudsdktool/cloud-sdk'\n  entrypoint: gcloud\n  args:\n"
        "  - 'run'\n  - 'deploy'\n"
        "- name: 'gcr.io/cloud-builders/docker'\n  args: ['build', '-t', 'b', '.']\n"
        "images: ['a', 'b']\n"
    )
    obs = observe(tmp_path, BUILD, {"cloudbuild.yaml": text})
    assert obs.outcome is Outcome.FOUND
    assert [e.line for e in obs.evidence] == [3, 10]


def test_workflow_calling_a_cloud_build_trigger_is_found(tmp_path: Path) -> None:
    wf = (
        "on:\n  push:\n    branches: [main]\njobs:\n  call:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: |\n"
        '          curl -X POST "https://cloudbuild.googleapis.com/v1/projects/p/locations/'
        'europe-west1/triggers/build-images:webhook" -d "key=${{ secrets.KEY }}"\n'
    )
    obs = observe(tmp_path, BUILD, {".github/workflows/trigger.yml": wf})
    assert obs.outcome is Outcome.FOUND
    assert "Cloud Build trigger" in obs.evidence[0].why


def test_repository_dispatch_unrelated_to_models_is_partial(tmp_path: Path) -> None:
    wf = (
        "on:\n  repository_dispatch:\n    types: [deploy_site]\njobs:\n  d:\n"
        "    runs-on: ubuntu-latest\n    steps:\n      - run: npm run deploy\n"
    )
    obs = observe(tmp_path, REGISTRY, {".github/workflows/site.yaml": wf})
    assert obs.outcome is Outcome.PARTIAL
    assert "neither its event types" in obs.summary
