"""Q9 workflow claims (branches, pull requests, reviews, branch protection): extraction from
the answer and checks against small real repositories, offline and with GitHub facts."""

from __future__ import annotations

from pathlib import Path

import git
import pytest
from conftest import checkout, commit_files, create_branch, make_repo, merge

from probes.claims_workflow import (
    check_branch_protection,
    check_branches,
    check_pull_requests,
    check_reviews,
)
from verifier.claims import extract_claims
from verifier.claims.model import CLAIM_KINDS, Claim
from verifier.engine.registry import claim_check_for
from verifier.findings import ClaimVerdict
from verifier.github.facts_model import PullRequest, PullStats, RepoFacts
from verifier.repo.snapshot import Snapshot, open_snapshot
from verifier.report import parse_report

BOB = ("Bob", "bob@example.com")
GITHUB = ("GitHub", "noreply@github.com")
KINDS = ("uses-branches", "uses-pull-requests", "pr-reviews", "branch-protection")

PROMPT = (
    "> **Did you workflow include using branches and pull requests? If yes, explain how. "
    "If not, explain how branches and**\n"
    "> **pull request can help improve version control.**\n"
)
HEADER = (
    "# Exam template for 02476 Machine Learning Operations\n\n## Group information\n\n"
    "### Question 9\n\n" + PROMPT + ">\n> Recommended answer length: 100-200 words.\n>\n"
    "> Example:\n> *We made use of both branches and PRs in our project. ...*\n>\n"
    "> Answer:\n\n"
)
ANSWER_LINE = HEADER.count("\n") + 1
REPORT = parse_report("# Report\n")


def _q9(answer: str) -> list[tuple[str, int, bool, tuple[str, ...]]]:
    report = parse_report(
        HEADER + answer + "\n\n### Question 10\n\n> **Did you use DVC?**\n\nNo.\n"
    )
    return [(c.kind, c.line, c.negated, c.tags) for c in extract_claims(report) if c.kind in KINDS]


def _kinds(answer: str) -> set[tuple[str, bool]]:
    return {(k, neg) for k, _line, neg, _tags in _q9(answer)}


# ---------------------------------------------------------------------------- extraction


def test_kinds_are_declared_and_checked() -> None:
    for kind in KINDS:
        assert kind in CLAIM_KINDS
        assert claim_check_for(kind) is not None


def test_yes_answer_claims_branches_prs_reviews_and_protection() -> None:
    claims = _q9(
        "Yes, each member worked on feature branches and merged them via pull requests reviewed "
        "by another member.\nAll changes went through pull requests and main was protected."
    )
    assert ("uses-branches", ANSWER_LINE, False, ()) in claims
    by_kind = {k: (line, neg, tags) for k, line, neg, tags in claims}
    assert by_kind["uses-pull-requests"] == (ANSWER_LINE, False, ("all",))
    assert by_kind["pr-reviews"] == (ANSWER_LINE, False, ("on-pr",))
    assert by_kind["branch-protection"] == (ANSWER_LINE + 1, False, ())


def test_denial_is_a_negated_claim() -> None:
    assert _kinds("We did not use branches or pull requests; everyone pushed to main.") == {
        ("uses-branches", True),
        ("uses-pull-requests", True),
    }


def test_branches_but_not_prs() -> None:
    assert _kinds("We used branches, but not pull requests, since we were only three people.") == {
        ("uses-branches", False),
        ("uses-pull-requests", True),
    }


@pytest.mark.parametrize(
    "answer",
    [
        "No, but branches and pull requests would help us keep main stable.",
        "No. In a larger project, pull requests could help catch bugs before they reach main.",
        "Nope, although using branches might have helped.",
    ],
)
def test_no_with_a_hypothetical_yields_no_positive_claim(answer: str) -> None:
    claims = _q9(answer)
    assert claims and all(neg for _k, _l, neg, _t in claims)
    assert {t for _k, _l, _n, tags in claims for t in tags} == {"answer-no"}


def test_hypothetical_alone_claims_nothing() -> None:
    assert _q9("Pull requests would have helped us review code, if we had had more time.") == []


def test_facts_about_pull_requests_are_not_claims_of_use() -> None:
    assert _q9("Pull requests allow for code review and branches isolate unfinished work.") == []


