"""A modelsearch backend on Whoosh: one on-disk index for every indexed model.

Mirrors the structure of modelsearch's own backends (`modelsearch.backends.elasticsearchbase`):
a mapping turns model instances into documents, query compilers turn modelsearch queries and
queryset filters into Whoosh queries, a results class runs them, an index class writes, and a
rebuilder builds a fresh index beside the live one and swaps it in.

Documents. One document per object, keyed by its root model (multi-table inheritance: a Wagtail
page is indexed once, at `wagtailcore.page`, with the content types of its class and every
indexed ancestor so a search on any of them finds it). Field names carry their kind as a suffix
so one schema of wildcard fields serves every model:

- `<name>__t`   SearchField text, English (Snowball) stemming, stop words, accents folded;
- `<name>__ac`  AutocompleteField text, edge n-grams (1 to 15 characters), no stemming;
- `<name>__fs` / `__fi` / `__fn` / `__fd`  FilterField as keyword, integer, float or date-time
  (sortable); `__fsm` / `__fim` for many-valued ones (tags, many-to-many);
- RelatedFields nest their sub-fields' text under `<relation>__<name>__t`; filters through a
  relation are answered by the database (exact Django semantics for multi-valued joins);
- `<app>_<model>__all`  every SearchField's text of the document again (nested ones too), in
  one column per root model, each word weighted by its field's boost: a search for words over
  all fields reads one posting list per word instead of one per word and field, and only its
  own model's postings (an answer's words are not in a question search's lists), scored
  BM25F-style (boosted term frequencies summed before saturation), so a title match still
  outranks a body-only one where the title is boosted. No positions: phrases are matched in
  the per-field columns.

Fields defined on a subclass are prefixed `<app>_<model>__` as in the Elasticsearch mapping.

Writes. `add` and `delete` never touch the index on the request path: they record the change in
the database (`search.PendingIndexChange`, in the same transaction as the change itself) and
enqueue the drain task; the drain applies queued changes in batches through the single Whoosh
writer (see `search.index_queue`). Searches raise `search.errors.SearchUnavailable` when the
index is missing or cannot be read.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import heapq
import itertools
import logging
import os
import shutil
import threading
import uuid
from collections import OrderedDict
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Subquery
from django.db.models.expressions import Col, OrderBy
from django.db.models.lookups import Lookup
from django.db.models.sql import Query
from django.db.models.sql.constants import MULTI, SINGLE
from django.utils import timezone
from modelsearch.backends.base import (
    BaseIndex,
    BaseSearchBackend,
    BaseSearchQueryCompiler,
    BaseSearchResults,
    FilterFieldError,
    get_model_root,
)
from modelsearch.index import (
    AutocompleteField,
    FilterField,
    Indexed,
    RelatedFields,
    SearchField,
    class_is_indexed,
    get_indexed_models,
)
from modelsearch.query import And, Boost, Fuzzy, MatchAll, Not, Or, Phrase, PlainText
from whoosh import analysis, fields, index, matching, query, sorting
from whoosh.codec import whoosh3
from whoosh.query.wrappers import WrappingQuery
from whoosh.support.charset import accent_map
from whoosh.support.levenshtein import damerau_levenshtein
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length

from search.errors import SearchUnavailable

logger = logging.getLogger(__name__)

# Edge n-grams for autocomplete: ES's defaults in modelsearch (1 to 15 characters).
AUTOCOMPLETE_MAX_GRAM = 15
# Queries longer than this are cut (modelsearch's own limit for query strings is 255).
MAX_QUERY_CHARS = 1000
MAX_QUERY_TERMS = 64
# Filters whose description is longer than this are computed per search, not cached.
MAX_CACHED_FILTER_KEY = 4000
# Did-you-mean leaves shorter words alone (too many near neighbours to guess well).
SPELLING_MIN_WORD = 4

INT_TYPES = {
    "AutoField",
    "SmallAutoField",
    "BigAutoField",
    "IntegerField",
    "SmallIntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
    "BooleanField",
    "NullBooleanField",
}
FLOAT_TYPES = {"FloatField", "DecimalField"}
DATE_TYPES = {"DateField", "DateTimeField"}


def text_analyzer():
    # Snowball's English stemmer: Whoosh's default Porter stemmer makes "running" into "runn".
    return (
        analysis.RegexTokenizer()
        | analysis.LowercaseFilter()
        | analysis.CharsetFilter(accent_map)
        | analysis.StopFilter()
        | analysis.StemFilter(lang="en")
    )


def autocomplete_analyzer():
    return (
        analysis.RegexTokenizer()
        | analysis.LowercaseFilter()
        | analysis.CharsetFilter(accent_map)
        | analysis.NgramFilter(minsize=1, maxsize=AUTOCOMPLETE_MAX_GRAM, at="start")
    )


_QUERY_TOKENIZER = (
    analysis.RegexTokenizer() | analysis.LowercaseFilter() | analysis.CharsetFilter(accent_map)
)
_TEXT_QUERY_ANALYZER = text_analyzer()


def all_text_column(model):
    """The column holding all SearchField text of the model's documents (module docstring)."""
    meta = get_model_root(model)._meta
    return f"{meta.app_label.lower()}_{meta.model_name}__all"


class WeightedText(fields.TEXT):
    """A text field indexed from (boost, text) parts: each word's weight (the term frequency
    BM25 reads) is the sum of its occurrences' boosts. No positions: phrases are matched in the
    per-field columns, and a posting list without them reads several times faster."""

    def __init__(self, analyzer):
        super().__init__(analyzer=analyzer, phrase=False)

    def index(self, value, **kwargs):
        counts: dict[str, int] = {}
        weights: dict[str, float] = {}
        for boost, text in value:
            for token in self.analyzer(text, mode="index"):
                if not token.stopped:
                    counts[token.text] = counts.get(token.text, 0) + 1
                    weights[token.text] = weights.get(token.text, 0.0) + boost
        for word, count in counts.items():
            yield word.encode("utf-8"), count, weights[word], pack_uint(count)


def _number(numtype, sortable=False):
    return fields.NUMERIC(numtype=numtype, bits=64, signed=True, sortable=sortable, shift_step=16)


def build_schema():
    schema = fields.Schema(
        docid=fields.ID(stored=True, unique=True),
        pk=fields.ID(stored=True),
        pksort=fields.ID(sortable=True),
        ctype=fields.ID(),
    )
    schema.add("*__all", WeightedText(text_analyzer()), glob=True)
    schema.add("*__t", fields.TEXT(analyzer=text_analyzer(), phrase=True), glob=True)
    schema.add("*__ac", fields.TEXT(analyzer=autocomplete_analyzer(), phrase=False), glob=True)
    schema.add("*__fs", fields.ID(sortable=True), glob=True)
    schema.add("*__fsm", fields.ID(), glob=True)
    # Numbers are indexed at four precisions (shift_step 16) rather than Whoosh's sixteen: a
    # quarter of the postings to write, and range filters only walk the terms that exist.
    schema.add("*__fi", _number(int, sortable=True), glob=True)
    schema.add("*__fim", _number(int), glob=True)
    schema.add("*__fn", _number(float, sortable=True), glob=True)
    schema.add("*__fd", fields.DATETIME(sortable=True), glob=True)
    return schema


