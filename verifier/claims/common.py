"""Helpers shared by the claim readers: building a :class:`Claim` from a sentence span."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from verifier.claims.model import Claim
from verifier.claims.text import Sentence, find_phrases
from verifier.claims.vocabulary import Entry, Phrase, Vocabulary


@dataclass(frozen=True)
class Ctx:
    """One sentence of one answer being read."""

    question: int
    sentence: Sentence
    vocab: Vocabulary


def claim_at(
    ctx: Ctx,
    kind: str,
    start: int,
    end: int,
    value: object,
    *,
    qualifier: str | None = None,
    negated: bool = False,
    tags: tuple[str, ...] = (),
    extra: tuple[tuple[str, str], ...] = (),
) -> Claim:
    """A claim made by tokens ``[start, end)`` of the context's sentence."""
    s = ctx.sentence
    a = s.tokens[start].start
    b = s.tokens[max(end - 1, start)].end
    return claim_chars(
        ctx,
        kind,
        a,
        b,
        value,
        qualifier=qualifier,
        negated=negated,
        tags=tags,
        extra=extra,
        clause_token=start,
    )


def claim_chars(
    ctx: Ctx,
    kind: str,
    a: int,
    b: int,
    value: object,
    *,
    qualifier: str | None = None,
    negated: bool = False,
    tags: tuple[str, ...] = (),
    extra: tuple[tuple[str, str], ...] = (),
    clause_token: int | None = None,
) -> Claim:
    """A claim made by characters ``[a, b)`` of the context's sentence."""
    s = ctx.sentence
    if s.code:
        tags = (*tags, "code") if "code" not in tags else tags
    if clause_token is not None and s.tokens:
        quote = s.clause_text(clause_token)
        if s.text[a:b].strip() and " ".join(s.text[a:b].split()) not in quote:
            quote = s.quote(a, b)
    else:
        quote = s.quote(a, b)
    return Claim(
        kind=kind,
        question=ctx.question,
        line=s.line_at(a),
        quote=quote,
        value=value,
        qualifier=qualifier,
        negated=negated,
        sentence=s.flat,
        tags=tags,
        extra=extra,
    )


@functools.lru_cache(maxsize=64)
def alias_index(entries: tuple[Entry, ...]) -> tuple[tuple[Phrase, ...], dict[Phrase, Entry]]:
    """All aliases of ``entries`` (longest first) and the entry each belongs to."""
    owner: dict[Phrase, Entry] = {}
    for entry in entries:
        for alias in entry.aliases:
            owner.setdefault(alias, entry)
    phrases = tuple(sorted(owner, key=len, reverse=True))
    return phrases, owner


def mentions(sentence: Sentence, entries: tuple[Entry, ...]) -> list[tuple[Entry, int, int]]:
    """Every mention of one of ``entries`` in the sentence: (entry, start token, end token).

    Words inside URLs ("github.com/org/train-ruff") are not mentions."""
    phrases, owner = alias_index(entries)
    return [
        (owner[sentence_phrase(sentence, a, b)], a, b)
        for a, b in find_phrases(sentence, phrases)
        if not sentence.in_url(sentence.tokens[a].start)
    ]


def sentence_phrase(sentence: Sentence, a: int, b: int) -> Phrase:
    return tuple(t.norm for t in sentence.tokens[a:b])
