"""What the public search finds here: live, public inquiries and the evidence published on
them (with consent, not ruled out, linked to a public inquiry; redactions applied)."""

from urllib.parse import urlencode

from django.db.models import Prefetch, Q
from django.utils import timezone

from search.registry import Result, SearchableType, Status, recent_titles, register

from .models import (
    Evidence,
    EvidenceLink,
    EvidenceTheme,
    InquiryPage,
    InquiryPhase,
    SourceKind,
)


def public_inquiries():
    return InquiryPage.objects.live().public()


def _today(now):
    return timezone.localdate(now)


INQUIRY_STATUSES = (
    Status(
        InquiryPhase.UPCOMING.value,
        InquiryPhase.UPCOMING.label,
        lambda now: Q(evidence_opens__gt=_today(now)),
    ),
    Status(
        InquiryPhase.OPEN.value,
        InquiryPhase.OPEN.label,
        lambda now: Q(evidence_opens__lte=_today(now), evidence_closes__gte=_today(now)),
    ),
    Status(
        InquiryPhase.CLOSED.value,
        InquiryPhase.CLOSED.label,
        lambda now: Q(evidence_closes__lt=_today(now)),
    ),
)


def present_inquiry(page, request=None) -> Result:
    return Result(
        url=page.get_url(request) or "",
        title=page.title,
        text=page.summary,
        date=page.evidence_opens,
        status=page.status,
        status_colour=page.status_colour,
        meta=f"Inquiry by the {page.committee}",
    )


def public_evidence():
    """Evidence the public may read: what an inquiry's public evidence page lists."""
    on_public_inquiry = EvidenceLink.objects.filter(inquiry__in=public_inquiries()).values(
        "evidence_id"
    )
    return Evidence.objects.publicly_visible().filter(pk__in=on_public_inquiry)


def load_evidence(pks):
    return (
        public_evidence()
        .filter(pk__in=pks)
        .prefetch_related(
            "themes",
            "redactions",
            Prefetch(
                "links",
                queryset=EvidenceLink.objects.filter(inquiry__in=public_inquiries())
                .select_related("inquiry")
                .order_by("pk"),
                to_attr="public_links",
            ),
        )
    )


def present_evidence(evidence, request=None) -> Result:
    url = ""
    if evidence.public_links:
        inquiry = evidence.public_links[0].inquiry
        base = inquiry.get_url(request) or ""
        if base:
            url = f"{base}evidence/?{urlencode({'q': evidence.reference})}#{evidence.reference}"
    return Result(
        url=url,
        title=evidence.title or f"Evidence {evidence.reference}",
        text=evidence.display_text,
        date=evidence.said_at,
        meta=f"{evidence.reference}, {evidence.source_label}, from {evidence.author_label}",
        tags=evidence.theme_names,
    )


register(
    SearchableType(
        key="inquiries",
        label="Inquiries",
        singular="Inquiry",
        model=InquiryPage,
        queryset=public_inquiries,
        load=lambda pks: public_inquiries().filter(pk__in=pks),
        present=present_inquiry,
        date_field="evidence_opens",
        scan_fields=("evidence_opens", "evidence_closes"),
        statuses=INQUIRY_STATUSES,
        status_label="Call for evidence",
        status_of=lambda page, now: str(page.phase_at(now)),
        vocabulary=recent_titles(public_inquiries),
        order=50,
    )
)

register(
    SearchableType(
        key="evidence",
        label="Evidence",
        singular="Evidence",
        model=Evidence,
        queryset=public_evidence,
        load=load_evidence,
        present=present_evidence,
        date_field="said_at",
        scan_fields=("source_kind", "said_at"),
        statuses=tuple(
            Status(kind.value, kind.label, lambda now, v=kind.value: Q(source_kind=v))
            for kind in SourceKind
        ),
        status_label="Source",
        status_of=lambda evidence, now: evidence.source_kind,
        tag_field="themes",
        tag_model=EvidenceTheme,
        tag_label="Theme",
        order=60,
    )
)
