"""Pulling replies back from X: cursors, storing each reply once, rescheduling, import by URL.

Must hold: a reply is stored at most once (unique on channel + external id, conflicts
ignored), and a cursor's since_id moves only after the replies it covers are committed, so a
crash or restart at any point resumes without gaps or duplicates.
"""

import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from portal.background import enqueue

from . import permissions
from .adapters import (
    BudgetExceeded,
    ChannelError,
    InboundReply,
    NotFound,
    RateLimited,
    adapter_for,
)
from .budget import BudgetMeter
from .models import Channel, Post, PostKind, PullCursor, Reply, ReplyImport
from .services import after_publish, backoff, max_attempts

log = logging.getLogger(__name__)

# X's recent search only reaches back 7 days.
STOP_AFTER = timedelta(days=7)
# Often while a post is fresh, less often as it ages: (age below, poll every).
SCHEDULE = [
    (timedelta(hours=1), timedelta(minutes=2)),
    (timedelta(hours=6), timedelta(minutes=10)),
    (timedelta(days=1), timedelta(minutes=30)),
    (timedelta(days=3), timedelta(hours=2)),
    (STOP_AFTER, timedelta(hours=6)),
]
CHUNK = 500


def poll_interval(age: timedelta) -> timedelta | None:
    for below, every in SCHEDULE:
        if age < below:
            return every
    return None


def _lease() -> timedelta:
    from django.conf import settings

    return timedelta(seconds=settings.X_API_TIMEOUT * 30 + 60)


@dataclass
class PullResult:
    post_id: int
    outcome: str
    new: int = 0
    known: int = 0
    calls: int = 0
    error: str = ""


@dataclass
class PullSummary:
    results: list[PullResult] = field(default_factory=list)

    @property
    def polled(self) -> int:
        return sum(1 for r in self.results if r.outcome != "skipped")

    def total(self, name: str) -> int:
        return sum(getattr(r, name) for r in self.results)


# Starting and scheduling --------------------------------------------------------------------


def _enqueue_pull(post_id: int, run_after=None) -> None:
    from . import tasks

    enqueue(tasks.pull_post_replies, post_id, run_after=run_after)


@after_publish
def start_pulling(post: Post) -> PullCursor | None:
    """Each conversation we start gets a cursor (thread parts and replies share their root's)."""
    if post.parent_id or post.in_reply_to_id or post.kind == PostKind.REPLY:
        return None
    first = timezone.now() + SCHEDULE[0][1]
    cursor, created = PullCursor.objects.get_or_create(post=post, defaults={"next_poll_at": first})
    if created:
        _enqueue_pull(post.pk, run_after=first)
    return cursor


def _claim(post_id: int, now, force: bool) -> bool:
    qs = PullCursor.objects.filter(post_id=post_id).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )
    if not force:
        qs = qs.filter(state=PullCursor.State.ACTIVE, next_poll_at__lte=now)
    return bool(qs.update(claimed_until=now + _lease()))


# Storing ------------------------------------------------------------------------------------


