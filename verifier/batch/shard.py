"""Deterministic shards: ``--shard I/N`` keeps the repositories whose stable hash falls in
slice ``I`` (1-based) of ``N``. A repository's shard depends only on its own URL, so adding
a group to the class list moves no other group to another shard."""

from __future__ import annotations

import hashlib
import re

from verifier.batch.classlist import BatchEntry
from verifier.errors import InputError

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/4"`` -> ``(2, 4)``; raises InputError unless ``1 <= I <= N``."""

    found = _SHARD.match(text)
    if not found:
        raise InputError(f"--shard {text!r} is not of the form I/N (e.g. 2/4)")
    index, count = int(found.group(1)), int(found.group(2))
    if count < 1 or not 1 <= index <= count:
        raise InputError(f"--shard {text!r}: I must be between 1 and N")
    return index, count


def shard_of(key: str, count: int) -> int:
    """The 1-based shard of ``key`` among ``count`` shards (SHA-256, not Python's hash)."""

    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def select_shard(entries: list[BatchEntry], shard: tuple[int, int] | None) -> list[BatchEntry]:
    if shard is None:
        return list(entries)
    index, count = shard
    return [e for e in entries if shard_of(e.key, count) == index]
