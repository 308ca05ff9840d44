"""Browser journeys: the ask form's live suggestions, and axe-core on the question pages."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test body
    # are still ordinary synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context()
        yield context, context.new_page()
        browser.close()


def _sign_in(context, live_server, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


# base.html's phase banner sits outside any landmark (axe's best-practice "region" rule, not a
# WCAG criterion); it belongs to the site chrome, not to these pages, so it is left out here.
KNOWN_CHROME = {("region", ".govuk-phase-banner")}


def _axe_violations(page) -> list:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document)).violations")
    found = []
    for v in result:
        targets = [t for n in v["nodes"] for t in n["target"]]
        if all((v["id"], t) in KNOWN_CHROME for t in targets):
            continue
        found.append((v["id"], v["help"], targets[:3]))
    return found


def test_ask_with_live_suggestions_then_read_the_thread(
    browser_page, live_server, index_page, resident, question_factory, answer_factory
):
    from questions.models import Question

    existing = question_factory(title="When will the Mill Lane recycling centre reopen?", body="")
    answer_factory(question=existing, body="Next Monday, according to the council.")
    context, page = browser_page
    _sign_in(context, live_server, resident)

    page.goto(f"{live_server.url}/ask-the-council/ask/")
    assert _axe_violations(page) == []
    page.fill("#id_title", "Is the Mill Lane recycling centre opening again soon?")
    suggestions = page.locator(".parley-suggest__list a")
    suggestions.first.wait_for(timeout=10_000)
    assert suggestions.first.inner_text() == existing.title
    assert re.match(r"1 similar question found", page.inner_text("#similar-questions-status"))
    assert page.input_value("#id_checked") == "1"

    page.click("button:has-text('Continue')")
    page.wait_for_url(re.compile(r".*/ask-the-council/\d+/is-the-mill-lane.*"))
    # stored at once: no check step after live suggestions
    assert Question.objects.filter(title__startswith="Is the Mill Lane").exists()
    assert "Thank you. Your question has been sent to our moderators." in page.content()
    assert _axe_violations(page) == []

    page.goto(f"{live_server.url}{existing.get_absolute_url()}")
    assert "Next Monday, according to the council." in page.content()
    assert _axe_violations(page) == []
    page.goto(f"{live_server.url}/ask-the-council/")
    assert _axe_violations(page) == []


def test_without_javascript_the_check_step_shows_similar_questions(
    live_server, index_page, resident, question_factory, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    existing = question_factory(title="When will the Mill Lane recycling centre reopen?", body="")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        _sign_in(context, live_server, resident)
        page.goto(f"{live_server.url}/ask-the-council/ask/")
        page.fill("#id_title", "Is the Mill Lane recycling centre opening again soon?")
        page.click("button:has-text('Continue')")
        assert "Has your question already been asked?" in page.content()
        assert existing.title in page.content()
        page.click("button:has-text('Post my question')")
        page.wait_for_url(re.compile(r".*/ask-the-council/\d+/is-the-mill-lane.*"))
        browser.close()
