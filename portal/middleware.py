from django.conf import settings
from django.shortcuts import render

from . import ratelimit

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _too_big(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.PARLEY_MAX_REQUEST_BYTES


class PostRateLimitMiddleware:
    """Every write (POST, and PUT/PATCH/DELETE, which no view should accept) on the site counts
    against a per-IP budget; over it, a friendly 429 page.

    Views add tighter, per-action limits with `ratelimit.rate_limit`; this catches the rest.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE_METHODS and _too_big(request):
            # a backstop for every upload (the admin's avatar field has no limit of its own);
            # each file field also checks its own size and type
            return render(request, "413.html", status=413)
        if request.method not in SAFE_METHODS and not ratelimit.hit(
            f"post:ip:{ratelimit.client_ip(request)}", settings.PARLEY_POST_RATE_LIMIT
        ):
            return self.too_many(request, ratelimit.parse_rate(settings.PARLEY_POST_RATE_LIMIT)[1])
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ratelimit.RateLimited):
            return self.too_many(request, exception.retry_after, str(exception))
        return None

    @staticmethod
    def too_many(request, retry_after: int, message: str = ""):
        response = render(
            request,
            "429.html",
            {"message": message, "retry_minutes": max(1, round(retry_after / 60))},
            status=429,
        )
        response["Retry-After"] = str(retry_after)
        return response
