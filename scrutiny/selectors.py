"""Reads for inquiries and evidence: filtered lists, search, counts for charts, and what the
other apps' pages show about evidence. Every function runs a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from . import permissions
from .models import (
    Evidence,
    EvidenceLink,
    EvidenceTheme,
    InquiryFollow,
    InquiryPage,
    InquiryPhase,
    SourceKind,
    TriageStatus,
)

SEARCH_LIMIT = 5000


@dataclass
class EvidenceFilters:
    inquiry: InquiryPage | None = None
    status: str = ""
    source_kind: str = ""
    theme: str = ""
    date_from: date | None = None
    date_to: date | None = None
    query: str = ""
    public_only: bool = False
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "inquiry": self.inquiry.pk if self.inquiry else None,
            "status": self.status,
            "source_kind": self.source_kind,
            "theme": self.theme,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "query": self.query,
            "public_only": self.public_only,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "EvidenceFilters":
        inquiry = None
        if data.get("inquiry"):
            inquiry = InquiryPage.objects.filter(pk=data["inquiry"]).first()
        return cls(
            inquiry=inquiry,
            status=data.get("status") or "",
            source_kind=data.get("source_kind") or "",
            theme=data.get("theme") or "",
            date_from=date.fromisoformat(data["date_from"]) if data.get("date_from") else None,
            date_to=date.fromisoformat(data["date_to"]) if data.get("date_to") else None,
            query=data.get("query") or "",
            public_only=bool(data.get("public_only")),
        )

    def describe(self) -> list[str]:
        """The filters in words, for the pack's methods note."""
        parts = []
        if self.status:
            parts.append(f"status: {TriageStatus(self.status).label}")
        if self.source_kind:
            parts.append(f"source: {SourceKind(self.source_kind).label}")
        if self.theme:
            parts.append(f"theme: {self.theme}")
        if self.date_from:
            parts.append(f"from {self.date_from:%-d %B %Y}")
        if self.date_to:
            parts.append(f"to {self.date_to:%-d %B %Y}")
        if self.query:
            parts.append(f"matching '{self.query}'")
        if self.public_only:
            parts.append("published evidence only")
        return parts


def _day_start(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, datetime.min.time()))


def search_ids(query: str, base=None) -> list[int]:
    """Primary keys matching `query` through Wagtail's search API (best match first)."""
    base = base if base is not None else Evidence.objects.all()
    ref = query.strip().upper()
    if ref.startswith("EV-"):
        return list(base.filter(reference__startswith=ref).values_list("pk", flat=True)[:50])
    results = base.order_by().search(query, operator="and")
    return [obj.pk for obj in results[:SEARCH_LIMIT]]


