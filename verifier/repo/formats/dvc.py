"""DVC files: ``.dvc/config``, ``*.dvc`` pointer files and ``dvc.yaml`` pipelines.

The config is read by a small tolerant INI reader written for what DVC (configobj) writes and
what people write by hand: section names quoted or not (``['remote "storage"']`` and
``[remote "storage"]``), ``key = value`` with inline ``#`` / ``;`` comments, indented keys,
quoted values. Lines it does not understand are skipped and listed in ``problems``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from verifier.repo.formats.yamlnodes import LineDict, LineList, key_line, load_yaml

_SECTION = re.compile(
    r"^\s*\[\s*(?:'(?P<q1>[^']*)'|\"(?P<q2>(?:[^\"\\]|\\.)*)\"|(?P<bare>[^\]]*?))\s*\]"
)
_KEY_VALUE = re.compile(r"^\s*(?P<key>[^=:\s][^=:]*?)\s*[=:]\s*(?P<value>.*?)\s*$")
_SUBSECTION = re.compile(r"^(?P<kind>[A-Za-z_-]+)\s+\"?(?P<name>[^\"]*?)\"?\s*$")


@dataclass(frozen=True)
class DvcRemote:
    name: str
    url: str
    kind: str  # gcs, s3, azure, gdrive, http, ssh, hdfs, webdav, oss, local, unknown
    line: int  # line of the ``url =`` key (the section's line when there is no url)
    section_line: int = 0
    options: dict[str, str] = field(default_factory=dict)


@dataclass
class DvcConfig:
    path: str
    remotes: list[DvcRemote] = field(default_factory=list)
    default_remote: str | None = None
    default_remote_line: int | None = None
    autostage: bool | None = None
    core: dict[str, str] = field(default_factory=dict)
    sections: dict[str, int] = field(default_factory=dict)  # 'remote "storage"' -> line
    problems: list[str] = field(default_factory=list)
    error: str | None = None

    def remote(self, name: str | None = None) -> DvcRemote | None:
        """The named remote, or the default one."""
        wanted = name if name is not None else self.default_remote
        return next((r for r in self.remotes if r.name == wanted), None)


def remote_kind(url: str) -> str:
    """Storage kind of a DVC remote URL (``gs://b/p`` → ``gcs``)."""
    url = url.strip()
    m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", url)
    if not m:
        if re.match(r"^[A-Za-z]:[\\/]", url) or url.startswith(("/", ".", "~", "\\")) or url:
            return "local"
        return "unknown"
    scheme = m.group(1).lower()
    return {
        "gs": "gcs",
        "gcs": "gcs",
        "s3": "s3",
        "azure": "azure",
        "az": "azure",
        "gdrive": "gdrive",
        "http": "http",
        "https": "http",
        "ssh": "ssh",
        "sftp": "ssh",
        "hdfs": "hdfs",
        "webhdfs": "hdfs",
        "webdav": "webdav",
        "webdavs": "webdav",
        "oss": "oss",
        "file": "local",
    }.get(scheme, "unknown")


def _strip_inline_comment(value: str) -> str:
    quote: str | None = None
    for i, ch in enumerate(value):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch in "#;" and (i == 0 or value[i - 1].isspace()):
            return value[:i].rstrip()
    return value.strip()


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _truthy(value: str) -> bool | None:
    low = value.strip().lower()
    if low in ("true", "yes", "1", "on"):
        return True
    if low in ("false", "no", "0", "off"):
        return False
    return None


def parse_dvc_config(path: str, text: str) -> DvcConfig:
    """Parse ``.dvc/config`` (or ``config.local``); never raises."""
    config = DvcConfig(path=path)
    if not isinstance(text, str):
        config.error = "not text"
        return config
    if "\x00" in text:
        config.error = "binary content (NUL bytes)"
        return config
    sections: list[tuple[str, int, dict[str, tuple[str, int]]]] = []
    current: dict[str, tuple[str, int]] | None = None
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped[0] in "#;":
            continue
        m = _SECTION.match(stripped)
        if m and stripped.startswith("["):
            name = m.group("q1") or m.group("q2") or m.group("bare") or ""
            name = name.replace('\\"', '"').strip()
            current = {}
            sections.append((name, number, current))
            config.sections.setdefault(name, number)
            continue
        kv = _KEY_VALUE.match(stripped)
        if kv is None:
            config.problems.append(f"line {number}: not a key = value line")
            continue
        if current is None:
            config.problems.append(f"line {number}: key outside any section")
            continue
        value = _unquote(_strip_inline_comment(kv.group("value")))
        current[kv.group("key").strip().lower()] = (value, number)

    for name, line, values in sections:
        sub = _SUBSECTION.match(name)
        if name.lower() == "core":
            config.core.update({k: v for k, (v, _) in values.items()})
            if "remote" in values:
                config.default_remote, config.default_remote_line = values["remote"]
            if "autostage" in values:
                config.autostage = _truthy(values["autostage"][0])
        elif sub and sub.group("kind").lower() == "remote":
            url, url_line = values.get("url", ("", line))
            config.remotes.append(
                DvcRemote(
                    name=sub.group("name"),
                    url=url,
                    kind=remote_kind(url) if url else "unknown",
                    line=url_line,
                    section_line=line,
                    options={k: v for k, (v, _) in values.items() if k != "url"},
                )
            )
    if not sections and text.strip():
        config.error = "no sections found"
    return config


# --------------------------------------------------------------------------- .dvc files


@dataclass(frozen=True)
class DvcOut:
    path: str
    line: int
    md5: str | None = None  # the hash value (``md5`` / ``etag`` / ``checksum`` key)
    hash_name: str | None = None  # ``hash: md5`` of DVC 3 files
    size: int | None = None
    nfiles: int | None = None
    cache: bool = True
    files: tuple[str, ...] = ()  # ``relpath`` of each file in version-aware remotes' listing

    @property
    def is_dir(self) -> bool:
        return (
            bool(self.md5 and self.md5.endswith(".dir"))
            or self.nfiles is not None
            or bool(self.files)
        )


@dataclass
class DvcFile:
    path: str
    outs: list[DvcOut] = field(default_factory=list)
    deps: list[DvcOut] = field(default_factory=list)  # for ``dvc import`` files
    frozen: bool = False
    error: str | None = None


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _entries(raw: Any, default_line: int) -> list[DvcOut]:
    out: list[DvcOut] = []
    if not isinstance(raw, list):
        return out
    for i, item in enumerate(raw):
        line = raw.line_at(i) if isinstance(raw, LineList) else default_line
        if isinstance(item, str):
            out.append(DvcOut(path=item, line=line))
            continue
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            continue
        digest = next(
            (str(item[k]) for k in ("md5", "etag", "checksum") if item.get(k) is not None), None
        )
        out.append(
            DvcOut(
                path=item["path"],
                line=line,
                md5=digest,
                hash_name=str(item["hash"]) if item.get("hash") is not None else None,
                size=_int_or_none(item.get("size")),
                nfiles=_int_or_none(item.get("nfiles")),
                cache=item.get("cache", True) is not False,
                files=_relpaths(item.get("files")),
            )
        )
    return out


def _relpaths(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(
        str(f["relpath"]) for f in raw if isinstance(f, dict) and f.get("relpath") is not None
    )


def parse_dvc_file(path: str, text: str) -> DvcFile:
    """Parse a ``*.dvc`` pointer file; never raises."""
    dvc = DvcFile(path=path)
    loaded = load_yaml(text) if isinstance(text, str) else None
    if loaded is None or loaded.error:
        dvc.error = loaded.error if loaded else "not text"
        return dvc
    doc = loaded.data
    if not isinstance(doc, dict):
        dvc.error = "empty .dvc file" if doc is None else "a .dvc file must be a mapping"
        return dvc
    dvc.outs = _entries(doc.get("outs"), key_line(doc, "outs", 1))
    dvc.deps = _entries(doc.get("deps"), key_line(doc, "deps", 1))
    dvc.frozen = doc.get("frozen") is True
    if not dvc.outs:
        dvc.error = "no outs with a path"
    return dvc


# --------------------------------------------------------------------------- dvc.yaml


@dataclass(frozen=True)
class DvcPath:
    path: str
    line: int
    cache: bool = True


@dataclass(frozen=True)
class DvcStage:
    name: str
    line: int
    cmd: tuple[str, ...]  # one entry per command (``cmd`` may be a list)
    cmd_line: int | None
    deps: tuple[DvcPath, ...] = ()
    outs: tuple[DvcPath, ...] = ()
    params: tuple[DvcPath, ...] = ()  # ``path`` is ``file:key`` or the key
    metrics: tuple[DvcPath, ...] = ()
    plots: tuple[DvcPath, ...] = ()
    foreach: bool = False  # a templated stage (``foreach`` / ``matrix``)


@dataclass
class DvcPipeline:
    path: str
    stages: list[DvcStage] = field(default_factory=list)
    error: str | None = None

    def stage(self, name: str) -> DvcStage | None:
        return next((s for s in self.stages if s.name == name), None)


def _paths(raw: Any, default_line: int, params: bool = False) -> tuple[DvcPath, ...]:
    out: list[DvcPath] = []
    if isinstance(raw, str):
        return (DvcPath(raw, default_line),)
    if not isinstance(raw, list):
        return ()
    for i, item in enumerate(raw):
        line = raw.line_at(i) if isinstance(raw, LineList) else default_line
        if isinstance(item, str | int | float):
            out.append(DvcPath(str(item), line))
        elif isinstance(item, dict):
            for key, conf in item.items():
                item_line = key_line(item, key, line)
                if params and isinstance(conf, list):
                    out.extend(DvcPath(f"{key}:{k}", item_line) for k in conf if isinstance(k, str))
                    if not conf:
                        out.append(DvcPath(str(key), item_line))
                else:
                    cache = not (isinstance(conf, dict) and conf.get("cache") is False)
                    out.append(DvcPath(str(key), item_line, cache))
    return tuple(out)


def parse_dvc_yaml(path: str, text: str) -> DvcPipeline:
    """Parse a ``dvc.yaml`` pipeline; never raises."""
    pipeline = DvcPipeline(path=path)
    loaded = load_yaml(text) if isinstance(text, str) else None
    if loaded is None or loaded.error:
        pipeline.error = loaded.error if loaded else "not text"
        return pipeline
    doc = loaded.data
    if not isinstance(doc, dict):
        pipeline.error = "empty dvc.yaml" if doc is None else "dvc.yaml must be a mapping"
        return pipeline
    stages = doc.get("stages")
    if not isinstance(stages, dict):
        pipeline.error = "no 'stages' mapping"
        return pipeline
    for name, raw in stages.items():
        line = key_line(stages, name)
        if not isinstance(raw, dict):
            pipeline.stages.append(DvcStage(str(name), line, (), None))
            continue
        body = raw.get("do") if isinstance(raw.get("do"), dict) else raw
        cmd = body.get("cmd")
        cmds = tuple(str(c) for c in cmd) if isinstance(cmd, list) else ((str(cmd),) if cmd else ())
        pipeline.stages.append(
            DvcStage(
                name=str(name),
                line=line,
                cmd=cmds,
                cmd_line=key_line(body, "cmd") or None if isinstance(body, LineDict) else None,
                deps=_paths(body.get("deps"), key_line(body, "deps", line)),
                outs=_paths(body.get("outs"), key_line(body, "outs", line)),
                params=_paths(body.get("params"), key_line(body, "params", line), params=True),
                metrics=_paths(body.get("metrics"), key_line(body, "metrics", line)),
                plots=_paths(body.get("plots"), key_line(body, "plots", line)),
                foreach="foreach" in raw or "matrix" in raw,
            )
        )
    return pipeline
