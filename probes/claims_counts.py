"""Claim checks for numbers in the answers: how many tests (Q7) and how much coverage (Q8).

Tests are counted statically, the way pytest would collect them: test functions and methods
of the files pytest collects (``python_files`` respected), and the cases
``@pytest.mark.parametrize`` adds when its argument list is written out literally. Several
parametrize decorators multiply. A list held in a variable or built by a call cannot be
counted without running the code: the case count is then a lower bound, and said so.

Tolerance of a test-count claim (the claimed number is N, the repository shows F test
functions and C cases):

- a plain number ("77 tests", "a total of 77"): F or C within ``max(1, ceil(10% of N))``;
- "approximately / about / around / ~": within ``max(2, ceil(25% of N))``;
- "over / more than / at least": F or C at least N;  "under / at most": F or C at most N;
  "almost / nearly": F or C between 80% of N and N (plus the plain tolerance);
- a range "between 20 and 30": F or C inside it, widened by the plain tolerance of its ends;
- a count for one area (tag ``part``): compared with the test file the sentence names
  (``test_api.py with 12 tests``, the file nearest the number); else with the files named after
  the one area it names ("three tests cover the data" → ``test_data*.py``), where a mismatch is
  only unverifiable (the answer may group tests differently); else only "at most the total".

Tests in files pytest never collects (``tests/_test_api.py``) are reported; a claim that
matches only when they are counted is consistent, with the why saying they never run. When
the claim matches the number of ``assert`` statements instead, the why says so.

Coverage is not measured here: a claim is checked only against an artefact committed in the
repository (coverage.xml / coverage.json / lcov.info, a coverage badge in the README) — within
5 percentage points — or a CI threshold (``--cov-fail-under``, ``fail_under``), which only
gives a lower bound. Two different totals in one answer are inconsistent with each other.
"""

from __future__ import annotations

import ast
import json
import math
import posixpath
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from probes._common import (
    evidence,
    first_line_matching,
    own_files,
    py_index,
    where,
    workflows,
)
from probes._config import ini_section, pyproject_table
from probes._pytests import TestFile, test_suite
from probes.load_test import locust_tasks
from verifier.claims import extract_claims
from verifier.engine.registry import claim_check
from verifier.findings import (
    ClaimResult,
    Evidence,
    Origin,
    consistent,
    inconsistent,
    unverifiable,
)
from verifier.repo.formats.pyindex import dotted_name

if TYPE_CHECKING:
    from verifier.claims.model import Claim
    from verifier.repo.snapshot import Snapshot
    from verifier.report.model import Report

PLAIN_SHARE = 0.10
APPROX_SHARE = 0.25
APPROX_MIN = 2
COVERAGE_TOLERANCE_PP = 5.0


# ------------------------------------------------------------------------ counting tests


@dataclass
class FileCount:
    """Tests of one collected file: functions, cases, and what could not be counted."""

    path: str
    functions: int = 0
    cases: int = 0
    uncountable: list[tuple[str, int]] = field(default_factory=list)  # (test, line)
    first_line: int | None = None
    asserts: int = 0  # assert statements inside the test functions


@dataclass
class TestCount:
    files: list[FileCount] = field(default_factory=list)
    uncollected: list[str] = field(default_factory=list)
    uncollected_functions: int = 0  # test functions in files pytest does not collect

    @property
    def functions(self) -> int:
        return sum(f.functions for f in self.files)

    @property
    def cases(self) -> int:
        return sum(f.cases for f in self.files)

    @property
    def asserts(self) -> int:
        return sum(f.asserts for f in self.files)

    @property
    def uncountable(self) -> list[tuple[str, int]]:
        return [u for f in self.files for u in f.uncountable]

    def describe(self) -> str:
        return _describe(self.functions, self.cases, bool(self.uncountable), len(self.files))


