"""Reads for the public search page and for similar-item suggestions.

Only modelsearch's public API is used (`.search()`, `.autocomplete()`, `.facet()`,
`annotate_score`), so this works with any configured backend. The number of queries depends on
the number of registered types, never on the number of results: for each type one scan of up
to SCAN_LIMIT hits (only the columns facets need), one count when the scan was cut short, one
topic facet, and one load of the rows on the page being shown.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q
from django.utils import timezone

from . import registry, spelling
from .errors import SearchUnavailable
from .highlight import clean_query, highlight, query_terms, snippet

logger = logging.getLogger(__name__)

PER_PAGE = 20
SCAN_LIMIT = 500
TOP_TAGS = 12
SUGGEST_BELOW = 3  # offer "did you mean" when fewer results than this

DATE_RANGES = (
    ("upcoming", "Coming up"),
    ("week", "Past week"),
    ("month", "Past month"),
    ("year", "Past year"),
    ("older", "More than a year ago"),
)
_DATE_LABELS = dict(DATE_RANGES)


@contextmanager
def backend_errors():
    """Any failure inside the search backend becomes SearchUnavailable (logged once here), so
    callers have a single error to handle and never show a server error for it."""
    try:
        yield
    except SearchUnavailable:
        raise
    except Exception as exc:  # noqa: BLE001 - backends raise their own error types
        logger.exception("The search backend failed")
        raise SearchUnavailable(str(exc)) from exc


# -- what was asked ------------------------------------------------------------------------


@dataclass
class Params:
    """The search page's query string, validated: anything unknown is dropped, never an error."""

    query: str = ""
    type: str = ""
    tag: str = ""
    status: str = ""
    date: str = ""
    page: str = "1"

    @classmethod
    def from_get(cls, data) -> Params:
        query = clean_query(data.get("q"))
        kind = str(data.get("type") or "")
        searchable = registry.get(kind)
        kind = kind if searchable is not None else ""
        status = str(data.get("status") or "")
        if searchable is None or searchable.status(status) is None:
            status = ""
        date = str(data.get("date") or "")
        date = date if date in _DATE_LABELS else ""
        tag = clean_query(data.get("tag"))[:100]
        return cls(
            query=query,
            type=kind,
            tag=tag,
            status=status,
            date=date,
            page=str(data.get("page") or "1")[:10],
        )

    def as_query(self, **changes) -> dict:
        """The query-string values for a link (empty ones left out, page back to 1)."""
        values = {
            "q": self.query,
            "type": self.type,
            "tag": self.tag,
            "status": self.status,
            "date": self.date,
        }
        values.update(changes)
        if "type" in changes and "status" not in changes:
            values["status"] = ""
        return {k: v for k, v in values.items() if v}


def date_q(searchable: registry.SearchableType, key: str, now: datetime) -> Q:
    """The filter for one of DATE_RANGES over the type's date field."""
    bounds = {
        "upcoming": (now, None),
        "week": (now - timedelta(days=7), now),
        "month": (now - timedelta(days=30), now),
        "year": (now - timedelta(days=365), now),
        "older": (None, now - timedelta(days=365)),
    }[key]
    low, high = bounds
    name = searchable.date_field
    if searchable.date_is_day:
        low = timezone.localdate(low) if low else None
        high = timezone.localdate(high) if high else None
    q = Q()
    if low is not None:
        q &= Q(**{f"{name}__gt": low})
    if high is not None:
        q &= Q(**{f"{name}__lte": high})
    return q


def _in_range(value, key: str, now: datetime, day: bool) -> bool:
    if value is None:
        return False
    if day:
        value = timezone.make_aware(datetime.combine(value, datetime.min.time()))
    return {
        "upcoming": value > now,
        "week": now - timedelta(days=7) < value <= now,
        "month": now - timedelta(days=30) < value <= now,
        "year": now - timedelta(days=365) < value <= now,
        "older": value <= now - timedelta(days=365),
    }[key]


# -- the search ----------------------------------------------------------------------------


@dataclass
class Hit:
    type: str
    pk: object
    rank: int
    score: float | None
    date: object
    status: str


@dataclass
class Scan:
    """One type's hits (best first, at most SCAN_LIMIT) and how many there are in all."""

    searchable: registry.SearchableType
    queryset: object  # the filtered public queryset the hits came from
    hits: list[Hit]
    total: int

    @property
    def complete(self) -> bool:
        return len(self.hits) == self.total


