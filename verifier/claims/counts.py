"""Claims that are numbers: test counts, coverage percentages, workflow counts, Python
versions."""

from __future__ import annotations

import re

from verifier.claims.common import Ctx, claim_at, claim_chars
from verifier.claims.model import Claim
from verifier.claims.numbers import qualifier_before, read_count
from verifier.claims.polarity import Polarity, polarity
from verifier.claims.text import Sentence, has_phrase, match_at
from verifier.claims.vocabulary import Vocabulary

_PY = (("py",),)  # "data.py": a file named in the clause
_PARENS = re.compile(r"\([^()\n]{0,200}\)")
_PERCENT = re.compile(r"(?<![\w.,])(\d{1,3}(?:[.,]\d{1,2})?)[ \t]?(?:%|percent\b|per cent\b)", re.I)
_RANGE_BEFORE = re.compile(
    r"(?:between[ \t]+(\d{1,3}(?:[.,]\d{1,2})?)[ \t]?%?[ \t]?and"
    r"|(\d{1,3}(?:[.,]\d{1,2})?)[ \t]?%?[ \t]?(?:-|–|to))[ \t]?$",
    re.I,
)
_PY_VERSION = re.compile(r"(?:(?<=\bpy)|(?<![\w.:/@-]))3\.(\d{1,2})(?![\d.]\d)")
_PY_RANGE = re.compile(r"[ \t]?(?:-|–|to|through)[ \t]?(?:python[ \t]?)?3\.(\d{1,2})(?!\d)", re.I)


def _paren_groups(s: Sentence) -> dict[int, int]:
    """Short parentheses as ``{first token inside: first token after}``: skipped between a
    number and its noun ("77 pytest (uv run pytest --collect-only) style tests")."""
    groups: dict[int, int] = {}
    for m in _PARENS.finditer(s.text):
        first = s.token_at(m.start())
        after = s.token_at(m.end())
        if first is None or s.tokens[first].start >= m.end():
            continue
        last = len(s.tokens) if after is None or s.tokens[after].start < m.end() else after
        groups[first] = last
    return groups


def _decimal_part(s: Sentence, i: int) -> bool:
    """Is token ``i`` part of "3.12", "0.5" or followed by "%"?"""
    t = s.tokens[i]
    text = s.text
    if t.start >= 2 and text[t.start - 1] in ".," and text[t.start - 2].isdigit():
        return True
    if t.end + 1 < len(text) and text[t.end] in ".," and text[t.end + 1].isdigit():
        return True
    rest = text[t.end : t.end + 2].lstrip()
    return rest.startswith("%")


def _noun_after(
    s: Sentence, j: int, fillers: frozenset[str], parens: dict[int, int], limit: int = 8
) -> int:
    steps = 0
    while j < len(s.tokens) and steps < limit:
        w = s.tokens[j].norm
        if j in parens:
            j = parens[j]
            steps += 1
            continue
        end_to_end = w == "to" and j > 0 and s.tokens[j - 1].norm == "end"
        if not (w in fillers or end_to_end):
            break
        j += 1
        steps += 1
    return j


def _test_noun_end(s: Sentence, j: int, value: object, v: Vocabulary) -> int | None:
    """End of "tests" / "test cases" / "test" at token ``j``, or ``None``.

    "3 test files" is not a count of tests; "one tests the API" uses "tests" as a verb.
    """
    for noun in v.test_nouns:
        e = match_at(s, j, noun)
        if e is None:
            continue
        if e < len(s.tokens) and s.tokens[e].norm in v.test_not_after:
            return None
        if value is not None and (noun in v.test_singular_nouns) != (value == 1):
            return None
        return e
    return None