def _describe(functions: int, cases: int, open_ended: bool, nfiles: int) -> str:
    files = f" in {nfiles} collected file{'s' if nfiles != 1 else ''}" if nfiles else ""
    text = f"{functions} test function{'s' if functions != 1 else ''}{files}"
    if open_ended:
        text += f"; at least {cases} cases counting parametrize (some lists are not literal)"
    elif cases != functions:
        text += f"; {cases} cases counting parametrize"
    return text


def _is_parametrize(node: ast.expr) -> bool:
    if not isinstance(node, ast.Call):
        return False
    name = dotted_name(node.func) or ""
    return name == "parametrize" or name.endswith("mark.parametrize")


def _argvalues(call: ast.Call) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == "argvalues":
            return kw.value
    return call.args[1] if len(call.args) >= 2 else None


def _literal_length(node: ast.expr | None) -> int | None:
    """Number of parameter sets of a literal list/tuple/set; None when not countable."""

    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        if any(isinstance(e, ast.Starred) for e in node.elts):
            return None
        return len(node.elts)
    return None


def _multiplier(decorators: list[ast.expr]) -> tuple[int, bool]:
    """(product of the literal parametrize lengths, whether one was not countable)."""

    factor, open_ended = 1, False
    for dec in decorators:
        if not _is_parametrize(dec):
            continue
        assert isinstance(dec, ast.Call)
        length = _literal_length(_argvalues(dec))
        if length is None:
            open_ended = True
        else:
            factor *= length
    return factor, open_ended


def _count_file(snap: Snapshot, tf: TestFile) -> FileCount:
    count = FileCount(tf.path, first_line=min((line for _n, line in tf.tests), default=None))
    wanted = {name for name, _line in tf.tests}
    text = snap.text(tf.path) or ""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        count.functions = count.cases = len(wanted)
        return count

    def visit(body: list[ast.stmt], prefix: str, outer: tuple[int, bool]) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef) and not prefix:
                visit(node.body, node.name + ".", _multiplier(node.decorator_list))
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                qual = prefix + node.name
                if qual not in wanted:
                    continue
                factor, open_ended = _multiplier(node.decorator_list)
                count.functions += 1
                count.asserts += sum(isinstance(n, ast.Assert) for n in ast.walk(node))
                count.cases += factor * outer[0]
                if open_ended or outer[1]:
                    count.uncountable.append((qual, node.lineno))

    visit(tree.body, "", (1, False))
    return count


def count_tests(snap: Snapshot) -> TestCount:
    """Test functions and parametrize cases of every file pytest collects."""

    def build() -> TestCount:
        suite = test_suite(snap)
        out = TestCount(uncollected=list(suite.uncollected))
        for tf in suite.files:
            out.files.append(_count_file(snap, tf))
        for path in suite.uncollected:
            idx = py_index(snap, path)
            if idx is not None and idx.error is None:
                out.uncollected_functions += sum(
                    1 for fn in idx.functions if fn.is_test and fn.qualname.count(".") <= 1
                )
        return out

    return snap.memo("claims.test_count", build)


# ------------------------------------------------------------------------ comparing numbers


def plain_tolerance(n: int) -> int:
    return max(1, math.ceil(PLAIN_SHARE * n))


def approx_tolerance(n: int) -> int:
    return max(APPROX_MIN, math.ceil(APPROX_SHARE * n))


def accepted_range(value: object, qualifier: str | None) -> tuple[float, float, str] | None:
    """The interval of counts a claim accepts, and the rule in words; None when unreadable."""

    if isinstance(value, tuple | list) and len(value) == 2:
        low, high = int(value[0]), int(value[1])
        low, high = min(low, high), max(low, high)
        return (
            low - plain_tolerance(low),
            high + plain_tolerance(high),
            f"between {low} and {high} (±{plain_tolerance(low)}/{plain_tolerance(high)})",
        )
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    n = int(value)
    if qualifier == "approximately":
        tol = approx_tolerance(n)
        return n - tol, n + tol, f"about {n} (±{tol})"
    if qualifier in ("over", "at least"):
        return n, math.inf, f"at least {n}"
    if qualifier in ("under", "at most"):
        return 0, n, f"at most {n}"
    if qualifier == "almost":
        return math.floor(0.8 * n), n + plain_tolerance(n), f"almost {n}"
    tol = plain_tolerance(n)
    return n - tol, n + tol, f"{n} (±{tol})"


