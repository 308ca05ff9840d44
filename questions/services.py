"""Everything that changes questions, answers, comments, votes, follows and reports.

Each service is one transaction: it checks permission (`permissions.require`), changes the rows,
keeps the denormalised counters and `thread_version` consistent in the same transaction, logs
moderation actions (Wagtail log entries, so the admin's history shows who and when), and
queues notifications and signals to run only after the commit. Nothing here sends email: the
worker does, through `portal.notifications.notify`.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from portal.background import enqueue
from portal.models import SiteSettings, User
from portal.notifications import notify
from portal.text import plain_excerpt

from . import permissions, signals
from .models import AUTO_HIDE_REPORTS, Answer, Comment, Flag, Follow, Question, Vote
from .permissions import require

logger = logging.getLogger(__name__)


class InvalidState(ValueError):
    """The action does not apply to the item in its current state (e.g. approving twice)."""


# Helpers


def _send_on_commit(signal, sender, **kwargs) -> None:
    def send():
        for receiver, result in signal.send_robust(sender=sender, **kwargs):
            if isinstance(result, Exception):
                logger.error("Receiver %r of %s failed: %s", receiver, sender, result)

    transaction.on_commit(send)


def _status_changed(question: Question, old_status: str) -> None:
    if old_status != question.status:
        _send_on_commit(
            signals.question_status_changed,
            Question,
            question=question,
            old_status=old_status,
            new_status=question.status,
        )


def _reindex(obj) -> None:
    """Refresh the search index after the commit (tags and counters change without save())."""
    from wagtail.search.tasks import insert_or_update_object_task

    enqueue(insert_or_update_object_task, obj._meta.app_label, obj._meta.model_name, str(obj.pk))


def _reindex_thread(question: Question) -> None:
    """Refresh the index for a question and its answers after the commit: answers are indexed
    with their question's title and visibility, so they go stale when it changes."""
    from . import tasks

    enqueue(tasks.reindex_thread, question.pk)


def thread_reindex(*, question_id: int) -> int:
    """Index a question and its answers as they are now (the worker runs this after a change
    of title or visibility); returns how many items were sent to the index."""
    from modelsearch import index

    question = Question.objects.filter(pk=question_id).first()
    if question is None:
        return 0
    index.insert_or_update_object(question)
    answers = list(Answer.objects.filter(question_id=question_id).select_related("question"))
    for answer in answers:
        index.insert_or_update_object(answer)
    return 1 + len(answers)


def _touch(question_id: int, **deltas: int) -> None:
    """Bump the thread's version (its render cache key) and apply counter deltas atomically."""
    updates = {name: F(name) + delta for name, delta in deltas.items() if delta}
    Question.objects.filter(pk=question_id).update(
        thread_version=F("thread_version") + 1, last_activity_at=timezone.now(), **updates
    )


