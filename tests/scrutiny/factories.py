"""Scrutiny test data: inquiry pages and evidence rows made quickly."""

from datetime import date, timedelta

from django.utils import timezone

from scrutiny import services
from scrutiny.models import (
    Consent,
    Evidence,
    EvidenceLink,
    InquiryIndexPage,
    InquiryPage,
    SourceKind,
    SourceState,
)


def make_index(home):
    existing = InquiryIndexPage.objects.child_of(home).first()
    if existing:
        return existing
    index = InquiryIndexPage(title="Scrutiny inquiries", slug="inquiries")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def make_inquiry(index, slug="road-safety", opens=None, closes=None, **fields):
    today = date.today()
    page = InquiryPage(
        title=fields.pop("title", "Road safety near schools"),
        slug=slug,
        summary=fields.pop("summary", "How safe are the roads around our schools?"),
        committee=fields.pop("committee", "Place Scrutiny Committee"),
        chair=fields.pop("chair", "Cllr Margaret Osei"),
        terms_of_reference=fields.pop(
            "terms_of_reference", "<p>To examine road safety near primary schools.</p>"
        ),
        key_questions=fields.pop(
            "key_questions", "Are speed limits respected?\nAre crossings safe?"
        ),
        evidence_opens=opens or today - timedelta(days=10),
        evidence_closes=closes or today + timedelta(days=20),
        **fields,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_evidence(
    inquiry=None,
    text="The crossing outside Millbrook Primary has no lollipop person.",
    kind=SourceKind.SUBMISSION,
    consent=Consent.PUBLIC,
    said_at=None,
    **fields,
):
    ref = fields.pop("reference", None) or services.allocate_references(1)[0]
    e = Evidence.objects.create(
        reference=ref,
        source_kind=kind,
        source_state=SourceState.NONE,
        author_name=fields.pop("author_name", "A resident"),
        said_at=said_at or timezone.now(),
        text=text,
        text_sha256=Evidence.hash_text(text),
        consent=consent,
        **fields,
    )
    if inquiry is not None:
        EvidenceLink.objects.create(evidence=e, inquiry=inquiry)
    return e


def bulk_evidence(inquiry, n, themes=(), start=None):
    """Many rows at once (for query-count tests), linked to the inquiry and tagged."""
    from scrutiny.models import EvidenceTheme, ThemedEvidence

    start = start or timezone.now() - timedelta(days=60)
    refs = services.allocate_references(n)
    kinds = list(SourceKind.values)
    rows = Evidence.objects.bulk_create(
        [
            Evidence(
                reference=ref,
                source_kind=kinds[i % len(kinds)],
                source_state=SourceState.NONE,
                author_name=f"Person {i}",
                said_at=start + timedelta(hours=7 * i),
                text=f"Evidence number {i} about traffic and crossings.",
                text_sha256=Evidence.hash_text(f"Evidence number {i} about traffic and crossings."),
                consent=Consent.PUBLIC if i % 3 else Consent.COMMITTEE_ONLY,
                is_public=bool(i % 3),
            )
            for i, ref in enumerate(refs)
        ]
    )
    EvidenceLink.objects.bulk_create([EvidenceLink(evidence=e, inquiry=inquiry) for e in rows])
    theme_objs = [EvidenceTheme.objects.get_or_create(name=t, slug=t.lower())[0] for t in themes]
    if theme_objs:
        ThemedEvidence.objects.bulk_create(
            [
                ThemedEvidence(content_object=e, tag=theme_objs[i % len(theme_objs)])
                for i, e in enumerate(rows)
            ]
        )
    return rows
