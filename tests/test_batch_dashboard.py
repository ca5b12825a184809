"""The class dashboard: ``index.html`` and one page per group, from a real batch run over
small git repositories (one hostile, one failing) and from hand-written records; checked as
parsed HTML and, where Debian's Chromium is installed, in a real headless browser."""

from __future__ import annotations

import io
import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import ISOLATED_GIT_ENV, make_repo

from verifier.batch.classlist import BatchEntry
from verifier.batch.dashboard import GROUPS_DIR, INDEX_HTML, write_dashboard
from verifier.batch.merge import merge_outputs
from verifier.batch.outputs import result_path, write_json_atomic
from verifier.batch.runner import PlainProgress, run_batch

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_ATTR = '" onmouseover="alert(2)'
XSS_END = "</script><script>alert(3)</script>"

GOOD_REPORT = """\
## Overall project checklist

### Week 1

* [x] Create a git repository (M5)
* [x] Construct one or multiple docker files for your code (M10)
* [x] Get some continuous integration running on the GitHub repository (M17)
* [ ] Create a dedicated environment for you project to keep track of your packages (M2)
"""

HOSTILE_REPORT = f"""\
## Overall project checklist

### Week 1

* [x] Create a git repository (M5)
* [x] Construct one or multiple docker files for your code (M10)
* [x] {XSS_SCRIPT} {XSS_ATTR}
"""


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in ISOLATED_GIT_ENV.items():
        monkeypatch.setenv(key, value)


# --------------------------------------------------------------------------- HTML reading


class Page(HTMLParser):
    """Every start tag with its attributes, the text, and the rows of the class table."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.data: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if tag == "script":
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.data.append(data)

    @property
    def text(self) -> str:
        return "".join(self.data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]

    def rows(self) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == "tr" and a.get("data-order") is not None]


def assert_inert(page: Page, scripts: int) -> None:
    """No script but the dashboard's own, no event handler, no external or scripted URL."""

    assert len(page.scripts) == scripts
    for script in page.scripts:
        assert "alert(" not in script
    for tag, attrs in page.tags:
        assert tag not in ("iframe", "object", "embed", "img", "link", "form", "svg"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name != "src", tag
            if name == "href":
                assert value is not None
                assert "://" not in value and not value.startswith(("//", "javascript:")), value


def read(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- a real batch


#: Class-list order: numbered groups first, then the hostile group's non-numeric label.
ORDER = ("good", "missing", "hostile")


def _batch(tmp_path: Path) -> tuple[Path, dict[str, BatchEntry]]:
    good = make_repo(
        tmp_path,
        {
            "reports/README.md": GOOD_REPORT,
            "dockerfiles/train.dockerfile": "FROM python:3.12-slim\n",
        },
        name="good",
    )
    hostile = make_repo(
        tmp_path,
        {
            "reports/README.md": HOSTILE_REPORT,
            "dockerfiles/api.dockerfile": f"FROM python:3.11-slim AS b{XSS_END}{XSS_ATTR}\n",
        },
        # A directory name holding markup: the repository path shows it.
        name=f"x{XSS_SCRIPT}{XSS_ATTR}",
    )
    entries = {
        "good": BatchEntry(str(good.working_tree_dir), group="1", students=("s1",)),
        "hostile": BatchEntry(
            str(hostile.working_tree_dir), group=f"2{XSS_ATTR}", students=(XSS_SCRIPT,)
        ),
        "missing": BatchEntry(str(tmp_path / "nowhere"), group="3"),
    }
    out = tmp_path / "out"
    run_batch(list(entries.values()), out, jobs=2, progress=PlainProgress(io.StringIO()))
    return out, entries


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, BatchEntry]]:
    saved = {k: os.environ.get(k) for k in ISOLATED_GIT_ENV}
    os.environ.update(ISOLATED_GIT_ENV)
    try:
        return _batch(tmp_path_factory.mktemp("dash"))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_index_has_a_row_per_group_and_a_cell_per_item(batch: Any) -> None:
    out, entries = batch
    page = read(out / INDEX_HTML)
    rows = page.rows()
    assert [r["data-page"] for r in rows] == [entries[k].name for k in ORDER]
    # item columns: the catalog ids present, by module number (M2 < M5 < M10 < M17)
    cols = [a["data-col"] for a in page.find("th") if (a.get("data-col") or "").startswith("i")]
    assert cols == [
        "item:M2.dedicated-environment",
        "item:M5.git-repository",
        "item:M10.dockerfiles",
        "item:M17.ci",
    ]
    cells = [a for a in page.find("td") if "item" in (a.get("class") or "").split()]
    assert len(cells) == 3 * len(cols)
    good, missing, hostile = (cells[i * 4 : i * 4 + 4] for i in range(3))
    assert [c.get("data-verdict") for c in good] == ["absent", "verified", "verified", "mismatch"]
    assert good[3]["class"] == "item v-mismatch" and good[1]["class"] == "item v-verified"
    # the hostile report has no M2 or M17 box: those cells say "not in the report"
    assert [c["class"] for c in hostile] == [
        "item v-none",
        "item v-verified",
        "item v-verified",
        "item v-none",
    ]
    assert all(c["class"] == "item v-none" for c in missing)
    assert [r["data-mismatch"] for r in rows] == ["1", "0", "0"]  # good, missing, hostile
    assert "cannot" in page.text or "not" in page.text  # the error record's reason is shown
    assert "only groups with mismatches" in page.text
    for verdict in ("verified", "weak", "mismatch", "unclaimed", "absent", "manual", "error"):
        assert page.find("span", **{"class": f"badge v-{verdict}"}), verdict  # the legend


