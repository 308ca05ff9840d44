import pytest
from wagtail import hooks

from questions.models import Answer, Comment, Question
from questions.services import recount_question
from tests.factories import UserFactory
from tests.questions.conftest import thread_path

pytestmark = pytest.mark.django_db


def test_thread_shows_question_answers_and_comments(client, question, answer, comment_factory):
    comment_factory(question=question, answer=answer, body="Is that every Monday?")
    comment_factory(question=question, body="Same problem on our street.")
    recount_question(question.pk)
    response = client.get(thread_path(question))
    html = response.content.decode()
    assert response.status_code == 200
    assert question.title in html
    assert answer.body in html
    assert "Is that every Monday?" in html
    assert "Same problem on our street." in html
    assert f'id="answer-{answer.pk}"' in html
    assert "1 answer" in html
    assert "Sign in</a> to answer" in html
    # breadcrumbs and the topic links
    assert 'class="govuk-breadcrumbs"' in html
    assert 'href="/ask-the-council/topics/recycling/"' in html


def test_official_answer_comes_first_with_job_title_and_department(
    client, question, answer, officer, answer_factory
):
    official = answer_factory(
        question=question,
        author=officer,
        is_official=True,
        official_title=officer.official_title,
        body="The centre reopens on Monday 3 March.",
    )
    recount_question(question.pk)
    html = client.get(thread_path(question)).content.decode()
    assert html.index(f'id="answer-{official.pk}"') < html.index(f'id="answer-{answer.pk}"')
    assert "Official answer" in html
    assert "Neighbourhood Services Officer, Environment and Streets" in html
    assert "Officially answered" in html


def test_accepted_answer_comes_before_other_resident_answers(client, question, answer_factory):
    first = answer_factory(question=question, body="First answer with words.")
    second = answer_factory(question=question, body="Second answer with words.")
    question.accepted_answer = second
    question.save()
    html = client.get(thread_path(question)).content.decode()
    assert html.index(f'id="answer-{second.pk}"') < html.index(f'id="answer-{first.pk}"')
    assert "Accepted by the person who asked" in html


def test_wrong_or_old_slug_redirects_permanently(client, question, resident):
    response = client.get(f"/ask-the-council/{question.pk}/an-old-title/")
    assert response.status_code == 301
    assert response["Location"] == thread_path(question)
    response = client.get(f"/ask-the-council/{question.pk}/")
    assert response.status_code == 301
    assert response["Location"] == thread_path(question)


def test_editing_the_title_keeps_old_links_working(client, question, resident):
    from tests.questions.conftest import protected

    old = thread_path(question)
    client.force_login(resident)
    response = client.post(
        f"{old}edit/",
        protected(
            title="When will the Mill Lane recycling centre open again?",
            body=question.body,
            tags="recycling",
        ),
    )
    question.refresh_from_db()
    assert response["Location"] == thread_path(question)
    assert old != thread_path(question)
    redirect = client.get(old)
    assert redirect.status_code == 301
    assert redirect["Location"] == thread_path(question)
    html = client.get(thread_path(question)).content.decode()
    assert "(edited" in html


def test_unknown_question_is_404(client, index_page):
    assert client.get("/ask-the-council/999/nothing/").status_code == 404


def test_share_meta_tags_on_threads_and_topic_pages(client, question):
    html = client.get(thread_path(question)).content.decode()
    assert f'<meta property="og:title" content="{question.title}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="http://testserver{thread_path(question)}">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert f'<meta name="twitter:title" content="{question.title}">' in html
    assert '<meta property="og:description" content="The one on Mill Lane' in html
    assert f'<link rel="canonical" href="http://testserver{thread_path(question)}">' in html

    html = client.get("/ask-the-council/topics/recycling/").content.decode()
    assert '<meta property="og:title" content="Questions about recycling">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert "/ask-the-council/topics/recycling/feed/rss/" in html


def test_hidden_answer_is_replaced_by_a_notice_for_the_public(
    client, question, answer, other_resident, moderator
):
    Answer.objects.filter(pk=answer.pk).update(is_hidden=True)
    recount_question(question.pk)
    html = client.get(thread_path(question)).content.decode()
    assert answer.body not in html
    assert "This answer is hidden while a moderator checks reports" in html
    client.force_login(other_resident)  # its author still reads it
    assert answer.body in client.get(thread_path(question)).content.decode()
    client.force_login(moderator)
    assert answer.body in client.get(thread_path(question)).content.decode()


def test_removed_answers_and_comments_are_not_shown(client, question, answer, comment_factory):
    comment = comment_factory(question=question, body="A rude remark here.")
    Answer.objects.filter(pk=answer.pk).update(status=Answer.Status.REMOVED)
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.REMOVED)
    html = client.get(thread_path(question)).content.decode()
    assert answer.body not in html
    assert "A rude remark here." not in html


