"""Shared fixtures: small real git repositories and plain directories built in tmp dirs.

Use the plain functions (``from conftest import make_repo, commit_files, Link``) or the
fixtures of the same purpose (``repo_factory``, ``tree_factory``). Contents are a mapping
``{relative path: str | bytes | Link | None}``: text is written as UTF-8 exactly as given
(no newline translation), ``Link("target")`` makes a symbolic link, ``None`` deletes.
Git runs isolated from the user's and the system's configuration.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import git
import pytest

DEFAULT_AUTHOR = ("Ada Lovelace", "ada@example.com")
DEFAULT_DATE = "2026-01-05T12:00:00+00:00"

#: No global or system git configuration (hooks, signing, templates) leaks into tests.
ISOLATED_GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
}


@dataclass(frozen=True)
class Link:
    """A symbolic link to ``target`` (written as given, relative or absolute)."""

    target: str


Contents = Mapping[str, "str | bytes | Link | None"]


def write_files(root: Path, files: Contents) -> None:
    """Create, overwrite or delete (``None``) files below ``root``."""

    for rel, content in files.items():
        path = root / rel
        if content is None:
            if path.is_symlink() or path.is_file():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink() or path.exists():
            path.unlink()
        if isinstance(content, Link):
            os.symlink(content.target, path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))


def _date_text(date: str | datetime) -> str:
    return date.isoformat() if isinstance(date, datetime) else date


def _identity_env(author: tuple[str, str], committer: tuple[str, str], when: str) -> dict[str, str]:
    return {
        **ISOLATED_GIT_ENV,
        "GIT_AUTHOR_NAME": author[0],
        "GIT_AUTHOR_EMAIL": author[1],
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_NAME": committer[0],
        "GIT_COMMITTER_EMAIL": committer[1],
        "GIT_COMMITTER_DATE": when,
    }


def commit_files(
    repo: git.Repo,
    files: Contents,
    *,
    message: str = "update",
    author: tuple[str, str] = DEFAULT_AUTHOR,
    date: str | datetime = DEFAULT_DATE,
    committer: tuple[str, str] | None = None,
) -> str:
    """Write ``files`` into the work tree, stage them (deletions too), commit; return the sha.

    ``date`` is used for both author and committer date (ISO 8601 with offset).
    """

    root = Path(repo.working_tree_dir or "")
    write_files(root, files)
    paths = list(files)
    if paths:
        repo.git.add("-A", "--", *paths, env=ISOLATED_GIT_ENV)
    env = _identity_env(author, committer or author, _date_text(date))
    repo.git.commit("--allow-empty", "--no-verify", "-q", "-m", message, env=env)
    return repo.head.commit.hexsha


def merge(
    repo: git.Repo,
    branch: str,
    *,
    message: str = "merge",
    author: tuple[str, str] = DEFAULT_AUTHOR,
    date: str | datetime = DEFAULT_DATE,
) -> str:
    """Merge ``branch`` into the checked-out branch with a merge commit; return its sha."""

    env = _identity_env(author, author, _date_text(date))
    repo.git.merge("--no-ff", "--no-verify", "-q", "-m", message, branch, env=env)
    return repo.head.commit.hexsha


def make_repo(
    tmp_path: Path,
    files: Contents | None = None,
    *,
    name: str = "repo",
    message: str = "initial commit",
    author: tuple[str, str] = DEFAULT_AUTHOR,
    date: str | datetime = DEFAULT_DATE,
    branch: str = "main",
) -> git.Repo:
    """A new git working tree at ``tmp_path / name``; one commit of ``files`` unless None."""

    root = tmp_path / name
    root.mkdir(parents=True)
    repo = git.Repo.init(root, initial_branch=branch, env=ISOLATED_GIT_ENV)
    if files is not None:
        commit_files(repo, files, message=message, author=author, date=date)
    return repo


def make_bare(repo: git.Repo, dest: Path) -> Path:
    """A bare clone of ``repo`` at ``dest`` (all branches become local branches)."""

    git.Repo.clone_from(repo.working_tree_dir, dest, bare=True, env=ISOLATED_GIT_ENV).close()
    return dest


def create_branch(repo: git.Repo, name: str, *, checkout: bool = False) -> None:
    """A branch at HEAD; with ``checkout`` the work tree switches to it."""

    if checkout:
        repo.git.checkout("-q", "-b", name, env=ISOLATED_GIT_ENV)
    else:
        repo.git.branch(name, env=ISOLATED_GIT_ENV)


def checkout(repo: git.Repo, name: str) -> None:
    repo.git.checkout("-q", name, env=ISOLATED_GIT_ENV)


def make_tree(tmp_path: Path, files: Contents, *, name: str = "plain") -> Path:
    """A plain (non-git) directory holding ``files``."""

    root = tmp_path / name
    root.mkdir(parents=True)
    write_files(root, files)
    return root


@pytest.fixture
def repo_factory(tmp_path: Path) -> Callable[..., git.Repo]:
    """``repo_factory(files, **make_repo_kwargs)``; each call makes a new repository."""

    counter = iter(range(1_000_000))

    def factory(files: Contents | None = None, **kwargs: object) -> git.Repo:
        kwargs.setdefault("name", f"repo{next(counter)}")
        return make_repo(tmp_path, files, **kwargs)  # type: ignore[arg-type]

    return factory


@pytest.fixture
def tree_factory(tmp_path: Path) -> Callable[..., Path]:
    """``tree_factory(files, name=...)``: a plain directory."""

    counter = iter(range(1_000_000))

    def factory(files: Contents, *, name: str | None = None) -> Path:
        return make_tree(tmp_path, files, name=name or f"plain{next(counter)}")

    return factory