@dataclass
class Facet:
    """One facet value; its link adds it to the search (or, once selected, removes it)."""

    label: str
    value: str
    count: int
    url_query: dict
    selected: bool = False

    @property
    def url(self) -> str:
        return "?" + urlencode(self.url_query)


@dataclass
class Shown:
    """A result on the page: the registered type's Result plus highlighted HTML."""

    type_label: str
    result: registry.Result
    title_html: str
    snippet_html: str


@dataclass
class SearchPage:
    params: Params
    terms: list[str] = field(default_factory=list)
    any_words: bool = False  # no item had every word, so items with any word are shown
    total: int = 0
    page: object = None  # a Django Page over the merged hits
    results: list[Shown] = field(default_factory=list)
    type_facets: list[Facet] = field(default_factory=list)
    status_facets: list[Facet] = field(default_factory=list)
    status_label: str = "Status"
    date_facets: list[Facet] = field(default_factory=list)
    tag_facets: list[Facet] = field(default_factory=list)
    tag_label: str = "Topic"
    suggestion: str = ""
    capped: bool = False

    @property
    def suggestion_url(self) -> str:
        return "?" + urlencode(self.params.as_query(q=self.suggestion)) if self.suggestion else ""

    @property
    def filtered(self) -> bool:
        p = self.params
        return bool(p.type or p.tag or p.status or p.date)

    @property
    def clear_filters_url(self) -> str:
        return "?" + urlencode({"q": self.params.query})


def _filtered(searchable, params: Params, now: datetime):
    """The type's public queryset with the page's filters, or None if a filter rules it out."""
    qs = searchable.queryset()
    if params.tag:
        if not searchable.tag_field:
            return None
        qs = qs.filter(**{f"{searchable.tag_field}__slug": params.tag})
    if params.date:
        qs = qs.filter(date_q(searchable, params.date, now))
    if params.type == searchable.key and params.status:
        qs = qs.filter(searchable.status(params.status).q(now))
    return qs


def _scan(searchable, qs, text: str, operator: str, now: datetime) -> Scan:
    fields = {"pk", searchable.date_field, *searchable.scan_fields}
    with backend_errors():
        results = qs.only(*fields).search(text, operator=operator)
        rows = list(results.annotate_score("_search_score")[:SCAN_LIMIT])
    hits = [
        Hit(
            type=searchable.key,
            pk=row.pk,
            rank=rank,
            score=getattr(row, "_search_score", None),
            date=getattr(row, searchable.date_field, None),
            status=searchable.status_of(row, now) if searchable.status_of else "",
        )
        for rank, row in enumerate(rows)
    ]
    total = len(hits)
    if total >= SCAN_LIMIT:
        with backend_errors():
            total = qs.search(text, operator=operator).count()
    return Scan(searchable=searchable, queryset=qs, hits=hits, total=total)


def _scan_all(params: Params, text: str, operator: str, now: datetime) -> list[Scan]:
    scans = []
    for searchable in registry.types():
        qs = _filtered(searchable, params, now)
        if qs is None:
            scans.append(Scan(searchable=searchable, queryset=None, hits=[], total=0))
        else:
            scans.append(_scan(searchable, qs, text, operator, now))
    return scans


def _higher_is_better(scans: list[Scan]) -> bool:
    """Which way this backend's scores run. modelsearch leaves scale and direction to the
    backend (SQLite FTS5's bm25 is negative and lower is better; Whoosh, OpenSearch and
    PostgreSQL score upwards), so read it from the backend's own best-first order."""
    for scan in scans:
        scores = [h.score for h in scan.hits if h.score is not None]
        if len(scores) >= 2 and scores[0] != scores[-1]:
            return scores[0] > scores[-1]
    scores = [h.score for scan in scans for h in scan.hits if h.score is not None]
    return not (scores and max(scores) < 0)


def merge(scans: list[Scan]) -> list[Hit]:
    """All hits in one best-first list (ties keep each type's own order, then type order)."""
    upward = _higher_is_better(scans)
    hits = [h for scan in scans for h in scan.hits]
    order = {scan.searchable.key: i for i, scan in enumerate(scans)}

    def key(hit: Hit):
        score = float(hit.score) if hit.score is not None else 0.0
        return (-score if upward else score, order[hit.type], hit.rank)

    return sorted(hits, key=key)


