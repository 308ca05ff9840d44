"""RSS and Atom feeds: all new questions, questions on one topic, and one thread's answers."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from taggit.models import Tag

from portal.models import SiteSettings
from portal.text import plain_excerpt

from . import selectors
from .models import Answer, Question
from .permissions import can

FEED_ITEMS = 30
FEED_TYPES = {"rss": Rss201rev2Feed, "atom": Atom1Feed}


class _BaseFeed(Feed):
    def __init__(self, page, kind: str):
        super().__init__()
        self.page = page
        self.feed_type = FEED_TYPES[kind]
        self.kind = kind

    def __call__(self, request, *args, **kwargs):
        self.request = request
        self.index_url = self.page.get_url(request) or "/"
        self.organisation = SiteSettings.for_request(request).organisation_name
        return super().__call__(request, *args, **kwargs)

    def thread_url(self, question) -> str:
        return f"{self.index_url}{question.pk}/{question.slug}/"


class QuestionsFeed(_BaseFeed):
    """New public questions, all of them or on one topic."""

    def __init__(self, page, kind: str, tag_slug: str | None = None):
        super().__init__(page, kind)
        self.tag_slug = tag_slug

    def get_object(self, request, *args, **kwargs):
        return get_object_or_404(Tag, slug=self.tag_slug) if self.tag_slug else None

    def title(self, tag):
        base = f"{self.page.title} – {self.organisation}"
        return f"Questions about {tag.name} – {base}" if tag else base

    def link(self, tag):
        return f"{self.index_url}topics/{tag.slug}/" if tag else self.index_url

    def feed_url(self, tag):
        return f"{self.link(tag)}feed/{self.kind}/"

    def description(self, tag):
        return self.page.intro

    def items(self, tag):
        return list(selectors.question_list(view="newest", tag=tag)[:FEED_ITEMS])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return plain_excerpt(item.body, 500) or item.title

    def item_link(self, item):
        return self.thread_url(item)

    def item_guid(self, item):
        return self.request.build_absolute_uri(f"{self.index_url}{item.pk}/")

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.edited_at or item.published_at

    def item_author_name(self, item):
        return item.author_name

    def item_categories(self, item):
        return [t.name for t in item.tags.all()]


class ThreadFeed(_BaseFeed):
    """A thread's answers, newest first: subscribe instead of following by email."""

    def __init__(self, page, kind: str, question: Question):
        super().__init__(page, kind)
        self.question = question

    def get_object(self, request, *args, **kwargs):
        return self.question

    def title(self, question):
        return f"Answers to “{question.title}” – {self.organisation}"

    def link(self, question):
        return self.thread_url(question)

    def feed_url(self, question):
        return f"{self.thread_url(question)}feed/{self.kind}/"

    def description(self, question):
        return plain_excerpt(question.body, 500) or question.title

    def items(self, question):
        return list(
            Answer.objects.filter(
                question=question, status=Answer.Status.PUBLISHED, is_hidden=False
            )
            .select_related("author")
            .order_by("-created_at")[:FEED_ITEMS]
        )

    def item_title(self, item):
        if item.is_official:
            return f"Official answer from {item.author_name}"
        return f"Answer from {item.author_name}"

    def item_description(self, item):
        return item.body

    def item_link(self, item):
        return f"{self.thread_url(self.question)}#answer-{item.pk}"

    def item_guid(self, item):
        return self.request.build_absolute_uri(self.item_link(item))

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.edited_at or item.created_at

    def item_author_name(self, item):
        if item.is_official and item.official_title:
            return f"{item.author_name}, {item.official_title}"
        return item.author_name


def thread_feed(page, request, question_id: int, kind: str):
    question = selectors.thread_question(question_id)
    if question is None or not question.is_public:
        if question is not None and question.status == Question.Status.MERGED:
            target = selectors.resolve_merged(question)
            return redirect(f"{page.get_url(request)}{target.pk}/{target.slug}/feed/{kind}/")
        raise Http404("No such question")
    if not can(request.user, "view_question", question):
        raise Http404("No such question")
    return ThreadFeed(page, kind, question)(request)