def test_hidden_question_shows_a_notice_to_the_public(client, question, resident, moderator):
    Question.objects.filter(pk=question.pk).update(is_hidden=True)
    response = client.get(thread_path(question))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This question is hidden for now" in html
    assert question.body not in html
    client.force_login(resident)
    assert question.body in client.get(thread_path(question)).content.decode()


def test_extension_points_are_called_once_with_every_item(
    client, question, answer, comment_factory, officer
):
    comment = comment_factory(question=question, answer=answer, body="Thanks, useful to know.")
    calls = {"actions": [], "badges": []}

    def actions(request, items):
        calls["actions"].append(list(items))
        return {item: [{"label": f"Promote {type(item).__name__}", "url": "/p/"}] for item in items}

    def badges(request, items):
        calls["badges"].append(list(items))
        return {items[-1]: [{"text": "Used as evidence in Bins", "colour": "purple", "url": ""}]}

    def extras(request, obj, place):
        return f"<p>extra:{place}</p>"

    client.force_login(officer)
    with (
        hooks.register_temporarily("parley_item_actions", actions),
        hooks.register_temporarily("parley_item_badges", badges),
        hooks.register_temporarily("parley_object_extras", extras),
    ):
        html = client.get(thread_path(question)).content.decode()
    assert calls["actions"] == [[question, answer, comment]]
    assert calls["badges"] == [[question, answer, comment]]
    assert "Promote Question" in html and "Promote Answer" in html and "Promote Comment" in html
    assert "Used as evidence in Bins" in html
    assert "<p>extra:thread</p>" in html
    assert "<p>extra:after_answers</p>" in html


def test_anonymous_render_cache_is_refreshed_by_changes(client, question, answer, officer):
    from questions import services

    first = client.get(thread_path(question)).content.decode()
    assert answer.body in first
    services.answer_post(question=question, body="A brand new answer appears.", by=officer)
    assert "A brand new answer appears." in client.get(thread_path(question)).content.decode()
    services.vote_toggle(target=answer, by=officer)
    html = client.get(thread_path(question)).content.decode()
    assert "1 vote" in html

    def badges(request, items):
        return {answer: [{"text": "Used as evidence in Roads", "colour": "", "url": ""}]}

    with hooks.register_temporarily("parley_item_badges", badges):
        assert "Used as evidence in Roads" in client.get(thread_path(question)).content.decode()
    assert "Used as evidence in Roads" not in client.get(thread_path(question)).content.decode()


def test_anonymous_render_follows_author_renames(client, question, answer, other_resident):
    client.get(thread_path(question))
    other_resident.display_name = "Thomas"
    other_resident.save()
    assert "Thomas" in client.get(thread_path(question)).content.decode()


def _grow(question, answers: int, comments: int):
    """Add answers and comments so the thread has this many in all."""
    authors = [UserFactory() for _ in range(10)]
    have = Answer.objects.filter(question=question).count()
    Answer.objects.bulk_create(
        [
            Answer(question=question, author=authors[i % 10], body=f"Answer number {i} here.")
            for i in range(have, answers)
        ]
    )
    rows = list(Answer.objects.filter(question=question))
    have = Comment.objects.filter(question=question).count()
    Comment.objects.bulk_create(
        [
            Comment(
                question=question,
                answer=rows[i % len(rows)] if i % 4 else None,
                author=authors[(i + 3) % 10],
                body=f"Comment number {i} here.",
            )
            for i in range(have, comments)
        ]
    )
    recount_question(question.pk)
    question.refresh_from_db()


# The whole page: Wagtail routing (6), the question and its topics (2), answers and comments
# (2), site settings and menu (2); signed in also the session, user, permissions and roles (5)
# and the viewer's votes, follow and reports (3). That is 12 and 20; the bounds leave room for
# the fixed queries other apps' extensions add (social's "Discussed on X" costs one). What
# matters most is that 200 answers and 200 comments cost exactly what 5 do.
THREAD_QUERY_BOUND_SIGNED_OUT = 16
THREAD_QUERY_BOUND_SIGNED_IN = 24


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_thread_page_queries_do_not_grow_with_rows(
    client, question, other_resident, signed_in, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if signed_in:
        client.force_login(other_resident)
    client.get("/")  # site settings row, site root paths and session, as on any live site
    bound = THREAD_QUERY_BOUND_SIGNED_IN if signed_in else THREAD_QUERY_BOUND_SIGNED_OUT

    _grow(question, 5, 5)
    with CaptureQueriesContext(connection) as small:
        assert client.get(thread_path(question)).status_code == 200

    _grow(question, 200, 200)
    with django_assert_max_num_queries(bound) as big:
        response = client.get(thread_path(question))
    html = response.content.decode()
    assert "200 answers" in html
    assert "Comment number 199 here." in html
    if signed_in:
        assert html.count("Add a comment") == 201
    assert len(big) == len(small)
