"""Factories for question threads (rows made directly, counters set by recount_question)."""

import factory
from django.utils import timezone

from questions.models import Answer, Comment, Question
from tests.factories import UserFactory


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"When will the recycling centre number {n} reopen?")
    body = "The one on Mill Lane has been shut for weeks."
    author = factory.SubFactory(UserFactory)
    status = Question.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    question = factory.SubFactory(QuestionFactory)
    author = factory.SubFactory(UserFactory)
    body = "It reopens on Monday after the resurfacing work."


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    question = factory.SubFactory(QuestionFactory)
    author = factory.SubFactory(UserFactory)
    body = "Thanks, that is useful to know."
