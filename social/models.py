import hashlib
import os
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class Channel(models.Model):
    """An account on a network we mirror to. Secrets never live here, only env var names."""

    class Kind(models.TextChoices):
        X = "x", "X (Twitter)"
        SANDBOX = "sandbox", "X API sandbox (local, for training and the demo)"

    name = models.CharField(max_length=80, help_text="What officers call this account.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.X)
    handle = models.CharField(max_length=15, help_text="The account's handle, without the @.")
    active = models.BooleanField(
        default=True, help_text="Inactive channels get no new drafts and are never polled."
    )
    consumer_key_env = models.CharField("API key variable", max_length=60, default="X_CONSUMER_KEY")
    consumer_secret_env = models.CharField(
        "API key secret variable", max_length=60, default="X_CONSUMER_SECRET"
    )
    access_token_env = models.CharField(
        "access token variable", max_length=60, default="X_ACCESS_TOKEN"
    )
    access_token_secret_env = models.CharField(
        "access token secret variable", max_length=60, default="X_ACCESS_TOKEN_SECRET"
    )
    bearer_token_env = models.CharField(
        "bearer token variable",
        max_length=60,
        default="X_BEARER_TOKEN",
        help_text="Needed to pull replies (recent search).",
    )
    monthly_budget = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal("25.00"),
        help_text="US dollars a month. Calls stop (and say so) when the next one would go over.",
    )
    cost_per_read = models.DecimalField(
        max_digits=8,
        decimal_places=4,
        default=Decimal("0.0050"),
        help_text="Cost of one read call (looking posts up, one page of replies).",
    )
    cost_per_post = models.DecimalField(max_digits=8, decimal_places=4, default=Decimal("0.0150"))
    cost_per_post_with_url = models.DecimalField(
        max_digits=8,
        decimal_places=4,
        default=Decimal("0.2000"),
        help_text="X charges much more for a post that contains a link.",
    )
    cost_per_delete = models.DecimalField(max_digits=8, decimal_places=4, default=Decimal("0.0100"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} (@{self.handle})"

    ENV_FIELDS = {
        "consumer_key": "consumer_key_env",
        "consumer_secret": "consumer_secret_env",  # nosec B105
        "access_token": "access_token_env",  # nosec B105
        "access_token_secret": "access_token_secret_env",  # nosec B105
        "bearer_token": "bearer_token_env",  # nosec B105
    }

    def credentials(self) -> dict:
        """Secrets from the environment variables this channel names.

        A sandbox channel with no variables set signs in as its own handle, so the demo and a
        fresh checkout work without secrets; a real X channel never falls back.
        """
        creds = {
            key: os.environ.get(getattr(self, attr)) or None
            for key, attr in self.ENV_FIELDS.items()
        }
        if self.kind == self.Kind.SANDBOX:
            fallback = {
                "consumer_key": "sandbox-key",
                "consumer_secret": "sandbox-secret",  # nosec B105
                "access_token": f"sandbox-{self.handle}",
                "access_token_secret": "sandbox-token-secret",  # nosec B105
                "bearer_token": f"sandbox-bearer-{self.handle}",
            }
            creds = {k: v or fallback[k] for k, v in creds.items()}
        return creds

    def missing_credentials(self) -> list[str]:
        creds = self.credentials()
        return [getattr(self, attr) for key, attr in self.ENV_FIELDS.items() if not creds[key]]

    def status_url(self, external_id: str) -> str:
        return f"https://x.com/{self.handle}/status/{external_id}"

    def spent_this_month(self) -> str:
        month = timezone.localdate().replace(day=1)
        usage = self.usage.filter(month=month).first()
        if usage is None:
            return "$0.00 (no calls)"
        return f"${usage.spent:.2f} of ${self.monthly_budget:.2f} ({usage.calls} calls)"

    spent_this_month.short_description = "Spent this month"


class ChannelUsage(models.Model):
    """Calls made and money spent on one channel in one calendar month."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="usage")
    month = models.DateField(help_text="The first day of the month.")
    calls = models.PositiveIntegerField(default=0)
    spent = models.DecimalField(max_digits=10, decimal_places=4, default=Decimal("0"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "month"], name="social_usage_per_month")
        ]
        ordering = ["-month"]

    def __str__(self):
        return f"{self.channel} {self.month:%B %Y}: {self.calls} calls, ${self.spent}"


class PostKind(models.TextChoices):
    QUESTION = "question", "A question was published"
    ANSWER = "answer", "An official answer was given"
    CONSULTATION_OPENED = "consultation_opened", "A consultation opened"
    CONSULTATION_CLOSING = "consultation_closing", "A consultation is about to close"
    CONSULTATION_OUTCOME = "consultation_outcome", "A consultation's outcome was published"
    LIVE_UPDATE = "live_update", "A meeting live update was posted"
    REPLY = "reply", "A reply to someone on X"
    MANUAL = "manual", "Written by hand"


class PostTemplate(models.Model):
    """The wording drafted for each kind of event; coaches edit it in the admin."""

    kind = models.CharField(max_length=30, choices=PostKind.choices, unique=True)
    text = models.TextField(
        help_text=(
            "Placeholders in braces are filled in: {title}, {url}, {summary}, {organisation}, "
            "{closes}, {answer}, {department}. Unknown placeholders are left out."
        )
    )

    class Meta:
        ordering = ["kind"]
        verbose_name = "post template"

    def __str__(self):
        return self.get_kind_display()


class Post(models.Model):
    """An outbound post to a channel, from draft to published (or withdrawn)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING = "awaiting", "Awaiting approval"
        APPROVED = "approved", "Approved, waiting to be posted"
        PUBLISHED = "published", "Published"
        FAILED = "failed", "Failed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="posts")
    kind = models.CharField(max_length=30, choices=PostKind.choices, default=PostKind.MANUAL)
    text = models.TextField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )

    # What caused the post (a question, an answer, a live update...).
    source_content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_content_type", "source_object_id")
    # The site thread or page the conversation belongs to; "Discussed on X" shows there.
    topic_content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topic_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    topic = GenericForeignKey("topic_content_type", "topic_object_id")
    topic_title = models.CharField(max_length=255, blank=True)
    topic_url = models.CharField(max_length=500, blank=True)

    # Threads: each later part replies to the one before it.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    part_number = models.PositiveSmallIntegerField(default=1)
    part_count = models.PositiveSmallIntegerField(default=1)
    # A reply written in the portal to someone's reply on X (through the same approval).
    in_reply_to = models.ForeignKey(
        "social.Reply", null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )

    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drafted_posts",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approved_posts",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(blank=True, help_text="The coach's feedback when they rejected it.")
    pii_override_reason = models.TextField(blank=True)
    pii_override_hash = models.CharField(max_length=64, blank=True)

    external_id = models.CharField(max_length=64, blank=True, db_index=True)
    external_url = models.URLField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Publishing bookkeeping: the intent is stored before calling X, so a retry knows to look
    # the text up on X first instead of posting it again.
    intent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deleted_on_x_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("approve_post", "Can approve, edit and reject posts to X")]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=~models.Q(external_id=""),
                name="social_post_external_id_per_channel",
            )
        ]
        indexes = [
            models.Index(fields=["topic_content_type", "topic_object_id"]),
            models.Index(fields=["source_content_type", "source_object_id"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:50]}"

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.AWAITING}

    @property
    def is_thread_part(self) -> bool:
        return self.parent_id is not None and self.kind != PostKind.REPLY

    def text_hash(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()

    @property
    def pii_overridden(self) -> bool:
        return bool(self.pii_override_hash) and self.pii_override_hash == self.text_hash()


class PostEvent(models.Model):
    """The history of a post: who drafted, edited, approved, rejected or overrode what."""

    class Kind(models.TextChoices):
        DRAFTED = "drafted", "Drafted"
        SUBMITTED = "submitted", "Sent for approval"
        EDITED = "edited", "Edited"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        PII_OVERRIDE = "pii_override", "Personal data check overridden"
        PUBLISHED = "published", "Published"
        RETRY = "retry", "Will retry"
        FAILED = "failed", "Failed"
        REQUEUED = "requeued", "Sent to be posted again"
        WITHDRAWN = "withdrawn", "Withdrawn"
        DELETED = "deleted", "Deleted on X"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%d %b %Y %H:%M})"


