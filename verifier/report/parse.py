"""Parse a course report (``reports/README.md``) into a :class:`~verifier.report.model.Report`.

The parser works line by line with anchored, bounded regular expressions, so its cost is linear
in the size of the report even for very long lines. It never raises on student input: whatever
does not fit the template ends up in ``Report.problems``.

Structure recognised (every template generation, 2023 to 2026):

* an optional title (``# ...``), then the checklist: list items ``* [X] text (M5)`` grouped
  under ``### Week 1`` / ``### Week 2`` / ``### Week 3`` / ``### Extra`` (``### Additional``
  in 2023), wrapped lines joined;
* numbered questions: a ``### Question N`` heading, a quoted prompt (``> **...**``), a quoted
  ``> Answer:`` line and the group's answer below it. A deleted heading is recovered from the
  ``> Answer:`` line and the prompt text.

An item's ``text`` is kept as written (module code included, wrapped lines joined); its
``modules`` come from the last ``(M..)`` group. Line numbers count ``\n``, ``\r\n`` and a lone
``\r`` as one break each (not the other separators ``str.splitlines`` knows), so they agree
with editors and GitHub. Generations: "2023" (the 36-box template of the 2023 and 2024
courses; the report template first appeared for January 2023, so there is no 2021/2022 one),
"2025" (52 boxes), "2026" (53 boxes, ``pyproject.toml``/``uv.lock`` wording), else "unknown".
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field

from verifier.report.catalog import Catalog, assign_catalog_ids, load_catalog
from verifier.report.model import Answer, ChecklistItem, Link, Report, Tick

# ---------------------------------------------------------------------------------------------
# Decoding and lines

_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# A run of characters that UTF-8 bytes turn into when they are read as cp1252 or latin-1
# ("â€™" for "’", "Ã©" for "é"). Only runs of two or more are candidates for repair.
_MOJIBAKE_RUN = re.compile(
    "[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030"
    "\u2039\u203a\u20ac\u2122]{2,}"
)
_PROMPT_CHECK_BUDGET = 80
_MOJIBAKE_LEADS = ("Ã", "Â", "â", "Å", "Ð")


def _decode(source: str | bytes, problems: list[str]) -> str:
    if isinstance(source, bytes):
        if source.startswith((b"\xff\xfe", b"\xfe\xff")):
            # UTF-16 with a byte order mark, as Windows PowerShell writes files.
            try:
                return source.decode("utf-16").removeprefix("\ufeff")
            except UnicodeDecodeError:
                problems.append("the report starts like UTF-16 but is not; read as UTF-8")
        try:
            text = source.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(
                f"the report is not valid UTF-8 (first bad byte at offset {exc.start}); "
                "undecodable bytes were replaced"
            )
            text = source.decode("utf-8", errors="replace")
    else:
        text = source
    return text.removeprefix("\ufeff")


def _byte_of(ch: str) -> int | None:
    """The single byte ``ch`` came from when UTF-8 was read as cp1252 (or latin-1)."""
    try:
        return ch.encode("cp1252")[0]
    except UnicodeEncodeError:
        return ord(ch) if ord(ch) <= 0xFF else None


def _unmojibake_run(run: str) -> str:
    """Re-read ``run`` as UTF-8 wherever its characters form complete, valid sequences.

    Each character maps back to one byte; a sequence is replaced only if it is a valid
    multi-byte UTF-8 character, everything else stays as written.
    """
    raw = [_byte_of(ch) for ch in run]
    out: list[str] = []
    i = 0
    while i < len(run):
        lead = raw[i]
        size = 2 if lead is not None and 0xC2 <= lead <= 0xDF else 0
        if lead is not None and 0xE0 <= lead <= 0xEF:
            size = 3
        elif lead is not None and 0xF0 <= lead <= 0xF4:
            size = 4
        chunk = raw[i : i + size]
        if size and len(chunk) == size and None not in chunk:
            try:
                out.append(bytes(chunk).decode("utf-8"))  # type: ignore[arg-type]
                i += size
                continue
            except UnicodeDecodeError:
                pass
        out.append(run[i])
        i += 1
    return "".join(out)


def _repair_mojibake(lines: list[str], problems: list[str]) -> None:
    """Repair mis-decoded characters in place; a strict UTF-8 re-decode guards every repair."""
    repaired: list[int] = []
    for i, line in enumerate(lines):
        if not any(lead in line for lead in _MOJIBAKE_LEADS):
            continue
        new = _MOJIBAKE_RUN.sub(lambda m: _unmojibake_run(m.group(0)), line)
        if new != line:
            lines[i] = new
            repaired.append(i + 1)
    if repaired:
        shown = ", ".join(str(n) for n in repaired[:10])
        more = f" and {len(repaired) - 10} more" if len(repaired) > 10 else ""
        problems.append(f"mis-decoded characters (mojibake) repaired on line(s) {shown}{more}")


# ---------------------------------------------------------------------------------------------
# Line classifiers

_FENCE_OPEN = re.compile(r"^ {0,3}(?:(`{3,})[^`]*|(~{3,}).*)$")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")
_QUESTION_HEADING = re.compile(
    r"^ {0,3}#{2,6}[ \t]*(?:\*\*|__)?[ \t]*question[ \t]*(\d{1,3})(?!\d)", re.IGNORECASE
)
_ANSWER_QUOTED = re.compile(
    r"^[ \t]{0,3}>[ \t]*(?:\*\*|__|\*|_)?[ \t]*answer[ \t]*(?:\*\*|__|\*|_)?[ \t]*:"
    r"[ \t]*(?:\*\*|__|\*|_)?[ \t]*(.*)$",
    re.IGNORECASE,
)
_ANSWER_BARE = re.compile(
    r"^[ \t]{0,3}(?:\*\*|__)?answer[ \t]*(?:\*\*|__)?[ \t]*:[ \t]*(?:\*\*|__)?[ \t]*(.*)$",
    re.IGNORECASE,
)
_ITEM = re.compile(r"^[ \t]{0,4}[-*+][ \t]*\[([^\[\]\n]{0,8})\](?!\()[ \t]*(.*)$")
_LIST_START = re.compile(r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]")
_MODULES_GROUP = re.compile(r"\((M\d{1,2}(?:[ \t]*[+,/&][ \t]*M\d{1,2}){0,5})\)")
_MODULE_CODE = re.compile(r"M\d{1,2}")
_PLACEHOLDER = re.compile(
    r"^[`'\"\s]*-{2,}[ \t]*question[ \t]*\d{1,3}[ \t]*fill[ \t]*here[ \t]*-{2,}[`'\"\s]*$",
    re.IGNORECASE,
)
_PROMPT_STOP = re.compile(r"^(?:recommended[ \t]+)?answer[ \t]+length|^example\b", re.IGNORECASE)

# Level 1-2 headings of the template between question groups: they end the answer before them.
_TEMPLATE_SECTIONS = frozenset(
    {
        "group information",
        "coding environment",
        "version control",
        "running code and tracking experiments",
        "working in the cloud",
        "deployment",
        "overall discussion of project",
        "overall project checklist",
    }
)

_TICKED = frozenset({"x", "✅", "✔", "✔️", "✓", "☑", "☑️", "ok", "done", "yes", "y", "v", "100%"})
_UNTICKED = frozenset({"", "no", "n", "✗", "✘", "❌", "0%"})
_PART = frozenset({"~", "/", "\\", "%", "-", "½", "part", "wip", "…", "..."})
_PERCENT = re.compile(r"^\d{1,3}[ \t]*%$")


def _tick_of(mark: str) -> Tick | None:
    m = mark.strip().lower()
    if m in _TICKED:
        return Tick.TICKED
    if m in _UNTICKED:
        return Tick.UNTICKED
    if m in _PART:
        return Tick.PART
    if _PERCENT.match(m):
        value = int(m.rstrip("% \t"))
        if value >= 100:
            return Tick.TICKED
        return Tick.UNTICKED if value == 0 else Tick.PART
    return None


def _heading_text(match: re.Match[str]) -> str:
    """A heading's text without the optional closing ``#`` sequence."""
    return (match.group(2) or "").rstrip(" \t#").strip()


