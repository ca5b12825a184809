"""Read the checkable claims out of a report's free-text answers.

Each answer is split into sentences that keep their report lines (:mod:`.text`); each kind of
claim is read from the questions its topic belongs to (``topics`` in the vocabulary, per
template generation), except Dockerfile paths, DVC remotes next to "DVC", and links and images,
which count wherever they appear. Hypothetical sentences ("DVC would be beneficial if ...",
"we could have used ...") yield nothing; denials ("we did not use DVC", "instead of poetry")
yield claims with ``negated=True``.

The extractor never raises: an answer that cannot be read yields no claims.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from verifier.claims.common import Ctx
from verifier.claims.counts import coverage_percents, python_versions, test_counts, workflow_counts
from verifier.claims.links import link_claims
from verifier.claims.model import Claim
from verifier.claims.paths import dockerfiles, endpoints, workflow_files
from verifier.claims.text import Sentence, sentences_of
from verifier.claims.tools import (
    ci_names,
    code_quality,
    dependency_managers,
    docker_roles,
    dvc_answer_no,
    dvc_remotes,
    dvc_used,
    frameworks,
    load_test_tools,
)
from verifier.claims.vocabulary import Vocabulary, load_vocabulary
from verifier.claims.workflow import workflow_answer, workflow_claims
from verifier.report.model import Answer, Report

Reader = Callable[[Ctx], list[Claim]]

#: Readers per topic; a topic's questions come from the vocabulary.
READERS: dict[str, tuple[Reader, ...]] = {
    "frameworks": (frameworks,),
    "dependencies": (dependency_managers,),
    "code-quality": (code_quality,),
    "tests": (test_counts,),
    "coverage": (coverage_percents,),
    "workflow": (workflow_claims,),
    "dvc": (dvc_used, lambda ctx: dvc_remotes(ctx, require_dvc=False)),
    "ci": (ci_names, python_versions, workflow_counts, workflow_files),
    "docker": (docker_roles,),
    "api": (endpoints,),
    "load-test": (load_test_tools,),
}
#: Readers for every answer.
EVERYWHERE: tuple[Reader, ...] = (dockerfiles,)


def extract_claims(report: Report, vocab: Vocabulary | None = None) -> list[Claim]:
    """All claims of the report's answers, in report order."""
    try:
        vocab = vocab or load_vocabulary()
    except Exception:  # a broken bundled vocabulary must not break an audit
        return []
    out: list[Claim] = []
    for answer in report.answers:
        try:
            out.extend(answer_claims(answer, report.generation, vocab))
        except Exception:  # noqa: S112 - one unreadable answer must not hide the others
            continue
    return out


def answer_claims(answer: Answer, generation: str, vocab: Vocabulary) -> list[Claim]:
    """The claims of one answer (``generation`` selects the question numbering)."""
    if answer.unanswered or not answer.text.strip():
        return []
    q = answer.number
    topics = [t for t in READERS if q in vocab.questions(t, generation)]
    sentences = sentences_of(answer.text, answer.start_line, vocab)
    claims: list[Claim] = []
    for s in sentences:
        if _is_question(s):
            continue  # the prompt repeated in the answer ("Did you use DVC ...?") claims nothing
        ctx = Ctx(q, s, vocab)
        claims.extend(_read(ctx, topics))
    if "dvc" in topics and sentences:  # after the sentences: an explicit denial quotes better
        claims.extend(dvc_answer_no(Ctx(q, sentences[0], vocab)))
    if "workflow" in topics and sentences:
        claims = workflow_answer(claims, Ctx(q, sentences[0], vocab))
    claims = _tidy(_dedupe(claims))
    claims.extend(link_claims(answer, sentences, answer.text.split("\n")))
    claims.sort(key=lambda c: c.line)  # stable: order of appearance within a line
    return claims


def _is_question(sentence: Sentence) -> bool:
    return not sentence.code and sentence.text.rstrip(" *_`>\n").endswith("?")


def _read(ctx: Ctx, topics: list[str]) -> list[Claim]:
    out: list[Claim] = []
    for topic in topics:
        for reader in READERS[topic]:
            out.extend(reader(ctx))
    if "dvc" not in topics:
        out.extend(dvc_remotes(ctx, require_dvc=True))
    for reader in EVERYWHERE:
        out.extend(reader(ctx))
    return out


def _key(c: Claim) -> tuple[object, ...]:
    value = c.value if not isinstance(c.value, float) else round(c.value, 2)
    tags = c.tags if c.kind == "coverage-percent" else ()
    return (c.kind, value, c.negated, tuple(t for t in tags if t != "code"))


def _dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim per kind, value and polarity in an answer: the first one (or, on the same
    line, a fuller sentence than a bare label such as "**Caching**:")."""
    first: dict[tuple[object, ...], int] = {}
    out: list[Claim] = []
    for c in claims:
        k = _key(c)
        if k not in first:
            first[k] = len(out)
            out.append(c)
            continue
        kept = out[first[k]]
        if kept.line == c.line and len(kept.quote.split()) <= 2 < len(c.quote.split()):
            out[first[k]] = c
    return out


def _tidy(claims: list[Claim]) -> list[Claim]:
    named_lint = {c.negated for c in claims if c.kind == "ci-linting" and c.value != "linting"}
    named_in_paths = {
        str(c.value).rsplit("/", 1)[-1]
        for c in claims
        if c.kind == "dockerfile" and "/" in str(c.value)
    }
    out = []
    for c in claims:
        if c.kind == "ci-linting" and c.value == "linting" and c.negated in named_lint:
            continue
        if c.kind == "dockerfile" and "/" not in str(c.value) and c.value in named_in_paths:
            continue  # "train.dockerfile" next to "dockerfiles/train.dockerfile"
        out.append(c)
    out = _tag_test_parts(out)
    totals = {
        c.value
        for c in out
        if c.kind == "coverage-percent" and "part" not in c.tags and not c.negated
    }
    if len(totals) > 1:
        out = [
            dataclasses.replace(c, tags=(*c.tags, "conflict"))
            if c.kind == "coverage-percent" and "part" not in c.tags and not c.negated
            else c
            for c in out
        ]
    return out


def _tag_test_parts(claims: list[Claim]) -> list[Claim]:
    """Counts after the answer's first count that are no larger are its parts ("In total we
    wrote 17 tests: 4 for the data, 7 for the model ...")."""
    counts = [c for c in claims if c.kind == "test-count" and not c.negated]
    if len(counts) < 2:
        return claims

    def top(c: Claim) -> float:
        return float(c.value[-1] if isinstance(c.value, tuple) else c.value)  # type: ignore[arg-type]

    first = counts[0]
    parts = {id(c) for c in counts[1:] if top(c) <= top(first)}
    return [dataclasses.replace(c, tags=(*c.tags, "part")) if id(c) in parts else c for c in claims]


__all__ = ["EVERYWHERE", "READERS", "answer_claims", "extract_claims"]
