import pytest
from django.core import mail
from wagtail.models import ModelLogEntry

from questions import services, signals
from questions.models import Answer, Comment, Flag, Follow, Question
from tests.factories import UserFactory
from tests.questions.conftest import protected, thread_path

pytestmark = pytest.mark.django_db

QUEUE = "/admin/moderation/"


@pytest.fixture
def pending(make_question, resident):
    q = make_question(
        author=resident,
        status=Question.Status.PENDING,
        published_at=None,
        title="Why is the Kingsmead footbridge closed?",
    )
    Follow.objects.create(user=resident, question=q)
    return q


def _act(client, kind, pk, action, **data):
    return client.post(f"{QUEUE}{kind}/{pk}/{action}/", data)


def test_queue_lists_pending_questions_and_reports_for_moderators(
    client, moderator, pending, answer, other_resident, resident
):
    Flag.objects.create(reporter=resident, answer=answer, reason=Flag.Reason.ABUSE)
    client.force_login(moderator)
    html = client.get(QUEUE).content.decode()
    assert pending.title in html
    assert "Reported content (1)" in html
    assert "Abusive, offensive or discriminatory" in html
    assert client.get(f"{QUEUE}question/{pending.pk}/").status_code == 200
    assert client.get(f"{QUEUE}answer/{answer.pk}/").status_code == 200


@pytest.mark.parametrize("role", ["resident", "officer", "coach", "committee_member"])
def test_queue_is_only_for_moderators(as_role, role, pending):
    client, _ = as_role(role)
    response = client.get(QUEUE)
    assert response.status_code in (302, 403)
    response = _act(client, "question", pending.pk, "approve")
    assert response.status_code in (302, 403)
    pending.refresh_from_db()
    assert pending.status == Question.Status.PENDING


def test_approve_publishes_logs_and_tells_the_asker(
    client, moderator, pending, resident, django_capture_on_commit_callbacks
):
    published = []
    signals.question_published.connect(
        lambda sender, question, **kw: published.append(question.pk), weak=False, dispatch_uid="a"
    )
    try:
        client.force_login(moderator)
        with django_capture_on_commit_callbacks(execute=True):
            response = _act(client, "question", pending.pk, "approve")
    finally:
        signals.question_published.disconnect(dispatch_uid="a")
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Question.Status.PUBLISHED
    assert pending.published_at is not None
    assert published == [pending.pk]
    entry = ModelLogEntry.objects.get(action="questions.approve")
    assert entry.user == moderator
    assert entry.timestamp is not None
    assert entry.object_id == str(pending.pk)
    assert [m.subject for m in mail.outbox if m.to == [resident.email]] == [
        "Your question has been published"
    ]
    client.logout()
    assert client.get(thread_path(pending)).status_code == 200