def _lock(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def _moderation_mode() -> str:
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    return SiteSettings.for_site(site).moderation_mode if site else SiteSettings.ModerationMode.PRE


def recount_question(question_id: int) -> None:
    """Recompute a question's counters from the rows (after moderation and merges)."""
    visible = Q(status=Answer.Status.PUBLISHED, is_hidden=False)
    answers = Answer.objects.filter(question_id=question_id)
    answer_stats = answers.aggregate(
        answers=Count("pk", filter=visible),
        official=Count("pk", filter=visible & Q(is_official=True)),
    )
    comments = Comment.objects.filter(
        question_id=question_id, status=Comment.Status.PUBLISHED, is_hidden=False
    ).count()
    Question.objects.filter(pk=question_id).update(
        answer_count=answer_stats["answers"],
        has_official_answer=bool(answer_stats["official"]),
        comment_count=comments,
        vote_count=Vote.objects.filter(question_id=question_id).count(),
        follower_count=Follow.objects.filter(question_id=question_id).count(),
        thread_version=F("thread_version") + 1,
    )
    # An accepted answer that is no longer visible (removed, hidden, merged away) is unaccepted.
    Question.objects.filter(pk=question_id).exclude(accepted_answer__isnull=True).exclude(
        accepted_answer__in=answers.filter(visible)
    ).update(accepted_answer=None)
    for answer in answers.annotate(
        n_comments=Count(
            "comments",
            filter=Q(comments__status=Comment.Status.PUBLISHED, comments__is_hidden=False),
            distinct=True,
        ),
        n_votes=Count("votes", distinct=True),
    ).exclude(comment_count=F("n_comments"), vote_count=F("n_votes")):
        Answer.objects.filter(pk=answer.pk).update(
            comment_count=answer.n_comments, vote_count=answer.n_votes
        )


def threads_touch(*, question_ids) -> int:
    """Bump these threads' versions: something another app shows on them changed (an X reply
    hidden or shown again), so cached thread pages are rendered afresh."""
    ids = {int(pk) for pk in question_ids if pk is not None}
    if not ids:
        return 0
    return Question.objects.filter(pk__in=ids).update(thread_version=F("thread_version") + 1)


def threads_touch_for_author(*, user_id: int) -> int:
    """Bump the version of every thread this person wrote in (their shown name changed)."""
    return Question.objects.filter(
        Q(author_id=user_id) | Q(answers__author_id=user_id) | Q(comments__author_id=user_id)
    ).update(thread_version=F("thread_version") + 1)


def _notify_followers(question: Question, event: str, *, answer=None, actor=None) -> None:
    from . import tasks

    enqueue(
        tasks.notify_followers,
        question.pk,
        event,
        answer.pk if answer else None,
        actor.pk if actor else None,
    )


def _notify_person(user_id, event: str, *, question=None, answer=None, comment=None) -> None:
    from . import tasks

    if not user_id:
        return
    enqueue(
        tasks.notify_person,
        user_id,
        event,
        question.pk if question else None,
        answer.pk if answer else None,
        comment.pk if comment else None,
    )


# Asking and editing questions


@transaction.atomic
def question_ask(
    *,
    title: str,
    body: str,
    tags: list[str],
    by: User,
    about_page=None,
    moderation_mode: str | None = None,
) -> Question:
    """Store a new question at once; publish it now (post-moderation) or queue it (pre)."""
    require(by, "ask")
    mode = moderation_mode or _moderation_mode()
    publish_now = mode == SiteSettings.ModerationMode.POST or permissions.is_moderator(by)
    now = timezone.now()
    if about_page is not None and not about_page.live:
        about_page = None
    question = Question(
        title=title,
        body=body,
        author=by,
        about_page=about_page,
        status=Question.Status.PUBLISHED if publish_now else Question.Status.PENDING,
        published_at=now if publish_now else None,
        created_at=now,
        last_activity_at=now,
        follower_count=1,
    )
    question.save()
    if tags:
        question.tags.set(tags)
    Follow.objects.create(user=by, question=question)
    log(question, "wagtail.create", user=by)
    if publish_now:
        _send_on_commit(signals.question_published, Question, question=question)
    _reindex(question)
    return question


@transaction.atomic
def question_edit(*, question: Question, title: str, body: str, tags: list[str], by: User) -> bool:
    """Change a question's words or topics; marks it edited. Returns False if nothing changed."""
    question = _lock(Question, question.pk)
    require(by, "edit_question", question)
    old_tags = sorted(t.lower() for t in question.tags.names())
    new_tags = sorted(t.lower() for t in tags)
    if question.title == title and question.body == body and old_tags == new_tags:
        return False
    question.title = title
    question.body = body
    question.edited_at = timezone.now()
    question.save(update_fields=["title", "body", "edited_at"])
    question.tags.set(tags)
    _touch(question.pk)
    log(
        question,
        "questions.edit",
        user=by,
        data={"by_moderator": by.pk != question.author_id, "title": title},
    )
    _reindex_thread(question)
    return True


# Moderating questions


@transaction.atomic
def question_approve(*, question: Question, by: User) -> Question:
    """Publish a question waiting for moderation (or reinstate a rejected one)."""
    require(by, "moderate")
    question = _lock(Question, question.pk)
    if question.status not in (Question.Status.PENDING, Question.Status.REJECTED):
        raise InvalidState("Only questions awaiting moderation or rejected can be approved.")
    old_status = question.status
    question.status = Question.Status.PUBLISHED
    question.published_at = question.published_at or timezone.now()
    question.moderation_reason = ""
    question.save(update_fields=["status", "published_at", "moderation_reason"])
    _touch(question.pk)
    log(question, "questions.approve", user=by)
    _notify_person(question.author_id, "published", question=question)
    _send_on_commit(signals.question_published, Question, question=question)
    _status_changed(question, old_status)
    _reindex_thread(question)
    return question


@transaction.atomic
def question_reject(*, question: Question, reason: str, by: User) -> Question:
    """Refuse or take down a question; the reason is shown to the person who asked."""
    require(by, "moderate")
    if not reason.strip():
        raise InvalidState("Give a reason: the person who asked will see it.")
    question = _lock(Question, question.pk)
    if question.status in (Question.Status.REJECTED, Question.Status.MERGED):
        raise InvalidState("This question has already been rejected or merged.")
    old_status = question.status
    question.status = Question.Status.REJECTED
    question.moderation_reason = reason.strip()
    question.is_hidden = False
    question.save(update_fields=["status", "moderation_reason", "is_hidden"])
    _resolve_flags(Flag.objects.filter(question=question), Flag.Status.UPHELD, by)
    _touch(question.pk)
    log(question, "questions.reject", user=by, data={"reason": question.moderation_reason})
    _notify_person(question.author_id, "rejected", question=question)
    _status_changed(question, old_status)
    _reindex_thread(question)
    return question


@transaction.atomic
def question_close(*, question: Question, reason: str, by: User) -> Question:
    """Close a published question to new answers, comments and votes (it stays readable)."""
    require(by, "moderate")
    question = _lock(Question, question.pk)
    if question.status != Question.Status.PUBLISHED:
        raise InvalidState("Only published questions can be closed.")
    question.status = Question.Status.CLOSED
    question.moderation_reason = reason.strip()
    question.save(update_fields=["status", "moderation_reason"])
    _touch(question.pk)
    log(question, "questions.close", user=by, data={"reason": question.moderation_reason})
    _notify_followers(question, "closed", actor=by)
    _status_changed(question, Question.Status.PUBLISHED)
    _reindex_thread(question)
    return question


@transaction.atomic
def question_reopen(*, question: Question, by: User) -> Question:
    """Open a closed question again."""
    require(by, "moderate")
    question = _lock(Question, question.pk)
    if question.status != Question.Status.CLOSED:
        raise InvalidState("Only closed questions can be reopened.")
    question.status = Question.Status.PUBLISHED
    question.moderation_reason = ""
    question.save(update_fields=["status", "moderation_reason"])
    _touch(question.pk)
    log(question, "questions.reopen", user=by)
    _notify_followers(question, "reopened", actor=by)
    _status_changed(question, Question.Status.CLOSED)
    _reindex_thread(question)
    return question


@transaction.atomic
def question_merge(*, question: Question, into: Question, by: User) -> Question:
    """Merge a duplicate into another question: answers, comments and followers move across,
    and the duplicate's address redirects to the question it was merged into."""
    require(by, "moderate")
    question = _lock(Question, question.pk)
    into = _lock(Question, into.pk)
    if question.pk == into.pk:
        raise InvalidState("A question cannot be merged into itself.")
    if question.status in (Question.Status.MERGED, Question.Status.REJECTED):
        raise InvalidState("This question has already been merged or rejected.")
    if into.status not in (Question.Status.PUBLISHED, Question.Status.CLOSED):
        raise InvalidState("Merge into a published question.")
    old_status = question.status
    moved_answers = list(Answer.objects.filter(question=question).values_list("pk", flat=True))
    Answer.objects.filter(question=question).update(question=into)
    Comment.objects.filter(question=question).update(question=into)
    Follow.objects.bulk_create(
        [
            Follow(user_id=user_id, question=into)
            for user_id in Follow.objects.filter(question=question)
            .exclude(user_id__in=Follow.objects.filter(question=into).values("user_id"))
            .values_list("user_id", flat=True)
        ],
        ignore_conflicts=True,
    )
    question.status = Question.Status.MERGED
    question.merged_into = into
    question.accepted_answer = None
    question.is_hidden = False
    question.save(update_fields=["status", "merged_into", "accepted_answer", "is_hidden"])
    _resolve_flags(Flag.objects.filter(question=question), Flag.Status.UPHELD, by)
    recount_question(question.pk)
    recount_question(into.pk)
    log(question, "questions.merge", user=by, data={"into": into.pk, "title": into.title})
    log(
        into, "questions.merge_target", user=by, data={"from": question.pk, "title": question.title}
    )
    _notify_followers(question, "merged", actor=by)
    _status_changed(question, old_status)
    _reindex(question)
    for answer_id in moved_answers:
        from wagtail.search.tasks import insert_or_update_object_task

        enqueue(insert_or_update_object_task, "questions", "answer", str(answer_id))
    return question


# Answers


@transaction.atomic
def answer_post(*, question: Question, body: str, by: User, official: bool = False) -> Answer:
    """Answer a question; officers may give it as the organisation's official answer."""
    question = _lock(Question, question.pk)
    require(by, "answer_officially" if official else "answer", question)
    answer = Answer.objects.create(
        question=question,
        author=by,
        body=body,
        is_official=official,
        official_title=by.official_title if official else "",
    )
    _touch(question.pk, answer_count=1)
    if official and not question.has_official_answer:
        Question.objects.filter(pk=question.pk).update(has_official_answer=True)
    if official:
        log(answer, "questions.official_answer", user=by, data={"title": answer.official_title})
    _notify_followers(
        question, "official_answer" if official else "answer", answer=answer, actor=by
    )
    _send_on_commit(signals.answer_posted, Answer, answer=answer)
    if official:
        _send_on_commit(signals.official_answer_given, Answer, answer=answer)
    return answer


@transaction.atomic
def answer_mark_official(*, answer: Answer, by: User) -> Answer:
    """Make an officer's own answer the organisation's official answer."""
    answer = Answer.objects.select_for_update().select_related("question").get(pk=answer.pk)
    if answer.is_official and answer.author_id == by.pk:
        return answer  # sent twice: followers were told the first time
    require(by, "mark_official", answer)
    answer.is_official = True
    answer.official_title = by.official_title
    answer.save(update_fields=["is_official", "official_title"])
    Question.objects.filter(pk=answer.question_id).update(has_official_answer=True)
    _touch(answer.question_id)
    log(answer, "questions.official_answer", user=by, data={"title": answer.official_title})
    _notify_followers(answer.question, "official_answer", answer=answer, actor=by)
    _send_on_commit(signals.official_answer_given, Answer, answer=answer)
    _reindex(answer)
    return answer


@transaction.atomic
def answer_accept(*, answer: Answer, by: User, accept: bool | None = None) -> bool:
    """The asker accepts an answer (accept=True), takes acceptance back (False) or toggles
    it (None); True when now accepted. Asking for the state it is already in changes nothing."""
    answer = Answer.objects.select_related("question").get(pk=answer.pk)
    question = _lock(Question, answer.question_id)
    answer.question = question
    require(by, "accept_answer", answer)
    was_accepted = question.accepted_answer_id == answer.pk
    accepted = not was_accepted if accept is None else accept
    if accepted == was_accepted:
        return accepted
    question.accepted_answer = answer if accepted else None
    question.save(update_fields=["accepted_answer"])
    _touch(question.pk)
    if accepted and answer.author_id != by.pk:
        _notify_person(answer.author_id, "accepted", question=question, answer=answer)
    return accepted


@transaction.atomic
def answer_edit(*, answer: Answer, body: str, by: User) -> bool:
    """Change an answer's words; the thread shows that it was edited."""
    answer = Answer.objects.select_for_update().select_related("question").get(pk=answer.pk)
    require(by, "edit_answer", answer)
    if answer.body == body:
        return False
    answer.body = body
    answer.edited_at = timezone.now()
    answer.save(update_fields=["body", "edited_at"])
    _touch(answer.question_id)
    log(answer, "questions.edit", user=by, data={"by_moderator": by.pk != answer.author_id})
    return True


# Comments


@transaction.atomic
def comment_post(
    *, question: Question, body: str, by: User, answer: Answer | None = None
) -> Comment:
    """Comment on a question or on one of its answers."""
    question = _lock(Question, question.pk)
    if answer is not None:
        answer = Answer.objects.get(pk=answer.pk, question=question)
        answer.question = question
    require(by, "comment", answer or question)
    comment = Comment.objects.create(question=question, answer=answer, author=by, body=body)
    if answer is not None:
        Answer.objects.filter(pk=answer.pk).update(comment_count=F("comment_count") + 1)
    _touch(question.pk, comment_count=1)
    target_author = answer.author_id if answer is not None else question.author_id
    if target_author and target_author != by.pk:
        _notify_person(target_author, "comment", question=question, answer=answer, comment=comment)
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, body: str, by: User) -> bool:
    """Change a comment's words; the thread shows that it was edited."""
    comment = Comment.objects.select_for_update().select_related("question").get(pk=comment.pk)
    require(by, "edit_comment", comment)
    if comment.body == body:
        return False
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    _touch(comment.question_id)
    log(comment, "questions.edit", user=by, data={"by_moderator": by.pk != comment.author_id})
    return True


