from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.repo.formats.dvc import (
    DvcPath,
    parse_dvc_config,
    parse_dvc_file,
    parse_dvc_yaml,
    remote_kind,
)

CONFIG = """\
[core]
    remote = remote_storage   # the bucket
    autostage = true
['remote "remote_storage"']
    url = gs://mlops-group-42-data/   ; created in week 2
    version_aware = true
[remote "drive"]
url = gdrive://1AbCdEfGhIjK
gdrive_acknowledge_abuse = true
["remote \\"local\\""]
    url = /tmp/dvcstore
"""


def test_config_with_quoted_sections_and_inline_comments() -> None:
    config = parse_dvc_config(".dvc/config", CONFIG)
    assert config.error is None and config.problems == []
    assert config.default_remote == "remote_storage" and config.default_remote_line == 2
    assert config.autostage is True
    assert [(r.name, r.url, r.kind, r.line, r.section_line) for r in config.remotes] == [
        ("remote_storage", "gs://mlops-group-42-data/", "gcs", 5, 4),
        ("drive", "gdrive://1AbCdEfGhIjK", "gdrive", 8, 7),
        ("local", "/tmp/dvcstore", "local", 11, 10),
    ]
    assert config.remotes[0].options == {"version_aware": "true"}
    default = config.remote()
    assert default is not None and default.kind == "gcs"
    assert config.remote("drive") is config.remotes[1]
    assert config.sections['remote "remote_storage"'] == 4


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("gs://b/p", "gcs"),
        ("s3://bucket/key", "s3"),
        ("azure://container/path", "azure"),
        ("gdrive://folder-id", "gdrive"),
        ("https://example.com/dvc", "http"),
        ("http://example.com/dvc", "http"),
        ("ssh://user@host/path", "ssh"),
        ("hdfs://user@host/path", "hdfs"),
        ("webdavs://example.com/remote.php", "webdav"),
        ("oss://bucket/path", "oss"),
        ("../dvc-storage", "local"),
        ("C:\\dvc\\store", "local"),
        ("file:///tmp/x", "local"),
        ("foo://x", "unknown"),
        ("", "unknown"),
    ],
)
def test_remote_kind(url: str, kind: str) -> None:
    assert remote_kind(url) == kind


def test_config_tolerates_junk_lines() -> None:
    text = 'orphan = 1\n[core]\nthis is not a key\nremote=x\n[remote "x"]\nurl=s3://b\n'
    config = parse_dvc_config(".dvc/config", text)
    assert config.error is None
    assert config.default_remote == "x" and config.remotes[0].kind == "s3"
    assert config.problems == [
        "line 1: key outside any section",
        "line 3: not a key = value line",
    ]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("\x00\x01junk", "binary"), ("just some words\n", "no sections")],
)
def test_config_broken(text: str, fragment: str) -> None:
    config = parse_dvc_config(".dvc/config", text)
    assert config.error is not None and fragment in config.error


def test_config_empty() -> None:
    config = parse_dvc_config(".dvc/config", "")
    assert config.error is None and config.remotes == [] and config.default_remote is None


DVC_POINTER = """\
outs:
- md5: 3c5f2a1b7e0d9c8b7a6f5e4d3c2b1a00.dir
  size: 54675830
  nfiles: 10
  hash: md5
  path: raw
"""


def test_dvc_pointer_file() -> None:
    dvc = parse_dvc_file("data/raw.dvc", DVC_POINTER)
    assert dvc.error is None
    (out,) = dvc.outs
    assert out.path == "raw" and out.line == 2
    assert out.md5 == "3c5f2a1b7e0d9c8b7a6f5e4d3c2b1a00.dir" and out.is_dir
    assert out.size == 54675830 and out.nfiles == 10 and out.hash_name == "md5"


