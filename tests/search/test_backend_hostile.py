"""Whatever a person types, search and autocomplete answer (possibly nothing) and never raise."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from modelsearch.query import Phrase, PlainText

from questions.models import Question
from tests.questions.factories import QuestionFactory
from tests.search.index_fixtures import search_index  # noqa: F401

pytestmark = pytest.mark.django_db

HOSTILE = [
    'title:(foo AND "',
    "*",
    "?",
    "~",
    "^",
    "foo~2",
    "foo^10",
    "title:*",
    "[a TO z]",
    "{* TO *}",
    "(((((",
    "))))",
    '"""',
    "AND OR NOT",
    "NOT",
    "-",
    "+",
    "\\",
    "/",
    "'",
    "%",
    "_",
    "\x00",
    "pot\x00holes",
    "\u200b",
    "\ufeff",
    "💩🔥",
    "مرحبا بالعالم",  # Arabic, right to left
    "\u202eetirw",  # right-to-left override
    "שלום",
    "日本語のテキスト",
    "Ünïcödé ßtraße",
    "a" * 10_000,
    "pothole " * 2_000,
    " ".join(f"w{n}" for n in range(5_000)),
    "<script>alert(1)</script>",
    "'; DROP TABLE questions_question; --",
    "",
    "   ",
]


@pytest.fixture
def corpus(search_index):  # noqa: F811
    QuestionFactory(title="Potholes on Station Road", body="Deep potholes by the bus stop.")
    QuestionFactory(title="Straße lighting", body="Ünïcödé text and مرحبا in the body.")


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_never_raises(corpus, text):
    for operator in ("and", "or"):
        results = Question.objects.search(text, operator=operator)
        assert isinstance(list(results), list)
        assert results.count() >= 0
        list(Question.objects.autocomplete(text, operator=operator))
    list(Question.objects.search(Phrase(text)))
    list(Question.objects.search(PlainText(text) & ~PlainText(text[:50])))


def test_unicode_and_accents_match(corpus):
    assert [q.title for q in Question.objects.search("straße")] == ["Straße lighting"]
    assert [q.title for q in Question.objects.search("unicode")] == ["Straße lighting"]
    assert [q.title for q in Question.objects.search("مرحبا")] == ["Straße lighting"]


def test_long_query_still_finds_its_words(corpus):
    assert [q.title for q in Question.objects.search("pothole " + "x" * 5000, operator="or")] == [
        "Potholes on Station Road"
    ]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_any_text_never_raises(corpus, text):
    list(Question.objects.search(text))
    list(Question.objects.autocomplete(text))
