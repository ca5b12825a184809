"""Data shapes of a parsed report. Parsing lives in :mod:`verifier.report.parse`."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Tick(StrEnum):
    TICKED = "ticked"
    UNTICKED = "unticked"
    PART = "part"  # [~], [/], [%], [50%]: started, neither done nor not done


@dataclass
class ChecklistItem:
    """One tick box of the checklist, as written in the report."""

    line: int  # 1-based line of the box
    tick: Tick
    mark: str  # what stood between the brackets, verbatim ("X", "x", " ", "✅", "50%")
    text: str  # the item's text, continuation lines joined with one space
    modules: tuple[str, ...]  # ("M17",), ("M2", "M6"), () when none is given
    section: str | None  # "Week 1", "Week 2", "Week 3", "Extra", or None
    end_line: int | None = None  # last line when the text wraps
    catalog_id: str | None = None  # stable id from the catalog, None when unknown
    match_score: float = 0.0  # 0..1 similarity to the catalog wording that matched

    @property
    def module(self) -> str | None:
        return "+".join(self.modules) if self.modules else None


@dataclass
class Link:
    """A Markdown link or image in an answer."""

    text: str
    target: str
    line: int
    is_image: bool
    in_prompt: bool  # part of the template's question text, not the group's claim


@dataclass
class Answer:
    """The group's answer to one numbered question."""

    number: int
    heading_line: int  # line of "### Question N"; the Answer: line when the heading is gone
    start_line: int  # first line of the answer text (1-based); == end_line+1 when empty
    end_line: int
    text: str  # the answer without the quoted prompt
    prompt: str  # the quoted question text
    unanswered: bool  # empty or still the template placeholder
    links: list[Link] = field(default_factory=list)

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    @property
    def images(self) -> list[Link]:
        return [lk for lk in self.links if lk.is_image and not lk.in_prompt]


@dataclass
class Report:
    path: str
    generation: str  # "2023", "2025", "2026" or "unknown": detected from the text
    title: str | None
    items: list[ChecklistItem]
    answers: list[Answer]
    problems: list[str] = field(default_factory=list)  # missing/renumbered questions, ...
    line_count: int = 0

    def answer(self, number: int) -> Answer | None:
        for a in self.answers:
            if a.number == number:
                return a
        return None

    @property
    def has_checklist(self) -> bool:
        return bool(self.items)
