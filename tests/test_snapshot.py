"""Snapshots of plain directories, working trees, bare repositories and clones."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import (
    Link,
    checkout,
    commit_files,
    create_branch,
    make_bare,
    make_repo,
    make_tree,
    merge,
)

from verifier.repo import textdecode
from verifier.repo.snapshot import (
    HAS_LIBYAML,
    ParsedDoc,
    SnapshotError,
    glob_regex,
    normalize_path,
    open_snapshot,
    parse_toml,
    parse_yaml,
    parse_yaml_all,
    redact_url,
)

# --------------------------------------------------------------------------- targets


def test_plain_directory_lists_files_and_skips_git_and_caches(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path,
        {
            "README.md": "# hi\n",
            "src/app/main.py": "print('x')\n",
            "vendored/.git/config": "[core]\n",
            "src/__pycache__/main.cpython-311.pyc": b"\x00pyc",
            "env/pyvenv.cfg": "home = /usr\n",
            "env/lib/site.py": "x = 1\n",
        },
    )
    snap = open_snapshot(root)
    assert snap.kind == "directory"
    assert snap.commit is None and snap.ref is None and snap.commit_date is None
    assert snap.files() == ["README.md", "src/app/main.py"]
    reasons = {s.path: s.reason for s in snap.skipped}
    assert reasons["vendored/.git/"] == "directory not read (git metadata)"
    assert reasons["env/"] == "directory not read (virtual environment)"
    assert "src/__pycache__/" in reasons
    assert snap.text("src/app/main.py") == "print('x')\n"
    assert snap.history.commit_count == 0 and not snap.history.available
    assert snap.branches_holding("README.md") == []


def test_plain_directory_rejects_ref_and_deadline(tmp_path: Path) -> None:
    root = make_tree(tmp_path, {"a.txt": "a"})
    with pytest.raises(SnapshotError, match="not a git repository"):
        open_snapshot(root, ref="main")


def test_worktree_reads_commit_not_work_tree(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"a.py": "committed\n", "gone.py": "tracked\n"})
    root = Path(repo.working_tree_dir or "")
    (root / "a.py").write_text("modified, not committed\n")
    (root / "untracked.py").write_text("new\n")
    (root / "gone.py").unlink()
    snap = open_snapshot(root)
    assert snap.kind == "worktree"
    assert snap.ref == "main"
    assert snap.commit == repo.head.commit.hexsha
    assert snap.commit_date == datetime(2026, 1, 5, 12, tzinfo=UTC)
    assert snap.files() == ["a.py", "gone.py"]
    assert snap.text("a.py") == "committed\n"
    assert snap.text("gone.py") == "tracked\n"
    assert snap.text("untracked.py") is None
    assert snap.label == str(root)
    snap.close()
    snap.close()  # idempotent


def test_bare_repository(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"src/x.py": "x = 1\n"})
    bare = make_bare(repo, tmp_path / "bare.git")
    with open_snapshot(bare) as snap:
        assert snap.kind == "bare"
        assert snap.files() == ["src/x.py"]
        assert snap.ref == "main"
        assert snap.lines("src/x.py") == ["x = 1"]


def test_clone_from_file_url(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"README.md": "hello\n"})
    create_branch(repo, "feature", checkout=True)
    commit_files(repo, {"feature.py": "f = 1\n"})
    checkout(repo, "main")
    url = Path(repo.working_tree_dir or "").as_uri()
    snap = open_snapshot(url)
    clone_path = Path(snap.git_repo.git_dir)  # type: ignore[union-attr]
    assert snap.kind == "clone"
    assert snap.label == url
    assert snap.ref == "main"
    assert snap.files() == ["README.md"]
    assert snap.history.branches == ["feature"]
    assert snap.branches_holding("feature.py") == ["feature"]
    assert clone_path.exists()
    snap.close()
    assert not clone_path.exists()  # the temporary clone is removed


def test_clone_into_given_dir_is_kept_and_reused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"a.txt": "a\n"})
    url = Path(repo.working_tree_dir or "").as_uri()
    dest = tmp_path / "clones" / "g1"
    with open_snapshot(url, clone_dir=dest, ref="main") as snap:
        assert snap.files() == ["a.txt"]
    assert (dest / "HEAD").is_file()
    commit_files(repo, {"b.txt": "b\n"})
    with open_snapshot(url, clone_dir=dest) as again:  # reused, not refetched
        assert again.files() == ["a.txt"]


def test_clone_failure_and_bad_scheme(tmp_path: Path) -> None:
    missing = (tmp_path / "nope").as_uri()
    with pytest.raises(SnapshotError, match=r"clone of .* failed"):
        open_snapshot(missing)
    with pytest.raises(SnapshotError, match="unsupported URL scheme"):
        open_snapshot("ftp://example.com/repo.git")
    (tmp_path / "occupied").mkdir()
    (tmp_path / "occupied" / "x").write_text("x")
    with pytest.raises(SnapshotError, match="not an earlier clone"):
        open_snapshot(missing, clone_dir=tmp_path / "occupied")


def test_redact_url_hides_tokens() -> None:
    assert (
        redact_url("https://user:secret@github.com/a/b.git")
        == "https://user:***@github.com/a/b.git"
    )
    assert redact_url("https://github.com/a/b.git") == "https://github.com/a/b.git"


def test_nonexistent_path_and_regular_file(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="does not exist"):
        open_snapshot(tmp_path / "missing")
    f = tmp_path / "f.txt"
    f.write_text("x")
    with pytest.raises(SnapshotError, match="not a directory"):
        open_snapshot(f)


def test_empty_repository(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, None)
    with pytest.raises(SnapshotError, match="no commits"):
        open_snapshot(repo.working_tree_dir or "")


# --------------------------------------------------------------------------- refs and deadlines


@pytest.fixture
def three_commits(tmp_path: Path):
    repo = make_repo(tmp_path, {"v.txt": "1\n"}, date="2026-01-01T10:00:00+00:00")
    second = commit_files(repo, {"v.txt": "2\n"}, date="2026-01-10T10:00:00+00:00")
    repo.create_tag("v2")
    third = commit_files(repo, {"v.txt": "3\n"}, date="2026-01-20T10:00:00+00:00")
    create_branch(repo, "dev", checkout=True)
    dev = commit_files(repo, {"v.txt": "dev\n", "dev.py": "d\n"}, date="2026-01-21T10:00:00+00:00")
    checkout(repo, "main")
    return repo, second, third, dev


def test_ref_branch_tag_sha(three_commits) -> None:
    repo, second, third, dev = three_commits
    root = repo.working_tree_dir
    with open_snapshot(root, ref="dev") as snap:
        assert (snap.commit, snap.ref, snap.text("v.txt")) == (dev, "dev", "dev\n")
    with open_snapshot(root, ref="v2") as snap:
        assert (snap.commit, snap.ref, snap.text("v.txt")) == (second, "v2", "2\n")
    with open_snapshot(root, ref=second[:10]) as snap:
        assert (snap.commit, snap.ref) == (second, None)
    with open_snapshot(root) as snap:
        assert (snap.commit, snap.ref, snap.commits_after_deadline) == (third, "main", None)


@pytest.mark.parametrize("ref", ["nope", "-x", "--output=/tmp/x", "", "main..dev"])
def test_bad_ref(three_commits, ref: str) -> None:
    repo = three_commits[0]
    with pytest.raises(SnapshotError):
        open_snapshot(repo.working_tree_dir, ref=ref)


def test_deadline_picks_last_commit_before_and_counts_later(three_commits) -> None:
    repo, second, third, _ = three_commits
    root = repo.working_tree_dir
    cet = timezone(timedelta(hours=1))
    # 2026-01-15 00:00 CET: after the second commit, before the third.
    with open_snapshot(root, deadline=datetime(2026, 1, 15, tzinfo=cet)) as snap:
        assert snap.commit == second
        assert snap.text("v.txt") == "2\n"
        assert snap.commits_after_deadline == 1
        assert snap.commit_date == datetime(2026, 1, 10, 10, tzinfo=UTC)
    # exactly at the third commit's time: included ("at or before").
    exact = datetime(2026, 1, 20, 10, tzinfo=UTC)
    with open_snapshot(root, deadline=exact) as snap:
        assert (snap.commit, snap.commits_after_deadline) == (third, 0)
    # on another ref
    with open_snapshot(root, ref="dev", deadline=datetime(2026, 2, 1, tzinfo=UTC)) as snap:
        assert snap.text("dev.py") == "d\n" and snap.commits_after_deadline == 0
    with pytest.raises(SnapshotError, match="no commit on main at or before"):
        open_snapshot(root, deadline=datetime(2025, 1, 1, tzinfo=UTC))
    with pytest.raises(SnapshotError, match="time zone"):
        open_snapshot(root, deadline=datetime(2026, 1, 15))


def test_deadline_follows_first_parent(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"a": "1"}, date="2026-01-01T00:00:00+00:00")
    create_branch(repo, "side", checkout=True)
    side = commit_files(repo, {"s": "s"}, date="2026-01-03T00:00:00+00:00")
    checkout(repo, "main")
    base = commit_files(repo, {"b": "b"}, date="2026-01-02T00:00:00+00:00")
    merge(repo, "side", date="2026-01-05T00:00:00+00:00")
    snap = open_snapshot(repo.working_tree_dir, deadline=datetime(2026, 1, 4, tzinfo=UTC))
    # the side-branch commit (Jan 3) is not on main's first-parent line
    assert snap.commit == base != side
    assert snap.commits_after_deadline == 1


# --------------------------------------------------------------------------- skipping and safety


def test_binary_posing_as_python_and_large_file(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {"evil.py": b"import os\x00\x01\x02binary", "big.csv": "x," * 600, "ok.py": "ok\n"},
    )
    snap = open_snapshot(repo.working_tree_dir, max_file_bytes=1000)
    assert snap.files() == ["evil.py", "ok.py"]
    assert snap.glob("*.csv") == []
    assert snap.glob("*.csv", include_skipped=True) == ["big.csv"]
    assert snap.exists("big.csv") and not snap.is_file("big.csv")
    assert snap.size("big.csv") == 1200
    assert snap.read_bytes("big.csv") is None and snap.text("big.csv") is None
    assert snap.read_bytes("evil.py") is not None
    assert snap.text("evil.py") is None
    assert snap.lines("evil.py") == []
    reasons = {s.path: s.reason for s in snap.skipped}
    assert reasons == {"big.csv": "too large (1200 bytes)", "evil.py": "binary"}
    assert snap.why_unreadable("evil.py") == "binary"
    assert snap.yaml("big.csv").error == "big.csv: too large (1200 bytes)"
    assert snap.why_unreadable("ok.py") is None
    assert snap.why_unreadable("nope.py") == "not found"


def test_symlinks_in_git_are_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("SECRET\n")
    repo = make_repo(
        tmp_path,
        {
            "real.txt": "inside\n",
            "passwd": Link("/etc/passwd"),
            "secret": Link(str(outside)),
            "up": Link("../../secret.txt"),
            "alias.txt": Link("real.txt"),
        },
    )
    snap = open_snapshot(repo.working_tree_dir)
    assert snap.files() == ["real.txt"]
    assert snap.all_paths() == ["alias.txt", "passwd", "real.txt", "secret", "up"]
    for link in ("passwd", "secret", "up", "alias.txt"):
        assert snap.read_bytes(link) is None
        assert snap.text(link) is None
        assert snap.exists(link)
    reasons = {s.path: s.reason for s in snap.skipped}
    assert reasons["passwd"].startswith("symlink outside the snapshot")
    assert reasons["up"].startswith("symlink outside the snapshot")
    assert reasons["alias.txt"] == "symlink (-> real.txt), not followed"
    assert all("SECRET" not in (snap.text(p) or "") for p in snap.all_paths())


def test_symlinks_in_plain_directory(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("SECRET\n")
    root = make_tree(
        tmp_path,
        {
            "a/real.txt": "inside\n",
            "passwd": Link("/etc/passwd"),
            "leak": Link(str(outside / "secret.txt")),
            "leakdir": Link(str(outside)),
            "a/loop": Link(".."),  # a directory loop
            "a/self": Link("self"),
            "alias.txt": Link("a/real.txt"),
        },
    )
    snap = open_snapshot(root)
    assert snap.files() == ["a/real.txt"]
    reasons = {s.path: s.reason for s in snap.skipped}
    assert reasons["passwd"].startswith("symlink outside the snapshot")
    assert reasons["leak"].startswith("symlink outside the snapshot")
    assert reasons["leakdir"].startswith("symlink outside the snapshot")
    assert reasons["a/loop"].startswith("symlink (")
    assert "a/self" in reasons
    assert snap.read_bytes("leak") is None and snap.read_bytes("passwd") is None
    assert snap.read_bytes("leakdir/secret.txt") is None
    assert snap.read_bytes("a/loop/a/real.txt") is None
    assert snap.read_bytes("../outside/secret.txt") is None
    assert snap.text("a/real.txt") == "inside\n"


def test_plain_directory_file_swapped_for_link_after_listing(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("SECRET\n")
    root = make_tree(tmp_path, {"d/x.txt": "x\n"})
    snap = open_snapshot(root)
    (root / "d" / "x.txt").unlink()
    os.symlink(outside, root / "d" / "x.txt")
    assert snap.read_bytes("d/x.txt") is None


def test_submodule_is_listed_not_read(tmp_path: Path) -> None:
    inner = make_repo(tmp_path, {"inner.py": "i\n"}, name="inner")
    repo = make_repo(tmp_path, {"a.txt": "a\n"})
    sha = inner.head.commit.hexsha
    repo.git.update_index("--add", "--cacheinfo", f"160000,{sha},vendor/inner")
    commit_files(repo, {}, message="add submodule")
    snap = open_snapshot(repo.working_tree_dir)
    assert snap.files() == ["a.txt"]
    assert {s.path: s.reason for s in snap.skipped} == {
        "vendor/inner": f"submodule (commit {sha[:12]})"
    }
    assert snap.is_dir("vendor")


# --------------------------------------------------------------------------- text decoding


def test_decoding_crlf_bom_latin1_utf16(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "crlf.txt": "a\r\nb\r\n",
            "cr.txt": "a\rb\rc",
            "bom.txt": b"\xef\xbb\xbfhello\n",
            "latin.txt": "caf\u00e9 \u2013 ok\n".encode("cp1252"),
            "latin1.txt": b"\x81\x8d ctrl\n",
            "utf16.txt": "torch==2.1\r\n".encode("utf-16"),
            "ff.txt": "a\x0cb\nc\u2028d\n",
        },
    )
    snap = open_snapshot(repo.working_tree_dir)
    assert snap.lines("crlf.txt") == ["a", "b"]
    assert snap.lines("cr.txt") == ["a", "b", "c"]
    assert snap.text("bom.txt") == "hello\n" and snap.encoding("bom.txt") == "utf-8-sig"
    assert (
        snap.text("latin.txt") == "caf\u00e9 \u2013 ok\n" and snap.encoding("latin.txt") == "cp1252"
    )
    assert snap.encoding("latin1.txt") == "latin-1"
    assert snap.lines("utf16.txt") == ["torch==2.1"] and snap.encoding("utf16.txt") == "utf-16"
    # form feed and Unicode separators do not break lines (line numbers match editors)
    assert snap.lines("ff.txt") == ["a\x0cb", "c\u2028d"]
    assert [s.path for s in snap.skipped] == []


def test_decode_text_helpers() -> None:
    assert textdecode.decode_text(b"plain") == ("plain", "utf-8")
    assert textdecode.decode_text("\ufeffx".encode()) == ("x", "utf-8-sig")
    assert textdecode.is_binary(b"ab\x00c")
    assert not textdecode.is_binary("x".encode("utf-16"))
    assert not textdecode.is_binary(b"a" * 9000 + b"\x00")  # beyond the sniffed prefix
    assert textdecode.split_lines("") == []
    assert textdecode.split_lines("a\n\nb") == ["a", "", "b"]
    assert textdecode.split_lines("a\n\n") == ["a", ""]


# --------------------------------------------------------------------------- YAML and TOML


def test_yaml_and_toml_parsing(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "ok.yaml": "name: ci\non:\n  push: {}\njobs: [a, b]\n",
            "multi.yaml": "a: 1\n---\nb: 2\n",
            "bad.yaml": "a: 1\nb: [1, 2\nc: 3\n",
            "tabs.yaml": "a:\n\t- b\n",
            "pyproject.toml": '[project]\nname = "g"\ndependencies = ["torch"]\n',
            "bad.toml": '[project]\nname = "g"\nname = "h"\n',
            "python.yaml": "x: !!python/object/apply:os.system ['true']\n",
        },
    )
    snap = open_snapshot(repo.working_tree_dir)
    doc = snap.yaml("ok.yaml")
    assert doc.ok and doc.value == {"name": "ci", True: {"push": {}}, "jobs": ["a", "b"]}
    assert snap.yaml("ok.yaml") is doc  # cached
    assert snap.yaml_all("multi.yaml").value == [{"a": 1}, {"b": 2}]
    assert snap.yaml("multi.yaml").error is not None  # one document expected
    bad = snap.yaml("bad.yaml")
    assert bad.value is None and bad.error is not None
    assert bad.error.startswith("invalid YAML at line 3:")
    assert snap.yaml("tabs.yaml").error.startswith("invalid YAML at line 2")  # type: ignore[union-attr]
    assert snap.yaml("python.yaml").error.startswith("invalid YAML at line 1")  # type: ignore[union-attr]
    assert snap.toml("pyproject.toml").value["project"]["dependencies"] == ["torch"]
    bad_toml = snap.toml("bad.toml")
    assert bad_toml.value is None
    assert bad_toml.error is not None and bad_toml.error.startswith("invalid TOML at line 3:")
    assert snap.toml("missing.toml") == ParsedDoc(None, "missing.toml: not found")


LOADERS = pytest.mark.parametrize("fast", [False, True] if HAS_LIBYAML else [False])


@LOADERS
def test_yaml_alias_bomb_is_refused_quickly(fast: bool) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    bomb = "\n".join(lines) + "\n"
    doc = parse_yaml(bomb, fast=fast)
    assert doc.value is None
    assert doc.error is not None and "aliases expand to more than" in doc.error
    # the same bomb split over documents is refused too
    multi = parse_yaml_all("\n---\n".join([bomb] * 2), fast=fast)
    assert multi.value is None
    # a few honest aliases are fine
    assert parse_yaml("base: &b {x: 1}\nother: *b\n", fast=fast).value == {
        "base": {"x": 1},
        "other": {"x": 1},
    }


@LOADERS
def test_yaml_recursive_alias_and_deep_nesting(fast: bool) -> None:
    rec = parse_yaml("a: &a [1, *a]\n", fast=fast)
    assert rec.error is not None and "recursive alias" in rec.error
    deep = parse_yaml("[" * 5000 + "]" * 5000, fast=fast)
    assert deep.value is None and deep.error is not None and "nested more than" in deep.error
    deep_map = parse_yaml(
        "".join("  " * i + f"k{i}:\n" for i in range(300)) + "  " * 300 + "v\n", fast=fast
    )
    assert deep_map.error is not None and "nested" in deep_map.error
    ok = parse_yaml("[" * 50 + "]" * 50, fast=fast)
    assert ok.ok


@LOADERS
def test_yaml_huge_integer_and_unhashable_key_do_not_raise(fast: bool) -> None:
    assert parse_yaml("x: " + "9" * 10000 + "\n", fast=fast).error is not None
    assert parse_yaml("? [1, 2]\n: x\n", fast=fast).error is not None  # a list as a key
    assert parse_yaml("{[1]: 2}", fast=fast).error is not None
    assert parse_yaml("", fast=fast) == ParsedDoc(None, None)
    assert parse_yaml("a: 1\nb: [1, 2\nc: 3\n", fast=fast).error.startswith(  # type: ignore[union-attr]
        "invalid YAML at line 3:"
    )


def test_toml_deep_nesting_does_not_raise() -> None:
    doc = parse_toml("x = " + "[" * 5000 + "]" * 5000 + "\n")
    assert doc.value is None and doc.error is not None


# --------------------------------------------------------------------------- queries


def test_glob_patterns(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "Dockerfile": "FROM x\n",
            "dockerfiles/api.dockerfile": "FROM y\n",
            ".github/workflows/tests.yml": "on: push\n",
            ".github/workflows/sub/x.yml": "on: push\n",
            "tests/test_a.py": "",
            "tests/unit/test_b.py": "",
            "src/pkg/test_c.py": "",
            "setup.py": "",
        },
    )
    snap = open_snapshot(repo.working_tree_dir)
    assert snap.glob(".github/workflows/*.yml") == [".github/workflows/tests.yml"]
    assert snap.glob("**/test_*.py") == [
        "src/pkg/test_c.py",
        "tests/test_a.py",
        "tests/unit/test_b.py",
    ]
    assert snap.glob("tests/**/test_*.py") == ["tests/test_a.py", "tests/unit/test_b.py"]
    assert snap.glob("*.py") == ["setup.py"]
    assert snap.glob("**/*.dockerfile", "**/Dockerfile") == [
        "Dockerfile",
        "dockerfiles/api.dockerfile",
    ]
    assert snap.glob("**/dockerfile", ignore_case=True) == ["Dockerfile"]
    assert snap.glob("tests/**") == ["tests/test_a.py", "tests/unit/test_b.py"]
    assert snap.glob("[st]*/**/*.py") == [
        "src/pkg/test_c.py",
        "tests/test_a.py",
        "tests/unit/test_b.py",
    ]
    assert snap.is_dir("tests") and snap.is_dir("tests/unit/") and not snap.is_dir("test")
    assert snap.is_dir("") and not snap.is_dir("setup.py")
    assert snap.exists("./setup.py") and not snap.exists("../setup.py")
    assert dict(snap.iter_files("*.py")) == {"setup.py": ""}


def test_glob_regex_and_normalize() -> None:
    assert glob_regex("a/*.py").match("a/b.py") and not glob_regex("a/*.py").match("a/b/c.py")
    assert glob_regex("**/x").match("x") and glob_regex("**/x").match("a/b/x")
    assert glob_regex("[!a]").match("b") and not glob_regex("[!a]").match("a")
    assert glob_regex("a[").match("a[")
    assert normalize_path("./a//b/../c") == "a/c"
    assert normalize_path("/a") == "a"
    assert normalize_path("a\\b") == "a/b"
    assert normalize_path("../x") is None and normalize_path("a/../../x") is None


def test_memo_computes_once(tmp_path: Path) -> None:
    root = make_tree(tmp_path, {"a": "1"})
    snap = open_snapshot(root)
    calls: list[int] = []

    def compute() -> list[str]:
        calls.append(1)
        return snap.files()

    first = snap.memo("index", compute)
    assert snap.memo("index", compute) is first
    assert snap.memo("other", lambda: 42) == 42
    assert len(calls) == 1


def test_open_and_read_1000_files(tmp_path: Path) -> None:
    """Timings of this case are in benchmarks/ (bench_audit.py), not asserted here."""
    files = {f"pkg{i // 50}/mod_{i}.py": f"x = {i}\n" for i in range(1000)}
    repo = make_repo(tmp_path, files)
    snap = open_snapshot(repo.working_tree_dir)
    assert len(snap.files()) == 1000
    assert sum(1 for _ in snap.iter_files()) == 1000
    snap.close()


def test_blob_id_is_git_object_id_in_both_kinds(tmp_path: Path) -> None:
    content = "FROM python:3.11\r\nRUN pip install .\n"
    repo = make_repo(tmp_path, {"Dockerfile": content})
    expected = repo.git.hash_object(str(Path(repo.working_tree_dir or "") / "Dockerfile"))
    with open_snapshot(repo.working_tree_dir) as snap:
        assert snap.blob_id("Dockerfile") == expected
        assert snap.blob_id("missing") is None
    plain = make_tree(tmp_path, {"Dockerfile": content})
    assert open_snapshot(plain).blob_id("Dockerfile") == expected


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_repository_of_another_user_gives_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path, {"a": "1"})
    root = Path(repo.working_tree_dir or "")
    repo.close()
    for path in [root, *root.rglob("*")]:
        os.lchown(path, 65534, 65534)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    with pytest.raises(SnapshotError, match="dubious ownership"):
        open_snapshot(root)


def test_head_pointing_nowhere_names_the_branches(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"a": "1"})
    bare = make_bare(repo, tmp_path / "b.git")
    (bare / "HEAD").write_text("ref: refs/heads/master\n")
    with pytest.raises(
        SnapshotError, match=r"points to no commit; choose a ref \(branches: main\)"
    ):
        open_snapshot(bare)
    assert open_snapshot(bare, ref="main").files() == ["a"]


def test_lfs_pointer_is_recognised(tmp_path: Path) -> None:
    pointer = (
        "version https://git-lfs.github.com/spec/v1\n"
        "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
        "size 12345\n"
    )
    repo = make_repo(tmp_path, {"data/train.csv": pointer, "data/ok.csv": "a,b\n"})
    snap = open_snapshot(repo.working_tree_dir)
    assert snap.is_lfs_pointer("data/train.csv")
    assert not snap.is_lfs_pointer("data/ok.csv")
    assert not snap.is_lfs_pointer("data/missing.csv")


def test_missing_object_reads_as_none_and_others_still_read(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"a.txt": "aaa\n", "b.txt": "bbb\n", "c.txt": "ccc\n"})
    oid = repo.git.rev_parse("HEAD:b.txt")
    loose = Path(repo.git_dir) / "objects" / oid[:2] / oid[2:]
    loose.chmod(0o644)
    loose.unlink()
    snap = open_snapshot(repo.working_tree_dir)
    assert snap.text("a.txt") == "aaa\n"
    assert snap.text("b.txt") is None
    assert snap.text("c.txt") == "ccc\n"
    assert snap.why_unreadable("b.txt") == "unreadable (missing object or no permission)"
    assert [s.path for s in snap.skipped] == ["b.txt"]


def test_clone_errors_keep_the_remote_reason() -> None:
    from verifier.repo.sources import first_line

    stderr = (
        "Cloning into bare repository 'x'...\n"
        "error: git-pack-objects died with error\n"
        "remote: fatal: unable to read 1234abcd\n"
        "fatal: early EOF\n"
    )
    assert first_line(stderr) == "remote: fatal: unable to read 1234abcd"
    assert first_line("hint: x\nfatal: not a git repository\n") == "fatal: not a git repository"