class Reply(models.Model):
    """A reply someone posted on X to one of our posts, kept once with its raw JSON."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="replies")
    post = models.ForeignKey(
        Post,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text="The first post of the conversation this reply belongs to.",
    )
    external_id = models.CharField(max_length=64)
    conversation_id = models.CharField(max_length=64, db_index=True)
    in_reply_to_id = models.CharField(max_length=64, blank=True)
    # Place in the reply tree: the reply it answers (None when it answers one of our posts).
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    depth = models.PositiveSmallIntegerField(default=1)
    author_id = models.CharField(max_length=64, blank=True)
    author_handle = models.CharField(max_length=50, blank=True)
    author_name = models.CharField(max_length=100, blank=True)
    text = models.TextField()
    created_at = models.DateTimeField(null=True, blank=True, db_index=True)
    raw = models.JSONField(default=dict)
    fetched_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Set when an officer imported it by URL.",
    )
    read_at = models.DateTimeField(null=True, blank=True, db_index=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden = models.BooleanField(default=False, db_index=True)
    hidden_reason = models.CharField(max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "replies"
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"], name="social_reply_once_per_channel"
            )
        ]
        indexes = [
            models.Index(fields=["post", "-created_at"]),
            models.Index(fields=["channel", "in_reply_to_id"]),
        ]

    def __str__(self):
        return f"@{self.author_handle}: {self.text[:50]}"

    @property
    def url(self) -> str:
        return f"https://x.com/{self.author_handle or 'i/web'}/status/{self.external_id}"


class PullCursor(models.Model):
    """Where reply pulling for one post has got to, and when to look again."""

    class State(models.TextChoices):
        ACTIVE = "active", "Pulling"
        PARKED = "parked", "Stopped after repeated errors"
        FINISHED = "finished", "Finished (X only searches the last 7 days)"

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="pull_cursor")
    since_id = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    next_poll_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    polls = models.PositiveIntegerField(default=0)
    replies_stored = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["next_poll_at"]

    def __str__(self):
        return f"Replies to post {self.post_id}: {self.get_state_display()}"


class ReplyImport(models.Model):
    """An officer's request to fetch one reply by its URL (done by the worker, not the request)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        DONE = "done", "Imported"
        FAILED = "failed", "Could not import"

    url = models.URLField(max_length=300)
    tweet_id = models.CharField(max_length=32)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True)
    reply = models.ForeignKey(Reply, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.url
