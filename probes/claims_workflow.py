"""Claim checks for what Q9 says about the git workflow: branches, pull requests, reviews of
pull requests and branch protection.

Offline, the audited history is all there is: GitHub's merge commits ("Merge pull request #12
from owner/branch"), its squash merges ("Title (#12)"), merges of named branches ("Merge
branch 'x'"), the other branches of the clone and, in a mirror clone, GitHub's
``refs/pull/<n>/head`` refs. With GitHub facts (``snap.github``) the pull requests themselves
are known: how many, merged, and whether someone other than the author reviewed them.

Not detecting is not disproving: a rebase merge leaves no trace, a squash merge leaves only
its subject, and a clone of one branch (or a shallow one) hides the others. So when nothing is
found offline a claim of use is ``unverifiable`` with what was looked at, never
``inconsistent``. A claim is ``inconsistent`` only when the facts really contradict it:

- "we used pull requests" while GitHub lists none at all;
- "pull requests were reviewed by another member" while none of at least
  :data:`REVIEWS_MIN` pull requests whose reviews were read had a review by someone else;
- "we did not use pull requests / branches" while the history holds at least
  :data:`DENIAL_MIN` merges of the group's pull requests or branches (an answer that says both
  things, tagged ``mixed``, is only ``unverifiable``; a bare "No" needs
  :data:`ANSWER_NO_MIN`).

Automation (dependabot, pre-commit-ci, renovate) is never the group's workflow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from verifier.engine.registry import claim_check
from verifier.findings import ClaimResult, Evidence, consistent, inconsistent, unverifiable
from verifier.github.facts_model import is_bot_login
from verifier.repo.history import BOT_BRANCH_PREFIXES, PullMerge

if TYPE_CHECKING:
    from verifier.claims.model import Claim
    from verifier.github.facts_model import PullRequest, PullStats, RepoFacts
    from verifier.repo.history import HistoryFacts
    from verifier.repo.snapshot import Snapshot
    from verifier.report.model import Report

#: Merges of the group's pull requests (or branches) that contradict "we did not use them".
DENIAL_MIN = 3
#: ... when the answer only says "No" (which may answer "branches *and* pull requests").
ANSWER_NO_MIN = 10
#: Pull requests whose reviews were read before "none reviewed" contradicts a review claim.
REVIEWS_MIN = 5
#: Branch names that are never a branch of work.
_NOT_WORK = frozenset({"gh-pages", "pages", "head"})
GIT = ".git"


# ---------------------------------------------------------------------------- what is known


@dataclass
class Offline:
    """What the audited history shows about pull requests and branches."""

    available: bool
    commits: int
    shallow: bool
    people: list[PullMerge] = field(default_factory=list)
    #: "Title (#12)" subjects not committed by GitHub: maybe a hand-written issue reference.
    unconfirmed: list[PullMerge] = field(default_factory=list)
    bots: int = 0
    refs: list[int] = field(default_factory=list)
    merged_branches: list[str] = field(default_factory=list)
    other_branches: list[str] = field(default_factory=list)

    def looked(self) -> str:
        if not self.available:
            return "no git history (the files were read from a directory)"
        text = (
            f"the {self.commits} commits of the audited history (merge subjects 'Merge pull "
            f"request #n', squash subjects '(#n)', 'Merge branch ...') and the clone's "
            f"{len(self.other_branches)} other branches"
        )
        if self.shallow:
            text += "; the clone is shallow, so older history is missing"
        return text


def _offline(snap: Snapshot) -> Offline:
    hist: HistoryFacts = snap.history
    people = hist.people_pull_merges()
    confirmed = [m for m in people if m.how == "merge" or m.by_github]
    others = [b for b in hist.branches if _work_branch(b)]
    return Offline(
        available=hist.available,
        commits=hist.commit_count,
        shallow=hist.shallow,
        people=confirmed,
        unconfirmed=[m for m in people if m not in confirmed],
        bots=len(hist.pull_merges) - len(people),
        refs=list(hist.pull_refs),
        merged_branches=list(hist.merged_branches),
        other_branches=others,
    )


def _work_branch(name: str) -> bool:
    short = name.split("/", 1)[1] if name.startswith("origin/") else name
    low = short.lower()
    return low not in _NOT_WORK and not low.startswith(BOT_BRANCH_PREFIXES)


def _pulls(snap: Snapshot) -> tuple[RepoFacts | None, PullStats | None]:
    facts = snap.github
    if facts is None:
        return None, None
    return facts, facts.pulls


def _online_note(facts: RepoFacts | None) -> str:
    """Why GitHub's pull requests are not used, when facts were asked for."""
    if facts is None or facts.pulls is not None:
        return ""
    reason = facts.errors.get("pulls") or "not read"
    return f"; GitHub's pull requests could not be read ({reason})"