def test_counts(ctx: Ctx) -> list[Claim]:
    """ "77 tests", "approximately 45 unit tests", "between 20 and 30 tests", "twelve tests",
    and zero: "no tests", "we did not write any tests"."""
    s = ctx.sentence
    v = ctx.vocab
    if s.code:
        return []
    parens = _paren_groups(s)
    out: list[Claim] = []
    i = 0
    while i < len(s.tokens):
        tok = s.tokens[i]
        if s.in_url(tok.start):
            i += 1
            continue
        zero = tok.norm in v.test_zero_words
        number = None if zero or _decimal_part(s, i) else read_count(s, i, v)
        if number is None and not zero:
            i += 1
            continue
        end = i + 1 if number is None else number.end
        value = None if number is None else number.value
        noun_end = _test_noun_end(s, _noun_after(s, end, v.test_fillers, parens), value, v)
        if noun_end is None:
            i = max(end, i + 1)
            continue
        pol = polarity(s, i, noun_end, v)
        if number is None:
            # "no tests" counts; "any tests" only denied ("we did not write any tests")
            wanted = (
                pol is Polarity.NEGATED if tok.norm == "any" else pol is not Polarity.HYPOTHETICAL
            )
            if wanted:
                out.append(claim_at(ctx, "test-count", i, noun_end, 0, qualifier="exactly"))
        elif pol is not Polarity.HYPOTHETICAL:
            out.append(
                claim_at(
                    ctx,
                    "test-count",
                    number.start,
                    noun_end,
                    number.value,
                    qualifier=number.qualifier,
                    negated=pol is Polarity.NEGATED,
                )
            )
        i = noun_end
    return out


def _float(text: str) -> float:
    return float(text.replace(",", "."))


def coverage_percents(ctx: Ctx) -> list[Claim]:
    """Percentages of the coverage answer; ``part`` when a clause names one part of the code.

    In code blocks only a coverage report's ``TOTAL`` line counts.
    """
    s = ctx.sentence
    v = ctx.vocab
    if s.code and not s.text.lstrip().upper().startswith("TOTAL"):
        return []
    out: list[Claim] = []
    matches = list(_PERCENT.finditer(s.text))
    for n, m in enumerate(matches):
        i = s.token_at(m.start())
        if i is None or s.in_url(m.start()):
            continue
        value: object = _float(m.group(1))
        qualifier: str | None = None
        a = m.start()
        head = s.text[max(0, m.start() - 24) : m.start()]
        rm = _RANGE_BEFORE.search(head)
        low = rm.group(1) or rm.group(2) if rm else None
        if rm and low and _float(low) < value:  # type: ignore[operator]
            value = (_float(low), value)
            qualifier = "range"
            a = m.start() - len(head) + rm.start()
            i = s.token_at(a) or i
        else:
            qualifier, _ = qualifier_before(s, i, v)
        q_start = qualifier_before(s, i, v)[1] if qualifier != "range" else i
        prev_end = s.token_at(matches[n - 1].end()) if n > 0 else None
        next_start = s.token_at(matches[n + 1].start()) if n + 1 < len(matches) else None
        before, after = _figure_context(s, i, q_start, prev_end, next_start)
        near = (max(before[0], i - 6), min(len(s.tokens), i + 7))
        if has_phrase(s, v.coverage_exclude, *near):
            continue
        listed = n > 0 and bool(out) and _joined(s.text, matches[n - 1], m)
        if value == 100.0 and not (listed or _stated(s, q_start, v)):
            continue  # "far from 100%", "even with 100% coverage": an ideal, not a figure
        pol = polarity(s, i, i + 1, v)
        if pol is Polarity.HYPOTHETICAL:
            continue
        names_part = any(
            has_phrase(s, v.coverage_part, lo, hi) or has_phrase(s, _PY, lo, hi)
            for lo, hi in (before, after)
        )
        part = names_part and not has_phrase(s, v.coverage_total, *before)
        if listed and "part" in out[-1].tags:
            part = True  # "74% and 70% (respectively)" share the first figure's subject
        out.append(
            claim_chars(
                ctx,
                "coverage-percent",
                a,
                m.end(),
                value,
                qualifier=qualifier,
                negated=pol is Polarity.NEGATED,
                tags=("part",) if part else (),
                clause_token=i,
            )
        )
    return _drop_range_bounds(out)


_UNIT_WORDS = frozenset({"percent", "per", "cent", "code", "coverage", "line", "statement"})
_PART_PREPOSITIONS = frozenset({"for", "in", "on", "of"})