def _section_of(title: str) -> str | None:
    t = title.strip().strip("*_").strip().lower()
    m = re.match(r"week[ \t]*(\d)\b", t)
    if m:
        return f"Week {m.group(1)}"
    if t.startswith(("extra", "additional")):
        return "Extra"
    return None


def _norm_words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _is_template_section(title: str) -> bool:
    return _norm_words(title) in _TEMPLATE_SECTIONS


# ---------------------------------------------------------------------------------------------
# Links

_IMAGE = re.compile(
    r"!\[([^\[\]\n]{0,300})\]\([ \t]*<?([^()\s<>]{1,1000})>?"
    r"(?:[ \t]+[\"'][^\"'\n]{0,300}[\"'])?[ \t]*\)"
)
_LINK = re.compile(
    r"(?<!!)\[([^\[\]\n]{0,300}|!\[[^\[\]\n]{0,300}\]\([^()\s]{1,1000}\))\]\([ \t]*<?"
    r"([^()\s<>]{1,1000})>?(?:[ \t]+[\"'][^\"'\n]{0,300}[\"'])?[ \t]*\)"
)
_AUTOLINK = re.compile(r"<(https?://[^\s<>]{1,2000})>")
_BARE_URL = re.compile(r"(?<![(\[<\"'=/\w])https?://[^\s<>()\[\]\"'`]{1,2000}")
_HTML_IMG = re.compile(
    r"<img\b[^>]{0,1000}?\bsrc[ \t]*=[ \t]*[\"']([^\"'\n]{1,1000})[\"']", re.IGNORECASE
)
_NESTED_ALT = re.compile(r"^!\[([^\[\]\n]{0,300})\]")


