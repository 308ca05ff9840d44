"""Reading questions: lists, threads, suggestions and the URLs other apps link to.

Every selector runs a fixed number of queries whatever the number of rows, so pages built on
them stay fast with hundreds of answers and comments.
"""

import logging
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.base import ModelState
from taggit.models import Tag

from search.errors import SearchUnavailable
from search.selectors import STOP_WORDS as SEARCH_STOP_WORDS
from search.selectors import similar

from . import permissions
from .models import Answer, Comment, Flag, Follow, Question, QuestionIndexPage, Vote

logger = logging.getLogger(__name__)

INDEX_URL_CACHE_KEY = "questions:index-url"
INDEX_URL_TTL = 60 * 10

LIST_VIEWS = {
    "newest": ("Newest", ["-published_at", "-pk"]),
    "votes": ("Most voted", ["-vote_count", "-published_at", "-pk"]),
    "unanswered": ("Unanswered", ["-published_at", "-pk"]),
    "answered": ("Answered", ["-last_activity_at", "-pk"]),
}

# Words too common to say anything about what a question is about (here everything is
# addressed to the council, so that word says nothing either).
STOP_WORDS = SEARCH_STOP_WORDS | {"council"}


def index_page() -> QuestionIndexPage | None:
    """The site's live QuestionIndexPage ("Ask the council"), if there is one."""
    return QuestionIndexPage.objects.live().order_by("path").first()


def index_info() -> dict:
    """{"url", "title"} of the QuestionIndexPage, cached (cleared when it is published or
    moved); both empty when there is none."""
    info = cache.get(INDEX_URL_CACHE_KEY)
    if info is None:
        page = index_page()
        info = {"url": (page.get_url() or "") if page else "", "title": page.title if page else ""}
        cache.set(INDEX_URL_CACHE_KEY, info, INDEX_URL_TTL)
    return info


def index_url() -> str:
    """The path of the QuestionIndexPage (cached)."""
    return index_info()["url"]


def clear_index_url_cache(**kwargs) -> None:
    cache.delete(INDEX_URL_CACHE_KEY)


def question_url(question: Question) -> str:
    """The canonical thread URL: <index>/<id>/<slug>/."""
    base = index_url()
    if not base:
        return ""
    return f"{base}{question.pk}/{question.slug}/"


def ask_url(*, about_page=None) -> str:
    """Where to ask a question, optionally about a page (a consultation, meeting or inquiry)."""
    base = index_url()
    if not base:
        return ""
    url = f"{base}ask/"
    if about_page is not None:
        url += "?" + urlencode({"about": about_page.pk})
    return url


def questions_about(page, *, limit: int | None = None):
    """Public questions linked to a page, newest first, with their answer counts and whether
    they have an official answer (`answer_count`, `has_official_answer`); one query."""
    page_id = getattr(page, "pk", page)
    qs = (
        Question.objects.public()
        .filter(about_page_id=page_id)
        .select_related("author")
        .order_by("-published_at", "-pk")
    )
    return list(qs[:limit] if limit else qs)


def similar_questions(text: str, *, limit: int = 5) -> list[Question]:
    """Public questions like `text` (a title being typed on the ask form), best first; empty
    when search cannot answer, so asking never depends on the index."""
    try:
        return similar(
            Question.objects.public().select_related("author"),
            text,
            limit=limit,
            stop_words=STOP_WORDS,
        )
    except SearchUnavailable:
        logger.warning("Similar questions unavailable: the search index cannot answer")
        return []


def question_list(*, view: str = "newest", tag: Tag | None = None):
    """The public list for one of LIST_VIEWS, optionally for one topic (tags prefetched)."""
    _, ordering = LIST_VIEWS.get(view, LIST_VIEWS["newest"])
    qs = Question.objects.public().select_related("author")
    if view == "unanswered":
        qs = qs.unanswered()
    elif view == "answered":
        qs = qs.answered()
    if tag is not None:
        qs = qs.filter(tagged_items__tag=tag)
    return qs.order_by(*ordering).prefetch_related("tags")


def popular_tags(*, limit: int = 30) -> list[Tag]:
    """Topics with the most public questions, each with `num_questions`."""
    public = Q(questions_taggedquestion_items__content_object__status__in=["published", "closed"])
    public &= Q(questions_taggedquestion_items__content_object__is_hidden=False)
    return list(
        Tag.objects.annotate(num_questions=Count("questions_taggedquestion_items", filter=public))
        .filter(num_questions__gt=0)
        .order_by("-num_questions", "name")[:limit]
    )


