"""Scrutiny journeys: a resident gives evidence, an officer triages it, a councillor reads the
dashboard and downloads the evidence pack."""

import pytest
from playwright.sync_api import expect

from portal.demo import seed as seed_portal
from scrutiny.models import Evidence, TriageStatus
from tests.scrutiny.factories import make_evidence, make_index, make_inquiry

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "parley-demo-2026"


def _world():
    ctx = seed_portal(write=lambda *a: None)
    index = make_index(ctx.home)
    inquiry = make_inquiry(index)
    return ctx, inquiry


def _sign_in(j, email):
    j.goto("/accounts/login/")
    j.page.get_by_label("Email address").fill(email)
    j.page.get_by_label("Password").fill(PASSWORD)
    j.page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_resident_gives_evidence_and_gets_a_reference(journey, javascript):
    _ctx, inquiry = _world()
    j = journey(javascript=javascript)
    page = j.page
    j.goto(inquiry.url)
    j.check_accessibility("inquiry page")
    page.get_by_role("link", name="Give evidence to this inquiry").click()
    j.check_accessibility("submit form")
    page.get_by_role("button", name="Send evidence").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    j.check_accessibility("submit errors")
    page.get_by_label("Your name").fill("Jo Bloggs")
    page.get_by_label("Email address").fill("jo@example.com")
    page.get_by_label("Your evidence").fill("Cars mount the pavement outside the school gates.")
    page.get_by_label("No, only the committee and council officers may read it").check()
    page.get_by_role("button", name="Send evidence").click()
    expect(page.get_by_role("heading", name="Evidence received")).to_be_visible()
    e = Evidence.objects.get()
    expect(page.get_by_text(e.reference)).to_be_visible()
    j.check_accessibility("receipt")
    if javascript:
        j.screenshot("scrutiny-receipt")


def test_officer_triages_with_the_keyboard(journey):
    ctx, inquiry = _world()
    a = make_evidence(inquiry, text="Speeding on Station Road at school time.")
    b = make_evidence(inquiry, text="Parking on the zig-zags outside St Anne's.")
    j = journey()
    page = j.page
    _sign_in(j, ctx.users["officer"].email)
    j.goto("/scrutiny/evidence/")
    j.check_accessibility("triage")
    page.locator("body").press("j")
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    with page.expect_navigation():
        page.keyboard.press("r")
    expect(page.get_by_text("2 items marked relevant")).to_be_visible()
    assert set(Evidence.objects.values_list("status", flat=True)) == {TriageStatus.RELEVANT}
    j.screenshot("scrutiny-triage")
    j.goto(a.get_absolute_url())
    j.check_accessibility("evidence detail")
    page.get_by_label("Themes").fill("Speeding, School run")
    page.get_by_role("button", name="Save themes").click()
    expect(page.get_by_text("Themes saved.")).to_be_visible()
    assert sorted(Evidence.objects.get(pk=a.pk).theme_names) == ["School run", "Speeding"]
    assert b.pk
