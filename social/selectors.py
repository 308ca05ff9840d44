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
        "channel", "drafted_by", "approved_by", "withdrawn_by", "parent"
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
