"""Where a snapshot's files come from: a plain directory or one commit of a git repository.

A source lists its entries once (path, kind, size; no content) and reads one entry's bytes on
request. It never follows a symbolic link: symlinks are listed as such and never read, so no
link can lead outside the snapshot. The snapshot decides what to skip and caches contents.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import git

CLONE_TIMEOUT_S = 300.0


class SnapshotError(Exception):
    """The target cannot be opened as asked; the message is one line for a human."""


#: Environment for every git subprocess: never wait for a password or a terminal.
GIT_ENV: dict[str, str] = {"GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "", "SSH_ASKPASS": ""}


#: Environment of the git processes that read a snapshot: a partial clone's missing objects
#: are never fetched behind the audit's back (git >= 2.45 reads ``GIT_NO_LAZY_FETCH``; older
#: ones find every transport refused and report the object missing).
def no_lazy_fetch_env(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The variables to add; ``protocol.allow`` goes after any ``GIT_CONFIG_COUNT`` entries
    the environment already has (a CI job's ``safe.directory``, say), never over them."""

    environ = dict(os.environ) if environ is None else environ
    raw = environ.get("GIT_CONFIG_COUNT", "0").strip()
    count = int(raw) if raw.isdigit() else 0
    return {
        "GIT_NO_LAZY_FETCH": "1",
        "GIT_CONFIG_COUNT": str(count + 1),
        f"GIT_CONFIG_KEY_{count}": "protocol.allow",
        f"GIT_CONFIG_VALUE_{count}": "never",
    }


#: Configuration given to every git subprocess, so that no repository setting runs a program.
GIT_SAFE_CONFIG: tuple[str, ...] = (
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "protocol.ext.allow=never",
)

#: A transfer that moves less than 1 KB/s for 60 s is given up (a hanging server), so a
#: retry can start long before the repository's own time limit.
STALL_CONFIG: tuple[str, ...] = ("-c", "http.lowSpeedLimit=1000", "-c", "http.lowSpeedTime=60")

#: Directory names never descended into in a plain directory (not part of anyone's sources).
IGNORED_DIR_NAMES: dict[str, str] = {
    ".git": "git metadata",
    ".hg": "version-control metadata",
    ".svn": "version-control metadata",
    "__pycache__": "cache",
    ".mypy_cache": "cache",
    ".pytest_cache": "cache",
    ".ruff_cache": "cache",
    ".tox": "tool environment",
    ".nox": "tool environment",
    "node_modules": "installed packages",
}

FILE = "file"
SYMLINK = "symlink"
SUBMODULE = "submodule"
SPECIAL = "special"  # fifo, socket, device: never read


@dataclass(frozen=True)
class Entry:
    """One path in a source. ``size`` is known up front for regular files."""

    path: str
    kind: str
    size: int | None = None
    oid: str | None = None  # git object id (blob, or commit for a submodule)
    target: str | None = None  # a symlink's target as written


def symlink_escapes(path: str, target: str) -> bool:
    """True when the link at ``path`` (relative, POSIX) points outside the snapshot root.

    Judged lexically: an absolute target, or one whose ``..`` climb above the root.
    """

    if target.startswith(("/", "\\")) or (len(target) > 1 and target[1] == ":"):
        return True
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
    return joined == ".." or joined.startswith("../")


def run_git(repo: git.Repo, args: Sequence[str]) -> bytes:
    """Run ``git <args>`` in ``repo`` with the safe configuration; stdout as raw bytes.

    Raises :class:`git.GitCommandError` on a non-zero exit.
    """

    out = repo.git.execute(
        ["git", *GIT_SAFE_CONFIG, *args],
        stdout_as_string=False,
        strip_newline_in_stdout=False,
        env=GIT_ENV,
    )
    assert isinstance(out, bytes)
    return out


def decode_path(raw: bytes) -> str:
    """A path from git or the file system as text; undecodable bytes become U+FFFD."""

    return raw.decode("utf-8", errors="replace")