def _cached_column_reader(self, fieldname, column):
    # Whoosh caches a length column's reader once found but asks the file system again on
    # every call for a field without one (IDs, numbers, dates: not scored), which is once per
    # posting while a segment is written. A segment's files never change once written, so the
    # absence is remembered too.
    readers = self._readers
    if fieldname in readers:
        return readers[fieldname]
    reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
    readers[fieldname] = reader
    return reader


whoosh3.W3PerDocReader._cached_reader = _cached_column_reader


# Values ----------------------------------------------------------------------------------------


def _filter_kind(type_name):
    if type_name in INT_TYPES:
        return "fi"
    if type_name in FLOAT_TYPES:
        return "fn"
    if type_name in DATE_TYPES:
        return "fd"
    return "fs"


def _to_datetime(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        return _to_datetime(datetime.datetime.fromisoformat(value))
    raise ValueError(f"not a date: {value!r}")


def encode_filter_value(kind, value):
    """A Python value as the indexed term for a filter field of this kind (None stays None)."""
    if value is None:
        return None
    if isinstance(value, models.Model):
        value = value.pk
    if kind in ("fi", "fim"):
        return int(value)
    if kind == "fn":
        return float(value)
    if kind == "fd":
        return _to_datetime(value)
    if isinstance(value, datetime.time):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _is_many_valued(model, field):
    try:
        model_field = field.get_field(model)
    except Exception:  # a callable or property: decided by its value at index time
        return False
    return bool(model_field.many_to_many or model_field.one_to_many)


def pk_sort_key(pk):
    if isinstance(pk, int):
        return f"{pk:020d}" if pk >= 0 else f"-{-pk:019d}"
    return str(pk)


def _prefetched_pks(obj, field):
    """A many-to-many filter's primary keys from the prefetch cache, or None when not prefetched.

    `get_indexed_objects` prefetches the relations of RelatedFields; the field's own
    `value_from_object` (taggit's, for one) would query the database once per object instead.
    """
    cache = getattr(obj, "_prefetched_objects_cache", None)
    if not cache:
        return None
    try:
        model_field = field.get_field(type(obj))
    except Exception:  # a callable or property
        return None
    if not model_field.many_to_many or model_field.name not in cache:
        return None
    return [related.pk for related in cache[model_field.name]]


def _text_of(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set)):
        return "\n".join(_text_of(item) for item in value)
    if isinstance(value, (models.Manager, models.QuerySet)):
        return "\n".join(_text_of(item) for item in value.all())
    return str(value)


# Mapping ---------------------------------------------------------------------------------------


class WhooshMapping:
    """Translates a model's search_fields into Whoosh field names and documents."""

    def __init__(self, model):
        self.model = model
        self.root = get_model_root(model)

    def _prefix(self, field):
        definition_model = field.get_definition_model(self.model)
        if definition_model is not None and definition_model != self.root:
            return (
                f"{definition_model._meta.app_label.lower()}_{definition_model.__name__.lower()}__"
            )
        return ""

    def filter_kind(self, field):
        kind = _filter_kind(field.get_type(self.model))
        if _is_many_valued(self.model, field):
            kind = {"fi": "fim"}.get(kind, "fsm")
        return kind

    def column(self, field):
        prefix = self._prefix(field)
        if isinstance(field, FilterField):
            return f"{prefix}{field.get_attname(self.model)}__{self.filter_kind(field)}"
        if isinstance(field, AutocompleteField):
            return f"{prefix}{field.get_attname(self.model)}__ac"
        if isinstance(field, SearchField):
            return f"{prefix}{field.get_attname(self.model)}__t"
        raise ValueError(f"no column for {field!r}")

    def text_columns(self, kind, related_prefix="", boost=1.0):
        """(column, boost) for every SearchField ("t") or AutocompleteField ("ac"), nested too."""
        for field in self.model.get_search_fields():
            if isinstance(field, RelatedFields):
                related = field.get_field(self.model).related_model
                sub = WhooshMapping(related)
                sub.root = related  # related models' fields are never prefixed
                nested_prefix = f"{related_prefix}{self._prefix(field)}{field.field_name}__"
                yield from sub._nested_columns(field.fields, kind, nested_prefix)
            elif kind == "t" and isinstance(field, SearchField):
                yield related_prefix + self.column(field), float(field.boost or 1.0)
            elif kind == "ac" and isinstance(field, AutocompleteField):
                yield related_prefix + self.column(field), 1.0

    def _nested_columns(self, search_fields, kind, prefix):
        for field in search_fields:
            if isinstance(field, RelatedFields):
                related = field.get_field(self.model).related_model
                sub = WhooshMapping(related)
                sub.root = related
                yield from sub._nested_columns(field.fields, kind, f"{prefix}{field.field_name}__")
            elif kind == "t" and isinstance(field, SearchField):
                yield f"{prefix}{field.get_attname(self.model)}__t", float(field.boost or 1.0)
            elif kind == "ac" and isinstance(field, AutocompleteField):
                yield f"{prefix}{field.get_attname(self.model)}__ac", 1.0

    def content_types(self):
        labels = []
        model = self.model
        while model is not None:
            labels.append(model._meta.label_lower)
            model = model.indexed_get_parent() if issubclass(model, Indexed) else None
        return labels

    def document_id(self, obj):
        return f"{self.root._meta.label_lower}:{obj.pk}"

    def get_document(self, obj):
        doc = {
            "docid": self.document_id(obj),
            "pk": str(obj.pk),
            "pksort": pk_sort_key(obj.pk),
            "ctype": self.content_types(),
        }
        texts: dict[str, list[str]] = {}
        boosts: dict[str, float] = {}
        self._collect(obj, self.model.get_search_fields(), "", texts, boosts, doc, top=True)
        for column, parts in texts.items():
            text = "\n".join(part for part in parts if part)
            if text:
                doc[column] = text
        weighted = [(boost, doc[column]) for column, boost in boosts.items() if column in doc]
        if weighted:
            doc[all_text_column(self.root)] = weighted
        return doc

    def _collect(self, obj, search_fields, prefix, texts, boosts, doc, top):
        model = type(obj)
        mapping = self if top else WhooshMapping(model)
        if not top:
            mapping.root = model
        for field in search_fields:
            if isinstance(field, RelatedFields):
                value = field.get_value(obj)
                nested_prefix = f"{prefix}{mapping._prefix(field)}{field.field_name}__"
                if isinstance(value, (models.Manager, models.QuerySet)):
                    related_objects = list(value.all())
                elif isinstance(value, models.Model):
                    related_objects = [value]
                else:
                    related_objects = []
                for related_obj in related_objects:
                    self._collect(
                        related_obj, field.fields, nested_prefix, texts, boosts, doc, top=False
                    )
            elif isinstance(field, FilterField):
                if not top:
                    continue  # filters through relations are answered by the database
                self._add_filter_value(mapping, field, obj, doc)
            elif isinstance(field, (SearchField, AutocompleteField)):
                value = field.get_value(obj)
                if top:
                    column = mapping.column(field)
                else:  # nested fields are named by the relation path alone, never prefixed
                    suffix = "ac" if isinstance(field, AutocompleteField) else "t"
                    column = f"{prefix}{field.get_attname(model)}__{suffix}"
                texts.setdefault(column, []).append(_text_of(value))
                if isinstance(field, SearchField):
                    boosts[column] = float(field.boost or 1.0)

    def _add_filter_value(self, mapping, field, obj, doc):
        value = _prefetched_pks(obj, field)
        if value is None:
            value = field.get_value(obj)
        kind = mapping.filter_kind(field)
        column = mapping.column(field)
        if isinstance(value, (models.Manager, models.QuerySet)):
            value = list(value.values_list("pk", flat=True))
        if isinstance(value, (list, tuple, set)):
            values = [encode_filter_value(kind, item) for item in value]
            values = [item for item in values if item is not None]
            if kind in ("fs", "fi"):
                # a callable returned several values: index them in the many-valued twin
                kind = {"fi": "fim", "fs": "fsm"}[kind]
                column = column[: -len(mapping.filter_kind(field))] + kind
            if values:
                doc[column] = values if kind != "fsm" else [str(item) for item in values]
            return
        encoded = encode_filter_value(kind, value)
        if encoded is None:
            return
        if kind == "fsm":
            doc[column] = [encoded]
        elif kind == "fim":
            doc[column] = [encoded]
        else:
            doc[column] = encoded


