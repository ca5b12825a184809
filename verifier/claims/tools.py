"""Claims that name things: tools, frameworks, DVC and its remote, CI operating systems,
caching and linting, Docker image roles, load-testing tools."""

from __future__ import annotations

import bisect

from verifier.claims.common import Ctx, claim_at, mentions
from verifier.claims.model import Claim
from verifier.claims.polarity import Polarity, has_agency, polarity
from verifier.claims.text import Sentence, find_phrases, match_at
from verifier.claims.vocabulary import Entry

QUALITY_KINDS = ("linter", "formatter", "type-checker", "pre-commit")


def _use(ctx: Ctx, start: int, end: int, *, agency: bool, strict: bool = False) -> Polarity | None:
    """The polarity of a mention, or ``None`` when it claims nothing."""
    pol = polarity(ctx.sentence, start, end, ctx.vocab)
    if pol is Polarity.HYPOTHETICAL:
        return None
    if (
        pol is Polarity.USED
        and agency
        and not has_agency(ctx.sentence, start, ctx.vocab, strict=strict)
    ):
        return None
    return pol


def _tools_of(ctx: Ctx, kinds: tuple[str, ...]) -> list[tuple[Entry, int, int]]:
    entries = tuple(e for e in ctx.vocab.tools if set(e.kinds) & set(kinds))
    found = []
    s = ctx.sentence
    all_mentions = mentions(s, entries)
    starts = {a2: e for e, a2, _ in all_mentions}
    for entry, a, b in all_mentions:
        if entry.not_preceded_by and a > 0 and s.tokens[a - 1].norm in entry.not_preceded_by:
            continue  # "uv pip install": uv's interface, not pip
        if (
            entry.not_followed_by
            and b < len(s.tokens)
            and s.tokens[b].norm in entry.not_followed_by
        ):
            continue
        if (
            entry.skip_if_followed_by_tool
            and b + 1 < len(s.tokens)
            and s.tokens[b].norm in entry.skip_before
            and starts.get(b + 1, entry) is not entry
        ):
            continue  # "pip install poetry" names poetry, not pip
        found.append((entry, a, b))
    return found


def dependency_managers(ctx: Ctx) -> list[Claim]:
    out = []
    for entry, a, b in _tools_of(ctx, ("dependency-manager",)):
        pol = _use(ctx, a, b, agency=True)
        if pol is not None:
            out.append(
                claim_at(
                    ctx, "dependency-manager", a, b, entry.name, negated=pol is Polarity.NEGATED
                )
            )
    return out


def _quality_kinds(s: Sentence, entry: Entry, a: int, b: int, ctx: Ctx) -> list[str]:
    """Which kinds a code-quality tool mention claims: by the nearest cue ("ruff for
    formatting"), both when cues are joined ("for linting and formatting"), else the default."""
    if entry.kinds == ("pre-commit",):
        return ["pre-commit"]
    cues = []
    phrases = tuple(p for p, _ in ctx.vocab.quality_cues)
    kind_of = dict(ctx.vocab.quality_cues)
    window = ctx.vocab.quality_cue_window
    for ca, cb in find_phrases(
        s, phrases, max(0, a - window - 4), min(len(s.tokens), b + window + 4)
    ):
        kind = kind_of[tuple(t.norm for t in s.tokens[ca:cb])]
        dist = ca - b if ca >= b else a - cb
        if 0 <= dist <= ctx.vocab.quality_cue_window and kind in entry.kinds:
            cues.append((dist, 0 if ca >= b else 1, ca, cb, kind))  # ties: "ruff for formatting"
    if not cues:
        return [entry.kinds[0]]
    cues.sort()
    _, _, best_a, best_b, best_kind = cues[0]
    kinds = [best_kind]
    for _dist, _side, ca, cb, kind in cues[1:]:
        lo, hi = (best_b, ca) if ca >= best_b else (cb, best_a)
        between = [t.norm for t in s.tokens[lo:hi]]
        if kind not in kinds and set(between) <= {"and", "or", "as", "well"}:
            kinds.append(kind)
    return kinds


