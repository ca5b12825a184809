"""Markdown for job summaries and PR comments, and the escaping of student text.

``audit_fixture`` (also used by the SARIF, annotation and Action tests) audits a small real git
repository whose report has a known mismatch, a weak item, an item no catalog knows written to
break Markdown and HTML, and an answer whose file link the repository contradicts.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import make_repo

from verifier.engine.audit import run_audit
from verifier.engine.inputs import load_report
from verifier.engine.result import AuditResult
from verifier.findings import Evidence, Verdict
from verifier.render.escape import (
    ZERO_WIDTH,
    escape_html,
    escape_markdown,
    neutralise_mentions,
)
from verifier.render.markdown_render import render_markdown
from verifier.repo.snapshot import open_snapshot

HOSTILE_ITEM = "<img src=x onerror=alert(1)> @octocat `|` #12 [click](javascript:alert(1))"
HOSTILE_ANSWER = "See [tests](tests/test_gone.py) @octocat <script>alert(1)</script> | #12 done."

REPORT = f"""\
# Exam template for 02476 Machine Learning Operations

## Overall project checklist

### Week 1

* [x] Create a git repository (M5)
* [x] Construct one or multiple docker files for your code (M10)
* [x] Get some continuous integration running on the GitHub repository (M17)
* [x] Add caching and multi-os/python/pytorch testing to your continuous integration (M17)
* [x] {HOSTILE_ITEM}

## Group information

### Question 26

> Answer:

{HOSTILE_ANSWER}
"""

WORKFLOW = """\
name: Unit tests
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
          cache: pip
      - run: pip install -e .
      - run: pytest tests/
