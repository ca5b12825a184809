from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.repo.formats.workflow import parse_workflow

TEMPLATE_TESTS = """\
name: Unit Tests

on:
  push:
    branches: [ master, main ]
    paths-ignore:
      - "reports/**"
  pull_request:
    branches: [ master, main ]
    paths: ["src/**", "tests/**"]

jobs:
  test:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: ["ubuntu-latest", "windows-latest", "macos-latest"]
        python-version: ["3.12", "3.11"]

    steps:
    - uses: actions/checkout@v4
    - name: Set up Python ${{ matrix.python-version }}
      uses: actions/setup-python@v5
      with:
        python-version: ${{ matrix.python-version }}
        cache: 'pip'
        cache-dependency-path: setup.py
    - name: Install dependencies
      run: |
        python -m pip install -U pip setuptools wheel
        # the project itself
        pip install -r requirements.txt \\
            -r requirements_dev.txt
        pip list  # for the log
    - name: Run tests & coverage
      run: |
        coverage run -m pytest tests/
        coverage report -m
"""


def test_template_workflow_jobs_matrix_and_lines() -> None:
    wf = parse_workflow(".github/workflows/tests.yaml", TEMPLATE_TESTS)
    assert wf.error is None
    assert wf.name == "Unit Tests"
    assert set(wf.triggers) == {"push", "pull_request"}
    assert wf.trigger_line == 3
    assert wf.paths == {
        "push": {"paths-ignore": ["reports/**"]},
        "pull_request": {"paths": ["src/**", "tests/**"]},
    }
    assert wf.branches["push"] == {"branches": ["master", "main"]}
    (job,) = wf.jobs
    assert job.id == "test" and job.line == 13
    assert job.runs_on_raw == "${{ matrix.os }}"
    assert job.runs_on == ["ubuntu-latest", "windows-latest", "macos-latest"]
    assert job.oses == {"ubuntu-latest", "windows-latest", "macos-latest"}
    assert job.os_families() == {"linux", "windows", "macos"}
    assert job.python_versions == {"3.12", "3.11"}
    assert job.matrix == {
        "os": ["ubuntu-latest", "windows-latest", "macos-latest"],
        "python-version": ["3.12", "3.11"],
    }
    assert len(job.matrix_combinations) == 6
    assert job.matrix_line == 16
    assert [s.line for s in job.steps] == [21, 22, 28, 35]
    (setup,) = job.uses("actions/setup-python")
    assert setup.with_["cache"] == "pip"
    assert setup.action == "actions/setup-python" and setup.action_ref == "v5"
    assert setup.with_lines["cache"] == 26
    install = job.steps[2]
    assert install.run_line == 30
    assert install.run_commands() == [
        (30, "python -m pip install -U pip setuptools wheel"),
        (32, "pip install -r requirements.txt -r requirements_dev.txt"),
        (34, "pip list"),
    ]
    assert len(wf.all_steps()) == 4
    assert wf.all_steps()[0][0] is job


@pytest.mark.parametrize("on", ["[push]", "push", "'on'", '"on"'])
def test_on_forms(on: str) -> None:
    if on in ("'on'", '"on"'):
        text = f"{on}: [push, pull_request]\njobs: {{}}\n"
        expected = {"push", "pull_request"}
    else:
        text = f"on: {on}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: []\n"
        expected = {"push"}
    wf = parse_workflow("w.yml", text)
    assert wf.error is None
    assert set(wf.triggers) == expected
    assert wf.trigger_line == 1


def test_on_mapping_with_schedule_and_dispatch() -> None:
    text = "on:\n  workflow_dispatch:\n  schedule:\n    - cron: '0 0 * * 1'\njobs: {}\n"
    wf = parse_workflow("w.yml", text)
    assert wf.triggers == {"workflow_dispatch": None, "schedule": [{"cron": "0 0 * * 1"}]}