def test_links_lead_to_group_pages_that_exist(batch: Any) -> None:
    out, entries = batch
    page = read(out / INDEX_HTML)
    hrefs = [a["href"] for a in page.find("a") if (a.get("href") or "").startswith(GROUPS_DIR)]
    pages = {h.split("#")[0] for h in hrefs}
    assert len(pages) == 3
    for href in pages:
        target = out / href
        assert target.is_file(), href
        assert read(target).find("a", href="../index.html")
    # a cell links to its finding's row on the group page
    good = out / GROUPS_DIR / f"{entries['good'].name}.html"
    group = read(good)
    assert group.find("tr", id="item-M17.ci", **{"class": "f-mismatch"})
    assert group.find("ul", id="flags") and group.find("a", href="#item-M17.ci")  # to look at
    assert f"{GROUPS_DIR}/{entries['good'].name}.html#item-M17.ci" in hrefs
    assert "FROM python:3.12-slim" in group.text  # evidence: the line itself
    assert "dockerfiles/train.dockerfile:1" in group.text  # and where it is
    missing = read(out / GROUPS_DIR / f"{entries['missing'].name}.html")
    assert missing.find("div", id="error") and "Not audited" in missing.text


def test_hostile_strings_are_text_not_markup(batch: Any) -> None:
    out, entries = batch
    index = read(out / INDEX_HTML)
    assert_inert(index, scripts=1)
    assert f"x{XSS_SCRIPT}{XSS_ATTR}" in index.text  # the repository path, as text
    assert f"2{XSS_ATTR}" in index.text  # the group label, as text
    group = read(out / GROUPS_DIR / f"{entries['hostile'].name}.html")
    assert_inert(group, scripts=0)
    assert f"{XSS_SCRIPT} {XSS_ATTR}" in group.text  # the report item
    assert f"b{XSS_END}{XSS_ATTR}" in group.text  # the evidence line
    raw = (out / GROUPS_DIR / f"{entries['hostile'].name}.html").read_text()
    assert "<script" not in raw and "</script" not in raw


def _record(name: str, group: str, **result: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "snapshot": {"commit": "a" * 40, "skipped": []},
        "counts": {},
        "findings": [],
        "claims": [],
        "report": {"path": "reports/README.md", "problems": []},
    }
    base.update(result)
    return {
        "record_version": 1,
        "entry": {"target": f"/repos/{name}", "group": group, "students": [], "name": name},
        "status": "ok",
        "error": None,
        "error_kind": None,
        "result": base,
    }