def test_dvc_import_file() -> None:
    text = (
        "md5: abc\nfrozen: true\ndeps:\n- path: data/x\n  repo:\n    url: https://github.com/o/r\n"
        "outs:\n- md5: 0123\n  path: x\n  cache: false\n"
    )
    dvc = parse_dvc_file("x.dvc", text)
    assert dvc.frozen and dvc.deps[0].path == "data/x"
    assert dvc.outs[0].line == 8 and not dvc.outs[0].cache and not dvc.outs[0].is_dir


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("outs: [\n", "YAML error"),
        ("", "empty"),
        ("- path: a\n", "mapping"),
        ("outs:\n- md5: x\n", "no outs"),
        ("\x00\x01", "YAML error"),
        ("outs:\n\t- path: a\n", "YAML error"),
    ],
)
def test_dvc_file_broken(text: str, fragment: str) -> None:
    dvc = parse_dvc_file("x.dvc", text)
    assert dvc.error is not None and fragment in dvc.error


PIPELINE = """\
stages:
  preprocess:
    cmd: python src/project/data.py data/raw data/processed
    deps:
      - src/project/data.py
      - data/raw
    outs:
      - data/processed
  train:
    cmd:
      - python src/project/train.py
      - python src/project/evaluate.py
    deps: [data/processed]
    params:
      - configs/params.yaml:
          - lr
          - epochs
      - seed
    outs:
      - models/model.pt:
          cache: false
    metrics:
      - reports/metrics.json:
          cache: false
  sweep:
    foreach: [1, 2]
    do:
      cmd: python train.py --seed ${item}
"""


def test_dvc_yaml_pipeline() -> None:
    pipe = parse_dvc_yaml("dvc.yaml", PIPELINE)
    assert pipe.error is None
    assert [(s.name, s.line) for s in pipe.stages] == [
        ("preprocess", 2),
        ("train", 9),
        ("sweep", 25),
    ]
    pre = pipe.stage("preprocess")
    assert pre is not None
    assert pre.cmd == ("python src/project/data.py data/raw data/processed",)
    assert pre.cmd_line == 3
    assert pre.deps == (DvcPath("src/project/data.py", 5), DvcPath("data/raw", 6))
    assert pre.outs == (DvcPath("data/processed", 8),)
    train = pipe.stage("train")
    assert train is not None
    assert train.cmd == ("python src/project/train.py", "python src/project/evaluate.py")
    assert train.deps == (DvcPath("data/processed", 13),)
    assert [p.path for p in train.params] == [
        "configs/params.yaml:lr",
        "configs/params.yaml:epochs",
        "seed",
    ]
    assert train.outs == (DvcPath("models/model.pt", 20, cache=False),)
    assert train.metrics[0].path == "reports/metrics.json"
    sweep = pipe.stage("sweep")
    assert sweep is not None and sweep.foreach and sweep.cmd == ("python train.py --seed ${item}",)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("stages: [\n", "YAML error"),
        ("", "empty"),
        ("- a\n- b\n", "mapping"),
        ("stages: [a, b]\n", "no 'stages'"),
    ],
)
def test_dvc_yaml_broken(text: str, fragment: str) -> None:
    pipe = parse_dvc_yaml("dvc.yaml", text)
    assert pipe.error is not None and fragment in pipe.error


def test_dvc_yaml_odd_stage_shapes() -> None:
    pipe = parse_dvc_yaml("dvc.yaml", "stages:\n  a: null\n  b:\n    deps: 5\n    outs: [1, {}]\n")
    assert pipe.error is None
    assert [s.name for s in pipe.stages] == ["a", "b"]
    assert pipe.stages[1].deps == () and pipe.stages[1].outs == (DvcPath("1", 5),)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_dvc_parsers_never_raise(text: str) -> None:
    assert parse_dvc_config(".dvc/config", text).path == ".dvc/config"
    parse_dvc_file("x.dvc", text)
    parse_dvc_yaml("dvc.yaml", text)


def test_version_aware_dvc_file_lists_files() -> None:
    text = """\
outs:
- hash: md5
  path: enriched
  files:
  - relpath: diabetes_dataset.csv
    md5: 18ce83f9fa0a79cf8ebceb477a236494
    size: 17266833
    cloud:
      remote_storage:
        etag: 08ef90e5f6c3a192031001
        version_id: '1769166803126383'
  - relpath: sub/labels.csv
    md5: 00
"""
    (out,) = parse_dvc_file("data/enriched.dvc", text).outs
    assert out.files == ("diabetes_dataset.csv", "sub/labels.csv")
    assert out.is_dir and out.md5 is None and out.hash_name == "md5"