def test_include_only_keys_and_exclude() -> None:
    text = """\
on: push
jobs:
  test:
    runs-on: ${{ matrix.runner }}
    strategy:
      matrix:
        python: ["3.11", "3.12"]
        runner: [ubuntu-latest, windows-latest]
        exclude:
          - runner: windows-latest
            python: "3.11"
        include:
          - runner: macos-14
            python: "3.10"
          - runner: ubuntu-latest
            experimental: true
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.python }}
"""
    job = parse_workflow("w.yml", text).jobs[0]
    assert job.oses == {"ubuntu-latest", "windows-latest", "macos-14"}
    assert job.python_versions == {"3.10", "3.11", "3.12"}
    assert job.matrix["experimental"] == [True]
    combos = job.matrix_combinations
    assert {"python": "3.11", "runner": "windows-latest"} not in combos
    assert {"python": "3.11", "runner": "ubuntu-latest", "experimental": True} in combos
    assert {"runner": "macos-14", "python": "3.10"} in combos
    assert len(combos) == 4


def test_os_only_in_include() -> None:
    text = """\
on: [push]
jobs:
  build:
    strategy:
      matrix:
        include:
          - os: ubuntu-22.04
          - os: macos-latest
    runs-on: ${{ matrix.os }}
    steps:
      - run: echo hi
"""
    job = parse_workflow("w.yml", text).jobs[0]
    assert job.oses == {"ubuntu-22.04", "macos-latest"}
    assert job.python_versions == set()


def test_exclude_can_remove_an_os_entirely() -> None:
    text = """\
on: push
jobs:
  t:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, windows-latest]
        exclude:
          - os: windows-latest
    steps: []
"""
    job = parse_workflow("w.yml", text).jobs[0]
    assert job.oses == {"ubuntu-latest"}
    assert job.matrix == {"os": ["ubuntu-latest"]}


def test_setup_uv_with_cache_and_version_file() -> None:
    text = """\
name: CI
on:
  pull_request:
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Install uv
        uses: astral-sh/setup-uv@v5
        with:
          enable-cache: true
          cache-dependency-glob: "uv.lock"
      - uses: actions/setup-python@v5
        with:
          python-version-file: ".python-version"
      - run: uv sync --all-extras --dev
      - run: uv run ruff check .
"""
    wf = parse_workflow("ci.yml", text)
    job = wf.jobs[0]
    (uv,) = job.uses("astral-sh/setup-uv")
    assert uv.with_["enable-cache"] is True
    assert uv.line == 9
    assert job.python_version_files == [".python-version"]
    assert job.oses == {"ubuntu-latest"}
    assert job.steps[-1].run_commands() == [(18, "uv run ruff check .")]
    assert [s for _, s in wf.uses("astral-sh/")] == [uv]


def test_python_version_float_and_multiline() -> None:
    text = """\
on: push
jobs:
  a:
    runs-on: [self-hosted, linux]
    strategy:
      matrix:
        python-version: [3.10, 3.9]
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: |
            3.12
            3.13
"""
    job = parse_workflow("w.yml", text).jobs[0]
    # YAML 1.1 reads 3.10 as 3.1, and so does GitHub
    assert job.python_versions == {"3.1", "3.9", "3.12", "3.13"}
    assert job.runs_on == ["self-hosted", "linux"]
    assert job.oses == set()


def test_unknown_matrix_key_left_as_written() -> None:
    text = "on: push\njobs:\n  a:\n    runs-on: ${{ matrix.os }}\n    steps: []\n"
    job = parse_workflow("w.yml", text).jobs[0]
    assert job.runs_on == ["${{ matrix.os }}"]
    assert job.oses == set()


