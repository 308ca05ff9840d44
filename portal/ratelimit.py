"""Cache-backed rate limits for write endpoints.

Fixed windows counted in the default cache: Redis when REDIS_URL is set (limits then hold
across processes and servers), local memory otherwise. A limit is written "count/seconds".
"""

import functools
import hashlib

from django.core.cache import cache
from django.core.exceptions import PermissionDenied


class RateLimited(PermissionDenied):
    """Raised when a limit is exceeded; rendered as a 429 page by the middleware."""

    def __init__(self, message: str = "", retry_after: int = 60):
        super().__init__(message or "You have done that too many times. Please wait and try again.")
        self.retry_after = retry_after


def parse_rate(rate: str) -> tuple[int, int]:
    count, seconds = rate.split("/")
    return int(count), int(seconds)


def client_ip(request) -> str:
    # REMOTE_ADDR is what the server saw; behind a proxy, the deployment sets it correctly
    # (gunicorn's forwarded-allow-ips) rather than us trusting a client-supplied header.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(key: str, rate: str) -> bool:
    """Count one hit against `key`; False when the limit for the window is already used."""
    limit, period = parse_rate(rate)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"rl:{digest}:{period}"
    added = cache.add(cache_key, 1, timeout=period)
    if added:
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=period)
        return limit >= 1
    return count <= limit


def check(request, scope: str, *, per_user: str | None = None, per_ip: str | None = None) -> None:
    """Raise RateLimited if this request goes over the user's or the IP's limit for `scope`."""
    if per_user and getattr(request, "user", None) is not None and request.user.is_authenticated:
        if not hit(f"{scope}:user:{request.user.pk}", per_user):
            raise RateLimited(retry_after=parse_rate(per_user)[1])
    if per_ip and not hit(f"{scope}:ip:{client_ip(request)}", per_ip):
        raise RateLimited(retry_after=parse_rate(per_ip)[1])


def rate_limit(
    scope: str, *, per_user: str | None = None, per_ip: str | None = None, methods=("POST",)
):
    """View decorator: limit the given methods per signed-in user and per client IP."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                check(request, scope, per_user=per_user, per_ip=per_ip)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
