"""One pull request comment per PR, found again by a hidden marker and edited on each push.

The body is :func:`verifier.render.markdown_render.render_markdown` output: student text in
it is already escaped and its ``@mentions`` neutralised. The marker is an HTML comment at
the top of the body; GitHub does not render it.
"""

from __future__ import annotations

from typing import Literal

import github
from github.IssueComment import IssueComment

MARKER = "<!-- verifier-report -->"


def with_marker(body: str) -> str:
    """The body with the marker as its first line (exactly once)."""

    if body.startswith(MARKER):
        return body
    return f"{MARKER}\n{body}"


def _is_ours(comment: IssueComment) -> bool:
    return (comment.body or "").lstrip().startswith(MARKER)


def find_comment(issue_comments: list[IssueComment]) -> IssueComment | None:
    """The comment carrying the marker; a bot's first when several do (anyone can paste the
    marker into a comment, and a token cannot edit someone else's)."""

    ours = [c for c in issue_comments if _is_ours(c)]
    if not ours:
        return None
    bots = [c for c in ours if c.user is not None and c.user.type == "Bot"]
    return (bots or ours)[0]


def post_or_update_comment(
    gh: github.Github, repo_full_name: str, pr_number: int, body: str
) -> Literal["created", "updated"]:
    """Edit the PR's verifier comment, or create it when there is none.

    Raises :class:`github.GithubException` (or a network error) when the API refuses; the
    caller decides how loud that is.
    """

    text = with_marker(body)
    repo = gh.get_repo(repo_full_name)
    issue = repo.get_issue(pr_number)  # a pull request is an issue for its comments
    existing = find_comment(list(issue.get_comments()))
    if existing is not None:
        existing.edit(text)
        return "updated"
    issue.create_comment(text)
    return "created"