# The on-disk index and its long-lived searcher -------------------------------------------------


class IndexHandle:
    """One index directory: opens it, keeps one searcher per thread, refreshes on change."""

    def __init__(self, path):
        self.path = Path(path)
        self._local = threading.local()

    # Opening

    def exists(self):
        """An index was created here (its table of contents exists; it may still be corrupt)."""
        return self.path.is_dir() and any(self.path.glob("_MAIN_*.toc"))

    def open(self):
        if not self.exists():
            raise SearchUnavailable(
                f"The search index at {self.path} is missing: run "
                "`manage.py rebuild_modelsearch_index` to build it."
            )
        try:
            ix = index.open_dir(str(self.path))
        except Exception as exc:
            raise self._unreadable(exc) from exc
        if _schema_outline(ix.schema) != _current_outline():
            # Searching it would quietly miss documents, writing to it would mix two layouts.
            raise SearchUnavailable(
                f"The search index at {self.path} was built with an older layout: run "
                "`manage.py rebuild_modelsearch_index` to rebuild it."
            )
        return ix

    def _unreadable(self, exc):
        """The error for an index whose files cannot be read (logged with the cause)."""
        logger.exception("search index at %s cannot be read", self.path)
        return SearchUnavailable(
            f"The search index at {self.path} cannot be read ({exc.__class__.__name__}): "
            "run `manage.py rebuild_modelsearch_index` to rebuild it."
        )

    def open_or_create(self):
        """For writers: a fresh install has no index yet, so the first write creates it."""
        if not self.exists():
            self.path.mkdir(parents=True, exist_ok=True)
            try:
                return index.create_in(str(self.path), build_schema())
            except Exception as exc:
                raise SearchUnavailable(f"Cannot create the search index: {exc}") from exc
        return self.open()

    def _identity(self):
        try:
            return os.stat(self.path).st_ino
        except OSError:
            return None

    def searcher(self):
        """The thread's searcher, refreshed if the index changed (or was swapped by a rebuild)."""
        state = getattr(self._local, "state", None)
        identity = self._identity()
        if state is not None:
            searcher, known_identity, cache = state
            # an index that went away makes up_to_date() raise: reopen below
            with contextlib.suppress(Exception):
                if known_identity == identity and searcher.up_to_date():
                    return searcher, cache
            with contextlib.suppress(Exception):
                searcher.close()
            self._local.state = None
        ix = self.open()
        try:
            searcher = ix.searcher()
        except Exception as exc:
            raise self._unreadable(exc) from exc
        cache = {}
        self._local.state = (searcher, identity, cache)
        return searcher, cache

    def forget(self):
        state = getattr(self._local, "state", None)
        if state is not None:
            with contextlib.suppress(Exception):
                state[0].close()
        self._local.state = None


def _schema_outline(schema):
    """The field names and glob patterns a schema declares, with their classes and formats."""
    return (
        {name: (type(field), type(field.format)) for name, field in schema.items()},
        {
            pattern: (type(field), type(field.format))
            for pattern, (_expr, field) in schema._dyn_fields.items()
        },
    )


@functools.cache
def _current_outline():
    """This version's layout, worked out once (every searcher refresh compares against it)."""
    return _schema_outline(build_schema())


_handles: dict[str, IndexHandle] = {}
_handles_lock = threading.Lock()


def get_handle(path) -> IndexHandle:
    key = str(Path(path).resolve())
    with _handles_lock:
        handle = _handles.get(key)
        if handle is None:
            handle = _handles[key] = IndexHandle(key)
        return handle


def filter_docset(searcher, cache, filter_query):
    """The document numbers matching a filter, cached for the life of this searcher."""
    key = repr(filter_query)
    if len(key) > MAX_CACHED_FILTER_KEY:  # primary keys from the database: not worth keeping
        return set(filter_query.docs(searcher))
    docs = cache.get(key)
    if docs is None:
        if len(cache) > 256:
            cache.clear()
        docs = set(filter_query.docs(searcher))  # whoosh takes a set (never changes it)
        cache[key] = docs
    return docs


class _RequireMatcher(matching.RequireMatcher):
    # Whoosh's version realigns its two sides after a quality skip even when the skip already
    # landed both on the same document (or ran off the end), which trips an assertion.
    def skip_to_quality(self, minquality):
        skipped = self.a.skip_to_quality(minquality)
        if self.a.is_active() and self.b.is_active() and self.a.id() != self.b.id():
            self.child._find_next()
        return skipped


class _Require(query.Require):
    """Matches the first query within the second, scored by the first alone."""

    def matcher(self, searcher, context=None):
        scored = self.a.matcher(searcher, context)
        required = self.b.matcher(searcher, searcher.boolean_context())
        return _RequireMatcher(scored, required)