def test_every_field_of_a_hand_written_record_is_escaped(tmp_path: Path) -> None:
    evil = f"{XSS_SCRIPT}{XSS_ATTR}{XSS_END}"
    evidence = {"path": evil, "line": 3, "text": evil, "why": evil, "origin": evil}
    finding = {
        "id": "M8.data-version-control",
        "title": evil,
        "line": 9,
        "text": evil,
        "tick": "ticked",
        "verdict": "mismatch",
        "summary": evil,
        "evidence": [evidence],
        "checked": [evil],
        "error": evil,
    }
    claim = {"line": 40, "kind": evil, "quote": evil, "verdict": "inconsistent"}
    claim.update(expected=evil, observed=evil, why=evil, evidence=[evidence])
    record = _record(
        "../../evil",
        evil,
        counts={"mismatch": 1},
        findings=[finding],
        claims=[claim],
        snapshot={"commit": evil, "ref": evil, "skipped": [{"path": evil, "reason": evil}]},
        report={"path": evil, "problems": [evil], "generation": evil},
    )
    record["entry"]["target"] = evil
    failed = _record("broken", evil)
    failed.update(status="error", error=evil, error_kind=evil, result=None)
    out = tmp_path / "out"
    write_json_atomic(result_path(out, "evil"), record)
    write_json_atomic(result_path(out, "broken"), failed)
    index_path = write_dashboard(out)
    index = read(index_path)
    assert_inert(index, scripts=1)
    assert index.text.count(evil) >= 3  # group, repository, error
    pages = sorted((out / GROUPS_DIR).glob("*.html"))
    assert len(pages) == 2 and all(p.parent == out / GROUPS_DIR for p in pages)
    assert not (tmp_path / "evil.html").exists()  # a record's name never leaves groups/
    for path in pages:
        page = read(path)
        assert_inert(page, scripts=0)
        assert evil in page.text
    evil_page = next(read(p) for p in pages if "broken" not in p.name)
    # quote, expected, observed, why, kind, path, line text, evidence twice, skipped, problem
    assert evil_page.text.count(evil) >= 12


def test_empty_out_dir_and_stale_pages(tmp_path: Path) -> None:
    out = tmp_path / "out"
    index = read(write_dashboard(out))
    assert index.rows() == [] and index.find("table", id="class-table")
    write_json_atomic(result_path(out, "a"), _record("a", "1"))
    write_json_atomic(result_path(out, "b"), _record("b", "2"))
    write_dashboard(out)
    assert sorted(p.name for p in (out / GROUPS_DIR).iterdir()) == ["a.html", "b.html"]
    (out / "results" / "b.json").unlink()
    write_dashboard(out)
    assert sorted(p.name for p in (out / GROUPS_DIR).iterdir()) == ["a.html"]


def test_merge_writes_the_dashboard(tmp_path: Path) -> None:
    shard = tmp_path / "shard"
    write_json_atomic(result_path(shard, "a"), _record("a", "7"))
    merge_outputs([shard], tmp_path / "all")
    page = read(tmp_path / "all" / INDEX_HTML)
    assert [r["data-page"] for r in page.rows()] == ["a"]
    assert (tmp_path / "all" / GROUPS_DIR / "a.html").is_file()


# --------------------------------------------------------------------------- in Chromium


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name) or (
            f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None
        )
        if found:
            return found
    return None


CHROMIUM = _chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not installed; .ci/run installs it with apt-get when it can"
)


def dump_dom(url: str, profile: Path) -> Page:
    """The DOM after load (the page's script has run) in real headless Chromium."""

    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",  # running as root in CI containers
        "--disable-gpu",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--dump-dom",
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "<html" in done.stdout, done.stderr[-2000:]
    return Page(done.stdout)


def _sorted_pages(page: Page) -> list[str | None]:
    return [r["data-page"] for r in page.rows()]


