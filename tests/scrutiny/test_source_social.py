"""Replies from X as evidence: captured once, with the author's handle, linked to residents."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from scrutiny import services
from scrutiny.models import Consent, Evidence, SourceKind, SourceState
from social.models import Channel, Post, Reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(db):
    channel = Channel.objects.create(
        name="Harrowfield Borough Council", kind=Channel.Kind.SANDBOX, handle="harrowfieldbc"
    )
    return Post.objects.create(
        channel=channel,
        text="Tell us about road safety near your child's school.",
        status=Post.Status.PUBLISHED,
        external_id="1900000000000000001",
    )


def _replies(post, count, start=0):
    now = timezone.now()
    return Reply.objects.bulk_create(
        [
            Reply(
                channel=post.channel,
                post=post,
                external_id=str(1_900_000_000_000_000_100 + start + i),
                conversation_id=post.external_id,
                in_reply_to_id=post.external_id,
                author_id=str(5000 + i),
                author_handle=f"parent{start + i}",
                author_name=f"Parent {start + i}",
                text=f"Cars speed past the gates on Mill Lane, ring me 07700 900{start + i:03d}",
                created_at=now - timedelta(hours=i),
                raw={"id": str(i)},
            )
            for i in range(count)
        ]
    )


def test_promoting_a_reply_captures_handle_url_and_text(post, officer, inquiry):
    [reply] = _replies(post, 1)
    result = services.evidence_promote(source=reply, inquiry=inquiry, by=officer)
    e = result.evidence
    assert result.created and e.source_kind == SourceKind.X_REPLY
    assert (e.author_name, e.author_handle) == ("Parent 0", "parent0")
    assert e.author_label == "Parent 0 (@parent0)"
    assert e.source_url == f"https://x.com/parent0/status/{reply.external_id}"
    assert e.text == reply.text and e.verify()
    assert e.consent == Consent.PUBLIC
    assert e.said_at == reply.created_at
    assert e.title.startswith("Reply on X to “Tell us about road safety")
    assert not services.evidence_promote(source=reply, inquiry=inquiry, by=officer).created
    assert Evidence.objects.count() == 1


def test_reply_author_is_matched_to_a_resident_by_x_handle(post, officer, inquiry, resident):
    resident.x_handle = "Parent0"
    resident.save()
    replies = _replies(post, 3)
    results = services.evidence_promote_many(sources_=replies, inquiry=inquiry, by=officer)
    assert results[0].evidence.author_user == resident
    assert results[1].evidence.author_user is None


def test_phone_number_in_a_reply_is_redacted_on_display_and_export(post, officer, inquiry):
    import csv
    import io

    from scrutiny import exports
    from scrutiny.selectors import EvidenceFilters

    [reply] = _replies(post, 1)
    e = services.evidence_promote(source=reply, inquiry=inquiry, by=officer).evidence
    services.evidence_redact(evidence=e, phrase="07700 900000", reason="Phone number", by=officer)
    e = Evidence.objects.get(pk=e.pk)
    assert e.display_text == "Cars speed past the gates on Mill Lane, ring me [redacted]"
    assert e.verify() and e.text == reply.text
    fh = io.BytesIO()
    exports.build("csv", fh, inquiry, EvidenceFilters())
    assert "07700" not in fh.getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(fh.getvalue().decode("utf-8-sig"))))
    assert rows[1][4].endswith("[redacted]")


def test_deleting_a_reply_flags_the_evidence(
    post, officer, inquiry, django_capture_on_commit_callbacks
):
    [reply] = _replies(post, 1)
    e = services.evidence_promote(source=reply, inquiry=inquiry, by=officer).evidence
    with django_capture_on_commit_callbacks(execute=True):
        Reply.objects.get(pk=reply.pk).delete()
    e.refresh_from_db()
    assert e.source_state == SourceState.REMOVED and e.verify()


def test_reply_inbox_shows_promote_actions_badges_and_bulk_in_bounded_queries(
    post, officer, inquiry, client, django_assert_max_num_queries
):
    replies = _replies(post, 40)
    services.evidence_promote_many(sources_=replies[:5], inquiry=inquiry, by=officer)
    client.force_login(officer)
    url = reverse("social_admin:inbox")
    html = client.get(url).content.decode()
    assert "Promote to evidence" in html
    assert "Promote selected to evidence" in html
    assert f"Used as evidence in {inquiry.title}" in html
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _replies(post, 40, start=200)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_bulk_promotion_from_the_inbox(post, officer, inquiry, client):
    replies = _replies(post, 6)
    client.force_login(officer)
    url = reverse("scrutiny:promote_bulk") + "?model=social.Reply"
    ids = [r.pk for r in replies]
    r = client.post(url, {"ids": ids, "confirm": "1", "inquiry": inquiry.pk, "next": "/admin/"})
    assert r.status_code == 302
    assert Evidence.objects.filter(source_kind=SourceKind.X_REPLY).count() == 6
    r = client.post(url, {"ids": ids, "confirm": "1", "inquiry": inquiry.pk})
    assert Evidence.objects.count() == 6
