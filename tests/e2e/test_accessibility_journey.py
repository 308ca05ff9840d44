"""Keyboard-only use with visible focus, and the key pages at 320 px and at 200% zoom.

axe-core runs on every page the story journeys visit (test_story_journey.py); these tests add
what axe cannot judge: that a person with only a keyboard can finish the two main forms and
always sees where they are, and that text never needs scrolling sideways on a small screen.
"""

import pytest
from playwright.sync_api import expect

from consultations.models import ConsultationResponse
from questions.models import Question
from tests.e2e.story import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Whether the focused element (or, for GOV.UK radios and checkboxes whose input is hidden, the
# drawn box in its label's ::before) shows a focus indicator: a solid outline that is not
# transparent, or a box shadow (the GOV.UK yellow-and-black focus state).
FOCUS_VISIBLE = """
el => {
  const drawn = el.matches('.govuk-radios__input, .govuk-checkboxes__input')
    ? [document.querySelector(`label[for="${el.id}"]`), '::before'] : [el, null];
  const s = getComputedStyle(drawn[0], drawn[1]);
  const transparent = c => c === 'transparent' || /rgba\\(.*,\\s*0\\)$/.test(c);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
    && !transparent(s.outlineColor);
  return outline || (s.boxShadow && s.boxShadow !== 'none');
}
"""


def tab_to(page, locator, *, limit=120):
    """Press Tab until `locator` has the focus, then check that the focus can be seen."""
    target = locator.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("el => document.activeElement === el", target):
            assert page.evaluate(FOCUS_VISIBLE, target), f"no visible focus on {locator}"
            return
    raise AssertionError(f"Tab never reached {locator}")


def test_the_ask_form_with_the_keyboard_alone(story, journey):
    j = journey()
    page = j.page
    sign_in(j, "neighbour@example.com")
    j.goto("/ask-the-council/")
    page.locator("body").focus()
    tab_to(page, page.get_by_role("button", name="Ask a question").first)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Ask a question")).to_be_visible()

    title = "Can the Fenwick Park paddling pool open at weekends in June?"
    tab_to(page, page.get_by_label("Your question"))
    page.keyboard.type(title)
    tab_to(page, page.get_by_label("More detail"))
    page.keyboard.type("It is only open on weekdays, when most children are at school.")
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")
    check = page.get_by_role("heading", name="Has your question already been asked?")
    posted = page.get_by_role("heading", name=title, level=1)
    # Wait for the next page: the check step if similar questions were found, else the thread.
    expect(check.or_(posted)).to_be_visible()
    if check.is_visible():
        tab_to(page, page.get_by_role("button", name="Post my question"))
        page.keyboard.press("Enter")
    expect(posted).to_be_visible()
    assert Question.objects.filter(title=title).exists()


def test_the_consultation_form_with_the_keyboard_alone(story, journey):
    j = journey()
    page = j.page
    j.goto("/consultations/budget-2026-27/")
    page.locator("body").focus()
    tab_to(page, page.get_by_role("button", name="Respond to this consultation"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Respond to this consultation")).to_be_visible()

    def choose(group, option):
        # Tab lands on a radio group's first option; arrow keys move and select.
        radios = page.get_by_role("group", name=group).get_by_role("radio")
        tab_to(page, radios.first)
        labels = [r.get_attribute("value") for r in radios.all()]
        target = page.get_by_role("group", name=group).get_by_label(option, exact=True)
        for _ in range(labels.index(target.get_attribute("value"))):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")
        expect(target).to_be_checked()

    choose("Are you responding as", "A resident of Harrowfield")
    services = page.get_by_role("group", name="Which three services matter most to you?")
    for service in ["Libraries", "Adult social care"]:
        tab_to(page, services.get_by_label(service))
        page.keyboard.press("Space")
        expect(services.get_by_label(service)).to_be_checked()
    choose("How should we balance the budget?", "Raise council tax by 2.99% and make some savings")
    tab_to(page, page.get_by_label("Do you have ideas"))
    page.keyboard.type("Keep the mobile library.")
    choose("May we publish or quote your response?", "Yes")
    choose("May we contact you about your response?", "No")
    tab_to(page, page.get_by_role("button", name="Send response"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Response received")).to_be_visible()
    assert ConsultationResponse.objects.filter(answers__icontains="mobile library").exists()


KEY_PAGES = [
    "/",
    "/ask-the-council/",
    "/ask-the-council/ask/",
    "/consultations/",
    "/consultations/budget-2026-27/",
    "/consultations/budget-2026-27/respond/",
    "/consultations/library-opening-hours-review/",
    "/meetings/",
    "/inquiries/",
    "/inquiries/road-safety-near-schools/",
    "/accounts/signup/",
    "/accounts/login/",
    "/privacy/",
    "/house-rules/",
]


@pytest.mark.parametrize("width", [320, 640], ids=["320px", "200pc-zoom"])
def test_key_pages_need_no_sideways_scrolling(story, journey, width):
    """320 CSS px wide, and 200% zoom of a 1280 px window (which lays out at 640 CSS px)."""
    j = journey(width=width)
    thread = Question.objects.filter(status="published").order_by("-answer_count").first()
    for path in [*KEY_PAGES, thread.get_absolute_url()]:
        j.goto(path)
        j.check_no_horizontal_scroll()
