"""Sentences of an answer with their report lines, their words and their clauses.

An answer's text keeps the report's lines (``Answer.start_line`` + the index of a line in
``Answer.text``), so each sentence carries a map from its character offsets to report lines.
All scanning is a single pass over the text with simple, bounded patterns.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

from verifier.claims.vocabulary import Phrase, Vocabulary

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]{1,2})?|[~≈🤗]")
_FENCE = re.compile(r"^[ \t]{0,3}(?:`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]")
_TABLE_ROW = re.compile(r"^[ \t]*\|")
_COMMAND = re.compile(r"^[ \t]*(?:\$[ \t]+)?([a-z][a-z0-9_.-]{0,20})[ \t]+[-a-z0-9./$\"'`]")
# A row of a coverage report pasted without a code fence: "src/x.py   70   2   97%".
_COVERAGE_ROW = re.compile(
    r"^[ \t]*(?:TOTAL|[\w./\\-]{1,200}\.py)[ \t]+\d+[ \t]+\d+(?:[ \t]+\d+[ \t]+\d+)?"
    r"[ \t]+\d{1,3}(?:\.\d+)?%"
)
_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]{1,2000}", re.I)
# Sentence ends; a run of punctuation is only tried from its first character (linear).
_END = re.compile(r"(?<![.!?])[.!?]+[\"'”’)\]*_`]*(?=\s)")
_JOIN_GAP = frozenset(" \t\n-_.&/+")
#: Words before / after a mention that can still bear on it (negation, hedges, agency).
SCOPE_BEFORE = 40
SCOPE_AFTER = 20


@dataclass(frozen=True)
class Token:
    norm: str  # lowercase, apostrophes normalised
    start: int
    end: int


@dataclass
class Sentence:
    """One sentence (or one code line) of an answer."""

    text: str
    line_starts: tuple[tuple[int, int], ...]  # (offset in text, 1-based report line)
    code: bool = False
    tokens: list[Token] = field(default_factory=list)
    clause_starts: list[int] = field(default_factory=list)  # token indexes where clauses start
    token_ends: list[int] = field(default_factory=list)
    _flat: str | None = field(default=None, repr=False)
    _urls: list[tuple[int, int]] | None = field(default=None, repr=False)

    def in_url(self, offset: int) -> bool:
        """Is character ``offset`` inside a URL (``https://...``)?"""
        if self._urls is None:
            self._urls = [(m.start(), m.end()) for m in _URL.finditer(self.text)]
        k = bisect.bisect_right(self._urls, (offset, 1 << 62)) - 1
        return k >= 0 and self._urls[k][0] <= offset < self._urls[k][1]

    def token_at(self, offset: int) -> int | None:
        """Index of the first token ending after character ``offset`` (covering or after it)."""
        k = bisect.bisect_right(self.token_ends, offset)
        if k < len(self.tokens):
            return k
        return len(self.tokens) - 1 if self.tokens else None  # after the last word

    def line_at(self, offset: int) -> int:
        k = bisect.bisect_right(self.line_starts, (offset, 1 << 62)) - 1
        return self.line_starts[max(k, 0)][1]

    @property
    def line(self) -> int:
        return self.line_starts[0][1]

    @property
    def flat(self) -> str:
        """The sentence with whitespace collapsed (for display; computed once)."""
        if self._flat is None:
            self._flat = " ".join(self.text.split())
        return self._flat

    def scope(self, start: int, end: int) -> tuple[int, int]:
        """The clause of tokens ``[start, end)``, cut to a bounded window around them.

        Cue words further away do not bear on a mention, and the bound keeps the cost per
        mention constant on a very long sentence.
        """
        cs, ce = self.clause_of(start)
        return max(cs, start - SCOPE_BEFORE), min(ce, end + SCOPE_AFTER)

    def clause_of(self, index: int) -> tuple[int, int]:
        """Token index range ``[start, end)`` of the clause holding token ``index``."""
        k = bisect.bisect_right(self.clause_starts, index) - 1
        start = self.clause_starts[k] if k >= 0 else 0
        end = self.clause_starts[k + 1] if k + 1 < len(self.clause_starts) else len(self.tokens)
        return start, end

    def quote(self, start: int, end: int, limit: int = 200) -> str:
        """The words around ``[start, end)`` (character offsets), at most ``limit`` chars."""
        return window(self.text, start, end, limit)

    def clause_text(self, index: int, limit: int = 200) -> str:
        cs, ce = self.clause_of(index)
        a = self.tokens[cs].start
        b = self.tokens[ce - 1].end
        tok = self.tokens[index]
        if b - a > limit:
            return window(self.text, tok.start, tok.end, limit)
        return " ".join(self.text[a:b].split())


def window(text: str, start: int, end: int, limit: int = 200) -> str:
    """Whitespace-collapsed text around ``[start, end)``, cut at word bounds to ``limit``."""
    span = max(end - start, 0)
    room = max(limit - span, 0) // 2
    a = max(0, start - room)
    b = min(len(text), end + room)
    if a > 0:
        space = text.find(" ", a, start)
        a = space + 1 if space != -1 else a
    if b < len(text):
        space = text.rfind(" ", end, b)
        b = space if space != -1 else b
    out = " ".join(text[a:b].split())
    return out[:limit].strip()


def tokenize(text: str) -> list[Token]:
    return [
        Token(m.group(0).lower().replace("’", "'"), m.start(), m.end())
        for m in _TOKEN.finditer(text)
    ]


def match_at(sentence: Sentence, i: int, words: Phrase) -> int | None:
    """End token index if ``words`` match the tokens starting at ``i`` (joined tightly)."""
    toks = sentence.tokens
    if i + len(words) > len(toks):
        return None
    for k, w in enumerate(words):
        t = toks[i + k]
        if t.norm != w:
            return None
        if k:
            gap = sentence.text[toks[i + k - 1].end : t.start]
            if len(gap) > 3 or any(ch not in _JOIN_GAP for ch in gap):
                return None
    return i + len(words)


def find_phrases(
    sentence: Sentence, phrases: tuple[Phrase, ...], lo: int = 0, hi: int | None = None
) -> list[tuple[int, int]]:
    """Non-overlapping matches ``(start, end)`` of any phrase in tokens ``[lo, hi)``.

    ``phrases`` are longest first, so "pytorch lightning" wins over "pytorch".
    """
    hi = len(sentence.tokens) if hi is None else hi
    by_first = _by_first(phrases)
    out: list[tuple[int, int]] = []
    i = lo
    while i < hi:
        found = None
        for p in by_first.get(sentence.tokens[i].norm, ()):
            end = match_at(sentence, i, p)
            if end is not None and end <= hi:
                found = end
                break
        if found is not None:
            out.append((i, found))
            i = found
        else:
            i += 1
    return out


_BY_FIRST: dict[int, tuple[tuple[Phrase, ...], dict[str, list[Phrase]]]] = {}


def _by_first(phrases: tuple[Phrase, ...]) -> dict[str, list[Phrase]]:
    """Phrases grouped by first word; cached per tuple object (vocabulary tuples live long)."""
    hit = _BY_FIRST.get(id(phrases))
    if hit is not None and hit[0] is phrases:
        return hit[1]
    by_first: dict[str, list[Phrase]] = {}
    for p in phrases:
        by_first.setdefault(p[0], []).append(p)
    if len(_BY_FIRST) > 512:
        _BY_FIRST.clear()
    _BY_FIRST[id(phrases)] = (phrases, by_first)
    return by_first


def has_phrase(
    sentence: Sentence, phrases: tuple[Phrase, ...], lo: int = 0, hi: int | None = None
) -> bool:
    return bool(find_phrases(sentence, phrases, lo, hi))


# ---------------------------------------------------------------------------------------------
# Splitting


def _is_command(line: str, vocab: Vocabulary) -> bool:
    m = _COMMAND.match(line)
    if not m or m.group(1) not in vocab.commands:
        return False
    return not line.rstrip().endswith(".")


def _line_start(text: str, k: int) -> bool:
    """Is only blank space between position ``k`` and the start of its line?"""
    while k >= 0 and text[k] in " \t":
        k -= 1
    return k < 0 or text[k] == "\n"


def _split_paragraph(
    lines: list[tuple[int, str]], vocab: Vocabulary, *, code: bool = False
) -> list[Sentence]:
    """Split joined lines into sentences at ``. ! ?`` followed by a likely sentence start."""
    text_parts: list[str] = []
    starts: list[tuple[int, int]] = []
    pos = 0
    for lineno, content in lines:
        starts.append((pos, lineno))
        text_parts.append(content)
        pos += len(content) + 1
    text = "\n".join(text_parts)
    cuts = [0]
    if not code:
        for m in _END.finditer(text):
            nxt = m.end()
            while nxt < len(text) and text[nxt].isspace():
                nxt += 1
            if nxt >= len(text):
                continue
            ch = text[nxt]
            if not (ch.isupper() or ch.isdigit() or ch in "\"'`*[(#-“‘"):
                continue
            if m.group(0).rstrip("\"'”’)]*_`") == ".":
                w0 = m.start() - 1
                while w0 >= 0 and (text[w0].isalnum() or text[w0] == "."):
                    w0 -= 1
                before = text[w0 + 1 : m.start()].lower()
                if before in vocab.abbreviations or (len(before) == 1 and before.isalpha()):
                    continue
                if before.isdigit() and _line_start(text, w0):
                    continue  # "1. Step" of a numbered list
            cuts.append(m.end())
    cuts.append(len(text))
    out: list[Sentence] = []
    offsets = [s for s, _ in starts]
    for a, b in itertools.pairwise(cuts):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a >= b:
            continue
        piece = text[a:b]
        k = bisect.bisect_right(offsets, a) - 1
        local = [(0, starts[k][1])]
        k += 1
        while k < len(starts) and starts[k][0] < b:
            local.append((starts[k][0] - a, starts[k][1]))
            k += 1
        out.append(_finish(Sentence(piece, tuple(local), code=code), vocab))
    return out


def _finish(sentence: Sentence, vocab: Vocabulary) -> Sentence:
    sentence.tokens = tokenize(sentence.text)
    sentence.token_ends = [t.end for t in sentence.tokens]
    sentence.clause_starts = _clauses(sentence, vocab)
    return sentence


def _clauses(sentence: Sentence, vocab: Vocabulary) -> list[int]:
    """Token indexes where clauses start: after ``; :`` and spaced dashes, at words like
    "but"/"however", and after a comma followed by "which", "we", "since", ...
    """
    toks = sentence.tokens
    text = sentence.text
    starts = [0]
    for i in range(1, len(toks)):
        gap = text[toks[i - 1].end : toks[i].start]
        w = toks[i].norm
        if (
            ";" in gap
            or (":" in gap and any(ch.isspace() for ch in gap[gap.index(":") :]))
            or " - " in gap
            or "—" in gap
            or " – " in gap
            or w in vocab.clause_words
            or ("," in gap and w in vocab.comma_clause_words)
        ):
            starts.append(i)
    return starts


def sentences_of(text: str, first_line: int, vocab: Vocabulary) -> list[Sentence]:
    """Sentences of an answer text whose first line is report line ``first_line``.

    Blank lines, list items, headings, table rows and shell command lines start new sentences;
    lines inside fenced code blocks are sentences of their own, marked ``code``.
    """
    out: list[Sentence] = []
    para: list[tuple[int, str]] = []
    in_fence = False

    def flush() -> None:
        if para:
            out.extend(_split_paragraph(para, vocab))
            para.clear()

    for k, line in enumerate(text.split("\n")):
        lineno = first_line + k
        if _FENCE.match(line):
            flush()
            in_fence = not in_fence
            continue
        if (
            in_fence
            or _is_command(line, vocab)
            or _COVERAGE_ROW.match(line)
            or _TABLE_ROW.match(line)
        ):
            flush()
            if line.strip():
                out.extend(
                    _split_paragraph([(lineno, line)], vocab, code=not _TABLE_ROW.match(line))
                )
            continue
        if not line.strip():
            flush()
            continue
        if _LIST_ITEM.match(line) or _HEADING.match(line):
            flush()
        para.append((lineno, line))
    flush()
    return out
