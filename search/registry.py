"""What the public search page searches: each app registers its public types here.

`search` sits below every other app, so it never imports them: each app's `searchable.py`
(loaded when Django starts, see `apps.SearchConfig.ready`) calls `register()` with a
`SearchableType` saying which rows the public may read and how to show one. Everything here is
expressed through modelsearch's public API (filter fields, `.search()`, `.facet()`), so it
works the same with the database backends, Whoosh and OpenSearch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class Status:
    """One value of a type's status facet: a label and the filter that selects it."""

    slug: str
    label: str
    # now -> Q over the type's filter fields (modelsearch checks them); the same rule as `of`.
    q: Callable[[datetime], Q]


@dataclass
class Result:
    """One result as the page shows it (user content here is plain text, escaped on render)."""

    url: str
    title: str
    text: str
    date: datetime | date | None = None
    status: str = ""
    status_colour: str = ""
    meta: str = ""
    tags: list[str] = field(default_factory=list)


@dataclass
class SearchableType:
    """A kind of public thing the search page finds (questions, consultations, ...).

    - `queryset()`: only what anyone may read (published, not hidden, public pages, evidence
      with consent); used both to search and to load the rows shown, so a row that stopped
      being public since it was indexed is never shown.
    - `scan_fields`: the columns loaded for every hit (facets are counted from them).
    - `date_field`: a FilterField; date facets and filters use it.
    - `statuses` and `status_of(obj)`: the status facet; `status_of` must agree with each
      Status's filter.
    - `tag_field` / `tag_model`: an M2M with `FilterField(tag_field)` and
      `RelatedFields(tag_field, [FilterField("slug")])`, for the topic facet.
    - `load(pks)`: the rows for one page of results, with what `present` reads, in a fixed
      number of queries.
    - `present(obj, request)`: the `Result` for one row.
    - `vocabulary()`: words people might mean (titles, topics) for "did you mean".
    """

    key: str
    label: str
    singular: str
    model: type
    queryset: Callable[[], QuerySet]
    load: Callable[[list], QuerySet]
    present: Callable[..., Result]
    date_field: str
    scan_fields: tuple[str, ...] = ()
    statuses: tuple[Status, ...] = ()
    status_label: str = "Status"
    status_of: Callable[[object, datetime], str] | None = None
    tag_field: str = ""
    tag_model: type | None = None
    tag_label: str = "Topic"
    vocabulary: Callable[[], Iterable[str]] | None = None
    order: int = 100

    def status(self, slug: str) -> Status | None:
        return next((s for s in self.statuses if s.slug == slug), None)

    @property
    def date_is_day(self) -> bool:
        """True when the date field is a DateField (filters then compare dates, not times)."""
        from django.db import models

        fld = self.model._meta.get_field(self.date_field)
        return isinstance(fld, models.DateField) and not isinstance(fld, models.DateTimeField)


def recent_titles(queryset: Callable[[], QuerySet], limit: int = 1000):
    """A `vocabulary` for "did you mean": the titles of the newest `limit` public items."""
    return lambda: queryset().order_by("-pk").values_list("title", flat=True)[:limit]


_types: dict[str, SearchableType] = {}


def register(searchable: SearchableType) -> SearchableType:
    """Add a type to the public search (called from each app's searchable.py)."""
    _types[searchable.key] = searchable
    return searchable


def unregister(key: str) -> None:
    _types.pop(key, None)


def types() -> list[SearchableType]:
    """Every registered type, in the order the page lists them."""
    return sorted(_types.values(), key=lambda t: (t.order, t.key))


def get(key: str) -> SearchableType | None:
    return _types.get(key)
