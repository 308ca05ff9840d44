"""Reads: every list here costs a fixed number of queries, however many rows there are."""

from collections import Counter
from datetime import datetime

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from .blocks import CHOICE_KINDS
from .models import (
    CLOSING_SOON,
    ConsultationFollow,
    ConsultationMilestone,
    ConsultationPage,
    ConsultationResponse,
    LiveUpdate,
    MeetingDecision,
    MeetingPage,
    Phase,
    phase_q,
)

PHASE_FILTERS = [
    (Phase.OPEN, "Open"),
    (Phase.UPCOMING, "Upcoming"),
    (Phase.CLOSED, "Closed: under review"),
    (Phase.DECIDED, "Decision published"),
]


def consultations(
    *,
    index=None,
    phases: list[str] | None = None,
    tag: str = "",
    text: str = "",
    now: datetime | None = None,
) -> QuerySet:
    """Live consultations, filtered by phase, topic tag and words, open ones first."""
    now = now or timezone.now()
    qs = ConsultationPage.objects.live().public()
    if index is not None:
        qs = qs.child_of(index)
    if phases:
        condition = Q()
        for phase in phases:
            condition |= phase_q(phase, now)
        qs = qs.filter(condition)
    if tag:
        qs = qs.filter(tags__slug=tag)
    for word in text.split()[:8]:
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(decision_to_make__icontains=word)
            | Q(decision_maker__icontains=word)
            | Q(tags__name__icontains=word)
        )
    if tag or text:
        qs = qs.distinct()
    # open ones first (closing soonest first), then upcoming, then the most recently closed
    rank = Case(
        When(phase_q(Phase.OPEN, now), then=Value(0)),
        When(phase_q(Phase.UPCOMING, now), then=Value(1)),
        default=Value(2),
    )
    soonest = Case(
        When(phase_q(Phase.OPEN, now) | phase_q(Phase.UPCOMING, now), then=F("closes_at"))
    )
    return (
        qs.annotate(response_count=Count("responses", distinct=True), rank=rank, soonest=soonest)
        .prefetch_related("tags")
        .order_by("rank", F("soonest").asc(nulls_last=True), "-closes_at", "pk")
    )


def open_consultations(*, limit: int = 5, now: datetime | None = None) -> list[ConsultationPage]:
    """Open consultations, closing soonest first (the home page section)."""
    now = now or timezone.now()
    return list(
        ConsultationPage.objects.live()
        .public()
        .filter(phase_q(Phase.OPEN, now))
        .order_by("closes_at", "pk")[:limit]
    )


def topic_tags(*, index=None) -> list[dict]:
    """Topics used by live consultations, with how many each has."""
    from .models import ConsultationTag

    qs = ConsultationTag.objects.filter(content_object__live=True)
    if index is not None:
        qs = qs.filter(content_object__path__startswith=index.path)
    rows = (
        qs.values("tag__name", "tag__slug")
        .annotate(count=Count("content_object", distinct=True))
        .order_by("tag__name")
    )
    return [{"name": r["tag__name"], "slug": r["tag__slug"], "count": r["count"]} for r in rows]


def response_count(page: ConsultationPage) -> int:
    return ConsultationResponse.objects.filter(page=page).count()


def is_following(user, page: ConsultationPage) -> bool:
    if not user.is_authenticated:
        return False
    return ConsultationFollow.objects.filter(page=page, user=user).exists()


def concluding_decision(page: ConsultationPage) -> MeetingDecision | None:
    """The decision recorded at a published meeting that concludes this consultation."""
    return (
        MeetingDecision.objects.filter(consultation=page, page__live=True)
        .select_related("page")
        .order_by("-page__starts_at")
        .first()
    )


def outcome_published_at(page: ConsultationPage):
    milestone = ConsultationMilestone.objects.filter(
        page=page, kind=ConsultationMilestone.Kind.OUTCOME_PUBLISHED
    ).first()
    return milestone.happened_at if milestone else None


def timeline(page: ConsultationPage, *, now: datetime | None = None, outcome_at=None) -> list:
    """The stages of a consultation, each done, current or still to come."""
    now = now or timezone.now()
    phase = page.phase_at(now)
    order = [Phase.UPCOMING, Phase.OPEN, Phase.CLOSED, Phase.DECIDED]
    reached = order.index(phase)

    def state(stage_index):
        if stage_index < reached:
            return "done"
        if stage_index == reached:
            return "current"
        return "todo"

    decision_label = f"Decision by {page.decision_maker}" if page.decision_maker else "Decision"
    return [
        {
            "title": "Consultation opens",
            "date": page.opens_at,
            "state": "done" if reached >= 1 else "todo",
        },
        {
            "title": "Consultation closes",
            "date": page.closes_at,
            "state": state(1) if reached <= 1 else "done",
            "text": "Send your response before then." if phase == Phase.OPEN else "",
        },
        {
            "title": "We read every response",
            "date": None,
            "state": state(2) if reached <= 2 else "done",
            "text": "We are considering what people told us." if phase == Phase.CLOSED else "",
        },
        {
            "title": decision_label,
            "date": page.decision_date,
            "date_only": True,
            "state": "done" if phase == Phase.DECIDED else "todo",
        },
        {
            "title": "We publish what we did",
            "date": outcome_at if phase == Phase.DECIDED else None,
            "date_only": True,
            "state": "done" if phase == Phase.DECIDED else "todo",
        },
    ]


