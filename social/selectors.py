"""Reads for the social screens; every list is one or two queries however long it is."""

from django.db.models import QuerySet

from .models import Post


def posts_for_listing(*, status=None, channel=None, drafted_by=None) -> QuerySet:
    """Posts for the admin list, newest first (thread parts shown under their first part)."""
    qs = Post.objects.select_related("channel", "drafted_by", "approved_by").filter(part_number=1)
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if drafted_by:
        qs = qs.filter(drafted_by=drafted_by)
    return qs.order_by("-created_at", "-pk")


def awaiting_approval() -> QuerySet:
    """The coaches' queue, oldest first so nothing waits forever."""
    return (
        Post.objects.select_related("channel", "drafted_by")
        .filter(status=Post.Status.AWAITING)
        .order_by("submitted_at", "pk")
    )


def post_with_history() -> QuerySet:
    return Post.objects.select_related(
        "channel", "drafted_by", "approved_by", "withdrawn_by", "parent", "in_reply_to"
    ).prefetch_related("events__by")


def thread_of(post: Post) -> list[Post]:
    """The other parts of a long post's thread, in order."""
    root = post
    while root.parent_id and root.part_number > 1:
        root = root.parent
    parts = [root]
    current = root
    while True:
        nxt = current.children.filter(kind=root.kind, part_number=current.part_number + 1).first()
        if nxt is None:
            break
        parts.append(nxt)
        current = nxt
    return parts if len(parts) > 1 else []


def published_for_topic(obj) -> list[Post]:
    """Our first posts about `obj` that are live on X (for "Discussed on X")."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(obj)
    return list(
        Post.objects.filter(
            topic_content_type=ct,
            topic_object_id=obj.pk,
            status=Post.Status.PUBLISHED,
            part_number=1,
        )
        .exclude(kind="reply")
        .select_related("channel")
        .order_by("published_at")[:5]
    )


def inbox_replies(
    *, state="unread", channel=None, post_id=None, date_from=None, date_to=None, q=""
):
    """Replies for the officers' inbox, newest first (one query however many there are)."""
    from .models import Reply

    qs = Reply.objects.select_related("post", "post__channel", "parent", "read_by", "hidden_by")
    if state == "hidden":
        qs = qs.filter(hidden=True)
    else:
        qs = qs.filter(hidden=False)
        if state == "unread":
            qs = qs.filter(read_at__isnull=True)
        elif state == "read":
            qs = qs.filter(read_at__isnull=False)
    if channel:
        qs = qs.filter(channel=channel)
    if post_id:
        qs = qs.filter(post_id=post_id)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    if q:
        from django.db.models import Q

        qs = qs.filter(
            Q(text__icontains=q) | Q(author_handle__icontains=q) | Q(author_name__icontains=q)
        )
    return qs.order_by("-created_at", "-pk")


def group_by_post(replies) -> list[dict]:
    """A page of replies grouped under their post (and site thread), newest group first."""
    groups: dict[int, dict] = {}
    for reply in replies:
        group = groups.setdefault(reply.post_id, {"post": reply.post, "replies": []})
        group["replies"].append(reply)
    return list(groups.values())


def parked_pulls():
    from .models import PullCursor

    return PullCursor.objects.filter(state=PullCursor.State.PARKED).select_related(
        "post", "post__channel"
    )[:20]


def recent_imports(user):
    from .models import ReplyImport

    return ReplyImport.objects.filter(requested_by=user).select_related("reply")[:10]


def public_replies_for(obj, limit: int = 20) -> tuple[list, bool]:
    """Visible replies from X about `obj`, oldest first, and whether there are more (one query)."""
    from django.contrib.contenttypes.models import ContentType

    from .models import Reply

    ct = ContentType.objects.get_for_model(obj)
    rows = list(
        Reply.objects.filter(
            post__topic_content_type=ct,
            post__topic_object_id=obj.pk,
            post__status=Post.Status.PUBLISHED,
            hidden=False,
        )
        .select_related("post")
        .order_by("created_at", "pk")[: limit + 1]
    )
    return rows[:limit], len(rows) > limit