def _links_in(line: str, lineno: int, in_prompt: bool) -> list[Link]:
    if "](" not in line and "http" not in line and "<img" not in line.lower():
        return []
    found: list[tuple[int, Link]] = []
    for m in _IMAGE.finditer(line):
        found.append((m.start(), Link(m.group(1), m.group(2), lineno, True, in_prompt)))
    for m in _LINK.finditer(line):
        text = m.group(1)
        nested = _NESTED_ALT.match(text)
        found.append(
            (
                m.start(),
                Link(nested.group(1) if nested else text, m.group(2), lineno, False, in_prompt),
            )
        )
    for m in _AUTOLINK.finditer(line):
        found.append((m.start(), Link(m.group(1), m.group(1), lineno, False, in_prompt)))
    for m in _BARE_URL.finditer(line):
        url = m.group(0).rstrip(".,;:!?*_")
        found.append((m.start(), Link(url, url, lineno, False, in_prompt)))
    for m in _HTML_IMG.finditer(line):
        found.append((m.start(), Link("", m.group(1), lineno, True, in_prompt)))
    found.sort(key=lambda pair: pair[0])
    return [link for _, link in found]


# ---------------------------------------------------------------------------------------------
# Generation detection

# Phrases (normalised to lowercase words) that only one template generation contains.
_MARKERS: dict[str, tuple[str, ...]] = {
    "2026": (
        "setup collection of input output data from your deployed application",
        "pyproject toml uv lock up to date with whatever dependencies",
        "did you end up using any open source frameworks packages not covered in the course",
    ),
    "2025": (
        "requirements txt and requirements dev txt file with whatever dependencies",
        "a requirement to the project is that you include a third party package",
    ),
    "2023": (
        "remember to fill out the requirements txt file with whatever dependencies",
        "fill out the make dataset py file",
        "setup monitoring for the system telemetry of your deployed model",
        "if applicable consider deploying the model locally using torchserve",
        "did you manage to deploy your model either in locally or cloud",
    ),
}
# Phrases shared by 2025 and 2026 but absent from 2023.
_MARKERS_2025_PLUS = (
    "add command line interfaces and project commands to your code",
    "did you implement anything extra in your project that is not covered by other questions",
    "did you manage to write an api for your model",
)


