"""Public question threads: residents ask, anyone signed in answers, officers answer officially.

Threads are ordinary Django models (high-volume user content is never a Wagtail page); a single
routable `QuestionIndexPage` hosts them. Counters on Question and Answer are denormalised for
fast lists and are only ever changed by `questions.services`, inside the same transaction as the
rows they count. `thread_version` changes whenever anything shown on the thread page changes,
which is what keys the thread's render cache.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

TITLE_MIN_LENGTH = 15
TITLE_MAX_LENGTH = 150
QUESTION_BODY_MAX_LENGTH = 3000
ANSWER_MAX_LENGTH = 5000
COMMENT_MAX_LENGTH = 600
FLAG_DETAILS_MAX_LENGTH = 500
MODERATION_REASON_MAX_LENGTH = 1000
MAX_TAGS = 5
TAG_MAX_LENGTH = 40
AUTO_HIDE_REPORTS = 3


def make_slug(title: str) -> str:
    """A short ASCII slug for a thread URL (the id in the URL is what identifies it)."""
    slug = slugify(title)[:80].strip("-")
    if "-" in slug and len(slugify(title)) > 80:
        slug = slug.rsplit("-", 1)[0]
    return slug or "question"


class QuestionIndexPage(RoutablePageMixin, Page):
    """ "Ask the council": lists, the ask flow, threads, tags and feeds, all under one page."""

    intro = models.CharField(
        max_length=300,
        default="Ask us a question in public. Officers answer, and everyone can see the answer.",
    )
    guidance = RichTextField(
        blank=True,
        features=["bold", "link", "ul", "ol"],
        help_text="Shown above the ask form: what to ask here, and what to ask privately instead.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("guidance")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["portal.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "question index page"

    # Routes delegate to questions.views so that the page model stays a thin router.
    @path("")
    def index_route(self, request):
        from . import views

        return views.question_list(request, self)

    @path("ask/")
    def ask_route(self, request):
        from . import views

        return views.ask(request, self)

    @path("suggest/")
    def suggest_route(self, request):
        from . import views

        return views.suggest(request, self)

    @path("feed/rss/", name="feed_rss")
    def feed_rss_route(self, request):
        from . import feeds

        return feeds.QuestionsFeed(self, "rss")(request)

    @path("feed/atom/", name="feed_atom")
    def feed_atom_route(self, request):
        from . import feeds

        return feeds.QuestionsFeed(self, "atom")(request)

    @path("topics/", name="tags")
    def tags_route(self, request):
        from . import views

        return views.tag_list(request, self)

    @re_path(r"^topics/(?P<tag_slug>[-\w]+)/$", name="tag")
    def tag_route(self, request, tag_slug):
        from . import views

        return views.question_list(request, self, tag_slug=tag_slug)

    @re_path(r"^topics/(?P<tag_slug>[-\w]+)/feed/rss/$", name="tag_feed_rss")
    def tag_feed_rss_route(self, request, tag_slug):
        from . import feeds

        return feeds.QuestionsFeed(self, "rss", tag_slug=tag_slug)(request)

    @re_path(r"^topics/(?P<tag_slug>[-\w]+)/feed/atom/$", name="tag_feed_atom")
    def tag_feed_atom_route(self, request, tag_slug):
        from . import feeds

        return feeds.QuestionsFeed(self, "atom", tag_slug=tag_slug)(request)

    @path("<int:question_id>/", name="thread_short")
    def thread_short_route(self, request, question_id):
        from . import views

        return views.thread(request, self, question_id, None)

    @path("<int:question_id>/<str:slug>/", name="thread")
    def thread_route(self, request, question_id, slug):
        from . import views

        return views.thread(request, self, question_id, slug)

    @path("<int:question_id>/<str:slug>/feed/rss/", name="thread_feed_rss")
    def thread_feed_rss_route(self, request, question_id, slug):
        from . import feeds

        return feeds.thread_feed(self, request, question_id, "rss")

    @path("<int:question_id>/<str:slug>/feed/atom/", name="thread_feed_atom")
    def thread_feed_atom_route(self, request, question_id, slug):
        from . import feeds

        return feeds.thread_feed(self, request, question_id, "atom")

    @path("<int:question_id>/<str:slug>/<str:action>/", name="thread_action")
    def thread_action_route(self, request, question_id, slug, action):
        from . import views

        return views.thread_action(request, self, question_id, action)

    @path("answers/<int:answer_id>/<str:action>/", name="answer_action")
    def answer_action_route(self, request, answer_id, action):
        from . import views

        return views.answer_action(request, self, answer_id, action)

    @path("comments/<int:comment_id>/<str:action>/", name="comment_action")
    def comment_action_route(self, request, comment_id, action):
        from . import views

        return views.comment_action(request, self, comment_id, action)


class QuestionQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def public(self):
        """Questions anyone may read: published or closed, and not hidden by reports."""
        return self.filter(
            status__in=[Question.Status.PUBLISHED, Question.Status.CLOSED], is_hidden=False
        )

    def unanswered(self):
        """Waiting for an answer: none yet, and still open for one (closed ones never will)."""
        return self.filter(answer_count=0).exclude(status=Question.Status.CLOSED)

    def answered(self):
        return self.filter(answer_count__gt=0)


class Question(index.Indexed, models.Model):
    """A resident's public question to the organisation."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting moderation"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Rejected"
        CLOSED = "closed", "Closed"
        MERGED = "merged", "Merged"

    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    slug = models.SlugField(max_length=80, allow_unicode=False)
    body = models.TextField("details", blank=True, max_length=QUESTION_BODY_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    tags = TaggableManager(through="questions.TaggedQuestion", blank=True, verbose_name="topics")
    about_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.CharField(
        max_length=120, blank=True, help_text="The service area expected to answer."
    )
    moderation_reason = models.TextField(
        blank=True,
        max_length=MODERATION_REASON_MAX_LENGTH,
        help_text="Why it was rejected or closed; shown to the person who asked.",
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_questions"
    )
    accepted_answer = models.ForeignKey(
        "questions.Answer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_hidden = models.BooleanField(
        default=False, help_text="Hidden automatically after reports, until a moderator decides."
    )
    vote_count = models.PositiveIntegerField(default=0)
    answer_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    follower_count = models.PositiveIntegerField(default=0)
    has_official_answer = models.BooleanField(default=False)
    thread_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("body"),
        index.RelatedFields(
            "tags", [index.SearchField("name", boost=2), index.FilterField("slug")]
        ),
        index.FilterField("tags"),
        index.FilterField("status"),
        index.FilterField("is_hidden"),
        index.FilterField("created_at"),
        index.FilterField("published_at"),
        index.FilterField("about_page_id"),
        index.FilterField("author_id"),
        index.FilterField("has_official_answer"),
        index.FilterField("answer_count"),
        index.FilterField("vote_count"),
    ]

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("moderate_question", "Can moderate questions, answers, comments and reports"),
            ("give_official_answer", "Can give official answers"),
        ]
        indexes = [
            models.Index(fields=["status", "is_hidden", "-published_at"], name="q_public_recent"),
            models.Index(fields=["status", "is_hidden", "-vote_count"], name="q_public_votes"),
            models.Index(fields=["about_page", "status"], name="q_about"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.slug = make_slug(self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "slug"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from .selectors import question_url

        return question_url(self)

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.CLOSED) and not self.is_hidden

    @property
    def is_open(self) -> bool:
        """Open for answers, comments and votes."""
        return self.status == self.Status.PUBLISHED and not self.is_hidden

    @property
    def author_name(self) -> str:
        return self.author.public_name if self.author_id else "Former resident"

    @property
    def status_tag(self) -> tuple[str, str]:
        """The (label, GOV.UK tag colour) that describes where the question has got to."""
        if self.status == self.Status.PENDING:
            return ("Awaiting moderation", "grey")
        if self.status == self.Status.REJECTED:
            return ("Rejected", "red")
        if self.status == self.Status.MERGED:
            return ("Merged", "purple")
        if self.is_hidden:
            return ("Hidden while we check reports", "yellow")
        if self.status == self.Status.CLOSED:
            return ("Closed", "orange")
        if self.has_official_answer:
            return ("Officially answered", "green")
        if self.answer_count:
            return ("Answered", "turquoise")
        return ("Awaiting an answer", "blue")

    @property
    def contribution_tag(self) -> tuple[str, str]:
        """The status as the asker sees it on My contributions."""
        label, colour = self.status_tag
        if label == "Awaiting an answer":
            return ("Published", "blue")
        return (label, colour)


class TaggedQuestion(TaggedItemBase):
    content_object = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = "question topic"


class AnswerQuerySet(SearchableQuerySetMixin, models.QuerySet):
    pass


class Answer(index.Indexed, models.Model):
    """An answer to a question; officers' answers can be the organisation's official answer."""

    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        REMOVED = "removed", "Removed by a moderator"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
    )
    body = models.TextField(max_length=ANSWER_MAX_LENGTH)
    is_official = models.BooleanField(default=False)
    official_title = models.CharField(
        max_length=250,
        blank=True,
        help_text="The officer's job title and department when the answer was made official.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PUBLISHED)
    removal_reason = models.TextField(blank=True, max_length=MODERATION_REASON_MAX_LENGTH)
    is_hidden = models.BooleanField(default=False)
    vote_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = AnswerQuerySet.as_manager()

    search_fields = [
        index.SearchField("body"),
        # The question's visibility is filtered on too, so hidden threads' answers stay out.
        index.RelatedFields(
            "question",
            [
                index.SearchField("title"),
                index.FilterField("status"),
                index.FilterField("is_hidden"),
            ],
        ),
        index.FilterField("question_id"),
        index.FilterField("status"),
        index.FilterField("is_hidden"),
        index.FilterField("is_official"),
        index.FilterField("created_at"),
        index.FilterField("author_id"),
    ]

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["question", "status"], name="a_question_status")]

    def __str__(self):
        return f"Answer to “{self.question.title}”" if self.question_id else "Answer"

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.PUBLISHED and not self.is_hidden

    @property
    def author_name(self) -> str:
        return self.author.public_name if self.author_id else "Former resident"


