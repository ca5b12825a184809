"""Renderers: an :class:`~verifier.engine.result.AuditResult` in, text out.

``RENDERERS`` maps each ``--format`` name to a function of the result alone (the terminal
table with its defaults); renderers know nothing of git or of the command line.
"""

from __future__ import annotations

from collections.abc import Callable

from verifier.engine.result import AuditResult
from verifier.render.json_render import render_json
from verifier.render.markdown_render import render_markdown
from verifier.render.sarif_render import render_sarif
from verifier.render.text_render import render_text

RENDERERS: dict[str, Callable[[AuditResult], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "sarif": render_sarif,
}

__all__ = ["RENDERERS", "render_json", "render_markdown", "render_sarif", "render_text"]
