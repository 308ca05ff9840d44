"""Who may do what with questions, answers and comments: the one place that says so.

`can(user, action, obj)` answers every question the views, templates and services ask. Each
rule is a small function of the user and the object; they read only what is already loaded
(ids, statuses, the user's cached roles and permissions), so checking every item on a thread
page costs no queries. Roles come from `portal.roles`: Officers hold
`questions.give_official_answer`, Moderators hold `questions.moderate_question`.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied

from .models import Answer, Comment, Question

MODERATE = "questions.moderate_question"
GIVE_OFFICIAL_ANSWER = "questions.give_official_answer"


def is_participant(user) -> bool:
    """Signed in, active and with a verified email address (staff accounts count as verified)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.email_verified or user.is_staff or user.is_superuser)
    )


def is_moderator(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(MODERATE))


def is_official(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(GIVE_OFFICIAL_ANSWER))


def _owns(user, obj) -> bool:
    return bool(user is not None and user.is_authenticated and obj.author_id == user.pk)


def _question_of(obj) -> Question:
    return obj if isinstance(obj, Question) else obj.question


def _target_visible(obj) -> bool:
    if isinstance(obj, Question):
        return obj.is_public
    return obj.is_visible and obj.question.is_public


def view_question(user, question: Question) -> bool:
    if question.is_public:
        return True
    return _owns(user, question) or is_moderator(user)


def ask(user, obj=None) -> bool:
    return is_participant(user)


def edit_question(user, question: Question) -> bool:
    if not is_participant(user):
        return False
    if is_moderator(user):
        return question.status != Question.Status.MERGED
    # Once people have answered, only moderators change the question, so that answers
    # always match what was asked (and nobody can swap an approved question for another).
    if not _owns(user, question) or question.is_hidden:
        return False
    if question.status == Question.Status.PENDING:
        return True
    return question.status == Question.Status.PUBLISHED and question.answer_count == 0


def answer(user, question: Question) -> bool:
    return is_participant(user) and question.is_open


def answer_officially(user, question: Question) -> bool:
    return answer(user, question) and is_official(user)


def edit_answer(user, item: Answer) -> bool:
    if not is_participant(user) or item.question.status == Question.Status.MERGED:
        return False
    if is_moderator(user):
        return True
    return _owns(user, item) and item.is_visible and item.question.is_public


def mark_official(user, item: Answer) -> bool:
    return (
        is_participant(user)
        and _owns(user, item)
        and is_official(user)
        and not item.is_official
        and item.is_visible
        and item.question.is_public
    )


def accept_answer(user, item: Answer) -> bool:
    return (
        is_participant(user)
        and _owns(user, item.question)
        and item.question.is_open
        and item.is_visible
    )


def comment(user, obj) -> bool:
    """Comment on a question, or on one of its answers."""
    if not is_participant(user):
        return False
    if isinstance(obj, Answer) and not obj.is_visible:
        return False
    return _question_of(obj).is_open


def edit_comment(user, item: Comment) -> bool:
    if not is_participant(user) or item.question.status == Question.Status.MERGED:
        return False
    if is_moderator(user):
        return True
    return _owns(user, item) and item.is_visible and item.question.is_public


def vote(user, obj) -> bool:
    """Up-vote a question or an answer: not your own, and only while the question is open."""
    return (
        is_participant(user)
        and not _owns(user, obj)
        and _target_visible(obj)
        and _question_of(obj).is_open
    )


def follow(user, question: Question) -> bool:
    return is_participant(user) and question.is_public


def flag(user, obj) -> bool:
    """Report a question, answer or comment to the moderators (not your own)."""
    if not is_participant(user) or _owns(user, obj):
        return False
    if isinstance(obj, Question):
        return obj.status in (Question.Status.PUBLISHED, Question.Status.CLOSED)
    return obj.status == obj.Status.PUBLISHED and _question_of(obj).status in (
        Question.Status.PUBLISHED,
        Question.Status.CLOSED,
    )


def moderate(user, obj=None) -> bool:
    return is_moderator(user)


RULES: dict[str, Callable] = {
    "view_question": view_question,
    "ask": ask,
    "edit_question": edit_question,
    "answer": answer,
    "answer_officially": answer_officially,
    "edit_answer": edit_answer,
    "mark_official": mark_official,
    "accept_answer": accept_answer,
    "comment": comment,
    "edit_comment": edit_comment,
    "vote": vote,
    "follow": follow,
    "flag": flag,
    "moderate": moderate,
}


def can(user, action: str, obj=None) -> bool:
    """True when `user` may perform `action` on `obj` (see RULES)."""
    return RULES[action](user, obj)


class NotAllowed(PermissionDenied):
    """A service was asked to do something the person may not do (a 403 in a view)."""


def require(user, action: str, obj=None) -> None:
    if not can(user, action, obj):
        raise NotAllowed(action)
