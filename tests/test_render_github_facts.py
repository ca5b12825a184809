"""GitHub facts in every output: the same lines in the terminal, Markdown and the group
page, with logins, titles and URLs escaped as the untrusted text they are."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from test_batch_dashboard import XSS_ATTR, XSS_SCRIPT, _record, assert_inert, read
from test_render_markdown import audit_fixture

from verifier.batch.dashboard import GROUPS_DIR, write_dashboard
from verifier.batch.outputs import result_path, write_json_atomic
from verifier.github.facts_model import (
    Collaborator,
    Contributor,
    Pages,
    PullStats,
    RepoFacts,
    WorkflowRun,
)
from verifier.render.github_facts import facts_lines
from verifier.render.json_render import result_dict
from verifier.render.markdown_render import render_markdown
from verifier.render.text_render import render_text

EVIL = f"{XSS_SCRIPT}{XSS_ATTR}@course/teachers"


def _facts(login: str = "alice") -> RepoFacts:
    run = WorkflowRun("tests", 1, "completed", "success", "b" * 40, "push", "https://x/1", "t")
    lint = WorkflowRun("lint", 2, "completed", "failure", "b" * 40, "push", "https://x/2", "t")
    return RepoFacts(
        full_name="course/group-3",
        default_branch="main",
        group_size=3,
        collaborators=[
            Collaborator(login, "admin"),
            Collaborator("bob", "write"),
            Collaborator("carol", "read"),
            Collaborator("dependabot[bot]", "write"),
        ],
        contributors=[Contributor(login, 60), Contributor("bob", 40), Contributor("x[bot]", 9)],
        pulls=PullStats(total=12, merged=10, open=1, reviewed=4, authors=2, reviews_checked=10),
        runs=[run, lint],
        pages=Pages(enabled=True, url="https://course.github.io/group-3/", status="built"),
        rate_remaining=4990,
        rate_limit=5000,
        rate_reset="2026-01-20T12:00:00+00:00",
    )


def test_the_lines_say_what_github_said() -> None:
    lines = dict(facts_lines(_facts().to_dict()))
    assert lines["repository"] == "course/group-3 (default branch main)"
    assert lines["write access"] == "2 can push (group of 3): alice (admin), bob (write)"
    assert lines["commits per person"] == "alice 60 % (60), bob 40 % (40)"
    assert lines["pull requests"] == (
        "12 (10 merged, 1 open, by 2 authors); 4 of the 10 newest had a review by someone"
        " other than the author"
    )
    assert lines["latest workflow runs"] == "failing (tests: success, lint: failure)"
    assert lines["GitHub Pages"] == "switched on (built) https://course.github.io/group-3/"
    assert lines["API quota"] == "4990 of 5000 requests left (resets 2026-01-20T12:00:00+00:00)"


def test_unreadable_sections_say_why() -> None:
    facts = RepoFacts(full_name="c/g", errors={"collaborators": "403: needs push access"})
    lines = dict(facts_lines(facts.to_dict()))
    assert lines["write access"] == "unknown: 403: needs push access"
    assert lines["pull requests"] == "unknown: not read"
    assert facts_lines(None) == []


def test_markdown_escapes_logins_and_neutralises_mentions(tmp_path: Path) -> None:
    result = replace(audit_fixture(tmp_path), github=_facts(EVIL).to_dict())
    text = render_markdown(result)
    assert "### On GitHub" in text
    assert "<script>" not in text
    assert "@course/teachers" not in text  # a mention would notify a team
    assert r"2 can push \(group of 3\)" in text


def test_terminal_and_json_carry_the_facts(tmp_path: Path) -> None:
    result = replace(audit_fixture(tmp_path), github=_facts().to_dict())
    assert "github write access: 2 can push" in render_text(result, width=200)
    data = result_dict(result)
    assert data["github"]["writers"] == 2
    assert data["github"]["ci_passing"] is False
    assert result_dict(replace(result, github=None))["github"] is None


def test_group_page_shows_the_facts_as_text(tmp_path: Path) -> None:
    record = _record("g3", "3", github=_facts(EVIL).to_dict())
    out = tmp_path / "out"
    write_json_atomic(result_path(out, "g3"), record)
    write_dashboard(out)
    page = read(next((out / GROUPS_DIR).glob("*.html")))
    assert_inert(page, scripts=0)
    assert "On GitHub" in page.text
    assert f"{EVIL} (admin)" in page.text  # shown as text, not markup


def test_summary_csv_has_the_github_columns(tmp_path: Path) -> None:
    import csv
    import io

    from verifier.batch.outputs import summary_csv

    with_facts = _record("g3", "3", github=_facts().to_dict())
    without = _record("g4", "4")
    rows = list(csv.DictReader(io.StringIO(summary_csv([with_facts, without]))))
    assert (rows[0]["github_writers"], rows[0]["github_pull_requests"]) == ("2", "12")
    assert rows[0]["github_ci_passing"] == "no"
    assert (rows[1]["github_writers"], rows[1]["github_ci_passing"]) == ("", "")
