"""Remove blocks that are not part of the report: link lists, AI-audio footers, share bars."""

from __future__ import annotations

import re

__all__ = ["strip_boilerplate", "normalise_whitespace"]

_LINK_LIST_HEADING = re.compile(
    r"^\s*(?:read (?:also|more|next)|also read|related(?: (?:articles|stories|coverage|news|content))?|"
    r"see also|more on this(?: story)?|more from [\w .'-]+|recommended|you may also like|most read|"
    r"latest stories|top stories)\s*[:.\-–—]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_FOOTER = re.compile(
    r"(?:^|(?:this|the) )(?:audio|article|text|summary|story|voice(?:-over)?|narration)\b[^.\n]{0,60}?\b"
    r"(?:(?:is|was|has been) )?(?:created|generated|produced|narrated|made|read)\b[^.\n]{0,40}?"
    r"\b(?:AI|artificial intelligence|text-to-speech|a synthetic voice)\b",
    re.IGNORECASE | re.MULTILINE,
)
_SHARE = re.compile(
    r"^\s*(?:share (?:this|on|via)|subscribe\b|sign up\b|follow us\b|click here\b|download (?:our|the) app\b|"
    r"listen to this article\b|copyright\b|all rights reserved\b|©|\(c\) \d{4}|"
    r"get (?:our|the) (?:daily )?newsletter\b|advertisement\s*$|skip to (?:main )?content\b)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?]['\"”’)]?\s*$")


def _is_headline_like(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 18 and not _SENTENCE_END.search(line)


def _short(line: str, limit: int = 25) -> bool:
    return len(line.split()) <= limit


def strip_boilerplate(text: str) -> str:
    """Drop link lists ("Read also: ..."), AI-audio footers and share/subscribe lines.

    Works line by line so that the remaining prose is kept byte for byte.
    """
    lines = text.split("\n")
    kept: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        heading = _LINK_LIST_HEADING.match(stripped) if _short(stripped, 20) else None
        if heading and (not heading.group("rest") or _is_headline_like(heading.group("rest"))):
            i += 1
            # the list that follows: headline-like lines, blank lines allowed between them
            while i < len(lines):
                nxt = lines[i].strip()
                if not nxt:
                    following = next((x.strip() for x in lines[i + 1 :] if x.strip()), "")
                    if following and _is_headline_like(following) and not _LINK_LIST_HEADING.match(following):
                        i += 1
                        continue
                    break
                if nxt.startswith(("-", "*", "•", "·")) or _is_headline_like(nxt):
                    i += 1
                    continue
                break
            continue
        if stripped and _short(stripped, 40) and (_FOOTER.search(stripped) or _SHARE.match(stripped)):
            i += 1
            continue
        kept.append(line)
        i += 1
    return normalise_whitespace("\n".join(kept))


_BLANKS = re.compile(r"\n\s*\n+")
_SPACES = re.compile(r"[ \t\u00a0]+")


def normalise_whitespace(text: str) -> str:
    """One space between words, paragraphs separated by one blank line, no trailing space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [_SPACES.sub(" ", p).strip() for p in _BLANKS.split(text)]
    paragraphs = ["\n".join(x.strip() for x in p.split("\n") if x.strip()) for p in paragraphs]
    return "\n\n".join(p for p in paragraphs if p)
