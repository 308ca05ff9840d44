"""Drafting, the coaches' approval queue and the rules by role, through services and screens."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import Site

from portal.models import SiteSettings
from social import services
from social.models import Post, PostEvent

pytestmark = pytest.mark.django_db
Status = Post.Status


def awaiting(channel, by, text="Our libraries open late on Thursdays from next week."):
    return services.post_draft(channel=channel, text=text, by=by, submit=True)


def test_officer_drafts_and_coach_approves(channel, officer, coach):
    post = services.post_draft(channel=channel, text="Hello Harrowfield", by=officer)
    assert post.status == Status.DRAFT
    services.post_submit(post=post, by=officer)
    post = services.post_approve(post=post, by=coach)
    assert post.status == Status.APPROVED
    assert post.approved_by == coach
    kinds = list(post.events.values_list("kind", flat=True))
    assert kinds == ["drafted", "submitted", "approved"]


@pytest.mark.parametrize("role", ["officer", "moderator", "committee_member", "resident"])
def test_only_coaches_approve(channel, officer, role, request):
    post = awaiting(channel, officer)
    with pytest.raises(PermissionDenied):
        services.post_approve(post=post, by=request.getfixturevalue(role))


@pytest.mark.parametrize("role", ["moderator", "committee_member", "resident"])
def test_only_officers_and_coaches_draft(channel, role, request):
    with pytest.raises(PermissionDenied):
        services.post_draft(channel=channel, text="x", by=request.getfixturevalue(role))


def test_a_coachs_own_draft_needs_a_second_person(channel, coach):
    from portal import roles
    from tests.factories import UserFactory

    post = awaiting(channel, coach)
    with pytest.raises(PermissionDenied, match="another coach"):
        services.post_approve(post=post, by=coach)
    second = UserFactory(is_staff=True, roles=[roles.COACHES])
    assert services.post_approve(post=post, by=second).status == Status.APPROVED


def test_self_approval_when_the_site_allows_it(channel, coach):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.allow_coach_self_approval = True
    settings.save()
    post = awaiting(channel, coach)
    assert services.post_approve(post=post, by=coach).status == Status.APPROVED


def test_reject_sends_feedback_the_drafter_sees(channel, officer, coach, client):
    post = awaiting(channel, officer)
    services.post_reject(post=post, by=coach, feedback="Say which libraries, please.")
    post.refresh_from_db()
    assert post.status == Status.DRAFT
    assert post.feedback == "Say which libraries, please."
    assert officer.notifications.filter(kind="social_post_rejected").exists()
    client.force_login(officer)
    page = client.get(f"/admin/social/posts/{post.pk}/").content.decode()
    assert "Say which libraries, please." in page
    listing = client.get("/admin/social/posts/?mine=on").content.decode()
    assert "Say which libraries, please." in listing
    # Already sent back: a second rejection is refused.
    with pytest.raises(PermissionDenied):
        services.post_reject(post=post, by=coach, feedback="again")


def test_reject_needs_feedback(channel, officer, coach):
    post = awaiting(channel, officer)
    with pytest.raises(ValidationError):
        services.post_reject(post=post, by=coach, feedback="  ")


def test_personal_data_blocks_approval_until_edited(channel, officer, coach):
    post = awaiting(channel, officer, "Call Mrs Patel on 07700 900123 about her bins.")
    with pytest.raises(ValidationError, match="phone number"):
        services.post_approve(post=post, by=coach)
    post.refresh_from_db()
    assert post.status == Status.AWAITING
    approved = services.post_approve(
        post=post, by=coach, text="Residents of Mill Lane: your bins are collected on Tuesday."
    )
    assert approved.status == Status.APPROVED
    assert approved.events.filter(kind=PostEvent.Kind.EDITED, by=coach).exists()


def test_personal_data_override_needs_a_reason_and_is_logged(channel, officer, coach):
    post = awaiting(channel, officer, "Our new office is at HF1 2AB, opposite the market.")
    approved = services.post_approve(
        post=post, by=coach, override_reason="The council's own office postcode."
    )
    assert approved.status == Status.APPROVED
    event = approved.events.get(kind=PostEvent.Kind.PII_OVERRIDE)
    assert event.by == coach
    assert "own office postcode" in event.note and "postcode" in event.note


def test_drafter_edits_own_draft_but_not_someone_elses(channel, officer, coach):
    from portal import roles
    from tests.factories import UserFactory

    post = services.post_draft(channel=channel, text="First go", by=officer)
    services.post_edit(post=post, text="Second go", by=officer)
    other = UserFactory(is_staff=True, roles=[roles.OFFICERS])
    with pytest.raises(PermissionDenied):
        services.post_edit(post=post, text="Hijack", by=other)
    services.post_submit(post=post, by=officer)
    with pytest.raises(PermissionDenied):
        services.post_edit(post=post, text="Too late", by=officer)
    services.post_edit(post=post, text="Coach polish", by=coach)
    post.refresh_from_db()
    assert post.text == "Coach polish"


def test_approval_screen_shows_personal_data_and_refuses_without_reason(
    channel, officer, coach, client
):
    post = awaiting(channel, officer, "Email jo@example.com for a form.")
    client.force_login(coach)
    queue = client.get("/admin/social/queue/").content.decode()
    assert "Personal data?" in queue
    response = client.post(
        f"/admin/social/posts/{post.pk}/approve/", {"text": post.text, "override_reason": ""}
    )
    assert response.status_code == 400
    assert "email address" in response.content.decode()
    post.refresh_from_db()
    assert post.status == Status.AWAITING
    response = client.post(
        f"/admin/social/posts/{post.pk}/approve/",
        {
            "text": "Email haveyoursay@harrowfield.example.gov.uk for a form.",
            "override_reason": "Our published address.",
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == Status.APPROVED


def test_officer_drafts_through_the_admin_screen(channel, officer, client):
    client.force_login(officer)
    assert client.get("/admin/social/posts/new/").status_code == 200
    response = client.post(
        "/admin/social/posts/new/",
        {
            "channel": channel.pk,
            "text": "Roadworks on the High Street end on Friday.",
            "submit_now": "on",
        },
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert post.status == Status.AWAITING and post.drafted_by == officer
    empty = client.post("/admin/social/posts/new/", {"channel": channel.pk, "text": ""})
    assert empty.status_code == 200 and "This field is required" in empty.content.decode()


def test_auto_drafts_use_the_editable_template_once_per_channel(channel, home_page, settings):
    from social.models import PostKind, PostTemplate

    PostTemplate.objects.update_or_create(
        kind=PostKind.CONSULTATION_OPENED,
        defaults={"text": "Have your say on {title} by {closes}: {url} {bogus}"},
    )
    posts = services.post_draft_for_event(
        kind=PostKind.CONSULTATION_OPENED, source=home_page, context={"closes": "3 March"}
    )
    assert len(posts) == 1
    assert posts[0].status == Status.AWAITING
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/"
    assert posts[0].text == f"Have your say on {home_page.title} by 3 March: {link}"
    assert services.post_draft_for_event(kind=PostKind.CONSULTATION_OPENED, source=home_page) == []


def test_approval_queue_is_bounded_in_queries(
    channel, officer, coach, client, django_assert_max_num_queries
):
    for i in range(40):
        awaiting(channel, officer, f"Draft number {i} about the park.")
    client.force_login(coach)
    with django_assert_max_num_queries(20):
        assert client.get("/admin/social/queue/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/admin/social/posts/").status_code == 200
