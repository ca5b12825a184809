"""Length and image limits of the report's answers: what the course's ``report.py check`` enforces.

The course's checker splits the raw README at every ``Answer:``, keeps each piece up to the next
``###``/``##`` heading marker, counts words as ``len(piece.split())`` (whitespace-separated tokens
of the raw Markdown, so image syntax, URLs and code all count) and images as the number of
single-line ``![...](...)`` patterns in the piece. It then compares both with a fixed range per
question (see ``verifier/data/question_limits.yaml``).

Here the same counts are taken from the parsed :class:`~verifier.report.model.Answer`:

* words = ``len(answer.text.split())``; the parser's ``text`` is the raw Markdown between the
  ``Answer:`` line and the next heading, which is what the course counts. Where the course's
  splitting would read the answer differently (a ``##`` inside the answer cuts it short there; an
  ``Answer:`` inside it hides everything before), the message says so and gives the course's count.
  :func:`course_reading_problem` says when the course's script would stop on the whole report
  (it insists on finding exactly the template's number of answers).
* images = ``len(answer.images)`` (Markdown images of the group, not links of the template's
  prompt). When the course's pattern would count a different number (e.g. an HTML ``<img>``),
  the message says so.

Differences on purpose: a question still holding the template placeholder, or empty, fails with
"not answered" (the course would count the placeholder's words), unless the template allows
0 words for it; a question missing from the report is reported instead of aborting the run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from verifier.report.model import Answer, Report

LIMITS_RESOURCE = "question_limits.yaml"

# The course's image pattern, restated: "![", anything on the same line, "](", anything, ")".
_COURSE_IMAGE = re.compile(r"!\[[^\n]*?\]\([^\n]*?\)")


@dataclass(frozen=True)
class QuestionLimit:
    """The limits of one question in one template generation. ``None`` means no limit."""

    question: int
    topic: str
    min_words: int | None = None
    max_words: int | None = None
    min_images: int | None = None
    max_images: int | None = None
    stated: str | None = None  # the constraint as the template words it

    @property
    def has_word_limit(self) -> bool:
        return self.min_words is not None or self.max_words is not None

    @property
    def has_image_limit(self) -> bool:
        return self.min_images is not None or self.max_images is not None

    @property
    def optional(self) -> bool:
        """True when an empty answer satisfies every limit (e.g. "0-200 words")."""
        return not self.min_words and not self.min_images


@dataclass(frozen=True)
class ReportCheck:
    """The result for one question. ``line`` is 1-based; 1 when the question is absent."""

    question: int
    line: int
    ok: bool
    message: str
    words: int
    images: int


def _as_limit(question: Any, raw: Any, where: str) -> QuestionLimit:
    if not isinstance(question, int) or not isinstance(raw, dict):
        raise ValueError(f"{where}: question {question!r} must map an integer to a mapping")
    counts: dict[str, int | None] = {}
    for key in ("min_words", "max_words", "min_images", "max_images"):
        value = raw.get(key)
        if value is not None and (not isinstance(value, int) or value < 0):
            raise ValueError(f"{where}: question {question} {key} must be a non-negative integer")
        counts[key] = value
    for low, high in (("min_words", "max_words"), ("min_images", "max_images")):
        if counts[low] is not None and counts[high] is not None and counts[low] > counts[high]:
            raise ValueError(f"{where}: question {question} has {low} > {high}")
    stated = raw.get("stated")
    return QuestionLimit(
        question=question,
        topic=str(raw.get("topic", "")),
        stated=None if stated is None else str(stated),
        **counts,
    )


@cache
def _load() -> tuple[dict[str, dict[int, QuestionLimit]], dict[str, str], str]:
    text = (resources.files("verifier") / "data" / LIMITS_RESOURCE).read_text("utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("generations"), dict):
        raise ValueError(f"{LIMITS_RESOURCE}: expected a 'generations' mapping")
    meta = data.get("meta") or {}
    generations: dict[str, dict[int, QuestionLimit]] = {}
    for name, questions in data["generations"].items():
        where = f"{LIMITS_RESOURCE} generation {name}"
        if not isinstance(questions, dict):
            raise ValueError(f"{where}: expected a mapping of questions")
        generations[str(name)] = {
            q: _as_limit(q, raw, where)
            for q, raw in sorted(questions.items(), key=lambda kv: kv[0])
        }
    aliases = {str(k): str(v) for k, v in (meta.get("aliases") or {}).items()}
    newest = str(meta.get("newest") or max(generations))
    if newest not in generations or any(v not in generations for v in aliases.values()):
        raise ValueError(f"{LIMITS_RESOURCE}: 'newest' and aliases must name known generations")
    return generations, aliases, newest


def generations() -> list[str]:
    """The template generations with known limits, oldest first."""
    return sorted(_load()[0])


def limits_for(generation: str) -> tuple[dict[int, QuestionLimit], str | None]:
    """Limits for a template generation, and a note when the newest had to stand in for it."""
    known, aliases, newest = _load()
    name = aliases.get(generation, generation)
    if name in known:
        return dict(known[name]), None
    note = (
        f"template generation {generation!r} is not known; "
        f"the limits of the newest template ({newest}) are used"
    )
    return dict(known[newest]), note


def count_words(text: str) -> int:
    """Words as the course counts them: whitespace-separated tokens of the raw Markdown."""
    return len(text.split())


def course_image_count(text: str) -> int:
    """Images as the course's pattern finds them: single-line ``![...](...)``."""
    return len(_COURSE_IMAGE.findall(text))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _range(low: int | None, high: int | None, unit: str) -> str:
    """``"50-100 words"``, ``"1 image"``, ``"at least 1 image"``; ``unit`` is singular."""
    if low is not None and high is not None:
        return f"{low}-{high} {unit}s" if low != high else _plural(low, unit)
    if low is not None:
        return f"at least {_plural(low, unit)}"
    return f"at most {_plural(high or 0, unit)}"


