import pytest
from django.core.management import call_command

from scrutiny import sources
from scrutiny.models import Evidence, InquiryPage, SourceKind, TriageStatus

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_two_inquiries_with_triaged_evidence_from_every_source(client):
    call_command("seed_demo")
    road = InquiryPage.objects.get(slug="road-safety-near-schools")
    libraries = InquiryPage.objects.get(slug="access-to-library-services")
    assert road.is_open_for_evidence and libraries.report_is_published

    kinds = set(Evidence.objects.values_list("source_kind", flat=True))
    assert {SourceKind.SUBMISSION, SourceKind.ORAL} | set(sources.source_kinds()) <= kinds
    for inquiry in (road, libraries):
        rows = Evidence.objects.for_inquiry(inquiry)
        assert rows.filter(status=TriageStatus.RELEVANT).exists()
        assert rows.filter(themes__isnull=False).exists()
        assert rows.publicly_visible().exists()
    assert Evidence.objects.filter(redactions__isnull=False).exists()
    assert Evidence.objects.filter(status=TriageStatus.DUPLICATE).exists()
    assert all(e.verify() for e in Evidence.objects.all())
    # Nothing was said after the call for evidence it answers had closed, and every promoted
    # contribution is about its inquiry in its own words (not the post it replied to).
    from django.utils import timezone

    from scrutiny.demo import LIBRARY_WORDS, ROAD_WORDS

    for inquiry, words in ((road, ROAD_WORDS), (libraries, LIBRARY_WORDS)):
        for e in Evidence.objects.for_inquiry(inquiry):
            assert timezone.localdate(e.said_at) <= inquiry.evidence_closes, e.reference
            if e.source_kind not in (SourceKind.SUBMISSION, SourceKind.ORAL):
                assert any(w in e.text.lower() for w in words), (e.reference, e.text)

    client.login(email="councillor@example.com", password="parley-demo-2026")
    html = client.get(road.url + "dashboard/").content.decode()
    assert "Evidence by theme" in html and "Speeding" in html