def _count(scan: Scan, text: str, operator: str, q: Q) -> int:
    with backend_errors():
        return scan.queryset.filter(q).search(text, operator=operator).count()


def _facet_url(params: Params, **changes) -> dict:
    return params.as_query(**changes)


def _type_facets(params: Params, scans: list[Scan]) -> list[Facet]:
    facets = [
        Facet(
            label=s.searchable.label,
            value=s.searchable.key,
            count=s.total,
            url_query=_facet_url(
                params, type="" if params.type == s.searchable.key else s.searchable.key
            ),
            selected=params.type == s.searchable.key,
        )
        for s in scans
        if s.total or params.type == s.searchable.key
    ]
    return facets


def _status_facets(params, scan: Scan, text, operator, now) -> list[Facet]:
    searchable = scan.searchable
    facets = []
    for status in searchable.statuses:
        if params.status and params.status != status.slug:
            continue
        if scan.complete:
            count = sum(1 for h in scan.hits if h.status == status.slug)
        elif params.status:
            count = scan.total
        else:
            count = _count(scan, text, operator, status.q(now))
        if count or params.status == status.slug:
            facets.append(
                Facet(
                    label=status.label,
                    value=status.slug,
                    count=count,
                    url_query=_facet_url(
                        params, status="" if params.status == status.slug else status.slug
                    ),
                    selected=params.status == status.slug,
                )
            )
    return facets


def _date_facets(params, scans: list[Scan], text, operator, now) -> list[Facet]:
    facets = []
    for key, label in DATE_RANGES:
        if params.date and params.date != key:
            continue
        count = 0
        for scan in scans:
            if scan.queryset is None or not scan.total:
                continue
            if params.date:
                count += scan.total
            elif scan.complete:
                day = scan.searchable.date_is_day
                count += sum(1 for h in scan.hits if _in_range(h.date, key, now, day))
            else:
                count += _count(scan, text, operator, date_q(scan.searchable, key, now))
        if count or params.date == key:
            facets.append(
                Facet(
                    label=label,
                    value=key,
                    count=count,
                    url_query=_facet_url(params, date="" if params.date == key else key),
                    selected=params.date == key,
                )
            )
    return facets


def _tag_facets(params, scans: list[Scan], text, operator) -> list[Facet]:
    """Topics with counts, summed by slug over the types that have topics (one facet query
    per type, one query per tag model for the names)."""
    by_model: dict[type, dict[object, int]] = {}
    for scan in scans:
        searchable = scan.searchable
        if not searchable.tag_field or scan.queryset is None or not scan.total:
            continue
        try:
            with backend_errors():
                results = scan.queryset.search(text, operator=operator)
                if not getattr(results, "supports_facet", True):
                    continue
                counts = results.facet(searchable.tag_field)
        except SearchUnavailable as exc:
            if isinstance(exc.__cause__, NotImplementedError):
                continue
            raise
        into = by_model.setdefault(searchable.tag_model, {})
        for tag_id, count in counts.items():
            if tag_id is not None:
                into[tag_id] = into.get(tag_id, 0) + count
    totals: dict[str, list] = {}
    for model, counts in by_model.items():
        if not counts or model is None:
            continue
        for pk, slug, name in model.objects.filter(pk__in=list(counts)).values_list(
            "pk", "slug", "name"
        ):
            entry = totals.setdefault(slug, [name, 0])
            entry[1] += counts[pk]
    if params.tag and params.tag not in totals:
        return []
    ranked = sorted(totals.items(), key=lambda item: (-item[1][1], item[1][0].casefold()))
    if params.tag:
        ranked = [item for item in ranked if item[0] == params.tag]
    return [
        Facet(
            label=name,
            value=slug,
            count=count,
            url_query=_facet_url(params, tag="" if params.tag == slug else slug),
            selected=params.tag == slug,
        )
        for slug, (name, count) in ranked[:TOP_TAGS]
    ]


