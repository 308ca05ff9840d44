import pytest

from portal.models import StandardPage
from questions import selectors
from questions.models import Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(home_page):
    page = StandardPage(title="Library opening hours consultation", slug="library-hours")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_ask_url(index_page, consultation):
    assert selectors.ask_url() == "/ask-the-council/ask/"
    assert (
        selectors.ask_url(about_page=consultation)
        == f"/ask-the-council/ask/?about={consultation.pk}"
    )


def test_ask_url_is_empty_without_an_index_page(db):
    assert selectors.ask_url() == ""


def test_index_url_follows_the_page_when_it_moves(index_page, client):
    assert selectors.index_url() == "/ask-the-council/"
    index_page.slug = "questions"
    index_page.save_revision().publish()
    assert selectors.index_url() == "/questions/"


def test_questions_about_a_page(
    make_question, consultation, officer, answer_factory, django_assert_num_queries
):
    from questions import services

    first = make_question(about_page=consultation, title="Will Saturday hours change at all?")
    second = make_question(
        about_page=consultation, title="Can the library open later on Thursdays?"
    )
    services.answer_post(
        question=second, body="We are consulting on it.", by=officer, official=True
    )
    make_question(about_page=consultation, status=Question.Status.PENDING)
    make_question(title="Unrelated question about the bins?")
    with django_assert_num_queries(1):
        found = selectors.questions_about(consultation)
        summary = [(q.title, q.answer_count, q.has_official_answer, q.author_name) for q in found]
    assert [s[0] for s in summary] == [second.title, first.title]
    assert summary[0][1:3] == (1, True)
    assert summary[1][1:3] == (0, False)
    assert len(selectors.questions_about(consultation, limit=1)) == 1


def test_similar_questions(make_question):
    mill = make_question(title="When will the Mill Lane recycling centre reopen?", body="")
    make_question(title="Why are parking permits going up in Castle Ward?", body="")
    make_question(
        title="Is the Mill Lane recycling centre closed?", body="", status=Question.Status.PENDING
    )
    found = selectors.similar_questions("mill lane recycling opening times")
    assert found == [mill]
    # partial last word while typing
    assert mill in selectors.similar_questions("recyc")
    assert selectors.similar_questions("the and of") == []
    assert selectors.similar_questions("") == []


def test_similar_questions_respects_the_limit(make_question):
    for i in range(8):
        make_question(title=f"Pothole number {i} on Kingsmead Road?", body="")
    assert len(selectors.similar_questions("pothole kingsmead road", limit=5)) == 5


def test_question_and_answer_are_searchable_through_wagtail(
    resident, officer, index_page, django_capture_on_commit_callbacks
):
    from questions import services
    from questions.models import Answer

    with django_capture_on_commit_callbacks(execute=True):
        q = services.question_ask(
            title="When will the Fenwick Park paddling pool open?",
            body="It was shut all last summer.",
            tags=["outdoor swimming"],
            by=resident,
            moderation_mode="post",
        )
        services.answer_post(
            question=q, body="It reopens after the new filters are fitted.", by=officer
        )
    assert list(Question.objects.public().search("paddling")) == [q]
    assert list(Question.objects.public().search("swimming")) == [q]  # topic names
    assert list(Question.objects.public().autocomplete("paddl")) == [q]
    assert [a.question_id for a in Answer.objects.search("filters")] == [q.pk]
    assert list(Question.objects.filter(status="pending").search("paddling")) == []