def _claimed(claim: Claim) -> str:
    value = claim.value
    if isinstance(value, tuple | list):
        return f"{value[0]}–{value[1]} tests"
    words = {
        "approximately": "about ",
        "over": "over ",
        "at least": "at least ",
        "under": "under ",
        "at most": "at most ",
        "almost": "almost ",
    }
    noun = "test" if value == 1 else "tests"
    return f"{words.get(claim.qualifier or '', '')}{value} {noun}"


def _matches(low: float, high: float, functions: int, cases: int, open_ended: bool) -> bool:
    if low <= functions <= high or low <= cases <= high:
        return True
    # With a list that cannot be counted, the case count may be anything from ``cases`` up.
    return open_ended and cases <= high


_TEST_FILE_NAME = re.compile(r"\b([\w-]*test[\w-]*\.py)\b", re.I)


def _named_files(claim: Claim, counts: TestCount) -> list[FileCount]:
    """The collected test files a part claim names, nearest the claimed number first.

    "test_api.py with 12 tests" and "12 tests in test_api.py" both tie the number to the
    file; when two files are equally near ("a.py with 13 tests ... b.py with 13 tests"),
    both are returned.
    """

    text = claim.quote or claim.sentence
    mentions = [(m.start(), m.end(), m.group(1)) for m in _TEST_FILE_NAME.finditer(text)]
    if not mentions:
        return []
    number_at = [m.start() for m in re.finditer(rf"\b{re.escape(str(claim.value))}\b", text)]
    if number_at:

        def distance(mention: tuple[int, int, str]) -> int:
            start, end, _name = mention
            return min(n - end if end <= n else start - n for n in number_at)

        best = min(distance(m) for m in mentions)
        names = {m[2] for m in mentions if distance(m) == best}
    elif len({m[2] for m in mentions}) == 1:
        names = {mentions[0][2]}
    else:
        return []
    by_name: dict[str, list[FileCount]] = {}
    for f in counts.files:
        by_name.setdefault(posixpath.basename(f.path), []).append(f)
    return [by_name[n][0] for n in sorted(names) if len(by_name.get(n, [])) == 1]


#: Areas a part claim may name, and the word their test files carry (test_<word>*.py).
AREA_WORDS: dict[str, str] = {
    "data": "data",
    "dataset": "data",
    "datasets": "data",
    "model": "model",
    "models": "model",
    "api": "api",
    "endpoints": "api",
    "training": "train",
    "train": "train",
    "evaluation": "evaluat",
    "evaluate": "evaluat",
    "visualization": "visuali",
    "visualisation": "visuali",
    "frontend": "frontend",
    "utils": "util",
    "utilities": "util",
}


def _area_files(claim: Claim, counts: TestCount) -> tuple[str, list[FileCount]] | None:
    """The test files of the one area a part claim names ("three tests cover the data")."""

    words = set(re.findall(r"[a-z]+", (claim.quote or "").lower()))
    stems = {AREA_WORDS[w] for w in words if w in AREA_WORDS}
    if len(stems) != 1:
        return None
    stem = stems.pop()
    files = [
        f
        for f in counts.files
        if stem in posixpath.splitext(posixpath.basename(f.path))[0].lower().removeprefix("test")
    ]
    return (stem, files) if files else None


def _count_evidence(snap: Snapshot, counts: TestCount, limit: int = 4) -> list[Evidence]:
    ev = []
    for f in counts.files[:limit]:
        extra = f", {f.cases} cases" if f.cases != f.functions else ""
        ev.append(evidence(snap, f.path, f.first_line, f"{f.functions} test functions{extra}"))
    for name, line in counts.uncountable[:2]:
        path = next(f.path for f in counts.files if (name, line) in f.uncountable)
        ev.append(evidence(snap, path, line, f"{name}: parametrize list is not literal"))
    return ev


