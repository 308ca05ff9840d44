"""Demo content for social: a sandbox channel, a few posts published to it, replies pulled in.

seed_demo may run while no sandbox server is running (a fresh machine), so this starts one
in-process on a free port over the same state directory `x_sandbox` serves later. Posts are
looked up before anything is created, so a second run changes nothing.
"""

import random
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from .adapters.x import use_base_url
from .models import Channel, Post, PostKind
from .sandbox.residents import add_planned, plan_replies
from .sandbox.server import SandboxServer

DEMO_POSTS = [
    (
        "We're changing bin collection days in Eastfield and Millbrook from 2 March. "
        "Check your new day and tell us if it causes problems for your street.",
        9,
    ),
    (
        "Harrowfield Central Library will open until 8pm on Thursdays from next month, "
        "after 600 of you asked for later hours. What else would help you use it more?",
        7,
    ),
    (
        "The consultation on the Canal Walk cycle route is open. Drop-in session at the "
        "Town Hall on Saturday 10am to 1pm, or reply here with your views.",
        11,
    ),
]


# How long ago each published demo post went out (the latest first), so replies have had time.
POST_AGES = [
    timedelta(hours=5, minutes=20),
    timedelta(hours=26),
    timedelta(days=2, hours=3),
    timedelta(days=4, hours=6),
]

PII_DRAFT = (
    "Questions about the Hollins Park parking zone? Ring Sam on 07700 900123 or come to the "
    "drop-in at the library."
)


def seed(ctx) -> None:
    channel, _ = Channel.objects.get_or_create(
        handle="harrowfieldbc",
        defaults={"name": "Harrowfield Borough Council", "kind": Channel.Kind.SANDBOX},
    )
    _seed_queue(ctx, channel)
    missing = [
        (text, replies)
        for text, replies in DEMO_POSTS
        if not Post.objects.filter(channel=channel, text=text).exists()
    ]
    if not missing:
        return
    from . import ingest, services

    officer, coach = ctx.users["officer"], ctx.users["coach"]
    rng = random.Random(2026)  # noqa: S311 - demo chatter, not secrets  # nosec B311
    with SandboxServer(settings.SANDBOX_STATE_DIR, port=0) as server, use_base_url(server.base_url):
        consultation = _open_consultation()
        if consultation is not None:
            # One consultation's launch post, published, so its page shows the X discussion.
            missing.append((consultation, 8))
        for position, (text, reply_count) in enumerate(missing):
            if isinstance(text, str):
                post = services.post_draft(
                    channel=channel, text=text, by=officer, kind=PostKind.MANUAL, submit=True
                )
            else:
                post = _consultation_draft(text, channel)
                if post is None:
                    continue
            try:
                services.post_approve(post=post, by=coach)
            except ValidationError as exc:
                ctx.write(f"  a demo post was not approved: {' '.join(exc.messages)}")
                continue
            services.post_publish(post_id=post.pk)
            post.refresh_from_db()
            if post.status != Post.Status.PUBLISHED:
                ctx.write(f"  could not publish a demo post to the sandbox: {post.last_error}")
                continue
            # Posted some hours or days ago, with replies arriving over the time since.
            age = POST_AGES[min(len(POST_AGES), len(missing)) - 1 - min(position, 3)]
            published = _move_back(post, timezone.now() - age)
            planned = plan_replies(rng, [post.external_id], reply_count)
            _spread_over_time(rng, planned, published)
            add_planned(server.state, planned)
            ingest.start_pulling(post)
            result = ingest.pull_post(post_id=post.pk, force=True)
            ctx.write(f"  X sandbox: published a post and pulled {result.new} replies")


def _move_back(post: Post, published):
    """Date the post's whole history (drafted, approved, published) as if sent at `published`."""
    from django.db.models import F

    from .models import PostEvent

    shift = post.published_at - published
    Post.objects.filter(pk=post.pk).update(
        **{
            name: F(name) - shift
            for name in ("created_at", "submitted_at", "approved_at", "intent_at", "published_at")
            if getattr(post, name) is not None
        }
    )
    PostEvent.objects.filter(post=post).update(created_at=F("created_at") - shift)
    post.refresh_from_db()
    return post.published_at


def _spread_over_time(rng, planned: list[dict], published) -> None:
    """Reply times between the post and now, in list order (a reply comes after its parent)."""
    span = (timezone.now() - timedelta(minutes=2) - published).total_seconds()
    offsets = sorted(rng.uniform(0.02, 1) ** 2 * span for _ in planned)  # most come early
    for item, offset in zip(planned, offsets, strict=True):
        item["created_at"] = published + timedelta(seconds=offset)


def _open_consultation():
    from consultations.models import ConsultationPage

    now = timezone.now()
    open_now = ConsultationPage.objects.live().filter(
        decision="", opens_at__lte=now, closes_at__gt=now
    )
    return open_now.order_by("closes_at").last()


def _consultation_draft(page, channel):
    from django.contrib.contenttypes.models import ContentType

    from .receivers import draft_for_event

    kind = PostKind.CONSULTATION_OPENED
    draft_for_event(
        kind=kind, content_type_id=ContentType.objects.get_for_model(page).pk, object_id=page.pk
    )
    return Post.objects.filter(
        channel=channel, kind=kind, source_object_id=page.pk, status=Post.Status.AWAITING
    ).first()


def _seed_queue(ctx, channel) -> None:
    """Work waiting for the coach: drafts from the site's events, and one needing a fix."""
    from django.contrib.contenttypes.models import ContentType

    from consultations.models import ConsultationPage, LiveUpdate

    from . import services
    from .receivers import draft_for_event

    now = timezone.now()
    # "Last chance": the open consultation that closes next (never one already closed).
    closing = (
        ConsultationPage.objects.live()
        .filter(decision="", opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at")
        .first()
    )
    if closing is not None:
        draft_for_event(
            kind=PostKind.CONSULTATION_CLOSING,
            content_type_id=ContentType.objects.get_for_model(closing).pk,
            object_id=closing.pk,
        )
    # Live-tweeting is for a meeting happening now: an update from weeks ago is not drafted.
    update = LiveUpdate.objects.filter(posted_at__gte=now - timedelta(hours=12)).first()
    if update is not None:
        draft_for_event(
            kind=PostKind.LIVE_UPDATE,
            content_type_id=ContentType.objects.get_for_model(update).pk,
            object_id=update.pk,
        )
    if not Post.objects.filter(channel=channel, text=PII_DRAFT).exists():
        services.post_draft(channel=channel, text=PII_DRAFT, by=ctx.users["officer"], submit=True)
