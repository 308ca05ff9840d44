"""What the public search finds here: live, public consultations and meetings."""

from django.db.models import Q
from taggit.models import Tag

from search.registry import Result, SearchableType, Status, recent_titles, register

from .models import PHASE_TAG_COLOURS, ConsultationPage, MeetingPage, Phase, phase_q


def public_consultations():
    return ConsultationPage.objects.live().public()


def present_consultation(page, request=None) -> Result:
    phase = page.phase
    text = page.summary
    if page.has_outcome:
        text = f"{text} Decision: {page.decision}"
    return Result(
        url=page.get_url(request) or "",
        title=page.title,
        text=text,
        date=page.opens_at,
        status=Phase(phase).label,
        status_colour=PHASE_TAG_COLOURS[phase],
        meta=f"Consultation, closes {page.closes_at:%-d %B %Y}"
        if phase in (Phase.UPCOMING, Phase.OPEN)
        else f"Consultation, closed {page.closes_at:%-d %B %Y}",
        tags=[t.name for t in page.tags.all()],
    )


def _phase(value):
    return lambda now: phase_q(value, now)


def public_meetings():
    return MeetingPage.objects.live().public()


def present_meeting(page, request=None) -> Result:
    from django.utils import timezone

    upcoming = page.starts_at > timezone.now()
    return Result(
        url=page.get_url(request) or "",
        title=page.title,
        text=page.summary or f"{page.committee} at {page.venue}",
        date=page.starts_at,
        status="Upcoming" if upcoming else "",
        status_colour="blue" if upcoming else "",
        meta=f"Meeting of {page.committee}, {page.venue}",
    )


register(
    SearchableType(
        key="consultations",
        label="Consultations",
        singular="Consultation",
        model=ConsultationPage,
        queryset=public_consultations,
        load=lambda pks: public_consultations().filter(pk__in=pks).prefetch_related("tags"),
        present=present_consultation,
        date_field="opens_at",
        scan_fields=("opens_at", "closes_at", "decision"),
        statuses=tuple(Status(str(p.value), p.label, _phase(p.value)) for p in Phase),
        status_label="Phase",
        status_of=lambda page, now: str(page.phase_at(now).value),
        tag_field="tags",
        tag_model=Tag,
        vocabulary=recent_titles(public_consultations),
        order=30,
    )
)

register(
    SearchableType(
        key="meetings",
        label="Meetings",
        singular="Meeting",
        model=MeetingPage,
        queryset=public_meetings,
        load=lambda pks: public_meetings().filter(pk__in=pks),
        present=present_meeting,
        date_field="starts_at",
        scan_fields=("starts_at",),
        statuses=(
            Status("upcoming", "Upcoming", lambda now: Q(starts_at__gt=now)),
            Status("past", "Held", lambda now: Q(starts_at__lte=now)),
        ),
        status_of=lambda page, now: "upcoming" if page.starts_at > now else "past",
        vocabulary=recent_titles(public_meetings),
        order=40,
    )
)