def _detect_generation(norm_text: str, max_question: int) -> str:
    for generation in ("2026", "2025", "2023"):
        if any(marker in norm_text for marker in _MARKERS[generation]):
            return generation
    if any(marker in norm_text for marker in _MARKERS_2025_PLUS) or max_question >= 28:
        return "2025"
    return "unknown"


# ---------------------------------------------------------------------------------------------
# Parsing


@dataclass
class _Anchor:
    """Where one answer's block begins: a question heading, or a headless ``> Answer:``."""

    start: int  # 0-based first line of the block (heading, or first prompt line)
    heading: int | None  # 0-based heading line
    number: int | None
    answer_line: int | None = None  # 0-based "> Answer:" line
    answer_inline: str = ""
    prompt_lines: list[int] = field(default_factory=list)


def _scan_fences(lines: list[str], problems: list[str]) -> list[bool]:
    """Mark lines inside fenced code blocks (fence lines included).

    A question heading always closes an open fence: an unclosed fence must not swallow the
    rest of the report.
    """
    inside = [False] * len(lines)
    fence: str | None = None
    opened_at = 0
    for i, line in enumerate(lines):
        if fence is None:
            m = _FENCE_OPEN.match(line)
            if m:
                fence = m.group(1) or m.group(2)
                opened_at = i
                inside[i] = True
            continue
        if _QUESTION_HEADING.match(line):
            problems.append(f"line {opened_at + 1}: code fence never closed")
            fence = None
            continue
        inside[i] = True
        stripped = line.strip()
        if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
            fence = None
    if fence is not None:
        problems.append(f"line {opened_at + 1}: code fence never closed")
    return inside


def _quote_body(line: str) -> str:
    s = line.lstrip()
    while s.startswith(">"):
        s = s[1:].lstrip()
    return s


def _is_quote(line: str) -> bool:
    return line.lstrip().startswith(">")


def _prompt_text(lines: list[str], indexes: list[int]) -> str:
    collected: list[str] = []
    bold: list[str] = []
    for i in indexes:
        body = _quote_body(lines[i]).strip()
        if not body:
            continue
        if _PROMPT_STOP.match(body.strip("*_ ")) or _ANSWER_BARE.match(body):
            break
        collected.append(body)
        if body.startswith(("**", "__")):
            bold.append(body)
    chosen = bold or collected
    text = " ".join(part.replace("**", "").replace("__", "").strip() for part in chosen)
    return " ".join(text.split())


def _find_anchors(lines: list[str], fenced: list[bool]) -> list[_Anchor]:
    """Question headings plus ``> Answer:`` lines, each answer line tied to one anchor."""
    anchors: list[_Anchor] = []
    current: _Anchor | None = None
    for i, line in enumerate(lines):
        hm = _QUESTION_HEADING.match(line)
        if hm:
            current = _Anchor(start=i, heading=i, number=int(hm.group(1)))
            anchors.append(current)
            continue
        if fenced[i]:
            continue
        am = _ANSWER_QUOTED.match(line)
        if not am:
            continue
        if current is not None and current.answer_line is None:
            current.answer_line = i
            current.answer_inline = am.group(1).strip()
            continue
        # A second "> Answer:" under one heading, or one before any heading: the heading of
        # this question was deleted. Its block starts at the quoted prompt above it.
        start = i
        j = i - 1
        while j >= 0 and not fenced[j] and (_is_quote(lines[j]) or not lines[j].strip()):
            if _ANSWER_QUOTED.match(lines[j]) or _QUESTION_HEADING.match(lines[j]):
                break
            if _is_quote(lines[j]):
                start = j
            j -= 1
        if start == i:
            # no quoted prompt above: a repeated "Answer:" inside the current answer
            continue
        current = _Anchor(
            start=start, heading=None, number=None, answer_line=i, answer_inline=am.group(1).strip()
        )
        anchors.append(current)
    anchors.sort(key=lambda a: a.start)
    return anchors


