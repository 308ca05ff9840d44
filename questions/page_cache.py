"""Whole thread pages for signed-out readers, served from the cache before page routing.

Most people reading a thread are not signed in, and for them the page is the same: no forms,
no CSRF token, no per-person state. Rendering it costs page routing, the site chrome and the
thread itself; serving it from here costs two cache reads and one indexed lookup of the
question's `thread_version`.

What keeps it correct:
- Every change to a thread (answers, comments, votes, follows, edits, moderation, renames of
  its authors) bumps `thread_version` in the database, in the same transaction. An entry is
  served only while the version it was rendered with is still the current one, and the lookup
  goes to the database, so this holds across processes and servers whatever the cache.
- Only public questions (published or closed, not hidden) are served from here, and only to
  requests without a session or messages cookie and without a query string.
- Things outside the thread (site settings, the menu, other apps' badges and extras) can be
  up to `PARLEY_THREAD_PAGE_CACHE_SECONDS` old (60 by default; 0 turns the cache off).
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse

from . import selectors

_SKIP_HEADERS = {"set-cookie", "content-length"}


def cache_seconds() -> int:
    return int(getattr(settings, "PARLEY_THREAD_PAGE_CACHE_SECONDS", 60))


def _key(request) -> str:
    digest = hashlib.blake2b(
        f"{request.get_host()}|{request.path}".encode(), digest_size=16
    ).hexdigest()
    return f"questions:page:{digest}"


def _question_id(path: str) -> int | None:
    base = selectors.index_url()
    if not base or not path.startswith(base):
        return None
    match = re.fullmatch(r"(\d+)/[^/]+/", path[len(base) :])
    return int(match.group(1)) if match else None


def current_version(question_id: int) -> int | None:
    """The thread's version if it is public now; None otherwise (one indexed lookup)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT thread_version FROM questions_question "
            "WHERE id = %s AND status IN (%s, %s) AND is_hidden = %s",
            [question_id, "published", "closed", False],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _eligible(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and cache_seconds() > 0
    )


def mark(response, question) -> None:
    """Let the middleware keep this response (the view calls it for signed-out readers)."""
    response.parley_thread_version = question.thread_version


class ThreadPageCacheMiddleware:
    """Serve and store signed-out thread pages (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _eligible(request):
            return self.get_response(request)
        question_id = _question_id(request.path)
        if question_id is None:
            return self.get_response(request)
        key = _key(request)
        entry = cache.get(key)
        if entry is not None and entry["version"] == current_version(question_id):
            response = HttpResponse(entry["content"], status=200)
            for name, value in entry["headers"]:
                response[name] = value
            response["X-Parley-Cache"] = "hit"
            return response
        response = self.get_response(request)
        version = getattr(response, "parley_thread_version", None)
        if (
            version is not None
            and response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
        ):
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in _SKIP_HEADERS
            ]
            cache.set(
                key,
                {"version": version, "content": response.content, "headers": headers},
                cache_seconds(),
            )
        return response
