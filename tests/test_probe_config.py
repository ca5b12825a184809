"""M11 probes: experiment configuration files, and Hydra loading them."""

from __future__ import annotations

import json
from pathlib import Path

from probe_helpers import observe

from verifier.findings import Outcome

FILES = "M11.config-files"
HYDRA = "M11.hydra"

EXPERIMENT = "lr: 0.001\nbatch_size: 64\nepochs: 10\noptimizer: adam\n"
DEFAULTS = "defaults:\n  - experiment: exp1\n  - _self_\n"

TRAIN = """\
import hydra
from omegaconf import DictConfig

from mnist_project.model import MyAwesomeModel


@hydra.main(config_path="../../configs", config_name="config", version_base=None)
def train(cfg: DictConfig) -> None:
    model = MyAwesomeModel()
    print(cfg.experiment.lr, model)


if __name__ == "__main__":
    train()
"""

TRAIN_PATH = "src/mnist_project/train.py"

# --------------------------------------------------------------------------- config files


def test_experiment_configs_are_found_with_their_settings(tmp_path: Path) -> None:
    files = {"configs/config.yaml": DEFAULTS, "configs/experiment/exp1.yaml": EXPERIMENT}
    obs = observe(tmp_path, FILES, files)
    assert obs.outcome is Outcome.FOUND
    assert obs.summary == "2 config file(s), 2 with experiment settings"
    exp = next(e for e in obs.evidence if e.path == "configs/experiment/exp1.yaml")
    assert (exp.line, exp.text) == (1, "lr: 0.001")
    assert exp.why == "settings: batch_size, epochs, lr, optimizer"


def test_root_train_config_is_found(tmp_path: Path) -> None:
    text = "learning_rate: 0.01\nmodel:\n  hidden: 128\n  dropout: 0.2\n"
    obs = observe(tmp_path, FILES, {"train_config.yaml": text, "train.py": "x = 1\n"})
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].path == "train_config.yaml"
    assert obs.evidence[0].why == "settings: dropout, hidden, learning_rate"


def test_wandb_sweep_and_json_params_count(tmp_path: Path) -> None:
    sweep = "method: bayes\nmetric:\n  name: val_loss\nparameters:\n  lr:\n    min: 0.0001\n"
    files = {"configs/sweep.yaml": sweep, "conf/params.json": json.dumps({"batch_size": 32})}
    obs = observe(tmp_path, FILES, files)
    assert obs.outcome is Outcome.FOUND
    assert {e.path for e in obs.evidence} == {"configs/sweep.yaml", "conf/params.json"}


def test_only_tool_configs_are_missing(tmp_path: Path) -> None:
    files = {
        ".pre-commit-config.yaml": "repos: []\n",
        "docker-compose.yaml": "services:\n  api:\n    build: .\n",
        "cloudbuild.yaml": "steps: []\n",
        "dvc.yaml": "stages: {}\n",
        ".github/workflows/tests.yaml": "on: push\n",
        "pyproject.toml": "[tool.ruff]\nline-length = 120\n",
        "src/mnist_project/config.py": "LR = 0.001\nBATCH_SIZE = 32\n",
    }
    obs = observe(tmp_path, FILES, files)
    assert obs.outcome is Outcome.MISSING
    assert obs.summary == "no configuration folder with config files"


def test_configs_without_hyperparameters_are_partial(tmp_path: Path) -> None:
    vertex = "workerPoolSpecs:\n  machineSpec:\n    machineType: n1-highmem-2\n"
    obs = observe(tmp_path, FILES, {"configs/vertex_ai_train.yaml": vertex})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == (
        "config files (configs/vertex_ai_train.yaml) hold no recognisable experiment settings"
    )
    assert obs.evidence[0].text == "workerPoolSpecs:"


def test_commented_out_settings_and_broken_yaml_do_not_count(tmp_path: Path) -> None:
    files = {
        "configs/config.yaml": "# lr: 0.001\n# batch_size: 32\nname: mnist\n",
        "configs/broken.yaml": "lr: [0.1,\n",
    }
    obs = observe(tmp_path, FILES, files)
    assert obs.outcome is Outcome.PARTIAL
    assert {e.path for e in obs.evidence} == {"configs/config.yaml", "configs/broken.yaml"}


def test_hydra_run_outputs_and_venv_configs_do_not_count(tmp_path: Path) -> None:
    files = {
        "outputs/2026-01-10/12-00-00/.hydra/config.yaml": EXPERIMENT,
        "multirun/2026-01-10/12-00-00/0/.hydra/config.yaml": EXPERIMENT,
        ".venv/lib/python3.11/site-packages/hydra/conf/config.yaml": EXPERIMENT,
        "wandb/run-1/files/config.yaml": EXPERIMENT,
    }
    obs = observe(tmp_path, FILES, files)
    assert obs.outcome is Outcome.MISSING
    assert obs.summary == "no configuration folder with config files"


