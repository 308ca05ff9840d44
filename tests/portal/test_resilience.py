"""Nothing a resident sends is lost when the worker's queue, the search index or X fails.

Each failure is made real at its boundary: the task queue refuses every enqueue, the search
backend raises on every call, or the X API address answers nothing. The resident's question,
answer and consultation response must be stored and the resident must get the normal
confirmation, never an error page.
"""

import socket

import pytest
from django_tasks.base import Task

from consultations.models import ConsultationResponse
from questions.models import Answer, Question, QuestionIndexPage
from tests.consultations.factories import make_consultation, make_index
from tests.consultations.test_responses import _respond_url, _valid
from tests.questions.conftest import protected
from tests.questions.factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(home_page):
    index = QuestionIndexPage(title="Ask the council", slug="ask-the-council")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    consultation = make_consultation(make_index(home_page))
    return {"index": index, "consultation": consultation}


@pytest.fixture
def queue_down(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise ConnectionError("the task queue is not answering")

    monkeypatch.setattr(Task, "enqueue", refuse)


@pytest.fixture
def search_down(monkeypatch):
    """Whichever backend is configured raises on every read and write."""
    from modelsearch.backends import get_search_backend

    backend_class = type(get_search_backend())

    def broken(*args, **kwargs):
        raise OSError("the search index is unreadable")

    names = ("add", "add_bulk", "delete", "search", "autocomplete", "refresh_index")
    patched = [name for name in names if hasattr(backend_class, name)]
    assert {"add", "search"} <= set(patched)
    for name in patched:
        monkeypatch.setattr(backend_class, name, broken)


@pytest.fixture
def x_down(settings, db):
    """An active channel whose API address refuses connections."""
    from social.models import Channel

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.X_API_BASE_URL = f"http://127.0.0.1:{port}"
    settings.X_API_TIMEOUT = 0.5
    return Channel.objects.create(
        name="Harrowfield Borough Council", kind=Channel.Kind.SANDBOX, handle="harrowfieldbc"
    )


def _ask(client, title):
    return client.post(
        "/ask-the-council/ask/",
        protected(title=title, body="The gate has been locked for a month.", checked="1"),
    )


FAILURES = ["queue_down", "search_down", "x_down"]


@pytest.mark.parametrize("failure", FAILURES)
def test_questions_and_answers_are_kept(
    request, failure, client, pages, resident, other_resident, django_capture_on_commit_callbacks
):
    existing = QuestionFactory(title="When will the Mill Lane recycling centre reopen?")
    request.getfixturevalue(failure)
    client.force_login(resident)
    title = "Why is the Fenwick Park gate locked on Sundays?"
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, title)
    assert response.status_code == 302
    assert Question.objects.filter(title=title, author=resident).exists()

    client.force_login(other_resident)
    url = f"{existing.get_absolute_url()}answer/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, protected(body="It is locked after the vandalism in May."))
    assert response.status_code == 302
    assert Answer.objects.filter(question=existing, author=other_resident).exists()


@pytest.mark.parametrize("failure", FAILURES)
def test_consultation_responses_are_kept(
    request, failure, client, pages, django_capture_on_commit_callbacks
):
    request.getfixturevalue(failure)
    consultation = pages["consultation"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _respond_url(consultation), _valid(email="resident@example.org", name="Ann")
        )
    assert response.status_code == 302
    stored = ConsultationResponse.objects.get(page=consultation)
    assert stored.reference and stored.email == "resident@example.org"
    assert stored.answers


def test_post_save_tasks_go_through_our_robust_handlers():
    from django.db.models.signals import post_save

    from portal.background import index_after_save, reference_index_after_save

    receivers = post_save._live_receivers(Question)[0]
    assert index_after_save in receivers and reference_index_after_save in receivers
    names = {getattr(r, "__name__", "") for r in receivers}
    assert not names & {"post_save_signal_handler", "update_reference_index_on_save"}


def test_a_refused_index_update_keeps_the_save_and_its_transaction(queue_down, pages, resident):
    from django.db import transaction

    with transaction.atomic():
        question = QuestionFactory(author=resident, title="Is the Kingsmead Road pothole fixed?")
        # The transaction is still usable after the refused enqueue (its savepoint rolled back).
        question.title = "Is the pothole on Kingsmead Road fixed yet?"
        question.save()
    stored = Question.objects.get(pk=question.pk)
    assert stored.title == "Is the pothole on Kingsmead Road fixed yet?"
