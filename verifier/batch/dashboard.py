"""The class dashboard of a batch run: ``index.html`` (one row per group, one coloured cell
per checklist item) and ``groups/<name>.html`` (every finding and claim of one group).

Static files that work from the file system: inline CSS and a small inline script for
sorting and filtering, no external request. Every string that comes from a repository, a
report or a class list is HTML-escaped on the server side; the script only moves rows,
hides them and sets attributes, and never writes markup.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from verifier.batch.outputs import (
    MANIFEST,
    RESULTS_JSONL,
    SUMMARY_CSV,
    load_records,
    sort_records,
    write_text_atomic,
)
from verifier.render.escape import escape_html
from verifier.render.github_facts import facts_lines

INDEX_HTML = "index.html"
GROUPS_DIR = "groups"

#: Verdicts in the order of the count columns and the legend.
VERDICTS = ("verified", "weak", "mismatch", "unclaimed", "absent", "manual", "error")
#: A symbol per verdict, so the table reads without colours too.
SYMBOLS = {
    "verified": "✓",
    "weak": "~",
    "mismatch": "✗",
    "unclaimed": "+",
    "absent": "·",
    "manual": "?",
    "error": "!",
    "unknown-item": "¿",
}
MEANINGS = {
    "verified": "ticked, evidence found",
    "weak": "ticked, something exists but falls short",
    "mismatch": "ticked, not found",
    "unclaimed": "not ticked, but found",
    "absent": "not ticked, not found",
    "manual": "needs a human",
    "error": "the check crashed",
}
#: Sort rank of an item cell: the most interesting verdicts sort first (descending).
RANKS = {
    "mismatch": 7,
    "error": 6,
    "weak": 5,
    "manual": 4,
    "unclaimed": 3,
    "verified": 2,
    "absent": 1,
    "unknown-item": 0,
}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,150}")
_MODULE = re.compile(r"^M(\d+)\.")
_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def _t(value: object) -> str:
    """Any value as escaped HTML text (None as empty)."""

    if value is None:
        return ""
    return escape_html(_CONTROL.sub("", str(value)))


def _num(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _anchor(item_id: str) -> str:
    return "item-" + _ANCHOR_UNSAFE.sub("_", item_id)


# --------------------------------------------------------------------------- the model


@dataclass
class _Group:
    """One record, read defensively: a record file may be hand-made or damaged."""

    page: str
    record: dict[str, Any]
    entry: dict[str, Any]
    result: dict[str, Any]
    ok: bool
    order: int
    #: The most severe verdict per catalog id, with the finding's title.
    cells: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        group = self.entry.get("group")
        return str(group) if group not in (None, "") else str(self.entry.get("name") or "")

    @property
    def repo(self) -> str:
        return str(self.entry.get("target") or "")

    @property
    def counts(self) -> dict[str, Any]:
        return _dict(self.result.get("counts"))

    @property
    def findings(self) -> list[dict[str, Any]]:
        return [f for f in _list(self.result.get("findings")) if isinstance(f, dict)]

    @property
    def claims(self) -> list[dict[str, Any]]:
        return [c for c in _list(self.result.get("claims")) if isinstance(c, dict)]

    @property
    def inconsistent(self) -> int:
        return sum(c.get("verdict") == "inconsistent" for c in self.claims)

    @property
    def snapshot(self) -> dict[str, Any]:
        return _dict(self.result.get("snapshot"))


def _page_name(name: object, taken: set[str]) -> str:
    """A file name for the group page: the record's name when it is file-system safe (batch
    names are), otherwise a hash of it; unique among ``taken``."""

    text = str(name or "")
    base = text if _SAFE_NAME.fullmatch(text) else "group-" + _digest(text)
    page, n = base, 1
    while page.lower() in taken:
        n += 1
        page = f"{base}-{n}"
    taken.add(page.lower())
    return page


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _groups(records: Iterable[dict[str, Any]]) -> list[_Group]:
    groups: list[_Group] = []
    taken: set[str] = set()
    for order, record in enumerate(sort_records(records)):
        entry = _dict(record.get("entry"))
        result = _dict(record.get("result"))
        ok = record.get("status") == "ok" and bool(result)
        group = _Group(_page_name(entry.get("name"), taken), record, entry, result, ok, order)
        for finding in group.findings:
            item_id, verdict = finding.get("id"), str(finding.get("verdict") or "")
            if not isinstance(item_id, str) or not item_id:
                continue
            old = group.cells.get(item_id)
            if old is None or RANKS.get(verdict, 0) > RANKS.get(old, 0):
                group.cells[item_id] = verdict
        groups.append(group)
    return groups


def _catalog_titles() -> dict[str, tuple[int, str]]:
    """Catalog position and title per id; empty when the catalog cannot be read."""

    try:
        from verifier.report.catalog import load_catalog

        return {e.id: (i, e.title) for i, e in enumerate(load_catalog().entries)}
    except Exception:  # the dashboard still renders, with the findings' own titles
        return {}


def _columns(groups: list[_Group]) -> list[tuple[str, str]]:
    """``(id, title)`` of every catalog item present, ordered by module number (items of
    one module in catalog order; ``extra.*`` and unknown ids last)."""

    catalog = _catalog_titles()
    titles: dict[str, str] = {}
    for group in groups:
        for finding in group.findings:
            item_id = finding.get("id")
            if isinstance(item_id, str) and item_id and item_id not in titles:
                titles[item_id] = str(finding.get("title") or item_id)

    def key(item_id: str) -> tuple[int, int, str]:
        match = _MODULE.match(item_id)
        module = int(match.group(1)) if match else 10_000
        return (module, catalog.get(item_id, (10_000, ""))[0], item_id)

    return [(i, catalog.get(i, (0, titles[i]))[1] or titles[i]) for i in sorted(titles, key=key)]


# --------------------------------------------------------------------------- shared parts

_CSS = """
:root { --fg:#1b1f24; --muted:#57606a; --line:#d0d7de; --head:#f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
  margin: 1rem 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 .3rem; } h2 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; }