@functools.cache
def _question_index(generation: str) -> tuple[tuple[int, str, frozenset[str]], ...]:
    """(number, normalised prompt, its words) of the known questions of a generation.

    An unknown generation gets every generation's questions, identical texts once.
    """
    questions = load_catalog().questions
    chosen = [questions[generation]] if generation in questions else list(questions.values())
    seen: dict[tuple[int, str], None] = {}
    for texts in chosen:
        for number, text in enumerate(texts, start=1):
            seen.setdefault((number, _norm_words(text)), None)
    return tuple((n, t, frozenset(t.split())) for n, t in seen)


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a[:300], b[:300], autojunk=False).ratio()


def _best_question(prompt: str, generation: str) -> tuple[int | None, float]:
    """The known question whose prompt is closest to ``prompt``, and the similarity."""
    norm = _norm_words(prompt)
    if not norm:
        return None, 0.0
    words = frozenset(norm.split())
    ranked = sorted(
        _question_index(generation),
        key=lambda q: -2 * len(words & q[2]) / (len(words) + len(q[2]) or 1),
    )
    best: tuple[int | None, float] = (None, 0.0)
    for number, text, _ in ranked[:4]:  # character ratio only for the best word overlaps
        score = _similarity(norm, text)
        if score > best[1]:
            best = (number, score)
    return best


def _build_answer(
    anchor: _Anchor, end: int, lines: list[str], fenced: list[bool]
) -> tuple[Answer, list[int]]:
    """Build the answer of one block ``[anchor.start, end]`` (0-based, inclusive)."""
    body_from = anchor.start + 1 if anchor.heading is not None else anchor.start
    if anchor.answer_line is not None:
        prompt_idx = [k for k in range(body_from, anchor.answer_line) if _is_quote(lines[k])]
        first = anchor.answer_line + 1
    else:
        # No "> Answer:" line: the prompt is the first quoted block, the answer follows it.
        k = body_from
        while k <= end and not lines[k].strip():
            k += 1
        prompt_idx = []
        while k <= end and (_is_quote(lines[k]) or not lines[k].strip()):
            if _is_quote(lines[k]):
                prompt_idx.append(k)
            k += 1
        first = prompt_idx[-1] + 1 if prompt_idx else body_from
        # a bare "Answer:" (quote marker removed) right after the prompt
        k2 = first
        while k2 <= end and not lines[k2].strip():
            k2 += 1
        if k2 <= end and not fenced[k2]:
            bm = _ANSWER_BARE.match(lines[k2])
            if bm:
                anchor.answer_line = k2
                anchor.answer_inline = bm.group(1).strip()
                first = k2 + 1

    text_lines: list[tuple[int, str]] = []
    if anchor.answer_inline:
        text_lines.append((anchor.answer_line, anchor.answer_inline))  # type: ignore[arg-type]
    k = first
    # an answer written inside the quote block, right below "> Answer:"
    while k <= end and anchor.answer_line is not None and _is_quote(lines[k]):
        text_lines.append((k, _quote_body(lines[k])))
        k += 1
    text_lines.extend((k2, lines[k2]) for k2 in range(k, end + 1))
    if any(t.strip() and not _PLACEHOLDER.match(t) for _, t in text_lines):
        # the group answered but left the template's placeholder line: drop it
        text_lines = [(k2, t) for k2, t in text_lines if not _PLACEHOLDER.match(t)]
    lo, hi = 0, len(text_lines)
    while lo < hi and not text_lines[lo][1].strip():
        lo += 1
    while hi > lo and not text_lines[hi - 1][1].strip():
        hi -= 1
    text_lines = text_lines[lo:hi]

    prompt = _prompt_text(lines, prompt_idx)
    links: list[Link] = []
    for k in prompt_idx:
        links.extend(_links_in(lines[k], k + 1, in_prompt=True))
    for k, text in text_lines:
        if not fenced[k]:
            links.extend(_links_in(text, k + 1, in_prompt=False))

    content = [t for _, t in text_lines if t.strip()]
    unanswered = not content or all(_PLACEHOLDER.match(t) for t in content)
    if text_lines:
        start_line, end_line = text_lines[0][0] + 1, text_lines[-1][0] + 1
        text = "\n".join(t.rstrip() for _, t in text_lines).strip()
    else:
        last = (
            anchor.answer_line
            if anchor.answer_line is not None
            else (prompt_idx[-1] if prompt_idx else anchor.start)
        )
        start_line, end_line, text = last + 2, last + 1, ""
    heading_line = anchor.heading if anchor.heading is not None else anchor.answer_line
    answer = Answer(
        number=anchor.number or 0,
        heading_line=(heading_line if heading_line is not None else anchor.start) + 1,
        start_line=start_line,
        end_line=end_line,
        text=text,
        prompt=prompt,
        unanswered=unanswered,
        links=links,
    )
    return answer, prompt_idx


