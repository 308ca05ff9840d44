"""Who may do what with consultations and meetings: the one place that says so.

Each function takes the user (possibly anonymous) and the object, and answers from the role
table in portal/roles.py and the consultation's phase at `now`. Services call these before they
change anything; views call them to decide what to show.
"""

from datetime import datetime

from django.utils import timezone

from portal.roles import MODERATORS, OFFICERS, has_role

from .models import ConsultationPage, ConsultationResponse, MeetingPage, Phase


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_respond(user, page: ConsultationPage, *, now: datetime | None = None) -> bool:
    """Anyone, signed in or not, while the consultation is open."""
    return page.live and page.phase_at(now or timezone.now()) == Phase.OPEN


def can_follow(user, page: ConsultationPage, *, now: datetime | None = None) -> bool:
    """Signed-in people, until the outcome is published (nothing is left to tell them then)."""
    return _signed_in(user) and page.live and page.phase_at(now or timezone.now()) != Phase.DECIDED


def can_view_response(user, response: ConsultationResponse) -> bool:
    """Its author, and the staff who read responses."""
    if not _signed_in(user):
        return False
    return response.user_id == user.pk or can_view_responses(user)


def can_view_responses(user) -> bool:
    """Officers and moderators read every response in the admin."""
    return _signed_in(user) and (
        user.has_perm("consultations.view_consultationresponse")
        and has_role(user, OFFICERS, MODERATORS)
    )


def can_export_responses(user) -> bool:
    return can_view_responses(user) and user.has_perm("consultations.export_consultationresponse")


def can_post_live_update(user, meeting: MeetingPage) -> bool:
    """Officers and moderators, on a published meeting page."""
    return (
        _signed_in(user)
        and meeting.live
        and has_role(user, OFFICERS, MODERATORS)
        and user.has_perm("consultations.add_liveupdate")
    )


def can_edit_page(user, page) -> bool:
    """Wagtail's page permissions: officers and moderators edit."""
    return _signed_in(user) and page.permissions_for_user(user).can_edit()


def can_publish_page(user, page) -> bool:
    """Only moderators publish; an officer's edit goes through the approval workflow."""
    return _signed_in(user) and page.permissions_for_user(user).can_publish()
