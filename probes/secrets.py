"""Secrets a group committed: W&B API keys, GCP service-account keys, tokens in `.env` files.

A verification bot reads every file of the repository, so it is the one place a leaked key
gets noticed; the finding tells the group where it is (path and line) so that they can
revoke it. The secret itself never leaves this module: evidence carries a masked form (its
first four characters) and the kind of secret, never the line it sits on.

Detection uses `detect-secrets <https://github.com/Yelp/detect-secrets>`_ (its specific
detectors: private keys, GitHub, AWS, OpenAI, Slack, ... tokens, and its keyword detector)
when it is installed. Its entropy detectors fire on every quoted hash, so their hits count
only on a line whose name says it holds a credential. Three rules are this module's own,
because no detector knows the course's tools and they hold without the package too: a
GCP service-account JSON file (``"type": "service_account"`` with a ``private_key``), a
W&B API key assigned to a W&B name (40 hexadecimal characters, also unquoted as ``.env``
files write it), and a PEM private-key block.

Not registered for a checklist item: :func:`find_secrets` is called by the audit directly.
"""

from __future__ import annotations

import json
import math
import posixpath
import re
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from probes._common import own_files
from verifier.engine.registry import repo_check
from verifier.findings import Evidence
from verifier.repo.textdecode import split_lines

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

#: Lines longer than this are not scanned (minified files, notebook images): linear cost.
MAX_LINE_CHARS = 2000
#: Characters of a secret shown in evidence.
SHOWN_CHARS = 4

#: Files whose content is hashes and versions by design, or data, not configuration.
_SKIPPED_NAMES = frozenset(
    {
        "uv.lock",
        "poetry.lock",
        "pdm.lock",
        "pipfile.lock",
        "package-lock.json",
        "yarn.lock",
        "dvc.lock",
    }
)
_SKIPPED_SUFFIXES = (".csv", ".tsv", ".svg", ".lock", ".min.js", ".map", ".dvc")
#: Binary formats, skipped by name so that a folder of 50,000 images is not read to find
#: out that each is binary (a key file is text; a pickle or checkpoint is not a config).
_BINARY_SUFFIXES = (
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".bmp",
    ".tif",
    ".tiff",
    ".webp",
    ".ico",
    ".pdf",
    ".zip",
    ".gz",
    ".tgz",
    ".tar",
    ".7z",
    ".pt",
    ".pth",
    ".ckpt",
    ".onnx",
    ".safetensors",
    ".bin",
    ".npy",
    ".npz",
    ".pkl",
    ".pickle",
    ".joblib",
    ".h5",
    ".hdf5",
    ".parquet",
    ".feather",
    ".arrow",
    ".mp3",
    ".mp4",
    ".wav",
    ".flac",
    ".avi",
    ".mov",
    ".woff",
    ".woff2",
    ".ttf",
    ".xlsx",
    ".docx",
    ".pptx",
)
#: Larger files get this module's own rules only: detect-secrets' line-by-line detectors
#: would cost seconds on a data dump, and keys are committed in small files.
DETECTOR_MAX_CHARS = 300_000

#: The name on a line says it holds a credential (``WANDB_API_KEY=``, ``"token":``).
_CREDENTIAL_NAME = re.compile(
    r"(api[_-]?key|access[_-]?key|secret|token|passw(?:or)?d|private[_-]?key|credential|wandb)",
    re.IGNORECASE,
)
#: A value that refers to a secret kept elsewhere: ``${{ secrets.X }}``, ``${VAR}``, ``$VAR``.
_REFERENCE = re.compile(r"\$\{\{|\$\{|\$[A-Z_]|os\.environ|getenv|<[^>]*>|your[_-]", re.I)

# W&B: ``WANDB_API_KEY=<40 hex>``, ``wandb_key: "<40 hex>"``, ``wandb.login(key="<40 hex>")``.
_WANDB = re.compile(
    r"(?P<name>wandb[\w.]*(?:\(\s*key)?|api[_-]?key)\b[\"']?\s*[:=]\s*[\"']?"
    r"(?P<value>(?:local-)?[0-9a-f]{40})(?![0-9a-zA-Z])",
    re.IGNORECASE,
)
#: Lines worth handing to detect-secrets: a long token (every key and token it knows, and
#: the only keyword and entropy hits kept) or credentials in a URL (``://user:pass@``).
_CANDIDATE = re.compile(r"[A-Za-z0-9+/_=.-]{16,}|://[^/\s:@]+:[^/\s@]+@")
_DIGIT = re.compile(r"\d")


def _candidate(line: str) -> bool:
    """A run of 16+ token characters with a digit in it (every key and token format has
    digits; long identifiers such as ``test_model_forward_pass`` do not), or a URL with
    credentials."""

    for m in _CANDIDATE.finditer(line):
        if m.group(0).startswith("://") or _DIGIT.search(m.group(0)):
            return True
    return False