"""

FILES = {
    "reports/README.md": REPORT,
    ".github/workflows/tests.yaml": WORKFLOW,
    "tests/test_x.py": "def test_one():\n    assert 1 + 1 == 2\n",
    "pyproject.toml": '[project]\nname = "g"\nversion = "0"\n',
}
REPO_URL = "https://github.com/group/project"


def report_line(text: str) -> int:
    """The 1-based line of the report that holds ``text``."""

    for number, line in enumerate(REPORT.splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(text)


DOCKER_LINE = report_line("docker files")
CACHING_LINE = report_line("caching and multi-os")
HOSTILE_LINE = report_line("onerror")
ANSWER_LINE = report_line("See [tests]")


def make_fixture_repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path, FILES, name="group")
    return Path(repo.working_tree_dir or "")


def audit_fixture(tmp_path: Path) -> AuditResult:
    snap = open_snapshot(str(make_fixture_repo(tmp_path)))
    with snap:
        return run_audit(load_report(snap, None), snap)


@pytest.fixture
def result(tmp_path: Path) -> AuditResult:
    return audit_fixture(tmp_path)


def test_fixture_has_the_known_verdicts(result: AuditResult) -> None:
    by_line = {f.line: f.verdict for f in result.findings}
    assert by_line[DOCKER_LINE] is Verdict.MISMATCH
    assert by_line[CACHING_LINE] is Verdict.WEAK
    assert by_line[HOSTILE_LINE] is Verdict.UNKNOWN_ITEM
    bad = [c for c in result.claims if c.verdict == "inconsistent"]
    assert [c.claim.line for c in bad if c.claim.kind == "file-link"] == [ANSWER_LINE]


# ---- escaping


HOSTILE = [
    "a | b",
    "line one\nline two\r\nthree\u2028four",
    "`code` and ``more``",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1)) ![pixel](https://tracker.example/p.png)",
    "@octocat and @org/team, cc @someone-else",
    "fixes #12 and GH-7 and owner/repo#3",
    "**bold** _em_ ~~strike~~ $x^2$",
    "&lt;b&gt; already escaped &amp;",
    "<!-- hidden --> </details> <details open>",
    "\x00\x07\x1b[31mred",
]


def _render_html(markdown: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    md = markdown_it.MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return md.render(markdown)


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_renders_as_one_plain_cell(text: str) -> None:
    cell = escape_markdown(text)
    assert "\n" not in cell and "\r" not in cell
    html = _render_html(f"| a | b |\n|---|---|\n| {cell} | end |\n")
    # Two cells in the row: the text broke no column.
    body = html.split("<tbody>")[1]
    assert body.count("<td>") == 2, html
    assert "<td>end</td>" in body
    for tag in ("<script", "<img", "<a ", "<code", "<em", "<strong", "<s>", "<del", "<!--"):
        assert tag not in body, (tag, html)
    assert "</details>" not in body and "<details" not in body


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_keeps_its_words(text: str) -> None:
    html = _render_html(escape_markdown(text))
    visible = re.sub(r"<[^>]+>", "", html).replace(ZERO_WIDTH, "")
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&amp;", "&")):
        visible = visible.replace(entity, char)
    words = re.findall(r"[A-Za-z]{3,}", text)
    for word in words:
        assert word in visible, (word, visible)


def test_mentions_and_issue_refs_are_broken() -> None:
    out = neutralise_mentions("@octocat @org/team #12 GH-7 a@b.c ## heading #x")
    assert "@octocat" not in out and "@org" not in out
    assert "#12" not in out and "GH-7" not in out
    assert out.replace(ZERO_WIDTH, "") == "@octocat @org/team #12 GH-7 a@b.c ## heading #x"
    assert "#x" in out  # not a reference: left alone


def test_escape_html() -> None:
    assert escape_html("<a href='x'>&\"</a>") == ("&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;")


def test_escape_markdown_limit_cuts_before_escaping() -> None:
    out = escape_markdown("<" * 50, limit=10)
    assert out == "&lt;" * 9 + "…"


# ---- the summary


def test_headline_counts(result: AuditResult) -> None:
    md = render_markdown(result)
    head = md.split("\n\n")[1]
    assert "**1 mismatch**" in head and "**1 weak**" in head
    assert "2 verified" in head and "0 unclaimed" in head and "0 manual" in head
    assert "inconsistent claim" in head
    assert "**1 unknown-item**" in head


def test_attention_table_links_report_and_evidence(result: AuditResult) -> None:
    sha = result.snapshot.commit
    assert sha
    md = render_markdown(result, repo_url=REPO_URL)
    attention = md.split("### Ticked, but the repository does not show it")[1].split("###")[0]
    rows = [line for line in attention.splitlines() if line.startswith("| [L")]
    assert len(rows) == 2
    assert rows[0].startswith(f"| [L{DOCKER_LINE}]({REPO_URL}/blob/{sha}/reports/README.md")
    assert "?plain=1#L" in rows[0], "a Markdown file needs the source view for a line anchor"
    assert "**mismatch**" in rows[0] and "**weak**" in rows[1]
    assert f"({REPO_URL}/blob/{sha}/.github/workflows/tests.yaml#L" in rows[1]
    assert f"[{sha[:10]}]({REPO_URL}/commit/{sha})" in md


def test_contradicted_answer_in_its_table(result: AuditResult) -> None:
    md = render_markdown(result, repo_url=REPO_URL)
    claims = md.split("### Answers the repository contradicts")[1].split("<details>")[0]
    assert f"#L{ANSWER_LINE})" in claims
    assert "file\\-link" in claims


def test_everything_else_is_collapsed(result: AuditResult) -> None:
    md = render_markdown(result)
    assert "<details>\n<summary>2 verified</summary>\n\n|" in md
    assert "<summary>1 unknown items: not in the catalog</summary>" in md
    assert md.count("<details>") == md.count("</details>")


def test_no_links_without_repository_url(result: AuditResult) -> None:
    md = render_markdown(result)
    assert "](" not in md
    assert f"| L{DOCKER_LINE} |" in md


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "https://github.com/a/b)x", "https://github.com/a/b c"]
)
def test_bad_repository_urls_give_no_links(result: AuditResult, url: str) -> None:
    assert "](" not in render_markdown(result, repo_url=url)


def test_student_text_is_inert_in_the_rendered_summary(result: AuditResult) -> None:
    md = render_markdown(result, repo_url=REPO_URL)
    html = _render_html(md)
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript' not in html
    for mention in ("@octocat", "#12"):
        assert mention not in md
    # Every link goes to the repository on GitHub.
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs and all(h.startswith(REPO_URL + "/") for h in hrefs), hrefs
    # Every table row keeps its number of cells.
    for table in re.findall(r"<table>.*?</table>", html, re.S):
        head = len(re.findall(r"<th[ >]", table.split("</thead>")[0]))
        for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[-1], re.S):
            assert row.count("<td") == head, row


def test_hostile_evidence_paths(result: AuditResult) -> None:
    weak = next(f for f in result.findings if f.verdict is Verdict.WEAK)
    assert weak.observation is not None
    path = "src/a|b`<img src=x onerror=alert(1)>`) #12 @octocat.py"
    weak.observation.evidence.insert(0, Evidence(path, 3, "x", "why <b>@octocat</b>"))
    md = render_markdown(result, repo_url=REPO_URL)
    html = _render_html(md)
    assert "<img" not in html and "<b>" not in html
    link = re.search(r'href="([^"]+a%7Cb[^"]+)"', html)
    assert link is not None, "the path is percent-encoded in the link"
    assert ")" not in link.group(1) and " " not in link.group(1)


def test_long_output_stays_under_the_limit(result: AuditResult) -> None:
    many = [
        replace(
            result.findings[0],
            item=replace(result.findings[0].item, line=1000 + i, text="x" * 300),
        )
        for i in range(400)
    ]
    result.findings.extend(many)
    md = render_markdown(result, repo_url=REPO_URL, max_chars=20_000)
    assert len(md) <= 20_000
    assert "left out" in md.lower()
    assert md.count("<details>") == md.count("</details>")
    assert "**1 mismatch**" in md  # the headline and the attention table come first
