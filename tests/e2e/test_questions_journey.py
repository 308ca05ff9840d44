"""Questions in the browser: ask with live suggestions (JS) or the check step (no JS), read,
vote, follow and answer; axe-core and the CSP checks run on every page."""

import re

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect
from wagtail.models import Site

from questions.models import Answer, Question, QuestionIndexPage, Vote
from questions.services import recount_question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EXISTING = "When will the Mill Lane recycling centre reopen?"
NEW = "Is the Mill Lane recycling centre opening again soon?"


@pytest.fixture
def thread():
    home = Site.objects.get(is_default_site=True).root_page
    index = QuestionIndexPage(title="Ask the council", slug="ask-the-council")
    home.add_child(instance=index)
    index.save_revision().publish()
    asker = UserFactory(display_name="Nora")
    question = Question.objects.create(
        title=EXISTING,
        body="The gates have been locked for three weeks.",
        author=asker,
        status=Question.Status.PUBLISHED,
    )
    question.tags.set(["recycling"])
    Answer.objects.create(
        question=question, author=UserFactory(display_name="Kwame"), body="Next Monday, I heard."
    )
    recount_question(question.pk)
    question.refresh_from_db()
    return question


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


def test_ask_with_live_suggestions_then_vote_and_follow(journey, live_server, thread):
    resident = UserFactory(display_name="Priya")
    j = journey()
    _sign_in(j, resident, live_server.url)
    page = j.page

    j.goto("/ask-the-council/")
    j.check_accessibility("question list")
    page.get_by_role("button", name="Ask a question").click()
    j.check_accessibility("ask form")

    page.get_by_label("Your question").fill(NEW)
    suggestion = page.locator(".parley-suggest__list a").first
    suggestion.wait_for()
    expect(suggestion).to_have_text(EXISTING)
    expect(page.locator("#similar-questions-status")).to_have_text(
        re.compile(r"^1 similar question found")
    )
    expect(page.locator("#id_checked")).to_have_value("1")
    j.check_accessibility("ask form with suggestions")

    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r".*/ask-the-council/\d+/is-the-mill-lane-"))
    # with suggestions already shown, the question is stored at once (no check step)
    assert Question.objects.filter(title=NEW, status=Question.Status.PENDING).exists()
    expect(page.get_by_text("Your question has been sent to our moderators")).to_be_visible()
    j.check_accessibility("new question awaiting moderation")

    j.goto(thread.get_absolute_url())
    page.get_by_role("button", name=re.compile("Vote for the answer by Kwame")).click()
    voted = page.get_by_role("button", name=re.compile("Voted for the answer by Kwame"))
    expect(voted).to_be_visible()
    assert Vote.objects.filter(user=resident).count() == 1
    page.get_by_role("button", name="Follow this question").click()
    expect(page.get_by_role("button", name="Stop following")).to_be_visible()
    j.check_accessibility("thread, signed in")

    page.get_by_label("Your answer").fill("The sign on the gate says the 14th.")
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_text("The sign on the gate says the 14th.")).to_be_visible()


@pytest.mark.parametrize("width", [1024, 320])
def test_signed_out_reader(journey, thread, width):
    j = journey(width=width)
    page = j.page
    j.goto(thread.get_absolute_url())
    expect(page.get_by_role("heading", name=EXISTING, level=1)).to_be_visible()
    expect(page.get_by_text("Next Monday, I heard.")).to_be_visible()
    j.check_accessibility(f"thread, signed out, {width}px")
    j.check_no_horizontal_scroll()
    page.get_by_role("link", name="recycling").first.click()
    expect(page.get_by_role("heading", name="Questions about recycling", level=1)).to_be_visible()
    j.check_accessibility("topic page")
    j.check_no_horizontal_scroll()
