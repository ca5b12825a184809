from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.repo.formats.dockerfile import Flag, parse_dockerfile

MULTI_STAGE = """\
# syntax=docker/dockerfile:1.7
ARG PYTHON_VERSION=3.11
FROM --platform=$BUILDPLATFORM python:${PYTHON_VERSION}-slim AS base

RUN apt update && \\
    apt install --no-install-recommends -y build-essential gcc && \\
    # clean up in the same layer
    apt clean && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY --chown=1000:1000 pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --no-install-project
ENV PYTHONUNBUFFERED=1 \\
    WANDB_MODE=offline

FROM base AS train
COPY --from=base /app/.venv /app/.venv
COPY src src/
EXPOSE 8000 9090/udp
ENTRYPOINT ["uv", "run", "python", "-u", "src/project/train.py"]
"""


def test_multi_stage_build() -> None:
    df = parse_dockerfile("dockerfiles/train.dockerfile", MULTI_STAGE)
    assert df.error is None
    assert df.directives == {"syntax": "docker/dockerfile:1.7"}
    assert [i.keyword for i in df.instructions] == [
        "ARG",
        "FROM",
        "RUN",
        "WORKDIR",
        "COPY",
        "RUN",
        "ENV",
        "FROM",
        "COPY",
        "COPY",
        "EXPOSE",
        "ENTRYPOINT",
    ]
    base, train = df.stages
    assert base.image == "python:${PYTHON_VERSION}-slim"
    assert base.image_resolved == "python:3.11-slim"
    assert base.alias == "base" and base.line == 3
    assert base.platform == "$BUILDPLATFORM"
    assert train.image == "base" and train.alias == "train" and train.line == 16

    run = df.runs()[0]
    assert run.line == 5 and run.end_line == 8
    assert "clean up" not in run.args
    assert run.args.startswith("apt update && apt install")
    assert run.raw == "RUN apt update && \\"

    cached = df.runs()[1]
    assert cached.flags == (Flag("mount", "type=cache,target=/root/.cache/uv"),)
    assert cached.flag("mount") == "type=cache,target=/root/.cache/uv"
    assert cached.arguments[:2] == ("uv", "sync")
    assert cached.line == 12

    chown, from_base, src = df.copies
    assert chown.flags == (Flag("chown", "1000:1000"),)
    assert chown.sources == ("pyproject.toml", "uv.lock") and chown.dest == "./"
    assert chown.from_stage is None
    assert from_base.from_stage == "base" and from_base.sources == ("/app/.venv",)
    assert from_base.line == 17 and from_base.stage == 1
    assert src.dest == "src/"

    assert df.entrypoint is not None
    assert df.entrypoint.exec_form
    assert df.entrypoint.argv == ("uv", "run", "python", "-u", "src/project/train.py")
    assert df.entrypoint.line == 20
    assert df.cmd is None
    assert [(p.port, p.protocol, p.line) for p in df.exposed] == [
        ("8000", "tcp", 19),
        ("9090", "udp", 19),
    ]
    # inherited from the base stage through ``FROM base``
    assert df.workdir == "/app"
    assert df.env["WANDB_MODE"].value == "offline" and df.env["WANDB_MODE"].line == 13
    assert df.args == {"PYTHON_VERSION": "3.11"}


def test_final_stage_does_not_inherit_from_unrelated_stage() -> None:
    text = """\
FROM python:3.11 AS builder
WORKDIR /build
CMD ["python", "build.py"]

FROM python:3.11-slim
CMD uvicorn app.main:app --host 0.0.0.0 --port $PORT
"""
    df = parse_dockerfile("Dockerfile", text)
    assert df.workdir is None
    assert df.cmd is not None and not df.cmd.exec_form
    assert df.cmd.argv[:2] == ("uvicorn", "app.main:app")
    assert df.cmd.line == 6
    assert df.final_stage is not None and df.final_stage.alias is None
    assert df.final_stage.name == "1"


def test_last_entrypoint_wins() -> None:
    text = 'FROM ubuntu\nENTRYPOINT ["a"]\nENTRYPOINT ["b"]\n'
    df = parse_dockerfile("Dockerfile", text)
    assert df.entrypoint is not None and df.entrypoint.argv == ("b",)


