"""Drafting text from the per-kind templates coaches edit in the admin."""

import re
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

from .models import PostKind, PostTemplate

DEFAULT_TEMPLATES = {
    PostKind.QUESTION: 'A resident asked: "{title}" Can you help answer it? {url}',
    PostKind.ANSWER: 'We\'ve answered "{title}": {answer} Read the full answer: {url}',
    PostKind.CONSULTATION_OPENED: (
        "We want your views: {title}. {summary} Have your say by {closes}: {url}"
    ),
    PostKind.CONSULTATION_CLOSING: (
        "Last chance to have your say on {title}. The consultation closes {closes}. {url}"
    ),
    PostKind.CONSULTATION_OUTCOME: (
        "We asked, you said, we did: the outcome of {title} is published. {summary} {url}"
    ),
    PostKind.LIVE_UPDATE: "{title}: {summary}",
    PostKind.REPLY: "{summary}",
    PostKind.MANUAL: "{summary}",
}

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def template_text(kind: str) -> str:
    row = PostTemplate.objects.filter(kind=kind).values_list("text", flat=True).first()
    return row or DEFAULT_TEMPLATES.get(kind, "{summary}")


def render(kind: str, context: dict) -> str:
    """Fill the template for `kind`; unknown placeholders become empty (never code)."""
    values = {"organisation": "", **{k: str(v) for k, v in context.items() if v is not None}}
    text = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), template_text(kind))
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r"\s+([.,:;!?])", r"\1", text)
    return text.strip()


def absolute_url(obj) -> str:
    """A public link to `obj` for posts, always on PARLEY_BASE_URL (the public address).

    Never the Wagtail site's hostname (`localhost` until someone edits the site record) nor the
    host of whichever request caused the draft: posts are read on X, far from both."""
    if obj is None:
        return ""
    path = ""
    parts = obj.get_url_parts() if hasattr(obj, "get_url_parts") else None
    if parts is not None:
        path = parts[2]
    elif hasattr(obj, "get_absolute_url"):
        path = obj.get_absolute_url() or ""
    if not path:
        return ""
    split = urlsplit(path)
    path = urlunsplit(("", "", split.path or "/", split.query, split.fragment))
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
