"""Similar questions while typing a title on the ask form: search.selectors.similar behind
questions' suggest endpoint (JSON, public questions only, bounded queries, never an error)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from questions.models import Question
from search.errors import SearchUnavailable
from search.selectors import similar
from tests.search.page_data import ask

pytestmark = pytest.mark.django_db

SUGGEST = "/ask-the-council/suggest/"


def test_similar_ranks_shared_words_then_completes_the_word_being_typed(question_index):
    mill = ask("When will the Mill Lane recycling centre reopen?")
    parking = ask("Why are parking permits going up in Castle Ward?")
    public = Question.objects.public()
    assert similar(public, "mill lane recycling opening times") == [mill]
    assert similar(public, "recyc") == [mill]
    assert similar(public, "Is parking going up") == [parking]
    assert similar(public, "the and of") == []
    assert similar(public, "") == []
    assert similar(public, "recycling", limit=0) == []


def test_similar_works_on_any_searchable_queryset(content):
    from consultations.models import ConsultationPage

    found = similar(ConsultationPage.objects.live().public(), "pothole repai")
    assert found == [content["consultation"]]


def test_endpoint_returns_only_public_questions_with_only_public_fields(client, content):
    response = client.get(SUGGEST, {"q": "potholes zebracrossing"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    titles = [r["title"] for r in data["results"]]
    assert "When will the potholes on Station Road be filled?" in titles
    assert not any("zebracrossing" in t.lower() for t in titles)
    for result in data["results"]:
        assert set(result) == {"id", "title", "url", "answers", "official", "status"}


def test_endpoint_query_count_does_not_grow(client, question_index):
    ask("Potholes on the High Street")
    client.get(SUGGEST, {"q": "potholes high street"})

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            data = client.get(SUGGEST, {"q": "potholes high street"}).json()
        return len(ctx.captured_queries), len(data["results"])

    few, shown = measure()
    for n in range(40):
        ask(f"Potholes on street number {n}", answers=1)
    many, shown_many = measure()
    assert shown == 1 and shown_many == 5
    assert many <= few + 1  # a second lookup (autocomplete) only when the first finds fewer
    assert many <= 8  # most of them are Wagtail routing the request to the page


@pytest.mark.parametrize(
    "query", ['"', "title:*", "(((", "\x00", "x" * 5000, "Привет", "🚧", "AND OR NOT"]
)
def test_endpoint_survives_hostile_input(client, question_index, query):
    response = client.get(SUGGEST, {"q": query})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_endpoint_answers_empty_when_search_is_unavailable(client, content, monkeypatch):
    class Broken:
        def search(self, *args, **kwargs):
            raise SearchUnavailable("locked")

        autocomplete = search

    monkeypatch.setattr("modelsearch.queryset.get_search_backend", lambda *a, **k: Broken())
    response = client.get(SUGGEST, {"q": "potholes on station road"})
    assert response.status_code == 200
    assert response.json()["results"] == []
