from django.conf import settings
from django.shortcuts import render

from . import ratelimit


class PostRateLimitMiddleware:
    """Every POST on the site counts against a per-IP budget; over it, a friendly 429 page.

    Views add tighter, per-action limits with `ratelimit.rate_limit`; this catches the rest.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and not ratelimit.hit(
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
