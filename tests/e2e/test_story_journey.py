"""The whole story in a real browser (issue 8): the six journeys through questions,
consultations, the X channel and scrutiny, each on the demo content and through the UI only.

Every page a journey visits is checked with axe-core (JavaScript on) and for CSP violations.
The database is read only to find the verification email and to confirm what the UI said.
"""

import csv
import io
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import link_from_email
from tests.e2e.story import (
    ASK_TITLE,
    PASSWORD,
    sign_in,
    sign_out,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


# -- Journey 1 (and, without JavaScript, journey 5) ------------------------------------------


def _resident_signs_up(j, *, email, name):
    page = j.page
    j.goto("/")
    j.check_accessibility("home")
    j.screenshot("home")
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_role("link", name="Create an account").click()
    j.check_accessibility("create an account")
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    j.check_accessibility("check your email")
    [message] = [m for m in mail.outbox if email in m.to]
    j.goto(link_from_email(message))
    j.check_accessibility("confirm email")
    page.get_by_role("button", name="Confirm email address").click()
    expect(page.get_by_role("link", name="Your account")).to_be_visible()


def _resident_asks(j):
    page = j.page
    page.get_by_role("link", name="Ask the council").first.click()
    j.check_accessibility("question list")
    page.get_by_role("button", name="Ask a question").first.click()
    j.check_accessibility("ask form")
    page.get_by_label("Your question").fill(ASK_TITLE)
    if j.javascript:
        suggestion = page.locator(".parley-suggest__list a", has_text="Mill Lane recycling centre")
        expect(suggestion.first).to_be_visible()
        expect(page.locator("#similar-questions-status")).to_contain_text("similar question")
        j.check_accessibility("ask form with suggestions")
        j.screenshot("ask-with-suggestions")
    page.get_by_label("More detail").fill(
        "I have a car full of hedge cuttings. Will the centre take garden waste again?"
    )
    page.get_by_role("button", name="Continue").click()
    if not j.javascript:
        # Without JavaScript the suggestions are a step of their own.
        expect(
            page.get_by_role("heading", name="Has your question already been asked?")
        ).to_be_visible()
        expect(page.get_by_role("link", name=re.compile("Mill Lane recycling centre"))).to_be_visible()
        page.get_by_role("button", name="Post my question").click()
    expect(page.get_by_text("Your question has been sent to our moderators")).to_be_visible()
    expect(page.get_by_role("heading", name=ASK_TITLE, level=1)).to_be_visible()
    j.check_accessibility("question awaiting moderation")
    return page.url


def _follow(j, thread_url):
    page = j.page
    j.goto(thread_url)
    follow = page.get_by_role("button", name="Follow this question")
    if follow.count():
        follow.click()
    expect(page.get_by_role("button", name="Stop following")).to_be_visible()


def _moderator_approves(j):
    page = j.page
    sign_in(j, "moderator@example.com")
    j.goto("/admin/moderation/")
    page.get_by_role("button", name=f"Approve “{ASK_TITLE}”").click()
    expect(page.get_by_text(re.compile("published|approved", re.I)).first).to_be_visible()
    sign_out(j)


def _officer_answers(j, thread_url):
    page = j.page
    sign_in(j, "officer@example.com")
    j.goto(thread_url)
    page.get_by_label("Your answer").fill(
        "Yes. Garden waste is accepted again from Monday; bring it loose, not in bags."
    )
    page.get_by_label("Post as the council’s official answer").check()
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_text("Official answer").first).to_be_visible()
    sign_out(j)


@pytest.mark.parametrize("javascript", [True, False], ids=["journey1-js", "journey5-no-js"])
def test_journey_1_resident_asks_and_gets_the_official_answer(story, journey, javascript):
    resident = journey(javascript=javascript)
    staff = journey(javascript=javascript)
    email = "amira@example.com"
    _resident_signs_up(resident, email=email, name="Amira")
    thread_url = _resident_asks(resident)
    _follow(resident, thread_url)

    _moderator_approves(staff)
    resident.goto(thread_url)
    expect(resident.page.get_by_text("Your question has been sent to our moderators")).to_have_count(0)
    resident.check_accessibility("published thread")

    mail.outbox.clear()
    _officer_answers(staff, thread_url)

    page = resident.page
    j = resident
    j.goto("/")
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="My contributions").click()
    j.check_accessibility("my contributions")
    card = page.locator(".parley-card", has_text=ASK_TITLE)
    expect(card).to_contain_text("Officially answered")
    card.get_by_role("link", name=ASK_TITLE).click()
    expect(page.get_by_text("Garden waste is accepted again from Monday")).to_be_visible()
    j.check_accessibility("thread with official answer")
    if javascript:
        j.screenshot("thread")

    notices = [m for m in mail.outbox if email in m.to]
    assert len(notices) == 1, [m.subject for m in mail.outbox]
    assert ASK_TITLE in notices[0].subject + notices[0].body
    assert "official" in (notices[0].subject + notices[0].body).lower()
