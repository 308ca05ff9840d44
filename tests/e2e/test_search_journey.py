"""Search in the browser: the header box, facets and a result, with and without JavaScript;
axe-core and the CSP checks run on every page."""

import pytest
from playwright.sync_api import expect
from wagtail.models import Site

from questions.models import Question, QuestionIndexPage
from questions.services import recount_question, thread_reindex
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "When will the potholes on Station Road be filled?"


@pytest.fixture
def questions():
    home = Site.objects.get(is_default_site=True).root_page
    index = QuestionIndexPage(title="Ask the council", slug="ask-the-council")
    home.add_child(instance=index)
    index.save_revision().publish()
    asker = UserFactory(display_name="Nora")
    for title, tags in [
        (TITLE, ["roads"]),
        ("Who repairs potholes on private roads?", ["roads"]),
        ("Are potholes reported online fixed faster?", ["reporting"]),
    ]:
        question = Question.objects.create(
            title=title,
            body="There are deep potholes by the bus stop <b>again</b>.",
            author=asker,
            status=Question.Status.PUBLISHED,
        )
        question.tags.set(tags)
        recount_question(question.pk)
        thread_reindex(question_id=question.pk)  # as the tagging services do after the commit
    return index


@pytest.mark.parametrize("javascript", [True, False])
def test_search_from_the_header_then_filter_and_open_a_result(journey, questions, javascript):
    j = journey(javascript=javascript)
    page = j.page
    j.goto("/ask-the-council/")
    page.get_by_role("searchbox", name="Search this site").fill("pothole library")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/search/?q=pothole+library")
    # no item has both words, so items with any of them are shown, and the page says so
    expect(page.get_by_text("Nothing contained all of your words")).to_be_visible()
    expect(page.locator("#search-count")).to_have_text("3 results for ‘pothole library’")
    j.check_accessibility("search results")

    page.get_by_role("searchbox", name="Search this site").fill("potholes")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#search-count")).to_have_text("3 results for ‘potholes’")
    assert page.locator("mark").first.inner_text().lower() == "potholes"
    expect(page.get_by_text("<b>again</b>").first).to_be_visible()  # shown as text, not markup

    page.locator(".parley-facet a", has_text="roads").click()
    expect(page.locator("#search-count")).to_have_text("2 results for ‘potholes’")
    j.check_accessibility("search results filtered by topic")

    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()


def test_search_page_at_320px(journey, questions):
    j = journey(width=320)
    j.goto("/search/?q=potholes")
    j.check_accessibility("search results, 320px")
    j.check_no_horizontal_scroll()
