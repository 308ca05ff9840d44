"""'Did you mean': a corrected query when words look misspelt.

A backend that can suggest spellings itself (a `suggest_spelling(text) -> str | None` method,
e.g. from its term dictionary) is asked first. Otherwise the words are compared with a
vocabulary of what the public can find (titles and topics the registered types offer), kept in
the cache for a few minutes so a search costs no extra queries while it is warm.
"""

import difflib
import logging
import re

from django.core.cache import cache

from . import registry
from .errors import SearchUnavailable
from .highlight import query_terms

logger = logging.getLogger(__name__)

VOCABULARY_CACHE_KEY = "search:vocabulary"
VOCABULARY_TTL = 60 * 10
MIN_WORD_LENGTH = 4
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def vocabulary() -> frozenset[str]:
    """Words from the titles and topics of public items (cached)."""
    words = cache.get(VOCABULARY_CACHE_KEY)
    if words is None:
        found: set[str] = set()
        for searchable in registry.types():
            if searchable.vocabulary is None:
                continue
            for text in searchable.vocabulary():
                found.update(w for w in _WORD.findall(str(text).casefold()) if len(w) > 2)
        words = frozenset(found)
        cache.set(VOCABULARY_CACHE_KEY, words, VOCABULARY_TTL)
    return words


def forget_vocabulary() -> None:
    cache.delete(VOCABULARY_CACHE_KEY)


def _from_backend(text: str) -> str | None:
    from modelsearch.backends import get_search_backend

    suggest = getattr(get_search_backend(), "suggest_spelling", None)
    if not callable(suggest):
        return None
    try:
        return suggest(text) or None
    except SearchUnavailable:
        return None
    except Exception:  # noqa: BLE001 - a suggestion is optional; the search still answers
        logger.exception("The search backend could not suggest a spelling")
        return None


def suggest(text: str) -> str | None:
    """A corrected version of `text`, or None when every word looks right."""
    terms = query_terms(text)
    if not terms:
        return None
    suggestion = _from_backend(" ".join(terms))
    if suggestion is not None:
        return suggestion if query_terms(suggestion) != terms else None
    words = vocabulary()
    if not words:
        return None
    changed = False
    corrected = []
    for term in terms:
        if len(term) < MIN_WORD_LENGTH or term in words or not term.isalpha():
            corrected.append(term)
            continue
        close = difflib.get_close_matches(term, words, n=1, cutoff=0.8)
        if close:
            corrected.append(close[0])
            changed = True
        else:
            corrected.append(term)
    return " ".join(corrected) if changed else None
