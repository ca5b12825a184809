"""Claims on files: every relative link and image of the answers resolves the way GitHub
renders the report.

GitHub resolves a relative link against the folder of the Markdown file (``reports/`` for
``reports/README.md``); a target starting with ``/`` is relative to the repository root. A
link that only works from the repository root is therefore broken when rendered. Links given
as ``github.com/<owner>/<repo>/blob|tree/<ref>/<path>`` are checked against the snapshot when
they point at this repository, which is known from the git remotes or, failing that, from the
report's own GitHub links that lead to files of this snapshot.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections import Counter
from typing import TYPE_CHECKING

from probes._common import evidence
from verifier.claims.paths import github_path
from verifier.engine.registry import claim_check
from verifier.findings import ClaimResult, Evidence, consistent, inconsistent, unverifiable
from verifier.repo.snapshot import normalize_path

if TYPE_CHECKING:
    from verifier.claims.model import Claim
    from verifier.repo.snapshot import Snapshot
    from verifier.report.model import Report

#: Files nearly every repository has: a link to one of them says nothing about whose
#: repository a GitHub URL names.
UBIQUITOUS = frozenset(
    {"readme.md", "license", "license.md", ".gitignore", "pyproject.toml", "requirements.txt"}
)
_REMOTE = re.compile(r"github\.com[:/]+([^/\s]+)/([^/\s]+?)(?:\.git)?/?$", re.I)
#: A GitHub URL that lost its ``https://github`` ("github[link](.com/o/r/blob/main/x)").
_MANGLED = re.compile(r"^(?:[^/]*\.com/)?[^/]+/[^/]+/(?:blob|tree|raw)/[^/]+/(.+)$")
MAX_ALTERNATIVES = 3


def whole_repository(snap: Snapshot) -> Snapshot:
    """The snapshot of the whole repository, also when ``snap`` is a project-folder view:
    links in the report may point anywhere in the repository."""

    return snap.root


def _present(root: Snapshot, path: str) -> bool:
    return path == "" or root.exists(path) or root.is_dir(path)


def _ev(root: Snapshot, path: str, why: str) -> Evidence:
    return evidence(root, path, None, why)


def _presence(root: Snapshot, path: str, expected: str, how: str) -> ClaimResult:
    """The verdict for a link whose target exists at ``path``."""

    if path and root.is_dir(path) and not root.exists(path):
        return consistent(expected, f"folder {path}/ exists", how)
    if root.is_lfs_pointer(path):
        return consistent(
            expected,
            f"{path} exists (stored in Git LFS: the commit holds a pointer)",
            how + "; GitHub shows files stored in Git LFS",
            [_ev(root, path, "Git LFS pointer for the linked file")],
        )
    note = ""
    if not root.is_file(path) and root.exists(path):
        reason = next((s.reason for s in root.skipped if s.path == path), "not read")
        note = f" ({reason})"
    return consistent(
        expected, f"{path} exists{note}", how, [_ev(root, path, "the linked file exists")]
    )


# --------------------------------------------------------------------------- alternatives


#: Pages of a repository on GitHub next to its files (``../../issues`` from a root README).
GITHUB_PAGES = frozenset(
    {
        "actions",
        "issues",
        "pulls",
        "wiki",
        "releases",
        "tags",
        "commits",
        "branches",
        "settings",
        "projects",
        "discussions",
        "security",
        "pulse",
        "graphs",
        "network",
        "packages",
        "deployments",
        "milestones",
        "labels",
        "compare",
        "commit",
        "tree",
        "blob",
    }
)


def _github_page(joined: str) -> str | None:
    """The GitHub page a link reaches by climbing out of ``blob/<branch>/``: exactly two
    levels above the repository root lands on ``github.com/<owner>/<repo>/<page>``."""

    parts = joined.split("/")
    if parts[:2] == ["..", ".."] and len(parts) > 2 and parts[2].lower() in GITHUB_PAGES:
        return "/".join(parts[2:])
    return None


def _where(folder: str) -> str:
    return f"{folder}/" if folder else "the repository root"


def _relative(from_dir: str, path: str) -> str:
    """``path`` as a link written in ``from_dir`` (pure: no working directory involved)."""

    start = [p for p in from_dir.split("/") if p]
    parts = [p for p in path.split("/") if p]
    common = 0
    while common < min(len(start), len(parts)) and start[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + parts[common:]) or "."


def _meant_paths(root: Snapshot, project_root: str, value: str) -> list[str]:
    """Where a link written from the repository or the project root would lead (leading
    ``/`` and ``../`` taken off): the file the writer most likely meant."""

    bare = value.lstrip("/")
    while bare.startswith(("../", "./")):
        bare = bare[3:] if bare.startswith("../") else bare[2:]
    norm = normalize_path(bare)
    if not norm:
        return []
    out = [norm]
    if project_root:
        out.insert(0, f"{project_root}/{norm}")
    return out


def _case_match(root: Snapshot, path: str) -> str | None:
    low = path.lower()
    for candidate in root.all_paths():
        if candidate.lower() == low:
            return candidate
    return None


def _same_name(root: Snapshot, path: str) -> list[str]:
    base = posixpath.basename(path).lower()
    if not base:
        return []
    hits = [p for p in root.all_paths() if posixpath.basename(p).lower() == base]
    return hits[:MAX_ALTERNATIVES]


def _missing(
    root: Snapshot,
    resolved: str,
    expected: str,
    *,
    report_dir: str,
    meant: list[str],
    how: str,
) -> ClaimResult:
    """Why a link that does not resolve is broken, with the path that would work."""

    there = next((p for p in meant if p != resolved and _present(root, p)), None)
    if there is not None:
        fix = _relative(report_dir, there)
        return _exists_but_broken(
            expected,
            f"{there} exists; from {_where(report_dir)} the link needs {fix}",
            f"{how}; the link only works from the repository or project root, so it is "
            "broken where GitHub renders the report",
            [_ev(root, there, "the file the link means")],
        )
    cased = _case_match(root, resolved)
    if cased is not None:
        return _exists_but_broken(
            expected,
            f"{cased} exists, but the case differs ({resolved})",
            f"{how}; GitHub paths are case-sensitive, so the link is broken",
            [_ev(root, cased, "the file the link means")],
        )
    later = root.branches_holding(resolved)
    if later:
        return inconsistent(
            expected,
            f"{resolved} is not at the audited commit; only on branch {', '.join(later[:3])}",
            f"{how}; the file is not on the audited branch",
        )
    if root.added_after_deadline(resolved):
        return inconsistent(
            expected,
            f"{resolved} was added after the deadline",
            f"{how}; the file is not at the audited commit",
        )
    others = [p for p in _same_name(root, resolved) if p != resolved]
    if others:
        fixes = ", ".join(_relative(report_dir, p) for p in others)
        observed = f"no {resolved}; a file of that name is at {', '.join(others)} (link: {fixes})"
        ev = [_ev(root, p, "a file with the linked name") for p in others]
        if len(others) == 1 and _distinctive(resolved):
            return _exists_but_broken(
                expected, observed, f"{how}; the link points to the wrong folder", ev
            )
        return unverifiable(
            expected,
            f"{how}; nothing at the linked path, and the name alone cannot tell which file "
            f"it means: {observed}",
        )
    other_format = _other_format(root, resolved)
    if other_format is not None:
        return _exists_but_broken(
            expected,
            f"no {resolved}; {other_format} has the same name in another format "
            f"(link: {_relative(report_dir, other_format)})",
            f"{how}; the link names another file extension",
            [_ev(root, other_format, "the file the link means, in another format")],
        )
    near = _near_name(root, resolved)
    if near is not None:
        observed = (
            f"no {resolved}; a similar name is at {near} (link: {_relative(report_dir, near)})"
        )
        ev = [_ev(root, near, "a file with a similar name")]
        if _squashed(near) == _squashed(resolved):
            return _exists_but_broken(
                expected, observed, f"{how}; the link spells the name differently", ev
            )
        return inconsistent(expected, observed, f"{how}; nothing at the linked path", ev)
    log = root.path_log(resolved, max_count=1) if resolved else []
    if log:
        return inconsistent(
            expected,
            f"no {resolved} at the audited commit; it existed earlier (last changed in "
            f"{log[0].sha[:8]}: {log[0].subject[:60]})",
            f"{how}; the file was moved or deleted",
        )
    return inconsistent(expected, f"no {resolved} at the audited commit", how)


#: Names too common to tell which file a link meant when it is found in another folder.
GENERIC_NAMES = frozenset(
    {
        "__init__.py",
        "main.py",
        "config.yaml",
        "config.yml",
        "default.yaml",
        "readme.md",
        "index.md",
        "dockerfile",
        "requirements.txt",
        "pyproject.toml",
        "test.py",
        "utils.py",
        "model.py",
        "train.py",
        "data.py",
        "api.py",
        "image.png",
        "figure.png",
    }
)


def _distinctive(path: str) -> bool:
    return posixpath.basename(path).lower() not in GENERIC_NAMES


def _squashed(path: str) -> str:
    return re.sub(r"[^a-z0-9.]", "", path.lower())


def _exists_but_broken(
    expected: str, observed: str, why: str, evidence: list[Evidence]
) -> ClaimResult:
    """The file the answer names is in the repository; only the link to it is broken.

    The answer is true about the repository, so the claim is ``consistent``; the broken
    link is said in ``observed`` and ``why`` for the group to fix.
    """

    return consistent(expected, observed + " (the file exists; the link is broken)", why, evidence)


_IMAGE_EXTS = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")


def _other_format(root: Snapshot, path: str) -> str | None:
    """``figures/metrics.jpg`` for a link to ``figures/metrics.png``: an image saved in
    another format under the same name."""

    stem, ext = posixpath.splitext(path)
    if ext.lower() not in _IMAGE_EXTS:
        return None
    for other in _IMAGE_EXTS:
        for cand in (stem + other, stem + other.upper()):
            if cand != path and _present(root, cand):
                return cand
    return None


#: A link written without its scheme: ``europe-west1-docker.pkg.dev/...``, ``www.x.com``.
_BARE_HOST = re.compile(
    r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:dev|io|com|org|net|app|ai|eu|dk|co|cloud)(?:/|$)",
    re.I,
)


def _near_name(root: Snapshot, path: str) -> str | None:
    """A file in the same folder whose name is spelled nearly the same
    (``artifact-registry.png`` for ``artifactRegistry.png``)."""

    folder, base = posixpath.split(path)
    if not base or not root.is_dir(folder):
        return None
    prefix = folder + "/" if folder else ""
    names = {
        p[len(prefix) :].lower(): p
        for p in root.all_paths()
        if p.startswith(prefix) and "/" not in p[len(prefix) :]
    }
    squashed = {re.sub(r"[^a-z0-9.]", "", n): p for n, p in names.items()}
    want = re.sub(r"[^a-z0-9.]", "", base.lower())
    if want in squashed:
        return squashed[want]
    near = difflib.get_close_matches(want, list(squashed), 1, 0.85)
    return squashed[near[0]] if near else None


# --------------------------------------------------------------------------- which repository


def _remote_names(snap: Snapshot) -> set[str]:
    """``owner/repo`` (lower case) of the GitHub remotes of the snapshot's repository."""

    repo = snap.git_repo
    names: set[str] = set()
    if repo is None:
        return names
    try:
        for remote in repo.remotes:
            for url in remote.urls:
                m = _REMOTE.search(url.strip())
                if m:
                    names.add(f"{m.group(1)}/{m.group(2)}".lower())
    except Exception:  # an unreadable git config names no remote
        return set()
    return names


