"""The repository under audit: one commit (or a plain directory) as a read-only snapshot."""

from verifier.repo.history import AuthorStat, CommitInfo, HistoryFacts
from verifier.repo.snapshot import (
    ParsedDoc,
    SkippedFile,
    Snapshot,
    SnapshotError,
    git_blob_sha1,
    glob_regex,
    normalize_path,
    open_snapshot,
    parse_toml,
    parse_yaml,
    parse_yaml_all,
)
from verifier.repo.textdecode import decode_text, is_binary, split_lines

__all__ = [
    "AuthorStat",
    "CommitInfo",
    "HistoryFacts",
    "ParsedDoc",
    "SkippedFile",
    "Snapshot",
    "SnapshotError",
    "decode_text",
    "git_blob_sha1",
    "glob_regex",
    "is_binary",
    "normalize_path",
    "open_snapshot",
    "parse_toml",
    "parse_yaml",
    "parse_yaml_all",
    "split_lines",
]
