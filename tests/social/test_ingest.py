"""Pulling replies through tweepy against the sandbox: once each, resumable, scheduled."""

from datetime import timedelta

import pytest
import time_machine  # noqa: F401 - used as a context manager below
from django.utils import timezone

from social import ingest, services
from social.adapters.x import XAdapter
from social.models import PullCursor, Reply

from .factories import approved_post

pytestmark = pytest.mark.django_db
State = PullCursor.State


@pytest.fixture
def live_post(sandbox, channel):
    post = approved_post(channel, text="Tell us what you think of the new bus lanes.")
    assert services.post_publish(post_id=post.pk) == "published"
    post.refresh_from_db()
    return post


def due(post):
    PullCursor.objects.filter(post=post).update(next_poll_at=timezone.now() - timedelta(seconds=1))


def pull(post):
    due(post)
    return ingest.pull_post(post_id=post.pk)


def test_publishing_starts_a_cursor(live_post):
    cursor = live_post.pull_cursor
    assert cursor.state == State.ACTIVE
    assert cursor.since_id == ""
    assert cursor.next_poll_at > timezone.now()


def test_pull_end_to_end_with_nested_replies_and_several_pages(sandbox, live_post):
    top = sandbox.bulk(
        [
            {
                "in_reply_to": live_post.external_id,
                "username": f"res{i}",
                "name": f"Resident {i}",
                "text": f"Point {i}",
            }
            for i in range(230)
        ]
    )
    nested = sandbox.reply(top[5], "neighbour", "I agree with point 5", name="A neighbour")
    deeper = sandbox.reply(nested, "res5", "Thanks, neighbour")
    result = pull(live_post)
    assert result.outcome == "pulled"
    assert result.new == 232 and result.known == 0
    assert result.calls == 3  # 233 results (the root included) in pages of 100
    assert Reply.objects.count() == 232
    first = Reply.objects.get(external_id=top[0])
    assert first.depth == 1 and first.parent is None
    assert first.in_reply_to_id == live_post.external_id
    assert first.conversation_id == live_post.external_id
    assert (first.author_handle, first.author_name, first.text) == ("res0", "Resident 0", "Point 0")
    assert first.raw["tweet"]["id"] == top[0] and first.raw["author"]["username"] == "res0"
    assert first.created_at is not None
    n = Reply.objects.get(external_id=nested)
    assert n.parent.external_id == top[5] and n.depth == 2
    d = Reply.objects.get(external_id=deeper)
    assert d.parent == n and d.depth == 3
    cursor = PullCursor.objects.get(post=live_post)
    assert cursor.since_id == deeper
    assert cursor.replies_stored == 232 and cursor.polls == 1


def test_a_second_pull_stores_nothing_new(sandbox, live_post):
    sandbox.bulk(
        [
            {"in_reply_to": live_post.external_id, "username": "a", "text": f"r{i}"}
            for i in range(15)
        ]
    )
    assert pull(live_post).new == 15
    again = pull(live_post)
    assert (again.outcome, again.new, again.calls) == ("pulled", 0, 1)
    assert Reply.objects.count() == 15
    sandbox.reply(live_post.external_id, "late", "A late reply")
    third = pull(live_post)
    assert third.new == 1 and Reply.objects.count() == 16


def test_storing_the_same_replies_twice_is_harmless(sandbox, live_post, channel, x_credentials):
    sandbox.bulk(
        [
            {"in_reply_to": live_post.external_id, "username": "a", "text": f"r{i}"}
            for i in range(12)
        ]
    )
    adapter = XAdapter(
        handle="harrowfieldbc", credentials=channel.credentials(), base_url=sandbox.url
    )
    items, _ = adapter.fetch_replies(live_post.external_id, None)
    assert ingest.store_replies(live_post, items) == (12, 0)
    assert ingest.store_replies(live_post, items) == (0, 12)
    assert Reply.objects.count() == 12


