"""What the public search finds in question threads: public questions and their answers."""

from django.db.models import Q
from taggit.models import Tag

from search.registry import Result, SearchableType, Status, register

from .models import Answer, Question
from .selectors import popular_tags, question_url

PUBLIC_STATUSES = [Question.Status.PUBLISHED, Question.Status.CLOSED]
VOCABULARY_LIMIT = 3000

_published = Q(status=Question.Status.PUBLISHED)

# The same order of precedence as Question.status_tag: closed, official, answered, waiting.
QUESTION_STATUSES = (
    Status("awaiting", "Awaiting an answer", lambda now: _published & Q(answer_count=0)),
    Status(
        "answered",
        "Answered",
        lambda now: _published & Q(answer_count__gt=0, has_official_answer=False),
    ),
    Status("official", "Officially answered", lambda now: _published & Q(has_official_answer=True)),
    Status("closed", "Closed", lambda now: Q(status=Question.Status.CLOSED)),
)


def question_status(question, now) -> str:
    if question.status == Question.Status.CLOSED:
        return "closed"
    if question.has_official_answer:
        return "official"
    return "answered" if question.answer_count else "awaiting"


def public_questions():
    return Question.objects.public()


def present_question(question, request=None) -> Result:
    label, colour = question.status_tag
    answers = question.answer_count
    return Result(
        url=question_url(question),
        title=question.title,
        text=question.body,
        date=question.published_at,
        status=label,
        status_colour=colour,
        meta=f"{answers} answer{'' if answers == 1 else 's'}",
        tags=[t.name for t in question.tags.all()],
    )


def question_vocabulary():
    titles = (
        Question.objects.public()
        .order_by("-vote_count", "-pk")
        .values_list("title", flat=True)[:VOCABULARY_LIMIT]
    )
    return [*titles, *(tag.name for tag in popular_tags(limit=200))]


def public_answers():
    return Answer.objects.filter(
        status=Answer.Status.PUBLISHED,
        is_hidden=False,
        question__status__in=PUBLIC_STATUSES,
        question__is_hidden=False,
    )


def present_answer(answer, request=None) -> Result:
    question = answer.question
    if answer.is_official:
        meta = f"Official answer from {answer.official_title or 'the council'}"
    else:
        meta = f"Answer from {answer.author_name}"
    return Result(
        url=f"{question_url(question)}#answer-{answer.pk}",
        title=f"Answer to: {question.title}",
        text=answer.body,
        date=answer.created_at,
        status="Official answer" if answer.is_official else "",
        status_colour="green" if answer.is_official else "",
        meta=meta,
    )


register(
    SearchableType(
        key="questions",
        label="Questions",
        singular="Question",
        model=Question,
        queryset=public_questions,
        load=lambda pks: (
            public_questions().filter(pk__in=pks).select_related("author").prefetch_related("tags")
        ),
        present=present_question,
        date_field="published_at",
        scan_fields=("status", "has_official_answer", "answer_count", "published_at"),
        statuses=QUESTION_STATUSES,
        status_of=question_status,
        tag_field="tags",
        tag_model=Tag,
        vocabulary=question_vocabulary,
        order=10,
    )
)

register(
    SearchableType(
        key="answers",
        label="Answers",
        singular="Answer",
        model=Answer,
        queryset=public_answers,
        load=lambda pks: public_answers().filter(pk__in=pks).select_related("question", "author"),
        present=present_answer,
        date_field="created_at",
        scan_fields=("is_official", "created_at"),
        statuses=(
            Status("official", "Official answers", lambda now: Q(is_official=True)),
            Status("other", "Other answers", lambda now: Q(is_official=False)),
        ),
        status_of=lambda answer, now: "official" if answer.is_official else "other",
        order=20,
    )
)
