import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from wagtail.models import ModelLogEntry

from scrutiny import services
from scrutiny.models import Consent, Evidence, Redaction, SourceState, TriageStatus

from .factories import make_evidence

pytestmark = pytest.mark.django_db


def _log(evidence):
    return list(ModelLogEntry.objects.for_instance(evidence).order_by("timestamp", "id"))


def test_references_are_sequential_per_year_and_formatted():
    first = services.allocate_references(1, year=2026)
    more = services.allocate_references(3, year=2026)
    other_year = services.allocate_references(1, year=2027)
    assert first == ["EV-2026-000001"]
    assert more == ["EV-2026-000002", "EV-2026-000003", "EV-2026-000004"]
    assert other_year == ["EV-2027-000001"]


def test_reference_allocation_rolled_back_is_gap_tolerant_and_never_duplicates():
    [a] = services.allocate_references(1, year=2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.allocate_references(5, year=2026)
        raise RuntimeError
    [b] = services.allocate_references(1, year=2026)
    assert a != b
    assert re.fullmatch(r"EV-2026-\d{6}", b)


def test_reference_is_unique_in_the_table(inquiry):
    e = make_evidence(inquiry)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_evidence(inquiry, reference=e.reference)


def test_promote_captures_snapshot_provenance_and_hash(fake_source, make_note, officer, inquiry):
    note = make_note()
    result = services.evidence_promote(source=note, inquiry=inquiry, by=officer)
    e = result.evidence
    assert result.created and result.linked
    assert e.text == note.body
    assert e.text_sha256 == Evidence.hash_text(note.body)
    assert e.verify()
    assert e.author_user == note.user
    assert e.author_name == note.user.public_name
    assert e.source == note
    assert e.captured_by == officer
    assert list(e.inquiries.all()) == [inquiry]
    assert e.status == TriageStatus.NEW
    assert [entry.action for entry in _log(e)] == [
        "scrutiny.evidence.promote",
        "scrutiny.evidence.link",
    ]


def test_promoting_twice_links_to_the_existing_item(
    fake_source, make_note, officer, inquiry, closed_inquiry
):
    note = make_note()
    first = services.evidence_promote(source=note, inquiry=inquiry, by=officer)
    again = services.evidence_promote(source=note, inquiry=inquiry, by=officer)
    other = services.evidence_promote(source=note, inquiry=closed_inquiry, by=officer)
    assert not again.created and not again.linked
    assert not other.created and other.linked
    assert first.evidence.pk == again.evidence.pk == other.evidence.pk
    assert Evidence.objects.count() == 1
    assert set(first.evidence.inquiries.all()) == {inquiry, closed_inquiry}


def test_bulk_promotion_is_idempotent_and_query_bounded(
    fake_source, make_note, officer, inquiry, django_assert_max_num_queries
):
    notes = [make_note(body=f"Point number {i} about the school run.") for i in range(30)]
    services.evidence_promote(source=notes[0], inquiry=inquiry, by=officer)
    officer = type(officer).objects.get(pk=officer.pk)
    officer.has_perm("scrutiny.promote_evidence")  # warm the permission cache
    with django_assert_max_num_queries(16):
        results = services.evidence_promote_many(sources_=notes, inquiry=inquiry, by=officer)
    assert sum(r.created for r in results) == 29
    assert Evidence.objects.count() == 30
    again = services.evidence_promote_many(sources_=notes, inquiry=inquiry, by=officer)
    assert not any(r.created or r.linked for r in again)
    assert len({e.reference for e in Evidence.objects.all()}) == 30


def test_unique_constraint_stops_a_second_row_for_one_source(fake_source, make_note, officer):
    note = make_note()
    e = services.evidence_promote(source=note, by=officer).evidence
    clone = Evidence(
        reference="EV-1999-000001",
        source_kind=e.source_kind,
        source_content_type=e.source_content_type,
        source_object_id=e.source_object_id,
        said_at=e.said_at,
        text="x",
        text_sha256=Evidence.hash_text("x"),
        consent=Consent.PUBLIC,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_residents_cannot_promote(fake_source, make_note, resident, committee_member):
    note = make_note()
    for user in (resident, committee_member):
        with pytest.raises(PermissionDenied):
            services.evidence_promote(source=note, by=user)
    assert not Evidence.objects.exists()


def test_snapshot_survives_source_edit_and_is_flagged(
    fake_source, make_note, officer, django_capture_on_commit_callbacks
):
    note = make_note()
    e = services.evidence_promote(source=note, by=officer).evidence
    original = e.text
    with django_capture_on_commit_callbacks(execute=True):
        note.body = "Edited afterwards to say something else entirely."
        note.save()
    e.refresh_from_db()
    assert e.text == original
    assert e.verify()
    assert e.source_state == SourceState.EDITED
    assert "scrutiny.evidence.source" in [x.action for x in _log(e)]

    # Edited back to what was captured: the flag clears.
    with django_capture_on_commit_callbacks(execute=True):
        note.body = original
        note.save()
    e.refresh_from_db()
    assert e.source_state == SourceState.UNCHANGED


def test_snapshot_survives_source_deletion_and_is_flagged(
    fake_source, make_note, officer, django_capture_on_commit_callbacks
):
    note = make_note()
    e = services.evidence_promote(source=note, by=officer).evidence
    with django_capture_on_commit_callbacks(execute=True):
        note.delete()
    e.refresh_from_db()
    assert e.source_state == SourceState.REMOVED
    assert e.text == "Cars speed past the school gates at 8.45 every morning."
    assert e.verify()


def test_sweep_flags_sources_changed_without_signals(fake_source, make_note, officer):
    from portal.models import Notification

    note = make_note()
    hidden = make_note(body="Another point, later hidden.")
    e = services.evidence_promote(source=note, by=officer).evidence
    h = services.evidence_promote(source=hidden, by=officer).evidence
    Notification.objects.filter(pk=note.pk).update(body="Changed quietly")
    Notification.objects.filter(pk=hidden.pk).update(kind="removed")
    assert services.evidence_refresh_sources() == 2
    e.refresh_from_db()
    h.refresh_from_db()
    assert (e.source_state, h.source_state) == (SourceState.EDITED, SourceState.REMOVED)


def test_hash_detects_tampering_with_the_snapshot(inquiry):
    e = make_evidence(inquiry)
    Evidence.objects.filter(pk=e.pk).update(text=e.text + " (altered)")
    e.refresh_from_db()
    assert not e.verify()


def test_redaction_is_applied_logged_and_hash_still_verifies(officer, inquiry):
    text = "Ring me on 07700 900123 about the crossing. Again: 07700 900123."
    e = make_evidence(inquiry, text=text)
    created = services.evidence_redact(
        evidence=e, phrase="07700 900123", reason="Personal phone number", by=officer
    )
    assert len(created) == 2
    e = Evidence.objects.get(pk=e.pk)
    assert e.display_text == "Ring me on [redacted] about the crossing. Again: [redacted]."
    assert e.text == text
    assert e.verify()
    entry = _log(e)[-1]
    assert entry.action == "scrutiny.evidence.redact"
    assert entry.user == officer
    assert entry.data["reason"] == "Personal phone number"
    assert entry.data["spans"] == [[11, 23], [51, 63]]
    assert entry.timestamp is not None
    r = Redaction.objects.filter(evidence=e).first()
    assert (r.created_by, r.reason) == (officer, "Personal phone number")


def test_redaction_needs_a_reason_and_text_that_exists(officer, inquiry):
    e = make_evidence(inquiry)
    with pytest.raises(ValidationError):
        services.evidence_redact(evidence=e, phrase="Millbrook", reason="", by=officer)
    with pytest.raises(ValidationError):
        services.evidence_redact(evidence=e, phrase="not there", reason="x", by=officer)
    assert not Redaction.objects.exists()


def test_removing_a_redaction_is_logged(officer, inquiry):
    e = make_evidence(inquiry, text="My email is jo@example.com thanks")
    [r] = services.evidence_redact(evidence=e, phrase="jo@example.com", reason="Email", by=officer)
    services.evidence_remove_redaction(
        redaction=r, reason="Author asked to be contactable", by=officer
    )
    e = Evidence.objects.get(pk=e.pk)
    assert e.display_text == e.text
    entry = _log(e)[-1]
    assert entry.action == "scrutiny.evidence.unredact"
    assert entry.data["reason"] == "Author asked to be contactable"


def test_only_redactors_redact(resident, committee_member, inquiry):
    e = make_evidence(inquiry, text="Call 07700 900123")
    for user in (resident, committee_member):
        with pytest.raises(PermissionDenied):
            services.evidence_redact(evidence=e, phrase="07700", reason="x", by=user)


def test_overlapping_redactions_merge():
    from scrutiny.redaction import Span, apply_redactions

    text = "abcdefghij"
    assert apply_redactions(text, [Span(2, 5), Span(4, 7)]) == "ab[redacted]hij"
    assert apply_redactions(text, [Span(0, 2), Span(8, 10)]) == "[redacted]cdefgh[redacted]"


def test_committee_only_evidence_can_never_be_public(officer, inquiry):
    e = make_evidence(inquiry, consent=Consent.COMMITTEE_ONLY)
    with pytest.raises(ValidationError):
        services.evidence_set_public(evidences=[e], public=True, by=officer)
    e.refresh_from_db()
    assert not e.is_public
    # not even by writing to the table directly
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.filter(pk=e.pk).update(is_public=True)
    assert not Evidence.objects.publicly_visible().filter(pk=e.pk).exists()


def test_consented_evidence_can_be_published_and_unpublished(officer, inquiry):
    e = make_evidence(inquiry)
    assert services.evidence_set_public(evidences=[e], public=True, by=officer) == 1
    assert Evidence.objects.publicly_visible().filter(pk=e.pk).exists()
    services.evidence_set_status(evidences=[e], status=TriageStatus.NOT_RELEVANT, by=officer)
    assert not Evidence.objects.publicly_visible().filter(pk=e.pk).exists()
    actions = [x.action for x in _log(e)]
    assert "scrutiny.evidence.public" in actions and "scrutiny.evidence.status" in actions


def test_triage_changes_are_all_audited(officer, inquiry, closed_inquiry):
    a = make_evidence(inquiry)
    b = make_evidence(inquiry)
    services.evidence_set_status(evidences=[a, b], status=TriageStatus.RELEVANT, by=officer)
    services.evidence_add_themes(evidences=[a, b], names=["Speeding", "Crossings"], by=officer)
    services.evidence_remove_themes(evidences=[b], names=["Crossings"], by=officer)
    services.evidence_link(evidences=[a], inquiry=closed_inquiry, by=officer)
    services.evidence_unlink(evidences=[a], inquiry=closed_inquiry, by=officer)
    services.evidence_set_note(evidence=a, note="Echoes the head teacher's letter", by=officer)
    services.evidence_mark_duplicate(evidences=[b], original=a, by=officer)
    a.refresh_from_db()
    b.refresh_from_db()
    assert sorted(a.theme_names) == ["Crossings", "Speeding"]
    assert b.theme_names == ["Speeding"]
    assert b.status == TriageStatus.DUPLICATE and b.duplicate_of == a
    assert [x.action for x in _log(a)] == [
        "scrutiny.evidence.status",
        "scrutiny.evidence.themes",
        "scrutiny.evidence.link",
        "scrutiny.evidence.unlink",
        "scrutiny.evidence.note",
    ]
    assert [x.action for x in _log(b)] == [
        "scrutiny.evidence.status",
        "scrutiny.evidence.themes",
        "scrutiny.evidence.themes",
        "scrutiny.evidence.duplicate",
    ]
    assert all(x.user == officer for x in _log(a) + _log(b))
    messages = [x.message for x in _log(b)]
    assert "Status changed from New to Relevant" in messages
    assert f"Marked as a duplicate of {a.reference}" in messages


def test_duplicates_stay_one_deep(officer, inquiry):
    a, b, c = (make_evidence(inquiry) for _ in range(3))
    services.evidence_mark_duplicate(evidences=[b], original=a, by=officer)
    services.evidence_mark_duplicate(evidences=[c], original=b, by=officer)
    c.refresh_from_db()
    assert c.duplicate_of == a
    # c is a duplicate of a, so "a duplicates c" would make a its own duplicate: refused
    with pytest.raises(ValidationError):
        services.evidence_mark_duplicate(evidences=[a], original=c, by=officer)
    a.refresh_from_db()
    assert a.status == TriageStatus.NEW


def test_theme_tags_are_a_separate_namespace_from_public_topics(officer, inquiry):
    from taggit.models import Tag

    e = make_evidence(inquiry)
    services.evidence_add_themes(evidences=[e], names=["Speeding"], by=officer)
    assert not Tag.objects.filter(name="Speeding").exists()
    from scrutiny.models import EvidenceTheme

    assert EvidenceTheme.objects.filter(name="Speeding").exists()
