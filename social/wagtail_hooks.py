from datetime import timedelta

from django.template.loader import render_to_string
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.scheduling import PeriodicJob

from . import admin_urls, permissions, selectors, tasks
from .models import Channel, PostTemplate


@hooks.register("register_admin_urls")
def social_admin_urls():
    return [path("social/", include((admin_urls, "social_admin"), namespace="social_admin"))]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, check, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check

    def is_shown(self, request):
        return self.check(request.user)


class SocialMenu(SubmenuMenuItem):
    def is_shown(self, request):
        return permissions.can_view_posts(request.user) or permissions.can_work_inbox(request.user)


@hooks.register("register_admin_menu_item")
def social_menu():
    items = [
        PermissionMenuItem(
            "Approval queue",
            reverse("social_admin:queue"),
            icon_name="tick",
            order=100,
            check=permissions.can_approve_any,
        ),
        PermissionMenuItem(
            "Posts",
            reverse("social_admin:post_list"),
            icon_name="list-ul",
            order=200,
            check=permissions.can_view_posts,
        ),
        PermissionMenuItem(
            "New post",
            reverse("social_admin:post_create"),
            icon_name="edit",
            order=300,
            check=permissions.can_draft,
        ),
    ]
    items += [
        PermissionMenuItem(
            "Reply inbox",
            reverse("social_admin:inbox"),
            icon_name="mail",
            order=400,
            check=permissions.can_work_inbox,
        ),
        PermissionMenuItem(
            "Import a reply",
            reverse("social_admin:inbox_import"),
            icon_name="download",
            order=500,
            check=permissions.can_work_inbox,
        ),
    ]
    return SocialMenu("Posts to X", Menu(items=items), icon_name="site", order=450)


class ChannelViewSet(SnippetViewSet):
    model = Channel
    icon = "site"
    menu_label = "X channels"
    add_to_admin_menu = False
    list_display = ["name", "handle", "kind", "active", "monthly_budget", "spent_this_month"]
    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("kind"), FieldPanel("handle"), FieldPanel("active")],
            heading="Account",
        ),
        MultiFieldPanel(
            [
                FieldPanel("consumer_key_env"),
                FieldPanel("consumer_secret_env"),
                FieldPanel("access_token_env"),
                FieldPanel("access_token_secret_env"),
                FieldPanel("bearer_token_env"),
            ],
            heading="Credentials (names of environment variables on the server, never secrets)",
        ),
        MultiFieldPanel(
            [
                FieldPanel("monthly_budget"),
                FieldPanel("cost_per_read"),
                FieldPanel("cost_per_post"),
                FieldPanel("cost_per_post_with_url"),
                FieldPanel("cost_per_delete"),
            ],
            heading="Budget (X's pay-per-use prices)",
        ),
    ]


class PostTemplateViewSet(SnippetViewSet):
    model = PostTemplate
    icon = "doc-full"
    menu_label = "Post templates"
    add_to_admin_menu = False
    list_display = ["kind", "text"]
    panels = [FieldPanel("kind"), FieldPanel("text")]


register_snippet(ChannelViewSet)
register_snippet(PostTemplateViewSet)


@hooks.register("parley_periodic_jobs")
def social_jobs():
    return [
        PeriodicJob("social.publish_due_posts", timedelta(minutes=1), tasks.publish_due_posts),
        # The test backend cannot defer tasks, and a deferred task can be lost with its worker:
        # this sweep picks up every pull whose time has come either way.
        PeriodicJob("social.pull_due_replies", timedelta(minutes=1), tasks.pull_due_replies),
    ]


def _topic_posts(request, obj) -> list:
    """Our published posts about `obj`, fetched once per request for both fragments."""
    cache = getattr(request, "_social_topic_posts", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._social_topic_posts = cache
    key = (type(obj).__name__, obj.pk)
    if key not in cache:
        cache[key] = selectors.published_for_topic(obj)
    return cache[key]


@hooks.register("parley_object_extras")
def discussed_on_x(request, obj, place):
    """ "Discussed on X" beside a question thread or a consultation or meeting page."""
    if place not in {"thread", "page"} or getattr(obj, "pk", None) is None:
        return None
    posts = _topic_posts(request, obj)
    if not posts:
        return None
    return render_to_string(
        "social/discussed_on_x.html", {"posts": posts, "object": obj}, request=request
    )


@hooks.register("parley_object_extras")
def replies_from_x(request, obj, place):
    """Replies from X beneath the site's own answers, when the site setting allows it."""
    from portal.models import SiteSettings

    if place not in {"after_answers", "page"} or getattr(obj, "pk", None) is None:
        return None
    # No post about it on X, no replies: the common case costs one query for both fragments.
    if not _topic_posts(request, obj):
        return None
    if request is not None:
        site_settings = SiteSettings.for_request(request)
    else:
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first()
        site_settings = SiteSettings.for_site(site) if site else None
    if site_settings is None or not site_settings.show_x_replies:
        return None
    replies, more = selectors.public_replies_for(obj)
    if not replies:
        return None
    return render_to_string(
        "social/replies_from_x.html",
        {"replies": replies, "more": more, "object": obj, "conversation": replies[0].post},
        request=request,
    )


@hooks.register("parley_personal_data")
def social_personal_data(user):
    """Replies on X under the person's linked handle, and posts they drafted or approved."""
    from django.db.models import Q

    from .models import Post, Reply

    tables = []
    if user.x_handle:
        replies = Reply.objects.filter(author_handle__iexact=user.x_handle.lstrip("@"))
        tables.append(
            (
                "replies_on_x",
                [
                    {
                        "url": r.url,
                        "text": r.text,
                        "posted_at": r.created_at,
                        "hidden_from_public_pages": r.hidden,
                    }
                    for r in replies.order_by("created_at")
                ],
            )
        )
    posts = Post.objects.filter(Q(drafted_by=user) | Q(approved_by=user)).order_by("created_at")
    if posts.exists():
        tables.append(
            (
                "posts_to_x",
                [
                    {
                        "text": p.text,
                        "status": p.get_status_display(),
                        "drafted_by_you": p.drafted_by_id == user.pk,
                        "approved_by_you": p.approved_by_id == user.pk,
                        "created_at": p.created_at,
                        "url": p.external_url,
                    }
                    for p in posts
                ],
            )
        )
    return tables


@hooks.register("parley_erase_personal_data")
def social_erase_personal_data(user, by):
    """Their replies on X stop appearing on our pages and lose their name; X keeps its copy."""
    from .models import Reply

    if user.x_handle:
        Reply.objects.filter(author_handle__iexact=user.x_handle.lstrip("@")).update(
            hidden=True,
            hidden_reason="Erased at the person's request",
            author_name="Former resident",
            author_handle="",
            author_id="",
            raw={},
        )


@hooks.register("parley_retention_purges")
def social_purges(now):
    from .services import raw_json_purge_expired

    return [("raw X reply data", raw_json_purge_expired(now=now))]
