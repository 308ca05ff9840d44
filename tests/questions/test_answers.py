import pytest
from wagtail.models import ModelLogEntry

from questions import signals
from questions.models import Answer, Comment, Question
from tests.questions.conftest import protected, thread_path

pytestmark = pytest.mark.django_db


def _answer_url(question):
    return f"{thread_path(question)}answer/"


def test_resident_answers_and_counters_follow(client, question, other_resident):
    client.force_login(other_resident)
    response = client.post(_answer_url(question), protected(body="It reopens on Monday."))
    answer = Answer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{thread_path(question)}#answer-{answer.pk}"
    assert answer.author == other_resident
    assert not answer.is_official
    question.refresh_from_db()
    assert question.answer_count == 1
    assert not question.has_official_answer
    html = client.get(thread_path(question)).content.decode()
    assert "It reopens on Monday." in html
    assert "Your answer has been published." in html


def test_empty_or_overlong_answer_shows_errors_on_the_thread(client, question, other_resident):
    client.force_login(other_resident)
    response = client.post(_answer_url(question), protected(body="   "))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter your answer" in html
    response = client.post(_answer_url(question), protected(body="x " * 2600))
    assert "Your answer must be 5,000 characters or fewer" in response.content.decode()
    assert Answer.objects.count() == 0


def test_answering_needs_an_account(client, question):
    response = client.post(_answer_url(question), protected(body="Anonymous answer here."))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Answer.objects.count() == 0


def test_officer_gives_an_official_answer(
    client, question, officer, django_capture_on_commit_callbacks
):
    received = []

    def on_official(sender, answer, **kwargs):
        received.append(("official", answer.pk))

    def on_answer(sender, answer, **kwargs):
        received.append(("answer", answer.pk))

    signals.official_answer_given.connect(on_official, weak=False, dispatch_uid="t-off")
    signals.answer_posted.connect(on_answer, weak=False, dispatch_uid="t-ans")
    try:
        client.force_login(officer)
        html = client.get(thread_path(question)).content.decode()
        assert "Post as the council’s official answer" in html
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                _answer_url(question),
                protected(body="The centre reopens on Monday 3 March.", official="on"),
            )
    finally:
        signals.official_answer_given.disconnect(dispatch_uid="t-off")
        signals.answer_posted.disconnect(dispatch_uid="t-ans")
    answer = Answer.objects.get()
    assert answer.is_official
    assert answer.official_title == "Neighbourhood Services Officer, Environment and Streets"
    assert sorted(received) == [("answer", answer.pk), ("official", answer.pk)]
    question.refresh_from_db()
    assert question.has_official_answer
    assert ModelLogEntry.objects.filter(action="questions.official_answer").exists()
    html = client.get(thread_path(question)).content.decode()
    assert "Official answer" in html
    assert "Neighbourhood Services Officer, Environment and Streets" in html


def test_resident_cannot_give_an_official_answer(client, question, other_resident):
    client.force_login(other_resident)
    assert "official answer" not in client.get(thread_path(question)).content.decode()
    client.post(_answer_url(question), protected(body="I am official, honest.", official="on"))
    assert not Answer.objects.get().is_official
    assert not Question.objects.get().has_official_answer


def test_officer_marks_their_earlier_answer_official(client, question, officer, answer_factory):
    answer = answer_factory(question=question, author=officer, body="Monday, I think.")
    client.force_login(officer)
    html = client.get(thread_path(question)).content.decode()
    assert "Make this the official answer" in html
    client.post(f"/ask-the-council/answers/{answer.pk}/official/")
    answer.refresh_from_db()
    assert answer.is_official
    assert Question.objects.get().has_official_answer


def test_officer_cannot_mark_someone_elses_answer_official(client, answer, officer):
    client.force_login(officer)
    response = client.post(f"/ask-the-council/answers/{answer.pk}/official/")
    assert response.status_code == 403
    answer.refresh_from_db()
    assert not answer.is_official


def test_asker_accepts_and_unaccepts_an_answer(client, question, answer, resident):
    client.force_login(resident)
    client.post(f"/ask-the-council/answers/{answer.pk}/accept/")
    question.refresh_from_db()
    assert question.accepted_answer == answer
    assert "Accepted by the person who asked" in client.get(thread_path(question)).content.decode()
    client.post(f"/ask-the-council/answers/{answer.pk}/accept/")
    question.refresh_from_db()
    assert question.accepted_answer is None