def recent_questions(*, limit: int = 5) -> list[Question]:
    return list(
        Question.objects.public().select_related("author").order_by("-published_at", "-pk")[:limit]
    )


def resolve_merged(question: Question, *, max_hops: int = 5) -> Question:
    """Follow merges to the question that now holds the conversation."""
    hops = 0
    while question.status == Question.Status.MERGED and question.merged_into_id and hops < max_hops:
        question = Question.objects.get(pk=question.merged_into_id)
        hops += 1
    return question


@dataclass
class Thread:
    """What a thread page shows to one viewer, loaded in a fixed number of queries."""

    question: Question
    answers: list[Answer]
    comments: list[Comment]  # on the question itself
    voted_question: bool = False
    voted_answers: set[int] = field(default_factory=set)
    following: bool = False
    reported: set[tuple[str, int]] = field(default_factory=set)

    @property
    def items(self) -> list:
        """The question, its answers and all comments, for the batch extension hooks."""
        items = [self.question, *self.answers, *self.comments]
        for answer in self.answers:
            items.extend(answer.thread_comments)
        return items


def thread_skeleton(thread_data: Thread) -> list[tuple]:
    """The thread's items as (kind, id, author id, answer id) tuples, in display order."""
    return [
        (
            "answer" if isinstance(item, Answer) else "comment",
            item.pk,
            item.author_id,
            getattr(item, "answer_id", None),
        )
        for item in thread_data.items[1:]
    ]


def _deferred(model, values: dict):
    """A model instance holding only `values` (as from `.only()`): any other field is loaded
    from the database if it is read. Building 400 of these takes well under a millisecond."""
    obj = model.__new__(model)
    obj._state = ModelState()
    obj._state.adding = False
    obj._state.db = "default"
    obj.__dict__.update(values)
    return obj


def skeleton_items(question: Question, skeleton: list[tuple]) -> list:
    """The question and lightweight instances of its answers and comments, for the batch
    extension hooks when the rendered thread comes from the cache."""
    items = [question]
    for kind, pk, author_id, answer_id in skeleton:
        if kind == "answer":
            items.append(
                _deferred(Answer, {"id": pk, "question_id": question.pk, "author_id": author_id})
            )
        else:
            items.append(
                _deferred(
                    Comment,
                    {
                        "id": pk,
                        "question_id": question.pk,
                        "author_id": author_id,
                        "answer_id": answer_id,
                    },
                )
            )
    return items


def thread_question(question_id: int) -> Question | None:
    return (
        Question.objects.select_related("author", "about_page", "merged_into")
        .prefetch_related("tags")
        .filter(pk=question_id)
        .first()
    )


def _shown_to(user, item, moderator: bool) -> bool:
    """Hidden items keep their place on the thread but only moderators and authors read them."""
    if not item.is_hidden:
        return True
    return moderator or (user is not None and user.is_authenticated and item.author_id == user.pk)


def thread(question: Question, user) -> Thread:
    """Answers (official first, then accepted, then most voted), comments and the viewer's
    votes, follow and reports: five queries at most, whatever the thread's size."""
    moderator = permissions.is_moderator(user)
    answers = list(
        Answer.objects.filter(question=question, status=Answer.Status.PUBLISHED).select_related(
            "author"
        )
    )
    comments = list(
        Comment.objects.filter(question=question, status=Comment.Status.PUBLISHED).select_related(
            "author"
        )
    )
    by_answer: dict[int, list[Comment]] = {a.pk: [] for a in answers}
    question_comments = []
    for c in comments:
        c.question = question
        c.shown = _shown_to(user, c, moderator)
        if c.answer_id is None:
            question_comments.append(c)
        elif c.answer_id in by_answer:
            by_answer[c.answer_id].append(c)
    accepted = question.accepted_answer_id
    for a in answers:
        a.question = question
        a.thread_comments = by_answer[a.pk]
        a.is_accepted = a.pk == accepted
        a.shown = _shown_to(user, a, moderator)
    answers.sort(key=lambda a: (not a.is_official, not a.is_accepted, -a.vote_count, a.created_at))
    result = Thread(question=question, answers=answers, comments=question_comments)

    if user is not None and user.is_authenticated:
        in_thread = Q(question=question) | Q(answer__question=question)
        for q_id, a_id in Vote.objects.filter(in_thread, user=user).values_list(
            "question_id", "answer_id"
        ):
            if q_id:
                result.voted_question = True
            else:
                result.voted_answers.add(a_id)
        result.following = Follow.objects.filter(user=user, question=question).exists()
        for q_id, a_id, c_id in Flag.objects.filter(
            in_thread | Q(comment__question=question), reporter=user
        ).values_list("question_id", "answer_id", "comment_id"):
            if q_id:
                result.reported.add(("question", q_id))
            elif a_id:
                result.reported.add(("answer", a_id))
            else:
                result.reported.add(("comment", c_id))
    return result


