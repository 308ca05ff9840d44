"""Search in the browser: the header box, facets and a result, with and without JavaScript;
axe-core and the CSP checks run on every page."""

import pytest
from wagtail.models import Site

from questions.models import Question, QuestionIndexPage
from questions.services import recount_question
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
    return index


@pytest.mark.xfail(
    strict=False,
    reason="Since Whoosh landed, the restored demo copy has no search index: "
    "suggestions and results are missing (issue 8 stays open)",
)
@pytest.mark.parametrize("javascript", [True, False])
def test_search_from_the_header_then_filter_and_open_a_result(journey, questions, javascript):
    j = journey(javascript=javascript)
    page = j.page
    j.goto("/ask-the-council/")
    page.get_by_role("searchbox", name="Search this site").fill("pothole roads")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/search/?q=pothole+roads")
    # no item has both words as typed ("pothole" is singular), so any word counts
    assert page.get_by_text("Nothing contained all of your words").is_visible()
    j.check_accessibility("search results")

    page.get_by_role("searchbox", name="Search this site").fill("potholes")
    page.get_by_role("button", name="Search", exact=True).click()
    assert page.locator("#search-count").inner_text() == "3 results for ‘potholes’"
    assert page.locator("mark").first.inner_text().lower() == "potholes"
    assert page.get_by_text("<b>again</b>").first.is_visible()  # shown as text, not markup

    page.locator(".parley-facet a", has_text="roads").click()
    assert page.locator("#search-count").inner_text() == "2 results for ‘potholes’"
    j.check_accessibility("search results filtered by topic")

    page.get_by_role("link", name=TITLE).click()
    assert page.get_by_role("heading", name=TITLE, level=1).is_visible()


def test_search_page_at_320px(journey, questions):
    j = journey(width=320)
    j.goto("/search/?q=potholes")
    j.check_accessibility("search results, 320px")
    j.check_no_horizontal_scroll()
