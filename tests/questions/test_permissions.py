"""Who may do what: every role against every action (questions.permissions is the table)."""

import pytest

from questions.models import Question
from questions.permissions import RULES, can
from questions.services import recount_question

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "resident",  # asked the question
    "other_resident",  # wrote the answer and the comment
    "officer",
    "moderator",
    "coach",
    "committee_member",
    "admin_user",
]
SIGNED_IN = set(ROLES) - {"anonymous"}
STAFF_EDITORS = {"moderator", "admin_user"}

# (action, object, roles allowed)
MATRIX = [
    ("view_question", "question", set(ROLES)),
    ("view_question", "pending", {"resident"} | STAFF_EDITORS),
    ("view_question", "rejected", {"resident"} | STAFF_EDITORS),
    ("ask", None, SIGNED_IN),
    ("edit_question", "unanswered", {"resident"} | STAFF_EDITORS),
    ("edit_question", "question", STAFF_EDITORS),  # it has answers now
    ("edit_question", "pending", {"resident"} | STAFF_EDITORS),
    ("edit_question", "closed", STAFF_EDITORS),
    ("answer", "question", SIGNED_IN),
    ("answer", "pending", set()),
    ("answer", "closed", set()),
    ("answer_officially", "question", {"officer", "admin_user"}),
    ("answer_officially", "closed", set()),
    ("edit_answer", "answer", {"other_resident"} | STAFF_EDITORS),
    ("mark_official", "officer_answer", {"officer"}),
    ("mark_official", "answer", set()),
    ("accept_answer", "answer", {"resident"}),
    ("accept_answer", "closed_answer", set()),
    ("comment", "question", SIGNED_IN),
    ("comment", "answer", SIGNED_IN),
    ("comment", "closed", set()),
    ("edit_comment", "comment", {"other_resident"} | STAFF_EDITORS),
    ("vote", "question", SIGNED_IN - {"resident"}),
    ("vote", "answer", SIGNED_IN - {"other_resident"}),
    ("vote", "closed", set()),
    ("follow", "question", SIGNED_IN),
    ("follow", "pending", set()),
    ("flag", "question", SIGNED_IN - {"resident"}),
    ("flag", "answer", SIGNED_IN - {"other_resident"}),
    ("flag", "comment", SIGNED_IN - {"other_resident"}),
    ("flag", "pending", set()),
    ("moderate", None, STAFF_EDITORS),
]


def test_every_rule_is_in_the_matrix():
    assert {action for action, _, _ in MATRIX} == set(RULES)


@pytest.fixture
def objects(
    index_page,
    resident,
    other_resident,
    officer,
    question_factory,
    answer_factory,
    comment_factory,
):
    question = question_factory(author=resident)
    closed = question_factory(author=resident, status=Question.Status.CLOSED)
    objects = {
        "question": question,
        "unanswered": question_factory(author=resident),
        "pending": question_factory(author=resident, status=Question.Status.PENDING),
        "rejected": question_factory(author=resident, status=Question.Status.REJECTED),
        "closed": closed,
        "answer": answer_factory(question=question, author=other_resident),
        "officer_answer": answer_factory(question=question, author=officer),
        "closed_answer": answer_factory(question=closed, author=other_resident),
        "comment": comment_factory(question=question, author=other_resident),
    }
    for q in (question, closed):
        recount_question(q.pk)
        q.refresh_from_db()
    return objects


@pytest.mark.parametrize("role", ROLES)
def test_role_by_action(request, role, objects):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    got = {
        (action, target): can(user, action, objects[target] if target else None)
        for action, target, _ in MATRIX
    }
    expected = {(action, target): role in allowed for action, target, allowed in MATRIX}
    wrong = {key: got[key] for key in expected if got[key] != expected[key]}
    assert wrong == {}, f"{role}: these differ from the table (value shown is what code says)"


def test_unverified_accounts_cannot_take_part(objects):
    from tests.factories import UserFactory

    unverified = UserFactory(email_verified=False)
    assert not can(unverified, "ask")
    assert not can(unverified, "answer", objects["question"])
    assert can(unverified, "view_question", objects["question"])


# The same rules seen through the endpoints: status codes per role.
HTTP = [
    # (method, url template, roles that succeed, success status)
    ("get", "ask", SIGNED_IN, 200),
    ("get", "edit_question", {"resident"} | STAFF_EDITORS, 200),  # not answered yet
    ("get", "edit_answer", {"other_resident"} | STAFF_EDITORS, 200),
    ("get", "report_answer", SIGNED_IN - {"other_resident"}, 200),
    ("post", "accept", {"resident"}, 302),
    ("post", "official", {"officer"}, 302),
    ("get", "moderation", STAFF_EDITORS, 200),
]


def _url(name, objects):
    unanswered = objects["unanswered"]
    return {
        "ask": "/ask-the-council/ask/",
        "edit_question": f"/ask-the-council/{unanswered.pk}/{unanswered.slug}/edit/",
        "edit_answer": f"/ask-the-council/answers/{objects['answer'].pk}/edit/",
        "report_answer": f"/ask-the-council/answers/{objects['answer'].pk}/report/",
        "accept": f"/ask-the-council/answers/{objects['answer'].pk}/accept/",
        "official": f"/ask-the-council/answers/{objects['officer_answer'].pk}/official/",
        "moderation": "/admin/moderation/",
    }[name]


@pytest.mark.parametrize("role", ROLES)
def test_endpoints_by_role(as_role, role, objects):
    client, _ = as_role(role)
    for method, name, allowed, ok in HTTP:
        response = getattr(client, method)(_url(name, objects))
        if role in allowed:
            assert response.status_code == ok, (role, name, response.status_code)
        elif role == "anonymous":
            assert response.status_code == 302, (role, name, response.status_code)
            assert "login" in response["Location"]
        else:
            assert response.status_code in (302, 403), (role, name, response.status_code)
            if response.status_code == 302:
                assert "login" in response["Location"] or "/admin/" in response["Location"]
