"""Shared steps for the story journeys: the demo world, signing in and out through the UI."""

from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD

PASSWORD = DEMO_PASSWORD
ASK_TITLE = "Will the Mill Lane recycling centre take garden waste when it reopens?"


def sign_in(j, email, password=PASSWORD):
    page = j.page
    j.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Sign out")).to_be_visible()


def sign_out(j):
    page = j.page
    j.goto("/accounts/logout/")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