# Votes and follows


def vote_toggle(*, target: Question | Answer, by: User) -> bool:
    """Add or take back one person's vote on a question or answer; True when now voted."""
    return vote_set(target=target, voted=None, by=by)


def vote_set(*, target: Question | Answer, voted: bool | None, by: User) -> bool:
    """Set one person's vote on a question or answer (None: the opposite of what it is);
    True when now voted. Asking for the state it is already in changes nothing, so a vote
    sent twice counts once."""
    with transaction.atomic():
        question_id = target.pk if isinstance(target, Question) else target.question_id
        question = _lock(Question, question_id)
        if isinstance(target, Question):
            target = question
            lookup = {"question": target}
        else:
            target = Answer.objects.get(pk=target.pk)
            target.question = question
            lookup = {"answer": target}
        require(by, "vote", target)
        existing = Vote.objects.filter(user=by, **lookup)
        has_vote = existing.exists()
        wanted = not has_vote if voted is None else voted
        if wanted == has_vote:
            return has_vote
        if not wanted:
            existing.delete()
            delta = -1
        else:
            try:
                with transaction.atomic():
                    Vote.objects.create(user=by, **lookup)
            except IntegrityError:  # a double click that raced us: the vote is there already
                return True
            delta = 1
        type(target).objects.filter(pk=target.pk).update(vote_count=F("vote_count") + delta)
        _touch(question_id)
        return delta > 0