class DirectorySource:
    """All entries below a directory, read through the file system without following links."""

    kind = "directory"

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        #: Directories not descended into: (relative path, reason).
        self.ignored_dirs: list[tuple[str, str]] = []
        self.unreadable_dirs: list[str] = []

    def entries(self) -> dict[str, Entry]:
        found: dict[str, Entry] = {}
        stack: list[tuple[str, str]] = [(str(self.root), "")]
        while stack:
            abs_dir, rel_dir = stack.pop()
            try:
                with os.scandir(abs_dir) as it:
                    children = list(it)
            except OSError:
                self.unreadable_dirs.append(rel_dir or ".")
                continue
            for child in children:
                rel = f"{rel_dir}{child.name}"
                try:
                    if child.is_symlink():
                        found[rel] = Entry(rel, SYMLINK, target=self._link_target(child.path))
                    elif child.is_dir(follow_symlinks=False):
                        reason = self._ignore_reason(child)
                        if reason is not None:
                            self.ignored_dirs.append((rel, reason))
                        else:
                            stack.append((child.path, rel + "/"))
                    elif child.is_file(follow_symlinks=False):
                        size = child.stat(follow_symlinks=False).st_size
                        found[rel] = Entry(rel, FILE, size=size)
                    else:
                        found[rel] = Entry(rel, SPECIAL)
                except OSError:
                    found[rel] = Entry(rel, SPECIAL)
        return found

    def _ignore_reason(self, child: os.DirEntry[str]) -> str | None:
        reason = IGNORED_DIR_NAMES.get(child.name)
        if reason is not None:
            return reason
        if os.path.isfile(os.path.join(child.path, "pyvenv.cfg")):
            return "virtual environment"
        return None

    def _link_target(self, abs_path: str) -> str:
        try:
            return os.readlink(abs_path)
        except OSError:
            return ""

    def link_escapes(self, entry: Entry) -> bool:
        """Whether a symlink resolves (through any chain of links) outside the root."""

        real = os.path.realpath(os.path.join(self.root, entry.path))
        return not (real == str(self.root) or real.startswith(str(self.root) + os.sep))

    def read(self, entry: Entry, limit: int) -> bytes | None:
        """Up to ``limit`` + 1 bytes of a regular file, opened without following any link.

        Every path component is opened relative to its parent with ``O_NOFOLLOW``, so a
        directory swapped for a link after listing still cannot lead outside the root.
        """

        if entry.kind != FILE:
            return None
        parts = entry.path.split("/")
        nofollow = getattr(os, "O_NOFOLLOW", 0)
        if not nofollow or os.open not in os.supports_dir_fd:
            return self._read_checked(entry, limit)
        fds: list[int] = []
        try:
            fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)
            fds.append(fd)
            for part in parts[:-1]:
                fd = os.open(part, os.O_RDONLY | os.O_DIRECTORY | nofollow, dir_fd=fd)
                fds.append(fd)
            fd = os.open(parts[-1], os.O_RDONLY | nofollow | os.O_NONBLOCK, dir_fd=fd)
            fds.append(fd)
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            with os.fdopen(os.dup(fd), "rb") as fh:
                return fh.read(limit + 1)
        except OSError:
            return None
        finally:
            for opened in fds:
                os.close(opened)

    def _read_checked(self, entry: Entry, limit: int) -> bytes | None:
        """Fallback where ``dir_fd`` is unsupported: check the resolved path, then read."""

        path = os.path.join(self.root, entry.path)
        real = os.path.realpath(path)
        if not real.startswith(str(self.root) + os.sep) or os.path.islink(path):
            return None
        try:
            with open(real, "rb") as fh:
                return fh.read(limit + 1)
        except OSError:
            return None

    def close(self) -> None:
        pass