def filter_evidence(filters: EvidenceFilters, base=None):
    """The evidence matching the filters (a queryset; order is newest first unless searching)."""
    qs = base if base is not None else Evidence.objects.all()
    if filters.inquiry is not None:
        qs = qs.filter(links__inquiry=filters.inquiry)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.source_kind:
        qs = qs.filter(source_kind=filters.source_kind)
    if filters.theme:
        qs = qs.filter(themes__name__iexact=filters.theme)
    if filters.date_from:
        qs = qs.filter(said_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(said_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.public_only:
        qs = qs.publicly_visible()
    if filters.query.strip():
        ids = search_ids(filters.query)
        qs = qs.filter(pk__in=ids)
    return qs.order_by("-said_at", "-pk")


def page_of(qs, paginator_page):
    """Load one page's rows with everything the row shows (fixed number of queries)."""
    pks = list(paginator_page.object_list)
    rows = {e.pk: e for e in Evidence.objects.filter(pk__in=pks).with_list_data()}
    return [rows[pk] for pk in pks if pk in rows]


# -- counts for charts ---------------------------------------------------------------------


@dataclass
class Breakdown:
    themes: list[tuple[str, int]]
    sources: list[tuple[str, int]]
    weeks: list[tuple[str, int]]
    statuses: list[tuple[str, int]]
    total: int


def week_start(d: date) -> date:
    return d - timedelta(days=d.weekday())


def breakdown(qs) -> Breakdown:
    """Counts by theme, source, week and triage status for a filtered set (four queries)."""
    base = Evidence.objects.filter(pk__in=qs.values("pk"))
    by_source = dict(
        base.order_by()
        .values_list("source_kind")
        .annotate(n=Count("pk"))
        .values_list("source_kind", "n")
    )
    sources = [(label, by_source.get(kind, 0)) for kind, label in SourceKind.choices]
    sources = [(label, n) for label, n in sources if n]
    by_status = dict(
        base.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    statuses = [(label, by_status.get(value, 0)) for value, label in TriageStatus.choices]
    themes = list(
        EvidenceTheme.objects.filter(tagged_items__content_object__in=base)
        .annotate(n=Count("tagged_items", distinct=True))
        .order_by("-n", "name")
        .values_list("name", "n")
    )
    untagged = base.filter(tagged_themes__isnull=True).count()
    if untagged:
        themes.append(("No theme yet", untagged))
    days = (
        base.annotate(day=TruncDate("said_at"))
        .order_by()
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    per_week: dict[date, int] = defaultdict(int)
    for day, n in days:
        if day is not None:
            per_week[week_start(day)] += n
    weeks = []
    if per_week:
        first, last = min(per_week), max(per_week)
        cursor = first
        while cursor <= last:
            weeks.append((f"w/c {cursor:%-d %b %Y}", per_week.get(cursor, 0)))
            cursor += timedelta(days=7)
    return Breakdown(
        themes=themes,
        sources=sources,
        weeks=weeks,
        statuses=statuses,
        total=sum(n for _, n in sources),
    )


# -- inquiry pages -------------------------------------------------------------------------


def inquiries_by_stage(index_page) -> dict[str, list[InquiryPage]]:
    pages = list(InquiryPage.objects.child_of(index_page).live().order_by("-evidence_opens"))
    groups = {"open": [], "upcoming": [], "considering": [], "reported": []}
    for p in pages:
        if p.report_is_published:
            groups["reported"].append(p)
        elif p.phase == InquiryPhase.OPEN:
            groups["open"].append(p)
        elif p.phase == InquiryPhase.UPCOMING:
            groups["upcoming"].append(p)
        else:
            groups["considering"].append(p)
    return groups


def live_inquiries(limit: int = 3) -> list[InquiryPage]:
    """Inquiries taking evidence now, closing soonest first (for the home page)."""
    today = timezone.localdate()
    return list(
        InquiryPage.objects.live()
        .filter(evidence_opens__lte=today, evidence_closes__gte=today)
        .order_by("evidence_closes")[:limit]
    )


def inquiry_page_context(request, inquiry: InquiryPage) -> dict:
    public = Evidence.objects.for_inquiry(inquiry).publicly_visible()
    user = request.user
    following = bool(
        user.is_authenticated and InquiryFollow.objects.filter(inquiry=inquiry, user=user).exists()
    )
    linked = [
        link
        for link in inquiry.linked_pages.select_related("page").all()
        if link.page.live and link.page.specific_class is not None
    ]
    from questions import selectors as question_selectors

    return {
        "linked_questions": question_selectors.questions_about(inquiry, limit=10),
        "ask_question_url": question_selectors.ask_url(about_page=inquiry),
        "public_evidence_count": public.count(),
        "recent_evidence": list(public.with_list_data().order_by("-said_at")[:5]),
        "following": following,
        "linked": linked,
        "can_submit": permissions.can_submit_evidence(user, inquiry),
    }


# -- what other apps' pages show (batch hooks) -----------------------------------------------


def evidence_for_objects(items) -> dict:
    """{item: Evidence} for the items that have been captured: one query for any mix of
    models (a thread page passes its question, answers and comments together), plus one for
    the inquiries when anything was found."""
    by_model = defaultdict(list)
    for item in items:
        by_model[type(item)].append(item)
    if not by_model:
        return {}
    keys = {}
    condition = Q()
    for model, objs in by_model.items():
        ct = ContentType.objects.get_for_model(model)
        condition |= Q(source_content_type=ct, source_object_id__in=[str(o.pk) for o in objs])
        for o in objs:
            keys[(ct.pk, str(o.pk))] = o
    rows = Evidence.objects.filter(condition).prefetch_related(links_prefetch())
    return {
        keys[(e.source_content_type_id, e.source_object_id)]: e
        for e in rows
        if (e.source_content_type_id, e.source_object_id) in keys
    }


def links_prefetch():
    return Prefetch(
        "links",
        queryset=EvidenceLink.objects.select_related("inquiry").only(
            "id", "evidence_id", "inquiry__id", "inquiry__title", "inquiry__url_path"
        ),
    )


LINKED_CACHE_KEY = "scrutiny:linked-pages"


def inquiries_linked_to(page_id: int) -> list[tuple[str, str]]:
    """(url, title) of live inquiries a consultation or meeting feeds into.

    Shown on every consultation and meeting page, so the whole (small) map is cached and
    rebuilt only after an inquiry or its links change (see signals.py).
    """
    from django.core.cache import cache

    from .models import InquiryLinkedPage

    mapping = cache.get(LINKED_CACHE_KEY)
    if mapping is None:
        mapping = defaultdict(list)
        rows = InquiryLinkedPage.objects.filter(inquiry__live=True).select_related("inquiry")
        for link in rows:
            mapping[link.page_id].append((link.inquiry.url, link.inquiry.title))
        mapping = dict(mapping)
        cache.set(LINKED_CACHE_KEY, mapping, 60 * 60)
    return mapping.get(page_id, [])


def forget_linked_pages() -> None:
    from django.core.cache import cache

    cache.delete(LINKED_CACHE_KEY)


def contributions_for(user) -> list[Evidence]:
    """A resident's words that became evidence (or that they submitted), with inquiries."""
    return list(
        Evidence.objects.filter(author_user=user)
        .prefetch_related(links_prefetch(), "redactions")
        .order_by("-captured_at")[:200]
    )


def theme_choices() -> list[str]:
    return list(EvidenceTheme.objects.order_by("name").values_list("name", flat=True))


def dashboard_inquiries(user) -> list[InquiryPage]:
    return list(InquiryPage.objects.live().order_by("-evidence_opens"))
