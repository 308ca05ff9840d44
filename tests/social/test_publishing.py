"""Publishing through tweepy against the sandbox: end to end, idempotent, resilient."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from social import services
from social.models import ChannelUsage, Post, PostEvent

from .factories import approved_post

pytestmark = pytest.mark.django_db

Status = Post.Status


def our_posts(sandbox, text):
    return [t for t in sandbox.state.search(window=False, limit=100)[0] if t["text"] == text]


def make_due(post):
    Post.objects.filter(pk=post.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_publish_end_to_end(sandbox, channel):
    post = approved_post(channel)
    assert services.post_publish(post_id=post.pk) == "published"
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED
    assert post.external_url == f"https://x.com/harrowfieldbc/status/{post.external_id}"
    tweet = sandbox.state.get_tweet(int(post.external_id))
    assert tweet["text"] == post.text
    assert post.attempts == 1 and post.intent_at is not None
    # A second run (a duplicate task) does nothing.
    assert services.post_publish(post_id=post.pk) == "skipped"
    assert len(our_posts(sandbox, post.text)) == 1


def test_idempotent_when_the_first_call_times_out_after_x_accepted_it(sandbox, channel, settings):
    settings.X_API_TIMEOUT = 0.4
    post = approved_post(channel)
    sandbox.fault("hang_after", count=1, seconds=1.5, method="POST", path="/2/tweets")
    assert services.post_publish(post_id=post.pk) == "retry"
    post.refresh_from_db()
    assert post.status == Status.APPROVED
    assert "did not answer in time" in post.last_error
    assert len(our_posts(sandbox, post.text)) == 1  # X has it, we do not know its id

    make_due(post)
    assert services.post_publish(post_id=post.pk) == "published"
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED
    matches = our_posts(sandbox, post.text)
    assert len(matches) == 1 and str(matches[0]["id"]) == post.external_id
    assert post.events.filter(kind=PostEvent.Kind.PUBLISHED, note__contains="Found on X").exists()


def test_429_reschedules_from_the_reset_time(sandbox, channel):
    post = approved_post(channel)
    sandbox.fault("429", count=1, seconds=120, method="POST")
    before = timezone.now()
    assert services.post_publish(post_id=post.pk) == "retry"
    post.refresh_from_db()
    assert post.status == Status.APPROVED
    assert before + timedelta(seconds=100) < post.next_attempt_at < before + timedelta(seconds=130)
    assert "429" in post.last_error
    # Not due yet: the sweep leaves it alone.
    assert services.publish_due() == {}
    make_due(post)
    assert services.publish_due() == {"published": 1}
    assert len(our_posts(sandbox, post.text)) == 1


def test_500_storm_then_recovery_posts_exactly_once(sandbox, channel):
    post = approved_post(channel)
    sandbox.fault("500", count=3)
    outcomes = []
    for _ in range(5):
        outcomes.append(services.post_publish(post_id=post.pk))
        make_due(post)
        if outcomes[-1] == "published":
            break
    assert outcomes[-1] == "published"
    assert "retry" in outcomes
    assert len(our_posts(sandbox, post.text)) == 1


def test_backoff_is_capped_exponential_with_jitter(settings):
    settings.SOCIAL_BACKOFF_BASE_SECONDS = 10
    settings.SOCIAL_BACKOFF_CAP_SECONDS = 60
    for attempt, ceiling in [(1, 10), (2, 20), (3, 40), (4, 60), (9, 60)]:
        delays = {services.backoff(attempt).total_seconds() for _ in range(20)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1  # jitter


def test_a_storm_longer_than_the_limit_parks_the_post_with_its_error(sandbox, channel, settings):
    settings.SOCIAL_MAX_ATTEMPTS = 3
    post = approved_post(channel)
    sandbox.fault("503", count=10)
    outcomes = []
    for _ in range(4):
        outcomes.append(services.post_publish(post_id=post.pk))
        make_due(post)
    assert outcomes == ["retry", "retry", "failed", "skipped"]
    post.refresh_from_db()
    assert post.status == Status.FAILED
    assert "503" in post.last_error
    assert our_posts(sandbox, post.text) == []


def test_hangs_never_lose_or_double_a_post(sandbox, channel, settings):
    settings.X_API_TIMEOUT = 0.3
    post = approved_post(channel)
    # Two hangs before X even sees the post, then one after it stored it.
    sandbox.fault("hang", count=2, seconds=1, method="POST")
    sandbox.fault("hang_after", count=1, seconds=1, method="POST")
    for _ in range(6):
        if services.post_publish(post_id=post.pk) == "published":
            break
        make_due(post)
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED
    assert len(our_posts(sandbox, post.text)) == 1


def test_duplicate_403_is_reconciled_not_reposted(sandbox, channel, x_credentials):
    from social.adapters.x import build_client

    post = approved_post(channel)
    c, _ = build_client(channel.credentials(), base_url=sandbox.url)
    # X already has it (say, posted by an earlier worker that crashed before saving intent).
    c.create_tweet(text=post.text, user_auth=True)
    Post.objects.filter(pk=post.pk).update(intent_at=timezone.now() - timedelta(minutes=1))
    assert services.post_publish(post_id=post.pk) == "published"
    assert len(our_posts(sandbox, post.text)) == 1


def test_budget_stop_makes_no_call_and_parks_the_post(sandbox, channel):
    channel.monthly_budget = Decimal("0.10")
    channel.save()
    with_link = approved_post(channel, text="Read the plan: https://harrowfield.example.gov.uk/p")
    assert services.post_publish(post_id=with_link.pk) == "failed"
    with_link.refresh_from_db()
    assert with_link.status == Status.FAILED
    assert "budget" in with_link.last_error
    assert sandbox.stats()["total_calls"] == 0
    cheap = approved_post(channel, text="No link, so it costs less.")
    assert services.post_publish(post_id=cheap.pk) == "published"
    usage = ChannelUsage.objects.get(channel=channel)
    assert usage.calls == 1 and usage.spent == Decimal("0.0150")


def test_a_thread_is_published_in_order_each_part_replying_to_the_last(
    sandbox, channel, coach, officer
):
    long_text = " ".join(
        f"Sentence {i} about the new recycling centre opening hours." for i in range(12)
    )
    post = services.post_draft(channel=channel, text=long_text, by=officer, submit=True)
    services.post_approve(post=post, by=coach)
    parts = list(Post.objects.filter(channel=channel).order_by("part_number"))
    assert len(parts) == parts[0].part_count >= 2
    assert parts[0].text.endswith(f"1/{len(parts)}")
    for _ in range(len(parts)):
        services.publish_due()
    parts = list(Post.objects.filter(channel=channel).order_by("part_number"))
    assert all(p.status == Status.PUBLISHED for p in parts)
    for previous, part in zip(parts, parts[1:], strict=False):
        assert sandbox.state.get_tweet(int(part.external_id))["in_reply_to_id"] == int(
            previous.external_id
        )


def test_withdrawing_a_published_thread_deletes_it_on_x(
    sandbox, channel, coach, officer, django_capture_on_commit_callbacks
):
    long_text = " ".join(
        f"Part of a long update number {i} on the library refit." for i in range(12)
    )
    post = services.post_draft(channel=channel, text=long_text, by=officer, submit=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_approve(post=post, by=coach)
    parts = list(Post.objects.filter(channel=channel))
    assert all(p.status == Status.PUBLISHED for p in parts)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_withdraw(post=post, by=coach)
    for part in Post.objects.filter(channel=channel):
        assert part.status == Status.WITHDRAWN
        assert part.deleted_on_x_at is not None
        assert sandbox.state.get_tweet(int(part.external_id)) is None


def test_withdrawn_before_publishing_is_never_posted(sandbox, channel, officer):
    post = services.post_draft(channel=channel, text="Never mind", by=officer, submit=True)
    services.post_withdraw(post=post, by=officer)
    Post.objects.filter(pk=post.pk).update()  # nothing else changes it
    assert services.post_publish(post_id=post.pk) == "skipped"
    assert sandbox.stats()["total_calls"] == 0


def test_missing_credentials_on_a_real_x_channel_fail_without_a_call(sandbox, channel, monkeypatch):
    for name in ("X_CONSUMER_KEY", "X_CONSUMER_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET"):
        monkeypatch.delenv(name, raising=False)
    channel.kind = "x"
    channel.save()
    post = approved_post(channel)
    assert services.post_publish(post_id=post.pk) == "failed"
    post.refresh_from_db()
    assert "X_CONSUMER_KEY" in post.last_error
    assert sandbox.stats()["total_calls"] == 0


def test_credentials_come_from_the_environment_variables_named_on_the_channel(channel, monkeypatch):
    channel.kind = "x"
    channel.access_token_env = "HARROWFIELD_X_TOKEN"
    monkeypatch.setenv("HARROWFIELD_X_TOKEN", "from-env")
    assert channel.credentials()["access_token"] == "from-env"
