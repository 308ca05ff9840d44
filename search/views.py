"""The public search page: one box over everything the registry lists, with facets.

Thin: it validates the query string, asks `selectors.search_page`, and renders. When the index
cannot answer, the page says so with a 503 (the rest of the site does not depend on search).
"""

from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from portal.ratelimit import rate_limit

from . import selectors
from .errors import SearchUnavailable

# Per client IP: enough for anyone paging through results, not for scraping the index.
SEARCH_RATE = "60/60"


@require_GET
@rate_limit("search", per_ip=SEARCH_RATE, methods=("GET",))
def search(request):
    params = selectors.Params.from_get(request.GET)
    context = {"params": params, "date_ranges": selectors.DATE_RANGES}
    try:
        context["search"] = selectors.search_page(params, request=request)
    except SearchUnavailable:
        return TemplateResponse(request, "search/unavailable.html", context, status=503)
    return TemplateResponse(request, "search/search.html", context)
