"""Who may do what in social, as a role x action table (permissions.py is the one place)."""

import pytest

from social import permissions
from social.models import Post

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "resident", "officer", "moderator", "coach", "committee_member", "admin_user"]


def user_for(role, request):
    if role == "anonymous":
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return request.getfixturevalue(role)


# action -> roles allowed. "own" posts were drafted by the officer fixture.
TABLE = {
    "view_posts": {"officer", "coach", "admin_user"},
    "draft": {"officer", "coach", "admin_user"},
    "approve_queue": {"coach", "admin_user"},
    "edit_own_draft": {"officer", "coach", "admin_user"},
    "submit_own_draft": {"officer", "coach", "admin_user"},
    "approve_awaiting": {"coach", "admin_user"},
    "reject_awaiting": {"coach", "admin_user"},
    "withdraw_own_awaiting": {"officer", "coach", "admin_user"},
    "withdraw_published": {"coach", "admin_user"},
    "retry_failed": {"coach", "admin_user"},
    "manage_channels": {"admin_user"},
}


def check(action, user, officer, channel):
    def post(status):
        return Post(channel=channel, text="x", status=status, drafted_by=officer)

    S = Post.Status
    return {
        "view_posts": lambda: permissions.can_view_posts(user),
        "draft": lambda: permissions.can_draft(user),
        "approve_queue": lambda: permissions.can_approve_any(user),
        "edit_own_draft": lambda: (
            permissions.can_edit(user, post(S.DRAFT))
            if user == officer
            else permissions.can_edit(user, post(S.AWAITING))
        ),
        "submit_own_draft": lambda: permissions.can_submit(user, post(S.DRAFT)),
        "approve_awaiting": lambda: permissions.can_approve(
            user, post(S.AWAITING), allow_self_approval=False
        ),
        "reject_awaiting": lambda: permissions.can_reject(user, post(S.AWAITING)),
        "withdraw_own_awaiting": lambda: permissions.can_withdraw(user, post(S.AWAITING)),
        "withdraw_published": lambda: permissions.can_withdraw(user, post(S.PUBLISHED)),
        "retry_failed": lambda: permissions.can_retry(user, post(S.FAILED)),
        "manage_channels": lambda: permissions.can_manage_channels(user),
    }[action]()


@pytest.mark.parametrize("action", list(TABLE))
@pytest.mark.parametrize("role", ROLES)
def test_role_action_table(role, action, request, officer, channel):
    user = user_for(role, request)
    if role == "officer":
        user = officer
    assert check(action, user, officer, channel) == (role in TABLE[action])


def outcome(response) -> str:
    """ok, login (sent to sign in) or denied (Wagtail sends staff without the permission home)."""
    if response.status_code == 200:
        return "ok"
    if response.status_code == 403:
        return "denied"
    assert response.status_code == 302
    return "login" if "login" in response["Location"] else "denied"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "login"),
        ("resident", "login"),
        ("committee_member", "login"),
        ("moderator", "denied"),
        ("officer", "ok"),
        ("coach", "ok"),
        ("admin_user", "ok"),
    ],
)
def test_post_list_screen_by_role(role, expected, as_role):
    client, _ = as_role(role)
    assert outcome(client.get("/admin/social/posts/")) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "login"),
        ("officer", "denied"),
        ("moderator", "denied"),
        ("coach", "ok"),
        ("admin_user", "ok"),
    ],
)
def test_queue_screen_by_role(role, expected, as_role):
    client, _ = as_role(role)
    assert outcome(client.get("/admin/social/queue/")) == expected


def test_actions_refuse_the_wrong_role(as_role, officer, channel):
    from social import services

    post = services.post_draft(channel=channel, text="Hello", by=officer, submit=True)
    client, _ = as_role("moderator")
    for action in ("approve", "reject", "withdraw", "edit", "retry", "submit"):
        response = client.post(
            f"/admin/social/posts/{post.pk}/{action}/", {"text": "x", "feedback": "y"}
        )
        assert outcome(response) == "denied", action
    post.refresh_from_db()
    assert post.status == Post.Status.AWAITING