def test_the_trunk_is_not_a_branch_of_work() -> None:
    assert _kinds("We pushed directly to the main branch and kept a single branch.") == set()
    assert _kinds("We had one branch per member.") == {("uses-branches", False)}


def test_first_statement_sets_the_polarity_and_the_rest_is_mixed() -> None:
    claims = _q9(
        "We did not use pull requests. We preferred quick iteration and we used pull requests "
        "rarely."
    )
    prs = [(neg, tags) for k, _l, neg, tags in claims if k == "uses-pull-requests"]
    assert prs == [(True, ("mixed",))]


def test_partial_denials_claim_nothing() -> None:
    assert _q9("At the start, we didn't use branches or pull requests much.") == []
    assert _q9("We did not use pull requests that frequently.") == []


def test_avoiding_denies_but_not_when_branches_are_the_means() -> None:
    assert _kinds("We avoided pull requests since we sat together.") == {
        ("uses-pull-requests", True)
    }
    assert _kinds("We avoided merge conflicts by using feature branches.") == {
        ("uses-branches", False)
    }
    assert _q9("We mostly avoided branches and pull requests.") == []


def test_hedge_earlier_in_the_sentence_carries_over() -> None:
    answer = (
        "Each member could create a pull request, allowing the team to review the code "
        "before merging it."
    )
    assert _q9(answer) == []


def test_reviews_after_denied_pull_requests_are_dropped() -> None:
    claims = _q9(
        "We didn't use pull requests. Pull requests let us get changes reviewed before merging."
    )
    assert [(k, neg) for k, _l, neg, _t in claims] == [("uses-pull-requests", True)]


def test_double_negation_is_a_claim_of_use() -> None:
    claims = _q9("We never merged without the approval of another member of the team.")
    assert claims == [("pr-reviews", ANSWER_LINE, False, ("on-pr",))]


def test_other_questions_yield_no_workflow_claims() -> None:
    report = parse_report(
        HEADER.replace("Question 9", "Question 12") + "We used feature branches and PRs.\n"
    )
    assert [c for c in extract_claims(report) if c.kind in KINDS] == []


# ---------------------------------------------------------------------------- checks: offline


def _claim(kind: str, *, negated: bool = False, tags: tuple[str, ...] = ()) -> Claim:
    return Claim(kind, 9, ANSWER_LINE, "quote", True, negated=negated, tags=tags)


def _feature(repo: git.Repo, branch: str, message: str) -> str:
    create_branch(repo, branch, checkout=True)
    commit_files(repo, {f"{branch}.py": "x = 1\n"}, author=BOB, message=f"work on {branch}")
    checkout(repo, "main")
    return merge(repo, branch, message=message, author=BOB)


def _pr_repo(tmp_path: Path, merges: int = 3) -> tuple[git.Repo, str]:
    repo = make_repo(tmp_path, {"README.md": "# p\n"})
    last = ""
    for n in range(merges):
        last = _feature(repo, f"feat{n}", f"Merge pull request #{n + 3} from a/feat{n}")
    return repo, last


def _snap(repo: git.Repo, facts: RepoFacts | None = None) -> Snapshot:
    snap = open_snapshot(repo.working_tree_dir or "", ref="main")
    snap.github = facts
    return snap


def test_prs_consistent_with_merge_commit_evidence(tmp_path: Path) -> None:
    repo, last = _pr_repo(tmp_path)
    result = check_pull_requests(_claim("uses-pull-requests"), _snap(repo), REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    first = result.evidence[0]
    assert (first.path, first.line) == (".git", None)
    assert first.text == f"commit {last[:12]}: Merge pull request #5 from a/feat2"
    assert "pull request #5" in first.why
    assert "3 pull requests of the group merged" in result.observed


def test_squash_merge_counts(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"README.md": "# p\n"})
    commit_files(repo, {"x.py": "1\n"}, message="Add x (#4)", author=BOB, committer=GITHUB)
    result = check_pull_requests(_claim("uses-pull-requests"), _snap(repo), REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert "squash" in result.evidence[0].why and "committed by GitHub" in result.evidence[0].why


def test_squash_subject_not_committed_by_github_is_weaker(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"README.md": "# p\n"})
    for n in range(4):
        commit_files(repo, {f"x{n}.py": "1\n"}, message=f"Fix loader (#{n + 1})", author=BOB)
    snap = _snap(repo)
    claimed = check_pull_requests(_claim("uses-pull-requests"), snap, REPORT)
    assert claimed.verdict is ClaimVerdict.CONSISTENT
    assert claimed.why.startswith("only a weaker trace")
    denied = check_pull_requests(_claim("uses-pull-requests", negated=True), snap, REPORT)
    assert denied.verdict is ClaimVerdict.UNVERIFIABLE
    assert "may refer to issues" in denied.why


