"""Who may do what with posts to X and replies from X: the one place that says so.

Roles grant Django permissions (portal/roles.py): Officers draft posts and work the reply
inbox; Social media coaches approve, edit and reject; administrators hold everything.
"""

from .models import Post


def _perm(user, codename: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(codename))


def can_view_posts(user) -> bool:
    return _perm(user, "social.view_post")


def can_draft(user) -> bool:
    return _perm(user, "social.add_post")


def can_approve_any(user) -> bool:
    """Holds the coach's permission (the queue is theirs)."""
    return _perm(user, "social.approve_post")


def is_own(user, post: Post) -> bool:
    return post.drafted_by_id is not None and post.drafted_by_id == getattr(user, "pk", None)


def can_edit(user, post: Post) -> bool:
    if not post.is_editable:
        return False
    if can_approve_any(user):
        return True
    return post.status == Post.Status.DRAFT and is_own(user, post) and can_draft(user)


def can_submit(user, post: Post) -> bool:
    return post.status == Post.Status.DRAFT and (
        (is_own(user, post) and can_draft(user)) or can_approve_any(user)
    )


def approval_refusal(user, post: Post, *, allow_self_approval: bool) -> str | None:
    """Why `user` may not approve `post`, or None when they may."""
    if not can_approve_any(user):
        return "Only social media coaches can approve posts to X."
    if post.status != Post.Status.AWAITING:
        return "Only posts awaiting approval can be approved."
    if is_own(user, post) and not allow_self_approval:
        return "You drafted this post, so another coach needs to approve it."
    return None


def can_approve(user, post: Post, *, allow_self_approval: bool) -> bool:
    return approval_refusal(user, post, allow_self_approval=allow_self_approval) is None


def can_reject(user, post: Post) -> bool:
    return can_approve_any(user) and post.status == Post.Status.AWAITING


def can_withdraw(user, post: Post) -> bool:
    if post.status in {Post.Status.WITHDRAWN}:
        return False
    if can_approve_any(user):
        return True
    # Once approved, taking it back (and deleting it on X) is a coach's decision.
    return post.status in {Post.Status.DRAFT, Post.Status.AWAITING} and is_own(user, post)


def can_retry(user, post: Post) -> bool:
    return can_approve_any(user) and post.status == Post.Status.FAILED


def can_work_inbox(user) -> bool:
    return _perm(user, "social.view_reply") and _perm(user, "social.change_reply")


def can_reply_from_portal(user) -> bool:
    return can_work_inbox(user) and can_draft(user)


def can_manage_channels(user) -> bool:
    return _perm(user, "social.change_channel")