@transaction.atomic
def follow_set(*, question: Question, follow: bool, by: User) -> bool:
    """Follow or unfollow a question; returns whether the person now follows it."""
    question = _lock(Question, question.pk)
    if follow:
        require(by, "follow", question)
        _, created = Follow.objects.get_or_create(user=by, question=question)
        if created:
            _touch(question.pk, follower_count=1)
        return True
    if not permissions.is_participant(by):
        raise permissions.NotAllowed("follow")
    deleted, _ = Follow.objects.filter(user=by, question=question).delete()
    if deleted:
        _touch(question.pk, follower_count=-1)
    return False


# Reports and their moderation


def _flag_lookup(target) -> dict:
    if isinstance(target, Question):
        return {"question": target}
    if isinstance(target, Answer):
        return {"answer": target}
    return {"comment": target}


def _resolve_flags(flags, status: str, by: User) -> int:
    return flags.filter(status=Flag.Status.OPEN).update(
        status=status, handled_by=by, handled_at=timezone.now()
    )


def _question_id_of(target) -> int:
    return target.pk if isinstance(target, Question) else target.question_id


class AlreadyReported(Exception):
    pass


@transaction.atomic
def content_flag(*, target, reason: str, details: str, by: User) -> Flag:
    """Report content to the moderators; three people reporting it hides it until they look."""
    require(by, "flag", target)
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                reporter=by, reason=reason, details=details, **_flag_lookup(target)
            )
    except IntegrityError:
        raise AlreadyReported from None
    model = type(target)
    reporters = (
        Flag.objects.filter(status=Flag.Status.OPEN, **_flag_lookup(target))
        .values("reporter_id")
        .distinct()
        .count()
    )
    if reporters >= AUTO_HIDE_REPORTS:
        hidden = model.objects.filter(pk=target.pk, is_hidden=False).update(is_hidden=True)
        if hidden:
            target.is_hidden = True
            recount_question(_question_id_of(target))
            log(target, "questions.auto_hide", user=None, data={"reports": reporters})
            if isinstance(target, Question):
                _reindex_thread(target)
            elif isinstance(target, Answer):
                _reindex(target)
    return flag


