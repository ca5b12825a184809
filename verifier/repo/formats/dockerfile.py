"""Dockerfiles, parsed into line-numbered instructions with their flags taken apart.

Follows the BuildKit front end's reading of the file: parser directives (``# escape=``,
``# syntax=``) at the very top, line continuations with the escape character, comment and
blank lines inside a continuation skipped, heredocs (``RUN <<EOF``) consumed up to their
terminator. Leading ``--flag=value`` options of ``FROM``, ``RUN``, ``COPY``, ``ADD`` and
``HEALTHCHECK`` are split off, so that ``FROM --platform=$BUILDPLATFORM python:3.11`` has the
image ``python:3.11`` and ``COPY --from=base /app /app`` copies ``/app`` from stage ``base``.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field

_FLAG_KEYWORDS = {"FROM", "RUN", "COPY", "ADD", "HEALTHCHECK"}
_HEREDOC = re.compile(r"(?:^|(?<=\s))<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2(?=\s|$)")
_DIRECTIVE = re.compile(r"^#\s*([A-Za-z]+)\s*=\s*(.*?)\s*$")
_KEYWORD = re.compile(r"^([A-Za-z]+)(?:\s+(.*))?$", re.DOTALL)
_FLAG = re.compile(r"^--([A-Za-z][A-Za-z0-9-]*)(?:=(\"[^\"]*\"|'[^']*'|\S*))?(?:\s+|$)")
_VAR = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}?")


@dataclass(frozen=True)
class Flag:
    name: str
    value: str | None


@dataclass(frozen=True)
class Instruction:
    """One instruction; ``line`` is its first physical line, ``end_line`` its last."""

    line: int
    end_line: int
    keyword: str  # upper case
    flags: tuple[Flag, ...]
    args: str  # the text after the keyword and the flags, continuations joined
    arguments: tuple[str, ...]  # exec-form JSON list, or shell-like words
    exec_form: bool
    raw: str  # the first physical line as written
    stage: int  # index of the stage the instruction belongs to, -1 before the first FROM
    heredocs: tuple[str, ...] = ()

    def flag(self, name: str) -> str | None:
        """Value of the last ``--name`` flag (``""`` when given without a value)."""
        value = None
        for f in self.flags:
            if f.name == name:
                value = f.value if f.value is not None else ""
        return value

    def flag_values(self, name: str) -> list[str]:
        return [f.value or "" for f in self.flags if f.name == name]


@dataclass(frozen=True)
class Stage:
    index: int
    image: str  # as written (``python:${PY}-slim``)
    alias: str | None
    line: int
    platform: str | None = None
    image_resolved: str | None = None  # with ARGs declared before the first FROM substituted

    @property
    def name(self) -> str:
        return self.alias or str(self.index)


@dataclass(frozen=True)
class Copy:
    line: int
    keyword: str  # COPY or ADD
    sources: tuple[str, ...]
    dest: str | None
    from_stage: str | None
    flags: tuple[Flag, ...] = ()
    stage: int = -1


@dataclass(frozen=True)
class Command:
    """An ENTRYPOINT or CMD."""

    line: int
    exec_form: bool
    argv: tuple[str, ...]  # exec form as given; shell form as shell words
    raw: str  # the argument text as written


@dataclass(frozen=True)
class Port:
    line: int
    port: str
    protocol: str = "tcp"


@dataclass(frozen=True)
class EnvVar:
    name: str
    value: str
    line: int


@dataclass
class Dockerfile:
    path: str
    instructions: list[Instruction] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    entrypoint: Command | None = None  # effective for the final stage (inherited from parents)
    cmd: Command | None = None
    exposed: list[Port] = field(default_factory=list)
    workdir: str | None = None  # the last WORKDIR of the final stage chain
    env: dict[str, EnvVar] = field(default_factory=dict)
    args: dict[str, str | None] = field(default_factory=dict)  # ARG name -> default
    directives: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    def of(self, keyword: str) -> list[Instruction]:
        """Instructions with this keyword, in order."""
        key = keyword.upper()
        return [i for i in self.instructions if i.keyword == key]

    def runs(self) -> list[Instruction]:
        return self.of("RUN")

    @property
    def final_stage(self) -> Stage | None:
        return self.stages[-1] if self.stages else None


def _split_words(text: str) -> tuple[str, ...]:
    try:
        lexer = shlex.shlex(text, posix=True, punctuation_chars=False)
        lexer.whitespace_split = True
        lexer.commenters = ""
        return tuple(lexer)
    except ValueError:  # unbalanced quotes
        return tuple(text.split())


def _exec_form(text: str) -> tuple[str, ...] | None:
    stripped = text.strip()
    if not stripped.startswith("["):
        return None
    try:
        value = json.loads(stripped)
    except ValueError:
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _take_flags(text: str) -> tuple[tuple[Flag, ...], str]:
    flags: list[Flag] = []
    rest = text
    while rest.startswith("--"):
        m = _FLAG.match(rest)
        if not m:
            break
        value = m.group(2)
        if value is not None and len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        flags.append(Flag(m.group(1).lower(), value))
        rest = rest[m.end() :]
    return tuple(flags), rest.strip()


def _directives(lines: list[str]) -> tuple[dict[str, str], int]:
    """Parser directives at the top of the file, and the index of the first other line."""
    found: dict[str, str] = {}
    for index, line in enumerate(lines):
        m = _DIRECTIVE.match(line.strip())
        if not m or m.group(1).lower() in found:
            return found, index
        found[m.group(1).lower()] = m.group(2)
    return found, len(lines)


def _ends_with_escape(line: str, escape: str) -> bool:
    return line.rstrip().endswith(escape)


def _logical_lines(lines: list[str], start: int, escape: str):
    """Yield (first line no, last line no, joined text, heredoc bodies)."""
    i = start
    n = len(lines)
    while i < n:
        stripped = lines[i].strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        first = i
        parts = [stripped]
        while _ends_with_escape(parts[-1], escape) and i + 1 < n:
            parts[-1] = parts[-1].rstrip()[: -len(escape)].rstrip()
            i += 1
            nxt = lines[i].strip()
            while (not nxt or nxt.startswith("#")) and i + 1 < n:
                i += 1
                nxt = lines[i].strip()
            if not nxt or nxt.startswith("#"):
                break
            parts.append(nxt)
        if parts and _ends_with_escape(parts[-1], escape):
            parts[-1] = parts[-1].rstrip()[: -len(escape)].rstrip()
        text = " ".join(p for p in parts if p)
        bodies: list[str] = []
        keyword = text.split(None, 1)[0].upper() if text else ""
        if keyword in ("RUN", "COPY", "ADD"):
            for m in _HEREDOC.finditer(text):
                strip_tabs = m.group(1) == "-"
                terminator = m.group(3)
                end = next(
                    (
                        j
                        for j in range(i + 1, n)
                        if (lines[j].lstrip("\t") if strip_tabs else lines[j]).rstrip("\r")
                        == terminator
                    ),
                    None,
                )
                if end is None:  # no terminator: not a heredoc after all, consume nothing
                    continue
                bodies.append("\n".join(lines[i + 1 : end]))
                i = end
        yield first + 1, i + 1, text, tuple(bodies)
        i += 1


def parse_dockerfile(path: str, text: str) -> Dockerfile:
    """Parse a Dockerfile; never raises (problems land in ``Dockerfile.error``)."""
    df = Dockerfile(path=path)
    try:
        _parse(df, text)
    except Exception as exc:  # the contract is "never raise"; keep the reason
        df.error = f"could not read Dockerfile: {type(exc).__name__}: {exc}"
    return df


def _parse(df: Dockerfile, text: str) -> None:
    if not isinstance(text, str):
        df.error = "not text"
        return
    if "\x00" in text:
        df.error = "binary content (NUL bytes)"
        return
    lines = text.lstrip("\ufeff").splitlines()
    df.directives, start = _directives(lines)
    escape = df.directives.get("escape", "\\")
    if escape not in ("\\", "`"):
        escape = "\\"

    stage = -1
    bad: list[int] = []
    for first, _last, logical, heredocs in _logical_lines(lines, start, escape):
        m = _KEYWORD.match(logical)
        if not m:
            bad.append(first)
            continue
        keyword = m.group(1).upper()
        rest = (m.group(2) or "").strip()
        flags: tuple[Flag, ...] = ()
        if keyword in _FLAG_KEYWORDS:
            flags, rest = _take_flags(rest)
        if keyword == "FROM":
            stage += 1
        exec_args = _exec_form(rest)
        instr = Instruction(
            line=first,
            end_line=_last,
            keyword=keyword,
            flags=flags,
            args=rest,
            arguments=exec_args if exec_args is not None else _split_words(rest),
            exec_form=exec_args is not None,
            raw=lines[first - 1].strip(),
            stage=stage,
            heredocs=heredocs,
        )
        df.instructions.append(instr)
    if bad:
        df.error = f"not an instruction at line {bad[0]}"
    if not df.instructions and df.error is None:
        df.error = "no instructions"
    _derive(df)


def _substitute(text: str, values: dict[str, str | None]) -> str:
    def sub(m: re.Match[str]) -> str:
        value = values.get(m.group(1))
        if value is None:
            return m.group(2) if m.group(2) is not None else m.group(0)
        return value

    return _VAR.sub(sub, text)


def _env_pairs(instr: Instruction) -> list[tuple[str, str]]:
    words = instr.arguments
    if not words:
        return []
    if "=" not in words[0]:  # legacy ``ENV NAME value with spaces``
        name, _, value = instr.args.partition(" ")
        return [(name, _split_words(value.strip())[0] if value.strip() else "")] if name else []
    pairs = []
    for word in words:
        name, _, value = word.partition("=")
        if name:
            pairs.append((name, value))
    return pairs


def _derive(df: Dockerfile) -> None:
    global_args: dict[str, str | None] = {}
    for instr in df.instructions:
        if instr.keyword == "ARG":
            for word in instr.arguments:
                name, eq, default = word.partition("=")
                if instr.stage == -1:
                    global_args[name] = default if eq else None
                df.args.setdefault(name, default if eq else None)
        elif instr.keyword == "FROM":
            words = instr.arguments
            image = words[0] if words else ""
            alias = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
            df.stages.append(
                Stage(
                    index=instr.stage,
                    image=image,
                    alias=alias,
                    line=instr.line,
                    platform=instr.flag("platform"),
                    image_resolved=_substitute(image, global_args),
                )
            )
        elif instr.keyword in ("COPY", "ADD"):
            words = instr.arguments
            df.copies.append(
                Copy(
                    line=instr.line,
                    keyword=instr.keyword,
                    sources=tuple(words[:-1]) if len(words) >= 2 else tuple(words),
                    dest=words[-1] if len(words) >= 2 else None,
                    from_stage=instr.flag("from"),
                    flags=instr.flags,
                    stage=instr.stage,
                )
            )
        elif instr.keyword == "EXPOSE":
            for word in instr.arguments:
                port, _, proto = word.partition("/")
                df.exposed.append(Port(instr.line, port, proto.lower() or "tcp"))

    chain = _stage_chain(df)
    for instr in df.instructions:
        if instr.stage not in chain:
            continue
        if instr.keyword in ("ENTRYPOINT", "CMD"):
            cmd = Command(instr.line, instr.exec_form, instr.arguments, instr.args)
            if instr.keyword == "ENTRYPOINT":
                df.entrypoint = cmd
            else:
                df.cmd = cmd
        elif instr.keyword == "WORKDIR":
            df.workdir = instr.args
        elif instr.keyword == "ENV":
            for name, value in _env_pairs(instr):
                df.env[name] = EnvVar(name, value, instr.line)


def _stage_chain(df: Dockerfile) -> list[int]:
    """Indices of the final stage and the earlier stages it is built ``FROM``, oldest first."""
    if not df.stages:
        return [-1]
    by_name = {s.alias.lower(): s for s in df.stages if s.alias}
    chain: list[int] = []
    stage: Stage | None = df.stages[-1]
    while stage is not None and stage.index not in chain:
        chain.append(stage.index)
        parent = by_name.get(stage.image.lower())
        stage = parent if parent is not None and parent.index < stage.index else None
    return sorted(chain)
