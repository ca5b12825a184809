from __future__ import annotations

from pathlib import Path

from probe_helpers import observe

from verifier.findings import Outcome

VERTEX_CONFIG = """\
# cpu job
workerPoolSpecs:
  machineSpec:
    machineType: n1-highmem-2
  replicaCount: 1
  containerSpec:
    imageUri: europe-west1-docker.pkg.dev/proj/repo/train:latest
"""

CLOUDBUILD = """\
steps:
  - name: 'gcr.io/cloud-builders/docker'
    args: ['build', '-t', 'europe-west1-docker.pkg.dev/$PROJECT_ID/repo/api', '.']
  - name: 'gcr.io/google.com/cloudsdktool/cloud-sdk'
    entrypoint: 'gcloud'
    args:
      - 'run'
      - 'deploy'
      - 'api'
      - '--image=europe-west1-docker.pkg.dev/$PROJECT_ID/repo/api'
  - name: 'gcr.io/google.com/cloudsdktool/cloud-sdk'
    entrypoint: 'bash'
    args:
      - '-c'
      - |
        JOB=$$(gcloud ai custom-jobs create \\
          --region=europe-west1 --config=configs/vertex.yaml)
"""


def test_vertex_config_with_launch_script_is_found(tmp_path: Path) -> None:
    files = {
        "configs/vertex_cpu.yaml": VERTEX_CONFIG,
        "scripts/train_cloud.sh": (
            "#!/bin/bash\n# gcloud ai custom-jobs create --config=old.yaml\n"
            "gcloud ai custom-jobs create \\\n  --region=europe-west1 \\\n"
            "  --config=configs/vertex_cpu.yaml\n"
        ),
    }
    obs = observe(tmp_path, "M21.cloud-training", files)
    assert obs.outcome is Outcome.FOUND
    first = obs.evidence[0]
    assert (first.path, first.line) == ("scripts/train_cloud.sh", 3)  # not the comment line
    assert first.text == "gcloud ai custom-jobs create \\"
    assert any(e.path == "configs/vertex_cpu.yaml" and e.line == 2 for e in obs.evidence)


def test_unreferenced_vertex_config_still_counts(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M21.cloud-training", {"vertex/job.yaml": VERTEX_CONFIG})
    assert obs.outcome is Outcome.FOUND
    assert "not launched by any script" in obs.summary


def test_launch_inside_cloudbuild_bash_script_and_aiplatform_sdk(tmp_path: Path) -> None:
    obs = observe(
        tmp_path,
        "M21.cloud-training",
        {"cloudbuild.yaml": CLOUDBUILD, "configs/vertex.yaml": VERTEX_CONFIG},
    )
    assert obs.outcome is Outcome.FOUND
    assert any(e.path == "cloudbuild.yaml" and e.line == 16 for e in obs.evidence)
    sdk = (
        "from google.cloud import aiplatform\n"
        "job = aiplatform.CustomContainerTrainingJob(display_name='t', container_uri='x')\n"
    )
    obs = observe(tmp_path / "b", "M21.cloud-training", {"submit.py": sdk})
    assert obs.outcome is Outcome.FOUND
    assert (obs.evidence[0].path, obs.evidence[0].line) == ("submit.py", 2)


def test_compute_engine_vm_without_training_is_partial(tmp_path: Path) -> None:
    script = "gcloud compute instances create trainer --zone=europe-west1-b\n"
    obs = observe(tmp_path, "M21.cloud-training", {"vm.sh": script})
    assert obs.outcome is Outcome.PARTIAL
    obs = observe(
        tmp_path / "b",
        "M21.cloud-training",
        {"vm.sh": script + "gcloud compute ssh trainer --command='python train.py'\n"},
    )
    assert obs.outcome is Outcome.FOUND


def test_training_only_in_docs_is_manual_and_nothing_is_missing(tmp_path: Path) -> None:
    files = {
        "docs/cloud.md": "Run:\n\n    gcloud ai custom-jobs create --config=cpu.yaml\n",
        "reports/README.md": "gcloud ai custom-jobs create --config=x.yaml\n",
    }
    obs = observe(tmp_path, "M21.cloud-training", files)
    assert obs.outcome is Outcome.NOT_VERIFIABLE
    assert [e.path for e in obs.evidence] == ["docs/cloud.md"]
    obs = observe(tmp_path / "b", "M21.cloud-training", {"src/train.py": "print('local')\n"})
    assert obs.outcome is Outcome.MISSING


def test_config_without_machine_spec_is_not_a_vertex_job(tmp_path: Path) -> None:
    trap = {"configs/train.yaml": "workerPoolSpecs_note: none\nlr: 0.1\n"}
    obs = observe(tmp_path, "M21.cloud-training", trap)
    assert obs.outcome is Outcome.MISSING


def test_cloud_run_deploy_in_workflow_and_cloudbuild(tmp_path: Path) -> None:
    workflow = """\
name: deploy
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: |
          # gcloud functions deploy old
          gcloud run deploy api --image "$IMAGE" \\
            --region europe-west1
"""
    obs = observe(tmp_path, "M23.cloud-deploy", {".github/workflows/deploy.yaml": workflow})
    assert obs.outcome is Outcome.FOUND
    ev = obs.evidence[0]
    assert (ev.path, ev.line) == (".github/workflows/deploy.yaml", 9)
    assert ev.text.startswith("gcloud run deploy api")
    obs = observe(tmp_path / "b", "M23.cloud-deploy", {"cloudbuild.yaml": CLOUDBUILD})
    assert obs.outcome is Outcome.FOUND
    assert (obs.evidence[0].path, obs.evidence[0].line) == ("cloudbuild.yaml", 8)


def test_deploy_from_tasks_and_functions_framework(tmp_path: Path) -> None:
    tasks = (
        "from invoke import task\n\n@task\ndef deploy(c):\n"
        '    c.run(f"gcloud run deploy {NAME} --image {IMAGE}")\n'
    )
    obs = observe(tmp_path, "M23.cloud-deploy", {"tasks.py": tasks})
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].line == 5
    function = (
        "import functions_framework\n\n@functions_framework.http\ndef predict(request):\n"
        "    return 'ok'\n"
    )
    obs = observe(tmp_path / "b", "M23.cloud-deploy", {"function/main.py": function})
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].line == 3


