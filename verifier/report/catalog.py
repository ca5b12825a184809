"""The catalog of checklist items across course years, and matching report items to it.

The data lives in ``verifier/data/catalog.yaml``: one entry per canonical item with a stable id
(``M8.data-version-control``), the exact wordings each year's template used, and whether a
repository can show the item at all. Matching is tolerant to case, punctuation, backticks,
wrapping and small typos, because students edit the template text.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from verifier.report.model import Report

VERIFIABLE = ("repo", "partial", "manual")
MATCH_THRESHOLD = 0.6
_MAX_MATCH_CHARS = 400
_FINE_CANDIDATES = 8  # wordings compared character by character after the word-overlap ranking

# Word-level fixes applied to both sides before comparing.
_TYPOS = {
    "continues": "continuous",
    "continous": "continuous",
    "continuos": "continuous",
    "intergration": "integration",
    "github": "github",
    "configurations": "configuration",
    "configs": "configuration",
    "config": "configuration",
    "dockerfiles": "dockerfile",
    "dockerfile": "dockerfile",
    "files": "file",
    "pytorchlightning": "pytorch lightning",
    "optimisation": "optimization",
    "optimise": "optimize",
    "an": "a",
    "you": "your",
}
_MODULE_SUFFIX = re.compile(r"\(\s*M\d{1,2}(?:\s*[+,/&]\s*M\d{1,2}){0,5}\s*\)[\s.]*$")
_WORD = re.compile(r"[a-z0-9]+")
_ID = re.compile(r"^(?:M\d{1,2}|extra)\.[a-z0-9]+(?:-[a-z0-9]+)*$")


class CatalogError(ValueError):
    """The catalog data file is malformed."""


def normalize(text: str) -> str:
    """Lowercase words only, module suffix dropped, common typos and variants unified."""
    text = _MODULE_SUFFIX.sub("", text[: _MAX_MATCH_CHARS * 2])
    text = text.lower().replace("set up", "setup").replace("pytorch-lightning", "pytorch lightning")
    words = (_TYPOS.get(w, w) for w in _WORD.findall(text))
    return " ".join(words)[:_MAX_MATCH_CHARS]


@dataclass(frozen=True)
class Wording:
    text: str
    years: tuple[int, ...]


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    modules: tuple[str, ...]
    title: str
    wordings: tuple[Wording, ...]
    verifiable: str  # "repo" | "partial" | "manual"
    looks_for: str
    _normalized: tuple[str, ...] = field(default=(), repr=False, compare=False)
    _word_sets: tuple[frozenset[str], ...] = field(default=(), repr=False, compare=False)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({y for w in self.wordings for y in w.years}))


def _similarity(a: str, b: str, dice: float) -> float:
    """The better of a character-level ratio and the Dice overlap of the word sets."""
    if a == b:
        return 1.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() <= dice or matcher.quick_ratio() <= dice:
        return dice
    return max(dice, matcher.ratio())


@dataclass(frozen=True)
class Catalog:
    entries: tuple[CatalogEntry, ...]
    questions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _exact: dict[str, CatalogEntry] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for entry in self.entries:
            for norm in entry._normalized:
                self._exact.setdefault(norm, entry)

    def get(self, item_id: str) -> CatalogEntry | None:
        for entry in self.entries:
            if entry.id == item_id:
                return entry
        return None

    def ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.entries)

    def for_year(self, year: int) -> tuple[CatalogEntry, ...]:
        return tuple(e for e in self.entries if year in e.years)

    def match(self, text: str, modules: tuple[str, ...] = ()) -> tuple[str | None, float]:
        """Best catalog id for an item's text, or ``(None, best_score)`` below the threshold.

        A module code agreeing with the entry's nudges the score up, a conflicting one down,
        which separates near-identical wordings of different modules. A line the group added
        to ("... (M19) (NOTE: running, but ...)", "... <!-- not in the code -->", "... (M27)
        We test ...") is matched by its template part when the whole line is not.
        """
        found, score = self._match_one(text, modules)
        if found is not None:
            return found, score
        for head in _template_parts(text):
            head_found, head_score = self._match_one(head, modules)
            if head_found is not None:
                return head_found, head_score
        return None, score

    def _match_one(self, text: str, modules: tuple[str, ...]) -> tuple[str | None, float]:
        norm = normalize(text)
        if not norm:
            return None, 0.0
        exact = self._exact.get(norm)
        if exact is not None and (
            not modules or not exact.modules or set(modules) & set(exact.modules)
        ):
            return exact.id, 1.0
        words = frozenset(norm.split())
        # Rank wordings by word overlap first; the costlier character ratio only for the best.
        scored: list[tuple[float, str, CatalogEntry]] = []
        for entry in self.entries:
            for candidate, cand_words in zip(entry._normalized, entry._word_sets, strict=True):
                union = len(words) + len(cand_words)
                dice = 2 * len(words & cand_words) / union if union else 0.0
                scored.append((dice, candidate, entry))
        scored.sort(key=lambda t: -t[0])
        best_id: str | None = None
        best = 0.0
        for dice, candidate, entry in scored[:_FINE_CANDIDATES]:
            score = _similarity(norm, candidate, dice)
            if modules and entry.modules:
                score += 0.03 if set(modules) & set(entry.modules) else -0.1
            score = min(score, 1.0)
            if score > best:
                best_id, best = entry.id, score
        if best < MATCH_THRESHOLD:
            return None, round(best, 3)
        return best_id, round(best, 3)


_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_MODULE_CODE = re.compile(r"\(\s*M\d+\s*\)")
_NOTE = re.compile(r"\(\s*(?:note|edit|comment|done|todo|partly|partially)\b.*$", re.I | re.S)


def _template_parts(text: str) -> list[str]:
    """The item's text without what a group appended to it, most likely first."""

    parts: list[str] = []
    stripped = _COMMENT.sub(" ", text).strip()
    if stripped and stripped != text.strip():
        parts.append(stripped)
    code = _MODULE_CODE.search(stripped)
    if code is not None and stripped[code.end() :].strip():
        parts.append(stripped[: code.end()])
    noted = _NOTE.sub("", stripped).strip()
    if noted and noted not in parts and noted != stripped:
        parts.append(noted)
    return parts


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CatalogError(f"{where}: expected a non-empty string")
    return value


def _entry(raw: Any, index: int) -> CatalogEntry:
    where = f"items[{index}]"
    if not isinstance(raw, dict):
        raise CatalogError(f"{where}: expected a mapping")
    item_id = _str(raw.get("id"), f"{where}.id")
    if not _ID.match(item_id):
        raise CatalogError(f"{where}.id: {item_id!r} is not of the form M<n>.name or extra.name")
    modules = raw.get("modules") or []
    if not isinstance(modules, list) or not all(
        isinstance(m, str) and re.fullmatch(r"M\d{1,2}", m) for m in modules
    ):
        raise CatalogError(f"{where}.modules: expected a list like [M8]")
    verifiable = raw.get("verifiable")
    if verifiable not in VERIFIABLE:
        raise CatalogError(f"{where}.verifiable: expected one of {VERIFIABLE}")
    wordings_raw = raw.get("wordings")
    if not isinstance(wordings_raw, list) or not wordings_raw:
        raise CatalogError(f"{where}.wordings: expected a non-empty list")
    wordings = []
    for k, w in enumerate(wordings_raw):
        if not isinstance(w, dict):
            raise CatalogError(f"{where}.wordings[{k}]: expected a mapping")
        years = w.get("years")
        if not isinstance(years, list) or not all(isinstance(y, int) for y in years):
            raise CatalogError(f"{where}.wordings[{k}].years: expected a list of years")
        wordings.append(Wording(_str(w.get("text"), f"{where}.wordings[{k}].text"), tuple(years)))
    normalized = tuple(dict.fromkeys(normalize(w.text) for w in wordings))
    return CatalogEntry(
        id=item_id,
        modules=tuple(modules),
        title=_str(raw.get("title"), f"{where}.title"),
        wordings=tuple(wordings),
        verifiable=verifiable,
        looks_for=_str(raw.get("looks_for"), f"{where}.looks_for"),
        _normalized=normalized,
        _word_sets=tuple(frozenset(n.split()) for n in normalized),
    )


def catalog_from_data(data: Any) -> Catalog:
    """Build a :class:`Catalog` from parsed YAML, checking its shape."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise CatalogError("catalog: expected a mapping with an 'items' list")
    entries = tuple(_entry(raw, i) for i, raw in enumerate(data["items"]))
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise CatalogError(f"catalog: duplicate id {entry.id}")
        seen.add(entry.id)
    questions: dict[str, tuple[str, ...]] = {}
    for generation, texts in (data.get("questions") or {}).items():
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise CatalogError(f"questions.{generation}: expected a list of strings")
        questions[str(generation)] = tuple(texts)
    return Catalog(entries=entries, questions=questions)


@functools.cache
def load_catalog() -> Catalog:
    """The bundled catalog (``verifier/data/catalog.yaml``), loaded once."""
    text = resources.files("verifier").joinpath("data/catalog.yaml").read_text(encoding="utf-8")
    return catalog_from_data(yaml.safe_load(text))


_GENERATION_YEARS = {"2023": (2023, 2024), "2025": (2025,), "2026": (2026,)}


def assign_catalog_ids(report: Report, catalog: Catalog) -> None:
    """Fill ``catalog_id`` and ``match_score`` of every checklist item of ``report``.

    Two items never share an id unless their text is the same; otherwise the better match
    keeps the id and the other is left unknown. Unknown items, duplicates and template items
    absent from the report are noted in ``report.problems``.
    """
    by_id: dict[str, list[int]] = {}
    for index, item in enumerate(report.items):
        item_id, score = catalog.match(item.text, item.modules)
        item.catalog_id, item.match_score = item_id, score
        if item_id is not None:
            by_id.setdefault(item_id, []).append(index)

    for item_id, indexes in by_id.items():
        if len(indexes) < 2:
            continue
        ranked = sorted(indexes, key=lambda i: (-report.items[i].match_score, i))
        keeper = report.items[ranked[0]]
        for i in ranked[1:]:
            other = report.items[i]
            if normalize(other.text) == normalize(keeper.text):
                report.problems.append(
                    f"line {other.line}: checklist item repeats the one at line {keeper.line} "
                    f"({item_id})"
                )
                continue
            report.problems.append(
                f"line {other.line}: checklist item resembles {item_id}, which the item at line "
                f"{keeper.line} matches better; left unknown"
            )
            other.catalog_id = None

    for item in report.items:
        if item.catalog_id is None and not any(
            f"line {item.line}: checklist item resembles" in p for p in report.problems
        ):
            snippet = item.text if len(item.text) <= 80 else item.text[:77] + "..."
            report.problems.append(
                f"line {item.line}: checklist item not in the catalog "
                f"(best score {item.match_score:.2f}): {snippet!r}"
            )

    years = _GENERATION_YEARS.get(report.generation)
    if years:
        found = {item.catalog_id for item in report.items}
        absent = [e.id for e in catalog.entries if set(e.years) & set(years) and e.id not in found]
        if absent:
            report.problems.append(
                f"checklist items of the {report.generation} template not in the report: "
                + ", ".join(absent)
            )