class GitTreeSource:
    """The tree of one commit, listed with one ``git ls-tree`` and read from git objects."""

    def __init__(self, repo: git.Repo, commit: str) -> None:
        self.repo = repo
        self.commit = commit
        #: Blobs the tree names but the object store lacks (a partial clone): never asked
        #: for, since git would try to fetch them.
        self.absent: set[str] = set()

    def entries(self) -> dict[str, Entry]:
        partial = is_partial_clone(self.repo)
        # ``--long`` reads every blob's size, which in a partial clone fetches the missing
        # ones (or fails); there the sizes come from the objects that are present.
        long = [] if partial else ["--long"]
        out = run_git(self.repo, ["ls-tree", "-r", "-z", *long, "--full-tree", self.commit])
        sizes = present_blob_sizes(self.repo) if partial else None
        found: dict[str, Entry] = {}
        links: list[tuple[str, str]] = []
        for record in out.split(b"\0"):
            if not record:
                continue
            meta, _, raw_path = record.partition(b"\t")
            fields = meta.split()
            if len(fields) < (3 if partial else 4):
                continue
            mode, otype, oid = (f.decode("ascii", "replace") for f in fields[:3])
            path = decode_path(raw_path)
            if sizes is None:
                size = fields[3].decode("ascii", "replace")
                nbytes = int(size) if size.isdigit() else None
            else:
                nbytes = sizes.get(oid)
                if nbytes is None and otype == "blob":
                    self.absent.add(oid)
            if otype == "commit":
                found[path] = Entry(path, SUBMODULE, oid=oid)
            elif mode == "120000":
                links.append((path, oid, nbytes))
            elif otype == "blob":
                found[path] = Entry(path, FILE, size=nbytes, oid=oid)
        for path, oid, nbytes in links:
            # A link's blob is its target; an absurdly long one is treated as escaping.
            small = nbytes is not None and nbytes <= 4096 and oid not in self.absent
            raw = self._read_oid(oid) if small else None
            target = decode_path(raw) if raw is not None else "/"
            found[path] = Entry(path, SYMLINK, oid=oid, target=target)
        return found

    def link_escapes(self, entry: Entry) -> bool:
        return symlink_escapes(entry.path, entry.target or "")

    def read(self, entry: Entry, limit: int) -> bytes | None:
        """The blob's bytes; None when it is not a regular file or larger than ``limit``.

        The size is checked from the listing before reading, and a blob is always read
        whole: a partly read object would desynchronise git's long-running ``cat-file``.
        """

        if entry.kind != FILE or entry.oid is None or entry.oid in self.absent:
            return None
        if entry.size is not None and entry.size > limit:
            return None
        return self._read_oid(entry.oid)

    def _read_oid(self, oid: str) -> bytes | None:
        ostream = None
        try:
            ostream = self.repo.odb.stream(bytes.fromhex(oid))
            data: bytes = ostream.read()
            return data
        except Exception:  # missing or corrupt object (gitdb's BadObject is no GitError)
            return None
        except BaseException:
            # Interrupted mid-object (a check stopped over its budget, Ctrl-C): git's
            # long-running ``cat-file`` would answer the next read with this object's rest,
            # so it is dropped and the next read starts a fresh one. The abandoned stream is
            # marked as read, or its finaliser would try to drain the closed pipe.
            inner = getattr(ostream, "stream", None)
            with contextlib.suppress(AttributeError, TypeError):
                inner._nbr = inner._size  # type: ignore[union-attr]
            self.repo.git.clear_cache()
            raise

    def close(self) -> None:
        self.repo.close()


def is_partial_clone(repo: git.Repo) -> bool:
    """Whether objects may be missing by design (a ``--filter`` clone with a promisor)."""

    git_dir = Path(repo.git_dir)
    if any((git_dir / "objects" / "pack").glob("*.promisor")):
        return True
    try:
        reader = repo.config_reader("repository")
        return bool(reader.get_value("extensions", "partialclone", default=""))
    except Exception:  # an unreadable config is no reason to fail the listing
        return False