@needs_chromium
def test_chromium_renders_sorts_filters_and_opens_a_group_page(batch: Any, tmp_path: Path) -> None:
    out, entries = batch
    url = (out / INDEX_HTML).as_uri()
    names = [entries[k].name for k in ORDER]
    page = dump_dom(url, tmp_path / "p1")
    assert page.find("html", **{"data-ready": "1"})  # the script ran to its end
    assert _sorted_pages(page) == names
    assert len([a for a in page.find("td") if "item" in (a.get("class") or "")]) == 12
    assert all(r.get("hidden") is None for r in page.rows())
    # sorting: the page clicks the header named by ?sort= on load, as a person would
    # group labels compare as numbers first: 1, 2" onmouseover..., 3
    by_group = [entries[k].name for k in ("good", "hostile", "missing")]
    page = dump_dom(url + "?sort=group", tmp_path / "p2")
    assert _sorted_pages(page) == by_group
    assert page.find("th", **{"data-col": "group", "aria-sort": "ascending"})
    page = dump_dom(url + "?sort=group&dir=desc", tmp_path / "p2")
    assert _sorted_pages(page) == list(reversed(by_group))
    assert page.find("th", **{"data-col": "group", "aria-sort": "descending"})
    page = dump_dom(url + "?sort=item:M17.ci", tmp_path / "p3")  # mismatch ranks first
    assert _sorted_pages(page)[0] == entries["good"].name
    page = dump_dom(url + "?sort=verified&dir=asc", tmp_path / "p4")
    assert _sorted_pages(page)[0] == entries["missing"].name  # no counts sort lowest
    # filters: text over group and repository; only groups with mismatches
    page = dump_dom(url + "?sort=failure&dir=desc", tmp_path / "p4")
    assert _sorted_pages(page)[0] == entries["missing"].name  # the error record
    page = dump_dom(url + "?q=nowhere", tmp_path / "p5")
    visible = [r["data-page"] for r in page.rows() if r.get("hidden") is None]
    assert visible == [entries["missing"].name]
    page = dump_dom(url + "?mismatches=1", tmp_path / "p6")
    visible = [r["data-page"] for r in page.rows() if r.get("hidden") is None]
    assert visible == [entries["good"].name]
    assert "1" in page.text.split("of 3 shown")[0][-4:]
    # a group page opens, with the hostile text still inert after the browser parsed it
    group = dump_dom(
        (out / GROUPS_DIR / f"{entries['hostile'].name}.html").as_uri(), tmp_path / "g"
    )
    assert group.find("table", id="findings")
    assert_inert(group, scripts=0)
    assert f"{XSS_SCRIPT} {XSS_ATTR}" in group.text


@needs_chromium
def test_chromium_screenshot_of_the_dashboard(batch: Any, tmp_path: Path) -> None:
    out, _ = batch
    shot = tmp_path / "dashboard.png"
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1400,700",
        f"--screenshot={shot}",
        (out / INDEX_HTML).as_uri(),
    ]
    subprocess.run(command, capture_output=True, timeout=120, check=False)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