def test_vertex_endpoint_is_partial_and_url_is_only_a_pointer(tmp_path: Path) -> None:
    script = "gcloud ai endpoints deploy-model 123 --model=m --region=europe-west1\n"
    obs = observe(tmp_path, "M23.cloud-deploy", {"deploy.sh": script})
    assert obs.outcome is Outcome.PARTIAL
    readme = "Our API: https://api-123.europe-west1.run.app/docs\n"
    obs = observe(tmp_path / "b", "M23.cloud-deploy", {"README.md": readme})
    assert obs.outcome is Outcome.NOT_VERIFIABLE
    assert obs.evidence[0].path == "README.md"


def test_deploy_only_in_report_or_comments_is_missing(tmp_path: Path) -> None:
    files = {
        "reports/README.md": "We ran gcloud run deploy api --image x\n",
        "deploy.sh": "# gcloud run deploy api --image x\necho skipped\n",
    }
    obs = observe(tmp_path, "M23.cloud-deploy", files)
    assert obs.outcome is Outcome.MISSING


def test_no_training_trace_but_gcp_use_is_manual(tmp_path: Path) -> None:
    files = {
        ".dvc/config": "[core]\n    remote = store\n['remote \"store\"']\n    url = gs://bucket\n",
        "tests/test_deployed.py": 'URL = "https://api-1.europe-west1.run.app/predict"\n',
    }
    obs = observe(tmp_path, "M21.cloud-training", files)
    assert obs.outcome is Outcome.NOT_VERIFIABLE
    paths = {e.path for e in obs.evidence}
    assert paths == {".dvc/config", "tests/test_deployed.py"}


def test_checklist_copy_is_no_pointer_but_a_gcp_action_is(tmp_path: Path) -> None:
    files = {
        "TODO.md": "* [ ] Get your model training in GCP using either the Engine or Vertex AI\n",
    }
    obs = observe(tmp_path, "M21.cloud-training", files)
    assert obs.outcome is Outcome.MISSING
    workflow = (
        "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: google-github-actions/auth@v2\n"
        "        with:\n          credentials_json: ${{ secrets.GCP }}\n"
    )
    obs = observe(tmp_path / "b", "M23.cloud-deploy", {".github/workflows/b.yaml": workflow})
    assert obs.outcome is Outcome.NOT_VERIFIABLE
    assert (obs.evidence[0].path, obs.evidence[0].line) == (".github/workflows/b.yaml", 6)


def test_vertex_config_with_placeholders_is_partial(tmp_path: Path) -> None:
    config = VERTEX_CONFIG.replace(
        "europe-west1-docker.pkg.dev/proj/repo/train:latest", "gcr.io/<project-id>/<docker-img>"
    )
    obs = observe(tmp_path, "M21.cloud-training", {"config_cpu.yaml": config})
    assert obs.outcome is Outcome.PARTIAL
    assert "placeholder" in obs.evidence[0].why
    commented = "# WANDB_API_KEY=<your-key>\n" + VERTEX_CONFIG
    obs = observe(tmp_path / "b", "M21.cloud-training", {"config_cpu.yaml": commented})
    assert obs.outcome is Outcome.FOUND