def present_blob_sizes(repo: git.Repo) -> dict[str, int]:
    """Size of every blob in the object store, read without touching missing ones."""

    fmt = "--batch-check=%(objecttype) %(objectname) %(objectsize)"
    out = run_git(repo, ["cat-file", "--batch-all-objects", "--unordered", fmt])
    sizes: dict[str, int] = {}
    for line in out.decode("ascii", "replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "blob" and parts[2].isdigit():
            sizes[parts[1]] = int(parts[2])
    return sizes


# --------------------------------------------------------------------------- opening a repository

_URL_SCHEMES = ("https", "http", "ssh", "git", "file")
_SCP_LIKE = re.compile(r"^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!//)")


def is_clone_url(target: str) -> bool:
    """True for ``scheme://...`` and ``user@host:path`` targets."""

    return "://" in target or bool(_SCP_LIKE.match(target))


def redact_url(url: str) -> str:
    """The URL without a password or token (``https://user:***@host/...``)."""

    if "://" not in url:
        return url
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    netloc = f"{parts.username}:***@{host}" if parts.username else f"***@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def first_line(text: str | bytes) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    # The other side's own error says why ("remote: fatal: unable to read <sha>"); the local
    # lines that follow only say that the transfer died.
    for line in lines:
        if line.startswith(("remote: fatal:", "remote: error:")):
            return line
    # git prints hints after the fatal line; the fatal line is the useful one.
    for line in lines:
        if line.startswith(("fatal:", "error:")):
            return line
    return lines[-1] if lines else "no details"


def git_kind(path: Path) -> str | None:
    if (path / ".git").exists():
        return "worktree"
    if (path / "HEAD").is_file() and (path / "objects").is_dir() and (path / "refs").is_dir():
        return "bare"
    return None


def clone_repository(
    url: str, clone_dir: Path | None, timeout: float, blob_limit: int | None = None
) -> tuple[Path, Callable[[], None]]:
    """Clone ``url`` bare into ``clone_dir`` (or a temporary directory); with
    ``blob_limit``, a partial clone that leaves larger files on the server where the server
    allows it (a group's committed datasets then cost nothing)."""

    scheme = url.split("://", 1)[0].lower() if "://" in url else "ssh"
    if scheme not in _URL_SCHEMES:
        raise SnapshotError(f"unsupported URL scheme {scheme!r} in {redact_url(url)}")
    cleanup: Callable[[], None] = lambda: None  # noqa: E731
    if clone_dir is not None:
        dest = Path(clone_dir)
        if dest.exists() and any(dest.iterdir()):
            if git_kind(dest) == "bare":
                return dest, cleanup  # an earlier clone: reused as it is, not refetched
            raise SnapshotError(f"clone directory {dest} exists and is not an earlier clone")

        def cleanup_failed() -> None:  # a half-made clone must not pass for an earlier one
            shutil.rmtree(dest, ignore_errors=True)

        failed: Callable[[], None] = cleanup_failed
    else:
        tmp = tempfile.mkdtemp(prefix="verifier-clone-")
        dest = Path(tmp) / "repo.git"

        def cleanup() -> None:
            shutil.rmtree(tmp, ignore_errors=True)

        failed = cleanup

    env = {**os.environ, **GIT_ENV}
    if "GIT_SSH_COMMAND" not in env and "GIT_SSH" not in env:
        env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes"
    cmd = ["git", *GIT_SAFE_CONFIG, *STALL_CONFIG, "clone", "--bare", "--quiet"]
    if blob_limit is not None:
        cmd.append(f"--filter=blob:limit={blob_limit}")
    cmd += ["--", url, str(dest)]
    try:
        proc = subprocess.run(
            cmd, env=env, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired as exc:
        failed()
        raise SnapshotError(f"clone of {redact_url(url)} timed out after {timeout:g} s") from exc
    except OSError as exc:
        failed()
        raise SnapshotError(f"clone of {redact_url(url)} failed: {exc}") from exc
    except BaseException:  # the batch's alarm or Ctrl-C: a half-made clone must not stay
        failed()
        raise
    if proc.returncode != 0:
        failed()
        detail = first_line(proc.stderr).replace(url, redact_url(url))
        raise SnapshotError(f"clone of {redact_url(url)} failed: {detail}")
    return dest, cleanup


def _git_text(repo: git.Repo, args: list[str]) -> str:
    return run_git(repo, args).decode("utf-8", errors="replace").strip()


def _branch_name(repo: git.Repo, ref: str) -> str | None:
    """The branch or tag ``ref`` names (``main``, ``origin/x``, ``v1.0``), None for a sha."""

    for prefix in ("refs/heads/", "refs/remotes/", "refs/tags/"):
        try:
            run_git(repo, ["show-ref", "--verify", "--quiet", prefix + ref])
            return ref
        except git.GitCommandError:
            continue
    for prefix in ("refs/heads/", "refs/remotes/", "refs/tags/"):
        if ref.startswith(prefix):
            return ref.removeprefix(prefix)
    return None


@dataclass(frozen=True)
class Resolved:
    commit: str
    name: str | None
    date: datetime | None
    after: int | None
    tip: str


def _local_branches(repo: git.Repo) -> list[str]:
    try:
        out = _git_text(repo, ["for-each-ref", "--format=%(refname:short)", "refs/heads"])
    except git.GitCommandError:
        return []
    return out.splitlines()


def _check_access(repo: git.Repo, label: str) -> None:
    """Fail early, with git's reason, when git will not read the repository at all."""

    try:
        run_git(repo, ["rev-parse", "--git-dir"])
    except git.GitCommandError as exc:
        stderr = str(exc.stderr or "")
        if "dubious ownership" in stderr:
            raise SnapshotError(
                f"git refuses to read {label}: it belongs to another user (dubious ownership); "
                "mark it safe with `git config --global --add safe.directory <path>` "
                "if you trust it, or audit a clone"
            ) from exc
        raise SnapshotError(f"git cannot read {label}: {first_line(stderr)}") from exc


def resolve_commit(
    repo: git.Repo, label: str, ref: str | None, deadline: datetime | None
) -> Resolved:
    """The audited commit, the ref's name, its date and the commits after the deadline."""

    _check_access(repo, label)
    if ref is None:
        try:
            start = _git_text(repo, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])
        except git.GitCommandError as exc:
            branches = _local_branches(repo)
            if branches:
                shown = ", ".join(branches[:5])
                raise SnapshotError(
                    f"HEAD of {label} points to no commit; choose a ref (branches: {shown})"
                ) from exc
            raise SnapshotError(f"{label} has no commits") from exc
        try:
            name: str | None = _git_text(repo, ["symbolic-ref", "--quiet", "--short", "HEAD"])
        except git.GitCommandError:
            name = None  # detached HEAD
    else:
        if not ref.strip() or ref.startswith("-") or "\0" in ref:
            raise SnapshotError(f"bad ref {ref!r}")
        try:
            start = _git_text(
                repo, ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"]
            )
        except git.GitCommandError as exc:
            raise SnapshotError(f"ref {ref!r} not found in {label}") from exc
        name = _branch_name(repo, ref)

    if deadline is None:
        when = _git_text(repo, ["log", "-1", "--no-show-signature", "--format=%cI", start])
        return Resolved(start, name, _parse_iso(when), None, start)

    limit = deadline.timestamp()
    out = _git_text(
        repo, ["log", "--first-parent", "--no-show-signature", "--format=%H %ct %cI", start]
    )
    for index, line in enumerate(out.splitlines()):
        sha, stamp, iso = [*line.split(" ", 2), "", ""][:3]
        if stamp.lstrip("-").isdigit() and int(stamp) <= limit:
            return Resolved(sha, name, _parse_iso(iso), index, start)
    where = name or ref or "HEAD"
    raise SnapshotError(f"no commit on {where} at or before {deadline.isoformat()} in {label}")


def _parse_iso(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None