def test_no_pr_traces_offline_is_unverifiable_not_inconsistent(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"README.md": "# p\n"})
    commit_files(repo, {"a.py": "1\n"}, author=BOB)
    for kind in ("uses-pull-requests", "uses-branches"):
        check = claim_check_for(kind)
        assert check is not None
        result = check.func(_claim(kind, tags=("all",)), _snap(repo), REPORT)
        assert result.verdict is ClaimVerdict.UNVERIFIABLE, kind
        assert "2 commits of the audited history" in result.why


def test_denial_with_many_pr_merges_is_inconsistent(tmp_path: Path) -> None:
    repo, _ = _pr_repo(tmp_path, merges=3)
    result = check_pull_requests(_claim("uses-pull-requests", negated=True), _snap(repo), REPORT)
    assert result.verdict is ClaimVerdict.INCONSISTENT
    assert "3 of the group's pull requests were merged" in result.why
    assert len(result.evidence) == 3


def test_denial_said_both_ways_or_by_a_bare_no_is_not_an_accusation(tmp_path: Path) -> None:
    repo, _ = _pr_repo(tmp_path, merges=3)
    snap = _snap(repo)
    for tags in (("mixed",), ("answer-no",)):
        claim = _claim("uses-pull-requests", negated=True, tags=tags)
        assert check_pull_requests(claim, snap, REPORT).verdict is ClaimVerdict.UNVERIFIABLE


def test_denial_without_traces_is_consistent(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"README.md": "# p\n"})
    commit_files(repo, {"a.py": "1\n"})
    snap = _snap(repo)
    for check in (check_pull_requests, check_branches):
        result = check(_claim("uses-branches", negated=True), snap, REPORT)
        assert result.verdict is ClaimVerdict.CONSISTENT


def test_bot_pull_requests_do_not_count(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"README.md": "# p\n"})
    for n in range(3):
        _feature(
            repo, f"dependabot/pip/x-{n}", f"Merge pull request #{n} from o/dependabot/pip/x-{n}"
        )
    snap = _snap(repo)
    denied = check_pull_requests(_claim("uses-pull-requests", negated=True), snap, REPORT)
    assert denied.verdict is ClaimVerdict.CONSISTENT
    claimed = check_pull_requests(_claim("uses-pull-requests"), snap, REPORT)
    assert claimed.verdict is ClaimVerdict.UNVERIFIABLE
    assert "only 3 automated ones" in claimed.observed


