"""Every link and image of an answer (not of the quoted prompt) as a claim on a file."""

from __future__ import annotations

from urllib.parse import unquote

from verifier.claims.model import Claim
from verifier.claims.paths import github_path
from verifier.claims.text import Sentence, window
from verifier.report.model import Answer


def _sentence_for(by_line: dict[int, list[Sentence]], line: int, target: str) -> Sentence | None:
    candidates = by_line.get(line, [])
    for s in candidates:
        if target in s.text:
            return s
    return candidates[0] if candidates else None


def link_claims(answer: Answer, sentences: list[Sentence], lines: list[str]) -> list[Claim]:
    """``file-link`` / ``image`` claims; relative targets and GitHub file URLs only for links,
    every image (external ones tagged ``external``)."""
    out: list[Claim] = []
    by_line: dict[int, list[Sentence]] = {}
    for s in sentences:
        for _, ln in s.line_starts:
            by_line.setdefault(ln, []).append(s)
    for link in answer.links:
        if link.in_prompt:
            continue
        target = link.target.strip().strip("<>")
        kind = "image" if link.is_image else "file-link"
        tags: tuple[str, ...] = ()
        extra: tuple[tuple[str, str], ...] = (("target", link.target),)
        lower = target.lower()
        if "://" in target or lower.startswith(("mailto:", "data:", "//")):
            gh = github_path(target) if "://" in target else None
            if gh is not None:
                path, details, is_tree = gh
                if not path:
                    continue
                value = path
                tags = ("github", "tree") if is_tree else ("github",)
                extra = (*extra, *details)
            elif link.is_image:
                value = target
                tags = ("external",)
            else:
                continue
        elif target.startswith("#") or not target:
            continue
        else:
            value = unquote(target.split("#", 1)[0].split("?", 1)[0])
            if not value:
                continue
        k = link.line - answer.start_line
        line_text = lines[k] if 0 <= k < len(lines) else ""
        at = line_text.find(link.target)
        quote = (
            window(line_text, at, at + len(link.target), 200)
            if at >= 0
            else " ".join(line_text.split())[:200]
        )
        s = _sentence_for(by_line, link.line, link.target)
        out.append(
            Claim(
                kind=kind,
                question=answer.number,
                line=link.line,
                quote=quote,
                value=value,
                sentence=s.flat if s else " ".join(line_text.split()),
                tags=tags,
                extra=extra,
            )
        )
    # [![alt](x.png)](x.png): the image claim says it all
    images = {(c.line, c.value) for c in out if c.kind == "image"}
    return [c for c in out if c.kind == "image" or (c.line, c.value) not in images]