def test_reject_needs_a_reason_which_the_asker_sees(
    client, moderator, pending, resident, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    response = _act(client, "question", pending.pk, "reject", **{"reject-reason": ""})
    assert response.status_code == 200
    assert "Enter a reason" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Question.Status.PENDING

    reason = "It includes a neighbour’s address. Please ask again without it."
    with django_capture_on_commit_callbacks(execute=True):
        _act(client, "question", pending.pk, "reject", **{"reject-reason": reason})
    pending.refresh_from_db()
    assert pending.status == Question.Status.REJECTED
    assert pending.moderation_reason == reason
    entry = ModelLogEntry.objects.get(action="questions.reject")
    assert entry.user == moderator
    assert entry.data["reason"] == reason
    email = next(m for m in mail.outbox if m.to == [resident.email])
    assert reason in email.body

    client.force_login(resident)
    assert reason in client.get(thread_path(pending)).content.decode()
    contributions = client.get("/account/contributions/").content.decode()
    assert "Rejected" in contributions
    assert reason in contributions
    client.logout()
    assert client.get(thread_path(pending)).status_code == 404


def test_merge_moves_answers_and_followers_and_redirects(
    client, moderator, make_question, answer_factory, other_resident
):
    original = make_question(title="When will the Mill Lane recycling centre reopen?")
    duplicate = make_question(title="Is Mill Lane tip opening again after the works?")
    moved = answer_factory(question=duplicate, body="Next month, says the sign.")
    Follow.objects.create(user=other_resident, question=duplicate)
    services.recount_question(duplicate.pk)

    client.force_login(moderator)
    response = _act(client, "question", duplicate.pk, "merge", **{"merge-into": original.pk})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert duplicate.status == Question.Status.MERGED
    assert duplicate.merged_into == original
    assert Answer.objects.get(pk=moved.pk).question == original
    assert original.answer_count == 1
    assert duplicate.answer_count == 0
    assert Follow.objects.filter(user=other_resident, question=original).exists()
    assert original.follower_count == Follow.objects.filter(question=original).count()
    assert ModelLogEntry.objects.filter(action="questions.merge", user=moderator).exists()

    client.logout()
    response = client.get(thread_path(duplicate))
    assert response.status_code == 301
    assert response["Location"] == thread_path(original)
    assert "Next month, says the sign." in client.get(thread_path(original)).content.decode()


def test_merge_into_an_unknown_or_same_question_is_refused(client, moderator, question):
    client.force_login(moderator)
    response = _act(client, "question", question.pk, "merge", **{"merge-into": 9999})
    assert "There is no question with that number" in response.content.decode()
    _act(client, "question", question.pk, "merge", **{"merge-into": question.pk})
    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED


def test_close_and_reopen(
    client, moderator, question, other_resident, django_capture_on_commit_callbacks
):
    services.follow_set(question=question, follow=True, by=other_resident)
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        _act(client, "question", question.pk, "close", **{"close-reason": "Answered in full."})
    question.refresh_from_db()
    assert question.status == Question.Status.CLOSED
    assert any(m.subject.startswith("Question closed") for m in mail.outbox)
    assert "Answered in full." in client.get(thread_path(question)).content.decode()
    _act(client, "question", question.pk, "reopen")
    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED
    actions = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {"questions.close", "questions.reopen"} <= actions


def test_status_change_signal_carries_old_and_new(
    moderator, question, django_capture_on_commit_callbacks
):
    seen = []
    signals.question_status_changed.connect(
        lambda sender, question, old_status, new_status, **kw: seen.append(
            (old_status, new_status)
        ),
        weak=False,
        dispatch_uid="s",
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.question_close(question=question, reason="", by=moderator)
    finally:
        signals.question_status_changed.disconnect(dispatch_uid="s")
    assert seen == [("published", "closed")]


def test_report_form_and_duplicate_reports(client, question, answer, resident):
    client.force_login(resident)
    url = f"/ask-the-council/answers/{answer.pk}/report/"
    page = client.get(url).content.decode()
    assert "Report this answer" in page
    assert "Spam or advertising" in page
    response = client.post(url, protected(reason="other", details=""))
    assert "Tell us why you are reporting this" in response.content.decode()
    response = client.post(url, protected(reason="abuse", details="Name-calling."))
    assert response["Location"] == f"{thread_path(question)}#answer-{answer.pk}"
    client.post(url, protected(reason="spam", details=""))
    assert Flag.objects.count() == 1
    assert "You reported this" in client.get(thread_path(question)).content.decode()


def test_three_reports_from_different_people_hide_content(client, question, answer):
    for _ in range(2):
        services.content_flag(target=answer, reason="abuse", details="", by=UserFactory())
    answer.refresh_from_db()
    assert not answer.is_hidden
    services.content_flag(target=answer, reason="spam", details="", by=UserFactory())
    answer.refresh_from_db()
    question.refresh_from_db()
    assert answer.is_hidden
    assert question.answer_count == 0
    entry = ModelLogEntry.objects.get(action="questions.auto_hide")
    assert entry.user is None
    assert entry.data["reports"] == 3
    assert answer.body not in client.get(thread_path(question)).content.decode()


def test_three_reports_hide_a_question_too(client, question):
    for _ in range(3):
        services.content_flag(target=question, reason="spam", details="", by=UserFactory())
    question.refresh_from_db()
    assert question.is_hidden
    assert "This question is hidden for now" in client.get(thread_path(question)).content.decode()
    assert question.title not in client.get("/ask-the-council/").content.decode()


def test_moderator_keeps_reported_content(client, moderator, question, answer):
    for _ in range(3):
        services.content_flag(target=answer, reason="spam", details="", by=UserFactory())
    client.force_login(moderator)
    _act(client, "answer", answer.pk, "dismiss")
    answer.refresh_from_db()
    assert not answer.is_hidden
    assert set(Flag.objects.values_list("status", flat=True)) == {Flag.Status.DISMISSED}
    assert Flag.objects.first().handled_by == moderator
    question.refresh_from_db()
    assert question.answer_count == 1
    assert ModelLogEntry.objects.filter(action="questions.dismiss_reports").exists()


def test_moderator_removes_an_answer_with_a_reason(
    client, moderator, question, answer, other_resident, django_capture_on_commit_callbacks
):
    Flag.objects.create(reporter=UserFactory(), answer=answer, reason=Flag.Reason.PERSONAL)
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        _act(client, "answer", answer.pk, "remove", **{"remove-reason": "Contains a phone number."})
    answer.refresh_from_db()
    assert answer.status == Answer.Status.REMOVED
    assert answer.removal_reason == "Contains a phone number."
    assert Flag.objects.get().status == Flag.Status.UPHELD
    question.refresh_from_db()
    assert question.answer_count == 0
    assert any(
        "Contains a phone number." in m.body for m in mail.outbox if m.to == [other_resident.email]
    )
    client.force_login(other_resident)
    contributions = client.get("/account/contributions/").content.decode()
    assert "Removed" in contributions and "Contains a phone number." in contributions


def test_moderator_removes_a_comment(client, moderator, question, comment_factory):
    comment = comment_factory(question=question, body="Rude words here.")
    services.recount_question(question.pk)
    client.force_login(moderator)
    _act(client, "comment", comment.pk, "remove", **{"remove-reason": "Personal attack."})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED
    question.refresh_from_db()
    assert question.comment_count == 0


def test_item_page_shows_history(client, moderator, pending):
    services.question_approve(question=pending, by=moderator)
    client.force_login(moderator)
    html = client.get(f"{QUEUE}question/{pending.pk}/").content.decode()
    assert "Approved and published" in html
    assert "History" in html


def test_dashboard_panel_and_menu_for_moderators(client, moderator, pending):
    client.force_login(moderator)
    html = client.get("/admin/").content.decode()
    assert "1 question waiting for moderation" in html
    assert QUEUE in html


def test_snippet_listings_work_and_cannot_create(client, moderator, question, answer):
    client.force_login(moderator)
    assert client.get("/admin/snippets/questions/question/").status_code == 200
    assert client.get("/admin/snippets/questions/answer/").status_code == 200
    assert client.get("/admin/snippets/questions/flag/").status_code == 200
    assert (
        client.get(f"/admin/snippets/questions/question/inspect/{question.pk}/").status_code == 200
    )
    assert client.get("/admin/snippets/questions/question/add/").status_code in (302, 403)
    assert client.get(f"/admin/snippets/questions/answer/edit/{answer.pk}/").status_code in (
        302,
        403,
    )


def test_moderators_set_the_service_area_in_the_admin(client, moderator, question):
    client.force_login(moderator)
    url = f"/admin/snippets/questions/question/edit/{question.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="department"' in html
    assert 'name="title"' not in html  # words change through the services only
    response = client.post(url, {"department": "Waste and Recycling", "about_page": ""})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.department == "Waste and Recycling"
    assert "Service area" in client.get(thread_path(question)).content.decode()
