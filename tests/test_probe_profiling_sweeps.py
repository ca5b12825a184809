from __future__ import annotations

import json
from pathlib import Path

from conftest import checkout, commit_files, create_branch, make_repo
from probe_helpers import observe

from verifier.engine.registry import probe_for
from verifier.findings import Origin, Outcome
from verifier.repo.snapshot import open_snapshot

PROFILING = "M12.profiling"
SWEEP = "M14.sweep"

TORCH_PROFILE = """\
import torch
from torch.profiler import ProfilerActivity, profile


def run(model: torch.nn.Module) -> None:
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        model(torch.ones(1))
    print(prof.key_averages().table())
"""


def test_torch_profiler_call_is_found(tmp_path: Path) -> None:
    obs = observe(tmp_path, PROFILING, {"src/pkg/profiling.py": TORCH_PROFILE})
    assert obs.outcome is Outcome.FOUND
    ev = obs.evidence[0]
    assert (ev.path, ev.line) == ("src/pkg/profiling.py", 6)
    assert ev.text.startswith("with profile(activities")
    assert ev.why == "profiles with torch.profiler"


def test_cprofile_in_a_makefile_recipe_and_committed_output(tmp_path: Path) -> None:
    makefile = "PROFILE = default\n\nprofile:\n\tpython -m cProfile -o out.prof train.py\n"
    files = {"Makefile": makefile, "profiling/out.prof": b"\x00\x01binary"}
    obs = observe(tmp_path, PROFILING, files)
    assert obs.outcome is Outcome.FOUND
    assert [(e.path, e.line) for e in obs.evidence] == [
        ("Makefile", 4),
        ("profiling/out.prof", None),
    ]


def test_makefile_variable_named_profile_is_not_profiling(tmp_path: Path) -> None:
    # The cookiecutter-data-science Makefile sets ``PROFILE = default`` for AWS.
    obs = observe(tmp_path, PROFILING, {"Makefile": "PROFILE = default\nPROJECT_NAME = p\n"})
    # No profiling found; local profiling leaves no trace, so it is for a person to judge.
    assert obs.outcome is Outcome.NOT_VERIFIABLE


def test_invoke_task_and_lightning_profiler(tmp_path: Path) -> None:
    tasks = 'from invoke import task\n\n\n@task\ndef prof(c):\n    c.run("snakeviz profile.prof")\n'
    trainer = "import lightning as L\n\ntrainer = L.Trainer(\n    profiler='simple',\n)\n"
    obs = observe(tmp_path, PROFILING, {"tasks.py": tasks, "src/pkg/train.py": trainer})
    assert obs.outcome is Outcome.FOUND
    whys = {(e.path, e.line): e.why for e in obs.evidence}
    assert whys[("src/pkg/train.py", 4)] == "Lightning Trainer profiler"
    assert whys[("tasks.py", 6)] == "runs snakeviz"


def test_profiling_magic_in_a_notebook(tmp_path: Path) -> None:
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": ["# prof"]},
            {"cell_type": "code", "source": ["%prun train()\n"]},
        ],
        "nbformat": 4,
    }
    obs = observe(tmp_path, PROFILING, {"notebooks/speed.ipynb": json.dumps(nb, indent=1)})
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].path == "notebooks/speed.ipynb"


def test_import_only_declared_only_and_commented_are_partial_or_missing(
    tmp_path: Path,
) -> None:
    obs = observe(tmp_path / "a", PROFILING, {"src/pkg/train.py": "import cProfile\n"})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == "a profiler is imported but never called"
    obs = observe(tmp_path / "b", PROFILING, {"requirements.txt": "torch\nsnakeviz==2.2\n"})
    assert obs.outcome is Outcome.PARTIAL
    assert (obs.evidence[0].path, obs.evidence[0].line) == ("requirements.txt", 2)
    commented = "# import cProfile\n# cProfile.run('main()')\nprint('profile')\n"
    obs = observe(tmp_path / "c", PROFILING, {"src/pkg/train.py": commented})
    assert obs.outcome is Outcome.NOT_VERIFIABLE
    assert not obs.evidence