@transaction.atomic
def flags_dismiss(*, target, by: User) -> int:
    """Keep reported content: close its reports and show it again if it was hidden."""
    require(by, "moderate")
    dismissed = _resolve_flags(
        Flag.objects.filter(**_flag_lookup(target)), Flag.Status.DISMISSED, by
    )
    type(target).objects.filter(pk=target.pk).update(is_hidden=False)
    target.is_hidden = False
    recount_question(_question_id_of(target))
    log(target, "questions.dismiss_reports", user=by, data={"reports": dismissed})
    if isinstance(target, Question):
        _reindex_thread(target)
    elif isinstance(target, Answer):
        _reindex(target)
    return dismissed


@transaction.atomic
def content_remove(*, target: Answer | Comment, reason: str, by: User):
    """Remove an answer or comment that breaks the house rules; its author is told why."""
    require(by, "moderate")
    if not reason.strip():
        raise InvalidState("Give a reason: the author will see it.")
    target = type(target).objects.select_for_update().get(pk=target.pk)
    if target.status == target.Status.REMOVED:
        raise InvalidState("This has already been removed.")
    target.status = target.Status.REMOVED
    target.removal_reason = reason.strip()
    target.is_hidden = False
    target.save(update_fields=["status", "removal_reason", "is_hidden"])
    _resolve_flags(Flag.objects.filter(**_flag_lookup(target)), Flag.Status.UPHELD, by)
    recount_question(target.question_id)
    log(target, "questions.remove", user=by, data={"reason": target.removal_reason})
    if isinstance(target, Answer):
        _notify_person(target.author_id, "answer_removed", question=target.question, answer=target)
    else:
        _notify_person(
            target.author_id, "comment_removed", question=target.question, comment=target
        )
    if isinstance(target, Answer):
        _reindex(target)
    return target


