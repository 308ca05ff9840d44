"""Who may do what, as a role x action table, before, during and after the phase."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from consultations import permissions
from consultations.models import ConsultationResponse

from .factories import make_consultation, make_meeting, make_meeting_index

pytestmark = pytest.mark.django_db

OPENS = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CLOSES = datetime(2026, 4, 13, 23, 59, tzinfo=UTC)
WHEN = {
    "before": OPENS - timedelta(days=1),
    "during": OPENS + timedelta(days=1),
    "after": CLOSES + timedelta(days=1),
}
ROLES = [
    "anonymous",
    "resident",
    "other_resident",
    "officer",
    "moderator",
    "coach",
    "committee_member",
    "admin_user",
]

Y, N = True, False
# action -> {phase -> tuple in ROLES order}
TABLE = {
    "respond": {
        "before": (N, N, N, N, N, N, N, N),
        "during": (Y, Y, Y, Y, Y, Y, Y, Y),
        "after": (N, N, N, N, N, N, N, N),
    },
    "follow": {
        "before": (N, Y, Y, Y, Y, Y, Y, Y),
        "during": (N, Y, Y, Y, Y, Y, Y, Y),
        "after": (N, Y, Y, Y, Y, Y, Y, Y),
    },
    # the resident below wrote the response
    "view_own_response": dict.fromkeys(("before", "during", "after"), (N, Y, N, Y, Y, N, N, Y)),
    "view_responses": dict.fromkeys(("before", "during", "after"), (N, N, N, Y, Y, N, N, Y)),
    "export_responses": dict.fromkeys(("before", "during", "after"), (N, N, N, Y, Y, N, N, Y)),
    "post_live_update": dict.fromkeys(("before", "during", "after"), (N, N, N, Y, Y, N, N, Y)),
    "edit_consultation": dict.fromkeys(("before", "during", "after"), (N, N, N, Y, Y, N, N, Y)),
    "publish_consultation": dict.fromkeys(("before", "during", "after"), (N, N, N, N, Y, N, N, Y)),
}


@pytest.fixture
def world(home_page, consultation_index, resident):
    with time_machine.travel(WHEN["during"], tick=False):
        page = make_consultation(consultation_index, opens_at=OPENS, closes_at=CLOSES)
        meeting = make_meeting(make_meeting_index(home_page))
    response = ConsultationResponse.objects.create(
        page=page,
        user=resident,
        answers={},
        consent_publish=True,
        consent_contact=False,
        reference="HBC-CR-2026-000001",
    )
    return page, meeting, response


def _ask(action, user, page, meeting, response, now):
    if action == "respond":
        return permissions.can_respond(user, page, now=now)
    if action == "follow":
        return permissions.can_follow(user, page, now=now)
    if action == "view_own_response":
        return permissions.can_view_response(user, response)
    if action == "view_responses":
        return permissions.can_view_responses(user)
    if action == "export_responses":
        return permissions.can_export_responses(user)
    if action == "post_live_update":
        return permissions.can_post_live_update(user, meeting)
    if action == "edit_consultation":
        return permissions.can_edit_page(user, page)
    if action == "publish_consultation":
        return permissions.can_publish_page(user, page)
    raise AssertionError(action)


@pytest.mark.parametrize("phase", ["before", "during", "after"])
@pytest.mark.parametrize("action", list(TABLE))
def test_role_by_action_table(request, world, action, phase):
    from django.contrib.auth.models import AnonymousUser

    page, meeting, response = world
    expected = dict(zip(ROLES, TABLE[action][phase], strict=True))
    got = {}
    with time_machine.travel(WHEN[phase], tick=False):
        for role in ROLES:
            user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
            got[role] = _ask(action, user, page, meeting, response, WHEN[phase])
    assert got == expected


def test_nobody_follows_once_the_outcome_is_published(world, resident):
    page, _, _ = world
    with time_machine.travel(WHEN["after"], tick=False):
        page.we_asked = page.you_said = page.we_did = "<p>Done.</p>"
        page.decision = "Cabinet agreed."
        assert not permissions.can_follow(resident, page, now=WHEN["after"])


def test_views_enforce_the_table(world, as_role):
    """The HTTP endpoints give the same answers as the table (spot checks)."""
    page, meeting, response = world
    with time_machine.travel(WHEN["during"], tick=False):
        client, _ = as_role("resident")
        assert client.post(meeting.url + "updates/", {"text": "Hi"}).status_code == 403
        assert client.get(f"/admin/consultations/{page.pk}/responses/").status_code in (302, 403)
        assert client.get(response.get_absolute_url()).status_code == 200
        client, _ = as_role("other_resident")
        assert client.get(response.get_absolute_url()).status_code == 404
        client, _ = as_role("officer")
        assert client.get(f"/admin/consultations/{page.pk}/responses/").status_code == 200
        assert client.get(response.get_absolute_url()).status_code == 200
        client, _ = as_role("coach")
        assert client.get(f"/admin/consultations/{page.pk}/responses/").status_code in (302, 403)