class Comment(models.Model):
    """A short comment on a question or on one of its answers."""

    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        REMOVED = "removed", "Removed by a moderator"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="comments")
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="question_comments",
    )
    body = models.TextField(max_length=COMMENT_MAX_LENGTH)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PUBLISHED)
    removal_reason = models.TextField(blank=True, max_length=MODERATION_REASON_MAX_LENGTH)
    is_hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["question", "status"], name="c_question_status")]

    def __str__(self):
        return f"Comment on “{self.question.title}”" if self.question_id else "Comment"

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.PUBLISHED and not self.is_hidden

    @property
    def author_name(self) -> str:
        return self.author.public_name if self.author_id else "Former resident"


def _one_target(*names):
    """A check that exactly one of the named foreign keys is set."""
    options = Q()
    for name in names:
        clause = Q(**{f"{name}__isnull": False})
        for other in names:
            if other != name:
                clause &= Q(**{f"{other}__isnull": True})
        options |= clause
    return options


class Vote(models.Model):
    """One person's up-vote on one question or one answer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_votes"
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=_one_target("question", "answer"), name="vote_one_target"
            ),
            models.UniqueConstraint(
                fields=["user", "question"],
                condition=Q(question__isnull=False),
                name="vote_once_per_question",
            ),
            models.UniqueConstraint(
                fields=["user", "answer"],
                condition=Q(answer__isnull=False),
                name="vote_once_per_answer",
            ),
        ]

    def __str__(self):
        return f"Vote by {self.user_id}"


class Follow(models.Model):
    """Someone who wants to hear about a question's answers and status changes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_follows"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="follow_once"),
        ]

    def __str__(self):
        return f"{self.user_id} follows {self.question_id}"


class Flag(models.Model):
    """A report that a question, answer or comment breaks the house rules."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSE = "abuse", "Abusive, offensive or discriminatory"
        PERSONAL = "personal", "It shares someone’s personal information"
        OFF_TOPIC = "off_topic", "Off topic, or not something the council deals with"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a moderator"
        UPHELD = "upheld", "Upheld: content removed"
        DISMISSED = "dismissed", "Dismissed: content kept"

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_flags"
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reason = models.CharField(max_length=12, choices=Reason.choices)
    details = models.TextField(blank=True, max_length=FLAG_DETAILS_MAX_LENGTH)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "report"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=_one_target("question", "answer", "comment"), name="flag_one_target"
            ),
            models.UniqueConstraint(
                fields=["reporter", "question"],
                condition=Q(question__isnull=False),
                name="flag_once_per_question",
            ),
            models.UniqueConstraint(
                fields=["reporter", "answer"],
                condition=Q(answer__isnull=False),
                name="flag_once_per_answer",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(comment__isnull=False),
                name="flag_once_per_comment",
            ),
        ]

    def __str__(self):
        return f"Report: {self.get_reason_display()}"

    @property
    def target(self):
        return self.question or self.answer or self.comment
