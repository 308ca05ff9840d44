"""Drafting posts to X when things happen in the lower apps (their signals, our receivers).

Receivers only enqueue: the drafting task loads the object by content type and primary key
and builds the text from the kind's template, so a failing draft never touches the action
that caused it, and every draft is made after that action committed.
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.formats import date_format

from consultations import signals as consultation_signals
from portal.background import enqueue
from portal.text import plain_excerpt
from questions import signals as question_signals

from .drafting import absolute_url
from .models import PostKind

log = logging.getLogger(__name__)


def _enqueue_draft(kind: str, obj) -> None:
    from . import tasks

    ct = ContentType.objects.get_for_model(obj)
    enqueue(tasks.draft_post_for_event, kind, ct.pk, obj.pk)


def _closes(page) -> str:
    return date_format(timezone.localtime(page.closes_at), "j F")


def _consultation(page) -> dict:
    return {
        "source": page,
        "topic": page,
        "context": {
            "title": page.title,
            "summary": plain_excerpt(page.summary, 160),
            "closes": _closes(page),
        },
    }


def _outcome(page) -> dict:
    return {
        "source": page,
        "topic": page,
        "context": {
            "title": page.title,
            "summary": plain_excerpt(page.decision or page.summary, 180),
            "closes": _closes(page),
        },
    }


def _live_update(update) -> dict:
    return {
        "source": update,
        "topic": update.meeting,
        "context": {"title": update.meeting.title, "summary": update.text},
        "by": update.posted_by,
    }


def _short_link(question) -> str:
    """The thread's short address (<index>/<id>/, which redirects to the full one).

    The full address ends in a slug made from the title, so a coach who edits personal data
    out of the title in a draft would otherwise still post it inside the link.
    """
    full = absolute_url(question)
    tail = f"/{question.slug}/"
    return full[: -len(tail) + 1] if question.slug and full.endswith(tail) else full


def _question(question) -> dict:
    # The asker is a resident: the draft is the organisation's, so no drafter is recorded.
    return {
        "source": question,
        "topic": question,
        "context": {
            "title": question.title,
            "summary": plain_excerpt(question.body, 120),
            "url": _short_link(question),
        },
    }


def _answer(answer) -> dict:
    return {
        "source": answer,
        "topic": answer.question,
        "context": {
            "title": answer.question.title,
            "answer": plain_excerpt(answer.body, 120),
            "department": answer.official_title,
            "url": _short_link(answer.question) + f"#answer-{answer.pk}",
        },
        "by": answer.author,
    }


# kind -> fn(obj) -> {"source", "topic", "context", "by"?}
BUILDERS = {
    PostKind.QUESTION: _question,
    PostKind.ANSWER: _answer,
    PostKind.CONSULTATION_OPENED: _consultation,
    PostKind.CONSULTATION_CLOSING: _consultation,
    PostKind.CONSULTATION_OUTCOME: _outcome,
    PostKind.LIVE_UPDATE: _live_update,
}


def on_question_published(sender, question, **kwargs):
    _enqueue_draft(PostKind.QUESTION, question)


def on_official_answer_given(sender, answer, **kwargs):
    _enqueue_draft(PostKind.ANSWER, answer)


def on_consultation_opened(sender, page, **kwargs):
    _enqueue_draft(PostKind.CONSULTATION_OPENED, page)


def on_consultation_closing_soon(sender, page, **kwargs):
    _enqueue_draft(PostKind.CONSULTATION_CLOSING, page)


def on_consultation_outcome_published(sender, page, **kwargs):
    _enqueue_draft(PostKind.CONSULTATION_OUTCOME, page)


def on_live_update_posted(sender, update, **kwargs):
    _enqueue_draft(PostKind.LIVE_UPDATE, update)


question_signals.question_published.connect(
    on_question_published, dispatch_uid="social.question_published"
)
question_signals.official_answer_given.connect(
    on_official_answer_given, dispatch_uid="social.official_answer_given"
)
consultation_signals.consultation_opened.connect(
    on_consultation_opened, dispatch_uid="social.consultation_opened"
)
consultation_signals.consultation_closing_soon.connect(
    on_consultation_closing_soon, dispatch_uid="social.consultation_closing_soon"
)
consultation_signals.consultation_outcome_published.connect(
    on_consultation_outcome_published, dispatch_uid="social.consultation_outcome_published"
)
consultation_signals.live_update_posted.connect(
    on_live_update_posted, dispatch_uid="social.live_update_posted"
)


def draft_for_event(*, kind: str, content_type_id: int, object_id: int) -> int:
    """Draft the posts for one event (the task's body); returns how many were drafted."""
    from .services import post_draft_for_event

    ct = ContentType.objects.get_for_id(content_type_id)
    obj = ct.model_class()._default_manager.filter(pk=object_id).first()
    if obj is None:
        return 0
    if hasattr(obj, "specific"):
        obj = obj.specific
    spec = BUILDERS[kind](obj)
    return len(
        post_draft_for_event(
            kind=kind,
            source=spec["source"],
            topic=spec["topic"],
            context=spec["context"],
            by=spec.get("by"),
        )
    )