_PEM = re.compile(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----")

_DETECT_SECRETS_LOCK = threading.Lock()

#: detect-secrets detectors whose hits are not credentials (public IP addresses).
_IGNORED_PLUGINS = frozenset({"IPPublicDetector"})
_ENTROPY_PLUGINS = frozenset({"Base64HighEntropyString", "HexHighEntropyString"})


@dataclass(frozen=True)
class _Hit:
    line: int
    kind: str
    secret: str


def mask(secret: str) -> str:
    """The first characters and a fixed run of stars: neither the secret nor its length."""

    shown = secret[:SHOWN_CHARS] if len(secret) > 2 * SHOWN_CHARS else ""
    return f"{shown}********"


def _entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def _scanned(path: str) -> bool:
    name = posixpath.basename(path).lower()
    return name not in _SKIPPED_NAMES and not name.endswith(_SKIPPED_SUFFIXES + _BINARY_SUFFIXES)


# --------------------------------------------------------------------------- own rules


def _service_account_hits(path: str, text: str, lines: list[str]) -> list[_Hit]:
    if not path.lower().endswith(".json") or '"service_account"' not in text:
        return []
    try:
        data: Any = json.loads(text)
    except ValueError:
        return []
    docs = data if isinstance(data, list) else [data]
    hits = []
    for doc in docs:
        if not isinstance(doc, dict) or doc.get("type") != "service_account":
            continue
        key = doc.get("private_key")
        if not isinstance(key, str) or not key.strip():
            continue
        line = next((i for i, ln in enumerate(lines, 1) if '"private_key"' in ln), 1)
        body = re.sub(r"-----[A-Z ]+-----|\\n|\s", "", key)
        hits.append(_Hit(line, "GCP service-account private key", body or key))
    return hits


def _rule_hits(line_no: int, line: str) -> Iterator[_Hit]:
    for m in _WANDB.finditer(line):
        yield _Hit(line_no, "W&B API key", m.group("value"))
    m = _PEM.search(line)
    if m:
        rest = line[m.end() :].replace("\\n", "").strip(" \",'")
        yield _Hit(line_no, "private key", rest or m.group(0))


# --------------------------------------------------------------------------- detect-secrets


def _detector() -> Any | None:
    """``(plugins, get_code_snippet)`` of detect-secrets with its default settings, or None."""

    try:
        from detect_secrets.settings import default_settings, get_plugins
        from detect_secrets.util.code_snippet import get_code_snippet
    except ImportError:
        return None
    with _DETECT_SECRETS_LOCK, default_settings():
        plugins = [p for p in get_plugins() if type(p).__name__ not in _IGNORED_PLUGINS]
    return plugins, get_code_snippet


def _detect_secrets_hits(
    detector: Any, path: str, lines: list[str], todo: list[int]
) -> Iterator[_Hit]:
    plugins, snippet = detector
    for index in todo:
        line = lines[index]
        context = snippet(lines, index + 1)
        for plugin in plugins:
            name = type(plugin).__name__
            try:
                found = plugin.analyze_line(
                    filename=path, line=line, line_number=index + 1, context=context
                )
            except Exception:  # noqa: S112 - one detector failing must not hide the others
                continue
            for secret in found:
                value = secret.secret_value or ""
                if not value:
                    continue
                if name in _ENTROPY_PLUGINS or name == "KeywordDetector":
                    if not _CREDENTIAL_NAME.search(line) or _REFERENCE.search(value):
                        continue
                    if len(value) < 16 or _entropy(value) < 3.0:
                        continue
                yield _Hit(index + 1, str(secret.type), value)


# --------------------------------------------------------------------------- the finder


@repo_check("secrets", "Secrets committed to the repository (masked)")
def find_secrets(snap: Snapshot) -> list[Evidence]:
    """Evidence for every committed secret: path, line, the kind and a masked form.

    One piece of evidence per line (this module's own rules first, as they name the kind
    best); sorted by path and line. Never raises on student files (unreadable ones are
    skipped).
    """

    detector = _detector()
    out: dict[tuple[str, int], Evidence] = {}
    for path in own_files(snap):
        if not _scanned(path):
            continue
        text = snap.passing_text(path)  # not kept: this pass reads every file
        if not text:
            continue
        lines = split_lines(text)
        todo = [i for i, ln in enumerate(lines) if ln.strip() and len(ln) <= MAX_LINE_CHARS]
        hits = _service_account_hits(path, text, lines)
        if hits:  # the whole key file is one leak; its key id and e-mail add nothing
            todo = []
        for i in todo:
            hits.extend(_rule_hits(i + 1, lines[i]))
        if detector is not None and len(text) <= DETECTOR_MAX_CHARS:
            candidates = [i for i in todo if _candidate(lines[i])]
            hits.extend(_detect_secrets_hits(detector, path, lines, candidates))
        for hit in hits:
            key = (path, hit.line)
            if key in out:
                continue
            out[key] = Evidence(
                path=snap.repo_path(path),
                line=hit.line,
                text=f"{hit.kind}: {mask(hit.secret)}",
                why=f"a {hit.kind} committed to the repository; revoke it and remove it "
                "from the history",
            )
    return sorted(out.values(), key=lambda e: (e.path, e.line or 0))


__all__ = ["find_secrets", "mask"]