def _people_merged(pulls: PullStats) -> list[PullRequest]:
    return [p for p in pulls.sample if p.merged and not is_bot_login(p.author)]


def _people_merged_count(pulls: PullStats) -> int:
    """Merged pull requests of people: counted in the sample when there is one."""
    if pulls.sample:
        return len(_people_merged(pulls))
    return pulls.merged


# ---------------------------------------------------------------------------- evidence rows


def _commit_path(snap: Snapshot, sha: str) -> str:
    facts = snap.github
    if facts is not None and facts.html_url:
        return f"{facts.html_url.rstrip('/')}/commit/{sha}"
    return GIT


def _merge_rows(snap: Snapshot, merges: list[PullMerge], limit: int = 3) -> list[Evidence]:
    rows = []
    for m in merges[-limit:][::-1]:  # the newest numbers first
        how = "GitHub's merge commit" if m.how == "merge" else "GitHub's squash-merge subject"
        who = " (committed by GitHub)" if m.by_github else ""
        rows.append(
            Evidence(
                _commit_path(snap, m.sha),
                None,
                f"commit {m.sha[:12]}: {m.subject}",
                f"{how} of pull request #{m.number}{who}",
            )
        )
    return rows


def _pr_rows(pulls: list[PullRequest], why: str, limit: int = 3) -> list[Evidence]:
    rows = []
    for p in pulls[:limit]:
        reviews = f"; {p.reviews} reviews by others, {p.approvals} approvals" if p.reviews else ""
        rows.append(
            Evidence(p.url, None, f"#{p.number} {p.title}", f"{why} by {p.author}{reviews}")
        )
    return rows


def _list_url(facts: RepoFacts, tail: str) -> str:
    base = facts.html_url.rstrip("/") if facts.html_url else f"https://github.com/{facts.full_name}"
    return f"{base}/{tail}"


def _refs_row(refs: list[int]) -> Evidence:
    shown = ", ".join(f"#{n}" for n in refs[:8]) + (", ..." if len(refs) > 8 else "")
    return Evidence(
        GIT,
        None,
        f"{len(refs)} refs/pull/<n>/head refs: {shown}",
        "GitHub keeps such a ref for every pull request opened on the repository",
    )


def _branches_row(names: list[str], why: str) -> Evidence:
    shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
    return Evidence(GIT, None, f"{len(names)} branches: {shown}", why)


def _pr_summary(off: Offline) -> str:
    merges = sum(m.how == "merge" for m in off.people)
    squashes = len(off.people) - merges
    parts = []
    if merges:
        parts.append(f"{merges} 'Merge pull request' merge commits")
    if squashes:
        parts.append(f"{squashes} squash merges '(#n)'")
    text = f"{len(off.people)} pull requests of the group merged in the audited history"
    return text + (f" ({', '.join(parts)})" if parts else "")


# ---------------------------------------------------------------------------- pull requests


