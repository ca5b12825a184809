"""The files of a repository at one commit, with lazy, cached, safe views of them.

:func:`open_snapshot` accepts a plain directory, a git working tree, a bare git directory or
a clone URL, at a ref or at the last commit before a deadline. For git the files are those
tracked at that commit, read from git objects (uncommitted and untracked files are not part
of the snapshot). Nothing in the repository is ever executed; symbolic links are never
followed; files larger than ``max_file_bytes`` are listed as skipped and never read.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import threading
import tomllib
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import git
import yaml

from verifier.repo.history import (
    BranchTips,
    CommitInfo,
    HistoryFacts,
    compute_history,
    path_log,
)
from verifier.repo.sources import (
    CLONE_TIMEOUT_S,
    FILE,
    GIT_ENV,
    SPECIAL,
    SUBMODULE,
    SYMLINK,
    DirectorySource,
    Entry,
    GitTreeSource,
    SnapshotError,
    clone_repository,
    first_line,
    git_kind,
    is_clone_url,
    no_lazy_fetch_env,
    redact_url,
    resolve_commit,
)
from verifier.repo.textdecode import decode_text, is_binary, split_lines

if TYPE_CHECKING:
    from verifier.github.facts_model import RepoFacts

T = TypeVar("T")

DEFAULT_MAX_FILE_BYTES = 2_000_000
LFS_POINTER_PREFIX = b"version https://git-lfs.github.com/spec/"


@dataclass(frozen=True)
class SkippedFile:
    """A path in the snapshot whose content is not read, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class ParsedDoc:
    """A parsed file: ``value`` on success, else ``value`` is None and ``error`` says why."""

    value: Any
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


# --------------------------------------------------------------------------- YAML and TOML

#: Deepest nesting of YAML collections accepted.
YAML_MAX_DEPTH = 100
#: Most nodes a YAML file may have once every alias is expanded ("billion laughs" guard).
YAML_MAX_EXPANDED_NODES = 500_000


class YAMLLimitError(Exception):
    """A YAML document that is refused for its shape rather than its syntax."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """Nodes in the tree ``root`` stands for once aliases are expanded (iterative, memoised).

    Raises :class:`YAMLLimitError` past ``limit`` or when an alias refers to its own
    ancestor (a recursive structure, which would make any later walk loop forever).
    """

    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            on_path.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            if total > limit:
                raise YAMLLimitError(
                    f"aliases expand to more than {limit} nodes", node.start_mark.line + 1
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise YAMLLimitError("recursive alias", node.start_mark.line + 1)
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                raise YAMLLimitError("recursive alias", child.start_mark.line + 1)
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(root)]


class GuardedSafeLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses deep nesting and alias bombs before constructing.

    Composition keeps aliases as shared nodes, so it stays linear in the file size; the
    expanded size is checked on the node graph before any Python object is built.
    """

    max_depth = YAML_MAX_DEPTH
    max_expanded_nodes = YAML_MAX_EXPANDED_NODES

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._expanded = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        self._depth += 1
        try:
            if self._depth > self.max_depth:
                line = self.peek_event().start_mark.line + 1
                raise YAMLLimitError(f"nested more than {self.max_depth} levels deep", line)
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        finally:
            self._depth -= 1

    def compose_document(self) -> yaml.Node:
        node = super().compose_document()
        if node is not None:
            budget = self.max_expanded_nodes - self._expanded
            self._expanded += _expanded_size(node, budget)
        return node  # type: ignore[no-any-return]


def _yaml_error(exc: BaseException) -> str:
    if isinstance(exc, YAMLLimitError):
        where = f" at line {exc.line}" if exc.line else ""
        return f"YAML refused{where}: {exc}"
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        if mark is not None:
            return f"invalid YAML at line {mark.line + 1}: {problem}"
        return f"invalid YAML: {problem}"
    if isinstance(exc, RecursionError):
        return "YAML refused: nested too deeply"
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"invalid YAML: {first}"