HF_CONFIG = json.dumps(
    {
        "_name_or_path": "distilbert-base-uncased",
        "architectures": ["DistilBertForSequenceClassification"],
        "dim": 768,
        "dropout": 0.1,
        "model_type": "distilbert",
        "n_layers": 6,
        "vocab_size": 30522,
    },
    indent=2,
)


def test_saved_huggingface_checkpoint_config_is_not_an_experiment_config(
    tmp_path: Path,
) -> None:
    files = {
        "models/sentiment-distilbert/config.json": HF_CONFIG,
        "models/sentiment-distilbert/tokenizer_config.json": '{"do_lower_case": true}',
        TRAIN_PATH: "x = 1\n",
    }
    obs = observe(tmp_path, FILES, files)
    assert obs.outcome is Outcome.MISSING


# --------------------------------------------------------------------------- hydra


def test_hydra_main_is_found_at_the_decorator_line(tmp_path: Path) -> None:
    obs = observe(tmp_path, HYDRA, {TRAIN_PATH: TRAIN})
    assert obs.outcome is Outcome.FOUND
    assert obs.summary == "Hydra entry point(s): 1"
    [ev] = obs.evidence
    assert (ev.path, ev.line) == (TRAIN_PATH, 7)
    assert ev.text == (
        '@hydra.main(config_path="../../configs", config_name="config", version_base=None)'
    )
    assert ev.why == "@hydra.main on train()"


def test_main_imported_from_hydra_is_found(tmp_path: Path) -> None:
    code = TRAIN.replace("import hydra\n", "from hydra import main\n").replace(
        "@hydra.main", "@main"
    )
    obs = observe(tmp_path, HYDRA, {TRAIN_PATH: code})
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].text.startswith("@main(config_path=")


def test_hydra_imported_under_an_alias_is_found(tmp_path: Path) -> None:
    code = TRAIN.replace("import hydra\n", "import hydra as hy\n").replace(
        "@hydra.main", "@hy.main"
    )
    obs = observe(tmp_path, HYDRA, {TRAIN_PATH: code})
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].why == "@hydra.main on train()"


def test_compose_api_only_is_partial(tmp_path: Path) -> None:
    code = (
        "from hydra import compose, initialize\n"
        "\n"
        'with initialize(config_path="../configs", version_base=None):\n'
        '    cfg = compose(config_name="config")\n'
    )
    obs = observe(tmp_path, HYDRA, {TRAIN_PATH: code})
    assert obs.outcome is Outcome.PARTIAL
    assert "compose API only" in obs.summary
    assert [(e.line, e.why) for e in obs.evidence] == [
        (3, "hydra.initialize()"),
        (4, "hydra.compose()"),
    ]


def test_hydra_declared_but_decorator_commented_out_is_partial(tmp_path: Path) -> None:
    code = TRAIN.replace("@hydra.main", "# @hydra.main")
    files = {TRAIN_PATH: code, "requirements.txt": "torch\nhydra-core==1.3.2\n"}
    obs = observe(tmp_path, HYDRA, files)
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == "hydra-core is declared but no code uses it"
    ev = obs.evidence[0]
    assert (ev.path, ev.line, ev.text) == ("requirements.txt", 2, "hydra-core==1.3.2")


def test_commented_out_decorator_without_declaration_is_missing(tmp_path: Path) -> None:
    obs = observe(tmp_path, HYDRA, {TRAIN_PATH: TRAIN.replace("@hydra.main", "# @hydra.main")})
    assert obs.outcome is Outcome.MISSING
    assert obs.summary == "no Hydra use in the code"


def test_omegaconf_alone_is_not_hydra(tmp_path: Path) -> None:
    code = 'from omegaconf import OmegaConf\n\ncfg = OmegaConf.load("configs/config.yaml")\n'
    obs = observe(tmp_path, HYDRA, {TRAIN_PATH: code, "requirements.txt": "omegaconf\n"})
    assert obs.outcome is Outcome.MISSING
    assert obs.summary == "no Hydra use in the code"


def test_hydra_apps_inside_a_committed_venv_do_not_count(tmp_path: Path) -> None:
    files = {
        ".venv/lib/python3.11/site-packages/hydra_app/train.py": TRAIN,
        "venv/train.py": TRAIN,
        TRAIN_PATH: "print('no hydra')\n",
    }
    obs = observe(tmp_path, HYDRA, files)
    assert obs.outcome is Outcome.MISSING
    assert obs.evidence == []


def test_transformers_style_training_config_is_found(tmp_path: Path) -> None:
    text = (
        "model_name: distilbert-base-uncased\n"
        "training:\n"
        "  num_train_epochs: 3\n"
        "  per_device_train_batch_size: 16\n"
        "  warmup_steps: 500\n"
    )
    obs = observe(tmp_path, FILES, {"configs/config.yaml": text})
    assert obs.outcome is Outcome.FOUND
