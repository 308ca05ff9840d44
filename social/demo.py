"""Demo content for social: a sandbox channel, a few posts published to it, replies pulled in.

seed_demo may run while no sandbox server is running (a fresh machine), so this starts one
in-process on a free port over the same state directory `x_sandbox` serves later. Posts are
looked up before anything is created, so a second run changes nothing.
"""

import random

from django.conf import settings
from django.core.exceptions import ValidationError

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
        for text, reply_count in missing:
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
            add_planned(server.state, plan_replies(rng, [post.external_id], reply_count))
            ingest.start_pulling(post)
            result = ingest.pull_post(post_id=post.pk, force=True)
            ctx.write(f"  X sandbox: published a post and pulled {result.new} replies")


def _open_consultation():
    from django.utils import timezone

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

    closing = ConsultationPage.objects.live().filter(decision="").order_by("closes_at").first()
    if closing is not None:
        draft_for_event(
            kind=PostKind.CONSULTATION_CLOSING,
            content_type_id=ContentType.objects.get_for_model(closing).pk,
            object_id=closing.pk,
        )
    update = LiveUpdate.objects.order_by("-posted_at").first()
    if update is not None:
        draft_for_event(
            kind=PostKind.LIVE_UPDATE,
            content_type_id=ContentType.objects.get_for_model(update).pk,
            object_id=update.pk,
        )
    if not Post.objects.filter(channel=channel, text=PII_DRAFT).exists():
        services.post_draft(channel=channel, text=PII_DRAFT, by=ctx.users["officer"], submit=True)