# Ranking bags of words -------------------------------------------------------------------------
#
# A plain-text search over all fields compiles to Terms on `*__all` joined by Or or And. Whoosh
# scores those document at a time through a tree of matchers, some ten microseconds a document,
# and its block-quality skipping rarely skips anything on text this uniform, so a common word
# costs its whole posting list at that rate. Scoring term at a time instead (each posting list
# read a block at a time into a dictionary of scores) gives the same BM25F scores and order for a
# fraction of the cost. A phrase over all fields is scored the same way by its words, every one
# required, and kept where its words follow each other in one of the fields (checked by Whoosh
# for the best candidates only when a page is asked for). Anything else (fuzzy terms, phrases in
# chosen fields, sorted results) goes through Whoosh's matchers.


class PhraseInAnyField(WrappingQuery):
    """Words in this order in any of several columns: to Whoosh, its child (an Or of Phrases);
    to score_text_query, the words in `fieldname` (the model's `__all` column), every one
    required, where the child matches."""

    def __init__(self, child, fieldname="", words=(), word_boost=1.0):
        super().__init__(child)
        self.fieldname = fieldname
        self.words = list(words)
        self.word_boost = word_boost

    def _rewrap(self, child):
        return self.__class__(child, self.fieldname, self.words, self.word_boost)


def score_text_query(searcher, cache, allowed, text_query, limit=None):
    """({document number: score}, a Whoosh query the documents must match as well, or None) for
    a query scored term at a time; None for any other query (Whoosh's matchers answer it). With
    a `limit`, the scores may leave out documents that cannot be among the best `limit`."""
    if isinstance(text_query, PhraseInAnyField):
        words = [(word, text_query.word_boost) for word in dict.fromkeys(text_query.words)]
        fieldname = text_query.fieldname
        scores = score_bag(searcher, cache, allowed, fieldname, words, require_all=True)
        return scores, text_query.child
    bag = bag_of_terms(text_query)
    if bag is None:
        return None
    return score_bag(searcher, cache, allowed, *bag, limit=limit), None


def bag_of_terms(text_query):
    """(field name, [(term, boost)], every term required) when the query is one Term, or an Or
    or And of Terms on one field; None for any other query."""
    if type(text_query) is query.Term:
        return text_query.fieldname, [(text_query.text, text_query.boost)], False
    if type(text_query) not in (query.Or, query.And):
        return None
    terms = text_query.subqueries
    if not all(type(term) is query.Term for term in terms) or getattr(text_query, "scale", None):
        return None
    if len({term.fieldname for term in terms}) != 1:
        return None
    boost = text_query.boost
    weighted = [(term.text, term.boost * boost) for term in terms]
    return terms[0].fieldname, weighted, type(text_query) is query.And


def _posting_blocks(reader, fieldname, btext):
    """A term's postings in one segment as (document numbers, weights) a block at a time.

    Deleted documents are included: callers keep only documents of a filter set, which never
    holds a deleted one. Blocks are decoded here rather than by the matcher's `id()` and
    `weight()` (a Python generator per block, then a call per posting)."""
    matcher = reader.postings(fieldname, btext)
    if isinstance(matcher, matching.FilterMatcher):  # the segment's deletions
        matcher = matcher.child
    if not isinstance(matcher, whoosh3.W3LeafMatcher) or matcher._byteids:
        while matcher.is_active():
            yield (matcher.id(),), (matcher.weight(),)
            matcher.next()
        return
    while matcher.is_active():
        matcher._read_data()
        deltas, weights = matcher._data[0], matcher._data[1]
        if weights is None or isinstance(weights, float):  # every posting weighs the same
            weights = itertools.repeat(1.0 if weights is None else weights, len(deltas))
        yield itertools.accumulate(deltas), weights
        matcher._next_block()


def _length_norms(reader, cache, fieldname, norm):
    """`norm(length)` for each document of one segment, by its length in `fieldname`."""
    key = ("norms", id(reader), fieldname)
    norms = cache.get(key)
    if norms is None:
        column = reader._perdoc._cached_reader(f"_{fieldname}_len", whoosh3.LENGTHS_COLUMN)
        by_byte = [norm(byte_to_length(byte)) for byte in range(256)]
        lengths = column.load() if column is not None else bytes(reader.doc_count_all())
        norms = cache[key] = [by_byte[byte] for byte in lengths]
    return norms


def score_bag(searcher, cache, allowed, fieldname, terms, require_all, limit=None):
    """{document number: score} for the documents in `allowed` that match the terms (all of
    them when `require_all`), scored as Whoosh's BM25F scores the equivalent Or or And.

    With a `limit` (only the best `limit` documents of an Or are wanted), documents that can no
    longer reach them are left out: once the words still to read could not lift a document they
    missed above the `limit`-th best score so far, those words only add to the documents that
    can still get there (MaxScore, term at a time)."""
    weighting = searcher.weighting
    b = weighting._field_B.get(fieldname, weighting.B)
    k1 = weighting.K1
    avgfl = searcher.avg_field_length(fieldname) or 1

    def norm(length):
        return k1 * ((1 - b) + b * length / avgfl)

    field = searcher.schema[fieldname]
    weighted = []  # (term, score factor, highest score it can give)
    for text, boost in terms:
        btext = field.to_bytes(text)
        if not searcher.doc_frequency(fieldname, btext):
            if require_all:
                return {}
            continue
        factor = searcher.idf(fieldname, btext) * (k1 + 1) * boost
        info = searcher.term_info(fieldname, btext)
        top = info.max_weight()
        weighted.append((btext, factor, factor * top / (top + norm(info.min_length()))))
    if require_all:  # the rarest first: every later term only updates the survivors
        weighted.sort(key=lambda term: searcher.doc_frequency(fieldname, term[0]))
    else:  # the weightiest first, so the rest may soon be unable to bring in new documents
        weighted.sort(key=lambda term: -term[2])
    still_to_give = sum(bound for _btext, _factor, bound in weighted)
    scores: dict[int, float] = {}
    for position, (btext, factor, bound) in enumerate(weighted):
        keep = allowed if not require_all or position == 0 else scores
        if not require_all and limit is not None and len(scores) >= limit:
            threshold = heapq.nlargest(limit, scores.values())[-1]
            # a margin for rounding: the bounds are summed in another order than the scores
            reach = still_to_give * (1 + 1e-9)
            if reach < threshold:
                scores = {doc: score for doc, score in scores.items() if score + reach >= threshold}
                keep = scores
        still_to_give -= bound
        found = {} if require_all else scores
        for subsearcher, offset in searcher.leaf_searchers():
            reader = subsearcher.reader()
            if (fieldname, btext) not in reader:
                continue
            norms = _length_norms(reader, cache, fieldname, norm)
            for ids, weights in _posting_blocks(reader, fieldname, btext):
                for local, weight in zip(ids, weights, strict=False):
                    docnum = local + offset
                    if docnum in keep:
                        found[docnum] = scores.get(docnum, 0.0) + factor * weight / (
                            weight + norms[local]
                        )
        scores = found
        if require_all and not scores:
            break
    return scores


