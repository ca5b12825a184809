"""A project that lives in a folder of its repository (``group_project/src``, ...).

Groups sometimes keep the whole course project one folder down. Probes then look at that
folder as if it were the root, while GitHub's own configuration (``.github/``) still counts
only at the real repository root: GitHub never runs workflows from a subfolder.
"""

from __future__ import annotations

import dataclasses

from verifier.repo.sources import Entry

#: Root paths that keep their meaning for the whole repository: GitHub's configuration,
#: git's attributes (LFS), pre-commit's configuration (read at the git root) and a DVC
#: project initialised at the root.
REPOSITORY_LEVEL = (".github/", ".gitattributes", ".pre-commit-config.yaml", ".dvc/", ".dvcignore")


def _repository_level(path: str) -> bool:
    """Folders (ending in ``/``) by prefix, files by their exact name."""

    return any(
        path.startswith(item) if item.endswith("/") else path == item for item in REPOSITORY_LEVEL
    )


class SubtreeSource:
    """Entries of ``prefix/`` seen without the prefix, plus the root's ``.github/``.

    It reads through the source it wraps and never closes it: the outer snapshot owns it.
    """

    def __init__(self, inner: object, prefix: str) -> None:
        self.inner = inner
        self.prefix = prefix.strip("/")
        self._original: dict[str, Entry] = {}
        self.outside_github: list[str] = []  # ``prefix/.github/...`` that GitHub ignores

    @property
    def absent(self) -> set[str]:
        """Blobs a partial clone lacks (see :class:`GitTreeSource`)."""

        found = getattr(self.inner, "absent", None)
        return found if isinstance(found, set) else set()

    def entries(self) -> dict[str, Entry]:
        out: dict[str, Entry] = {}
        head = self.prefix + "/"
        inner_entries: dict[str, Entry] = self.inner.entries()  # type: ignore[attr-defined]
        for path, entry in inner_entries.items():
            if _repository_level(path):
                out[path] = entry
                self._original[path] = entry
        for path, entry in inner_entries.items():
            if not path.startswith(head):
                continue
            rel = path[len(head) :]
            if rel.startswith(".github/"):
                self.outside_github.append(path)
                continue
            if rel in out:
                continue  # the repository-level file wins over a copy in the folder
            out[rel] = dataclasses.replace(entry, path=rel)
            self._original[rel] = entry
        return out

    def original_path(self, path: str) -> str:
        entry = self._original.get(path)
        return entry.path if entry is not None else path

    def link_escapes(self, entry: Entry) -> bool:
        return self.inner.link_escapes(self._original[entry.path])  # type: ignore[attr-defined]

    def read(self, entry: Entry, limit: int) -> bytes | None:
        return self.inner.read(self._original[entry.path], limit)  # type: ignore[attr-defined]

    def close(self) -> None:
        """The wrapped source belongs to the outer snapshot, which closes it."""
