"""Content for the search page tests: one of every public type, plus things never shown."""

from datetime import timedelta

import pytest
from django.utils import timezone
from modelsearch import index

from questions.models import Answer, Question, QuestionIndexPage
from questions.services import recount_question
from scrutiny.models import Consent
from tests.consultations.factories import (
    make_consultation,
    make_index,
    make_meeting,
    make_meeting_index,
)
from tests.factories import UserFactory
from tests.questions.factories import AnswerFactory, QuestionFactory
from tests.scrutiny import factories as scrutiny_factories


@pytest.fixture
def question_index(home_page):
    page = QuestionIndexPage(title="Ask the council", slug="ask-the-council")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def ask(title, *, body="", tags=(), answers=0, **fields):
    question = QuestionFactory(title=title, body=body or "Asked by a resident.", **fields)
    if tags:
        question.tags.set(list(tags))
    for n in range(answers):
        AnswerFactory(question=question, body=f"Answer {n} about {title}")
    recount_question(question.pk)
    question.refresh_from_db()
    # tags and counters change without save(): index them as the services do (see _reindex)
    index.insert_or_update_object(question)
    return question


@pytest.fixture
def content(home_page, question_index):
    """A small public corpus about potholes and libraries, and private things to never show."""
    now = timezone.now()
    public = ask(
        "When will the potholes on Station Road be filled?",
        body="There are three deep potholes by the bus stop.",
        tags=["roads", "potholes"],
        answers=1,
    )
    official = ask("Who fixes potholes on private roads?", tags=["roads"])
    Answer.objects.create(
        question=official,
        author=UserFactory(display_name="Officer"),
        body="Potholes on private roads are the owner's responsibility.",
        is_official=True,
        official_title="Highways Officer",
    )
    recount_question(official.pk)
    Question.objects.filter(pk=official.pk).update(has_official_answer=True)
    official.refresh_from_db()
    index.insert_or_update_object(official)
    secret = {
        "pending": ask("Pending pothole question zebracrossing", status=Question.Status.PENDING),
        "rejected": ask("Rejected pothole question zebracrossing", status=Question.Status.REJECTED),
        "hidden": ask("Hidden pothole question zebracrossing", is_hidden=True),
    }
    hidden_thread = ask("Another hidden pothole thread", is_hidden=True)
    secret["answer_on_hidden"] = Answer.objects.create(
        question=hidden_thread, author=UserFactory(), body="zebracrossing answer on hidden thread"
    )
    secret["removed_answer"] = Answer.objects.create(
        question=public,
        author=UserFactory(),
        body="zebracrossing removed answer",
        status=Answer.Status.REMOVED,
    )
    consultations = make_index(home_page)
    consultation = make_consultation(
        consultations,
        slug="pothole-repairs",
        title="Pothole repair priorities",
        summary="Tell us which roads to repair first: potholes on busy roads or quiet ones.",
        tags=["roads"],
    )
    secret["draft_consultation"] = make_consultation(
        consultations,
        slug="draft-zebracrossing",
        title="Draft zebracrossing consultation",
        summary="Not yet published.",
        publish=False,
    )
    meetings = make_meeting_index(home_page)
    meeting = make_meeting(
        meetings,
        slug="cabinet-potholes",
        title="Cabinet: pothole funding",
        summary="Cabinet decides on the budget for potholes.",
        starts_at=now + timedelta(days=5),
        ends_at=now + timedelta(days=5, hours=2),
    )
    inquiries = scrutiny_factories.make_index(home_page)
    inquiry = scrutiny_factories.make_inquiry(
        inquiries, slug="road-repairs", title="Road repairs inquiry", summary="Potholes and more."
    )
    evidence = scrutiny_factories.make_evidence(
        inquiry, text="The potholes outside my house damaged my car.", is_public=True
    )
    secret["private_evidence"] = scrutiny_factories.make_evidence(
        inquiry, text="zebracrossing evidence kept private", is_public=False
    )
    secret["no_consent_evidence"] = scrutiny_factories.make_evidence(
        inquiry,
        text="zebracrossing evidence without consent",
        consent=Consent.COMMITTEE_ONLY,
    )
    secret["unlinked_evidence"] = scrutiny_factories.make_evidence(
        None, text="zebracrossing evidence on no inquiry", is_public=True
    )
    return {
        "question": public,
        "official": official,
        "consultation": consultation,
        "meeting": meeting,
        "inquiry": inquiry,
        "evidence": evidence,
        "secret": secret,
    }
