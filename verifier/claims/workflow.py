"""Claims about the group's git workflow (Q9: "Did your workflow include using branches and
pull requests?"): branches of work, pull requests, reviews of pull requests, branch protection.

The words come from the ``workflow:`` section of the claim vocabulary. Each mention goes
through the shared polarity rules (:mod:`.polarity`): a hypothetical ("pull requests would help
...") claims nothing, a denial ("we did not use pull requests") is a negated claim, and a claim
of use needs the group as its subject ("we", "our", "used", ...), so "Pull requests allow for
code review" states a fact about pull requests, not a use of them.

The trunk is not a branch of work: "we pushed directly to the main branch" or "a single branch"
claims no branching. An answer opening with "No" denies pull requests and branches unless it
names them itself (:func:`workflow_answer`).
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
from dataclasses import dataclass
from typing import Any

import yaml

from verifier.claims.common import Ctx, claim_at
from verifier.claims.model import Claim
from verifier.claims.polarity import Polarity, polarity
from verifier.claims.text import SCOPE_BEFORE, Sentence, find_phrases, has_phrase
from verifier.claims.vocabulary import Phrase, phrase, vocabulary_data

#: Claim kinds read from the workflow answer, in the order they are reported.
WORKFLOW_KINDS = ("uses-branches", "uses-pull-requests", "pr-reviews", "branch-protection")
#: Kinds an answer "No" denies when the answer does not name them itself.
_ANSWER_NO_KINDS = ("uses-branches", "uses-pull-requests")
#: Tags one claim of a kind lends to the others of the answer (dedupe keeps only the first).
_SPREAD_TAGS = frozenset({"all", "on-pr"})
#: Tags one claim of a kind lends to the others of the answer (dedupe keeps only the first).
_SPREAD_TAGS = frozenset({"all", "on-pr"})
#: A verb of avoiding denies a mention at most this many words after it.
_DENIAL_WINDOW = 4
#: Words that introduce the means of doing something, not the thing avoided.
_MEANS = frozenset({"by", "via", "through", "with", "thanks"})
#: After a trunk word, "one branch per member" is still branching.
_PER_WORDS = frozenset({"per", "each"})


@dataclass(frozen=True)
class WorkflowWords:
    """The ``workflow:`` section of the vocabulary, as phrases."""

    branch: tuple[Phrase, ...] = ()
    trunk: frozenset[str] = frozenset()
    branch_not_before: frozenset[str] = frozenset()
    pr: tuple[Phrase, ...] = ()
    review: tuple[Phrase, ...] = ()
    protect: tuple[Phrase, ...] = ()
    all_words: tuple[Phrase, ...] = ()
    pr_context: tuple[Phrase, ...] = ()
    agency: tuple[Phrase, ...] = ()
    limiters: tuple[Phrase, ...] = ()
    denials: tuple[Phrase, ...] = ()
    double_negation: frozenset[str] = frozenset()
    answer_no: frozenset[str] = frozenset()


def _phrases(items: Any) -> tuple[Phrase, ...]:
    out = {phrase(str(x)) for x in items or [] if isinstance(x, str | int)}
    return tuple(sorted((p for p in out if p), key=len, reverse=True))


def _words(items: Any) -> frozenset[str]:
    return frozenset(str(x).lower() for x in items or [] if x is not None)


def build_workflow_words(section: Any) -> WorkflowWords:
    """:class:`WorkflowWords` from the parsed ``workflow:`` mapping (tests may pass their own)."""
    if not isinstance(section, dict):
        return WorkflowWords()
    return WorkflowWords(
        branch=_phrases(section.get("branch_words")),
        trunk=_words(section.get("trunk_words")),
        branch_not_before=_words(section.get("branch_not_before")),
        pr=_phrases(section.get("pr_words")),
        review=_phrases(section.get("review_words")),
        protect=_phrases(section.get("protect_words")),
        all_words=_phrases(section.get("all_words")),
        pr_context=_phrases(section.get("pr_context")),
        agency=_phrases(section.get("agency")),
        limiters=_phrases(section.get("limiters")),
        denials=_phrases(section.get("denial_words")),
        double_negation=_words(section.get("double_negation")),
        answer_no=_words(section.get("answer_no")),
    )


@functools.cache
def workflow_words() -> WorkflowWords:
    """The bundled ``workflow:`` vocabulary (parsed once; empty when unreadable)."""
    try:
        data = vocabulary_data()
    except (OSError, yaml.YAMLError):
        return WorkflowWords()
    return build_workflow_words(data.get("workflow") if isinstance(data, dict) else None)


def _claimed(ctx: Ctx, words: WorkflowWords, a: int, b: int) -> Polarity | None:
    """The polarity of a mention, or ``None`` when it claims nothing (hypothetical, or no
    agency for a claim of use)."""
    s = ctx.sentence
    pol = polarity(s, a, b, ctx.vocab)
    if pol is Polarity.HYPOTHETICAL or _hedged_before(s, a, ctx):
        return None
    cs, ce = s.scope(a, b)
    if pol is Polarity.USED and _avoided(s, words, cs, a, ctx):
        pol = Polarity.NEGATED  # "we avoided branches and pull requests"
    if pol is Polarity.NEGATED:
        if _double_negation(s, words, cs, a, ctx):
            pol = Polarity.USED  # "we never merged without the approval of another member"
        elif has_phrase(s, words.limiters, cs, ce):
            return None  # "at the start we didn't use pull requests much"
    if pol is Polarity.USED and not _has_agency(s, words, a, ctx):
        return None
    return pol


def _hedged_before(s: Sentence, a: int, ctx: Ctx) -> bool:
    """A hedge anywhere before the mention in its sentence, not only in its clause: "they
    could create a pull request, allowing the team to review the code" is still hypothetical.
    ("could not" is a negation, not a hedge.)"""
    toks = s.tokens
    for h, e in find_phrases(s, ctx.vocab.hedges, 0, a):
        word = toks[h].norm
        if (
            e - h == 1
            and word in ctx.vocab.hedge_negated_by_not
            and e < a
            and toks[e].norm == "not"
        ):
            continue
        return True
    return False


def _avoided(s: Sentence, words: WorkflowWords, cs: int, a: int, ctx: Ctx) -> bool:
    """A verb of avoiding just before the mention, with no means between them ("we avoided
    merge conflicts by using branches" avoids the conflicts, not the branches)."""
    for _d, e in find_phrases(s, words.denials, cs, a):
        gap = {t.norm for t in s.tokens[e:a]}
        if e >= a - _DENIAL_WINDOW and not gap & (_MEANS | ctx.vocab.negation_verbs):
            return True
    return False


def _double_negation(s: Sentence, words: WorkflowWords, cs: int, a: int, ctx: Ctx) -> bool:
    """A verbal negation followed by "without" before the mention cancels out."""
    negations = find_phrases(s, ctx.vocab.negation_verbal, cs, a)
    if not negations:
        return False
    first_end = negations[0][1]
    return any(s.tokens[k].norm in words.double_negation for k in range(first_end, a))


def _has_agency(s: Sentence, words: WorkflowWords, start: int, ctx: Ctx) -> bool:
    """The group does it: an agency word of the workflow vocabulary in the mention's clause,
    or in a main clause before it (as :func:`.polarity.has_agency`, with stricter words)."""
    cs, ce = s.scope(start, start + 1)
    if has_phrase(s, words.agency, cs, ce):
        return True
    lo = max(0, start - SCOPE_BEFORE)
    first = bisect.bisect_left(s.clause_starts, lo)
    last = bisect.bisect_left(s.clause_starts, cs)
    starts = s.clause_starts[first:last]
    for k, c in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else cs
        if s.tokens[c].norm in ctx.vocab.subordinators:
            continue
        if has_phrase(s, words.agency, c, e):
            return True
    return False


def _is_trunk(s: Sentence, words: WorkflowWords, a: int, b: int) -> bool:
    """ "the main branch", "a single branch" (but "one branch per member" is branching)."""
    toks = s.tokens
    if b < len(toks) and toks[b].norm in words.branch_not_before:
        return True
    if a == 0 or toks[a - 1].norm not in words.trunk:
        return False
    return not any(t.norm in _PER_WORDS for t in toks[a : b + 1])


def _tags(s: Sentence, phrases: tuple[Phrase, ...], tag: str) -> tuple[str, ...]:
    return (tag,) if phrases and has_phrase(s, phrases) else ()


def _emit(
    ctx: Ctx,
    words: WorkflowWords,
    kind: str,
    spans: list[tuple[int, int]],
    tags: tuple[str, ...] = (),
) -> list[Claim]:
    out = []
    for a, b in spans:
        pol = _claimed(ctx, words, a, b)
        if pol is not None:
            out.append(claim_at(ctx, kind, a, b, True, negated=pol is Polarity.NEGATED, tags=tags))
    return out


def workflow_claims(ctx: Ctx, words: WorkflowWords | None = None) -> list[Claim]:
    """Branches, pull requests, reviews and branch protection claimed by one sentence."""
    words = words or workflow_words()
    s = ctx.sentence
    if s.code or not s.tokens:
        return []
    out: list[Claim] = []
    branches = [
        (a, b)
        for a, b in find_phrases(s, words.branch)
        if not s.in_url(s.tokens[a].start) and not _is_trunk(s, words, a, b)
    ]
    out.extend(_emit(ctx, words, "uses-branches", branches))
    pulls = [(a, b) for a, b in find_phrases(s, words.pr) if not s.in_url(s.tokens[a].start)]
    out.extend(_emit(ctx, words, "uses-pull-requests", pulls, _tags(s, words.all_words, "all")))
    reviews = find_phrases(s, words.review)
    out.extend(_emit(ctx, words, "pr-reviews", reviews, _tags(s, words.pr_context, "on-pr")))
    out.extend(_emit(ctx, words, "branch-protection", find_phrases(s, words.protect)))
    return out


def workflow_answer(
    claims: list[Claim], first: Ctx, words: WorkflowWords | None = None
) -> list[Claim]:
    """Whole-answer rules for the workflow kinds of one answer's claims.

    * "all" and "on-pr" said of a kind anywhere in the answer hold for all its claims.
    * The first statement about a kind sets the answer's polarity ("We did not use pull
      requests ... we prioritised speed over the formal process of pull requests"): later
      claims of the other polarity are dropped and the kept ones are tagged ``"mixed"``, so a
      check never calls such an answer inconsistent on its denial.
    * When the answer first denies pull requests, reviews it describes are of the pull
      requests it would have used ("Pull requests then let us get changes reviewed"): dropped.
    * An answer opening with "No" denies branches and pull requests it does not name itself
      (a negated claim tagged ``"answer-no"``).
    """
    words = words or workflow_words()
    first_polarity: dict[str, bool] = {}
    mixed: set[str] = set()
    kept: list[Claim] = []
    for c in claims:
        if c.kind not in WORKFLOW_KINDS:
            kept.append(c)
            continue
        pol = first_polarity.setdefault(c.kind, c.negated)
        if c.negated != pol:
            mixed.add(c.kind)
            continue
        kept.append(c)
    if first_polarity.get("uses-pull-requests") is True:  # pull requests denied first
        kept = [c for c in kept if c.kind != "pr-reviews" or c.negated]
    spread: dict[tuple[str, bool], set[str]] = {}
    for c in kept:
        if c.kind in WORKFLOW_KINDS:
            spread.setdefault((c.kind, c.negated), set()).update(set(c.tags) & _SPREAD_TAGS)
    out = []
    for c in kept:
        if c.kind in WORKFLOW_KINDS:
            extra = sorted(spread[(c.kind, c.negated)] - set(c.tags))
            extra += ["mixed"] if c.kind in mixed else []
            c = dataclasses.replace(c, tags=(*c.tags, *extra)) if extra else c
        out.append(c)
    if _opens_with_no(first.sentence, words):
        for kind in _ANSWER_NO_KINDS:
            if kind not in first_polarity:
                out.append(claim_at(first, kind, 0, 1, True, negated=True, tags=("answer-no",)))
    return out


def _opens_with_no(s: Sentence, words: WorkflowWords) -> bool:
    """ "No, ...", "No." or "Nope" opening the answer (not "No branches were ...")."""
    if not s.tokens or s.tokens[0].norm not in words.answer_no:
        return False
    after = s.text[s.tokens[0].end : s.tokens[0].end + 1]
    return after in {"", ",", ".", "!", ";", ":", "\n"}


__all__ = [
    "WORKFLOW_KINDS",
    "WorkflowWords",
    "build_workflow_words",
    "workflow_answer",
    "workflow_claims",
    "workflow_words",
]
