"""Consultations in the browser: find one, respond (JS on and off), follow a meeting live."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.utils import timezone

from consultations.models import ConsultationResponse, LiveUpdate, MeetingPage
from portal.models import User
from tests.consultations.factories import make_meeting

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _seed():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _sign_in(journey_, user, base_url):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    journey_.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": base_url,
            }
        ]
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_resident_finds_and_responds_to_a_consultation(journey, javascript):
    _seed()
    j = journey(javascript=javascript)
    page = j.page

    j.goto("/consultations/")
    j.check_accessibility("consultation index")
    page.get_by_label("Open", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_role("heading", name="3 consultations").is_visible()
    j.check_accessibility("filtered index")

    page.get_by_role("link", name="Budget consultation 2026 to 2027").click()
    j.check_accessibility("open consultation")
    if javascript:
        j.screenshot("consultation-open")
    page.get_by_role("button", name="Respond to this consultation").click()
    j.check_accessibility("response form")

    page.get_by_role("button", name="Send response").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    j.check_accessibility("response form with errors")

    page.get_by_role("group", name="Are you responding as").get_by_label(
        "A resident of Harrowfield"
    ).check()
    services = page.get_by_role("group", name="Which three services matter most to you?")
    services.get_by_label("Libraries").check()
    services.get_by_label("Adult social care").check()
    page.get_by_role("group", name="How should we balance the budget?").get_by_label(
        "Raise council tax by 2.99% and make some savings"
    ).check()
    page.get_by_label("Do you have ideas").fill("Share back-office services with Kestrel Vale.")
    page.get_by_role("group", name="May we publish or quote your response?").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("group", name="May we contact you about your response?").get_by_label(
        "No"
    ).check()
    page.get_by_role("button", name="Send response").click()

    assert page.get_by_role("heading", name="Response received").is_visible()
    j.check_accessibility("receipt")
    response = ConsultationResponse.objects.filter(answers__icontains="Kestrel Vale").get()
    assert page.get_by_text(response.reference).first.is_visible()

    for path in [
        "/consultations/library-opening-hours-review/",
        "/consultations/station-road-cycle-lane/",
        "/consultations/elmhurst-house-care-home/",
        "/consultations/elmhurst-house-care-home/respond/",
        "/meetings/",
        "/meetings/cabinet-library-hours/",
    ]:
        j.goto(path)
        j.check_accessibility(path)
    if javascript:
        j.goto("/consultations/library-opening-hours-review/")
        j.screenshot("consultation-outcome")


def test_live_updates_appear_without_a_reload(journey, settings, live_server):
    settings.PARLEY_LIVE_POLL_SECONDS = 1
    _seed()
    now = timezone.now()
    meeting = make_meeting(
        MeetingPage.objects.first().get_parent().specific,
        slug="cabinet-tonight",
        title="Cabinet, this evening",
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(hours=2),
    )
    watcher = journey()
    watcher.goto(meeting.url)
    watcher.check_accessibility("live meeting")
    assert watcher.page.get_by_text("Updates will appear here during the meeting.").is_visible()

    officer = journey()
    _sign_in(officer, User.objects.get(email="officer@example.com"), live_server.url)
    officer.goto(meeting.url)
    officer.check_accessibility("live meeting with the update form")
    officer.page.get_by_label("Post a live update").fill("Item 1: apologies from Cllr Ferris.")
    officer.page.get_by_role("button", name="Post update").click()
    assert officer.page.get_by_text("Your update is live on the meeting page.").is_visible()
    assert LiveUpdate.objects.filter(meeting=meeting).count() == 1

    # the watcher's page was never reloaded
    watcher.page.get_by_text("Item 1: apologies from Cllr Ferris.").wait_for(timeout=10_000)
    assert watcher.page.get_by_text("1 new update").count() == 1
    watcher.screenshot("meeting-live-updates")


def test_consultation_pages_fit_a_narrow_screen(journey):
    _seed()
    narrow = journey(width=320)
    for path in [
        "/consultations/",
        "/consultations/library-opening-hours-review/",
        "/consultations/budget-2026-27/respond/",
        "/meetings/cabinet-library-hours/",
    ]:
        narrow.goto(path)
        narrow.check_no_horizontal_scroll()
