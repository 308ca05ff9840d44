"""The search page stays fresh: services that change what is public refresh the index after
the commit (whatever the backend), including answers when their question's visibility or
title changes, and evidence when it is made private, re-triaged or its author erased."""

import pytest

from questions import services as question_services
from questions.models import Answer, Flag
from scrutiny import services as scrutiny_services
from scrutiny.models import TriageStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(monkeypatch):
    """Every object sent to the index, as (model name, pk), while still indexing it."""
    import modelsearch.index
    import wagtail.search.index

    sent = []
    original = modelsearch.index.insert_or_update_object

    def spy(instance):
        sent.append((instance._meta.model_name, instance.pk))
        return original(instance)

    monkeypatch.setattr(modelsearch.index, "insert_or_update_object", spy)
    monkeypatch.setattr(wagtail.search.index, "insert_or_update_object", spy)
    return sent


def _links(client, query, **params):
    html = client.get("/search/", {"q": query, **params}).content.decode()
    return html


def test_rejecting_a_question_reindexes_it_and_its_answers_after_commit(
    content, moderator, indexed, django_capture_on_commit_callbacks, client
):
    question = content["question"]
    answers = list(Answer.objects.filter(question=question).values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        question_services.question_reject(question=question, reason="Off topic", by=moderator)
    assert ("question", question.pk) in indexed
    assert {("answer", pk) for pk in answers} <= set(indexed)
    html = _links(client, "station")
    assert question.get_absolute_url() not in html


def test_editing_a_title_reindexes_the_answers_that_carry_it(
    content, moderator, indexed, django_capture_on_commit_callbacks
):
    question = content["question"]
    with django_capture_on_commit_callbacks(execute=True):
        question_services.question_edit(
            question=question,
            title="When will the potholes on Station Road be mended?",
            body=question.body,
            tags=["roads"],
            by=moderator,
        )
    answer = Answer.objects.filter(question=question).first()
    assert ("answer", answer.pk) in indexed


def test_an_answer_hidden_by_reports_is_reindexed_and_disappears(
    content, indexed, django_capture_on_commit_callbacks, client
):
    answer = Answer.objects.filter(question=content["official"]).first()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            question_services.content_flag(
                target=answer, reason=Flag.Reason.SPAM, details="", by=UserFactory()
            )
    assert ("answer", answer.pk) in indexed
    html = _links(client, "responsibility", type="answers")
    assert f"#answer-{answer.pk}" not in html


def test_evidence_made_private_retriaged_or_erased_is_reindexed(
    content, officer, indexed, django_capture_on_commit_callbacks, client
):
    evidence = content["evidence"]
    ref = evidence.reference
    assert ref in _links(client, "damaged", type="evidence")
    with django_capture_on_commit_callbacks(execute=True):
        scrutiny_services.evidence_set_public(evidences=[evidence], public=False, by=officer)
    assert ("evidence", evidence.pk) in indexed
    assert ref not in _links(client, "damaged", type="evidence")

    indexed.clear()
    with django_capture_on_commit_callbacks(execute=True):
        scrutiny_services.evidence_set_status(
            evidences=[evidence], status=TriageStatus.NOT_RELEVANT, by=officer
        )
    assert ("evidence", evidence.pk) in indexed

    indexed.clear()
    author = UserFactory()
    evidence.author_user = author
    evidence.save()
    indexed.clear()
    with django_capture_on_commit_callbacks(execute=True):
        scrutiny_services.evidence_erase_author(user=author, by=author)
    assert ("evidence", evidence.pk) in indexed


def test_nothing_is_indexed_before_the_commit(content, officer, indexed):
    evidence = content["evidence"]
    scrutiny_services.evidence_set_public(evidences=[evidence], public=False, by=officer)
    assert ("evidence", evidence.pk) not in indexed
