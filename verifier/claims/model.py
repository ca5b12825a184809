"""The shape of one claim read from a free-text answer of the report."""

from __future__ import annotations

from dataclasses import dataclass

#: Every kind of claim the extractor emits, with the type of its ``value``.
CLAIM_KINDS: dict[str, str] = {
    "test-count": "int, or (low, high) for a range",
    "coverage-percent": "float, or (low, high) for a range",
    "ci-os": "str: 'linux', 'windows' or 'macos'",
    "ci-python": "str: '3.12'",
    "ci-caching": "bool: True",
    "ci-linting": "str: a tool name ('ruff') or 'linting' when none is named",
    "workflow-count": "int",
    "workflow-file": "str: a file name as written ('tests.yaml')",
    "uses-branches": "bool: True (negated=True for 'we worked only on main')",
    "uses-pull-requests": "bool: True; tag 'all' when every change is said to go through one",
    "pr-reviews": "bool: True (pull requests reviewed by another member); tag 'on-pr'",
    "branch-protection": "bool: True (a protected branch or branch rules)",
    "dvc-used": "bool: True (negated=True for 'we did not use DVC')",
    "dvc-remote": "str: 'gcs', 'gdrive', 's3', 'azure', 'local', 'ssh', 'http', 'huggingface'",
    "dependency-manager": "str: 'uv', 'poetry', 'pip', 'pip-tools', 'conda', 'pipenv', 'pdm', ...",
    "linter": "str: tool name",
    "formatter": "str: tool name",
    "type-checker": "str: tool name",
    "pre-commit": "str: 'pre-commit'",
    "framework": "str: canonical library name (see framework_distributions)",
    "dockerfile": "str: path as written, './' removed",
    "docker-role": "str: 'train', 'evaluate', 'api', 'frontend', 'data', 'visualize', 'monitoring'",
    "api-endpoint": "str: a route such as '/predict'",
    "load-test-tool": "str: 'locust', 'k6', 'jmeter', ...",
    "file-link": "str: a path in the repository (relative target, or the path of a GitHub URL)",
    "image": "str: a path in the repository, or the URL of an external image",
}


@dataclass(frozen=True)
class Claim:
    """One checkable statement of an answer.

    ``line`` is the 1-based report line where the words making the claim start; ``sentence`` is
    the whole sentence around it (whitespace collapsed) and ``quote`` the words of that
    sentence that make the claim (at most 200 characters).

    ``tags`` add what the kind alone does not say: ``"part"`` (a coverage figure for one part of
    the code, not the total), ``"conflict"`` (one of several different totals in one answer),
    ``"course"`` (a framework the course covers), ``"github"`` (a link given as a GitHub URL),
    ``"tree"`` (a GitHub directory URL), ``"external"`` (an image outside the repository),
    ``"code"`` (read from a code block or command), ``"answer-no"`` (the answer starts with
    "No"), ``"mixed"`` (the answer also says the opposite later), ``"all"`` (every change went
    through pull requests), ``"on-pr"`` (a review tied to pull requests or merging).
    ``extra`` holds key/value details, e.g. ``("target", raw link target)``, ``("owner", ...)``,
    ``("repo", ...)``, ``("ref", ...)`` for GitHub URLs.
    """

    kind: str
    question: int
    line: int
    quote: str
    value: object
    qualifier: str | None = None
    negated: bool = False
    sentence: str = ""
    tags: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()

    def get(self, key: str) -> str | None:
        """The value of one ``extra`` detail, or ``None``."""
        for k, v in self.extra:
            if k == key:
                return v
        return None

    def to_dict(self) -> dict[str, object]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {
            "kind": self.kind,
            "question": self.question,
            "line": self.line,
            "quote": self.quote,
            "value": value,
            "qualifier": self.qualifier,
            "negated": self.negated,
            "sentence": self.sentence,
            "tags": list(self.tags),
            "extra": dict(self.extra),
        }