def _block_end(lines: list[str], fenced: list[bool], start: int, limit: int) -> int:
    """Last line of a block starting at ``start``: before ``limit`` or a template section."""
    for k in range(start + 1, limit):
        if fenced[k]:
            continue
        hm = _HEADING.match(lines[k])
        if hm and len(hm.group(1)) <= 2 and _is_template_section(_heading_text(hm)):
            return k - 1
    return limit - 1


def _parse_checklist(
    lines: list[str], fenced: list[bool], stop: int, problems: list[str]
) -> tuple[list[ChecklistItem], str | None]:
    items: list[ChecklistItem] = []
    title: str | None = None
    section: str | None = None
    current: ChecklistItem | None = None
    parts: list[str] = []

    def close() -> None:
        nonlocal current, parts
        if current is not None:
            current.text = " ".join(" ".join(parts).split())
            # the last "(M..)" group: students append notes after the template's code
            groups = _MODULES_GROUP.findall(current.text)
            if groups:
                current.modules = tuple(_MODULE_CODE.findall(groups[-1]))
        current, parts = None, []

    for i in range(stop):
        line = lines[i]
        if fenced[i]:
            close()
            continue
        hm = _HEADING.match(line)
        if hm:
            close()
            heading = _heading_text(hm)
            if len(hm.group(1)) == 1 and title is None:
                title = heading or None
            section = _section_of(heading) if len(hm.group(1)) >= 2 else section
            continue
        im = _ITEM.match(line)
        if im:
            close()
            mark = im.group(1)
            tick = _tick_of(mark)
            if tick is None:
                problems.append(f"line {i + 1}: unrecognised tick mark [{mark}] read as unticked")
                tick = Tick.UNTICKED
            current = ChecklistItem(
                line=i + 1, tick=tick, mark=mark, text="", modules=(), section=section
            )
            parts = [im.group(2)]
            items.append(current)
            continue
        if current is None:
            continue
        stripped = line.strip()
        if not stripped or _LIST_START.match(line) or stripped.startswith((">", "|", "<")):
            close()
            continue
        parts.append(stripped)
        current.end_line = i + 1
    close()
    return items, title


