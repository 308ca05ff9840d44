"""Did-you-mean from the Whoosh index: Whoosh's spelling corrector over the indexed words."""

import pytest

from tests.questions.factories import QuestionFactory
from tests.search.index_fixtures import search_index  # noqa: F401
from tests.search.page_data import question_index  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(search_index):  # noqa: F811
    QuestionFactory(title="When will the potholes be filled?", body="Deep ones by the library.")
    QuestionFactory(title="Library opening hours on Sundays", body="Weekends matter.")
    QuestionFactory(title="Recycling collections in December", body="Christmas week.")
    return search_index


def test_misspelt_words_are_corrected_from_the_index(indexed):
    assert indexed.suggest_spelling("pothloes") == "potholes"
    assert indexed.suggest_spelling("librray hours") == "library hours"
    assert indexed.suggest_spelling("recyclng decmber") == "recycling december"


def test_known_words_short_words_and_numbers_are_left_alone(indexed):
    # stemmed forms the index holds count as known ("pothole" for "potholes", body words too)
    assert indexed.suggest_spelling("pothole") is None
    assert indexed.suggest_spelling("weekends christmas") is None
    assert indexed.suggest_spelling("the bus 2026") is None


def test_nothing_close_means_no_suggestion(indexed):
    assert indexed.suggest_spelling("zzyzx") is None
    assert indexed.suggest_spelling("") is None


def test_the_page_offers_the_index_suggestion(client, indexed, question_index):  # noqa: F811
    html = client.get("/search/", {"q": "librray"}).content.decode()
    assert 'href="?q=library">library</a>' in html
