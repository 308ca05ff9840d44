"""Drafting text from the per-kind templates coaches edit in the admin."""

import re

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
    """A public link to `obj` for posts (pages know their own; others get the base URL)."""
    if obj is None:
        return ""
    full = getattr(obj, "full_url", None)
    if full:
        return full
    get = getattr(obj, "get_absolute_url", None)
    if get:
        path = get()
        if path.startswith("http"):
            return path
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
    return ""
