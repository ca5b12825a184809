"""``verifier audit --github``: which repository to ask the GitHub API about, and asking."""

from __future__ import annotations

import argparse
import os
import re
from typing import TYPE_CHECKING

from verifier.errors import InputError

if TYPE_CHECKING:
    from verifier.github.facts_model import RepoFacts

_FULL_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")


def github_repository(args: argparse.Namespace) -> str:
    """``owner/name`` from ``--repo``, the clone URL given as target, or ``GITHUB_REPOSITORY``
    (set in GitHub Actions)."""

    from verifier.github.client import repo_full_name

    if args.repo:
        if not _FULL_NAME.match(args.repo):
            raise InputError(f"--repo must look like owner/name, not {args.repo!r}")
        return str(args.repo)
    found = repo_full_name(str(args.target))
    if found:
        return found
    env = os.environ.get("GITHUB_REPOSITORY", "")
    if _FULL_NAME.match(env):
        return env
    raise InputError("--github needs a GitHub repository: give --repo owner/name")


def github_facts_for(args: argparse.Namespace) -> RepoFacts:
    """The facts (never raises for an API problem: the facts then say why)."""

    from verifier.github.client import make_client
    from verifier.github.facts import collect_facts

    if args.group_size is not None and not 1 <= args.group_size <= 20:
        raise InputError("--group-size must be between 1 and 20")
    full_name = github_repository(args)
    client = make_client()
    try:
        return collect_facts(client, full_name, group_size=args.group_size)
    finally:
        client.close()
