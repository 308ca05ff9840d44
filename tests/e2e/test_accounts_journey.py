"""Journey 0: a resident creates an account, confirms it, and signs in (JS on and off)."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from portal.demo import seed as seed_portal
from tests.e2e.conftest import link_from_email

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_resident_signs_up_confirms_and_signs_in(journey, javascript):
    seed_portal(write=lambda *a: None)
    j = journey(javascript=javascript)
    page = j.page

    j.goto("/")
    j.check_accessibility("home")
    page.get_by_role("link", name="Sign in").first.click()
    j.check_accessibility("sign in")
    page.get_by_role("link", name="Create an account").click()
    j.check_accessibility("create an account")

    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    j.check_accessibility("sign up errors")

    page.get_by_label("Display name").fill("Amira")
    page.get_by_label("Email address").fill("amira@example.com")
    page.get_by_label("Create a password").fill("a-long-enough-passphrase")
    page.get_by_label("Confirm your password").fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    j.check_accessibility("check your email")

    j.goto(link_from_email(mail.outbox[-1]))
    page.get_by_role("button", name="Confirm email address").click()
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_text("amira@example.com")).to_be_visible()
    j.check_accessibility("your account")

    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email address").fill("amira@example.com")
    page.get_by_label("Password").fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Your account")).to_be_visible()