def code_quality(ctx: Ctx) -> list[Claim]:
    out = []
    s = ctx.sentence
    for entry, a, b in _tools_of(ctx, QUALITY_KINDS):
        pol = _use(ctx, a, b, agency=True)
        if pol is None:
            continue
        for kind in _quality_kinds(s, entry, a, b, ctx):
            out.append(claim_at(ctx, kind, a, b, entry.name, negated=pol is Polarity.NEGATED))
    return out


def load_test_tools(ctx: Ctx) -> list[Claim]:
    out = []
    for entry, a, b in _tools_of(ctx, ("load-test-tool",)):
        pol = _use(ctx, a, b, agency=True)
        if pol is not None:
            out.append(
                claim_at(ctx, "load-test-tool", a, b, entry.name, negated=pol is Polarity.NEGATED)
            )
    return out


def _in_context(ctx: Ctx, entry: Entry, a: int, b: int) -> bool:
    """An ambiguous framework name counts only as code or next to "library", "Hugging Face"."""
    s = ctx.sentence
    if not entry.ambiguous or b - a > 1 or s.code:
        return True
    text = s.text
    ta, tb = s.tokens[a].start, s.tokens[b - 1].end
    if (ta > 0 and text[ta - 1] == "`") or (tb < len(text) and text[tb] == "`"):
        return True
    if text[tb : tb + 2] == "](" and ta > 0 and text[ta - 1] == "[":
        return True  # the text of a link: "[Transformers](https://github.com/...)"
    for words in ctx.vocab.framework_context_before:
        if a - len(words) >= 0 and match_at(s, a - len(words), words) == a:
            return True
    return any(match_at(s, b, words) is not None for words in ctx.vocab.framework_context_after)


def frameworks(ctx: Ctx) -> list[Claim]:
    out = []
    for entry, a, b in mentions(ctx.sentence, ctx.vocab.frameworks):
        if not _in_context(ctx, entry, a, b):
            continue
        pol = _use(ctx, a, b, agency=True)
        if pol is None:
            continue
        tags = ("course",) if entry.course else ()
        out.append(
            claim_at(ctx, "framework", a, b, entry.name, negated=pol is Polarity.NEGATED, tags=tags)
        )
    return out


# ---------------------------------------------------------------------------------------------
# DVC


def _dvc_mentions(s: Sentence, ctx: Ctx) -> list[tuple[int, int]]:
    return find_phrases(s, ctx.vocab.dvc_aliases)


def dvc_used(ctx: Ctx) -> list[Claim]:
    """DVC used or denied by the group; a sentence that denies it claims no use besides
    ("we did not use DVC, since ... DVC makes it easy to ...")."""
    out = []
    for a, b in _dvc_mentions(ctx.sentence, ctx):
        pol = _use(ctx, a, b, agency=True, strict=True)
        if pol is not None:
            out.append(claim_at(ctx, "dvc-used", a, b, True, negated=pol is Polarity.NEGATED))
    if any(c.negated for c in out):
        out = [c for c in out if c.negated][:1]
    return out


def dvc_answer_no(ctx: Ctx) -> list[Claim]:
    """ "No, ..." opening the DVC answer denies its use."""
    s = ctx.sentence
    if not s.tokens or s.tokens[0].norm not in ctx.vocab.dvc_answer_no:
        return []
    after = s.text[s.tokens[0].end : s.tokens[0].end + 1]
    if after not in {"", ",", ".", "!", ";", ":", " ", "\n"}:
        return []
    if len(s.tokens) > 1 and after == " ":
        return []  # "No data was versioned ..." is not an answer "No"
    return [claim_at(ctx, "dvc-used", 0, 1, True, negated=True, tags=("answer-no",))]


