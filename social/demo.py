"""Demo content for social: a sandbox channel, a few posts published to it, replies pulled in.

seed_demo may run while no sandbox server is running (a fresh machine), so this starts one
in-process on a free port over the same state directory `x_sandbox` serves later. Posts are
looked up before anything is created, so a second run changes nothing.
"""

import random

from django.conf import settings

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


def seed(ctx) -> None:
    channel, _ = Channel.objects.get_or_create(
        handle="harrowfieldbc",
        defaults={"name": "Harrowfield Borough Council", "kind": Channel.Kind.SANDBOX},
    )
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
        for text, reply_count in missing:
            post = services.post_draft(
                channel=channel, text=text, by=officer, kind=PostKind.MANUAL, submit=True
            )
            services.post_approve(post=post, by=coach)
            services.post_publish(post_id=post.pk)
            post.refresh_from_db()
            if post.status != Post.Status.PUBLISHED:
                ctx.write(f"  could not publish a demo post to the sandbox: {post.last_error}")
                continue
            add_planned(server.state, plan_replies(rng, [post.external_id], reply_count))
            ingest.start_pulling(post)
            result = ingest.pull_post(post_id=post.pk, force=True)
            ctx.write(f"  X sandbox: published a post and pulled {result.new} replies")