def test_dynamic_matrix_and_reusable_workflow() -> None:
    text = """\
on: push
jobs:
  call:
    uses: ./.github/workflows/reusable.yml
  dyn:
    needs: call
    runs-on: ubuntu-latest
    strategy:
      matrix: ${{ fromJSON(needs.call.outputs.matrix) }}
    steps: []
"""
    wf = parse_workflow("w.yml", text)
    assert wf.jobs[0].uses_workflow == "./.github/workflows/reusable.yml"
    assert wf.jobs[0].steps == []
    assert wf.jobs[1].matrix_dynamic and wf.jobs[1].needs == ["call"]


def test_run_commands_quotes_and_comments() -> None:
    text = """\
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: 'echo "a # not a comment" # a comment'
      - run: |

          # only a comment
          docker build \\
            -f dockerfiles/train.dockerfile \\
            . -t train:latest
"""
    steps = parse_workflow("w.yml", text).jobs[0].steps
    assert steps[0].run_commands() == [(6, 'echo "a # not a comment"')]
    assert steps[1].run_commands() == [
        (10, "docker build -f dockerfiles/train.dockerfile . -t train:latest")
    ]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("on: [push\njobs: {}\n", "YAML error"),
        ("on: push\njobs:\n\ta: 1\n", "YAML error at line 3"),
        ("", "empty"),
        ("- on: push\n- jobs: {}\n", "not a mapping"),
        ("just a string", "not a mapping"),
        ("\x00\x01\x02binary\xff", "YAML error"),
        ("on: push\njobs: [a, b]\n", "'jobs' is not a mapping"),
        ("a: !!python/object/apply:os.system ['echo']\n", "YAML error"),
    ],
)
def test_broken_inputs_give_error(text: str, fragment: str) -> None:
    wf = parse_workflow("w.yml", text)
    assert wf.error is not None and fragment in wf.error


def test_odd_shapes_do_not_raise() -> None:
    text = """\
on: 42
jobs:
  a: null
  b:
    runs-on: {group: big, labels: [ubuntu-latest]}
    strategy:
      matrix:
        os: {nested: map}
        include: [1, 2]
    steps: [1, "x", null, {uses: 5, with: [1]}]
"""
    wf = parse_workflow("w.yml", text)
    assert wf.error is None
    assert wf.triggers == {}
    assert wf.jobs[0].steps == []
    b = wf.jobs[1]
    assert b.runs_on == ["ubuntu-latest"]
    assert [s.uses for s in b.steps] == ["5"]


_YAMLISH = st.text(
    alphabet=st.sampled_from(list("on:jobs-[]{}\n \t'\"#&*|>$.{}matrixos\\")), max_size=200
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(_YAMLISH, st.text(max_size=200)))
def test_never_raises(text: str) -> None:
    wf = parse_workflow("w.yml", text)
    for _job, step in wf.all_steps():
        step.run_commands()


def test_python_versions_from_uv_commands_and_env() -> None:
    text = """\
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    env:
      UV_PYTHON: "3.11"
    strategy:
      matrix:
        py: ["3.13"]
    steps:
      - uses: astral-sh/setup-uv@v7
      - run: |
          uv python install 3.12 ${{ matrix.py }}
          uv sync --python 3.10 && uv run pytest
      - run: uv python install
"""
    job = parse_workflow("w.yml", text).jobs[0]
    assert job.python_versions == {"3.10", "3.11", "3.12", "3.13"}


def test_oversized_yaml_is_refused() -> None:
    wf = parse_workflow("w.yml", "on: push\n" + "# padding\n" * 250_000)
    assert wf.error is not None and "too large" in wf.error


def test_expression_inside_a_label() -> None:
    text = """\
on: push
jobs:
  a:
    runs-on: ubuntu-${{ matrix.ver }}
    strategy:
      matrix:
        ver: ["22.04", latest]
        minor: [11]
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: "3.${{ matrix.minor }}"
"""
    job = parse_workflow("w.yml", text).jobs[0]
    assert job.runs_on == ["ubuntu-22.04", "ubuntu-latest"]
    assert job.oses == {"ubuntu-22.04", "ubuntu-latest"}
    assert job.python_versions == {"3.11"}
