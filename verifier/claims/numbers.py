"""Numbers in answers: digits or words ("twelve", "twenty-five"), qualifiers and ranges."""

from __future__ import annotations

from dataclasses import dataclass

from verifier.claims.text import Sentence, match_at
from verifier.claims.vocabulary import Vocabulary


@dataclass(frozen=True)
class Number:
    value: int | float | tuple[int | float, int | float]
    qualifier: str | None
    start: int  # first token (qualifier included)
    end: int  # token after the number (or after the range's upper bound)


def _digits(norm: str) -> int | None:
    # ASCII digits only: "²" and other digit-like characters are not numbers int() reads.
    if norm.isascii() and norm.isdigit() and len(norm) <= 7:
        return int(norm)
    return None


def read_int(sentence: Sentence, i: int, vocab: Vocabulary) -> tuple[int, int] | None:
    """The integer written at token ``i`` and the token after it, or ``None``.

    Words: "twelve", "twenty five" / "twenty-five", "one hundred and twenty", "a dozen".
    "single" counts only as "a single".
    """
    toks = sentence.tokens
    if i >= len(toks):
        return None
    d = _digits(toks[i].norm)
    if d is not None:
        return d, i + 1
    words, scales = vocab.number_words, vocab.number_scales
    first = toks[i].norm
    if first not in words:
        return None
    if first == "single" and not (i > 0 and toks[i - 1].norm in {"a", "one"}):
        return None
    total = 0
    current = 0
    prev: str | None = None  # "unit" (0-9), "teen" (10-19), "ten" (20-90), "scale", "and"
    j = i
    while j < len(toks):
        w = toks[j].norm
        if w in words and not (w == "single" and j != i):
            v = words[w]
            if prev in (None, "scale", "and") or (prev == "ten" and 1 <= v <= 9):
                current += v
            else:
                break
            prev = "unit" if v < 10 else "teen" if v < 20 else "ten"
        elif w in scales and prev in ("unit", "teen", "ten"):
            if scales[w] < 1000:
                current *= scales[w]
            else:
                total += current * scales[w]
                current = 0
            prev = "scale"
        elif w == "and" and prev == "scale" and j + 1 < len(toks) and toks[j + 1].norm in words:
            prev = "and"
        else:
            break
        j += 1
    return total + current, j


_BY_LAST: dict[int, tuple[Vocabulary, dict[str, list[tuple[tuple[str, ...], str]]]]] = {}


def _qualifiers_ending(vocab: Vocabulary) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """The vocabulary's qualifier phrases by last word (longest first), built once."""
    hit = _BY_LAST.get(id(vocab))
    if hit is not None and hit[0] is vocab:
        return hit[1]
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for words, canon in vocab.qualifiers:
        index.setdefault(words[-1], []).append((words, canon))
    _BY_LAST.clear()
    _BY_LAST[id(vocab)] = (vocab, index)
    return index


def qualifier_before(sentence: Sentence, i: int, vocab: Vocabulary) -> tuple[str | None, int]:
    """The qualifier ending right before token ``i`` and the token it starts at."""
    toks = sentence.tokens
    previous = toks[i - 1].norm if i > 0 else ""
    for words, canon in _qualifiers_ending(vocab).get(previous, ()):
        a = i - len(words)
        if a < 0:
            continue
        if match_at(sentence, a, words) == i:
            gap = sentence.text[toks[i - 1].end : toks[i].start]
            if len(gap) <= 3:
                return canon, a
    # a symbol glued to the number: "~45", "≈ 45"
    start = toks[i].start
    k = start - 1
    while k >= 0 and sentence.text[k] == " " and start - k < 3:
        k -= 1
    if k >= 0 and sentence.text[k] in "~≈":
        return "approximately", i
    return None, i


def qualifier_after(sentence: Sentence, end_token: int, vocab: Vocabulary) -> str | None:
    """A qualifier glued after the number: "200+", "45ish"."""
    toks = sentence.tokens
    pos = toks[end_token - 1].end
    text = sentence.text
    if pos < len(text) and text[pos] == "+":
        return vocab.qualifier_suffixes.get("+")
    if end_token < len(toks) and toks[end_token].norm == "ish":
        return vocab.qualifier_suffixes.get("ish")
    return None


def read_count(sentence: Sentence, i: int, vocab: Vocabulary) -> Number | None:
    """A count at token ``i``: "77", "approximately 45", "between 20 and 30", "20-30", "200+"."""
    first = read_int(sentence, i, vocab)
    if first is None:
        return None
    value, j = first
    toks = sentence.tokens
    qualifier, start = qualifier_before(sentence, i, vocab)
    ranged = i > 0 and toks[i - 1].norm in vocab.range_words
    # the upper bound: "20-30", "20 to 30", "20 and 30" (after "between")
    if j < len(toks):
        gap = sentence.text[toks[j - 1].end : toks[j].start].strip()
        joiner = toks[j].norm if toks[j].norm in vocab.range_joiners else None
        second = None
        if gap in {"-", "–", "—"}:
            second = read_int(sentence, j, vocab)
        elif joiner and (joiner != "and" or ranged) and gap == "":
            second = read_int(sentence, j + 1, vocab)
        if second is not None and second[0] > value:
            if ranged:
                start = i - 1
            return Number((value, second[0]), "range", start, second[1])
    qualifier = qualifier or qualifier_after(sentence, j, vocab)
    if qualifier_after(sentence, j, vocab) == "approximately" and j < len(toks):
        j += 1  # "45ish"
    return Number(value, qualifier, start, j)
