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
    assert posts.count() == 3
    assert PullCursor.objects.filter(post__in=posts).count() == 3
    assert Reply.objects.count() == 9 + 7 + 11
    assert Reply.objects.filter(depth__gt=1).exists()

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
