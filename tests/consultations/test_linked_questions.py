"""A consultation page lists the public questions asked about it and links to the ask form."""

import pytest

from questions.models import Question, QuestionIndexPage
from questions.services import recount_question
from tests.consultations.factories import make_consultation, make_index
from tests.questions.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ask_page(home_page):
    page = QuestionIndexPage(title="Ask the council", slug="ask-the-council")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def consultation(home_page):
    return make_consultation(make_index(home_page), title="Library opening hours review")


def test_page_lists_its_public_questions_and_their_answers(client, ask_page, consultation):
    answered = QuestionFactory(
        title="Will Brookmead library still open on Saturdays?", about_page=consultation
    )
    AnswerFactory(question=answered)
    recount_question(answered.pk)
    QuestionFactory(title="Is the mobile library affected too?", about_page=consultation)
    QuestionFactory(
        title="Pending question about the libraries?",
        about_page=consultation,
        status=Question.Status.PENDING,
        published_at=None,
    )
    QuestionFactory(title="A question about something else?")

    html = client.get(consultation.url).content.decode()

    assert "Questions about this consultation" in html
    assert "Will Brookmead library still open on Saturdays?" in html
    assert "1 answer" in html
    assert "Is the mobile library affected too?" in html
    assert "Not answered yet" in html
    assert "Pending question about the libraries?" not in html
    assert "A question about something else?" not in html
    assert f'href="/ask-the-council/ask/?about={consultation.pk}"' in html


def test_asking_from_the_consultation_links_the_question_to_it(
    client, ask_page, consultation, resident
):
    client.force_login(resident)
    page = client.get(f"/ask-the-council/ask/?about={consultation.pk}")
    assert "Library opening hours review" in page.content.decode()


def test_query_count_does_not_grow_with_linked_questions(
    client, ask_page, consultation, django_assert_max_num_queries
):
    for i in range(3):
        QuestionFactory(title=f"Question number {i} about the libraries?", about_page=consultation)
    client.get(consultation.url)
    with django_assert_max_num_queries(22) as few:
        client.get(consultation.url)
    for i in range(30):
        QuestionFactory(title=f"More question {i} about the libraries?", about_page=consultation)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(consultation.url)
