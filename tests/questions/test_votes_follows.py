import pytest
from django.core import mail
from django.db import IntegrityError

from portal.models import Notification, User
from portal.notifications import send_daily_digests
from questions import services
from questions.models import Follow, Question, Vote
from tests.factories import UserFactory
from tests.questions.conftest import thread_path

pytestmark = pytest.mark.django_db


def test_vote_toggles_on_a_question(client, question, other_resident):
    client.force_login(other_resident)
    response = client.post(f"{thread_path(question)}vote/")
    assert response["Location"] == f"{thread_path(question)}#question"
    question.refresh_from_db()
    assert question.vote_count == 1
    assert 'aria-pressed="true"' in client.get(thread_path(question)).content.decode()
    client.post(f"{thread_path(question)}vote/")
    question.refresh_from_db()
    assert question.vote_count == 0
    assert Vote.objects.count() == 0


def test_vote_toggles_on_an_answer(client, answer, resident):
    client.force_login(resident)
    client.post(f"/ask-the-council/answers/{answer.pk}/vote/")
    answer.refresh_from_db()
    assert answer.vote_count == 1
    client.post(f"/ask-the-council/answers/{answer.pk}/vote/")
    answer.refresh_from_db()
    assert answer.vote_count == 0


def test_one_vote_per_person_per_target_in_the_database(question, other_resident):
    Vote.objects.create(user=other_resident, question=question)
    with pytest.raises(IntegrityError):
        Vote.objects.create(user=other_resident, question=question)


def test_many_people_vote_and_the_counter_matches_the_rows(question):
    voters = [UserFactory() for _ in range(5)]
    for voter in voters:
        services.vote_toggle(target=question, by=voter)
    services.vote_toggle(target=question, by=voters[0])
    question.refresh_from_db()
    assert question.vote_count == 4 == Vote.objects.filter(question=question).count()


def test_nobody_votes_for_their_own_words(client, question, answer, resident, other_resident):
    client.force_login(resident)
    assert client.post(f"{thread_path(question)}vote/").status_code == 403
    client.force_login(other_resident)
    assert client.post(f"/ask-the-council/answers/{answer.pk}/vote/").status_code == 403
    assert Vote.objects.count() == 0


def test_anonymous_vote_goes_to_sign_in(client, question):
    response = client.post(f"{thread_path(question)}vote/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert Vote.objects.count() == 0


def test_votes_are_rate_limited(client, question, other_resident):
    client.force_login(other_resident)
    for _ in range(120):
        client.post(f"{thread_path(question)}vote/")
    assert client.post(f"{thread_path(question)}vote/").status_code == 429


def test_follow_and_unfollow(client, question, other_resident):
    client.force_login(other_resident)
    client.post(f"{thread_path(question)}follow/")
    question.refresh_from_db()
    assert question.follower_count == 2
    html = client.get(thread_path(question)).content.decode()
    assert "You are following this question" in html
    assert "Stop following" in html
    client.post(f"{thread_path(question)}unfollow/")
    question.refresh_from_db()
    assert question.follower_count == 1
    assert not Follow.objects.filter(user=other_resident).exists()


def test_the_asker_follows_their_question(question, resident):
    assert Follow.objects.filter(user=resident, question=question).exists()


def _followers(question, frequency):
    person = UserFactory(email_frequency=frequency)
    services.follow_set(question=question, follow=True, by=person)
    return person


def test_new_answer_emails_immediate_followers_from_the_worker(
    question, officer, resident, django_capture_on_commit_callbacks
):
    immediate = _followers(question, User.EmailFrequency.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_post(question=question, body="It opens on Monday.", by=officer)
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[immediate.email] == f"New answer: {question.title}"
    assert subjects[resident.email] == f"New answer: {question.title}"  # the asker
    assert officer.email not in subjects  # nobody is told about their own answer
    body = next(m.body for m in mail.outbox if m.to == [immediate.email])
    assert "It opens on Monday." in body
    assert thread_path(question) in body


def test_daily_digest_followers_get_one_email_a_day(
    question, officer, django_capture_on_commit_callbacks
):
    daily = _followers(question, User.EmailFrequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_post(question=question, body="It opens on Monday.", by=officer)
        services.answer_post(
            question=question, body="Confirmed for Monday 9am.", by=officer, official=True
        )
    assert not [m for m in mail.outbox if m.to == [daily.email]]
    pending = Notification.objects.filter(user=daily, sent_at__isnull=True)
    assert pending.count() == 2
    assert all(n.deliver_in_digest for n in pending)
    assert {n.kind for n in pending} == {"questions.answer", "questions.official_answer"}

    send_daily_digests()
    digests = [m for m in mail.outbox if m.to == [daily.email]]
    assert len(digests) == 1
    assert "2 new items" in digests[0].subject
    assert "Official answer" in digests[0].body


def test_people_who_chose_never_get_nothing(question, officer, django_capture_on_commit_callbacks):
    never = _followers(question, User.EmailFrequency.NEVER)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_post(question=question, body="It opens on Monday.", by=officer)
    assert not Notification.objects.filter(user=never).exists()


def test_no_email_is_sent_inside_the_request(
    client, question, other_resident, django_capture_on_commit_callbacks
):
    from tests.questions.conftest import protected

    client.force_login(other_resident)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(f"{thread_path(question)}answer/", protected(body="It opens on Monday."))
    assert mail.outbox == []
    assert callbacks  # the notification task waits for the commit
    assert Question.objects.get().answer_count == 1