def _best_matching(searcher, scores, whoosh_query, limit):
    """best_first(scores, limit) among the documents `whoosh_query` matches (any when it is None),
    checking the best candidates a batch at a time."""
    if whoosh_query is None:
        return best_first(scores, limit)
    ranked: list[tuple[float, int]] = []
    checked = 0
    batch = len(scores) if limit is None else 2 * limit
    while checked < len(scores) and (limit is None or len(ranked) < limit):
        candidates = best_first(scores, checked + batch)[checked:]
        matching_docs = _matching_among(searcher, whoosh_query, [doc for _s, doc in candidates])
        ranked.extend(item for item in candidates if item[1] in matching_docs)
        checked += len(candidates)
        batch *= 4
    return ranked[:limit]


def _matching_among(searcher, whoosh_query, docnums):
    """The documents among `docnums` that `whoosh_query` matches. The parts of an Or are tried
    one after another on the documents none has matched yet; matchers only go forward."""
    parts = whoosh_query.subqueries if type(whoosh_query) is query.Or else [whoosh_query]
    found: set[int] = set()
    for part in parts:
        for subsearcher, offset in searcher.leaf_searchers():
            end = offset + subsearcher.doc_count_all()
            local = sorted(d - offset for d in docnums if offset <= d < end and d not in found)
            if not local:
                continue
            matcher = part.matcher(subsearcher, subsearcher.context(needs_current=True))
            for docnum in local:
                if not matcher.is_active():
                    break
                if matcher.id() < docnum:
                    matcher.skip_to(docnum)
                if matcher.is_active() and matcher.id() == docnum:
                    found.add(docnum + offset)
    return found


def best_first(scores, limit):
    """(score, document number) pairs, highest score first, ties in document order."""
    items = scores.items()
    if limit is not None and limit < len(scores):
        threshold = heapq.nlargest(limit, scores.values())[-1]
        items = [item for item in items if item[1] >= threshold]
    ranked = sorted(items, key=lambda item: (-item[1], item[0]))[:limit]
    return [(score, docnum) for docnum, score in ranked]


class _NeedsDatabase(Exception):
    """A filter the index cannot answer exactly: the database evaluates the queryset instead."""


# Query compilers -------------------------------------------------------------------------------