.muted { color: var(--muted); } a { color: #0550ae; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: 2px 6px; vertical-align: top; }
thead th { background: var(--head); position: sticky; top: 0; z-index: 1; }
code { font: 12px/1.3 ui-monospace, SFMono-Regular, Menlo, monospace; white-space: pre-wrap;
  word-break: break-word; }
.v-verified { background: #2da44e; color: #fff; } .v-weak { background: #d4a72c; color: #000; }
.v-mismatch { background: #cf222e; color: #fff; } .v-unclaimed { background: #54aeff; color: #000; }
.v-absent { background: #eaeef2; color: #57606a; } .v-manual { background: #a475f9; color: #fff; }
.v-error { background: #24292f; color: #fff; } .v-unknown-item { background: #fff8c5; }
.v-none { background: repeating-linear-gradient(45deg,#fff,#fff 3px,#f0f0f0 3px,#f0f0f0 6px); }
.c-inconsistent { background: #ffebe9; } .c-consistent { background: #dafbe1; }
tr.f-weak td:first-child { box-shadow: inset 4px 0 0 #d4a72c; }
.c-unverifiable { background: #f6f8fa; } .c-error { background: #24292f; color: #fff; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; margin: 1px 2px;
  font-size: 12px; }
.legend { margin: .5rem 0; } .legend .badge { margin-right: .6rem; }
.controls { margin: .6rem 0; display: flex; gap: 1.2rem; align-items: center; }
.controls input[type=search] { width: 22rem; padding: 3px 6px; }
#class-table th[data-col] { cursor: pointer; user-select: none; }
#class-table th[aria-sort=ascending]::after { content: " ▲"; }
#class-table th[aria-sort=descending]::after { content: " ▼"; }
/* the rotated headers turn the arrow over too */
#class-table th.item[aria-sort=ascending]::after,
#class-table th.count[aria-sort=ascending]::after { content: " ▼"; }
#class-table th.item[aria-sort=descending]::after,
#class-table th.count[aria-sort=descending]::after { content: " ▲"; }
#class-table th.item, #class-table th.count { writing-mode: vertical-rl;
  transform: rotate(180deg); font-weight: normal; font-size: 12px;
  padding: 4px 1px; max-height: 14rem; white-space: nowrap; }
#class-table td.item { text-align: center; padding: 0; min-width: 1.4rem; }
#class-table td.item a { color: inherit; text-decoration: none; display: block; }
#class-table td.num { text-align: right; }
#class-table td.commit code { white-space: nowrap; }
#class-table td.err { color: #cf222e; max-width: 24rem; }
#class-table td.group, #class-table td.repo { max-width: 16rem; overflow: hidden;
  text-overflow: ellipsis; white-space: nowrap; }
#class-table td.repo { max-width: 22rem; direction: rtl; text-align: left; }
tr.f-mismatch td:first-child, tr.f-error td:first-child,
tr.has-mismatch td.group { box-shadow: inset 4px 0 0 #cf222e; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 1rem; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; word-break: break-all; }
code.src { background: #f6f8fa; padding: 0 3px; }
ul.ev { margin: 0; padding-left: 1rem; } ul.ev li { margin: 2px 0; }
.error-box { border: 1px solid #cf222e; background: #ffebe9; padding: .5rem .8rem; }
""".strip()

#: Sorting and filtering. Reads cells' text and ``data-sort``, moves rows, sets ``hidden``
#: and attributes; never writes markup. ``?sort=COL&dir=asc|desc&q=TEXT&mismatches=1`` are
#: applied on load (sorting by clicking the header, as a person would).
_JS = r"""
(function () {
  "use strict";
  var table = document.getElementById("class-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var filter = document.getElementById("filter");
  var only = document.getElementById("only-mismatch");
  var shown = document.getElementById("shown");
  var collator = new Intl.Collator(undefined, {numeric: true, sensitivity: "base"});

  function key(row, index, numeric) {
    var cell = row.cells[index];
    var value = cell.getAttribute("data-sort");
    if (value === null) { value = cell.textContent.trim(); }
    if (!numeric) { return value; }
    var n = parseFloat(value);
    return isNaN(n) ? -1 : n;
  }

  function sortBy(th) {
    var index = th.cellIndex;
    var numeric = th.getAttribute("data-type") === "num";
    var current = th.getAttribute("aria-sort");
    var dir;
    if (current === "ascending") { dir = -1; }
    else if (current === "descending") { dir = 1; }
    else { dir = numeric ? -1 : 1; }
    heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, index, numeric), y = key(b, index, numeric);
      var c = numeric ? x - y : collator.compare(x, y);
      if (c !== 0) { return c * dir; }
      return Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function apply() {
    var q = filter.value.trim().toLowerCase();
    var count = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var text = (row.cells[0].textContent + " " + row.cells[1].textContent).toLowerCase();
      var show = (q === "" || text.indexOf(q) !== -1) &&
        (!only.checked || Number(row.getAttribute("data-mismatch")) > 0);
      row.hidden = !show;
      if (show) { count += 1; }
    });
    shown.textContent = String(count);
  }

  heads.forEach(function (th) {
    if (!th.hasAttribute("data-col")) { return; }
    th.tabIndex = 0;
    th.addEventListener("click", function () { sortBy(th); });
    th.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(th); }
    });
  });
  filter.addEventListener("input", apply);
  only.addEventListener("change", apply);

  var params = new URLSearchParams(window.location.search);
  if (params.has("q")) { filter.value = params.get("q"); }
  if (params.get("mismatches") === "1") { only.checked = true; }
  apply();
  var wanted = params.get("sort");
  if (wanted) {
    var th = heads.filter(function (h) { return h.getAttribute("data-col") === wanted; })[0];
    if (th) {
      th.click();
      var dir = params.get("dir");
      var now = th.getAttribute("aria-sort");
      if ((dir === "asc" && now !== "ascending") || (dir === "desc" && now !== "descending")) {
        th.click();
      }
    }
  }
  document.documentElement.setAttribute("data-ready", "1");
})();
""".strip()


def _page(title: str, body: str, *, script: str = "") -> str:
    tail = f"<script>\n{script}\n</script>\n" if script else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # No request leaves the page: no network source is allowed for anything.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{_t(title)}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        f"{body}\n{tail}</body>\n</html>\n"
    )


def _badge(verdict: str, text: str) -> str:
    cls = verdict if verdict in SYMBOLS else "none"
    return f'<span class="badge v-{cls}">{_t(text)}</span>'


def _legend() -> str:
    parts = [
        f'{_badge(v, SYMBOLS[v] + " " + v)}<span class="muted">{_t(MEANINGS[v])}</span> '
        for v in VERDICTS
    ]
    parts.append(
        '<span class="badge v-none">&nbsp;&nbsp;</span><span class="muted">not in the report</span>'
    )
    return '<div class="legend" id="legend">' + "".join(parts) + "</div>"


def _manifest(out_dir: Path) -> dict[str, Any]:
    try:
        value = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return _dict(value)


# --------------------------------------------------------------------------- index.html


def _index_row(group: _Group, columns: list[tuple[str, str]]) -> str:
    href = f"{GROUPS_DIR}/{quote(group.page, safe='+')}.html"
    counts = group.counts
    mismatches = _num(counts.get("mismatch")) if group.ok else 0
    classes = "has-mismatch" if mismatches else ""
    commit = str(group.snapshot.get("commit") or "")
    cells = [
        f'<td class="group" title="{_t(group.label)}">'
        f'<a href="{_t(href)}">{_t(group.label)}</a></td>',
        f'<td class="repo" title="{_t(group.repo)}"><bdi>{_t(group.repo)}</bdi></td>',
        f'<td class="commit"><code title="{_t(commit)}">{_t(commit[:10])}</code></td>',
    ]
    for verdict in VERDICTS:
        if group.ok:
            n = _num(counts.get(verdict))
            cells.append(f'<td class="num" data-sort="{n}">{n}</td>')
        else:
            cells.append('<td class="num" data-sort="-1"></td>')
    if group.ok:
        cells.append(f'<td class="num" data-sort="{group.inconsistent}">{group.inconsistent}</td>')
    else:
        cells.append('<td class="num" data-sort="-1"></td>')
    error = "" if group.ok else str(group.record.get("error") or "no result")
    kind = "" if group.ok else str(group.record.get("error_kind") or "")
    title = f' title="{_t(kind)}"' if kind else ""
    cells.append(f'<td class="err"{title}>{_t(error)}</td>')
    for item_id, item_title in columns:
        verdict = group.cells.get(item_id)
        if verdict is None:
            cells.append('<td class="item v-none" data-sort="-1" title="not in the report"></td>')
            continue
        cls = verdict if verdict in SYMBOLS else "none"
        tip = f"{item_id} · {item_title}: {verdict}"
        link = f"{href}#{_anchor(item_id)}"
        cells.append(
            f'<td class="item v-{_t(cls)}" data-sort="{RANKS.get(verdict, 0)}" '
            f'data-verdict="{_t(verdict)}" title="{_t(tip)}">'
            f'<a href="{_t(link)}">{_t(SYMBOLS.get(verdict, "?"))}</a></td>'
        )
    return (
        f'<tr class="{classes}" data-order="{group.order}" data-mismatch="{mismatches}" '
        f'data-page="{_t(group.page)}">' + "".join(cells) + "</tr>"
    )


def _index(groups: list[_Group], columns: list[tuple[str, str]], manifest: dict[str, Any]) -> str:
    heads = [
        '<th data-col="group">Group</th>',
        '<th data-col="repo">Repository</th>',
        '<th data-col="commit">Commit</th>',
        *(
            f'<th class="count" data-col="{v}" data-type="num" title="{_t(MEANINGS[v])}">{v}</th>'
            for v in VERDICTS
        ),
        '<th class="count" data-col="claims" data-type="num" title="claims of the answers that the '
        'repository contradicts">inconsistent claims</th>',
        '<th data-col="failure" title="why the repository was not audited">Error</th>',
    ]
    for item_id, title in columns:
        module = item_id.split(".", 1)[0]
        heads.append(
            f'<th class="item" data-col="item:{_t(item_id)}" data-type="num" '
            f'title="{_t(item_id)}: {_t(title)}">{_t(module)} {_t(title)}</th>'
        )
    rows = "\n".join(_index_row(g, columns) for g in groups)
    ok = sum(g.ok for g in groups)
    with_mismatch = sum(1 for g in groups if g.ok and _num(g.counts.get("mismatch")))
    facts = [
        f"{len(groups)} repositories",
        f"{ok} audited",
        f"{len(groups) - ok} errors",
        f"{with_mismatch} with mismatches",
    ]
    if manifest.get("deadline"):
        facts.append(f"deadline {manifest['deadline']}")
    if isinstance(manifest.get("shard"), list):
        facts.append("shard " + "/".join(str(s) for s in manifest["shard"]))
    generated = datetime.now(UTC).isoformat(timespec="seconds")
    body = f"""<h1>Class dashboard</h1>
<p class="muted">{_t(" · ".join(facts))} · generated {_t(generated)} ·
<a href="{SUMMARY_CSV}">{SUMMARY_CSV}</a> · <a href="{RESULTS_JSONL}">{RESULTS_JSONL}</a></p>
{_legend()}
<div class="controls">
<label>Filter <input type="search" id="filter" placeholder="group or repository"></label>
<label><input type="checkbox" id="only-mismatch"> only groups with mismatches</label>
<span class="muted"><span id="shown">{len(groups)}</span> of {len(groups)} shown ·
click a header to sort, again to reverse</span>
</div>
<table id="class-table">
<thead><tr>{"".join(heads)}</tr></thead>
<tbody>
{rows}
</tbody>
</table>"""
    return _page("Class dashboard", body, script=_JS)


# --------------------------------------------------------------------------- group pages


def _evidence(items: object) -> str:
    parts = []
    for ev in _list(items):
        if not isinstance(ev, dict):
            continue
        where = str(ev.get("path") or "")
        if ev.get("line") is not None:
            where += f":{ev.get('line')}"
        origin = str(ev.get("origin") or "")
        parts.append(
            f'<li><code>{_t(where)}</code> <code class="src">{_t(ev.get("text"))}</code>'
            f" — {_t(ev.get('why'))}"
            + (f' <span class="muted">({_t(origin)})</span>' if origin else "")
            + "</li>"
        )
    return '<ul class="ev">' + "".join(parts) + "</ul>" if parts else ""


def _finding_rows(group: _Group) -> list[tuple[str, dict[str, Any]]]:
    """Findings in report order with their row ids: the item's anchor (what the class
    table links to) for the first finding of an item, ``f-N`` otherwise."""

    out: list[tuple[str, dict[str, Any]]] = []
    anchored: set[str] = set()
    for n, finding in enumerate(sorted(group.findings, key=lambda f: _num(f.get("line")))):
        item_id = finding.get("id")
        row_id = f"f-{n}"
        if isinstance(item_id, str) and item_id and item_id not in anchored:
            anchored.add(item_id)
            row_id = _anchor(item_id)
        out.append((row_id, finding))
    return out


def _flags(group: _Group) -> str:
    """Links to what needs a look: mismatches, weak and crashed items, inconsistent claims."""

    parts = []
    for row_id, finding in _finding_rows(group):
        verdict = str(finding.get("verdict") or "")
        if verdict in ("mismatch", "weak", "error"):
            parts.append(
                f'<li><a href="#{_t(row_id)}">line {_t(finding.get("line"))}</a> '
                f"{_badge(verdict, verdict)} {_t(finding.get('title'))}: "
                f"{_t(finding.get('summary'))}</li>"
            )
    for n, claim in enumerate(sorted(group.claims, key=lambda c: _num(c.get("line")))):
        if claim.get("verdict") == "inconsistent":
            parts.append(
                f'<li><a href="#claim-{n}">line {_t(claim.get("line"))}</a> '
                f'<span class="badge c-inconsistent">inconsistent claim</span> '
                f"{_t(claim.get('kind'))}: {_t(claim.get('expected'))} — "
                f"{_t(claim.get('observed'))}</li>"
            )
    if not parts:
        return '<p class="muted" id="flags">Nothing flagged.</p>'
    return '<ul id="flags">' + "".join(parts) + "</ul>"


def _findings_table(group: _Group) -> str:
    rows = []
    for row_id, finding in _finding_rows(group):
        item_id = finding.get("id")
        verdict = str(finding.get("verdict") or "")
        cls = verdict if verdict in SYMBOLS else "none"
        attr = f' id="{_t(row_id)}" class="f-{cls}"'
        item = f"<b>{_t(finding.get('title'))}</b>"
        if item_id:
            item += f' <code class="muted">{_t(item_id)}</code>'
        item += f"<br>{_t(finding.get('text'))}"
        checked = ", ".join(str(c) for c in _list(finding.get("checked")))
        extra = (
            f'<details class="muted"><summary>checked</summary>{_t(checked)}</details>'
            if checked
            else ""
        )
        error = finding.get("error")
        if error:
            extra += f'<div class="muted">error: {_t(error)}</div>'
        rows.append(
            f"<tr{attr}><td>{_t(finding.get('line'))}</td><td>{_t(finding.get('tick'))}</td>"
            f"<td>{item}</td><td>{_badge(verdict, SYMBOLS.get(verdict, '?') + ' ' + verdict)}</td>"
            f"<td>{_t(finding.get('summary'))}{extra}</td>"
            f"<td>{_evidence(finding.get('evidence'))}</td></tr>"
        )
    if not rows:
        return '<p class="muted">No checklist items.</p>'
    return (
        '<table id="findings"><thead><tr><th>Line</th><th>Tick</th><th>Item</th>'
        "<th>Verdict</th><th>Summary</th><th>Evidence</th></tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>"
    )


def _claims_table(group: _Group) -> str:
    rows = []
    for n, claim in enumerate(sorted(group.claims, key=lambda c: _num(c.get("line")))):
        verdict = str(claim.get("verdict") or "")
        cls = verdict if verdict in ("consistent", "inconsistent", "unverifiable", "error") else ""
        rows.append(
            f'<tr id="claim-{n}" class="c-{cls}"><td>{_t(claim.get("line"))}</td>'
            f"<td>{_t(claim.get('kind'))}</td><td>{_t(claim.get('quote'))}</td>"
            f"<td>{_t(verdict)}</td><td>{_t(claim.get('expected'))}</td>"
            f"<td>{_t(claim.get('observed'))}</td><td>{_t(claim.get('why'))}"
            f"{_evidence(claim.get('evidence'))}</td></tr>"
        )
    if not rows:
        return '<p class="muted">No claims found in the answers.</p>'
    return (
        '<table id="claims"><thead><tr><th>Line</th><th>Kind</th><th>Quote</th><th>Verdict</th>'
        "<th>Expected</th><th>Observed</th><th>Why</th></tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>"
    )


def _plain_list(items: list[str], empty: str, list_id: str) -> str:
    if not items:
        return f'<p class="muted" id="{list_id}">{_t(empty)}</p>'
    return f'<ul id="{list_id}">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _facts(group: _Group) -> str:
    snap = group.snapshot
    report = _dict(group.result.get("report"))
    students = ", ".join(str(s) for s in _list(group.entry.get("students")))
    pairs = [
        ("Repository", group.repo),
        ("Students", students),
        ("Status", group.record.get("status")),
        ("Commit", snap.get("commit")),
        ("Ref", snap.get("ref")),
        ("Commit date", snap.get("commit_date")),
        ("Deadline", snap.get("deadline")),
        ("Commits after the deadline", snap.get("commits_after_deadline")),
        ("Files", snap.get("file_count")),
        ("Project folder", snap.get("project_root")),
        ("Report", report.get("path")),
        ("Template generation", report.get("generation")),
        ("Audited", group.record.get("finished_at")),
        ("Time", f"{group.record.get('elapsed_s')} s" if group.record.get("elapsed_s") else ""),
    ]
    shown = [(k, v) for k, v in pairs if v not in (None, "")]
    return (
        '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{_t(v)}</dd>" for k, v in shown) + "</dl>"
    )


def _github_section(group: _Group) -> list[str]:
    """What the GitHub API said (``--github``); logins and URLs are escaped like the rest."""

    rows = facts_lines(_dict(group.result.get("github")) or None)
    if not rows:
        return []
    items = "".join(f"<dt>{_t(label)}</dt><dd>{_t(text)}</dd>" for label, text in rows)
    return ["<h2>On GitHub</h2>", f'<dl class="facts" id="github">{items}</dl>']


def _group_page(group: _Group) -> str:
    title = f"Group {group.label}" if group.entry.get("group") not in (None, "") else group.label
    parts = [
        '<p><a href="../index.html">← class dashboard</a></p>',
        f"<h1>{_t(title)}</h1>",
        _facts(group),
    ]
    if not group.ok:
        error = group.record.get("error") or "no result"
        kind = group.record.get("error_kind")
        parts.append(
            f'<div class="error-box" id="error"><b>Not audited</b>'
            f"{' (' + _t(kind) + ')' if kind else ''}: {_t(error)}</div>"
        )
        return _page(title, "\n".join(parts))
    counts = group.counts
    badges = "".join(_badge(v, f"{SYMBOLS[v]} {_num(counts.get(v))} {v}") for v in VERDICTS)
    claim_counts = _dict(group.result.get("claim_counts"))
    claims_line = ", ".join(f"{_num(n)} {k}" for k, n in claim_counts.items())
    report = _dict(group.result.get("report"))
    report_path = str(report.get("path") or "the report")
    skipped = [
        f"<code>{_t(s.get('path'))}</code> — {_t(s.get('reason'))}"
        for s in _list(group.snapshot.get("skipped"))
        if isinstance(s, dict)
    ]
    problems = [_t(p) for p in _list(report.get("problems"))]
    parts += [
        f"<p>{badges}</p>",
        "<h2>To look at</h2>",
        _flags(group),
        f"<h2>Checklist ({_t(report_path)})</h2>",
        _findings_table(group),
        f'<h2>Claims in the answers <span class="muted">({_t(claims_line)})</span></h2>',
        _claims_table(group),
        *_github_section(group),
        "<h2>Skipped files</h2>",
        _plain_list(skipped, "No file was skipped.", "skipped"),
        "<h2>Report problems</h2>",
        _plain_list(problems, "The report parsed without problems.", "problems"),
    ]
    return _page(title, "\n".join(parts))


# --------------------------------------------------------------------------- writing


def write_dashboard(out_dir: Path, records: list[dict[str, Any]] | None = None) -> Path:
    """Write ``index.html`` and ``groups/<name>.html`` into ``out_dir``; the path of
    ``index.html``. ``records`` default to every record under ``out_dir/results``; group
    pages of records no longer shown are removed."""

    out_dir = Path(out_dir)
    if records is None:
        records = load_records(out_dir)
    groups = _groups(records)
    columns = _columns(groups)
    pages = out_dir / GROUPS_DIR
    written: set[str] = set()
    for group in groups:
        name = f"{group.page}.html"
        write_text_atomic(pages / name, _group_page(group))
        written.add(name)
    if pages.is_dir():
        for stale in pages.glob("*.html"):
            if stale.name not in written:
                stale.unlink(missing_ok=True)
    index = out_dir / INDEX_HTML
    write_text_atomic(index, _index(groups, columns, _manifest(out_dir)))
    return index