def _present(hits: list[Hit], terms: list[str], request) -> list[Shown]:
    """Load the rows for these hits (one query or so per type) and build what is shown. Rows
    that are no longer public are dropped: the public queryset is asked again."""
    wanted: dict[str, list] = {}
    for hit in hits:
        wanted.setdefault(hit.type, []).append(hit.pk)
    rows: dict[tuple[str, object], object] = {}
    for key, pks in wanted.items():
        searchable = registry.get(key)
        for obj in searchable.load(pks):
            rows[(key, obj.pk)] = obj
    shown = []
    for hit in hits:
        obj = rows.get((hit.type, hit.pk))
        if obj is None:
            continue
        searchable = registry.get(hit.type)
        result = searchable.present(obj, request)
        if not result.url:
            continue
        shown.append(
            Shown(
                type_label=searchable.singular,
                result=result,
                title_html=highlight(result.title, terms),
                snippet_html=snippet(result.text, terms),
            )
        )
    return shown


def search_page(params: Params, *, request=None, now: datetime | None = None) -> SearchPage:
    """Everything the search page shows for `params`; raises SearchUnavailable when the
    backend cannot answer."""
    now = now or timezone.now()
    out = SearchPage(params=params, terms=query_terms(params.query))
    if not out.terms:
        return out
    text = " ".join(out.terms)
    operator = "and"
    scans = _scan_all(params, text, operator, now)
    if len(out.terms) > 1 and not any(s.total for s in scans):
        operator = "or"
        out.any_words = True
        scans = _scan_all(params, text, operator, now)

    out.type_facets = _type_facets(params, scans)
    in_scope = [s for s in scans if not params.type or s.searchable.key == params.type]
    out.total = sum(s.total for s in in_scope)
    out.capped = any(not s.complete for s in in_scope)
    if params.type:
        scan = in_scope[0]
        out.status_label = scan.searchable.status_label
        if scan.queryset is not None and scan.total:
            out.status_facets = _status_facets(params, scan, text, operator, now)
    out.date_facets = _date_facets(params, in_scope, text, operator, now)
    out.tag_facets = _tag_facets(params, in_scope, text, operator)
    labels = {s.searchable.tag_label for s in in_scope if s.searchable.tag_field}
    out.tag_label = labels.pop() if len(labels) == 1 else "Topic"

    paginator = Paginator(merge(in_scope), PER_PAGE, allow_empty_first_page=True)
    out.page = paginator.get_page(params.page)
    out.results = _present(list(out.page.object_list), out.terms, request)
    if out.total < SUGGEST_BELOW:
        out.suggestion = _public_suggestion(params, now)
    return out


def _public_suggestion(params: Params, now: datetime) -> str:
    """A did-you-mean whose every changed word finds something public with the page's filters:
    a backend suggests from its whole index, which also holds unpublished and private items,
    so a word only they contain is never offered (one count per type for each changed word)."""
    suggestion = spelling.suggest(params.query) or ""
    asked = set(query_terms(params.query))
    in_scope = [s for s in registry.types() if not params.type or s.key == params.type]
    for word in query_terms(suggestion):
        if word in asked:
            continue
        querysets = (_filtered(searchable, params, now) for searchable in in_scope)
        with backend_errors():
            if not any(qs is not None and qs.search(word).count() for qs in querysets):
                return ""
    return suggestion


# -- suggestions while typing ----------------------------------------------------------------

STOP_WORDS = frozenset(
    """a about after again all am an and any are as at be been before being but by can could
    did do does doing for from had has have having how i if in into is it its just me more most
    my no not of on once only or other our out over own same should so some such than that the
    their them then there these they this to too under until up very was we were what when where
    which while who whom why will with would you your yours please""".split()
)


def similar(queryset, text: str, *, limit: int = 5, stop_words=STOP_WORDS) -> list:
    """Rows of `queryset` most like `text` (a title being typed), best first: items sharing
    its significant words (ranked by the backend, a more-like-this), then completions of the
    words as typed ("recyc" finds "recycling"). Raises SearchUnavailable."""
    words = [w for w in query_terms(clean_query(text)) if len(w) > 2 and w not in stop_words]
    if not words or limit <= 0:
        return []
    with backend_errors():
        found = list(queryset.search(" ".join(words), operator="or")[:limit])
        if len(found) < limit:
            seen = {obj.pk for obj in found}
            more = queryset.autocomplete(" ".join(words[-3:]), operator="or")[: limit * 2]
            found += [obj for obj in more if obj.pk not in seen][: limit - len(found)]
    return found[:limit]
