import pytest
from django.core.management import call_command

from social.models import Channel, Post, PullCursor, Reply

pytestmark = pytest.mark.django_db


def test_seed_demo_publishes_posts_to_a_sandbox_it_starts_and_pulls_replies(
    settings, tmp_path, client
):
    settings.SANDBOX_STATE_DIR = tmp_path / "sandbox"
    settings.X_API_BASE_URL = "http://127.0.0.1:9"  # nothing listens: seeding must not need it
    call_command("seed_demo")
    channel = Channel.objects.get(handle="harrowfieldbc")
    assert channel.kind == Channel.Kind.SANDBOX
    posts = Post.objects.filter(channel=channel, status=Post.Status.PUBLISHED)
    # Three hand-written posts and the launch of an open consultation, with replies pulled.
    assert posts.count() == 4
    assert PullCursor.objects.filter(post__in=posts).count() == 4
    assert Reply.objects.count() == 9 + 7 + 11 + 8
    assert Reply.objects.filter(depth__gt=1).exists()
    launched = posts.get(kind="consultation_opened")
    assert client.get(launched.topic.url).content.decode().count("Replies on X") == 1
    # The coach's queue has work waiting, one of them held up by the personal-data check.
    waiting = Post.objects.filter(status=Post.Status.AWAITING)
    assert {"consultation_closing", "manual"} <= set(waiting.values_list("kind", flat=True))
    assert waiting.filter(text__contains="07700 900123").exists()
    _demo_is_consistent(posts, waiting)

    counts = (Post.objects.count(), Reply.objects.count())
    call_command("seed_demo")
    assert (Post.objects.count(), Reply.objects.count()) == counts

    # The state is on disk, so the sandbox server `make demo` starts serves the same posts.
    from social.sandbox.state import SandboxState

    state = SandboxState(settings.SANDBOX_STATE_DIR)
    assert all(state.get_tweet(int(p.external_id)) for p in posts)

    assert client.login(email="officer@example.com", password="parley-demo-2026")
    html = client.get("/admin/social/inbox/").content.decode()
    assert "Harrowfield Central Library will open until 8pm" in html


def _demo_is_consistent(posts, waiting):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    # "Last chance" is drafted for a consultation that is still open, never a closed one.
    closing = waiting.get(kind="consultation_closing").source
    assert closing.opens_at <= now < closing.closes_at
    # No live-tweet draft for a meeting that ended weeks ago.
    assert not waiting.filter(kind="live_update", created_at__lt=now - timedelta(hours=12))
    # Posts went out hours or days ago, each after it was drafted and approved.
    published = sorted(p.published_at for p in posts)
    assert len(set(published)) == len(published) and published[-1] < now - timedelta(hours=1)
    assert published[0] < now - timedelta(days=2)
    for post in posts:
        assert post.created_at <= post.approved_at <= post.published_at
    # Replies arrive over the time since, each after what it answers, never all at once.
    for post in posts:
        replies = list(Reply.objects.filter(post=post).select_related("parent"))
        times = {r.created_at for r in replies}
        assert len(times) == len(replies)
        assert all(post.published_at < r.created_at < now for r in replies)
        assert all(r.parent.created_at < r.created_at for r in replies if r.parent)
        top = [r.text for r in replies if r.depth == 1]
        assert len(set(top)) == len(top)  # no two residents write the very same reply


def test_personal_data_download_and_erasure_cover_replies_on_x(channel, resident, officer):
    from django.utils import timezone

    from portal.privacy import account_erase, personal_data
    from social.models import Post, Reply

    resident.x_handle = "eastfield_jen"
    resident.save()
    post = Post.objects.create(
        channel=channel,
        text="Hi",
        status=Post.Status.PUBLISHED,
        external_id="1",
        drafted_by=officer,
    )
    Reply.objects.create(
        channel=channel,
        post=post,
        external_id="2",
        conversation_id="1",
        in_reply_to_id="1",
        author_handle="Eastfield_Jen",
        author_name="Jen",
        text="My reply",
        created_at=timezone.now(),
    )
    tables = dict(personal_data(resident))
    assert tables["replies_on_x"][0]["text"] == "My reply"
    assert dict(personal_data(officer))["posts_to_x"][0]["drafted_by_you"] is True
    account_erase(user=resident, by=resident)
    reply = Reply.objects.get()
    assert reply.hidden and reply.author_name == "Former resident" and reply.author_handle == ""


def test_channel_and_template_snippets_in_the_admin(admin_user, coach, client, channel):
    client.force_login(admin_user)
    listing = client.get("/admin/snippets/social/channel/")
    assert listing.status_code == 200 and "Spent this month" in listing.content.decode()
    client.force_login(coach)
    templates = client.get("/admin/snippets/social/posttemplate/")
    assert templates.status_code == 200 and "A consultation opened" in templates.content.decode()