def _figure_context(
    s: Sentence, i: int, q_start: int, prev_end: int | None, next_start: int | None
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Token ranges that describe a percentage: up to 8 words before it (not past the previous
    figure or the clause start), and after it a "for data.py" / "in the API" phrase."""
    cs, ce = s.clause_of(i)
    lo = max(cs, q_start - 8, prev_end if prev_end is not None and prev_end < i else 0)
    before = (lo, q_start)
    j = i + 1
    while j < ce and s.tokens[j].norm in _UNIT_WORDS:
        j += 1
    hi = j
    if j < ce and s.tokens[j].norm in _PART_PREPOSITIONS:
        hi = min(ce, j + 5, next_start if next_start is not None and next_start > j else ce)
    return before, (j, hi)


def _joined(text: str, previous: re.Match[str], current: re.Match[str]) -> bool:
    """Only "and", "or" and commas stand between two figures."""
    between = text[previous.end() : current.start()].replace(",", " ").split()
    return all(w.lower() in {"and", "or", "&", "(", ")"} for w in between)


def _stated(s: Sentence, q_start: int, v: Vocabulary) -> bool:
    """Is the figure stated as a measurement ("coverage is 100%", "reached 100%")?"""
    prev = s.tokens[q_start - 1].norm if q_start > 0 else ""
    if prev in v.coverage_not_stated:
        return False
    words = {t.norm for t in s.tokens[max(0, q_start - 3) : q_start]}
    return bool(words & v.coverage_stated)


def _drop_range_bounds(claims: list[Claim]) -> list[Claim]:
    """ "60% - 70%": the range claim covers the lower bound's own match."""
    bounds = {(c.line, c.value[0]) for c in claims if isinstance(c.value, tuple)}
    return [c for c in claims if isinstance(c.value, tuple) or (c.line, c.value) not in bounds]


def workflow_counts(ctx: Ctx) -> list[Claim]:
    s = ctx.sentence
    v = ctx.vocab
    if s.code:
        return []
    mentions_workflow = has_phrase(s, (("workflow",), ("workflows",), ("github", "actions")))
    out: list[Claim] = []
    for i in range(len(s.tokens)):
        if _decimal_part(s, i) or s.in_url(s.tokens[i].start):
            continue
        number = read_count(s, i, v)
        if number is None or isinstance(number.value, tuple):
            continue
        j = _noun_after(s, number.end, v.workflow_fillers, {}, limit=3)
        for noun in v.workflow_nouns:
            e = match_at(s, j, noun)
            if e is None:
                continue
            if noun[0] not in {"workflow", "workflows", "github"} and not mentions_workflow:
                break
            if noun == ("workflow",) and number.value != 1:
                break
            pol = polarity(s, i, e, v)
            if pol is not Polarity.HYPOTHETICAL:
                out.append(
                    claim_at(
                        ctx,
                        "workflow-count",
                        number.start,
                        e,
                        number.value,
                        qualifier=number.qualifier,
                        negated=pol is Polarity.NEGATED,
                    )
                )
            break
    return out


def python_versions(ctx: Ctx) -> list[Claim]:
    s = ctx.sentence
    v = ctx.vocab
    if not (s.code or has_phrase(s, v.python_context)):
        return []
    lo_minor, hi_minor = v.python_minors
    out: list[Claim] = []
    for m in _PY_VERSION.finditer(s.text):
        minor = int(m.group(1))
        if not lo_minor <= minor <= hi_minor or s.in_url(m.start()):
            continue
        i = s.token_at(m.start())
        if i is None:
            continue
        pol = polarity(s, i, i + 1, v)
        if pol is Polarity.HYPOTHETICAL:
            continue
        rm = _PY_RANGE.match(s.text, m.end())
        minors = [minor]
        qualifier = None
        end = m.end()
        if rm and minor < int(rm.group(1)) <= hi_minor:
            minors = list(range(minor, int(rm.group(1)) + 1))
            qualifier = "range"
            end = rm.end()
        for mi in minors:
            out.append(
                claim_chars(
                    ctx,
                    "ci-python",
                    m.start(),
                    end,
                    f"3.{mi}",
                    qualifier=qualifier,
                    negated=pol is Polarity.NEGATED,
                    clause_token=i,
                )
            )
    return out
