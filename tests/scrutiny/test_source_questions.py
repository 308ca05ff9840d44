"""Questions, answers and comments as evidence: public text captured, edits flagged."""

import pytest

from questions.models import Answer, Question, QuestionIndexPage
from questions.services import recount_question
from scrutiny import services, sources
from scrutiny.models import Consent, Evidence, SourceKind, SourceState
from tests.questions.factories import AnswerFactory, CommentFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(home_page, resident, other_resident, officer):
    index = QuestionIndexPage(title="Ask the council", slug="ask-the-council")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    q = QuestionFactory(
        author=resident,
        title="Why was the crossing patrol on Canal Lane withdrawn?",
        body="My son now crosses four lanes alone.",
    )
    official = AnswerFactory(
        question=q,
        author=officer,
        body="The patrol post has been vacant since July; we are recruiting.",
        is_official=True,
        official_title="Neighbourhood Services Officer, Environment and Streets",
    )
    plain = AnswerFactory(question=q, author=other_resident, body="Same at Bridge Street.")
    comment = CommentFactory(question=q, answer=plain, author=resident, body="Thanks Tom.")
    recount_question(q.pk)
    return {"question": q, "official": official, "answer": plain, "comment": comment}


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("question", SourceKind.QUESTION),
        ("official", SourceKind.ANSWER),
        ("answer", SourceKind.ANSWER),
        ("comment", SourceKind.COMMENT),
    ],
)
def test_each_kind_promotes_idempotently(thread, key, kind, officer, inquiry):
    obj = thread[key]
    first = services.evidence_promote(source=obj, inquiry=inquiry, by=officer)
    again = services.evidence_promote(source=obj, inquiry=inquiry, by=officer)
    e = first.evidence
    assert first.created and not again.created and again.evidence.pk == e.pk
    assert Evidence.objects.count() == 1
    assert e.source_kind == kind and e.consent == Consent.PUBLIC
    assert e.source_url.startswith("http") and obj.get_absolute_url() in e.source_url
    assert e.author_user == obj.author and e.verify()


def test_question_snapshot_includes_title_and_body(thread, officer):
    e = services.evidence_promote(source=thread["question"], by=officer).evidence
    assert e.text == (
        "Why was the crossing patrol on Canal Lane withdrawn?\n\n"
        "My son now crosses four lanes alone."
    )
    assert e.title == "Why was the crossing patrol on Canal Lane withdrawn?"


def test_official_answers_carry_the_officers_title(thread, officer):
    e = services.evidence_promote(source=thread["official"], by=officer).evidence
    assert e.author_name == ("Dan Okafor, Neighbourhood Services Officer, Environment and Streets")
    assert e.title.startswith("Official answer to “Why was the crossing patrol")


def test_unpublished_questions_cannot_be_promoted(thread, officer, resident):
    pending = QuestionFactory(author=resident, status=Question.Status.PENDING, published_at=None)
    with pytest.raises(sources.PromotionRefused):
        services.evidence_promote(source=pending, by=officer)
    assert not Evidence.objects.exists()


def test_editing_and_removing_sources_keeps_the_snapshot(
    thread, officer, django_capture_on_commit_callbacks
):
    q = thread["question"]
    answer = thread["answer"]
    eq = services.evidence_promote(source=q, by=officer).evidence
    ea = services.evidence_promote(source=answer, by=officer).evidence
    with django_capture_on_commit_callbacks(execute=True):
        q.body = "Edited: the patrol is back now."
        q.save()
        answer.status = Answer.Status.REMOVED
        answer.save()
    eq.refresh_from_db()
    ea.refresh_from_db()
    assert eq.source_state == SourceState.EDITED and "four lanes" in eq.text and eq.verify()
    assert ea.source_state == SourceState.REMOVED and ea.text == "Same at Bridge Street."
    with django_capture_on_commit_callbacks(execute=True):
        Question.objects.get(pk=q.pk).delete()
    eq.refresh_from_db()
    assert eq.source_state == SourceState.REMOVED and eq.verify()


def test_thread_page_offers_promotion_to_officers_only(thread, officer, resident, client, inquiry):
    url = thread["question"].get_absolute_url()
    client.force_login(officer)
    html = client.get(url).content.decode()
    assert html.count("Promote to evidence") >= 4
    services.evidence_promote(source=thread["answer"], inquiry=inquiry, by=officer)
    html = client.get(url).content.decode()
    assert f"Used as evidence in {inquiry.title}" in html
    client.force_login(resident)
    html = client.get(url).content.decode()
    assert "Promote to evidence" not in html


def test_thread_page_query_count_does_not_grow_with_answers(
    thread, officer, client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    q = thread["question"]
    client.force_login(officer)
    url = q.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(30):
        AnswerFactory(question=q, body=f"Answer {i}")
    recount_question(q.pk)
    client.get(url)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) <= len(small) + 2


def test_inquiry_page_lists_questions_asked_about_it(thread, inquiry, client):
    q = thread["question"]
    q.about_page = inquiry
    q.save()
    html = client.get(inquiry.url).content.decode()
    assert q.title in html
    assert f"ask/?about={inquiry.pk}" in html