def test_branches_from_merges_and_from_the_clone(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"README.md": "# p\n"})
    _feature(repo, "data-loader", "Merge branch 'data-loader'")
    result = check_branches(_claim("uses-branches"), _snap(repo), REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert any(e.text == "1 branches: data-loader" for e in result.evidence)

    other = make_repo(tmp_path, {"README.md": "# q\n"}, name="other")
    create_branch(other, "experiment")
    result = check_branches(_claim("uses-branches"), _snap(other), REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert "other branches of this clone" in result.evidence[0].why


def test_reviews_and_protection_are_unverifiable_offline(tmp_path: Path) -> None:
    repo, _ = _pr_repo(tmp_path, merges=1)
    snap = _snap(repo)
    reviews = check_reviews(_claim("pr-reviews", tags=("on-pr",)), snap, REPORT)
    assert reviews.verdict is ClaimVerdict.UNVERIFIABLE
    assert "GitHub only" in reviews.why and reviews.evidence
    protection = check_branch_protection(_claim("branch-protection"), snap, REPORT)
    assert protection.verdict is ClaimVerdict.UNVERIFIABLE and protection.evidence == []


# ---------------------------------------------------------------------------- checks: online


def _pr(n: int, *, merged: bool = True, reviews: int = 0, author: str = "ada") -> PullRequest:
    return PullRequest(
        number=n,
        title=f"Feature {n}",
        author=author,
        state="closed",
        merged=merged,
        reviews=reviews,
        approvals=min(reviews, 1),
        url=f"https://github.com/o/r/pull/{n}",
        base="main",
        head=f"feat-{n}",
    )


def _facts(pulls: list[PullRequest] | None, reviewed: int = 0, **kw: object) -> RepoFacts:
    stats = None
    if pulls is not None:
        stats = PullStats(
            total=len(pulls),
            merged=sum(p.merged for p in pulls),
            reviewed=reviewed,
            reviews_checked=len(pulls),
            sample=pulls,
        )
    return RepoFacts(full_name="o/r", html_url="https://github.com/o/r", pulls=stats, **kw)  # type: ignore[arg-type]


def test_online_zero_prs_contradicts_a_claim_of_use(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"README.md": "# p\n"})
    result = check_pull_requests(
        _claim("uses-pull-requests", tags=("all",)), _snap(repo, _facts([])), REPORT
    )
    assert result.verdict is ClaimVerdict.INCONSISTENT
    assert result.expected == "pull requests used for every change"
    assert result.evidence[0].path == "https://github.com/o/r/pulls?q=is%3Apr"


def test_online_prs_are_evidence_with_urls(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"README.md": "# p\n"})
    facts = _facts([_pr(2), _pr(1, merged=False)])
    result = check_pull_requests(_claim("uses-pull-requests"), _snap(repo, facts), REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert result.observed == "2 pull requests on GitHub, 1 merged"
    assert (result.evidence[0].path, result.evidence[0].text) == (
        "https://github.com/o/r/pull/2",
        "#2 Feature 2",
    )
    branches = check_branches(_claim("uses-branches"), _snap(repo, facts), REPORT)
    assert branches.verdict is ClaimVerdict.CONSISTENT


def test_online_unreadable_pulls_fall_back_to_history(tmp_path: Path) -> None:
    repo, _ = _pr_repo(tmp_path, merges=1)
    facts = _facts(None, errors={"pulls": "403 Forbidden"})
    result = check_pull_requests(_claim("uses-pull-requests"), _snap(repo, facts), REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert "403 Forbidden" in result.why
    assert result.evidence[0].path.startswith("https://github.com/o/r/commit/")


def test_reviews_claimed_but_none_of_many_reviewed_is_inconsistent(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"README.md": "# p\n"})
    facts = _facts([_pr(n) for n in range(1, 6)], reviewed=0)
    claim = _claim("pr-reviews", tags=("on-pr",))
    result = check_reviews(claim, _snap(repo, facts), REPORT)
    assert result.verdict is ClaimVerdict.INCONSISTENT
    assert result.why.startswith("weak: none of the 5 pull requests")
    informal = check_reviews(_claim("pr-reviews"), _snap(repo, facts), REPORT)
    assert informal.verdict is ClaimVerdict.UNVERIFIABLE
    few = _facts([_pr(n) for n in range(1, 4)], reviewed=0)
    assert check_reviews(claim, _snap(repo, few), REPORT).verdict is ClaimVerdict.UNVERIFIABLE


def test_reviews_shown_on_github_are_consistent(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"README.md": "# p\n"})
    facts = _facts([_pr(1, reviews=2), _pr(2)], reviewed=1)
    result = check_reviews(_claim("pr-reviews", tags=("on-pr",)), _snap(repo, facts), REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    [row] = result.evidence
    assert row.path == "https://github.com/o/r/pull/1"
    assert "2 reviews by others" in row.why


def test_online_denial_against_many_merged_prs(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"README.md": "# p\n"})
    facts = _facts([_pr(n) for n in range(1, 5)] + [_pr(9, author="dependabot[bot]")])
    result = check_pull_requests(
        _claim("uses-pull-requests", negated=True), _snap(repo, facts), REPORT
    )
    assert result.verdict is ClaimVerdict.INCONSISTENT
    assert "4 of the group's merged" in result.observed
    protection = check_branch_protection(_claim("branch-protection"), _snap(repo, facts), REPORT)
    assert protection.evidence[0].path == "https://github.com/o/r/settings/branches"
