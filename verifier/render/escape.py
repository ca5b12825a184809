"""Escaping student text for Markdown, HTML and GitHub comments.

Everything a report or a repository contains is written by a group: item texts, answer
quotes, file names, lines of their files. Written into a job summary or a PR comment it must
render as the text it is, never as markup: no table it can break, no HTML it can inject, no
link or image it can plant, no user or team it can ping, no issue it can cross-reference.
"""

from __future__ import annotations

import re

#: Inserted after ``@`` and ``#`` so that GitHub's autolinker no longer sees a mention or an
#: issue reference; invisible when rendered.
ZERO_WIDTH = "\u200b"

# @user, @org/team; GitHub mentions start with a letter or digit after a non-word character.
_MENTION = re.compile(r"@(?=[A-Za-z0-9_])")
# #123, GH-123, owner/repo#123: the ``#`` or ``-`` followed by a digit.
_ISSUE_REF = re.compile(r"(?:(?<=#)|(?<=\bGH-)|(?<=\bgh-))(?=\d)")
# Line breaks of every kind, and the other control characters (tab becomes a space too).
_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029\t]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Characters with a meaning in (GitHub-flavoured) Markdown inline text or tables.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}()#+\-.!|~^$:])")

_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}


def escape_html(text: str) -> str:
    """``&``, ``<``, ``>`` and both quotes as entities: safe in HTML text and attributes."""

    return "".join(_HTML.get(ch, ch) for ch in text)


def neutralise_mentions(text: str) -> str:
    """Break ``@user`` mentions and ``#123`` / ``GH-123`` issue references with a zero-width
    space, so a comment quoting student text notifies nobody and links no issue."""

    return _ISSUE_REF.sub(ZERO_WIDTH, _MENTION.sub("@" + ZERO_WIDTH, text))


def one_line(text: str) -> str:
    """Line breaks and tabs as spaces, other control characters dropped."""

    return _CONTROL.sub("", _BREAKS.sub(" ", text))


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, an ellipsis marking a cut (cut before escaping, so no
    entity or escape is ever split)."""

    if limit <= 0:
        return ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def escape_markdown(text: str, *, limit: int | None = None) -> str:
    """Student text as inert Markdown inline text, safe inside a table cell.

    One line (breaks become spaces, so a cell cannot end early), HTML as entities, every
    Markdown punctuation backslash-escaped (no emphasis, code span, link, image, table pipe,
    footnote or math), and mentions and issue references neutralised.
    """

    plain = one_line(text)
    if limit is not None:
        plain = shorten(plain, limit)
    plain = neutralise_mentions(plain)
    out = []
    for chunk in re.split(r"([&<>\"'])", plain):
        if chunk in _HTML:
            out.append(_HTML[chunk])
        else:
            out.append(_MD_SPECIAL.sub(r"\\\1", chunk))
    return "".join(out)