# Notifications (run by the worker through questions.tasks)

FOLLOWER_MESSAGES = {
    "answer": ("New answer: {title}", "{actor} answered a question you follow.\n\n“{excerpt}”"),
    "official_answer": (
        "Official answer: {title}",
        "{actor} gave the council’s official answer to a question you follow.\n\n“{excerpt}”",
    ),
    "closed": (
        "Question closed: {title}",
        "A moderator closed a question you follow. It stays on the site, but it no longer "
        "takes new answers.{reason}",
    ),
    "reopened": (
        "Question reopened: {title}",
        "A question you follow is open for answers again.",
    ),
    "merged": (
        "Question merged: {title}",
        "A question you follow asked the same thing as “{into}”, so a moderator merged them. "
        "Its answers are now there, and you now follow that question.",
    ),
}


def followers_notify(
    *, question_id: int, event: str, answer_id: int | None = None, actor_id: int | None = None
) -> int:
    """Tell everyone following a question about an event (one notification each)."""
    question = Question.objects.select_related("merged_into").filter(pk=question_id).first()
    if question is None:
        return 0
    answer = (
        Answer.objects.select_related("author").filter(pk=answer_id).first() if answer_id else None
    )
    target = question.merged_into if event == "merged" and question.merged_into else question
    subject, body = FOLLOWER_MESSAGES[event]
    actor = ""
    if answer is not None:
        actor = answer.author_name
        if answer.is_official and answer.official_title:
            actor = f"{actor} ({answer.official_title})"
    values = {
        "title": question.title,
        "actor": actor,
        "excerpt": plain_excerpt(answer.body, 300) if answer else "",
        "reason": f"\n\nReason: {question.moderation_reason}" if question.moderation_reason else "",
        "into": target.title,
    }
    url = answer.get_absolute_url() if answer else target.get_absolute_url()
    followers = User.objects.filter(question_follows__question_id=target.pk, is_active=True)
    if event == "merged":
        followers = User.objects.filter(
            question_follows__question_id__in=[question.pk, target.pk], is_active=True
        ).distinct()
    if actor_id:
        followers = followers.exclude(pk=actor_id)
    sent = 0
    for user in followers:
        if notify(
            user=user,
            kind=f"questions.{event}",
            subject=subject.format(**values),
            body=body.format(**values),
            url=url,
        ):
            sent += 1
    return sent