def dvc_remotes(ctx: Ctx, *, require_dvc: bool) -> list[Claim]:
    s = ctx.sentence
    if require_dvc and not _dvc_mentions(s, ctx):
        return []
    out = []
    for entry, a, b in mentions(s, ctx.vocab.dvc_remotes):
        pol = _use(ctx, a, b, agency=False)
        if pol is not None:
            out.append(
                claim_at(ctx, "dvc-remote", a, b, entry.name, negated=pol is Polarity.NEGATED)
            )
    return out


# ---------------------------------------------------------------------------------------------
# Continuous integration


_CI_RUN_WORDS = frozenset(
    {
        "test",
        "tests",
        "tested",
        "testing",
        "run",
        "runs",
        "ran",
        "running",
        "workflow",
        "workflows",
        "ci",
        "matrix",
        "runner",
        "runners",
        "job",
        "jobs",
        "pipeline",
        "pipelines",
        "actions",
        "action",
        "build",
        "builds",
        "built",
        "os",
        "oses",
        "operating",
        "platform",
        "platforms",
        "latest",
        "check",
        "checks",
        "checked",
    }
)


def _about_ci_runs(ctx: Ctx) -> bool:
    return ctx.sentence.code or any(t.norm in _CI_RUN_WORDS for t in ctx.sentence.tokens)


def ci_names(ctx: Ctx) -> list[Claim]:
    """Operating systems, caching and linting named in the CI answer."""
    s = ctx.sentence
    out = []
    # An OS is a CI claim only in a sentence about running or testing ("we all work on a
    # Windows laptop" is not one).
    os_mentions = mentions(s, ctx.vocab.ci_os) if _about_ci_runs(ctx) else []
    for entry, a, b in os_mentions:
        pol = _use(ctx, a, b, agency=False)
        if pol is not None:
            out.append(claim_at(ctx, "ci-os", a, b, entry.name, negated=pol is Polarity.NEGATED))
    for a, b in find_phrases(s, ctx.vocab.cache_words):
        start = s.tokens[a].start
        if start > 0 and s.text[start - 1] == "-":
            continue  # "--no-cache-dir", "enable-cache": a flag, not a statement
        pol = _use(ctx, a, b, agency=False)
        if pol is not None:
            out.append(claim_at(ctx, "ci-caching", a, b, True, negated=pol is Polarity.NEGATED))
    for entry, a, b in _tools_of(ctx, QUALITY_KINDS[:3]):
        pol = _use(ctx, a, b, agency=False)
        if pol is not None:
            out.append(
                claim_at(ctx, "ci-linting", a, b, entry.name, negated=pol is Polarity.NEGATED)
            )
    for a, b in find_phrases(s, ctx.vocab.lint_words):
        pol = _use(ctx, a, b, agency=False)
        if pol is not None:
            out.append(
                claim_at(ctx, "ci-linting", a, b, "linting", negated=pol is Polarity.NEGATED)
            )
    return out


# ---------------------------------------------------------------------------------------------
# Docker image roles


def docker_roles(ctx: Ctx) -> list[Claim]:
    s = ctx.sentence
    anchors = find_phrases(s, ctx.vocab.image_words)
    if not anchors:
        return []
    after, before = ctx.vocab.role_window, 4
    starts = [ia for ia, _ in anchors]
    out = []
    for entry, a, b in mentions(s, ctx.vocab.docker_roles):
        k = bisect.bisect_right(starts, a + before) - 1  # the last anchor starting near a
        near = anchors[max(0, k - 1) : k + 1] if k >= 0 else []
        if not any(ia - before <= a < ia or ib <= a <= ib + after for ia, ib in near):
            continue
        pol = _use(ctx, a, b, agency=False)
        if pol is not None:
            out.append(
                claim_at(ctx, "docker-role", a, b, entry.name, negated=pol is Polarity.NEGATED)
            )
    return out