class WhooshSearchQueryCompiler(BaseSearchQueryCompiler):
    DEFAULT_OPERATOR = "or"
    HANDLES_ORDER_BY_EXPRESSIONS = True
    text_kind = "t"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mapping = WhooshMapping(self.queryset.model)

    # Fields to search

    def get_columns(self):
        """(column, boost) pairs the text query runs over."""
        model = self.queryset.model
        if self.fields:
            by_name = {f.field_name: f for f in self._fields_for_restriction()}
            return [
                (self.mapping.column(by_name[name]), float(getattr(by_name[name], "boost", 1) or 1))
                for name in self.fields
                if name in by_name
            ]
        columns = {}
        for indexed in get_indexed_models():
            if not issubclass(indexed, model):
                continue
            for column, boost in WhooshMapping(indexed).text_columns(self.text_kind):
                columns[column] = max(boost, columns.get(column, 0.0))
        return sorted(columns.items())

    def _word_columns(self, columns):
        """Where single words are looked up: the model's `__all` column for a search over all
        fields."""
        if columns and not self.fields and self.text_kind == "t":
            return [(all_text_column(self.queryset.model), 1.0)]
        return columns

    def _fields_for_restriction(self):
        return self.queryset.model.get_searchable_search_fields()

    # Text queries

    def _terms(self, text):
        text = (text or "")[:MAX_QUERY_CHARS].replace("\x00", " ")
        terms = []
        for token in _TEXT_QUERY_ANALYZER(text, mode="query"):
            if token.text not in terms:
                terms.append(token.text)
        return terms[:MAX_QUERY_TERMS]

    def _phrase_words(self, text):
        text = (text or "")[:MAX_QUERY_CHARS].replace("\x00", " ")
        return [token.text for token in _TEXT_QUERY_ANALYZER(text, mode="query")][:MAX_QUERY_TERMS]

    def _term_query(self, term, columns, boost):
        terms = [query.Term(col, term, boost=col_boost * boost) for col, col_boost in columns]
        return terms[0] if len(terms) == 1 else query.Or(terms)

    def _plaintext(self, plain, columns, boost=1.0):
        terms = self._terms(plain.query_string)
        if not terms or not columns:
            return query.NullQuery
        columns = self._word_columns(columns)
        boost *= float(getattr(plain, "boost", 1.0) or 1.0)
        per_term = [self._term_query(term, columns, boost) for term in terms]
        if len(per_term) == 1:
            return per_term[0]
        if plain.operator == "and":
            return query.And(per_term)
        return query.Or(per_term)

    def _phrase(self, phrase, columns, boost=1.0):
        words = self._phrase_words(phrase.query_string)
        if not words or not columns:
            return query.NullQuery
        if len(words) == 1:
            return self._term_query(words[0], self._word_columns(columns), boost)
        phrases = query.Or(
            [
                query.Phrase(col, words, boost=col_boost * boost)
                for col, col_boost in sorted(columns, key=lambda column: -column[1])
            ]
        )
        word_columns = self._word_columns(columns)
        if word_columns != columns:
            return PhraseInAnyField(phrases, word_columns[0][0], words, boost)
        return phrases

    def _fuzzy(self, fuzzy, columns, boost=1.0):
        terms = self._terms(fuzzy.query_string)
        if not terms or not columns:
            return query.NullQuery
        columns = self._word_columns(columns)
        per_term = [
            query.Or(
                [
                    query.FuzzyTerm(col, term, boost=col_boost * boost, maxdist=1, prefixlength=1)
                    for col, col_boost in columns
                ]
            )
            for term in terms
        ]
        return query.And(per_term) if fuzzy.operator == "and" else query.Or(per_term)

    def compile(self, search_query, columns, boost=1.0):
        if isinstance(search_query, MatchAll):
            return query.Every(boost=boost)
        if isinstance(search_query, PlainText):
            return self._plaintext(search_query, columns, boost)
        if isinstance(search_query, Phrase):
            return self._phrase(search_query, columns, boost)
        if isinstance(search_query, Fuzzy):
            return self._fuzzy(search_query, columns, boost)
        if isinstance(search_query, Boost):
            return self.compile(search_query.subquery, columns, boost * search_query.boost)
        if isinstance(search_query, And):
            parts = [self.compile(sub, columns, boost) for sub in search_query.subqueries]
            if any(part is query.NullQuery for part in parts):
                return query.NullQuery
            parts = [part for part in parts if not isinstance(part, query.Every)] or [
                query.Every(boost=boost)
            ]
            return parts[0] if len(parts) == 1 else query.And(parts)
        if isinstance(search_query, Or):
            parts = [self.compile(sub, columns, boost) for sub in search_query.subqueries]
            parts = [part for part in parts if part is not query.NullQuery]
            if not parts:
                return query.NullQuery
            return parts[0] if len(parts) == 1 else query.Or(parts)
        if isinstance(search_query, Not):
            inner = self.compile(search_query.subquery, columns, boost)
            if inner is query.NullQuery:
                return query.Every(boost=boost)
            if isinstance(inner, query.Every):
                return query.NullQuery
            return query.AndNot(query.Every(boost=boost), inner)
        raise NotImplementedError(
            f"`{search_query.__class__.__name__}` is not supported by the Whoosh search backend."
        )

    def get_text_query(self):
        return self.compile(self.query, self.get_columns())

    # Filters

    def _get_filters_from_where_node(self, where_node, check_only=False):
        if (
            not check_only
            and isinstance(where_node, Lookup)
            and isinstance(where_node.lhs, Col)
            and where_node.lhs.target.attname.endswith("_ptr_id")
        ):
            # the parent link of a multi-table child is the document's own primary key
            return self._pk_lookup(where_node.lookup_name, where_node.rhs)
        return super()._get_filters_from_where_node(where_node, check_only=check_only)

    def _pk_lookup(self, lookup, value):
        root = self.mapping.root._meta.label_lower
        value = self._resolve_subquery(lookup, value)
        if lookup == "exact":
            return query.Term("docid", f"{root}:{value}")
        if lookup == "in":
            terms = [query.Term("docid", f"{root}:{v}") for v in value]
            return query.Or(terms) if terms else query.NullQuery
        raise _NeedsDatabase

    def _resolve_subquery(self, lookup, value):
        if isinstance(value, (Query, Subquery)):
            db_alias = self.queryset._db or DEFAULT_DB_ALIAS
            inner = value.query if isinstance(value, Subquery) else value
            if lookup == "in":
                rows = inner.get_compiler(db_alias).execute_sql(result_type=MULTI)
                return [row[0] for chunk in rows for row in chunk]
            row = inner.get_compiler(db_alias).execute_sql(result_type=SINGLE)
            return row[0] if row else None
        if lookup in ("in", "range") and not isinstance(value, (list, tuple)):
            return list(value)
        return value

    def _process_lookup(self, field_path, lookup, value):
        if len(field_path) > 1:
            raise _NeedsDatabase
        field = field_path[0]
        kind = self.mapping.filter_kind(field)
        column = self.mapping.column(field)
        value = self._resolve_subquery(lookup, value)

        def enc(item):
            return encode_filter_value(kind, item)

        if lookup == "exact":
            if value is None:
                return query.AndNot(query.Every(), query.Every(column))
            return query.Term(column, enc(value))
        if lookup == "isnull":
            present = query.Every(column)
            return query.AndNot(query.Every(), present) if value else present
        if lookup == "in":
            terms = [query.Term(column, enc(item)) for item in value if item is not None]
            return query.Or(terms) if terms else query.NullQuery
        if lookup in ("startswith", "prefix") and kind in ("fs", "fsm"):
            return query.Prefix(column, str(value))
        if lookup in ("gt", "gte", "lt", "lte", "range"):
            if lookup == "range":
                start, end = (enc(v) for v in value)
                start_excl = end_excl = False
            else:
                bound = enc(value)
                start = bound if lookup in ("gt", "gte") else None
                end = bound if lookup in ("lt", "lte") else None
                start_excl = lookup == "gt"
                end_excl = lookup == "lt"
            if kind in ("fs", "fsm"):
                return query.TermRange(column, start, end, startexcl=start_excl, endexcl=end_excl)
            if kind == "fd":
                return query.DateRange(column, start, end, startexcl=start_excl, endexcl=end_excl)
            return query.NumericRange(column, start, end, startexcl=start_excl, endexcl=end_excl)
        raise _NeedsDatabase

    def _process_match_none(self):
        return query.NullQuery

    def _connect_filters(self, filters, connector, negated):
        filters = [f for f in filters if f is not None]
        if not filters:
            return query.NullQuery if negated else None
        if len(filters) == 1:
            combined = filters[0]
        elif connector == "AND":
            combined = query.And(filters)
        else:
            combined = query.Or(filters)
        if negated:
            return query.AndNot(query.Every(), combined)
        return combined

    def content_type_query(self):
        return query.Term("ctype", self.queryset.model._meta.label_lower)

    def get_filter_query(self):
        """The content-type filter plus the queryset's filters, as one Whoosh query.

        Filters through relations (and lookups the index cannot answer) are evaluated by the
        database: the filter becomes the queryset's own primary keys.
        """
        content_type = self.content_type_query()
        if self.queryset.query.is_empty():
            return query.NullQuery
        try:
            filters = self._get_filters_from_queryset()
        except _NeedsDatabase:
            root = self.mapping.root._meta.label_lower
            pks = self.queryset.order_by().values_list("pk", flat=True)
            filters = query.Or([query.Term("docid", f"{root}:{pk}") for pk in pks])
            if not filters.subqueries:
                return query.NullQuery
        if filters is None:
            return content_type
        return query.And([content_type, filters])

    # Ordering

    def get_sort(self):
        if self.order_by_relevance:
            return None
        if not self.queryset.ordered:
            return sorting.FieldFacet("pksort", reverse=True)
        facets = []
        for item in self.queryset.query.order_by:
            if isinstance(item, OrderBy):
                expression = item.expression
                name = getattr(expression, "name", None)
                if name is None:
                    continue
                field = self._get_filterable_field(name)
                reverse = item.descending
            else:
                reverse = item.startswith("-")
                name = item.lstrip("-")
                if name == "pk":
                    facets.append(sorting.FieldFacet("pksort", reverse=reverse))
                    continue
                field = self._get_filterable_field(name)
            if field is None or self.mapping.filter_kind(field) in ("fsm", "fim"):
                continue
            facets.append(sorting.FieldFacet(self.mapping.column(field), reverse=reverse))
        if not facets:
            return sorting.FieldFacet("pksort", reverse=True)
        facets.append(sorting.FieldFacet("pksort"))
        return sorting.MultiFacet(facets)

    def _get_order_by(self):
        # Accept "pk" as an ordering (Wagtail orders by it); check the rest as usual.
        if self.order_by_relevance:
            return
        for item in self.queryset.query.order_by:
            if isinstance(item, str) and item.lstrip("-") == "pk":
                continue
            if isinstance(item, OrderBy):
                continue
            reverse = item.startswith("-")
            name = item.lstrip("-")
            field = self._get_filterable_field(name)
            if field is None:
                from modelsearch.backends.base import OrderByFieldError

                raise OrderByFieldError(
                    f'Cannot sort search results with field "{name}". Please add '
                    f'index.FilterField("{name}") to {self.queryset.model.__name__}.search_fields.',
                    field_name=name,
                )
            yield reverse, field