@dataclass
class Contributions:
    questions: list[Question]
    answers: list[Answer]
    comments: list[Comment]
    total_questions: int
    total_answers: int
    total_comments: int


def user_contributions(user, *, limit: int = 50) -> Contributions:
    """A person's questions, answers and comments with what happened to each (newest first)."""
    questions = Question.objects.filter(author=user).select_related("merged_into")
    answers = Answer.objects.filter(author=user).select_related("question")
    comments = Comment.objects.filter(author=user).select_related("question", "answer")
    return Contributions(
        questions=list(questions.order_by("-created_at")[:limit]),
        answers=list(answers.order_by("-created_at")[:limit]),
        comments=list(comments.order_by("-created_at")[:limit]),
        total_questions=questions.count(),
        total_answers=answers.count(),
        total_comments=comments.count(),
    )


def moderation_queue():
    """Questions awaiting moderation, oldest first."""
    return (
        Question.objects.filter(status=Question.Status.PENDING)
        .select_related("author", "about_page")
        .prefetch_related("tags")
        .order_by("created_at")
    )


def reported_items() -> list[dict]:
    """Everything with open reports, most reported first: one entry per reported item."""
    flags = list(
        Flag.objects.filter(status=Flag.Status.OPEN)
        .select_related(
            "reporter",
            "question__author",
            "answer__author",
            "answer__question",
            "comment__author",
            "comment__question",
        )
        .order_by("created_at")
    )
    grouped: dict[tuple[str, int], dict] = {}
    for f in flags:
        if f.question_id:
            key, target = ("question", f.question_id), f.question
        elif f.answer_id:
            key, target = ("answer", f.answer_id), f.answer
        else:
            key, target = ("comment", f.comment_id), f.comment
        entry = grouped.setdefault(
            key, {"kind": key[0], "target": target, "flags": [], "first_reported": f.created_at}
        )
        entry["flags"].append(f)
    return sorted(grouped.values(), key=lambda e: (-len(e["flags"]), e["first_reported"]))


def personal_data(user) -> list[tuple[str, list[dict]]]:
    """Everything the questions app holds about a person, as tables for their data download."""
    questions = Question.objects.filter(author=user).prefetch_related("tags").order_by("pk")
    answers = Answer.objects.filter(author=user).select_related("question").order_by("pk")
    comments = Comment.objects.filter(author=user).select_related("question").order_by("pk")
    votes = Vote.objects.filter(user=user).select_related("question", "answer__question")
    follows = Follow.objects.filter(user=user).select_related("question").order_by("pk")
    reports = Flag.objects.filter(reporter=user).order_by("pk")

    def when(value):
        return value.isoformat() if value else ""

    return [
        (
            "questions",
            [
                {
                    "title": q.title,
                    "details": q.body,
                    "status": q.get_status_display(),
                    "topics": ", ".join(t.name for t in q.tags.all()),
                    "asked_at": when(q.created_at),
                    "published_at": when(q.published_at),
                    "url": q.get_absolute_url() if q.is_public else "",
                }
                for q in questions
            ],
        ),
        (
            "answers",
            [
                {
                    "question": a.question.title,
                    "answer": a.body,
                    "official": a.is_official,
                    "status": a.get_status_display(),
                    "answered_at": when(a.created_at),
                }
                for a in answers
            ],
        ),
        (
            "comments",
            [
                {
                    "question": c.question.title,
                    "comment": c.body,
                    "status": c.get_status_display(),
                    "commented_at": when(c.created_at),
                }
                for c in comments
            ],
        ),
        (
            "votes",
            [
                {
                    "on": "answer" if v.answer_id else "question",
                    "question": (v.answer.question if v.answer_id else v.question).title,
                    "voted_at": when(v.created_at),
                }
                for v in votes.order_by("pk")
            ],
        ),
        (
            "questions_followed",
            [{"question": f.question.title, "since": when(f.created_at)} for f in follows],
        ),
        (
            "reports_you_made",
            [
                {
                    "reason": r.get_reason_display(),
                    "details": r.details,
                    "status": r.get_status_display(),
                    "reported_at": when(r.created_at),
                }
                for r in reports
            ],
        ),
    ]