@claim_check("uses-pull-requests")
def check_pull_requests(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """Pull requests used (or not) as the answer says, vs. PR merges and GitHub's pull list."""

    off = _offline(snap)
    facts, pulls = _pulls(snap)
    if claim.negated:
        return _pull_requests_denied(claim, snap, off, facts, pulls)
    every = " for every change" if "all" in claim.tags else ""
    expected = f"pull requests used{every}"
    if facts is not None and pulls is not None:
        people = _people_merged(pulls)
        if pulls.total == 0 and not off.people:
            return inconsistent(
                expected,
                f"GitHub lists no pull request for {facts.full_name} (open, closed or merged)",
                "the answer says pull requests were used, but the repository has none",
                [Evidence(_list_url(facts, "pulls?q=is%3Apr"), None, "0 pull requests", "GitHub")],
            )
        if pulls.total == 0:
            return unverifiable(
                expected,
                "the history has merges of pull requests but GitHub lists none: the work may "
                "have happened in another repository",
                _merge_rows(snap, off.people),
                _pr_summary(off),
            )
        observed = f"{pulls.total} pull requests on GitHub, {pulls.merged} merged"
        rows = _pr_rows(people or pulls.sample, "merged pull request" if people else "pull request")
        return consistent(expected, observed, "GitHub lists the group's pull requests", rows)
    note = _online_note(facts)
    if off.people:
        return consistent(
            expected,
            _pr_summary(off),
            "the history shows merged pull requests" + note,
            _merge_rows(snap, off.people),
        )
    if off.unconfirmed:
        return consistent(
            expected,
            f"{len(off.unconfirmed)} commit subjects ending in '(#n)' like GitHub's squash merges",
            "only a weaker trace: the subjects look like squash merges but GitHub did not "
            "commit them" + note,
            _merge_rows(snap, off.unconfirmed),
        )
    if off.refs:
        return consistent(
            expected,
            f"{len(off.refs)} pull requests opened on GitHub (refs/pull/* of this clone)",
            "GitHub's pull request refs are in the clone; their merges left no merge commit "
            "(rebase merges, or merged into another branch)" + note,
            [_refs_row(off.refs)],
        )
    observed = "no merge of a pull request found"
    if off.bots:
        observed += f" (only {off.bots} automated ones: dependabot, pre-commit-ci, ...)"
    return unverifiable(
        expected,
        "looked at " + off.looked() + "; rebase merges leave no trace and a clone keeps no "
        "pull requests, so their absence here proves nothing" + note,
        [],
        observed,
    )


def _pull_requests_denied(
    claim: Claim,
    snap: Snapshot,
    off: Offline,
    facts: RepoFacts | None,
    pulls: PullStats | None,
) -> ClaimResult:
    expected = "pull requests not used"
    needed = ANSWER_NO_MIN if "answer-no" in claim.tags else DENIAL_MIN
    said = "the answer opens with 'No'" if "answer-no" in claim.tags else "the answer says no"
    if facts is not None and pulls is not None:
        count = _people_merged_count(pulls)
        observed = f"{pulls.total} pull requests on GitHub, {count} of the group's merged"
        rows = _pr_rows(_people_merged(pulls), "merged pull request")
        if pulls.total == 0:
            return consistent(
                expected, observed, "GitHub lists no pull request, as the answer says"
            )
        return _denial(expected, observed, count, needed, said, claim, rows, "pull requests")
    note = _online_note(facts)
    if off.people:
        return _denial(
            expected,
            _pr_summary(off),
            len(off.people),
            needed,
            said,
            claim,
            _merge_rows(snap, off.people),
            "pull requests",
            note,
        )
    if off.unconfirmed:
        return unverifiable(
            expected,
            "some commit subjects end in '(#n)' like GitHub's squash merges, but GitHub did not "
            "commit them: they may refer to issues" + note,
            _merge_rows(snap, off.unconfirmed),
            f"{len(off.unconfirmed)} commit subjects ending in '(#n)'",
        )
    if off.refs:
        return unverifiable(
            expected,
            f"GitHub's refs of {len(off.refs)} pull requests are in the clone, but none was "
            "merged into the audited history by a merge commit" + note,
            [_refs_row(off.refs)],
            f"{len(off.refs)} pull requests opened",
        )
    if not off.available:
        return unverifiable(expected, off.looked() + note)
    return consistent(
        expected,
        f"no merge of a pull request in {off.commits} commits",
        "no trace of pull requests in the history, as the answer says (looked at "
        + off.looked()
        + ")"
        + note,
    )


def _denial(
    expected: str,
    observed: str,
    count: int,
    needed: int,
    said: str,
    claim: Claim,
    rows: list[Evidence],
    what: str,
    note: str = "",
) -> ClaimResult:
    """A denial against ``count`` merges of the group's ``what``."""
    if count >= needed and "mixed" not in claim.tags:
        return inconsistent(
            expected,
            observed,
            f"{said}, but {count} of the group's {what} were merged" + note,
            rows,
        )
    if count == 0:
        return consistent(expected, observed, f"none of the group's {what} was merged" + note)
    why = (
        "the answer also says the opposite elsewhere"
        if "mixed" in claim.tags and count >= needed
        else f"only {count} of the group's {what} were merged: maybe not the usual workflow"
    )
    return unverifiable(expected, why + note, rows, observed)


# ---------------------------------------------------------------------------- branches


def _branch_traces(
    snap: Snapshot, off: Offline, pulls: PullStats | None
) -> tuple[list[str], list[Evidence], str]:
    """(merged work branches, evidence rows, observed) — strongest first."""

    merged = list(off.merged_branches)
    rows: list[Evidence] = []
    parts: list[str] = []
    if pulls is not None:
        heads = sorted(
            {
                p.head
                for p in pulls.sample
                if p.head and p.head != p.base and not is_bot_login(p.author)
            },
            key=str.lower,
        )
        if heads:
            merged += [h for h in heads if h not in merged]
            rows += _pr_rows(
                [p for p in pulls.sample if p.head in heads], "pull request from a branch"
            )
            parts.append(f"{len(heads)} branches of pull requests on GitHub")
    if off.merged_branches:
        rows.append(
            _branches_row(
                off.merged_branches, "branches merged in the audited history (merge subjects)"
            )
        )
        parts.append(f"{len(off.merged_branches)} branches merged in the history")
    if off.other_branches:
        rows.append(_branches_row(off.other_branches, "other branches of this clone"))
        parts.append(f"{len(off.other_branches)} other branches in the clone")
    return merged, rows, "; ".join(parts)


@claim_check("uses-branches")
def check_branches(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """Branches of work used (or not) as the answer says, vs. merged and existing branches."""

    off = _offline(snap)
    facts, pulls = _pulls(snap)
    merged, rows, observed = _branch_traces(snap, off, pulls)
    note = _online_note(facts)
    if not claim.negated:
        expected = "work done on branches"
        if merged:
            return consistent(expected, observed, "branches were merged" + note, rows[:3])
        if off.other_branches:
            return consistent(
                expected,
                observed,
                "the clone has other branches (none merged by a merge commit)" + note,
                rows[:3],
            )
        return unverifiable(
            expected,
            "looked at " + off.looked() + "; branches deleted after squash or rebase merges "
            "leave no trace, and a single-branch clone shows no others" + note,
            [],
            "no branch other than the audited one found",
        )
    expected = "no branches used"
    needed = ANSWER_NO_MIN if "answer-no" in claim.tags else DENIAL_MIN
    said = "the answer opens with 'No'" if "answer-no" in claim.tags else "the answer says no"
    if merged:
        return _denial(
            expected, observed, len(merged), needed, said, claim, rows[:3], "branches", note
        )
    if off.other_branches:
        return unverifiable(
            expected,
            "the clone has other branches, but none was merged: they may be experiments" + note,
            rows[:3],
            observed,
        )
    if not off.available:
        return unverifiable(expected, off.looked() + note)
    return consistent(
        expected,
        "no branch merged and no other branch in the clone",
        "no trace of other branches, as the answer says (looked at " + off.looked() + ")" + note,
    )


# ---------------------------------------------------------------------------- reviews


@claim_check("pr-reviews")
def check_reviews(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """Pull requests reviewed by another member, vs. GitHub's reviews (offline: unverifiable)."""

    off = _offline(snap)
    facts, pulls = _pulls(snap)
    expected = (
        "no reviews of pull requests"
        if claim.negated
        else "pull requests reviewed by another member"
    )
    on_pr = "on-pr" in claim.tags
    if facts is None or pulls is None:
        observed = _pr_summary(off) if off.people else "no merge of a pull request found"
        return unverifiable(
            expected,
            "reviews are recorded on GitHub only, not in the repository" + _online_note(facts),
            _merge_rows(snap, off.people, 2),
            observed,
        )
    reviewed = [p for p in pulls.sample if p.reviews > 0]
    observed = (
        f"{pulls.reviewed} of {pulls.reviews_checked} pull requests whose reviews were read "
        "had a review by someone other than the author"
    )
    if claim.negated:
        if pulls.reviews_checked and pulls.reviewed == 0:
            return consistent(expected, observed, "no pull request was reviewed by another person")
        if pulls.reviewed >= DENIAL_MIN and "mixed" not in claim.tags:
            return inconsistent(
                expected,
                observed,
                f"the answer says no, but {pulls.reviewed} pull requests were reviewed",
                _pr_rows(reviewed, "reviewed pull request"),
            )
        return unverifiable(
            expected,
            "only a few reviews to compare with",
            _pr_rows(reviewed, "reviewed pull request"),
            observed,
        )
    if pulls.reviewed > 0:
        return consistent(
            expected,
            observed,
            "GitHub shows reviews by other members",
            _pr_rows(reviewed, "reviewed pull request"),
        )
    if pulls.total == 0 and on_pr and not off.people:
        return inconsistent(
            expected,
            "GitHub lists no pull request",
            "weak: the answer speaks of reviewing pull requests, but the repository has none",
            [Evidence(_list_url(facts, "pulls?q=is%3Apr"), None, "0 pull requests", "GitHub")],
        )
    if pulls.reviews_checked >= REVIEWS_MIN and on_pr:
        merged = _people_merged(pulls)
        return inconsistent(
            expected,
            observed,
            f"weak: none of the {pulls.reviews_checked} pull requests checked had a review or "
            "approval by someone other than its author (reviews given in person leave no trace)",
            _pr_rows(merged or pulls.sample, "pull request without a review by another person"),
        )
    return unverifiable(
        expected,
        "too few pull requests had their reviews read to judge, or the review may not have been "
        "on GitHub",
        _pr_rows(pulls.sample, "pull request"),
        observed,
    )


# ---------------------------------------------------------------------------- protection


@claim_check("branch-protection")
def check_branch_protection(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """Branch protection is a GitHub setting: never decided, pointed at."""

    expected = "no branch protection" if claim.negated else "a protected branch"
    facts = snap.github
    rows = []
    if facts is not None:
        rows.append(
            Evidence(
                _list_url(facts, "settings/branches"),
                None,
                "branch protection rules",
                "where GitHub shows the rules (needs admin access)",
            )
        )
    return unverifiable(
        expected,
        "branch protection is a repository setting on GitHub, not stored in the repository",
        rows,
    )