def _part_check(claim: Claim, snap: Snapshot, counts: TestCount) -> ClaimResult:
    expected = _claimed(claim) + " (one part of the suite)"
    named = _named_files(claim, counts)
    if named and isinstance(claim.value, int):
        low, high, rule = accepted_range(claim.value, claim.qualifier) or (0, 0, "")
        observed = "; ".join(
            f"{f.path}: " + _describe(f.functions, f.cases, bool(f.uncountable), 0) for f in named
        )
        ev = [evidence(snap, f.path, f.first_line, "the test file the answer names") for f in named]
        paths = " or ".join(f.path for f in named)
        if any(_matches(low, high, f.functions, f.cases, bool(f.uncountable)) for f in named):
            return consistent(expected, observed, f"claimed {rule} for {paths}", ev)
        return inconsistent(expected, observed, f"claimed {rule} for {paths}; the file differs", ev)
    area = _area_files(claim, counts)
    everything = max(counts.functions, counts.cases)
    if area is not None and isinstance(claim.value, int) and claim.value <= everything:
        word, files = area
        low, high, rule = accepted_range(claim.value, claim.qualifier) or (0, 0, "")
        functions = sum(f.functions for f in files)
        cases = sum(f.cases for f in files)
        open_ended = any(f.uncountable for f in files)
        observed = f"{where(f.path for f in files)}: " + _describe(functions, cases, open_ended, 0)
        ev = [evidence(snap, f.path, f.first_line, f"the {word} tests") for f in files[:3]]
        if _matches(low, high, functions, cases, open_ended):
            return consistent(expected, observed, f"claimed {rule} for the {word} tests", ev)
        return unverifiable(
            expected,
            f"the test files named after {word} hold a different number; the answer may "
            "group its tests differently",
            ev,
            observed,
        )
    total = max(counts.functions, counts.cases)
    value = claim.value[1] if isinstance(claim.value, tuple | list) else claim.value
    if not isinstance(value, int) or isinstance(value, bool):
        return unverifiable(expected, "the claimed part count is not a number")
    observed = counts.describe()
    ev = _count_evidence(snap, counts)
    if value > total and not counts.uncountable:
        return inconsistent(
            expected,
            observed,
            "a count for one part of the suite is larger than all the tests together",
            ev,
        )
    return unverifiable(
        expected,
        "a count for one part of the suite; the part is not a file the answer names, "
        f"so it is only compared with the total ({total}), which it does not exceed",
        ev,
        observed,
    )


#: Qualifiers that make the claim a ceiling: "at most 20 tests" is contradicted by 30.
UPPER_BOUNDS = ("under", "at most", "almost", "exactly")


_LOAD_WORDS = re.compile(r"\b(locust|load[- ]?tests?|performance tests?|stress tests?)\b", re.I)


