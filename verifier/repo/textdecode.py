"""Turning repository bytes into text and lines, the same way everywhere.

Student files come from Windows, macOS and Linux editors: UTF-8 with and without a byte
order mark, UTF-16 written by PowerShell redirection (``pip freeze > requirements.txt``),
cp1252 from old editors, CRLF and lone-CR line endings. Line numbers must match what an
editor or GitHub shows, so :func:`split_lines` splits only on ``\\r\\n``, ``\\r`` and ``\\n``
(``str.splitlines`` also splits on form feeds and Unicode separators, which shifts lines).
"""

from __future__ import annotations

import codecs
import re

#: How much of a file is looked at to decide whether it is binary.
BINARY_SNIFF_BYTES = 8192

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def bom_encoding(data: bytes) -> str | None:
    """The encoding announced by a byte order mark at the start of ``data``, if any."""

    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def is_binary(data: bytes) -> bool:
    """True when ``data`` looks binary: a NUL byte in the first 8 KB and no UTF-16/32 BOM."""

    if bom_encoding(data) in ("utf-16", "utf-32"):
        return False
    return b"\x00" in data[:BINARY_SNIFF_BYTES]


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``.

    Order: a byte order mark (stripped), strict UTF-8, strict cp1252, then latin-1 (which
    accepts every byte, so this never fails). A BOM-marked file that does not decode falls
    through to the next candidates rather than raising.
    """

    candidates: list[str] = []
    bom = bom_encoding(data)
    if bom is not None:
        candidates.append(bom)
    candidates += ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, UnicodeError):
            continue
        # The BOM-aware codecs strip the mark themselves; a stray one after UTF-8 does not.
        return text.removeprefix("\ufeff"), encoding
    return data.decode("latin-1"), "latin-1"


def split_lines(text: str) -> list[str]:
    """Lines without their endings; ``\\r\\n``, lone ``\\r`` and ``\\n`` all end a line.

    A final line ending does not produce an extra empty line, so ``len(split_lines(t))``
    is the line count an editor shows for a file that ends with a newline.
    """

    if not text:
        return []
    parts = _LINE_BREAK.split(text)
    if parts and parts[-1] == "":
        parts.pop()
    return parts