def test_crash_between_fetch_and_commit_resumes_without_gaps_or_duplicates(
    sandbox, live_post, monkeypatch
):
    sandbox.bulk(
        [
            {"in_reply_to": live_post.external_id, "username": "a", "text": f"r{i}"}
            for i in range(150)
        ]
    )
    real_store = ingest.store_replies

    def crash(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(ingest, "store_replies", crash)
    with pytest.raises(RuntimeError):
        pull(live_post)
    assert Reply.objects.count() == 0
    cursor = PullCursor.objects.get(post=live_post)
    assert cursor.since_id == ""  # nothing committed, so the cursor did not move

    # The crash left the lease in place; once it expires the next worker carries on.
    monkeypatch.setattr(ingest, "store_replies", real_store)
    sandbox.bulk(
        [
            {"in_reply_to": live_post.external_id, "username": "b", "text": f"n{i}"}
            for i in range(30)
        ]
    )
    PullCursor.objects.filter(post=live_post).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    result = pull(live_post)
    assert result.new == 180
    assert Reply.objects.count() == 180
    assert Reply.objects.values("external_id").distinct().count() == 180


def test_crash_after_commit_before_cursor_moves_stores_nothing_twice(
    sandbox, live_post, monkeypatch
):
    sandbox.bulk(
        [
            {"in_reply_to": live_post.external_id, "username": "a", "text": f"r{i}"}
            for i in range(40)
        ]
    )

    def store_then_crash(post, items, **kw):
        real_store(post, items, **kw)
        raise RuntimeError("killed after commit")

    real_store = ingest.store_replies
    monkeypatch.setattr(ingest, "store_replies", store_then_crash)
    with pytest.raises(RuntimeError):
        pull(live_post)
    assert Reply.objects.count() == 40
    assert PullCursor.objects.get(post=live_post).since_id == ""
    monkeypatch.setattr(ingest, "store_replies", real_store)
    PullCursor.objects.filter(post=live_post).update(claimed_until=None)
    result = pull(live_post)
    assert (result.new, result.known) == (0, 40)
    assert Reply.objects.count() == 40


def test_429_reschedules_from_reset(sandbox, live_post):
    sandbox.fault("429", count=1, seconds=300, path="/2/tweets/search")
    before = timezone.now()
    result = pull(live_post)
    assert result.outcome == "retry"
    cursor = PullCursor.objects.get(post=live_post)
    assert before + timedelta(seconds=280) < cursor.next_poll_at < before + timedelta(seconds=320)
    assert cursor.state == State.ACTIVE and "429" in cursor.last_error
    assert ingest.pull_post(post_id=live_post.pk).outcome == "skipped"  # not due yet


def test_a_429_on_a_later_page_keeps_what_was_fetched_but_not_the_cursor(sandbox, live_post):
    sandbox.bulk(
        [
            {"in_reply_to": live_post.external_id, "username": "a", "text": f"r{i}"}
            for i in range(150)
        ]
    )
    # First page answers, the second is rate limited.
    sandbox.control("limits", {"route": "search", "limit": 1, "window": 600})
    result = pull(live_post)
    assert result.outcome == "retry" and result.new == 100
    assert PullCursor.objects.get(post=live_post).since_id == ""
    sandbox.control("limits", {"route": "search", "limit": 450, "window": 900})
    result = pull(live_post)
    assert (result.new, result.known) == (50, 100)


def test_500_storm_backs_off_then_parks_with_the_error_visible(sandbox, live_post, settings):
    settings.SOCIAL_MAX_ATTEMPTS = 3
    sandbox.reply(live_post.external_id, "a", "hello")
    sandbox.fault("500", count=10, path="/2/tweets/search")
    outcomes = [pull(live_post).outcome for _ in range(3)]
    assert outcomes == ["retry", "retry", "parked"]
    cursor = PullCursor.objects.get(post=live_post)
    assert cursor.state == State.PARKED and "500" in cursor.last_error
    assert ingest.pull_due(everything=True).polled == 0  # parked pulls wait for an officer


def test_hangs_time_out_and_lose_nothing(sandbox, live_post, settings):
    settings.X_API_TIMEOUT = 0.3
    sandbox.bulk(
        [{"in_reply_to": live_post.external_id, "username": "a", "text": f"r{i}"} for i in range(5)]
    )
    sandbox.fault("hang", count=1, seconds=1, path="/2/tweets/search")
    first = pull(live_post)
    assert first.outcome == "retry" and "did not answer" in first.error
    assert pull(live_post).new == 5


def test_officer_restarts_a_parked_pull(sandbox, live_post, officer, settings):
    settings.SOCIAL_MAX_ATTEMPTS = 1
    sandbox.fault("500", count=1, path="/2/tweets/search")
    assert pull(live_post).outcome == "parked"
    ingest.cursor_resume(cursor=live_post.pull_cursor, by=officer)
    assert pull(live_post).outcome == "pulled"


def test_polling_slows_with_age_and_stops_after_seven_days(sandbox, live_post):
    assert ingest.poll_interval(timedelta(minutes=5)) == timedelta(minutes=2)
    assert ingest.poll_interval(timedelta(hours=12)) == timedelta(minutes=30)
    assert ingest.poll_interval(timedelta(days=6)) == timedelta(hours=6)
    assert ingest.poll_interval(timedelta(days=7)) is None

    with time_machine.travel(timezone.now() + timedelta(days=2)):
        pull(live_post)
        cursor = PullCursor.objects.get(post=live_post)
        wait = cursor.next_poll_at - timezone.now()
        assert timedelta(minutes=119) < wait <= timedelta(hours=2)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        final = pull(live_post)  # the final pull at the window's end
        assert final.outcome == "pulled"
    assert PullCursor.objects.get(post=live_post).state == State.FINISHED
    calls = sandbox.stats()["total_calls"]
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=2)):
        assert pull(live_post).outcome == "skipped"
        assert ingest.pull_post(post_id=live_post.pk, force=True).outcome == "finished"
    assert PullCursor.objects.get(post=live_post).state == State.FINISHED
    assert sandbox.stats()["total_calls"] == calls  # no call made


