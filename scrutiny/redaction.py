"""Applying redactions to an immutable snapshot.

Spans are offsets into the original text, so the snapshot (and its SHA-256) never changes:
redaction happens on the way out, when the text is shown or exported.
"""

import re
from dataclasses import dataclass

# Personal data an officer is most likely to want hidden; offered as suggestions only.
PATTERNS = {
    "phone number": re.compile(r"(?<!\w)(?:\+44\s?7\d{3}|07\d{3})\s?\d{3}\s?\d{3}(?!\w)"),
    "landline": re.compile(r"(?<!\w)(?:\+44\s?|0)1\d{2,4}\s?\d{3}\s?\d{3,4}(?!\w)"),
    "email address": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "postcode": re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b", re.IGNORECASE),
}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    replacement: str = "[redacted]"


def find_phrase(text: str, phrase: str) -> list[Span]:
    """Every occurrence of `phrase` in `text` (case-insensitive), as spans."""
    phrase = phrase.strip()
    if not phrase:
        return []
    return [
        Span(m.start(), m.end()) for m in re.finditer(re.escape(phrase), text, flags=re.IGNORECASE)
    ]


def suggest(text: str) -> list[tuple[str, str]]:
    """Likely personal data in `text`: (kind, matched text) pairs for the officer to confirm."""
    found = []
    for kind, pattern in PATTERNS.items():
        for m in pattern.finditer(text):
            if (kind, m.group(0)) not in found:
                found.append((kind, m.group(0)))
    return found


def apply_redactions(text: str, redactions) -> str:
    """The text with every span replaced; overlapping spans are merged."""
    spans = sorted((r.start, r.end, r.replacement) for r in redactions)
    if not spans:
        return text
    merged: list[list] = []
    for start, end, replacement in spans:
        start, end = max(start, 0), min(end, len(text))
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        elif end > start:
            merged.append([start, end, replacement])
    out = []
    cursor = 0
    for start, end, replacement in merged:
        out.append(text[cursor:start])
        out.append(replacement)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)