#: True when PyYAML has its C extension; the guarded fast path is used then.
HAS_LIBYAML: bool = bool(getattr(yaml, "__with_libyaml__", False))

if HAS_LIBYAML:

    class FastGuardedSafeLoader(yaml.CSafeLoader):  # type: ignore[misc,name-defined]
        """The C safe loader with the same guards, about ten times faster.

        The nesting depth is checked first on the (non-recursive) event stream, so the
        C composer's recursion stays bounded; the expanded size is checked on each
        composed document before construction, as in :class:`GuardedSafeLoader`.
        """

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self._expanded = 0

        def _guard(self, node: yaml.Node | None) -> yaml.Node | None:
            if node is not None:
                budget = YAML_MAX_EXPANDED_NODES - self._expanded
                self._expanded += _expanded_size(node, budget)
            return node

        def get_single_node(self) -> yaml.Node | None:
            return self._guard(super().get_single_node())

        def get_node(self) -> yaml.Node | None:
            return self._guard(super().get_node())


_OPEN_EVENTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE_EVENTS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _check_depth_fast(text: str) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):  # type: ignore[attr-defined]
        if isinstance(event, _OPEN_EVENTS):
            depth += 1
            if depth > YAML_MAX_DEPTH:
                line = event.start_mark.line + 1
                raise YAMLLimitError(f"nested more than {YAML_MAX_DEPTH} levels deep", line)
        elif isinstance(event, _CLOSE_EVENTS):
            depth -= 1


def _make_loader(text: str, fast: bool | None) -> Any:
    if fast is None:
        fast = HAS_LIBYAML
    if fast and HAS_LIBYAML:
        _check_depth_fast(text)
        return FastGuardedSafeLoader(text)
    return GuardedSafeLoader(text)


def parse_yaml(text: str, *, fast: bool | None = None) -> ParsedDoc:
    """One YAML document, safely. Never raises; a broken file gives ``ParsedDoc.error``.

    ``fast`` picks the C loader (default when available) or the pure-Python one; both
    refuse the same inputs (error wording from the C parser may differ slightly).
    """

    loader = None
    try:
        loader = _make_loader(text, fast)
        return ParsedDoc(loader.get_single_data())
    except Exception as exc:  # syntax, limits, constructor errors, huge ints...
        return ParsedDoc(None, _yaml_error(exc))
    finally:
        if loader is not None:
            loader.dispose()


def parse_yaml_all(text: str, *, fast: bool | None = None) -> ParsedDoc:
    """Every document of a multi-document YAML stream as a list (the guard spans all)."""

    loader = None
    docs: list[Any] = []
    try:
        loader = _make_loader(text, fast)
        while loader.check_data():
            docs.append(loader.get_data())
        return ParsedDoc(docs)
    except Exception as exc:
        return ParsedDoc(None, _yaml_error(exc))
    finally:
        if loader is not None:
            loader.dispose()


