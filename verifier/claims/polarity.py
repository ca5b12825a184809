"""Is a mention a claim of use, a denial, or only a hypothetical?

Works on the word tokens of one sentence and the clause that holds the mention:

* a hedge before the mention in its clause ("if we had more time we would have used DVC"), or a
  modal shortly after it ("DVC would be beneficial"), makes it hypothetical: no claim;
* a short cue just before the mention ("instead of poetry", "without caching", "no DVC"), a
  verbal negation anywhere before it in its clause ("we did not use DVC") or right after it
  ("DVC was not used") makes it a denial;
* otherwise it is a claim of use.
"""

from __future__ import annotations

import bisect
import re
from enum import StrEnum

from verifier.claims.text import SCOPE_BEFORE, Sentence, find_phrases, has_phrase
from verifier.claims.vocabulary import Vocabulary

#: A negation this close before a mention, even of another verb, leaves the mention unclaimed.
_UNCLEAR_WINDOW = 8


class Polarity(StrEnum):
    USED = "used"
    NEGATED = "negated"
    HYPOTHETICAL = "hypothetical"


def _masked(sentence: Sentence, vocab: Vocabulary, lo: int, hi: int) -> set[int]:
    """Token indexes inside negation exceptions ("not only", "no problems")."""
    out: set[int] = set()
    for a, b in find_phrases(sentence, vocab.negation_exceptions, lo, hi):
        out.update(range(a, b))
    return out


_MODALS = frozenset({"would", "could", "should", "might", "may"})
_MODAL_WINDOW = 6


def _hedged(sentence: Sentence, vocab: Vocabulary, cs: int, start: int, end: int, ce: int) -> bool:
    """A hedge before the mention in its clause ("if we had more time we would have used DVC"),
    or a modal shortly after it ("DVC would be beneficial", "by using DVC, the team could go
    back"); "could not" is a negation instead."""
    toks = sentence.tokens
    for a, b in find_phrases(sentence, vocab.hedges, cs, ce):
        if start <= a < end:
            continue
        word = toks[a].norm
        if a >= end and not (word in _MODALS and b - a == 1 and a - end < _MODAL_WINDOW):
            continue
        if b - a == 1 and word in vocab.hedge_negated_by_not and b < ce and toks[b].norm == "not":
            continue  # "could not": a negation, handled below
        return True
    return False


def _negated(
    sentence: Sentence, vocab: Vocabulary, cs: int, start: int, end: int, ce: int
) -> bool | None:
    """``True``: the mention is denied; ``None``: a negation bears on something else right
    next to it ("DVC is not essential", "we did not benefit much from DVC"), so the sentence
    claims nothing either way; ``False``: no negation."""
    toks = sentence.tokens
    masked = _masked(sentence, vocab, cs, ce)
    unclear = False
    for a, b in find_phrases(sentence, vocab.negation_short, cs, start):
        if b >= start - vocab.short_window and not masked.intersection(range(a, b)):
            return True
    for a, b in find_phrases(sentence, vocab.negation_verbal, cs, start):
        if masked.intersection(range(a, b)):
            continue
        if _new_subject_between(sentence, b, start):
            continue  # "this did not work well, and we all preferred DVC"
        if _denies_use(sentence, vocab, b, start):
            return _unless_limited(sentence, vocab, cs, ce)
        unclear = unclear or start - b <= _UNCLEAR_WINDOW
    for a, _b in find_phrases(sentence, vocab.hedges, cs, start):
        if toks[a].norm in vocab.hedge_negations and a not in masked:
            return True
    # "DVC was not used", "DVC wasn't needed" (not "13 tests, not including ...")
    k = end
    skipped = 0
    while k < ce and toks[k].norm in vocab.negation_after_aux and skipped < 3:
        k += 1
        skipped += 1
    if k >= ce or toks[k].norm not in vocab.negation_after or k in masked:
        return None if unclear else False
    gap = sentence.text[toks[end - 1].end : toks[k].start]
    contracted = toks[k].norm.endswith("n't")
    if not (skipped or contracted) or any(ch in gap for ch in ",;:()"):
        return None if unclear else False
    if not _denies_use(sentence, vocab, k + 1, None):
        return None
    return _unless_limited(sentence, vocab, cs, ce)


def _unless_limited(sentence: Sentence, vocab: Vocabulary, cs: int, ce: int) -> bool | None:
    """A verbal denial, unless its clause limits it ("we did not really use the version
    control part of DVC", "DVC was not used extensively"): then it claims nothing."""

    return None if find_phrases(sentence, vocab.denial_limiters, cs, ce) else True


#: A clause with its own subject: "..., and we all preferred DVC", "... as we simply
#: require Python 3.12".
_NEW_SUBJECT = re.compile(
    r"(?:[,;]\s*(?:and|but|so)|\b(?:as|since|because|while|whereas))\s+"
    r"(?:we|i|they|our|the team)\b",
    re.I,
)


def _new_subject_between(sentence: Sentence, after: int, mention: int) -> bool:
    """A coordinated clause with its own subject between a negation and the mention."""

    toks = sentence.tokens
    if after >= mention or after <= 0:
        return False
    return bool(_NEW_SUBJECT.search(sentence.text, toks[after - 1].end, toks[mention].start))


def _denies_use(sentence: Sentence, vocab: Vocabulary, after: int, mention: int | None) -> bool:
    """Does a use verb (or the mention) follow the negation ending at token ``after``?"""
    toks = sentence.tokens
    stop = min(len(toks), after + vocab.verb_window)
    if mention is not None and after <= mention <= after + 1:
        return True  # "not DVC", "no real DVC"
    return any(toks[k].norm in vocab.negation_verbs for k in range(after, stop))


def polarity(sentence: Sentence, start: int, end: int, vocab: Vocabulary) -> Polarity:
    """Polarity of the mention at tokens ``[start, end)`` of ``sentence``."""
    if sentence.code:
        return Polarity.USED
    cs, ce = sentence.scope(start, end)
    if _hedged(sentence, vocab, cs, start, end, ce):
        return Polarity.HYPOTHETICAL  # also "we would not use ...": nothing is claimed
    denied = _negated(sentence, vocab, cs, start, end, ce)
    if denied is None:
        return Polarity.HYPOTHETICAL  # negation of something else next to it: no claim
    return Polarity.NEGATED if denied else Polarity.USED


def has_agency(sentence: Sentence, start: int, vocab: Vocabulary, *, strict: bool = False) -> bool:
    """Does the clause of the mention (or a main clause before it) say the group did it?

    "DVC is invaluable for evolving datasets" states a fact about a tool, not a use of it.
    ``strict`` does not count the weak words ("with", "via") as agency.
    """
    if sentence.code:
        return True
    agency = vocab.agency
    if strict:
        agency = tuple(p for p in agency if " ".join(p) not in vocab.weak_agency)
    cs, ce = sentence.scope(start, start + 1)
    if has_phrase(sentence, agency, cs, ce):
        return True
    lo = max(0, start - SCOPE_BEFORE)
    first = bisect.bisect_left(sentence.clause_starts, lo)
    last = bisect.bisect_left(sentence.clause_starts, cs)
    starts = sentence.clause_starts[first:last]
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else cs
        if sentence.tokens[s].norm in vocab.subordinators:
            continue
        if has_phrase(sentence, agency, s, e):
            return True
    return False
