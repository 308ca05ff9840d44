"""Query text cleaning and highlighted snippets for search results.

Everything people type or wrote is escaped here before the matched words are wrapped in
<mark>: the only markup in a snippet is the <mark> elements this module adds.
"""

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SPACE = re.compile(r"\s+")
# Endings removed before matching, so "closures" highlights "closure" and "closing".
_SUFFIXES = ("ings", "ing", "ies", "ied", "es", "ed", "ly", "s", "e")


def clean_query(raw: str | None) -> str:
    """What the person typed, safe to search for and show back: normalised Unicode, no control
    or format characters (NUL, bidi overrides), single spaces, at most MAX_QUERY_LENGTH."""
    text = unicodedata.normalize("NFKC", str(raw or ""))
    text = "".join(" " if unicodedata.category(ch)[0] in ("C", "Z") else ch for ch in text)
    text = _SPACE.sub(" ", text).strip()
    if len(text) > MAX_QUERY_LENGTH:
        cut = text[:MAX_QUERY_LENGTH]
        text = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return text


def query_terms(text: str) -> list[str]:
    """The words of a query, lower case, without any search syntax (quotes, operators,
    wildcards, field names): a backend only ever receives plain words."""
    seen: list[str] = []
    for word in _WORD.findall(text.casefold()):
        if word not in seen:
            seen.append(word)
        if len(seen) == MAX_TERMS:
            break
    return seen


def _stem(term: str) -> str:
    for suffix in _SUFFIXES:
        if term.endswith(suffix) and len(term) - len(suffix) >= 3:
            return term[: -len(suffix)]
    return term


def _pattern(terms: list[str]) -> re.Pattern | None:
    stems = sorted({_stem(t) for t in terms if t}, key=len, reverse=True)
    if not stems:
        return None
    alternatives = "|".join(re.escape(s) for s in stems)
    return re.compile(rf"(?<![^\W_])(?:{alternatives})[^\W_]*", re.IGNORECASE | re.UNICODE)


def _marked(text: str, pattern: re.Pattern | None) -> str:
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def highlight(text: str | None, terms: list[str]) -> SafeString:
    """`text` escaped, with the words matching `terms` wrapped in <mark>."""
    return mark_safe(_marked(_SPACE.sub(" ", text or "").strip(), _pattern(terms)))  # noqa: S308  # nosec B308 B703


def snippet(text: str | None, terms: list[str], *, length: int = 240) -> SafeString:
    """About `length` characters of `text` around the first matched word, escaped, with the
    matched words marked and ellipses where the text was cut."""
    text = _SPACE.sub(" ", text or "").strip()
    pattern = _pattern(terms)
    start = 0
    if len(text) > length:
        first = pattern.search(text) if pattern else None
        if first is not None and first.start() > length // 3:
            start = text.rfind(" ", 0, first.start() - length // 4) + 1
        end = start + length
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
        body = text[start:end].strip()
        prefix = "… " if start > 0 else ""
        suffix = " …" if end < len(text) else ""
    else:
        body, prefix, suffix = text, "", ""
    return mark_safe(prefix + _marked(body, pattern) + suffix)  # noqa: S308  # nosec B308 B703
