import pytest

from questions import services
from questions.models import Question
from tests.questions.conftest import thread_path

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PARLEY_THREAD_PAGE_CACHE_SECONDS = 60


def test_signed_out_readers_get_the_cached_page_until_the_thread_changes(
    client, question, answer, officer, django_assert_max_num_queries
):
    first = client.get(thread_path(question))
    assert "X-Parley-Cache" not in first
    with django_assert_max_num_queries(1):  # only the thread's version is looked up
        second = client.get(thread_path(question))
    assert second["X-Parley-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["X-Frame-Options"] == first["X-Frame-Options"]

    services.answer_post(question=question, body="The site reopens next week.", by=officer)
    third = client.get(thread_path(question))
    assert "X-Parley-Cache" not in third
    assert "The site reopens next week." in third.content.decode()


def test_follows_and_votes_refresh_the_cached_page(client, question, answer, officer):
    client.get(thread_path(question))
    services.follow_set(question=question, follow=True, by=officer)
    assert "2 people follow this question" in client.get(thread_path(question)).content.decode()
    services.vote_toggle(target=answer, by=officer)
    assert "1 vote<" in client.get(thread_path(question)).content.decode()


def test_hidden_or_rejected_questions_are_never_served_from_the_cache(client, question, moderator):
    client.get(thread_path(question))
    Question.objects.filter(pk=question.pk).update(is_hidden=True)
    response = client.get(thread_path(question))
    assert "X-Parley-Cache" not in response
    assert "This question is hidden for now" in response.content.decode()
    Question.objects.filter(pk=question.pk).update(is_hidden=False)
    client.get(thread_path(question))
    services.question_reject(question=question, reason="Personal details", by=moderator)
    assert client.get(thread_path(question)).status_code == 404


def test_signed_in_people_and_query_strings_bypass_the_cache(client, question, other_resident):
    client.get(thread_path(question))
    assert client.get(thread_path(question))["X-Parley-Cache"] == "hit"
    assert "X-Parley-Cache" not in client.get(thread_path(question) + "?utm_source=x")
    client.force_login(other_resident)
    response = client.get(thread_path(question))
    assert "X-Parley-Cache" not in response
    assert "Post your answer" in response.content.decode()


def test_redirects_are_not_cached(client, question):
    assert client.get(f"/ask-the-council/{question.pk}/old-slug/").status_code == 301
    assert client.get(f"/ask-the-council/{question.pk}/old-slug/").status_code == 301