def _report_github_links(report: Report) -> list[tuple[str, str]]:
    """``(owner/repo, path)`` of every GitHub file URL in the answers."""

    out = []
    for answer in report.answers:
        for link in answer.links:
            if link.in_prompt or "://" not in link.target:
                continue
            gh = github_path(link.target.strip().strip("<>"))
            if gh is None:
                continue
            path, extra, _ = gh
            details = dict(extra)
            out.append((f"{details['owner']}/{details['repo']}".lower(), path))
    return out


def own_repositories(snap: Snapshot, report: Report) -> tuple[set[str], str]:
    """The ``owner/repo`` names that are this repository, and how that was told.

    The git remotes decide when they name a GitHub repository; otherwise a repository the
    report links to is this one when one of its linked paths (other than files every
    repository has) exists in the snapshot.
    """

    root = whole_repository(snap)

    def build() -> tuple[set[str], str]:
        remotes = _remote_names(root)
        if remotes:
            return remotes, "the repository's git remote"
        hits: Counter[str] = Counter()
        for name, path in _report_github_links(report):
            norm = normalize_path(path)
            if not norm or posixpath.basename(norm).lower() in UBIQUITOUS:
                continue
            if _present(root, norm):
                hits[name] += 1
        return set(hits), "other GitHub links of the report that lead to files of this snapshot"

    return root.memo(f"claims_files.own_repositories:{report.path}", build)