_TOML_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def parse_toml(text: str) -> ParsedDoc:
    """A TOML document with ``tomllib``. Never raises."""

    try:
        return ParsedDoc(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = _TOML_WHERE.search(message)
        if where:
            problem = message[: where.start()]
            return ParsedDoc(
                None, f"invalid TOML at line {where.group(1)}: {problem} (column {where.group(2)})"
            )
        return ParsedDoc(None, f"invalid TOML: {message}")
    except RecursionError:
        return ParsedDoc(None, "invalid TOML: nested too deeply")
    except Exception as exc:
        return ParsedDoc(None, f"invalid TOML: {exc}")


# --------------------------------------------------------------------------- globbing


def glob_regex(pattern: str, *, ignore_case: bool = False) -> re.Pattern[str]:
    """A regex for a glob over POSIX relative paths.

    ``*`` and ``?`` do not cross ``/``; ``**/`` is any number of directories (also none);
    a ``**`` elsewhere matches anything; ``[...]`` / ``[!...]`` are character classes.
    """

    out: list[str] = []
    pattern = pattern.lstrip("/")
    i, n = 0, len(pattern)
    while i < n:
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[":
            end = pattern.find("]", i + 2)
            if end == -1:
                out.append(re.escape("["))
                i += 1
                continue
            body = pattern[i + 1 : end]
            negate = body.startswith("!")
            body = body[1:] if negate else body
            body = body.replace("\\", "\\\\")
            out.append(f"[{'^/' if negate else ''}{body}]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z", re.IGNORECASE if ignore_case else 0)


def normalize_path(path: str) -> str | None:
    """A relative POSIX path inside the snapshot, or None if it leaves the root."""

    path = path.strip().replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    path = path.lstrip("/")
    if not path:
        return ""
    norm = posixpath.normpath(path)
    if norm == "..":
        return None
    if norm.startswith("../"):
        return None
    return "" if norm == "." else norm


# --------------------------------------------------------------------------- the snapshot


class Snapshot:
    """Files of one directory or one commit. Reading is lazy and cached; use :func:`open_snapshot`.

    Parsed values (``yaml``, ``toml``, ``memo``) are shared between callers: do not mutate.
    """

    def __init__(
        self,
        source: DirectorySource | GitTreeSource,
        *,
        label: str,
        kind: str,
        commit: str | None = None,
        ref: str | None = None,
        commit_date: datetime | None = None,
        commits_after_deadline: int | None = None,
        tip_commit: str | None = None,
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
        repo: git.Repo | None = None,
        cleanup: Callable[[], None] | None = None,
    ) -> None:
        self.label = label
        self.kind = kind
        self.commit = commit
        self.ref = ref
        self.commit_date = commit_date
        self.commits_after_deadline = commits_after_deadline
        #: The ref's current tip (differs from ``commit`` when a deadline cut history).
        self.tip_commit = tip_commit if tip_commit is not None else commit
        self.max_file_bytes = max_file_bytes
        self._source = source
        self._repo = repo
        self._parent: Snapshot | None = None
        #: The folder (inside the repository) this snapshot is rooted at; "" for the root.
        self.project_root = ""
        #: Workflow files in a project folder's own ``.github/``, which GitHub never runs.
        self.ignored_github: list[str] = []
        #: What the GitHub API said about the repository (``--github``); None offline.
        #: Plain data collected before the audit, so probes never use the network.
        self.github: RepoFacts | None = None
        self._lock = threading.RLock()
        self._finalizer = weakref.finalize(self, _close_all, source, cleanup)

        self._entries = source.entries()
        self._skipped: dict[str, str] = {}
        readable: list[str] = []
        for path, entry in self._entries.items():
            reason = self._upfront_reason(entry)
            if reason is None:
                readable.append(path)
            else:
                self._skipped[path] = reason
        if isinstance(source, DirectorySource):
            for path, why in source.ignored_dirs:
                self._skipped[path + "/"] = f"directory not read ({why})"
            for path in source.unreadable_dirs:
                self._skipped[path + "/"] = "directory not readable"
        self._files = sorted(readable)
        self._file_set = frozenset(readable)
        self._dirs: frozenset[str] | None = None
        self._bytes: dict[str, bytes | None] = {}
        self._text: dict[str, tuple[str, str] | None] = {}
        self._parsed: dict[tuple[str, str], ParsedDoc] = {}
        self._memo: dict[str, Any] = {}
        self._history: HistoryFacts | None = None
        self._tips: BranchTips | None = None

    # ---- lifecycle

    def close(self) -> None:
        """Stop git helper processes and remove a temporary clone. Safe to call twice."""

        self._finalizer()

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        at = f" @ {self.commit[:12]}" if self.commit else ""
        return f"<Snapshot {self.kind} {self.label!r}{at}: {len(self._files)} files>"

    # ---- listing

    def _upfront_reason(self, entry: Entry) -> str | None:
        if entry.kind == FILE:
            if entry.size is not None and entry.size > self.max_file_bytes:
                return f"too large ({entry.size} bytes)"
            if entry.oid is not None and entry.oid in getattr(self._source, "absent", ()):
                return "not in this partial clone (left on the server)"
            return None
        if entry.kind == SYMLINK:
            if self._source.link_escapes(entry):
                return f"symlink outside the snapshot (-> {entry.target})"
            return f"symlink (-> {entry.target}), not followed"
        if entry.kind == SUBMODULE:
            return f"submodule (commit {(entry.oid or '')[:12]})"
        if entry.kind == SPECIAL:
            return "not a regular file"
        return "unknown entry"

    @property
    def git_repo(self) -> git.Repo | None:
        """The underlying repository (read-only use), None for a plain directory."""

        return self._repo

    def files(self) -> list[str]:
        """Sorted POSIX relative paths of every regular file whose content can be read."""

        return list(self._files)

    def all_paths(self) -> list[str]:
        """Every listed path, including skipped ones (links, submodules, large files)."""

        return sorted(self._entries)

    @property
    def skipped(self) -> list[SkippedFile]:
        """Paths whose content is not read and why; binary files join once they are read."""

        with self._lock:
            items = sorted(self._skipped.items())
        return [SkippedFile(path, reason) for path, reason in items]

    def exists(self, path: str) -> bool:
        """True for any listed path (a file, link or submodule); see :meth:`is_dir`."""

        norm = normalize_path(path)
        return norm is not None and norm in self._entries

    def is_file(self, path: str) -> bool:
        """True for a regular file whose content can be read."""

        norm = normalize_path(path)
        return norm is not None and norm in self._file_set

    def is_dir(self, path: str) -> bool:
        """True when some listed path lies below ``path`` (git has no empty directories)."""

        norm = normalize_path(path)
        if norm is None:
            return False
        if norm == "":
            return bool(self._entries)
        if self._dirs is None:
            dirs: set[str] = set()
            for p in self._entries:
                parent = posixpath.dirname(p)
                while parent and parent not in dirs:
                    dirs.add(parent)
                    parent = posixpath.dirname(parent)
            self._dirs = frozenset(dirs)
        return norm in self._dirs

    def size(self, path: str) -> int | None:
        norm = normalize_path(path)
        entry = self._entries.get(norm) if norm is not None else None
        return entry.size if entry is not None else None

    def glob(
        self, *patterns: str, ignore_case: bool = False, include_skipped: bool = False
    ) -> list[str]:
        """Readable files matching any pattern (see :func:`glob_regex`), sorted.

        ``include_skipped`` also matches listed paths whose content is not read (large
        files, links, submodules): for "does a model file exist" questions.
        """

        regexes = [glob_regex(p, ignore_case=ignore_case) for p in patterns]
        pool = sorted(self._entries) if include_skipped else self._files
        return [f for f in pool if any(r.match(f) for r in regexes)]

    def iter_files(self, *patterns: str) -> Iterator[tuple[str, str]]:
        """``(path, text)`` for matching files that are text (all files without patterns)."""

        for path in self.glob(*patterns) if patterns else self._files:
            text = self.text(path)
            if text is not None:
                yield path, text

    # ---- reading

    def read_bytes(self, path: str) -> bytes | None:
        """The file's bytes, or None: missing, a link, a submodule or too large."""

        norm = normalize_path(path)
        if norm is None or norm not in self._file_set:
            return None
        if norm in self._bytes:
            return self._bytes[norm]
        with self._lock:
            data = self._source.read(self._entries[norm], self.max_file_bytes)
            if data is None:
                self._skipped.setdefault(norm, "unreadable (missing object or no permission)")
            elif len(data) > self.max_file_bytes:
                self._skipped[norm] = f"too large (more than {self.max_file_bytes} bytes)"
                data = None
            self._bytes[norm] = data
        return data

    def _decoded(self, path: str) -> tuple[str, str] | None:
        norm = normalize_path(path)
        if norm is None:
            return None
        if norm in self._text:
            return self._text[norm]
        data = self.read_bytes(norm)
        result: tuple[str, str] | None = None
        if data is not None:
            if is_binary(data):
                with self._lock:
                    self._skipped.setdefault(norm, "binary")
            else:
                result = decode_text(data)
        self._text[norm] = result
        return result

    def text(self, path: str) -> str | None:
        """Decoded text, or None for a binary, too large, missing or linked file."""

        decoded = self._decoded(path)
        return decoded[0] if decoded else None

    def passing_text(self, path: str) -> str | None:
        """Decoded text like :meth:`text`, without keeping it: for a pass over every file of
        the repository (the secrets scan), which would otherwise hold the whole repository
        in memory twice (bytes and text). A file already read is served from the cache."""

        norm = normalize_path(path)
        if norm is None or norm not in self._file_set:
            return None
        if norm in self._text:
            cached = self._text[norm]
            return cached[0] if cached else None
        if norm in self._bytes:
            return self.text(norm)
        with self._lock:
            data = self._source.read(self._entries[norm], self.max_file_bytes)
            if data is None:
                self._skipped.setdefault(norm, "unreadable (missing object or no permission)")
                return None
            if len(data) > self.max_file_bytes:
                self._skipped[norm] = f"too large (more than {self.max_file_bytes} bytes)"
                return None
            if is_binary(data):
                self._skipped.setdefault(norm, "binary")
                return None
        return decode_text(data)[0]

    def encoding(self, path: str) -> str | None:
        """The encoding :meth:`text` used ("utf-8", "utf-8-sig", "utf-16", "cp1252", ...)."""

        decoded = self._decoded(path)
        return decoded[1] if decoded else None

    def lines(self, path: str) -> list[str]:
        """The text's lines without endings (CRLF and lone CR handled); [] if unreadable."""

        text = self.text(path)
        return split_lines(text) if text is not None else []

    def why_unreadable(self, path: str) -> str | None:
        """Why :meth:`text` gives None for ``path`` ("not found", "binary", ...), else None."""

        norm = normalize_path(path)
        if norm is None or norm not in self._entries:
            return "not found" if not self.is_dir(path or "") else "a directory"
        if norm in self._skipped:
            return self._skipped[norm]
        if self.text(norm) is None:
            return self._skipped.get(norm, "unreadable")
        return None

    def _parse(self, kind: str, path: str, parser: Callable[[str], ParsedDoc]) -> ParsedDoc:
        norm = normalize_path(path) or path
        key = (kind, norm)
        cached = self._parsed.get(key)
        if cached is not None:
            return cached
        text = self.text(norm)
        if text is None:
            doc = ParsedDoc(None, f"{norm}: {self.why_unreadable(norm) or 'unreadable'}")
        else:
            doc = parser(text)
        self._parsed[key] = doc
        return doc

    def yaml(self, path: str) -> ParsedDoc:
        """The file's YAML document (safe loader, alias and depth guards); a file with
        several documents gives an error here: use :meth:`yaml_all`."""

        return self._parse("yaml", path, parse_yaml)

    def yaml_all(self, path: str) -> ParsedDoc:
        """All YAML documents of a multi-document file, as a list."""

        return self._parse("yaml_all", path, parse_yaml_all)

    def toml(self, path: str) -> ParsedDoc:
        return self._parse("toml", path, parse_toml)

    def subtree(self, prefix: str) -> Snapshot:
        """The same commit seen from the folder ``prefix`` (a project kept one level down).

        Paths become relative to ``prefix``; :meth:`repo_path` turns them back into paths of
        the repository, for evidence a reader can open. The repository's root ``.github/``
        stays visible; a ``prefix/.github/`` is listed in :attr:`ignored_github`.
        """

        from verifier.repo.subtree import SubtreeSource

        source = SubtreeSource(self._source, prefix)
        view = Snapshot(
            source,  # type: ignore[arg-type]
            label=f"{self.label} ({source.prefix}/)",
            kind=self.kind,
            commit=self.commit,
            ref=self.ref,
            commit_date=self.commit_date,
            commits_after_deadline=self.commits_after_deadline,
            tip_commit=self.tip_commit,
            max_file_bytes=self.max_file_bytes,
            repo=self._repo,
        )
        view._parent = self  # keeps the outer snapshot (and its git process) alive
        view.project_root = source.prefix
        view.ignored_github = list(source.outside_github)
        view.github = self.github
        return view

    @property
    def root(self) -> Snapshot:
        """The whole repository's snapshot (itself unless this is a project-folder view)."""

        return self._parent if self._parent is not None else self

    def repo_path(self, path: str) -> str:
        """The path inside the repository for a path of this snapshot."""

        original = getattr(self._source, "original_path", None)
        return original(path) if original is not None else path

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """A per-snapshot cache for derived views (workflow index, Dockerfiles, ...).

        ``compute`` runs without holding a lock (a slow one must not block other callers);
        if two threads race, the first stored value wins and both get it.
        """

        if key in self._memo:
            return self._memo[key]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            return self._memo.setdefault(key, value)  # type: ignore[no-any-return]

    # ---- history

    def _branch_tips(self) -> BranchTips | None:
        if self._repo is None or self.commit is None:
            return None
        if self._tips is None:
            self._tips = BranchTips(self._repo, self.ref, self.commit)
            self._tips.size_hint = len(self._entries)
        return self._tips

    @property
    def history(self) -> HistoryFacts:
        """Commits, authors, dates and other branches; empty for a plain directory."""

        if self._history is None:
            tips = self._branch_tips()
            if tips is None or self._repo is None or self.commit is None:
                self._history = HistoryFacts()
            else:
                with self._lock:
                    self._history = compute_history(self._repo, self.commit, tips)
        return self._history

    def branches_holding(self, path: str) -> list[str]:
        """Other branches whose tip has ``path`` (file or directory) while this commit lacks it."""

        tips = self._branch_tips()
        norm = normalize_path(path)
        if tips is None or not norm:
            return []
        if norm in self._entries or self.is_dir(norm):
            return []
        with self._lock:
            return tips.holding(norm)

    def added_after_deadline(self, path: str) -> bool:
        """True when the audited ref's current tip has ``path`` but the audited commit (the
        last one before the deadline) does not: the file came too late."""

        tips = self._branch_tips()
        norm = normalize_path(path)
        if tips is None or not norm or self.tip_commit in (None, self.commit):
            return False
        if norm in self._entries or self.is_dir(norm):
            return False
        with self._lock:
            return tips.has(self.tip_commit or "", norm)

    def path_log(self, path: str, max_count: int = 50) -> list[CommitInfo]:
        """Commits up to the audited one that changed ``path``, newest first ([] if no git)."""

        norm = normalize_path(path)
        if self._repo is None or self.commit is None or not norm:
            return []
        with self._lock:
            return path_log(self._repo, self.commit, norm, max_count)

    def is_lfs_pointer(self, path: str) -> bool:
        """True when the committed file is a Git LFS pointer, not the content it stands for."""

        norm = normalize_path(path)
        if norm is None or norm not in self._file_set:
            return False
        size = self._entries[norm].size
        if size is not None and size > 1024:
            return False
        data = self.read_bytes(norm)
        return data is not None and data.startswith(LFS_POINTER_PREFIX)

    def blob_id(self, path: str) -> str | None:
        """The git blob id of a readable file (computed from the bytes for a directory).

        Equal ids mean identical content, e.g. a file still exactly as the course template
        ships it; for plain directories the SHA-1 form is computed.
        """

        norm = normalize_path(path)
        if norm is None or norm not in self._file_set:
            return None
        entry = self._entries[norm]
        if entry.oid is not None:
            return entry.oid
        data = self.read_bytes(norm)
        return git_blob_sha1(data) if data is not None else None


def git_blob_sha1(data: bytes) -> str:
    """The id git gives ``data`` as a blob (``git hash-object``), SHA-1 form."""

    header = f"blob {len(data)}\0".encode("ascii")
    return hashlib.sha1(header + data, usedforsecurity=False).hexdigest()


def _close_all(source: DirectorySource | GitTreeSource, cleanup: Callable[[], None] | None) -> None:
    try:
        source.close()
    finally:
        if cleanup is not None:
            cleanup()


def open_snapshot(
    target: str | Path,
    *,
    ref: str | None = None,
    deadline: datetime | None = None,
    clone_dir: Path | None = None,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    clone_timeout: float = CLONE_TIMEOUT_S,
    on_disk: bool = False,
) -> Snapshot:
    """Open ``target`` (directory, working tree, bare repository or clone URL) as a snapshot.

    ``on_disk`` reads a working tree's files as they are on disk instead of its last commit
    (what a pre-commit hook needs: the commit being made is not in git yet); git facts such
    as history are then not available.

    ``ref`` picks a branch, tag or commit; ``deadline`` (time-zone aware) picks the last
    commit on the ref's first-parent history whose committer date is at or before it. A
    URL is cloned bare into ``clone_dir`` (kept; reused if it already holds a clone) or into
    a temporary directory removed by :meth:`Snapshot.close`. Raises :class:`SnapshotError`.
    """

    target_text = str(target)
    label = redact_url(target_text)
    if deadline is not None and deadline.tzinfo is None:
        raise SnapshotError("the deadline needs a time zone (e.g. 2026-01-23T23:59+01:00)")

    cleanup: Callable[[], None] | None = None
    if isinstance(target, str) and is_clone_url(target):
        path, cleanup = clone_repository(target, clone_dir, clone_timeout, max_file_bytes)
        kind = "clone"
    else:
        path = Path(target).expanduser()
        if not path.exists():
            raise SnapshotError(f"{label} does not exist")
        if not path.is_dir():
            raise SnapshotError(f"{label} is not a directory or a git repository")
        found_kind = git_kind(path)
        if on_disk and found_kind == "worktree":
            if ref is not None or deadline is not None:
                raise SnapshotError(
                    "--on-disk reads the files on disk; it takes no ref or deadline"
                )
            source = DirectorySource(path)
            return Snapshot(source, label=label, kind="on-disk", max_file_bytes=max_file_bytes)
        if found_kind is None:
            if ref is not None or deadline is not None:
                raise SnapshotError(f"{label} is not a git repository; a ref or deadline needs one")
            source = DirectorySource(path)
            return Snapshot(source, label=label, kind="directory", max_file_bytes=max_file_bytes)
        kind = found_kind

    try:
        repo = git.Repo(path)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, OSError) as exc:
        if cleanup is not None:
            cleanup()
        raise SnapshotError(f"{label} is not a readable git repository") from exc
    repo.git.update_environment(**GIT_ENV, **no_lazy_fetch_env())
    if kind in ("bare", "clone"):
        # A bare directory without a ``config`` file (as mirrors and copies often are) is
        # taken by gitpython for a work tree's .git; name the git directory explicitly.
        repo.git.update_environment(GIT_DIR=str(Path(repo.git_dir).resolve()))
    try:
        at = resolve_commit(repo, label, ref, deadline)
        source = GitTreeSource(repo, at.commit)
        return Snapshot(
            source,
            label=label,
            kind=kind,
            commit=at.commit,
            ref=at.name,
            commit_date=at.date,
            commits_after_deadline=at.after,
            tip_commit=at.tip,
            max_file_bytes=max_file_bytes,
            repo=repo,
            cleanup=cleanup,
        )
    except SnapshotError:
        repo.close()
        if cleanup is not None:
            cleanup()
        raise
    except git.GitCommandError as exc:
        repo.close()
        if cleanup is not None:
            cleanup()
        raise SnapshotError(f"cannot read {label}: {first_line(str(exc.stderr or exc))}") from exc


__all__ = [
    "GuardedSafeLoader",
    "ParsedDoc",
    "SkippedFile",
    "Snapshot",
    "SnapshotError",
    "git_blob_sha1",
    "glob_regex",
    "is_clone_url",
    "normalize_path",
    "open_snapshot",
    "parse_toml",
    "parse_yaml",
    "parse_yaml_all",
    "redact_url",
]
