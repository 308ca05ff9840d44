import pytest
from wagtail import hooks

from questions import services
from questions.models import Answer, Question
from tests.questions.conftest import thread_path

pytestmark = pytest.mark.django_db


def test_list_views(client, make_question, answer_factory):
    unanswered = make_question(title="Why is the Millbrook streetlight still out?")
    answered = make_question(title="When will the pothole on Kingsmead Road be fixed?")
    answer_factory(question=answered)
    services.recount_question(answered.pk)
    popular = make_question(title="Why are parking permits going up to £95?", vote_count=9)
    closed = make_question(
        title="Can the Harvest Fair use Eastfield Park?", status=Question.Status.CLOSED
    )

    def titles(url):
        html = client.get(url).content.decode()
        return [q.title for q in (unanswered, answered, popular, closed) if q.title in html]

    assert len(titles("/ask-the-council/")) == 4
    # Closed questions take no answers, so they are not waiting for one.
    assert titles("/ask-the-council/?view=unanswered") == [unanswered.title, popular.title]
    assert titles("/ask-the-council/?view=answered") == [answered.title]
    html = client.get("/ask-the-council/?view=votes").content.decode()
    assert html.index(popular.title) < html.index(unanswered.title)
    assert 'aria-current="page"' in html


def test_topic_page_and_filter_form(client, make_question):
    bins = make_question(title="When are bins collected on Orchard Close?", tags=["bins"])
    other = make_question(title="Where can I park near the library?", tags=["parking"])
    html = client.get("/ask-the-council/topics/bins/").content.decode()
    assert "Questions about bins" in html
    assert bins.title in html and other.title not in html
    response = client.get("/ask-the-council/", {"topic": "bins", "view": "votes"})
    assert response.status_code == 302
    assert response["Location"] == "/ask-the-council/topics/bins/?view=votes"
    assert client.get("/ask-the-council/topics/nothing-here/").status_code == 404
    topics = client.get("/ask-the-council/topics/").content.decode()
    assert "bins" in topics and "parking" in topics


def test_list_is_paginated_with_bounded_queries(
    client, make_question, django_assert_max_num_queries
):
    for i in range(45):
        make_question(title=f"Question number {i} about Eastfield roads?", tags=["roads"])
    client.get("/")
    with django_assert_max_num_queries(14):
        html = client.get("/ask-the-council/?page=2").content.decode()
    assert "govuk-pagination" in html
    with django_assert_max_num_queries(14):
        client.get("/ask-the-council/topics/roads/?page=3")


def test_home_page_shows_recent_questions(client, make_question, index_page):
    recent = make_question(title="Will Kingsmead Library keep Saturday hours?")
    html = client.get("/").content.decode()
    assert "Recent questions" in html
    assert recent.title in html
    assert "/ask-the-council/ask/" in html


def test_my_contributions_lists_statuses_and_badges(
    client, resident, make_question, officer, moderator, answer_factory
):
    pending = make_question(author=resident, status="pending", title="A pending question here?")
    published = make_question(author=resident, title="A published question here?")
    answered = make_question(author=resident, title="A question with answers here?")
    answer_factory(question=answered)
    official = make_question(author=resident, title="A question answered officially?")
    services.answer_post(question=official, body="The official answer.", by=officer, official=True)
    closed = make_question(author=resident, title="A question that was closed?")
    services.question_close(question=closed, reason="Dealt with privately.", by=moderator)
    rejected = make_question(author=resident, title="A question that was rejected?")
    services.question_reject(question=rejected, reason="Contains an address.", by=moderator)
    mine = answer_factory(question=make_question(title="Someone else asked this?"), author=resident)
    for q in (answered,):
        services.recount_question(q.pk)

    seen = []

    def badges(request, items):
        seen.append(list(items))
        return {mine: [{"text": "Used as evidence in Road safety", "colour": "purple", "url": ""}]}

    client.force_login(resident)
    with hooks.register_temporarily("parley_item_badges", badges):
        html = client.get("/account/contributions/").content.decode()
    assert len(seen) == 1 and mine in seen[0] and pending in seen[0]
    for label in (
        "Awaiting moderation",
        "Published",
        "Answered",
        "Officially answered",
        "Closed",
        "Rejected",
        "Contains an address.",
        "Dealt with privately.",
        "Used as evidence in Road safety",
    ):
        assert label in html, label
    for q in (pending, published, answered, official, closed, rejected):
        assert q.title in html


def test_contributions_queries_are_bounded(
    client, resident, make_question, answer_factory, django_assert_max_num_queries
):
    for i in range(30):
        q = make_question(author=resident, title=f"My question number {i} about bins?")
        answer_factory(question=q, author=resident)
    client.force_login(resident)
    client.get("/")
    # room for other apps' sections and badges (scrutiny: one query each)
    with django_assert_max_num_queries(18):
        assert client.get("/account/contributions/").status_code == 200


def test_question_answer_and_comment_urls(question, answer, comment_factory):
    comment = comment_factory(question=question)
    assert question.get_absolute_url() == thread_path(question)
    assert answer.get_absolute_url() == f"{thread_path(question)}#answer-{answer.pk}"
    assert comment.get_absolute_url() == f"{thread_path(question)}#comment-{comment.pk}"


def test_counters_match_the_rows_after_a_busy_thread(question, officer, moderator):
    from tests.factories import UserFactory

    people = [UserFactory() for _ in range(4)]
    answers = [
        services.answer_post(question=question, body=f"Answer {i} text.", by=p)
        for i, p in enumerate(people)
    ]
    services.answer_post(question=question, body="Official text.", by=officer, official=True)
    for p in people:
        services.vote_toggle(target=question, by=p)
        services.vote_toggle(target=answers[0], by=p) if p != people[0] else None
        services.follow_set(question=question, follow=True, by=p)
        services.comment_post(question=question, answer=answers[1], body="A comment.", by=p)
    services.vote_toggle(target=question, by=people[0])
    services.content_remove(target=answers[2], reason="Off topic.", by=moderator)
    before = Question.objects.values(
        "answer_count", "vote_count", "follower_count", "comment_count", "has_official_answer"
    ).get(pk=question.pk)
    services.recount_question(question.pk)
    after = Question.objects.values(
        "answer_count", "vote_count", "follower_count", "comment_count", "has_official_answer"
    ).get(pk=question.pk)
    assert before == after
    assert after["answer_count"] == 4
    assert after["vote_count"] == 3
    assert after["follower_count"] == 5
    assert Answer.objects.get(pk=answers[0].pk).vote_count == 3
    assert Answer.objects.get(pk=answers[1].pk).comment_count == 4