# --------------------------------------------------------------------------- the checks


def _report_dir(report: Report) -> str | None:
    path = report.path.replace("\\", "/")
    if path.startswith("/") or re.match(r"^[A-Za-z]:/", path):
        return None
    return posixpath.dirname(normalize_path(path) or "")


def _check_github(claim: Claim, root: Snapshot, report: Report, expected: str) -> ClaimResult:
    owner, repo, ref = claim.get("owner") or "", claim.get("repo") or "", claim.get("ref") or ""
    name = f"{owner}/{repo}".lower()
    own, told = own_repositories(root, report)
    path = normalize_path(str(claim.value))
    if name not in own:
        hint = ""
        if path and _present(root, path):
            hint = f"; a file at {path} exists in this snapshot"
        why = (
            f"the link points at github.com/{owner}/{repo}, which {told} does not name as "
            "this repository"
            if own
            else f"cannot tell whether github.com/{owner}/{repo} is this repository "
            "(no GitHub remote, and no other link of the report leads to its files)"
        )
        return unverifiable(expected, why + hint)
    how = f"GitHub URL into this repository (told by {told}) at {ref}"
    if path is None:
        return inconsistent(expected, f"{claim.value} leaves the repository", how)
    if _present(root, path):
        return _presence(root, path, expected, how)
    if ref and ref in root.branches_holding(path):
        return unverifiable(
            expected,
            f"the link points at branch {ref}, where {path} exists; it is not at the "
            "audited commit",
        )
    return _missing(root, path, expected, report_dir="", meant=[], how=how)


