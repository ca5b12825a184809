"""GitHub facts through pygithub, against the stand-in API of ``github_fake`` on 127.0.0.1.

Retries use a tiny backoff so the whole file runs in a few seconds; the waits that matter
(a rate limit's reset, a timeout) are about one second each.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import github
import pytest
from github_fake import FakeGitHubAPI, FakeRepo, FakeReview, serve

from verifier.github.client import make_client, rate_quota, repo_full_name
from verifier.github.facts import collect_facts
from verifier.github.facts_model import Collaborator, Contributor, Pages, RepoFacts

FULL = "group7/mlops-project"


def group_repo(fake: FakeGitHubAPI) -> FakeRepo:
    repo = fake.add_repo(FULL, default_branch="main")
    repo.add_collaborator("alice", "admin")
    repo.add_collaborator("bob", "write")
    repo.add_collaborator("carol", "maintain")
    repo.add_collaborator("dave", "read")
    repo.add_collaborator("dependabot[bot]", "write")
    repo.add_contributor("alice", 60)
    repo.add_contributor("bob", 30)
    repo.add_contributor("carol", 10)
    repo.add_contributor("pre-commit-ci[bot]", 40)
    repo.add_contributor(None, 7)  # a commit email with no account
    repo.add_pull("Data pipeline", "alice", merged=True, reviews=[("bob", "APPROVED")])
    repo.add_pull(
        "Training loop",
        "bob",
        merged=True,
        reviews=[("bob", "COMMENTED"), ("carol", "CHANGES_REQUESTED"), ("carol", "APPROVED")],
    )
    repo.add_pull("Self-reviewed", "carol", merged=True, reviews=[("carol", "APPROVED")])
    repo.add_pull(
        "Bump torch", "dependabot[bot]", reviews=[("copilot[bot]", "COMMENTED")], head="deps"
    )
    repo.add_pull("WIP api", "alice", state="open", reviews=[("bob", "PENDING")], head="api")
    repo.add_run("Tests", conclusion="failure")
    repo.add_run("Tests", conclusion="success")  # newer: the one that counts
    repo.add_run("Lint", conclusion="success")
    repo.add_run("Tests", conclusion="failure", branch="feature")  # another branch: ignored
    repo.add_run("Docs", status="in_progress", conclusion=None)
    repo.pages = {"html_url": "https://group7.github.io/mlops-project/", "status": "built"}
    repo.pages["build_type"] = "workflow"
    return repo


def client(base_url: str, **kwargs: object) -> github.Github:
    options: dict[str, object] = {
        "timeout": 2,
        "retries": 3,
        "backoff_factor": 0.01,
        "max_wait_s": 5,
        "secondary_wait_s": 0.2,
        "min_interval_s": 0,
    }
    options.update(kwargs)
    return make_client("t0ken", base_url, **options)  # type: ignore[arg-type]


@pytest.fixture
def fake() -> FakeGitHubAPI:
    api = FakeGitHubAPI()
    group_repo(api)
    return api


@pytest.fixture
def served(fake: FakeGitHubAPI) -> Iterator[str]:
    with serve(fake) as base_url:
        yield base_url


def collect(base_url: str, **kwargs: object) -> RepoFacts:
    client_options = {k: kwargs.pop(k) for k in list(kwargs) if k in ("timeout", "retries")}
    return collect_facts(client(base_url, **client_options), FULL, **kwargs)  # type: ignore[arg-type]


# ---- every section


def test_every_section_is_read(fake: FakeGitHubAPI, served: str) -> None:
    facts = collect(served, group_size=4)

    assert facts.errors == {}
    assert facts.full_name == FULL and facts.group_size == 4
    assert facts.html_url == f"https://github.com/{FULL}"
    assert facts.default_branch == "main"
    assert facts.collaborators == [
        Collaborator("alice", "admin"),
        Collaborator("carol", "maintain"),
        Collaborator("bob", "write"),
        Collaborator("dependabot[bot]", "write"),
        Collaborator("dave", "read"),
    ]
    assert [c.login for c in facts.writers() or []] == ["alice", "carol", "bob"]
    assert facts.contributors is not None
    assert Contributor("alice", 60) in facts.contributors
    assert all(c.login for c in facts.contributors) and len(facts.contributors) == 4
    assert facts.commit_shares() == [("alice", 60, 0.6), ("bob", 30, 0.3), ("carol", 10, 0.1)]

    runs = {r.workflow: r for r in facts.runs or []}
    assert sorted(runs) == ["Docs", "Lint", "Tests"]
    assert runs["Tests"].conclusion == "success" and runs["Tests"].passed is True
    assert runs["Docs"].status == "in_progress" and runs["Docs"].passed is None
    assert runs["Lint"].url.endswith(f"/actions/runs/{runs['Lint'].run_id}")
    assert facts.ci_passing() is None  # Docs still running

    assert facts.pages == Pages(
        enabled=True,
        url="https://group7.github.io/mlops-project/",
        status="built",
        source="workflow",
    )
    assert facts.rate_limit == 5000
    assert facts.rate_remaining is not None and facts.rate_remaining < 5000
    assert facts.rate_reset and facts.fetched_at.endswith("+00:00")


def test_requests_are_few_and_ask_for_what_is_needed(fake: FakeGitHubAPI, served: str) -> None:
    collect(served)

    by_path = {r.path.removeprefix(f"/repos/{FULL}"): r.query for r in fake.log}
    assert (
        len(fake.log) == 1 + 1 + 1 + 1 + 5 + 1 + 1
    )  # repo, people x2, pulls, reviews, runs, pages
    assert by_path["/collaborators"]["affiliation"] == "all"
    assert by_path["/pulls"]["state"] == "all"
    assert by_path["/actions/runs"]["branch"] == "main"
    lists = [q for p, q in by_path.items() if p not in ("", "/pages")]
    assert len(lists) == 9 and all(q.get("per_page") == "100" for q in lists)
    assert all(r.authorization == "token t0ken" for r in fake.log)


def test_pull_requests_and_who_reviewed_them(served: str) -> None:
    pulls = collect(served).pulls

    assert pulls is not None
    assert [p.number for p in pulls.sample] == [5, 4, 3, 2, 1]  # newest first
    by_title = {p.title: p for p in pulls.sample}
    # the author's own comment does not count; two reviews by carol do
    assert (by_title["Training loop"].reviews, by_title["Training loop"].approvals) == (2, 1)
    assert by_title["Self-reviewed"].reviews == 0  # approved by its author only
    assert by_title["Bump torch"].reviews == 0  # a bot's review is not a peer review
    assert by_title["WIP api"].reviews == 0  # a pending review is not submitted
    assert by_title["Data pipeline"].approvals == 1
    assert by_title["Bump torch"].head == "deps" and by_title["Bump torch"].base == "main"
    assert by_title["WIP api"].state == "open" and not by_title["WIP api"].merged
    assert (pulls.total, pulls.merged, pulls.open) == (5, 3, 1)
    assert (pulls.reviewed, pulls.reviews_checked, pulls.truncated) == (2, 5, False)
    assert pulls.authors == 3  # alice, bob, carol; not dependabot


def test_round_trip_through_json(served: str) -> None:
    facts = collect(served)

    data = facts.to_dict()
    assert data["writers"] == 3
    assert RepoFacts.from_dict(data) == facts


# ---- sections that cannot be read


def test_pages_404_means_not_enabled(fake: FakeGitHubAPI, served: str) -> None:
    fake.fail(404, times=None, path=r"/pages$", message="Not Found")

    facts = collect(served)

    assert facts.pages == Pages(enabled=False)
    assert "pages" not in facts.errors


def test_pages_off_costs_no_request(fake: FakeGitHubAPI, served: str) -> None:
    fake.repos[FULL.lower()].pages = None

    facts = collect(served)

    assert facts.pages == Pages(enabled=False)
    assert fake.count(r"/pages$") == 0


def test_collaborators_need_push_access(fake: FakeGitHubAPI, served: str) -> None:
    fake.fail(
        403,
        times=None,
        path=r"/collaborators$",
        message="Must have push access to view repository collaborators.",
    )

    facts = collect(served)

    assert facts.collaborators is None and facts.writers() is None
    assert facts.errors == {"collaborators": "403: listing collaborators needs push access"}
    assert fake.count(r"/collaborators$") == 1  # a plain 403 is not retried
    assert facts.contributors and facts.pulls and facts.runs and facts.pages


def test_missing_repository(fake: FakeGitHubAPI, served: str) -> None:
    facts = collect_facts(client(served), "group7/gone")

    assert facts.errors == {"repository": "404: repository not found or private"}
    assert facts.default_branch is None
    for section in ("collaborators", "contributors", "pulls", "runs", "pages"):
        assert getattr(facts, section) is None
    assert len(fake.log) == 1
    assert RepoFacts.from_dict(facts.to_dict()) == facts


def test_bad_credentials(fake: FakeGitHubAPI, served: str) -> None:
    fake.fail(401, times=None, message="Bad credentials")

    facts = collect(served)

    assert facts.errors == {"repository": "401: bad credentials"}
    assert len(fake.log) == 1


def test_reviews_that_fail_keep_the_pull_requests(fake: FakeGitHubAPI, served: str) -> None:
    fake.fail(500, times=None, path=r"/pulls/3/reviews$")

    facts = collect(served, retries=1)

    assert facts.pulls is not None and len(facts.pulls.sample) == 5
    assert facts.pulls.reviews_checked == 2  # #5 and #4 before #3 failed
    assert facts.errors == {"reviews": "500: GitHub server error"}
    assert fake.count(r"/pulls/\d+/reviews$") == 2 + 2  # #3 tried twice, #2 and #1 not at all
    assert facts.runs is not None and facts.pages is not None


# ---- retries


def test_primary_rate_limit_waits_for_the_reset_then_succeeds(
    fake: FakeGitHubAPI, served: str
) -> None:
    fake.rate_limit(times=1, reset_in=1.0)

    started = time.monotonic()
    facts = collect(served)
    elapsed = time.monotonic() - started

    assert facts.errors == {}
    assert facts.collaborators is not None
    first, second = fake.log[0], fake.log[1]
    assert first.status == 403 and second.status == 200 and second.path == first.path
    assert second.at - first.at >= 0.9  # the reset (and a second's margin) was waited for
    assert elapsed < 5


def test_spent_quota_answered_with_429_waits_for_the_reset(
    fake: FakeGitHubAPI, served: str
) -> None:
    fake.rate_limit(times=1, reset_in=1.0, status=429, path=r"/pulls$")

    facts = collect(served)

    assert facts.errors == {} and facts.pulls is not None
    listings = [r for r in fake.log if r.path.endswith("/pulls")]
    assert [r.status for r in listings] == [429, 200]
    assert listings[1].at - listings[0].at >= 0.9


def test_rate_limit_reset_beyond_max_wait_gives_up_at_once(
    fake: FakeGitHubAPI, served: str
) -> None:
    fake.rate_limit(times=None, reset_in=3600, path=r"/collaborators$")

    started = time.monotonic()
    facts = collect(served)

    assert time.monotonic() - started < 2
    reason = facts.errors["collaborators"]
    assert reason.startswith("403: rate limited, next try in 3") and "longer than" in reason
    # every later section would hit the same limit: not tried, same reason
    assert facts.errors["contributors"] == reason and facts.errors["pages"] == reason
    assert facts.contributors is None and facts.pulls is None
    assert facts.default_branch == "main"
    assert fake.count(r"/collaborators$") == 1 and len(fake.log) == 2


def test_secondary_rate_limit_and_429_are_retried(fake: FakeGitHubAPI, served: str) -> None:
    fake.secondary_limit(times=1, path=r"/contributors$")
    fake.fail(429, times=1, path=r"/actions/runs$", retry_after=1)

    facts = collect(served)

    assert facts.errors == {}
    assert facts.contributors is not None and facts.runs is not None
    people = [r for r in fake.log if r.path.endswith("/contributors")]
    assert [r.status for r in people] == [403, 200]
    assert people[1].at - people[0].at >= 0.15  # the secondary wait (0.2 s here)
    runs = [r for r in fake.log if r.path.endswith("/actions/runs")]
    assert [r.status for r in runs] == [429, 200]
    assert runs[1].at - runs[0].at >= 0.9  # Retry-After honoured


def test_rate_limit_that_stays_is_recorded_after_the_retries(
    fake: FakeGitHubAPI, served: str
) -> None:
    fake.rate_limit(times=None, reset_in=0, path=r"/contributors$")

    facts = collect(served, retries=1)

    assert facts.errors["contributors"] == "403: rate limit exceeded"
    assert fake.count(r"/contributors$") == 2
    assert facts.errors["pulls"] == facts.errors["runs"] == "403: rate limit exceeded"
    assert facts.collaborators is not None and facts.pulls is None
    assert len(fake.log) == 1 + 1 + 2


def test_too_many_requests_that_stay_are_recorded(fake: FakeGitHubAPI, served: str) -> None:
    fake.fail(429, times=None, path=r"/collaborators$")

    facts = collect(served, retries=1)

    assert facts.errors["collaborators"] == "429: rate limit exceeded"
    assert facts.errors["pages"] == "429: rate limit exceeded"  # not tried
    assert fake.count(r"/collaborators$") == 2 and len(fake.log) == 3


def test_repository_without_commits(fake: FakeGitHubAPI, served: str) -> None:
    fake.repos[FULL.lower()].empty = True

    facts = collect(served)

    assert facts.contributors == [] and facts.commit_shares() == []
    assert facts.errors == {}


def test_retry_after_beyond_max_wait_gives_up(fake: FakeGitHubAPI, served: str) -> None:
    fake.fail(429, times=None, path=r"/pulls$", retry_after=600)

    facts = collect(served)

    assert facts.errors["pulls"].startswith("429: rate limited")
    assert fake.count(r"/pulls$") == 1


def test_bad_gateway_then_success(fake: FakeGitHubAPI, served: str) -> None:
    fake.fail(502, times=1, path=r"/pulls$")
    fake.fail(503, times=1, path=r"/pulls$")

    facts = collect(served)

    assert facts.errors == {}
    assert facts.pulls is not None and facts.pulls.total == 5
    assert [r.status for r in fake.log if r.path.endswith("/pulls")] == [502, 503, 200]


def test_persistent_server_error_is_recorded(fake: FakeGitHubAPI, served: str) -> None:
    fake.fail(500, times=None, path=r"/actions/runs$")

    facts = collect(served, retries=2)

    assert facts.runs is None
    assert facts.errors == {"runs": "500: GitHub server error"}
    assert fake.count(r"/actions/runs$") == 3
    assert facts.pages is not None  # a server error is not a reason to stop


def test_hang_beyond_the_timeout_is_recorded(fake: FakeGitHubAPI, served: str) -> None:
    fake.hang(3, times=None, path=r"/actions/runs$")

    started = time.monotonic()
    facts = collect(served, timeout=1, retries=1)

    assert time.monotonic() - started < 5
    assert facts.runs is None
    assert facts.errors["runs"].startswith("timeout:")
    assert facts.errors["pages"] == facts.errors["runs"]  # not tried after the network failed
    assert facts.pulls is not None


def test_one_slow_answer_is_retried(fake: FakeGitHubAPI, served: str) -> None:
    fake.hang(1.6, times=1, path=r"/contributors$")

    facts = collect(served, timeout=1, retries=2)

    assert facts.errors == {}
    assert facts.contributors is not None


def test_unreachable_api_is_recorded() -> None:
    with serve(FakeGitHubAPI()) as base_url:
        pass  # the server is gone again: its port refuses connections
    facts = collect_facts(client(base_url, retries=1), FULL)

    assert set(facts.errors) == {"repository"}
    assert facts.errors["repository"].startswith("network: ")


# ---- pagination


@pytest.mark.parametrize(
    ("count", "truncated", "pages"),
    [(250, True, [1, 2, 3]), (200, False, [1, 2]), (150, False, [1, 2])],
)
def test_pull_request_pages(count: int, truncated: bool, pages: list[int]) -> None:
    fake = FakeGitHubAPI()
    repo = fake.add_repo(FULL)
    for n in range(count):
        repo.add_pull(f"pr {n}", ["alice", "bob"][n % 2], merged=n % 3 == 0)
    repo.pulls[-1].reviews.append(FakeReview("carol", "APPROVED"))

    with serve(fake) as base_url:
        facts = collect_facts(client(base_url), FULL, max_pulls=200, max_reviews=3)

    pulls = facts.pulls
    assert pulls is not None
    assert pulls.total == count and pulls.truncated is truncated
    assert len(pulls.sample) == min(count, 200)
    assert pulls.sample[0].number == count and pulls.sample[0].reviews == 1
    assert pulls.reviews_checked == 3 and pulls.reviewed == 1
    listings = [r for r in fake.log if r.path.endswith("/pulls")]
    assert [int(r.query.get("page", "1")) for r in listings if r.query["per_page"] == "100"] == (
        pages
    )
    # the exact total of a truncated list costs one more (one-item) request
    assert sum(r.query["per_page"] == "1" for r in listings) == (1 if truncated else 0)
    assert fake.count(r"/reviews$") == 3


# ---- client


def test_rate_quota_spends_no_request(fake: FakeGitHubAPI, served: str) -> None:
    gh = client(served)
    assert rate_quota(gh) == (None, None, None)
    assert fake.log == []

    gh.get_repo(FULL)
    remaining, limit, reset = rate_quota(gh)
    assert (remaining, limit) == (4999, 5000)
    assert reset is not None and reset.endswith("+00:00")
    assert len(fake.log) == 1


def test_make_client_defaults_come_from_the_environment(
    fake: FakeGitHubAPI, served: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.setenv("GH_TOKEN", "from-gh")
    monkeypatch.setenv("GITHUB_API_URL", served + "/")

    make_client(min_interval_s=0).get_repo(FULL)

    assert fake.log[-1].authorization == "token from-gh"
    monkeypatch.setenv("GITHUB_TOKEN", "from-github")
    make_client(min_interval_s=0).get_repo(FULL)
    assert fake.log[-1].authorization == "token from-github"
    monkeypatch.delenv("GITHUB_TOKEN")
    monkeypatch.delenv("GH_TOKEN")
    make_client(min_interval_s=0).get_repo(FULL)
    assert fake.log[-1].authorization is None


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("https://github.com/group7/mlops-project", FULL),
        ("https://github.com/group7/mlops-project.git", FULL),
        ("https://github.com/group7/mlops-project/", FULL),
        ("http://GitHub.com/group7/mlops-project.git", FULL),
        ("https://x-access-token:abc@github.com/group7/mlops-project.git", FULL),
        ("git@github.com:group7/mlops-project.git", FULL),
        ("git@github.com:group7/mlops-project", FULL),
        ("ssh://git@github.com/group7/mlops-project.git", FULL),
        ("  https://github.com/Owner-1/repo.name_2  ", "Owner-1/repo.name_2"),
        ("https://github.com/group7/mlops-project/tree/main", None),
        ("https://github.com/group7", None),
        ("https://github.com/group7/mlops-project?tab=readme", None),
        ("https://gitlab.com/group7/mlops-project", None),
        ("https://github.com.evil.example/group7/mlops-project", None),
        ("git@gitlab.com:group7/mlops-project.git", None),
        ("/home/student/mlops-project", None),
        ("./mlops-project", None),
        ("file:///srv/git/mlops-project", None),
        ("https://github.com/group7/..", None),
        ("https://github.com/-bad/name", None),
        ("https://github.com:99999/group7/mlops-project", None),
        ("", None),
    ],
)
def test_repo_full_name(target: str, expected: str | None) -> None:
    assert repo_full_name(target) == expected


def test_repo_full_name_on_another_host() -> None:
    url = "https://github.example.edu/group7/mlops-project"
    assert repo_full_name(url) is None
    assert repo_full_name(url, host="github.example.edu") == FULL
    assert repo_full_name("git@github.example.edu:group7/x.git", host="GitHub.example.edu") == (
        "group7/x"
    )