def course_piece(text: str) -> tuple[str, int]:
    """The part of an answer the course's checker reads, and its offset in ``text``.

    The course splits the whole file at every ``Answer:`` and drops a piece that has no ``###``
    after it, so only the text after the last ``Answer:`` inside an answer is read; that piece is
    then cut at its first ``##``.
    """
    start = 0
    inner = text.rfind("Answer:")
    if inner >= 0:
        start = inner + len("Answer:")
    cut = text.find("##", start)
    return text[start : cut if cut >= 0 else len(text)], start


def _course_reading(answer: Answer, images: int) -> list[str]:
    """Where the course's checker would read this answer differently, in words."""
    text = answer.text
    piece, start = course_piece(text)
    notes: list[str] = []
    if start:
        line = answer.start_line + text[:start].count("\n")
        notes.append(f"the course's checker reads only what follows 'Answer:' on line {line}")
    end = start + len(piece)
    if end < len(text):
        line = answer.start_line + text[:end].count("\n")
        notes.append(f"the course's checker stops reading at '##' on line {line}")
    if notes:
        notes.append(f"it counts {_plural(count_words(piece), 'word')}")
    seen = course_image_count(piece)
    if seen != images:
        notes.append(f"the course's checker sees {_plural(seen, 'image')}")
    return notes


def course_answer_count(source: str) -> int:
    """How many answers the course's checker finds in a whole report.

    Every piece after an ``Answer:`` that still has a ``###`` after it counts, and the last piece
    is always added once more; the checker stops with an error when the total is not the
    template's number of questions.
    """
    pieces = source.split("Answer:")[1:]
    if not pieces:
        return 0
    return sum("###" in piece for piece in pieces) + 1


def course_reading_problem(source: str | bytes, generation: str) -> str | None:
    """Why the course's ``report.py check`` would stop on this report, or None."""
    if isinstance(source, bytes):
        source = source.decode("utf-8", "replace")
    limits, _ = limits_for(generation)
    expected = len(limits)
    found = course_answer_count(source)
    if found == expected:
        return None
    return (
        f"the course's report.py check would stop: it finds {found} answers "
        f"where the template has {expected} questions"
    )


def check_answer(answer: Answer | None, limit: QuestionLimit) -> ReportCheck:
    """Check one answer against its question's limits."""
    q = limit.question
    if answer is None:
        return ReportCheck(q, 1, False, f"not answered: question {q} is missing", 0, 0)
    words = count_words(answer.text)
    images = len(answer.images)
    if answer.unanswered:
        if limit.optional:
            wanted = _range(limit.min_words, limit.max_words, "word")
            msg = f"not answered (optional: {wanted})"
            return ReportCheck(q, answer.heading_line, True, msg, words, images)
        return ReportCheck(q, answer.heading_line, False, "not answered", words, images)

    problems: list[str] = []
    facts: list[str] = []
    if limit.has_word_limit:
        wanted = _range(limit.min_words, limit.max_words, "word")
        facts.append(f"{_plural(words, 'word')} ({wanted})")
        if limit.min_words is not None and words < limit.min_words:
            problems.append(f"too short: {_plural(words, 'word')}, the template asks for {wanted}")
        elif limit.max_words is not None and words > limit.max_words:
            problems.append(f"too long: {_plural(words, 'word')}, the template asks for {wanted}")
    if limit.has_image_limit:
        wanted = _range(limit.min_images, limit.max_images, "image")
        facts.append(f"{_plural(images, 'image')} ({wanted})")
        if limit.min_images is not None and images < limit.min_images:
            problems.append(
                f"missing image: {_plural(images, 'image')}, the template asks for {wanted}"
            )
        elif limit.max_images is not None and images > limit.max_images:
            problems.append(
                f"too many images: {_plural(images, 'image')}, the template asks for {wanted}"
            )
    message = "; ".join(problems) if problems else (", ".join(facts) or "answered")
    notes = _course_reading(answer, images)
    if notes:
        message += " (" + "; ".join(notes) + ")"
    return ReportCheck(q, answer.start_line, not problems, message, words, images)


def check_report(report: Report) -> list[ReportCheck]:
    """One result per question of the report's template generation, in question order.

    When the generation is not known, the newest limits are used and a first entry with
    ``question=0`` (always ``ok``) says so.
    """
    limits, note = limits_for(report.generation)
    results: list[ReportCheck] = []
    if note:
        results.append(ReportCheck(0, 1, True, note, 0, 0))
    for number, limit in sorted(limits.items()):
        results.append(check_answer(report.answer(number), limit))
    return results
