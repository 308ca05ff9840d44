"""Drafts made from consultations' and meetings' signals, threads of live updates, and the
"Discussed on X" / "Replies on X" fragments on their public pages."""

import pytest

from consultations import services as consultation_services
from consultations.models import ConsultationMilestone
from social import ingest, services
from social.models import Post, PostKind, Reply
from tests.consultations.factories import (
    make_consultation,
    make_index,
    make_meeting,
    make_meeting_index,
)

pytestmark = pytest.mark.django_db
Kind = ConsultationMilestone.Kind


@pytest.fixture
def consultation(home_page):
    return make_consultation(make_index(home_page), title="Library opening hours")


@pytest.fixture
def meeting(home_page):
    return make_meeting(make_meeting_index(home_page))


@pytest.mark.parametrize(
    ("milestone", "kind"),
    [
        (Kind.OPENED, PostKind.CONSULTATION_OPENED),
        (Kind.CLOSING_SOON, PostKind.CONSULTATION_CLOSING),
        (Kind.OUTCOME_PUBLISHED, PostKind.CONSULTATION_OUTCOME),
    ],
)
def test_consultation_milestones_draft_posts_for_the_queue(
    channel, consultation, milestone, kind, django_capture_on_commit_callbacks, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://haveyoursay.harrowfield.gov.uk"
    with django_capture_on_commit_callbacks(execute=True):
        assert consultation_services.announce_milestone(page_id=consultation.pk, kind=milestone)
    post = Post.objects.get()
    assert post.kind == kind and post.status == Post.Status.AWAITING
    assert post.source == consultation and post.topic == consultation
    assert "Library opening hours" in post.text
    # Links go to the public address (PARLEY_BASE_URL), not the Wagtail site's hostname.
    link = "https://haveyoursay.harrowfield.gov.uk" + consultation.get_url_parts()[2]
    assert link in post.text and "localhost" not in post.text
    assert post.topic_url == link
    # Announcing again drafts nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        consultation_services.announce_milestone(page_id=consultation.pk, kind=milestone)
    assert Post.objects.count() == 1


def test_no_channel_no_drafts(consultation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        consultation_services.announce_milestone(page_id=consultation.pk, kind=Kind.OPENED)
    assert not Post.objects.exists()


def test_live_updates_become_one_thread_on_x(
    sandbox, channel, meeting, officer, coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        consultation_services.live_update_post(
            meeting=meeting, text="The meeting has started. 9 councillors present.", by=officer
        )
        consultation_services.live_update_post(
            meeting=meeting, text="Item 4: the library hours proposal was agreed.", by=officer
        )
    first, second = Post.objects.order_by("pk")
    assert first.kind == second.kind == PostKind.LIVE_UPDATE
    assert first.drafted_by == officer and first.topic == meeting
    assert first.text.startswith(meeting.title)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_approve(post=first, by=coach)
        services.post_approve(post=second, by=coach)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == Post.Status.PUBLISHED
    tweet = sandbox.state.get_tweet(int(second.external_id))
    assert tweet["in_reply_to_id"] == int(first.external_id)
    assert second.parent == first
    # Replies to any update are pulled once, into the first update's conversation.
    sandbox.reply(second.external_id, "hf_bus_user", "Great news for the library")
    assert ingest.pull_post(post_id=first.pk, force=True).new == 1
    assert (
        not hasattr(second, "pull_cursor")
        or not Post.objects.filter(pk=second.pk, pull_cursor__isnull=False).exists()
    )


def test_consultation_page_shows_discussed_on_x_and_the_replies(
    sandbox, channel, consultation, coach, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        consultation_services.announce_milestone(page_id=consultation.pk, kind=Kind.OPENED)
    post = Post.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_approve(post=post, by=coach)
    post.refresh_from_db()
    good = sandbox.reply(post.external_id, "oakhill_gran", "Please keep Saturday mornings")
    bad = sandbox.reply(post.external_id, "troll", "Something abusive")
    ingest.pull_post(post_id=post.pk, force=True)
    Reply.objects.filter(external_id=bad).update(hidden=True)
    html = client.get(consultation.url).content.decode()
    assert "Discussed on X" in html and post.external_url in html
    assert "Replies on X" in html and "Please keep Saturday mornings" in html
    assert f"/status/{good}" in html
    assert "Something abusive" not in html