def responses_for_user(user, *, limit: int = 50) -> list[ConsultationResponse]:
    """A resident's own responses, newest first, with their consultations."""
    return list(
        ConsultationResponse.objects.filter(user=user)
        .select_related("page")
        .order_by("-submitted_at")[:limit]
    )


def responses_for_officers(page: ConsultationPage, *, filters: dict | None = None) -> QuerySet:
    """A consultation's responses filtered as the officers' list and exports ask."""
    filters = filters or {}
    qs = ConsultationResponse.objects.filter(page=page).select_related("user")
    if filters.get("consent_publish") in ("yes", "no"):
        qs = qs.filter(consent_publish=filters["consent_publish"] == "yes")
    if filters.get("consent_contact") in ("yes", "no"):
        qs = qs.filter(consent_contact=filters["consent_contact"] == "yes")
    if filters.get("submitted_from"):
        qs = qs.filter(submitted_at__date__gte=filters["submitted_from"])
    if filters.get("submitted_to"):
        qs = qs.filter(submitted_at__date__lte=filters["submitted_to"])
    if filters.get("reference"):
        qs = qs.filter(reference__icontains=filters["reference"].strip())
    text = (filters.get("text") or "").strip()
    if text:
        # answers is JSON; its text form is searched so this works on SQLite and PostgreSQL
        from django.db.models import TextField
        from django.db.models.functions import Cast

        qs = qs.annotate(answers_text=Cast("answers", TextField())).filter(
            Q(answers_text__icontains=text) | Q(name__icontains=text)
        )
    return qs.order_by("-submitted_at", "-pk")


def results(page: ConsultationPage) -> dict:
    """Counts per answer for each choice question, and how many answered each text question.

    One query reads the answers column; counting happens here so it works on any database.
    """
    questions = page.question_blocks()
    counters = {q["id"]: Counter() for q in questions}
    answered = Counter()
    total = 0
    for answers in (
        ConsultationResponse.objects.filter(page=page).values_list("answers", flat=True).iterator()
    ):
        total += 1
        for key, entry in (answers or {}).items():
            if key not in counters:
                continue
            answer = entry.get("answer")
            if answer in (None, "", []):
                continue
            answered[key] += 1
            values = answer if isinstance(answer, list) else [answer]
            counters[key].update(str(v) for v in values)
    out = []
    for q in questions:
        row = {**q, "answered": answered[q["id"]], "total": total}
        if q["kind"] in CHOICE_KINDS:
            counts = counters[q["id"]]
            # answers no longer offered (the form changed) are still counted, after the rest
            labels = q["choices"] + sorted(set(counts) - set(q["choices"]))
            base = answered[q["id"]] or 1
            row["rows"] = [
                {
                    "label": label,
                    "count": counts.get(label, 0),
                    "percent": round(100 * counts.get(label, 0) / base),
                }
                for label in labels
            ]
            row["max_count"] = max([r["count"] for r in row["rows"]] or [0])
        out.append(row)
    return {"total": total, "questions": out}


def live_updates(meeting: MeetingPage, *, after_id: int | None = None, limit: int = 100):
    """A meeting's live updates, newest first (only those after `after_id` when given)."""
    qs = LiveUpdate.objects.filter(meeting=meeting)
    if after_id:
        qs = qs.filter(pk__gt=after_id)
    return list(qs.order_by("-posted_at", "-pk")[:limit])


def live_update_count(meeting: MeetingPage) -> int:
    return LiveUpdate.objects.filter(meeting=meeting).count()


def meetings(*, index=None, upcoming: bool, now: datetime | None = None) -> QuerySet:
    now = now or timezone.now()
    qs = MeetingPage.objects.live().public()
    if index is not None:
        qs = qs.child_of(index)
    if upcoming:
        return qs.filter(starts_at__gte=now - MeetingPage.DEFAULT_LENGTH).order_by("starts_at")
    return qs.filter(starts_at__lt=now - MeetingPage.DEFAULT_LENGTH).order_by("-starts_at")


def due_announcements(*, now: datetime | None = None) -> list[tuple[int, str]]:
    """(page id, milestone kind) for every phase change that has happened and not been told."""
    now = now or timezone.now()
    Kind = ConsultationMilestone.Kind  # noqa: N806
    live = ConsultationPage.objects.live()

    def missing(kind):
        return ~Exists(ConsultationMilestone.objects.filter(page=OuterRef("pk"), kind=kind))

    due = []
    for kind, condition in (
        (Kind.OPENED, phase_q(Phase.OPEN, now)),
        (Kind.CLOSING_SOON, phase_q(Phase.OPEN, now) & Q(closes_at__lte=now + CLOSING_SOON)),
        (Kind.OUTCOME_PUBLISHED, phase_q(Phase.DECIDED, now)),
    ):
        for pk in live.filter(condition).filter(missing(kind)).values_list("pk", flat=True):
            due.append((pk, kind))
    return due
