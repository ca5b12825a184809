"""Build a demo class from the bundled sample group, run ``verifier batch`` over it and take
a screenshot of the real dashboard page in headless Chromium (``docs/dashboard.png``).

The class is made up, so nothing about a real group appears in the picture: the sample
group as it is, and variants that drop a Dockerfile or the tests, tick items they did not
do, untick what they did, or have no report at all.

    .venv/bin/python scripts/dashboard_demo.py [--out DIR] [--png docs/dashboard.png]
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import git

from verifier.batch.classlist import BatchEntry
from verifier.batch.runner import PlainProgress, run_batch

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sample-group"
IGNORE = shutil.ignore_patterns(".ruff_cache", "__pycache__", ".pytest_cache")
REPORT = "reports/README.md"


def _tick(report: str, words: str, ticked: bool) -> str:
    mark = "x" if ticked else " "
    return re.sub(rf"\* \[[ xX]\] ({re.escape(words)})", rf"* [{mark}] \1", report)


def _no_docker(root: Path) -> None:
    shutil.rmtree(root / "dockerfiles")


def _no_tests(root: Path) -> None:
    shutil.rmtree(root / "tests")


def _overclaims(root: Path) -> None:
    path = root / REPORT
    text = path.read_text(encoding="utf-8")
    for words in ("Setup monitoring", "Create a frontend", "Use load testing"):
        text = _tick(text, words, True)
    path.write_text(text, encoding="utf-8")


def _modest(root: Path) -> None:
    path = root / REPORT
    text = path.read_text(encoding="utf-8")
    for words in ("Write unit tests", "Setup version control for your data"):
        text = _tick(text, words, False)
    path.write_text(text, encoding="utf-8")


def _no_report(root: Path) -> None:
    (root / REPORT).unlink()


VARIANTS: dict[str, list[Callable[[Path], None]]] = {
    "1": [],
    "2": [_no_docker],
    "3": [_no_tests, _overclaims],
    "4": [_modest],
    "5": [_overclaims],
    "6": [_no_report],
}


def build_class(base: Path) -> list[BatchEntry]:
    entries = []
    for group, changes in VARIANTS.items():
        root = base / f"group-{group}"
        shutil.copytree(SAMPLE, root, ignore=IGNORE)
        for change in changes:
            change(root)
        repo = git.Repo.init(root, initial_branch="main")
        with repo.config_writer() as cfg:
            cfg.set_value("user", "name", f"Group {group}")
            cfg.set_value("user", "email", f"group{group}@example.org")
        repo.git.add("-A")
        repo.index.commit("project")
        entries.append(BatchEntry(str(root), group=group, students=("s1", "s2", "s3")))
    return entries


def screenshot(page: Path, png: Path, width: int = 1400, height: int = 760) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("no chromium on PATH: install Debian's chromium to take the picture")
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={png}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="keep the batch output here")
    parser.add_argument("--png", type=Path, default=Path("docs/dashboard.png"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        entries = build_class(Path(tmp) / "class")
        out = args.out or Path(tmp) / "out"
        summary = run_batch(entries, out, jobs=2, progress=PlainProgress(io.StringIO()))
        screenshot(out / "index.html", args.png)
    sys.stdout.write(f"{summary.ok} groups audited, {summary.failed} failed; {args.png}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