def _check_mangled(claim: Claim, root: Snapshot, expected: str) -> ClaimResult | None:
    """A relative link that is really a GitHub URL missing its start."""

    m = _MANGLED.match(str(claim.value))
    if not m or not (".com/" in str(claim.value) or "/blob/" in str(claim.value)):
        return None
    inner = normalize_path(m.group(1))
    there = inner is not None and _present(root, inner)
    observed = f"a GitHub URL written as a relative link ({claim.value})" + (
        f"; {inner} itself exists" if there else ""
    )
    why = "GitHub resolves it inside the report's folder: it is broken"
    if there and inner:
        return _exists_but_broken(
            expected, observed, why, [_ev(root, inner, "the file the link means")]
        )
    return inconsistent(expected, observed, why)


@claim_check("file-link", "image")
def check_link(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """A link or image resolves to a file or folder of the audited commit."""

    what = "image" if claim.kind == "image" else "link"
    target = claim.get("target") or str(claim.value)
    expected = f"{what} {target} resolves"
    if "external" in claim.tags:
        host = re.sub(r"^[a-z]+://", "", target, flags=re.I).split("/", 1)[0]
        return unverifiable(expected, f"an image hosted outside the repository ({host})")
    root = whole_repository(snap)
    if "github" in claim.tags:
        return _check_github(claim, root, report, expected)
    report_dir = _report_dir(report)
    if report_dir is None:
        return unverifiable(
            expected,
            "the report was read from a file outside the repository; its folder there is unknown",
        )
    mangled = _check_mangled(claim, root, expected)
    if mangled is not None:
        return mangled
    bare = str(claim.value).strip()
    if _BARE_HOST.match(bare) and not _present(root, bare.split("/", 1)[0]):
        host = bare.split("/", 1)[0]
        return unverifiable(
            expected,
            f"a web address written without https:// ({host}); GitHub renders it as a broken "
            "relative link, but it names no repository file",
        )
    value = str(claim.value).replace("\\", "/")
    if value.startswith("/"):
        joined = posixpath.normpath(value.lstrip("/")) if value.strip("/") else ""
        how = "a link starting with / is relative to the repository root on GitHub"
    else:
        joined = posixpath.normpath(posixpath.join(report_dir, value))
        how = f"relative to the report's folder, {_where(report_dir)}"
    meant = _meant_paths(root, snap.project_root, value)
    if joined == ".":
        joined = ""
    if joined == ".." or joined.startswith("../"):
        page = _github_page(joined)
        if page is not None:
            return unverifiable(
                expected,
                f"climbs above the file view to the repository's GitHub page {page}, "
                "which the files cannot show",
            )
        there = next((p for p in meant if _present(root, p)), None)
        why = f"{how}; GitHub cannot show a target outside the repository"
        if there is not None:
            return _exists_but_broken(
                expected,
                f"{target} leaves the repository; {there} exists, from {_where(report_dir)} "
                f"the link needs {_relative(report_dir, there)}",
                why,
                [_ev(root, there, "the file the link means")],
            )
        return inconsistent(expected, f"{target} leaves the repository", why)
    if _present(root, joined):
        return _presence(root, joined, expected, how)
    return _missing(root, joined, expected, report_dir=report_dir, meant=meant, how=how)