class WhooshAutocompleteQueryCompiler(WhooshSearchQueryCompiler):
    text_kind = "ac"

    def _fields_for_restriction(self):
        return self.queryset.model.get_autocomplete_search_fields()

    def check(self):
        # fields= names autocomplete fields here, not search fields
        if self.fields:
            allowed = {f.field_name for f in self._fields_for_restriction()}
            for name in self.fields:
                if name not in allowed:
                    from modelsearch.backends.base import SearchFieldError

                    raise SearchFieldError(
                        f'Cannot autocomplete with field "{name}". Please add '
                        f'index.AutocompleteField("{name}") to '
                        f"{self.queryset.model.__name__}.search_fields.",
                        field_name=name,
                    )
            self_fields, self.fields = self.fields, None
            try:
                super().check()
            finally:
                self.fields = self_fields
            return
        super().check()

    def _terms(self, text):
        text = (text or "")[:MAX_QUERY_CHARS].replace("\x00", " ")
        terms = []
        for token in _QUERY_TOKENIZER(text, mode="query"):
            term = token.text[:AUTOCOMPLETE_MAX_GRAM]
            if term not in terms:
                terms.append(term)
        return terms[:MAX_QUERY_TERMS]

    _phrase_words = _terms


# Results ---------------------------------------------------------------------------------------


class WhooshSearchResults(BaseSearchResults):
    supports_facet = True

    def _prepare(self):
        handle = self.backend.handle
        searcher, cache = handle.searcher()
        compiler = self.query_compiler
        text_query = compiler.get_text_query()
        filter_query = compiler.get_filter_query()
        return searcher, cache, text_query, filter_query

    def _run(self, searcher, cache, text_query, filter_query, limit):
        """(score or sort key, document number) pairs in the results' order, `limit` at most."""
        if text_query is query.NullQuery or filter_query is query.NullQuery:
            return []
        try:
            allowed = filter_docset(searcher, cache, filter_query)
            if not allowed:
                # nothing passes the filters (Whoosh reads an empty filter set as no filter)
                return []
            sort = self.query_compiler.get_sort()
            scored = None if sort else score_text_query(searcher, cache, allowed, text_query, limit)
            if scored is not None:
                return _best_matching(searcher, *scored, limit)
            if not any(isinstance(leaf, query.Every) for leaf in text_query.leaves()):
                # Other models' documents share text columns (an answer's body is `body__t` as
                # a question's is): requiring the content type in the matcher itself lets it skip
                # them block by block instead of scoring each and dropping it in the filter.
                # Scores come from the text query alone.
                text_query = _Require(text_query, self.query_compiler.content_type_query())
            return searcher.search(
                text_query, filter=allowed, limit=limit, sortedby=sort, terms=False
            ).top_n
        except SearchUnavailable:
            raise
        except (NotImplementedError, FilterFieldError):
            raise
        except Exception as exc:
            logger.exception("search index could not answer a query")
            self.backend.handle.forget()
            raise SearchUnavailable(
                f"The search index cannot be read ({exc.__class__.__name__}): run "
                "`manage.py rebuild_modelsearch_index` to rebuild it."
            ) from exc

    def _do_search(self):
        if self.stop is not None and self.stop <= self.start:
            return []
        searcher, cache, text_query, filter_query = self._prepare()
        ranked = self._run(searcher, cache, text_query, filter_query, self.stop)
        if self._count_cache is None and self.stop is None:
            self._count_cache = max(len(ranked) - self.start, 0)
        scores = {
            searcher.stored_fields(docnum)["pk"]: float(score)
            if isinstance(score, (int, float))
            else 0.0
            for score, docnum in ranked[self.start : self.stop]
        }
        pks = list(scores)
        objects = {str(obj.pk): obj for obj in self.query_compiler.queryset.filter(pk__in=pks)}
        results = []
        for pk in pks:
            obj = objects.get(pk)
            if obj is None:
                continue
            if self._score_field:
                setattr(obj, self._score_field, scores[pk])
            results.append(obj)
        return results

    def _matching_docs(self):
        searcher, cache, text_query, filter_query = self._prepare()
        if text_query is query.NullQuery or filter_query is query.NullQuery:
            return searcher, set()
        try:
            allowed = filter_docset(searcher, cache, filter_query)
            if isinstance(text_query, query.Every):
                return searcher, set(allowed)
            scored = score_text_query(searcher, cache, allowed, text_query)
            if scored is not None:
                scores, must_match = scored
                if must_match is None:
                    return searcher, set(scores)
                return searcher, _matching_among(searcher, must_match, scores)
            return searcher, {doc for doc in text_query.docs(searcher) if doc in allowed}
        except Exception as exc:
            logger.exception("search index could not answer a query")
            self.backend.handle.forget()
            raise SearchUnavailable(
                f"The search index cannot be read ({exc.__class__.__name__})."
            ) from exc

    def _do_count(self):
        _searcher, docs = self._matching_docs()
        count = max(len(docs) - self.start, 0)
        if self.stop is not None:
            count = min(count, self.stop - self.start)
        return count

    def facet(self, field_name):
        compiler = self.query_compiler
        field = compiler._get_filterable_field(field_name)
        if field is None:
            raise FilterFieldError(
                f'Cannot facet search results with field "{field_name}". Please add '
                f"index.FilterField('{field_name}') to "
                f"{compiler.queryset.model.__name__}.search_fields.",
                field_name=field_name,
            )
        column = compiler.mapping.column(field)
        kind = compiler.mapping.filter_kind(field)
        searcher, docs = self._matching_docs()
        counts = {}
        covered = set()
        if docs:
            reader = searcher.reader()
            fieldobj = searcher.schema[column]
            if kind in ("fi", "fim", "fn", "fd"):
                terms = fieldobj.sortable_terms(reader, column)
            else:
                terms = reader.lexicon(column) if column in reader.indexed_field_names() else []
            for term in terms:
                matched = set(reader.postings(column, term).all_ids()) & docs
                if not matched:
                    continue
                value = fieldobj.from_bytes(term) if kind != "fs" and kind != "fsm" else None
                if value is None:
                    value = term.decode("utf-8")
                counts[value] = counts.get(value, 0) + len(matched)
                covered |= matched
        missing = len(docs - covered)
        if missing:
            counts[None] = missing
        ordered = sorted(counts.items(), key=lambda item: -item[1])
        return OrderedDict(ordered)