def test_heredoc_is_skipped() -> None:
    text = """\
FROM python:3.12
RUN <<EOF
pip install torch
FROM not-a-stage
EOF
RUN <<-'SCRIPT' bash
\techo one
\tSCRIPT
COPY <<CONF /etc/app.conf
x = 1
CONF
CMD ["python"]
"""
    df = parse_dockerfile("Dockerfile", text)
    assert df.error is None
    assert [i.keyword for i in df.instructions] == ["FROM", "RUN", "RUN", "COPY", "CMD"]
    assert len(df.stages) == 1
    assert df.runs()[0].heredocs == ("pip install torch\nFROM not-a-stage",)
    assert df.of("cmd")[0].line == 12


def test_escape_directive_backtick() -> None:
    text = "# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir `\n    C:\\\\\nWORKDIR C:\\app\n"
    df = parse_dockerfile("Dockerfile", text)
    assert df.directives == {"escape": "`"}
    assert df.runs()[0].args == "dir C:\\\\"
    assert df.workdir == "C:\\app"


def test_blank_and_comment_lines_inside_continuation() -> None:
    text = "FROM x\nRUN pip install \\\n\n    # a comment\n    numpy\nCMD a\n"
    df = parse_dockerfile("Dockerfile", text)
    assert df.runs()[0].args == "pip install numpy"
    assert df.runs()[0].end_line == 5
    assert df.of("CMD")[0].line == 6


def test_lowercase_keywords_legacy_env_and_add() -> None:
    text = (
        "from python:3.10 as Base\n"
        "env MODEL_DIR /models\n"
        "add --checksum=sha256:abc https://example.com/a.tar.gz /tmp/\n"
    )
    df = parse_dockerfile("Dockerfile", text)
    assert df.stages[0].alias == "Base"
    assert df.env["MODEL_DIR"].value == "/models"
    (add,) = df.copies
    assert add.keyword == "ADD"
    assert add.sources == ("https://example.com/a.tar.gz",)
    assert add.flags == (Flag("checksum", "sha256:abc"),)


def test_copy_exec_form_and_flag_without_value() -> None:
    text = 'FROM x\nCOPY --link ["my file.txt", "/app/"]\n'
    (copy,) = parse_dockerfile("Dockerfile", text).copies
    assert copy.sources == ("my file.txt",) and copy.dest == "/app/"
    assert copy.flags == (Flag("link", None),)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "no instructions"),
        ("# only a comment\n\n", "no instructions"),
        ("\x00\x01ELF\x02", "binary"),
        ("FROM python\n=== not docker ===\n", "not an instruction at line 2"),
    ],
)
def test_broken_inputs(text: str, fragment: str) -> None:
    df = parse_dockerfile("Dockerfile", text)
    assert df.error is not None and fragment in df.error


def test_odd_inputs_do_not_raise() -> None:
    for text in [
        "FROM\n",
        "RUN echo 'unbalanced\n",
        "COPY\n",
        "ENV\n",
        "RUN <<EOF\nno terminator\n",
        "FROM x \\",
        'ENTRYPOINT ["a", 1]\n',
        "FROM a AS\n",
        "\ufeffFROM a\n",
    ]:
        df = parse_dockerfile("Dockerfile", text)
        assert df.instructions, text
    df = parse_dockerfile("Dockerfile", 'ENTRYPOINT ["a", 1]\n')
    assert df.entrypoint is not None and not df.entrypoint.exec_form


_DOCKERISH = st.text(
    alphabet=st.sampled_from(list("FROM RUN COPY --from=a AS x \\\n#<<EOF[]\"',=`")), max_size=200
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(_DOCKERISH, st.text(max_size=200)))
def test_never_raises(text: str) -> None:
    df = parse_dockerfile("Dockerfile", text)
    assert df.error is None or isinstance(df.error, str)


def test_shift_operator_and_unterminated_heredoc_are_not_heredocs() -> None:
    text = (
        'FROM python:3.11\nRUN python -c "print(1<<N)"\nRUN cat <<EOF\nWORKDIR /app\n'
        'CMD ["python"]\n'
    )
    df = parse_dockerfile("Dockerfile", text)
    assert [i.keyword for i in df.instructions] == ["FROM", "RUN", "RUN", "WORKDIR", "CMD"]
    assert df.runs()[1].heredocs == ()
    assert df.workdir == "/app"