def test_profiling_only_documented_is_partial(tmp_path: Path) -> None:
    doc = "# Profiling\n\n```bash\nuv run python -m cProfile \\\n  -o p.prof train.py\n```\n"
    obs = observe(tmp_path, PROFILING, {"docs/source/profiling.md": doc})
    assert obs.outcome is Outcome.PARTIAL
    assert (obs.evidence[0].path, obs.evidence[0].line) == ("docs/source/profiling.md", 4)


# ---------------------------------------------------------------- sweeps

SWEEP_YAML = """\
program: src/pkg/train.py
method: bayes
metric:
  name: val_loss
  goal: minimize
parameters:
  lr:
    min: 0.0001
    max: 0.1
"""


def test_wandb_sweep_config_is_found(tmp_path: Path) -> None:
    obs = observe(tmp_path, SWEEP, {"configs/sweep.yaml": SWEEP_YAML})
    assert obs.outcome is Outcome.FOUND
    ev = obs.evidence[0]
    assert (ev.path, ev.line, ev.text) == ("configs/sweep.yaml", 2, "method: bayes")


def test_sweep_config_without_method_is_partial(tmp_path: Path) -> None:
    text = SWEEP_YAML.replace("method: bayes\n", "")
    obs = observe(tmp_path, SWEEP, {"configs/sweep.yaml": text})
    assert obs.outcome is Outcome.PARTIAL
    assert "no search method" in obs.evidence[0].why


def test_optuna_study_and_wandb_agent_calls(tmp_path: Path) -> None:
    code = (
        "import optuna\nimport wandb as wb\n\n\ndef main():\n"
        "    study = optuna.create_study(direction='minimize')\n"
        "    wb.agent('abc', function=main)\n"
    )
    obs = observe(tmp_path, SWEEP, {"src/pkg/tune.py": code})
    assert obs.outcome is Outcome.FOUND
    assert [(e.line, e.why) for e in obs.evidence] == [
        (6, "Optuna study"),
        (7, "runs a W&B sweep agent"),
    ]


def test_hydra_multirun_command_and_sweeper_config(tmp_path: Path) -> None:
    script = "#!/bin/bash\npython src/pkg/train.py -m \\\n  lr=0.1,0.01 batch_size=16,32\n"
    obs = observe(tmp_path / "a", SWEEP, {"sweep.sh": script})
    assert obs.outcome is Outcome.FOUND
    assert (obs.evidence[0].path, obs.evidence[0].line) == ("sweep.sh", 2)
    config = "defaults:\n  - _self_\n  - override hydra/sweeper: optuna\n"
    obs = observe(tmp_path / "b", SWEEP, {"configs/config.yaml": config})
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].line == 3


def test_traps_coverage_m_flag_hydra_sweep_dir_and_commented_sweep(tmp_path: Path) -> None:
    files = {
        "Makefile": 'test:\n\tcoverage report -m --omit="tests/*,setup.py"\n',
        "configs/config.yaml": "hydra:\n  sweep:\n    dir: multirun/${now:%H}\n",
        "configs/sweep.yaml": "# method: bayes\n# parameters:\n#   lr: {min: 0.1}\n",
    }
    obs = observe(tmp_path, SWEEP, files)
    assert obs.outcome is Outcome.MISSING, obs.summary


def test_search_library_declared_only_is_partial(tmp_path: Path) -> None:
    obs = observe(tmp_path, SWEEP, {"requirements.txt": "torch\noptuna>=3\n"})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.evidence[0].text == "optuna>=3"


def test_work_only_on_another_branch_is_named_not_counted(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"src/pkg/train.py": "print('train')\n"})
    create_branch(repo, "feature/profiling", checkout=True)
    commit_files(repo, {"src/pkg/profiling.py": TORCH_PROFILE})
    checkout(repo, "main")
    snap = open_snapshot(repo.working_tree_dir or "", ref="main")
    spec = probe_for(PROFILING)
    assert spec is not None
    obs = spec.func(snap)
    assert obs.outcome is Outcome.NOT_VERIFIABLE
    assert obs.evidence[0].origin is Origin.OTHER_BRANCH
    assert obs.evidence[0].text == "branch feature/profiling"
