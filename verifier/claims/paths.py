"""Claims that are paths: Dockerfiles, API routes, workflow files, GitHub URLs."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from verifier.claims.common import Ctx, claim_chars
from verifier.claims.model import Claim
from verifier.claims.polarity import Polarity, polarity
from verifier.claims.text import has_phrase

# A run of characters that can form a path or URL (no spaces, quotes, brackets).
_PATHISH = re.compile(r"[^\s`'\"()\[\]<>*,;|{}]+")
_ROUTE = re.compile(r"(?<![\w/.:~\\<#?=&%-])/[A-Za-z0-9_{}\-/.]*")
_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]{1,2000}", re.I)
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,5}$")
_GITHUB = re.compile(
    r"^https?://(?:www\.)?github\.com/([^/\s]+)/([^/\s]+)/(blob|tree|raw)/([^/\s]+)/?(.*)$", re.I
)
_RAW_GITHUB = re.compile(
    r"^https?://raw\.githubusercontent\.com/([^/\s]+)/([^/\s]+)/([^/\s]+)/(.*)$", re.I
)
_TRAIL = ".,:;!?)]}*_`'\""
_ROUTE_TRAIL = ".,:;!?)]*_`'\""


def github_path(url: str) -> tuple[str, tuple[tuple[str, str], ...], bool] | None:
    """``(path, (("owner", o), ("repo", r), ("ref", b)), is_tree)`` of a GitHub file URL."""
    url = url.split("#", 1)[0].split("?", 1)[0]
    m = _GITHUB.match(url)
    if m:
        owner, repo, how, ref, path = m.groups()
        extra = (("owner", owner), ("repo", repo.removesuffix(".git")), ("ref", ref))
        return unquote(path).strip().rstrip("/"), extra, how.lower() == "tree"
    m = _RAW_GITHUB.match(url)
    if m:
        owner, repo, ref, path = m.groups()
        return unquote(path).strip(), (("owner", owner), ("repo", repo), ("ref", ref)), False
    return None


def _is_dockerfile(path: str) -> bool:
    base = path.rsplit("/", 1)[-1].lower()
    return base == "dockerfile" or base.startswith("dockerfile.") or base.endswith(".dockerfile")


def dockerfiles(ctx: Ctx) -> list[Claim]:
    s = ctx.sentence
    text = s.text
    out: list[Claim] = []
    for m in _PATHISH.finditer(text):
        raw = m.group(0).rstrip(_TRAIL)
        if "dockerfile" not in raw.lower():
            continue
        extra: tuple[tuple[str, str], ...] = ()
        tags: tuple[str, ...] = ()
        if "://" in raw:
            gh = github_path(raw)
            if gh is None:
                continue
            path, extra, _ = gh
            tags = ("github",)
        else:
            path = raw
        path = path.removeprefix("./")
        if not _is_dockerfile(path) or "/blob/" in path or "/tree/" in path:
            continue  # a broken URL ("github[link](.com/org/repo/blob/...)") names no file
        bare = "/" not in path and path.lower() == "dockerfile"
        if bare and not s.code:
            before = text[m.start() - 1] if m.start() > 0 else ""
            if before != "`":
                continue  # "we wrote a Dockerfile": no particular file
        i = s.token_at(m.start())
        if i is None:
            continue
        pol = polarity(s, i, i + 1, ctx.vocab)
        if pol is Polarity.HYPOTHETICAL:
            continue
        out.append(
            claim_chars(
                ctx,
                "dockerfile",
                m.start(),
                m.start() + len(raw),
                path,
                negated=pol is Polarity.NEGATED,
                tags=tags,
                extra=extra,
                clause_token=i,
            )
        )
    return out


def _route_ok(path: str, ctx: Ctx) -> bool:
    segments = [p for p in path.split("/") if p]
    if not segments:
        return False
    if segments[0].lower() in ctx.vocab.path_blacklist or segments[0].isdigit():
        return False
    if "//" in path or _EXTENSION.search(segments[-1]):
        return False
    return not any(ch in path for ch in ":@")


def _normal_route(path: str) -> str:
    path = path.rstrip(_ROUTE_TRAIL)
    return path.rstrip("/") or "/"


def endpoints(ctx: Ctx) -> list[Claim]:
    """Routes such as ``/predict``: bare, quoted, after GET/POST, or the path of a URL to the
    group's service (localhost, Cloud Run, a placeholder host, or a curl/request line)."""
    s = ctx.sentence
    v = ctx.vocab
    text = s.text
    found: list[tuple[int, int, str]] = []
    for m in _ROUTE.finditer(text):
        raw = m.group(0)
        path = _normal_route(raw)
        if s.in_url(m.start()):
            continue  # the path of a URL is judged below, with its host
        before = text[m.start() - 1] if m.start() > 0 else ""
        after = text[m.end()] if m.end() < len(text) else ""
        k = s.token_at(m.end())
        if (
            k is not None
            and s.tokens[k].start >= m.end()
            and s.tokens[k].norm in v.not_routes_before
        ):
            continue  # "the /static folder"
        if path == "/":
            if not (before in "`'\"" and after in "`'\"" and has_phrase(s, v.endpoint_words)):
                continue
        elif not _route_ok(path, ctx):
            continue
        found.append((m.start(), m.start() + len(raw.rstrip(_ROUTE_TRAIL)), path))
    words = {t.norm for t in s.tokens}
    commandish = bool(words & v.command_words) or any(w.upper() in v.http_methods for w in words)
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(_TRAIL)
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
        except ValueError:
            continue
        raw_host = url.split("://", 1)[1].split("/", 1)[0]
        own = (
            any(host == h or host.endswith("." + h) for h in v.service_hosts)
            or raw_host.isupper()
            or "<" in raw_host
            or (commandish and "github" not in host)
        )
        path = _normal_route(parts.path or "/")
        if not own or path == "/" or not _route_ok(path, ctx):
            continue
        found.append((m.start(), m.start() + len(url), path))
    out: list[Claim] = []
    for a, b, path in found:
        i = s.token_at(a)
        if i is None:
            continue
        pol = polarity(s, i, i + 1, v)
        if pol is Polarity.HYPOTHETICAL:
            continue
        out.append(
            claim_chars(
                ctx, "api-endpoint", a, b, path, negated=pol is Polarity.NEGATED, clause_token=i
            )
        )
    return out


def workflow_files(ctx: Ctx) -> list[Claim]:
    s = ctx.sentence
    out: list[Claim] = []
    for m in _PATHISH.finditer(s.text):
        raw = m.group(0).rstrip(_TRAIL)
        low = raw.lower()
        if not low.endswith((".yaml", ".yml")):
            continue
        if "://" in raw and "/.github/workflows/" not in raw:
            continue
        name = raw.rsplit("/", 1)[-1]
        if name.lower() in ctx.vocab.not_workflow_files or (
            "/" in raw and ".github/workflows/" not in raw
        ):
            continue
        i = s.token_at(m.start())
        if i is None:
            continue
        pol = polarity(s, i, i + 1, ctx.vocab)
        if pol is Polarity.HYPOTHETICAL:
            continue
        out.append(
            claim_chars(
                ctx,
                "workflow-file",
                m.start(),
                m.start() + len(raw),
                name,
                negated=pol is Polarity.NEGATED,
                clause_token=i,
            )
        )
    return out
