"""Bulk "Promote to evidence" from the admin's question, answer and comment listings."""

import pytest
from django.urls import reverse

from questions.models import Question, QuestionIndexPage
from questions.services import recount_question
from scrutiny.models import Evidence, SourceKind
from tests.questions.factories import AnswerFactory, CommentFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contributions(home_page, resident, other_resident):
    index = QuestionIndexPage(title="Ask the council", slug="ask-the-council")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    questions = [
        QuestionFactory(author=resident, title="Why is the Canal Lane crossing unstaffed?"),
        QuestionFactory(author=other_resident, title="Can we have a 20mph zone by the school?"),
    ]
    answers = [
        AnswerFactory(question=questions[0], author=other_resident, body="Same at Bridge St."),
        AnswerFactory(question=questions[1], author=resident, body="Cars speed past at 8.45."),
    ]
    comments = [
        CommentFactory(question=questions[0], author=resident, body="The lollipop man left."),
        CommentFactory(question=questions[1], answer=answers[1], author=other_resident, body="+1"),
    ]
    for q in questions:
        recount_question(q.pk)
    return {"question": questions, "answer": answers, "comment": comments}


def bulk_url(model_name: str, objs) -> str:
    url = reverse("wagtail_bulk_action", args=["questions", model_name, "promote_to_evidence"])
    return url + "?" + "&".join(f"id={o.pk}" for o in objs) + "&next=/admin/"


@pytest.mark.parametrize(
    ("model_name", "kind"),
    [
        ("question", SourceKind.QUESTION),
        ("answer", SourceKind.ANSWER),
        ("comment", SourceKind.COMMENT),
    ],
)
def test_officers_promote_ticked_items_in_bulk(
    client, officer, contributions, inquiry, model_name, kind
):
    client.force_login(officer)
    listing = client.get(f"/admin/snippets/questions/{model_name}/")
    assert listing.status_code == 200
    assert "Promote to evidence" in listing.content.decode()
    objs = contributions[model_name]
    url = bulk_url(model_name, objs)
    confirm = client.get(url)
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Which inquiry is this evidence for?" in page
    assert "You cannot promote these" not in page
    response = client.post(url, {"inquiry": inquiry.pk})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    evidence = Evidence.objects.filter(source_kind=kind)
    assert evidence.count() == 2
    assert {e.source_object_id for e in evidence} == {str(o.pk) for o in objs}
    assert all(e.links.filter(inquiry=inquiry).exists() for e in evidence)
    # Promoting the same items again links them, never copies them.
    assert client.post(url, {"inquiry": inquiry.pk}).status_code == 302
    assert Evidence.objects.filter(source_kind=kind).count() == 2


def test_unpublished_items_are_refused_with_a_message_and_nothing_half_made(
    client, officer, contributions, inquiry
):
    pending = contributions["question"][1]
    Question.objects.filter(pk=pending.pk).update(status=Question.Status.PENDING)
    client.force_login(officer)
    url = bulk_url("question", contributions["question"])
    response = client.post(url, {"inquiry": inquiry.pk})
    assert response.status_code == 200
    assert "Only published questions can become evidence." in response.content.decode()
    assert not Evidence.objects.exists()


def test_people_who_cannot_promote_are_refused(client, moderator, contributions, inquiry):
    client.force_login(moderator)
    url = bulk_url("comment", contributions["comment"])
    page = client.get(url).content.decode()
    assert "You cannot promote these to evidence" in page
    assert "Save as evidence" not in page
    client.post(url, {"inquiry": inquiry.pk})
    assert not Evidence.objects.exists()
