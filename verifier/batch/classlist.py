"""The class list: which repositories a batch run audits.

Three sources: the course's ``group_info.csv`` (``group_number, student_1..student_5,
repo_url``), a plain file with one repository URL or local path per line (``#`` starts a
comment), or a GitHub organisation listed through pygithub.
"""

from __future__ import annotations

import csv
import fnmatch
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from verifier.errors import InputError
from verifier.repo.sources import is_clone_url, redact_url

if TYPE_CHECKING:
    import github

#: Header names accepted for the repository column of a CSV class list (normalised: lower
#: case, spaces and hyphens as ``_``). Without one, the last column holds the repository.
URL_COLUMNS = ("repo_url", "github_repo", "repository", "repo", "url", "github_url", "github")
GROUP_COLUMNS = ("group_number", "group_nb", "group_no", "group_nr", "group", "group_id")
_STUDENT_COLUMN = re.compile(r"^student_?\d+$")
_BARE_GITHUB = re.compile(r"^(?:www\.)?github\.com/", re.IGNORECASE)


@dataclass(frozen=True)
class BatchEntry:
    """One repository to audit. ``target`` is a clone URL or an absolute local path
    ("" when the class list names a group without a repository)."""

    target: str
    group: str | None = None
    students: tuple[str, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        """The target as shown in outputs (no password or token)."""

        return redact_url(self.target) if self.target else ""

    @property
    def key(self) -> str:
        """A normalised form of the target: the identity used for shards and file names."""

        return normalise_target(self.target) if self.target else f"group:{self.group or ''}"

    @property
    def name(self) -> str:
        """A file-system safe, unique name: readable tail of the target plus a short hash."""

        return safe_name(self.key)

    def to_dict(self) -> dict[str, object]:
        return {
            "target": self.label,
            "group": self.group,
            "students": list(self.students),
            "name": self.name,
        }


def normalise_target(target: str) -> str:
    """URLs lose a trailing ``/`` and ``.git`` and get a lower-case scheme and host."""

    text = target.strip()
    if is_clone_url(text) and "://" in text:
        scheme, rest = text.split("://", 1)
        host, _, path = rest.partition("/")
        path = path.rstrip("/").removesuffix(".git")
        return f"{scheme.lower()}://{host.lower()}/{path}"
    return text.rstrip("/").removesuffix(".git") if is_clone_url(text) else text.rstrip("/")


def safe_name(key: str) -> str:
    tail = re.split(r"[/:]+", key.removesuffix(".git").rstrip("/"))
    parts = [p for p in tail if p and p not in (".", "..")][-2:]
    readable = re.sub(r"[^A-Za-z0-9._+-]+", "_", "+".join(parts)).strip("._") or "repo"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    return f"{readable[:80]}-{digest}"


def _target(raw: str, base: Path) -> str:
    text = raw.strip()
    if not text:
        return ""
    if _BARE_GITHUB.match(text):
        return "https://" + text
    if is_clone_url(text):
        return text
    path = Path(text).expanduser()
    return str(path if path.is_absolute() else (base / path).absolute())


def _decode(data: bytes, label: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{label}: cannot decode the class list")


def _column(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def _header(line: str) -> list[str] | None:
    """The CSV header's normalised names when ``line`` is a class-list header: one that
    names a repository column, or starts with a group column (``group_nb, student 1, ...``)."""

    names = [_column(c) for c in next(csv.reader([line]), [])]
    if any(n in URL_COLUMNS for n in names):
        return names
    if len(names) >= 2 and names[0] in GROUP_COLUMNS:
        return names
    return None


def _from_csv(text: str, base: Path, label: str) -> list[BatchEntry]:
    reader = csv.reader(io.StringIO(text))
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    header = [_column(c) for c in rows[0]]
    url_col = next((header.index(n) for n in URL_COLUMNS if n in header), len(header) - 1)
    group_col = next((header.index(n) for n in GROUP_COLUMNS if n in header), None)
    student_cols = [i for i, n in enumerate(header) if _STUDENT_COLUMN.match(n)]
    entries = []
    for row in rows[1:]:
        if row[0].lstrip().startswith("#"):
            continue

        def cell(i: int | None, row: list[str] = row) -> str:
            return row[i].strip() if i is not None and i < len(row) else ""

        students = tuple(s for s in (cell(i) for i in student_cols) if s)
        group = cell(group_col) or None
        target = _target(cell(url_col), base)
        if not target and group is None:
            continue
        entries.append(BatchEntry(target, group, students))
    if not entries:
        raise InputError(f"{label}: the class list has no rows")
    return entries


def _from_lines(text: str, base: Path) -> list[BatchEntry]:
    entries = []
    for line in text.splitlines():
        stripped = re.sub(r"\s+#.*$", "", line).strip()
        if not stripped or stripped.startswith("#"):
            continue
        entries.append(BatchEntry(_target(stripped, base)))
    return entries


def dedupe(entries: list[BatchEntry]) -> list[BatchEntry]:
    """Entries in order, each target once (a repository listed twice is audited once)."""

    seen: set[str] = set()
    out = []
    for entry in entries:
        if entry.key in seen:
            continue
        seen.add(entry.key)
        out.append(entry)
    return out


def parse_class_list(text: str, base: Path, label: str = "class list") -> list[BatchEntry]:
    """Entries from a class list's text; relative paths are taken relative to ``base``."""

    first = next(
        (ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")), None
    )
    if first is None:
        raise InputError(f"{label}: the class list is empty")
    if _header(first) is not None:
        return dedupe(_from_csv(text, base, label))
    entries = _from_lines(text, base)
    if not entries:
        raise InputError(f"{label}: the class list is empty")
    return dedupe(entries)


def read_class_list(path: str | Path) -> list[BatchEntry]:
    """Read a ``group_info.csv`` or a plain list of URLs and paths. Raises InputError."""

    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read class list {path}: {exc.strerror or exc}") from exc
    return parse_class_list(_decode(data, str(path)), file.parent.absolute(), str(path))


def org_entries(
    gh: github.Github, org: str, *, match: str | None = None, include_archived: bool = False
) -> list[BatchEntry]:
    """The repositories of the GitHub organisation ``org`` (``GET /orgs/{org}/repos``),
    sorted by name; ``match`` is a case-insensitive glob on the repository name."""

    import github as gh_module
    from github.PaginatedList import PaginatedList
    from github.Repository import Repository

    try:
        # Straight to ``GET /orgs/{org}/repos`` (``get_organization`` would fetch the
        # organisation first); every page is followed.
        repos = list(
            PaginatedList(
                Repository,
                gh.requester,
                f"/orgs/{quote(org, safe='')}/repos",
                {"type": "all", "per_page": gh.per_page},
            )
        )
    except gh_module.GithubException as exc:
        message = exc.data.get("message") if isinstance(exc.data, dict) else None
        raise InputError(
            f"cannot list organisation {org}: {exc.status} {message or ''}".strip()
        ) from exc
    except OSError as exc:
        raise InputError(f"cannot list organisation {org}: {exc}") from exc
    entries = []
    for repo in sorted(repos, key=lambda r: r.name.lower()):
        if match and not fnmatch.fnmatch(repo.name.lower(), match.lower()):
            continue
        if repo.archived and not include_archived:
            continue
        entries.append(BatchEntry(repo.clone_url, group=repo.name))
    return dedupe(entries)