# Index and rebuild ------------------------------------------------------------------------------


class WhooshIndex(BaseIndex):
    """The single index; writes go through the queue (see module docstring)."""

    def __init__(self, backend, path=None):
        super().__init__(backend)
        self.path = Path(path or backend.path)
        self.handle = get_handle(self.path)
        self.direct = path is not None and Path(path) != Path(backend.path)

    def get_key(self):
        return str(self.path)

    def __str__(self):
        return str(self.path)

    def add_model(self, model):
        pass

    def refresh(self):
        """Make recent changes searchable: apply anything still queued."""
        from search import index_queue

        index_queue.drain(backend=self.backend)

    def reset(self):
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True, exist_ok=True)
        index.create_in(str(self.path), build_schema())
        self.handle.forget()

    def add_items(self, model, items):
        if not class_is_indexed(model):
            return
        items = list(items)
        if not items:
            return
        if self.direct:
            self.write_documents(model, items)
            return
        from search import index_queue

        index_queue.record_updates(items)

    def delete_item(self, item):
        if not class_is_indexed(type(item)):
            return
        from search import index_queue

        index_queue.record_delete(WhooshMapping(type(item)).document_id(item))

    # Direct writes: only the rebuilder and the queue drain call these.

    def write_documents(self, model, items, writer=None):
        mapping = WhooshMapping(model)
        docs = [mapping.get_document(item) for item in items]
        if writer is not None:
            for doc in docs:
                writer.update_document(**doc)
            return
        ix = self.handle.open_or_create()
        with ix.writer(limitmb=self.backend.limitmb) as own_writer:
            for doc in docs:
                own_writer.add_document(**doc)


class WhooshIndexRebuilder:
    """Builds a new index beside the live one, then swaps it in.

    The live index's write lock is held for the whole rebuild, so queued changes wait (they stay
    in the queue) and are applied to the new index once it is in place.
    """

    def __init__(self, index_obj):
        self.live = index_obj
        self.backend = index_obj.backend
        self.build_path = self.live.path.with_name(
            f"{self.live.path.name}.rebuild-{uuid.uuid4().hex[:8]}"
        )
        self.index = WhooshIndex(self.backend, path=self.build_path)
        self.lock = None
        self.writer = None

    def start(self):
        live_path = self.live.path
        if self.live.handle.exists():
            try:
                ix = index.open_dir(str(live_path))
                self.lock = ix.lock("WRITELOCK")
                self.lock.acquire(blocking=True)
            except Exception:  # a corrupt live index: nothing to protect, it is replaced
                self.lock = None
        self.index.reset()
        return self

    # The rebuild command adds through this object (it mimics an index).

    def add_model(self, model):
        pass

    def add_items(self, model, items):
        if not class_is_indexed(model):
            return
        if self.writer is None:
            ix = index.open_dir(str(self.build_path))
            self.writer = ix.writer(limitmb=self.backend.limitmb, procs=1)
        mapping = WhooshMapping(model)
        for item in items:
            self.writer.add_document(**mapping.get_document(item))

    def finish(self):
        if self.writer is not None:
            self.writer.commit(optimize=True)
            self.writer = None
        live = self.live.path
        old = live.with_name(f"{live.name}.old-{uuid.uuid4().hex[:8]}")
        if live.exists():
            os.replace(live, old)
        os.replace(self.build_path, live)
        if self.lock is not None:
            with contextlib.suppress(Exception):  # the lock file moved with the old index
                self.lock.release()
        shutil.rmtree(old, ignore_errors=True)
        self.live.handle.forget()
        from search import index_queue

        index_queue.drain(backend=self.backend)

    def abort(self):
        if self.writer is not None:
            self.writer.cancel()
        shutil.rmtree(self.build_path, ignore_errors=True)
        if self.lock is not None:
            self.lock.release()

    def __str__(self):
        return str(self.live.path)


# Backend ---------------------------------------------------------------------------------------


class WhooshSearchBackend(BaseSearchBackend):
    query_compiler_class = WhooshSearchQueryCompiler
    autocomplete_query_compiler_class = WhooshAutocompleteQueryCompiler
    results_class = WhooshSearchResults
    index_class = WhooshIndex
    rebuilder_class = WhooshIndexRebuilder
    # Indexing only records the change in the queue; never let a failure there break a save.
    catch_indexing_errors = True

    def __init__(self, params):
        super().__init__(params)
        params = dict(params)
        path = params.pop("PATH", None) or getattr(
            settings, "SEARCH_INDEX_DIR", Path(settings.BASE_DIR) / "var" / "search-index"
        )
        self.path = Path(path)
        self.write_timeout = float(params.pop("WRITE_TIMEOUT", 5.0))
        self.batch_size = int(params.pop("BATCH_SIZE", 500))
        self.limitmb = int(params.pop("LIMITMB", 128))
        self.handle = get_handle(self.path)

    def get_index_for_model(self, model):
        return self.index_class(self)

    def suggest_spelling(self, text):
        """`text` with unknown words replaced by the closest indexed words, or None if no word
        changed. Whoosh's spelling corrector runs over the autocomplete columns, whose lexicon
        holds the indexed titles' words unstemmed (with their prefixes); a word is known when
        its stem is in any text column, and a correction must be a word the text columns hold.
        Raises SearchUnavailable when the index cannot be read."""
        searcher, _cache = self.handle.searcher()
        reader = searcher.reader()
        names = list(reader.indexed_field_names())  # a one-pass iterator on several segments
        text_columns = [name for name in names if name.endswith("__t")]
        word_columns = [name for name in names if name.endswith("__ac")]

        def known(word):
            stems = [t.text for t in _TEXT_QUERY_ANALYZER(word, mode="query")]
            return bool(stems) and any(reader.doc_frequency(c, stems[0]) for c in text_columns)

        words = [t.text for t in _QUERY_TOKENIZER(text[:MAX_QUERY_CHARS], mode="query")]
        corrected, changed = [], False
        for word in words[:MAX_QUERY_TERMS]:
            best = None
            if len(word) >= SPELLING_MIN_WORD and word.isalpha() and not known(word):
                for maxdist in (1, 2):
                    found = {
                        candidate
                        for column in word_columns
                        for candidate in searcher.corrector(column).suggest(
                            word, limit=5, maxdist=maxdist, prefix=1
                        )
                        if known(candidate)
                    }
                    if found:
                        best = min(
                            found,
                            key=lambda c: (
                                damerau_levenshtein(word, c),
                                -sum(reader.doc_frequency(col, c) for col in word_columns),
                                c,
                            ),
                        )
                        break
            corrected.append(best or word)
            changed = changed or best is not None
        return " ".join(corrected) if changed else None

    def get_index(self):
        return self.index_class(self)


SearchBackend = WhooshSearchBackend