class Browser:
    """Headless Chromium driven over ``--remote-debugging-pipe`` (the DevTools protocol on
    file descriptors 3 and 4, messages ending in NUL): real mouse clicks and key input."""

    def __init__(self, url: str, profile: Path) -> None:
        assert CHROMIUM is not None
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def child_fds() -> None:  # runs in the child before exec: the pipe as fds 3 and 4
            read_end, write_end = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self._process = subprocess.Popen(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--remote-debugging-pipe",
                f"--user-data-dir={profile}",
                "--window-size=1400,900",
                url,
            ],
            preexec_fn=child_fds,
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        self.session = ""

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if self.session:
            message["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 30
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self._next_id:
                    assert "error" not in reply, reply
                    return reply.get("result") or {}
            left = deadline - time.monotonic()
            assert left > 0, f"no answer to {method}"
            ready, _, _ = select.select([self._from_chrome], [], [], left)
            if ready:
                chunk = os.read(self._from_chrome, 1 << 16)
                assert chunk, "chromium closed the pipe"
                self._buffer += chunk

    def attach(self, url_start: str) -> None:
        """Attach to the page whose address starts with ``url_start``."""

        self.session = ""
        for _ in range(200):
            infos = self.call("Target.getTargets")["targetInfos"]
            pages = [t for t in infos if t["type"] == "page" and t["url"].startswith(url_start)]
            if pages:
                target = pages[0]["targetId"]
                reply = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})
                self.session = reply["sessionId"]
                return
            time.sleep(0.05)
        raise AssertionError(f"no page at {url_start}")

    def js(self, expression: str) -> Any:
        reply = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return reply["result"].get("value")

    def wait_for(self, expression: str) -> Any:
        for _ in range(200):
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError(f"never true: {expression}")

    def click(self, selector: str) -> None:
        """A left mouse click in the middle of the element, as a person makes it."""

        box = self.js(
            f"(function(){{var e=document.querySelector({json.dumps(selector)});"
            "e.scrollIntoView({block:'center',inline:'center'});"
            "var r=e.getBoundingClientRect();return [r.left+r.width/2,r.top+r.height/2];})()"
        )
        assert box, selector
        for kind in ("mousePressed", "mouseReleased"):
            event = {"type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1}
            self.call("Input.dispatchMouseEvent", event)

    def type(self, text: str) -> None:
        self.call("Input.insertText", {"text": text})

    def close(self) -> None:
        self._process.kill()
        self._process.wait(timeout=30)
        os.close(self._to_chrome)
        os.close(self._from_chrome)


@contextmanager
def browser(url: str, profile: Path) -> Iterator[Browser]:
    opened = Browser(url, profile)
    try:
        yield opened
    finally:
        opened.close()


ROW_PAGES = (
    "Array.from(document.querySelectorAll('#class-table tbody tr')).map(r => r.dataset.page)"
)
VISIBLE = (
    "Array.from(document.querySelectorAll('#class-table tbody tr'))"
    ".filter(r => !r.hidden).map(r => r.dataset.page)"
)


@needs_chromium
def test_clicks_in_chromium_sort_filter_and_open_a_group_page(batch: Any, tmp_path: Path) -> None:
    out, entries = batch
    url = (out / INDEX_HTML).as_uri()
    with browser(url, tmp_path / "profile") as page:
        page.attach(url)
        page.wait_for("document.documentElement.getAttribute('data-ready') === '1'")
        assert page.js(ROW_PAGES) == [entries[k].name for k in ORDER]
        page.click('th[data-col="group"]')
        by_group = [entries[k].name for k in ("good", "hostile", "missing")]
        assert page.js(ROW_PAGES) == by_group
        page.click('th[data-col="group"]')  # again: reversed
        assert page.js(ROW_PAGES) == list(reversed(by_group))
        page.click('th[data-col="verified"]')  # numbers: largest first
        assert page.js(ROW_PAGES)[-1] == entries["missing"].name
        assert page.js("document.querySelector('th[data-col=verified]').ariaSort") == "descending"
        page.click("#only-mismatch")
        assert page.js(VISIBLE) == [entries["good"].name]
        page.click("#only-mismatch")
        page.click("#filter")
        page.type("nowhere")
        assert page.js(VISIBLE) == [entries["missing"].name]
        assert page.js("document.getElementById('shown').textContent") == "1"
        # a group page opens from its link
        page.click(f'tr[data-page="{entries["missing"].name}"] td.group a')
        page.attach((out / GROUPS_DIR).as_uri())
        page.wait_for("document.readyState === 'complete'")
        assert page.js("location.pathname").endswith(f"/{entries['missing'].name}.html")
        assert "Not audited" in page.js("document.getElementById('error').textContent")


def test_results_are_json_the_dashboard_reads(batch: Any) -> None:
    out, entries = batch
    record = json.loads(result_path(out, entries["missing"].name).read_text())
    assert record["status"] == "error"
    page = read(out / INDEX_HTML)
    assert record["error"] in page.text
