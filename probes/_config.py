"""Tool settings the group wrote: a section of an INI file (``pytest.ini``, ``setup.cfg``,
``tox.ini``, ``.coveragerc``) and a table of ``pyproject.toml``, read the same way by every
probe that needs pytest or coverage options."""

from __future__ import annotations

import configparser
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot


def ini_section(snap: Snapshot, path: str, section: str) -> dict[str, str] | None:
    """The options of ``[section]`` in the INI file ``path``; None when the file is missing,
    unreadable or has no such section (a broken file is no setting, never an exception)."""

    text = snap.text(path) if snap.exists(path) else None
    if not text:
        return None
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
        if not parser.has_section(section):
            return None
        return dict(parser.items(section))
    except configparser.Error:
        return None


def pyproject_table(snap: Snapshot, *keys: str) -> dict[str, Any] | None:
    """The table at ``keys`` of ``pyproject.toml`` (``"tool", "pytest", "ini_options"``);
    None when the file or the table is missing or not a table."""

    if not snap.exists("pyproject.toml"):
        return None
    node: Any = snap.toml("pyproject.toml").value
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node if isinstance(node, dict) else None