def _chunks(items, size=CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def store_replies(post: Post, items: list[InboundReply], imported_by=None) -> tuple[int, int]:
    """Store replies to `post`'s conversation once each; returns (new, already known)."""
    if not items:
        return 0, 0
    channel_id = post.channel_id
    ids = list(dict.fromkeys(i.external_id for i in items))
    ours = set()
    for chunk in _chunks(ids):
        ours.update(
            Post.objects.filter(channel_id=channel_id, external_id__in=chunk).values_list(
                "external_id", flat=True
            )
        )
    items = [i for i in items if i.external_id not in ours]
    by_id = {i.external_id: i for i in items}
    now = timezone.now()
    with transaction.atomic():
        known = set()
        for chunk in _chunks(list(by_id)):
            known.update(
                Reply.objects.filter(channel_id=channel_id, external_id__in=chunk).values_list(
                    "external_id", flat=True
                )
            )
        fresh = [by_id[i] for i in by_id if i not in known]
        if not fresh:
            return 0, len(known)
        our_thread = {post.external_id}
        for chunk in _chunks(list({i.in_reply_to_id for i in fresh if i.in_reply_to_id})):
            our_thread.update(
                Post.objects.filter(channel_id=channel_id, external_id__in=chunk).values_list(
                    "external_id", flat=True
                )
            )
        depths = _depths(channel_id, fresh, our_thread)
        Reply.objects.bulk_create(
            [
                Reply(
                    channel_id=channel_id,
                    post=post,
                    external_id=i.external_id,
                    conversation_id=i.conversation_id or post.external_id,
                    in_reply_to_id=i.in_reply_to_id,
                    depth=depths[i.external_id],
                    author_id=i.author_id,
                    author_handle=i.author_handle[:50],
                    author_name=i.author_name[:100],
                    text=i.text,
                    created_at=i.created_at or now,
                    raw=i.raw,
                    fetched_at=now,
                    imported_by=imported_by,
                )
                for i in fresh
            ],
            batch_size=CHUNK,
            ignore_conflicts=True,
        )
        # Link each reply to the reply it answers, now that both are stored (one query).
        Reply.objects.filter(post=post, parent__isnull=True, depth__gt=1).update(
            parent=Subquery(
                Reply.objects.filter(
                    channel_id=OuterRef("channel_id"), external_id=OuterRef("in_reply_to_id")
                ).values("pk")[:1]
            )
        )
    return len(fresh), len(known)


def _depths(channel_id: int, fresh: list[InboundReply], our_ids: set[str]) -> dict[str, int]:
    """Each reply's depth in the tree: 1 under one of our posts, its parent's plus one below."""
    in_batch = {i.external_id: i for i in fresh}
    outside = [p for p in {i.in_reply_to_id for i in fresh} if p and p not in in_batch]
    stored = {}
    for chunk in _chunks(outside):
        stored.update(
            Reply.objects.filter(channel_id=channel_id, external_id__in=chunk).values_list(
                "external_id", "depth"
            )
        )
    depths: dict[str, int] = {}

    def depth(ext_id: str, guard: int = 0) -> int:
        if ext_id in depths:
            return depths[ext_id]
        parent = in_batch[ext_id].in_reply_to_id
        if not parent or parent in our_ids:
            value = 1
        elif parent in in_batch and guard < 500:
            value = depth(parent, guard + 1) + 1
        elif parent in stored:
            value = stored[parent] + 1
        else:
            # Answering a reply we do not hold (older than the search window, or deleted).
            value = 2
        depths[ext_id] = value
        return value

    # Oldest first keeps the recursion shallow (ids grow with time).
    for ext_id in sorted(in_batch, key=lambda x: (len(x), x)):
        depth(ext_id)
    return depths


# Pulling ------------------------------------------------------------------------------------


def pull_post(*, post_id: int, force: bool = False) -> PullResult:
    """One pull of one post's conversation, then reschedule it (worker and command only)."""
    now = timezone.now()
    if not _claim(post_id, now, force):
        return PullResult(post_id, "skipped")
    cursor = PullCursor.objects.select_related("post__channel").get(post_id=post_id)
    post = cursor.post
    published = post.published_at or post.created_at
    window_end = published + STOP_AFTER
    # Past the window a cursor still active has not had its final pull yet (a failed one retries).
    finished = cursor.state == PullCursor.State.FINISHED
    if post.status != Post.Status.PUBLISHED or (now >= window_end and finished):
        PullCursor.objects.filter(pk=cursor.pk).update(
            state=PullCursor.State.FINISHED, claimed_until=None
        )
        return PullResult(post_id, "finished")
    if not post.channel.active:
        PullCursor.objects.filter(pk=cursor.pk).update(
            claimed_until=None,
            next_poll_at=now + timedelta(hours=1),
            last_error="The channel is switched off.",
        )
        return PullResult(post_id, "skipped")

    adapter = None
    try:
        adapter = adapter_for(post.channel, meter=BudgetMeter(post.channel))
        replies, new_since = adapter.fetch_replies(post.external_id, cursor.since_id or None)
    except ChannelError as exc:
        new, known = store_replies(post, exc.partial) if exc.partial else (0, 0)
        calls = adapter.calls if adapter else 0
        return _pull_failed(cursor, exc, now, new, known, calls)

    new, known = store_replies(post, replies)
    # The rows are committed; only now may the cursor move past them.
    interval = poll_interval(now - published)
    # The last poll before the window closes is followed by one final pull at its end, so the
    # replies written between that poll and the 7-day mark are not missed.
    next_poll = min(now + interval, window_end) if interval else now
    state = PullCursor.State.ACTIVE if interval else PullCursor.State.FINISHED
    PullCursor.objects.filter(pk=cursor.pk).update(
        since_id=new_since or cursor.since_id,
        last_polled_at=now,
        next_poll_at=next_poll,
        state=state,
        failures=0,
        last_error="",
        polls=cursor.polls + 1,
        replies_stored=cursor.replies_stored + new,
        claimed_until=None,
    )
    if interval:
        _enqueue_pull(post.pk, run_after=next_poll)
    return PullResult(post_id, "pulled", new, known, adapter.calls)


def _pull_failed(cursor, exc: ChannelError, now, new, known, calls) -> PullResult:
    failures = cursor.failures
    if isinstance(exc, BudgetExceeded):
        retry_at = exc.reset_at
    else:
        failures += 1
        if isinstance(exc, RateLimited) and exc.reset_at and exc.reset_at > now:
            retry_at = exc.reset_at
        elif exc.retryable:
            retry_at = now + backoff(failures)
        else:
            retry_at = None
    park = retry_at is None or failures >= max_attempts()
    PullCursor.objects.filter(pk=cursor.pk).update(
        failures=failures,
        last_error=str(exc),
        last_polled_at=now,
        next_poll_at=retry_at or now,
        state=PullCursor.State.PARKED if park else PullCursor.State.ACTIVE,
        replies_stored=cursor.replies_stored + new,
        claimed_until=None,
    )
    if park:
        log.warning("Parked reply pulling for post %s: %s", cursor.post_id, exc)
        return PullResult(cursor.post_id, "parked", new, known, calls, str(exc))
    _enqueue_pull(cursor.post_id, run_after=retry_at)
    return PullResult(cursor.post_id, "retry", new, known, calls, str(exc))


def cursors_to_pull(*, post_id: int | None = None, everything: bool = False):
    now = timezone.now()
    qs = PullCursor.objects.all()
    if post_id is not None:
        return qs.filter(post_id=post_id)
    qs = qs.filter(state=PullCursor.State.ACTIVE)
    if not everything:
        qs = qs.filter(next_poll_at__lte=now)
    return qs.order_by("next_poll_at", "pk")


def pull_due(*, limit: int = 200, everything: bool = False, progress=None) -> PullSummary:
    """The sweep (and `pull_replies`): pull every cursor that is due (or all active ones)."""
    summary = PullSummary()
    post_ids = list(
        cursors_to_pull(everything=everything).values_list("post_id", flat=True)[:limit]
    )
    for n, post_id in enumerate(post_ids, start=1):
        summary.results.append(pull_post(post_id=post_id, force=everything))
        if progress:
            progress(n, len(post_ids), summary)
    return summary


def cursor_resume(*, cursor: PullCursor, by) -> PullCursor:
    """Start a parked pull again (after fixing what stopped it)."""
    if not permissions.can_work_inbox(by):
        raise PermissionDenied("You cannot restart reply pulling.")
    PullCursor.objects.filter(pk=cursor.pk, state=PullCursor.State.PARKED).update(
        state=PullCursor.State.ACTIVE, failures=0, next_poll_at=timezone.now(), claimed_until=None
    )
    _enqueue_pull(cursor.post_id)
    cursor.refresh_from_db()
    return cursor


# Import by URL ------------------------------------------------------------------------------

STATUS_URL = re.compile(
    r"^https?://(?:www\.|mobile\.)?(?:x|twitter)\.com/(?:[A-Za-z0-9_]{1,15}|i/web|i)"
    r"/status(?:es)?/(?P<id>\d{1,20})(?:[/?#].*)?$"
)


def parse_status_url(url: str) -> str:
    match = STATUS_URL.match((url or "").strip())
    if not match:
        raise ValidationError(
            {"url": "Enter the link to a reply on X, like https://x.com/name/status/1234567890"}
        )
    return match.group("id")


def reply_import_request(*, url: str, by) -> ReplyImport:
    """Queue fetching one reply by its URL (the worker calls X, never the request)."""
    if not permissions.can_work_inbox(by):
        raise PermissionDenied("You cannot import replies.")
    tweet_id = parse_status_url(url)
    with transaction.atomic():
        request = ReplyImport.objects.create(url=url.strip(), tweet_id=tweet_id, requested_by=by)
        from . import tasks

        enqueue(tasks.import_reply, request.pk)
    return request


def reply_import_run(*, import_id: int) -> ReplyImport:
    """Fetch and store one requested reply (worker only); the outcome is shown to officers."""
    request = ReplyImport.objects.get(pk=import_id)
    if request.status != ReplyImport.Status.PENDING:
        return request

    def fail(message: str) -> ReplyImport:
        ReplyImport.objects.filter(pk=request.pk).update(
            status=ReplyImport.Status.FAILED, error=message
        )
        request.refresh_from_db()
        return request

    channels = list(Channel.objects.filter(active=True).order_by("pk"))
    if not channels:
        return fail("No active channel to fetch it with.")
    existing = Reply.objects.filter(external_id=request.tweet_id).first()
    if existing:
        ReplyImport.objects.filter(pk=request.pk).update(
            status=ReplyImport.Status.DONE, reply=existing, error="Already in the inbox."
        )
        request.refresh_from_db()
        return request
    try:
        item = adapter_for(channels[0], meter=BudgetMeter(channels[0])).fetch_one(request.tweet_id)
    except NotFound:
        return fail("X has no post at that link: it may have been deleted, or be private.")
    except ChannelError as exc:
        return fail(f"X could not be reached: {exc} Try again later.")
    post = (
        Post.objects.filter(external_id=item.conversation_id, channel__in=channels)
        .exclude(external_id="")
        .first()
    )
    if post is None:
        return fail("That post is not a reply to a conversation one of our posts started.")
    if (
        post.external_id == item.external_id
        or Post.objects.filter(channel=post.channel, external_id=item.external_id).exists()
    ):
        return fail("That link is to one of our own posts, not a reply.")
    store_replies(post, [item], imported_by=request.requested_by)
    reply = Reply.objects.get(channel=post.channel, external_id=item.external_id)
    ReplyImport.objects.filter(pk=request.pk).update(status=ReplyImport.Status.DONE, reply=reply)
    request.refresh_from_db()
    return request


# The inbox's actions ------------------------------------------------------------------------


def replies_mark_read(*, replies, by, read: bool = True) -> int:
    """Mark replies read (or unread again)."""
    if not permissions.can_work_inbox(by):
        raise PermissionDenied("You cannot work the reply inbox.")
    ids = [r.pk if hasattr(r, "pk") else int(r) for r in replies]
    values = (
        {"read_at": timezone.now(), "read_by": by} if read else {"read_at": None, "read_by": None}
    )
    return Reply.objects.filter(pk__in=ids).update(**values)


def replies_hide(*, replies, by, hidden: bool = True, reason: str = "") -> int:
    """Hide abusive replies from public pages (kept, never deleted), or show them again."""
    if not permissions.can_work_inbox(by):
        raise PermissionDenied("You cannot work the reply inbox.")
    ids = [r.pk if hasattr(r, "pk") else int(r) for r in replies]
    with transaction.atomic():
        if hidden:
            changed = Reply.objects.filter(pk__in=ids).update(
                hidden=True,
                hidden_by=by,
                hidden_reason=(reason or "")[:300],
                read_at=timezone.now(),
            )
        else:
            changed = Reply.objects.filter(pk__in=ids).update(
                hidden=False, hidden_by=None, hidden_reason=""
            )
        _touch_threads_showing(ids)
    return changed


def _touch_threads_showing(reply_ids) -> None:
    """Question threads show their replies from X: refresh their cached pages."""
    from django.contrib.contenttypes.models import ContentType

    from questions.models import Question
    from questions.services import threads_touch

    question_ids = (
        Post.objects.filter(
            replies__pk__in=reply_ids,
            topic_content_type=ContentType.objects.get_for_model(Question),
        )
        .values_list("topic_object_id", flat=True)
        .distinct()
    )
    threads_touch(question_ids=list(question_ids))


def reply_respond(*, reply: Reply, text: str, by) -> Post:
    """Answer a reply on X from the portal: a draft that goes through the approval queue."""
    from .services import post_draft

    if not permissions.can_reply_from_portal(by):
        raise PermissionDenied("You cannot reply on X.")
    root = reply.post
    post = post_draft(
        channel=reply.channel,
        text=text,
        by=by,
        kind=PostKind.REPLY,
        source=reply,
        topic=None,
        submit=True,
    )
    Post.objects.filter(pk=post.pk).update(
        in_reply_to=reply,
        topic_content_type=root.topic_content_type,
        topic_object_id=root.topic_object_id,
        topic_title=root.topic_title,
        topic_url=root.topic_url,
    )
    if not reply.read_at:
        replies_mark_read(replies=[reply], by=by)
    post.refresh_from_db()
    return post
