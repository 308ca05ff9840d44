"""The officers' reply inbox, import by URL, replying from the portal, and public display."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Site

from portal.models import SiteSettings
from social import ingest, services
from social.models import Channel, Post, PostKind, Reply, ReplyImport

from .factories import approved_post

pytestmark = pytest.mark.django_db


def make_replies(post, count, start=0, **extra):
    now = timezone.now()
    Reply.objects.bulk_create(
        [
            Reply(
                channel=post.channel,
                post=post,
                external_id=str(10_000_000 + start + i),
                conversation_id=post.external_id or "1",
                in_reply_to_id=post.external_id or "1",
                author_handle=f"resident{i}",
                author_name=f"Resident {i}",
                text=f"Reply number {start + i} about the park",
                created_at=now - timedelta(minutes=start + i),
                **extra,
            )
            for i in range(count)
        ]
    )


@pytest.fixture
def posted(channel, home_page):
    post = Post.objects.create(
        channel=channel,
        text="What would you like to see in Eastfield Park?",
        status=Post.Status.PUBLISHED,
        external_id="555",
        external_url="https://x.com/harrowfieldbc/status/555",
        published_at=timezone.now(),
        topic_title=home_page.title,
        topic_url=home_page.full_url,
    )
    post.topic = home_page
    post.save()
    return post


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("resident", False),
        ("committee_member", False),
        ("moderator", False),
        ("coach", False),
        ("officer", True),
        ("admin_user", True),
    ],
)
def test_inbox_permissions_by_role(role, allowed, as_role, posted):
    make_replies(posted, 3)
    client, _ = as_role(role)
    response = client.get("/admin/social/inbox/")
    assert (response.status_code == 200) == allowed
    if allowed:
        assert "Reply number 0 about the park" in response.content.decode()
    reply = Reply.objects.first()
    client.post("/admin/social/inbox/hide/", {"ids": [reply.pk]})
    reply.refresh_from_db()
    assert reply.hidden == allowed


def test_inbox_query_count_is_bounded_with_thousands_of_replies(
    client, officer, channel, posted, django_assert_max_num_queries
):
    others = [
        Post.objects.create(
            channel=channel, text=f"Post {n}", status=Post.Status.PUBLISHED, external_id=f"9{n}"
        )
        for n in range(5)
    ]
    make_replies(posted, 2500)
    for n, post in enumerate(others):
        make_replies(post, 100, start=100_000 * (n + 1))
    client.force_login(officer)
    with django_assert_max_num_queries(25):
        response = client.get("/admin/social/inbox/?state=all")
    assert response.status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get("/admin/social/inbox/?state=all&page=20&q=park").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(f"/admin/social/inbox/?post={posted.pk}").status_code == 200


def test_inbox_groups_by_post_with_the_original_beside_them(client, officer, posted):
    make_replies(posted, 3)
    client.force_login(officer)
    html = client.get("/admin/social/inbox/").content.decode()
    assert "What would you like to see in Eastfield Park?" in html
    assert posted.topic_title in html
    assert html.index("Reply number 0") < html.index("Reply number 2")  # newest first


def test_filters_and_search(client, officer, posted, channel):
    make_replies(posted, 5)
    Reply.objects.filter(external_id="10000001").update(text="The swings are broken")
    old = Reply.objects.get(external_id="10000004")
    old.created_at = timezone.now() - timedelta(days=20)
    old.save()
    client.force_login(officer)
    found = client.get("/admin/social/inbox/?q=swings").content.decode()
    assert "The swings are broken" in found and "Reply number 0" not in found
    since = (timezone.now() - timedelta(days=2)).date().isoformat()
    recent = client.get(f"/admin/social/inbox/?date_from={since}").content.decode()
    assert "Reply number 4" not in recent and "Reply number 0" in recent
    other = Channel.objects.create(name="Police", handle="hfpolice", kind="sandbox")
    assert (
        "Reply number 0"
        not in client.get(f"/admin/social/inbox/?channel={other.pk}").content.decode()
    )


def test_mark_read_and_unread(client, officer, posted):
    make_replies(posted, 3)
    ids = list(Reply.objects.values_list("pk", flat=True))
    client.force_login(officer)
    response = client.post(
        "/admin/social/inbox/mark/", {"ids": ids[:2], "read": "1", "next": "/admin/social/inbox/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/social/inbox/"
    assert Reply.objects.filter(read_at__isnull=False, read_by=officer).count() == 2
    unread = client.get("/admin/social/inbox/").content.decode()
    assert unread.count('name="ids"') == 1
    client.post("/admin/social/inbox/mark/", {"ids": ids[:1], "read": "0"})
    assert Reply.objects.filter(read_at__isnull=True).count() == 2
    evil = client.post("/admin/social/inbox/mark/", {"ids": ids, "next": "https://evil.example/"})
    assert evil["Location"] == "/admin/social/inbox/"


def test_hidden_replies_are_kept_but_never_shown_publicly(client, officer, posted, home_page):
    make_replies(posted, 3)
    abusive = Reply.objects.get(external_id="10000001")
    abusive.text = "Something abusive"
    abusive.save()
    client.force_login(officer)
    client.post("/admin/social/inbox/hide/", {"ids": [abusive.pk], "reason": "Abuse"})
    abusive.refresh_from_db()
    assert abusive.hidden and abusive.hidden_reason == "Abuse"
    assert Reply.objects.count() == 3
    html = render_extras(home_page, "after_answers")
    assert "Replies on X" in html
    assert "Reply number 0" in html and "Something abusive" not in html
    assert "https://x.com/resident0/status/10000000" in html
    page = render_extras(home_page, "page")
    assert "Something abusive" not in page
    hidden_view = client.get("/admin/social/inbox/?state=hidden").content.decode()
    assert "Something abusive" in hidden_view


def render_extras(obj, place):
    request = RequestFactory().get("/")
    request.site = Site.objects.get(is_default_site=True)
    return Template("{% parley_extras obj place %}").render(
        Context({"obj": obj, "place": place, "request": request})
    )


def test_public_replies_follow_the_site_setting_and_escape_text(posted, home_page):
    make_replies(posted, 1)
    Reply.objects.update(text="<script>alert(1)</script> nice park")
    html = render_extras(home_page, "after_answers")
    assert "<script>" not in html and "nice park" in html
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.show_x_replies = False
    settings.save()
    assert "Replies on X" not in render_extras(home_page, "after_answers")


def test_reply_from_the_portal_goes_through_approval(
    client, officer, coach, posted, sandbox, django_capture_on_commit_callbacks
):
    make_replies(posted, 1)
    reply = Reply.objects.get()
    client.force_login(officer)
    assert client.get(f"/admin/social/inbox/{reply.pk}/reply/").status_code == 200
    response = client.post(
        f"/admin/social/inbox/{reply.pk}/reply/", {"text": "Thanks, we will pass that on."}
    )
    post = Post.objects.get(kind=PostKind.REPLY)
    assert response.status_code == 302
    assert post.status == Post.Status.AWAITING and post.in_reply_to == reply
    assert post.topic_title == posted.topic_title
    reply.refresh_from_db()
    assert reply.read_at is not None


def test_reply_posts_reply_to_the_residents_tweet_on_x(sandbox, channel, officer, coach):
    root = approved_post(channel, text="Our new recycling calendar is out.")
    services.post_publish(post_id=root.pk)
    root.refresh_from_db()
    their = sandbox.reply(root.external_id, "eastfield_jen", "Is glass collected weekly?")
    ingest.pull_post(post_id=root.pk, force=True)
    reply = Reply.objects.get(external_id=their)
    answer = ingest.reply_respond(reply=reply, text="Glass is collected fortnightly.", by=officer)
    services.post_approve(post=answer, by=coach)
    assert services.post_publish(post_id=answer.pk) == "published"
    answer.refresh_from_db()
    tweet = sandbox.state.get_tweet(int(answer.external_id))
    assert tweet["in_reply_to_id"] == int(their)
    assert not hasattr(answer, "pull_cursor") or answer.pull_cursor is None


def test_import_by_url_valid(sandbox, channel, officer, client, django_capture_on_commit_callbacks):
    root = approved_post(channel)
    services.post_publish(post_id=root.pk)
    root.refresh_from_db()
    their = sandbox.reply(root.external_id, "millbrook_mo", "Replying without search access")
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/social/inbox/import/",
            {"url": f"https://x.com/millbrook_mo/status/{their}?s=20"},
        )
    assert response.status_code == 302
    request = ReplyImport.objects.get()
    assert request.status == ReplyImport.Status.DONE
    reply = Reply.objects.get(external_id=their)
    assert reply.post == root and reply.imported_by == officer
    assert reply.author_handle == "millbrook_mo" and reply.raw["tweet"]["id"] == their
    page = client.get("/admin/social/inbox/import/").content.decode()
    assert "Imported" in page


@pytest.mark.parametrize(
    "url",
    [
        "not a link",
        "https://example.com/status/123",
        "https://x.com/name/likes",
        "javascript:alert(1)",
    ],
)
def test_import_by_url_bad_url(client, officer, url):
    client.force_login(officer)
    response = client.post("/admin/social/inbox/import/", {"url": url})
    assert response.status_code == 400
    assert "Enter the link to a reply on X" in response.content.decode()
    assert not ReplyImport.objects.exists()


def test_import_by_url_not_found(
    sandbox, channel, officer, client, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/social/inbox/import/", {"url": "https://twitter.com/someone/status/42"})
    request = ReplyImport.objects.get()
    assert request.status == ReplyImport.Status.FAILED
    assert "no post at that link" in request.error
    assert not Reply.objects.exists()
    assert "no post at that link" in client.get("/admin/social/inbox/import/").content.decode()


def test_import_of_a_post_outside_our_conversations_is_refused(sandbox, channel, officer):
    from social.adapters.x import build_client

    c, _ = build_client(
        {**channel.credentials(), "access_token": "sandbox-someoneelse"}, base_url=sandbox.url
    )
    stranger = c.create_tweet(text="Unrelated", user_auth=True).data["id"]
    request = ReplyImport.objects.create(
        url=f"https://x.com/someoneelse/status/{stranger}", tweet_id=stranger, requested_by=officer
    )
    result = ingest.reply_import_run(import_id=request.pk)
    assert result.status == ReplyImport.Status.FAILED and "not a reply" in result.error


def test_parked_pulls_are_visible_in_the_inbox(client, officer, posted):
    from social.models import PullCursor

    PullCursor.objects.create(
        post=posted, state=PullCursor.State.PARKED, last_error="X answered 503"
    )
    client.force_login(officer)
    html = client.get("/admin/social/inbox/").content.decode()
    assert "X answered 503" in html and "Start again" in html


def test_other_apps_add_actions_badges_and_bulk_actions_once_per_page(client, officer, posted):
    make_replies(posted, 60)
    calls = []

    def actions(request, items):
        calls.append(("actions", len(items)))
        return {item: [{"label": "Test action", "url": f"/promote/{item.pk}/"}] for item in items}

    def badges(request, items):
        calls.append(("badges", len(items)))
        return {items[0]: [{"text": "Used as evidence", "colour": "green", "url": ""}]}

    def bulk(request, model):
        calls.append(("bulk", model.__name__))
        return [{"label": "Promote chosen replies", "url": "/promote/bulk/"}]

    with (
        hooks.register_temporarily("parley_item_actions", actions),
        hooks.register_temporarily("parley_item_badges", badges),
        hooks.register_temporarily("parley_bulk_actions", bulk),
    ):
        client.force_login(officer)
        html = client.get("/admin/social/inbox/").content.decode()
    assert sorted(calls) == [("actions", 50), ("badges", 50), ("bulk", "Reply")]
    assert html.count("Test action") == 50
    assert "Used as evidence" in html
    assert 'formaction="/promote/bulk/"' in html


def test_hiding_a_reply_refreshes_the_cached_thread_page(client, officer, channel, settings):
    """Signed-out readers get thread pages from the cache: hiding must reach them at once."""
    from questions.models import QuestionIndexPage
    from tests.questions.factories import QuestionFactory

    settings.PARLEY_THREAD_PAGE_CACHE_SECONDS = 600
    home = Site.objects.get(is_default_site=True).root_page
    index = QuestionIndexPage(title="Ask the council", slug="ask-the-council")
    home.add_child(instance=index)
    index.save_revision().publish()
    question = QuestionFactory(title="Why was the Eastfield Park play area closed?")
    post = Post.objects.create(
        channel=channel,
        text="Why was the Eastfield Park play area closed?",
        status=Post.Status.PUBLISHED,
        external_id="777",
        published_at=timezone.now(),
    )
    post.topic = question
    post.save()
    make_replies(post, 2)
    abusive = Reply.objects.get(external_id="10000001")
    Reply.objects.filter(pk=abusive.pk).update(text="Something abusive")
    path = question.get_absolute_url()
    assert "Something abusive" in client.get(path).content.decode()
    assert client.get(path)["X-Parley-Cache"] == "hit"

    ingest.replies_hide(replies=[abusive], by=officer, reason="Abuse")
    fresh = client.get(path)
    assert "X-Parley-Cache" not in fresh
    page = fresh.content.decode()
    assert "Something abusive" not in page and "Reply number 0" in page

    ingest.replies_hide(replies=[abusive], by=officer, hidden=False)
    assert "Something abusive" in client.get(path).content.decode()


def test_import_by_url_works_without_a_bearer_token(
    sandbox, officer, client, monkeypatch, django_capture_on_commit_callbacks
):
    """An account with no search access (so no bearer token) still imports by URL."""
    channel = Channel.objects.create(
        name="Harrowfield Borough Council",
        kind=Channel.Kind.X,
        handle="harrowfieldbc",
        consumer_key_env="TEST_NOBEARER_CK",
        consumer_secret_env="TEST_NOBEARER_CS",
        access_token_env="TEST_NOBEARER_AT",
        access_token_secret_env="TEST_NOBEARER_ATS",
        bearer_token_env="TEST_NOBEARER_BEARER",
    )
    monkeypatch.setenv("TEST_NOBEARER_CK", "ck")
    monkeypatch.setenv("TEST_NOBEARER_CS", "cs")
    monkeypatch.setenv("TEST_NOBEARER_AT", "sandbox-harrowfieldbc")
    monkeypatch.setenv("TEST_NOBEARER_ATS", "ts")
    monkeypatch.delenv("TEST_NOBEARER_BEARER", raising=False)
    assert channel.missing_credentials() == ["TEST_NOBEARER_BEARER"]
    root = approved_post(channel)
    assert services.post_publish(post_id=root.pk) == "published"
    root.refresh_from_db()
    their = sandbox.reply(root.external_id, "millbrook_mo", "Replying to the council")
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/social/inbox/import/", {"url": f"https://x.com/m/status/{their}"})
    request = ReplyImport.objects.get()
    assert request.status == ReplyImport.Status.DONE, request.error
    reply = Reply.objects.get(external_id=their)
    assert reply.post == root and reply.author_handle == "millbrook_mo"