PERSON_MESSAGES = {
    "published": ("Your question has been published", "Your question “{title}” is now public."),
    "rejected": (
        "We could not publish your question",
        "A moderator could not publish your question “{title}”.\n\nReason: {reason}\n\n"
        "You can ask again, following the house rules.",
    ),
    "accepted": (
        "Your answer was accepted",
        "The person who asked “{title}” accepted your answer as the one that helped.",
    ),
    "comment": ("New comment: {title}", "{actor} commented on your {what}.\n\n“{excerpt}”"),
    "answer_removed": (
        "Your answer was removed",
        "A moderator removed your answer to “{title}”.\n\nReason: {reason}",
    ),
    "comment_removed": (
        "Your comment was removed",
        "A moderator removed your comment on “{title}”.\n\nReason: {reason}",
    ),
}


def person_notify(
    *,
    user_id: int,
    event: str,
    question_id: int | None = None,
    answer_id: int | None = None,
    comment_id: int | None = None,
) -> bool:
    """Tell one person about something that happened to what they wrote."""
    user = User.objects.filter(pk=user_id).first()
    question = Question.objects.filter(pk=question_id).first() if question_id else None
    if user is None or question is None:
        return False
    answer = Answer.objects.filter(pk=answer_id).first() if answer_id else None
    comment = (
        Comment.objects.select_related("author").filter(pk=comment_id).first()
        if comment_id
        else None
    )
    reason = question.moderation_reason
    if event == "answer_removed" and answer:
        reason = answer.removal_reason
    if event == "comment_removed" and comment:
        reason = comment.removal_reason
    values = {
        "title": question.title,
        "reason": reason,
        "actor": comment.author_name if comment else "",
        "excerpt": plain_excerpt(comment.body, 300) if comment else "",
        "what": "answer" if answer else "question",
    }
    subject, body = PERSON_MESSAGES[event]
    url = ""
    if event == "comment" and comment:
        url = comment.get_absolute_url()
    elif event == "accepted" and answer:
        url = answer.get_absolute_url()
    elif question.is_public:
        url = question.get_absolute_url()
    else:
        url = reverse("portal:contributions")
    return bool(
        notify(
            user=user,
            kind=f"questions.{event}",
            subject=subject.format(**values),
            body=body.format(**values),
            url=url,
        )
    )


@transaction.atomic
def personal_data_erase(*, user: User, by: User) -> None:
    """Erasure: the person's questions, answers and comments stay, shown as 'Former resident'
    (the user row is anonymised by portal.privacy); what only concerns them goes.

    Follows go (they would send email to an erased address), with each thread's follower count
    recounted; the free text of reports they made goes (it can name people); every thread they
    wrote in is re-rendered so cached pages stop showing their name.
    """
    followed = list(Follow.objects.filter(user=user).values_list("question_id", flat=True))
    Follow.objects.filter(user=user).delete()
    for question_id in followed:
        Question.objects.filter(pk=question_id).update(
            follower_count=Follow.objects.filter(question_id=question_id).count()
        )
    Flag.objects.filter(reporter=user).update(details="")
    threads_touch_for_author(user_id=user.pk)
    Question.objects.filter(pk__in=followed).update(thread_version=F("thread_version") + 1)
