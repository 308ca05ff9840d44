"""Residents' words: cleaned on the way in, escaped and sanitised on the way out.

Everything a resident types is stored as plain text (never HTML). `render_plain_text` turns it
into safe HTML for display: escaped, paragraphs and line breaks kept, http(s) URLs turned into
links, and the result passed through nh3 with a tiny allow-list as a second line of defence.
"""

import html
import re
import unicodedata

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# C0/C1 controls except tab and newline, plus bidi overrides/isolates that can disguise text
# (RTL marks U+200E/U+200F stay: they are legitimate in Arabic, Hebrew and Urdu text).
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_URL = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING_PUNCT = ".,;:!?)]}'\""

ALLOWED_TAGS = {"p", "br", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "class"}}


def normalise_text(value: str | None, *, multiline: bool = True) -> str:
    """Normalise user input for storage: NFC, no control characters, tidy whitespace."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    if multiline:
        text = _TRAILING_SPACE.sub("\n", text)
        text = _BLANK_LINES.sub("\n\n", text)
    else:
        text = " ".join(text.split())
    return text.strip()


def _linkify(escaped_line: str) -> str:
    def replace(match: re.Match) -> str:
        url = match.group(0)
        trail = ""
        while url and url[-1] in _TRAILING_PUNCT:
            trail = url[-1] + trail
            url = url[:-1]
        # The text is already escaped, so the URL holds &amp; where the resident typed &.
        return f'<a href="{url}" class="govuk-link">{url}</a>{trail}'

    return _URL.sub(replace, escaped_line)


def render_plain_text(value: str | None) -> SafeString:
    """Plain text to safe HTML: paragraphs, line breaks and links, nothing else."""
    text = normalise_text(value)
    if not text:
        return mark_safe("")  # noqa: S308
    paragraphs = []
    for block in text.split("\n\n"):
        lines = [_linkify(escape(line)) for line in block.split("\n")]
        paragraphs.append('<p class="govuk-body">' + "<br>".join(lines) + "</p>")
    html = nh3.clean(
        "".join(paragraphs),
        tags=ALLOWED_TAGS,
        attributes={**ALLOWED_ATTRIBUTES, "p": {"class"}},
        url_schemes={"http", "https"},
        link_rel="nofollow ugc noopener",
    )
    return mark_safe(html)  # noqa: S308 - built from escaped text, then sanitised by nh3


def plain_excerpt(value: str | None, length: int = 200) -> str:
    """A single-line excerpt of plain text (still to be escaped by the template)."""
    text = normalise_text(value, multiline=False)
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0]
    return cut + "…"


def strip_html(value: str | None) -> str:
    """Remove every tag (for text that must be plain, such as a post to X or a CSV cell)."""
    if not value:
        return ""
    return normalise_text(html.unescape(nh3.clean(value, tags=set())), multiline=True)


def escape_spreadsheet_cell(value):
    """Neutralise formula injection in CSV/XLSX exports (cells starting = + - @ tab CR)."""
    if isinstance(value, str) and value and value[0] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