def test_the_last_poll_is_followed_by_a_final_pull_at_seven_days(sandbox, live_post):
    published = live_post.published_at
    window_end = published + timedelta(days=7)
    with time_machine.travel(published + timedelta(days=6, hours=20), tick=False):
        assert pull(live_post).outcome == "pulled"
        cursor = PullCursor.objects.get(post=live_post)
        # Not 6 hours later (past the window): at the window's end.
        assert cursor.next_poll_at == window_end
        assert cursor.state == State.ACTIVE
    with time_machine.travel(published + timedelta(days=6, hours=22), tick=False):
        late = sandbox.reply(live_post.external_id, "latecomer", "Only just seen this 👍")
    with time_machine.travel(window_end + timedelta(seconds=30), tick=False):
        assert [c.post_id for c in ingest.cursors_to_pull()] == [live_post.pk]
        summary = ingest.pull_due()
    assert summary.total("new") == 1
    assert Reply.objects.filter(external_id=late).exists()
    assert PullCursor.objects.get(post=live_post).state == State.FINISHED


def test_a_failed_final_pull_is_retried_not_dropped(sandbox, live_post):
    with time_machine.travel(live_post.published_at + timedelta(days=6, hours=23), tick=False):
        sandbox.reply(live_post.external_id, "resident", "Will the lanes run at weekends?")
    with time_machine.travel(live_post.published_at + timedelta(days=7, minutes=5), tick=False):
        sandbox.fault("500", count=1, path="/2/tweets/search")
        assert pull(live_post).outcome == "retry"
        assert PullCursor.objects.get(post=live_post).state == State.ACTIVE
        assert pull(live_post).new == 1
    assert PullCursor.objects.get(post=live_post).state == State.FINISHED


def test_budget_stop_pauses_pulling_until_next_month(sandbox, live_post, channel):
    from decimal import Decimal

    channel.monthly_budget = Decimal("0.01")  # less than publishing already spent
    channel.save()
    calls = sandbox.stats()["total_calls"]
    result = pull(live_post)
    assert result.outcome == "retry" and "budget" in result.error
    cursor = PullCursor.objects.get(post=live_post)
    assert cursor.next_poll_at > timezone.now() + timedelta(hours=1) or cursor.next_poll_at.day == 1
    assert sandbox.stats()["total_calls"] == calls


def test_replies_to_other_parts_of_our_thread_belong_to_the_first_post(
    sandbox, channel, coach, officer
):
    text = " ".join(f"Sentence {i} on the new leisure centre timetable." for i in range(12))
    post = services.post_draft(channel=channel, text=text, by=officer, submit=True)
    services.post_approve(post=post, by=coach)
    for _ in range(4):
        services.publish_due()
    post.refresh_from_db()
    second = post.children.get()
    sandbox.reply(second.external_id, "swimmer", "What about early swims?")
    result = pull(post)
    assert result.new == 1  # our own thread parts are not stored as replies
    reply = Reply.objects.get()
    assert reply.post == post and reply.depth == 1


def test_pull_replies_command(sandbox, live_post, capsys):
    from django.core.management import call_command

    sandbox.bulk(
        [
            {"in_reply_to": live_post.external_id, "username": "a", "text": f"r{i}"}
            for i in range(12)
        ]
    )
    call_command("pull_replies", "--all")
    out = capsys.readouterr().out
    assert "1 posts polled" in out and "12 new" in out and "0 already known" in out
    call_command("pull_replies", "--post", str(live_post.pk))
    out = capsys.readouterr().out
    assert "0 new" in out and "calls made" in out