def test_only_the_asker_can_accept(client, question, answer, other_resident, officer):
    for person in (other_resident, officer):
        client.force_login(person)
        assert client.post(f"/ask-the-council/answers/{answer.pk}/accept/").status_code == 403
    question.refresh_from_db()
    assert question.accepted_answer is None


def test_comment_on_question_and_on_answer(client, question, answer, officer):
    client.force_login(officer)
    response = client.post(f"{thread_path(question)}comment/", protected(body="Which gate?"))
    comment = Comment.objects.get()
    assert response["Location"] == f"{thread_path(question)}#comment-{comment.pk}"
    assert comment.answer is None
    client.post(
        f"/ask-the-council/answers/{answer.pk}/comment/", protected(body="Is that confirmed?")
    )
    on_answer = Comment.objects.get(answer=answer)
    assert on_answer.body == "Is that confirmed?"
    question.refresh_from_db()
    answer.refresh_from_db()
    assert question.comment_count == 2
    assert answer.comment_count == 1
    html = client.get(thread_path(question)).content.decode()
    assert "Which gate?" in html and "Is that confirmed?" in html


def test_comment_errors_show_on_a_comment_page(client, question, officer):
    client.force_login(officer)
    page = client.get(f"{thread_path(question)}comment/")
    assert page.status_code == 200
    assert "Add a comment" in page.content.decode()
    response = client.post(f"{thread_path(question)}comment/", protected(body="x" * 601))
    html = response.content.decode()
    assert "Comment must be 600 characters or fewer" in html
    assert "There is a problem" in html
    assert Comment.objects.count() == 0


def test_editing_an_answer_shows_an_edited_marker(client, question, answer, other_resident):
    client.force_login(other_resident)
    edit = f"/ask-the-council/answers/{answer.pk}/edit/"
    assert answer.body in client.get(edit).content.decode()
    client.post(edit, protected(body="It reopens on Tuesday, not Monday."))
    answer.refresh_from_db()
    assert answer.body == "It reopens on Tuesday, not Monday."
    assert answer.edited_at is not None
    html = client.get(thread_path(question)).content.decode()
    assert "(edited" in html


def test_editing_a_comment_shows_an_edited_marker(client, question, comment_factory, officer):
    comment = comment_factory(question=question, author=officer, body="First version here.")
    client.force_login(officer)
    client.post(
        f"/ask-the-council/comments/{comment.pk}/edit/", protected(body="Second version here.")
    )
    comment.refresh_from_db()
    assert comment.edited_at is not None
    assert "Second version here." in client.get(thread_path(question)).content.decode()


def test_people_cannot_edit_others_answers(client, answer, resident):
    client.force_login(resident)
    edit = f"/ask-the-council/answers/{answer.pk}/edit/"
    assert client.get(edit).status_code == 403
    assert client.post(edit, protected(body="Vandalised text here.")).status_code == 403


def test_moderator_edit_is_logged(client, question, answer, moderator):
    client.force_login(moderator)
    client.post(
        f"/ask-the-council/answers/{answer.pk}/edit/", protected(body="Phone number removed.")
    )
    entry = ModelLogEntry.objects.get(action="questions.edit")
    assert entry.user == moderator
    assert entry.data["by_moderator"] is True


def test_closed_question_takes_no_answers(client, question, other_resident):
    Question.objects.filter(pk=question.pk).update(status=Question.Status.CLOSED)
    client.force_login(other_resident)
    html = client.get(thread_path(question)).content.decode()
    assert "This question is closed" in html
    response = client.post(_answer_url(question), protected(body="Late answer here."))
    assert response.status_code == 403
    assert Answer.objects.count() == 0


def test_answer_writes_are_rate_limited(client, question, other_resident):
    client.force_login(other_resident)
    for i in range(20):
        client.post(_answer_url(question), protected(body=f"Answer {i} with some words."))
    response = client.post(_answer_url(question), protected(body="One answer too many."))
    assert response.status_code == 429
    assert Answer.objects.count() == 20