def parse_report(
    source: str | bytes,
    path: str = "reports/README.md",
    *,
    catalog: Catalog | None = None,
    assign_ids: bool = True,
) -> Report:
    """Parse a report of any template generation; never raises on student input.

    ``catalog`` is a :class:`verifier.report.catalog.Catalog` (the bundled one when ``None``);
    with ``assign_ids`` the checklist items get their stable catalog ids.
    """
    problems: list[str] = []
    text = _decode(source, problems)
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    _repair_mojibake(lines, problems)
    fenced = _scan_fences(lines, problems)

    anchors = _find_anchors(lines, fenced)
    checklist_stop = anchors[0].start if anchors else len(lines)
    items, title = _parse_checklist(lines, fenced, checklist_stop, problems)
    if title is None and anchors:
        for i in range(checklist_stop, len(lines)):
            hm = _HEADING.match(lines[i])
            if hm and len(hm.group(1)) == 1 and not fenced[i]:
                title = _heading_text(hm) or None
                break

    numbers = [a.number for a in anchors if a.number is not None]
    norm_text = _norm_words(" ".join(lines[:4000]) if len(lines) > 4000 else text)
    generation = _detect_generation(norm_text, max(numbers, default=0))
    if not items:
        problems.append("no checklist found")

    answers: list[Answer] = []
    # Comparing prompts costs a few hundred microseconds each; a report has ~31 questions,
    # so a budget keeps a file with thousands of headings linear.
    prompt_checks = _PROMPT_CHECK_BUDGET
    for idx, anchor in enumerate(anchors):
        limit = anchors[idx + 1].start if idx + 1 < len(anchors) else len(lines)
        end = _block_end(lines, fenced, anchor.start, limit)
        answer, _ = _build_answer(anchor, end, lines, fenced)
        if anchor.number is None:
            number, score = None, 0.0
            if prompt_checks > 0:
                prompt_checks -= 1
                number, score = _best_question(answer.prompt, generation)
            previous = answers[-1].number if answers else 0
            if number is None or score < 0.6:
                number = previous + 1
                how = "by position"
            else:
                how = "from its prompt"
            answer.number = number
            problems.append(
                f"line {answer.heading_line}: the heading of question {number} is missing; "
                f"the answer was found by its 'Answer:' line and numbered {how}"
            )
        elif generation != "unknown" and answer.prompt and prompt_checks > 0:
            prompt_checks -= 1
            _check_prompt(answer, generation, problems)
        answers.append(answer)

    _check_numbering(answers, generation, problems)
    report = Report(
        path=path,
        generation=generation,
        title=title,
        items=items,
        answers=answers,
        problems=problems,
        line_count=len(lines),
    )
    if assign_ids and items:
        assign_catalog_ids(report, catalog if catalog is not None else load_catalog())
    return report


def _check_prompt(answer: Answer, generation: str, problems: list[str]) -> None:
    """Note a heading whose number does not fit its prompt (a renumbered question)."""
    own_text = next((t for n, t, _ in _question_index(generation) if n == answer.number), None)
    if own_text is None:
        return
    own = _similarity(_norm_words(answer.prompt), own_text)
    if own >= 0.85:  # the usual case: the prompt is the template's
        return
    number, score = _best_question(answer.prompt, generation)
    if number is not None and number != answer.number and score >= 0.8 and score - own >= 0.15:
        problems.append(
            f"line {answer.heading_line}: the heading says question {answer.number} but the "
            f"prompt is that of question {number}"
        )


def _check_numbering(answers: list[Answer], generation: str, problems: list[str]) -> None:
    if not answers:
        problems.append("no answers found (no '### Question N' headings or '> Answer:' lines)")
        return
    seen: dict[int, int] = {}
    previous = 0
    for answer in answers:
        n = answer.number
        if n in seen:
            problems.append(
                f"line {answer.heading_line}: question {n} appears again (first at line {seen[n]})"
            )
        else:
            seen[n] = answer.heading_line
            if n < previous:
                problems.append(
                    f"line {answer.heading_line}: question {n} follows question {previous} "
                    "(renumbered or out of order)"
                )
        previous = max(previous, n)
    expected = {"2023": 27, "2025": 31, "2026": 31}.get(generation, max(seen))
    missing = [n for n in range(1, expected + 1) if n not in seen]
    if missing:
        problems.append("missing question(s): " + ", ".join(str(n) for n in missing))
    extra = sorted(n for n in seen if n > expected)
    if extra:
        problems.append(
            "question number(s) beyond the template's "
            f"{expected}: " + ", ".join(str(n) for n in extra)
        )