@claim_check("test-count")
def check_test_count(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """The number of tests claimed vs. test functions and parametrize cases pytest collects."""

    counts = count_tests(snap)
    if "part" in claim.tags:
        return _part_check(claim, snap, counts)
    expected = _claimed(claim)
    accepted = accepted_range(claim.value, claim.qualifier)
    if accepted is None:
        return unverifiable(expected, f"the claimed value {claim.value!r} is not a count")
    low, high, rule = accepted
    observed = counts.describe()
    if counts.uncollected:
        observed += f"; not collected by pytest's python_files: {', '.join(counts.uncollected[:3])}"
    ev = _count_evidence(snap, counts)
    open_ended = bool(counts.uncountable)
    if _matches(low, high, counts.functions, counts.cases, open_ended):
        why = f"claimed {rule}; the function or the case count is within it"
        return consistent(expected, observed, why, ev)
    if not counts.files:
        return inconsistent(
            expected, "no test file pytest would collect", f"claimed {rule}; found none", ev
        )
    if _LOAD_WORDS.search(claim.sentence or claim.quote):
        tasks = locust_tasks(snap)
        total = counts.functions + len(tasks)
        if tasks and low <= total <= high:
            why = (
                f"claimed {rule}, load tests included: {counts.functions} test functions and "
                f"{len(tasks)} Locust tasks"
            )
            task_ev = [evidence(snap, p, ln, "a Locust task") for p, ln in tasks[:2]]
            return consistent(expected, observed, why, ev + task_ev)
    with_uncollected = counts.functions + counts.uncollected_functions
    if counts.uncollected_functions and low <= with_uncollected <= high:
        why = (
            f"claimed {rule}: so many test functions exist ({with_uncollected}), but "
            f"{counts.uncollected_functions} sit in files pytest does not collect and never run"
        )
        return consistent(expected, observed, why, ev)
    why = f"claimed {rule}; neither the function count nor the case count is"
    if counts.functions > high and not claim.negated and claim.qualifier not in UPPER_BOUNDS:
        # More tests than the answer says is no false claim of work: answers are often
        # written before the last tests. Said, not flagged.
        why += "; the repository has more tests than claimed (written before the last tests?)"
        return consistent(expected, observed, why, ev)
    if counts.functions > high:
        why += " (the repository has more tests than claimed)"
    elif counts.cases < low and not open_ended:
        why += " (the repository has fewer tests than claimed)"
    if low <= counts.asserts <= high and not claim.negated:
        # "12 tests" for 12 asserts in 5 functions: a way of counting, not a false claim.
        return unverifiable(
            expected,
            why + f"; the number of assert statements, {counts.asserts}, is: checks counted "
            "as tests?",
            ev,
            observed,
        )
    if open_ended and counts.cases < low:
        return unverifiable(
            expected,
            why + " (but some parametrize lists are not literal, so cases may be more)",
            ev,
            observed,
        )
    return inconsistent(expected, observed, why, ev)


# ------------------------------------------------------------------------ coverage


@dataclass(frozen=True)
class CoverageArtefact:
    """A coverage figure found in the repository: a measurement or a lower bound."""

    percent: float
    kind: str  # "measured" or "threshold"
    what: str
    path: str
    line: int | None


_BADGE = re.compile(r"coverage[^)\]\s]*?[-/:](\d{1,3}(?:\.\d+)?)(?:%|%25)", re.I)
_FAIL_UNDER_OPT = re.compile(r"--(?:cov-)?fail-under[=\s]+(\d{1,3}(?:\.\d+)?)")
_SVG_PERCENT = re.compile(r">\s*(\d{1,3}(?:\.\d+)?)\s*%\s*<")


def _measured(snap: Snapshot) -> list[CoverageArtefact]:
    out: list[CoverageArtefact] = []
    for path in own_files(snap):
        name = posixpath.basename(path).lower()
        if name == "coverage.xml":
            m = re.search(r"<coverage\b[^>]*\bline-rate=\"([\d.]+)\"", snap.text(path) or "")
            if m:
                out.append(
                    CoverageArtefact(
                        float(m.group(1)) * 100, "measured", "committed coverage.xml", path, None
                    )
                )
        elif name == "coverage.json":
            try:
                doc = json.loads(snap.text(path) or "")
                value = doc["totals"]["percent_covered"]
            except (ValueError, KeyError, TypeError):
                continue
            if isinstance(value, int | float):
                out.append(
                    CoverageArtefact(
                        float(value), "measured", "committed coverage.json", path, None
                    )
                )
        elif name in ("lcov.info", "coverage.lcov"):
            found = hit = 0
            for line in snap.lines(path):
                if line.startswith("LF:") and line[3:].strip().isdigit():
                    found += int(line[3:])
                elif line.startswith("LH:") and line[3:].strip().isdigit():
                    hit += int(line[3:])
            if found:
                out.append(
                    CoverageArtefact(100 * hit / found, "measured", "committed lcov", path, None)
                )
        elif name.endswith(".svg") and "coverage" in name:
            m = _SVG_PERCENT.search(snap.text(path) or "")
            if m:
                out.append(
                    CoverageArtefact(float(m.group(1)), "measured", "coverage badge", path, None)
                )
    for readme in ("README.md", "readme.md", "Readme.md"):
        for number, line in enumerate(snap.lines(readme) if snap.exists(readme) else [], 1):
            m = _BADGE.search(line)
            if m is not None and ("shields.io" in line or "badge" in line.lower()):
                out.append(
                    CoverageArtefact(
                        float(m.group(1)),
                        "measured",
                        "coverage badge in the README",
                        readme,
                        number,
                    )
                )
    return out


def _thresholds(snap: Snapshot) -> list[CoverageArtefact]:
    out: list[CoverageArtefact] = []
    for wf in workflows(snap):
        for _job, step in wf.all_steps():
            for line, command in step.run_commands():
                m = _FAIL_UNDER_OPT.search(command)
                if m:
                    out.append(
                        CoverageArtefact(
                            float(m.group(1)), "threshold", "CI fails below", wf.path, line
                        )
                    )
    if snap.exists("pyproject.toml"):
        rep = pyproject_table(snap, "tool", "coverage", "report") or {}
        value = rep.get("fail_under")
        if isinstance(value, int | float) and not isinstance(value, bool):
            line = first_line_matching(snap, "pyproject.toml", re.compile(r"^\s*fail_under\b"))
            out.append(
                CoverageArtefact(float(value), "threshold", "fail_under", "pyproject.toml", line)
            )
        opts = pyproject_table(snap, "tool", "pytest", "ini_options") or {}
        addopts = opts.get("addopts")
        words = " ".join(addopts) if isinstance(addopts, list) else str(addopts or "")
        m = _FAIL_UNDER_OPT.search(words)
        if m:
            line = first_line_matching(snap, "pyproject.toml", _FAIL_UNDER_OPT)
            out.append(
                CoverageArtefact(
                    float(m.group(1)), "threshold", "pytest addopts", "pyproject.toml", line
                )
            )
    for name, section in (
        (".coveragerc", "report"),
        ("setup.cfg", "coverage:report"),
        ("tox.ini", "coverage:report"),
    ):
        raw = (ini_section(snap, name, section) or {}).get("fail_under")
        try:
            value = float(raw) if raw is not None else None
        except ValueError:
            continue
        if value is not None:
            line = first_line_matching(snap, name, re.compile(r"^\s*fail_under\b"))
            out.append(CoverageArtefact(value, "threshold", "fail_under", name, line))
    return out


def coverage_artefacts(snap: Snapshot) -> list[CoverageArtefact]:
    return snap.memo("claims.coverage_artefacts", lambda: _measured(snap) + _thresholds(snap))


def _percent(value: object) -> str:
    if isinstance(value, tuple | list):
        return f"{_percent(value[0])}–{_percent(value[1])}"
    if isinstance(value, int | float):
        return f"{value:g}%"
    return str(value)


def report_evidence(snap: Snapshot, report: Report, line: int, why: str) -> Evidence:
    """Evidence at a line of the report itself (the group's words, never template)."""

    return evidence(snap, report.path, line, why, Origin.GROUP)


_NOT_A_TOTAL = re.compile(
    r"\b\w+\.py\b|\b(respectively|files?|modules?|folders?|individual|each|per|"
    r"means?|benefits?|would|could|can|should|if|even|aim|goal|target|ideal(ly)?|guarantees?)\b",
    re.I,
)


def reads_as_total(claim: Claim) -> bool:
    """The figure is stated as the coverage of the code: not one file's, not a hypothetical
    ("100% coverage means ..."), not a bound ("below 100%")."""

    if claim.qualifier in ("under", "at most", "over", "at least"):
        return False
    return not _NOT_A_TOTAL.search(claim.quote or claim.sentence)


def _conflicting(claim: Claim, report: Report) -> list[Claim]:
    """Other total figures of the same answer that differ from this one."""

    return [
        c
        for c in extract_claims(report)
        if c.kind == claim.kind
        and c.question == claim.question
        and "conflict" in c.tags
        and c.value != claim.value
        and reads_as_total(c)
    ]


@claim_check("coverage-percent")
def check_coverage(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """A coverage figure vs. committed coverage artefacts and thresholds, and vs. itself."""

    expected = f"{_percent(claim.value)} coverage"
    if claim.qualifier in ("approximately", "over", "at least", "under", "at most", "almost"):
        expected = f"{claim.qualifier} {expected}"
    if "conflict" in claim.tags and not reads_as_total(claim):
        return unverifiable(
            expected, "a figure for one file, a bound or a hypothetical, not the total coverage"
        )
    if "conflict" in claim.tags and not any(a.kind == "measured" for a in coverage_artefacts(snap)):
        # Two totals in one answer (often then and now: "we kept 60% ... now 13%"): nothing
        # committed says which holds, and the answer contradicts itself, not the repository.
        others = _conflicting(claim, report)
        if others:
            ev = [
                report_evidence(
                    snap, report, claim.line, f"this answer says {_percent(claim.value)}"
                )
            ]
            ev += [
                report_evidence(snap, report, o.line, f"and also {_percent(o.value)}")
                for o in others
            ]
            said = ", ".join(f"{_percent(o.value)} (line {o.line})" for o in others)
            return unverifiable(
                expected,
                "two different total coverage figures in one answer, and no committed coverage "
                "report tells which holds",
                ev,
                f"the same answer also gives {said} as the total",
            )
    if "part" in claim.tags:
        return unverifiable(
            expected,
            "a coverage figure for one part of the code; not compared with totals",
            observed="not compared",
        )
    values = claim.value if isinstance(claim.value, tuple | list) else (claim.value,)
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return unverifiable(expected, f"{claim.value!r} is not a percentage")
    low, high = float(min(values)), float(max(values))  # type: ignore[arg-type]
    if claim.qualifier in ("over", "at least"):
        high = 100.0
    elif claim.qualifier in ("under", "at most"):
        low = 0.0
    artefacts = coverage_artefacts(snap)
    measured = [a for a in artefacts if a.kind == "measured"]
    if measured:
        a = measured[0]
        ev = [evidence(snap, a.path, a.line, f"{a.what}: {a.percent:.1f}%")]
        observed = f"{a.what} ({a.path}) says {a.percent:.1f}%"
        if low - COVERAGE_TOLERANCE_PP <= a.percent <= high + COVERAGE_TOLERANCE_PP:
            why = f"within {COVERAGE_TOLERANCE_PP:g} percentage points of the committed figure"
            return consistent(expected, observed, why, ev)
        why = (
            f"more than {COVERAGE_TOLERANCE_PP:g} percentage points from the committed figure "
            "(which may be older than the answer)"
        )
        return inconsistent(expected, observed, why, ev)
    thresholds = [a for a in artefacts if a.kind == "threshold"]
    if thresholds:
        a = max(thresholds, key=lambda t: t.percent)
        ev = [evidence(snap, a.path, a.line, f"{a.what} {a.percent:g}%")]
        observed = f"{a.what} {a.percent:g}% ({a.path}): coverage is at least that when it passes"
        if high + COVERAGE_TOLERANCE_PP < a.percent:
            return inconsistent(
                expected,
                observed,
                "the claimed figure is below the threshold the configuration enforces",
                ev,
            )
        return unverifiable(
            expected,
            "only a lower bound is configured, and the claim respects it; "
            "the figure itself needs a test run",
            ev,
            observed,
        )
    return unverifiable(
        expected,
        "no committed coverage report, badge or threshold; the figure needs a test run",
        observed="no coverage artefact",
    )
