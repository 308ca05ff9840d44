from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BaseStreamBlock


class ParleyUserManager(UserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account: residents, officers and committee members alike.

    Email is the login; the display name is what the public sees. Officers' job title and
    department are shown beside their official answers.
    """

    class EmailFrequency(models.TextChoices):
        IMMEDIATE = "immediate", "Send each update as it happens"
        DAILY = "daily", "Send one email a day with all the updates"
        NEVER = "never", "Do not email me updates"

    username = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=60,
        help_text="Shown next to everything you post. You can use your first name or a nickname.",
    )
    job_title = models.CharField(max_length=120, blank=True)
    department = models.CharField(max_length=120, blank=True)
    email_verified = models.BooleanField(default=False)
    email_frequency = models.CharField(
        max_length=12, choices=EmailFrequency.choices, default=EmailFrequency.IMMEDIATE
    )
    x_handle = models.CharField(
        "X handle",
        max_length=16,
        blank=True,
        help_text="Optional. Lets us match replies you post on X to your account.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = ParleyUserManager()

    class Meta:
        ordering = ["display_name", "email"]

    def __str__(self):
        return self.display_name or self.email

    def get_full_name(self):
        full = f"{self.first_name} {self.last_name}".strip()
        return full or self.display_name or self.email

    def get_short_name(self):
        return self.display_name or self.first_name or self.email

    @property
    def public_name(self) -> str:
        return self.display_name or "Resident"

    @property
    def official_title(self) -> str:
        """How an officer is described beside an official answer."""
        parts = [p for p in (self.job_title, self.department) if p]
        return ", ".join(parts)


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    class ModerationMode(models.TextChoices):
        PRE = "pre", "Pre-moderation: new questions wait for a moderator before they appear"
        POST = "post", "Post-moderation: new questions appear at once and can be taken down"

    class Phase(models.TextChoices):
        ALPHA = "alpha", "Alpha"
        BETA = "beta", "Beta"
        LIVE = "live", "Live (no phase banner)"

    organisation_name = models.CharField(max_length=120, default="Riverside Borough Council")
    service_name = models.CharField(max_length=80, default="Have your say")
    contact_email = models.EmailField(default="haveyoursay@riverside.example.gov.uk")
    moderation_mode = models.CharField(
        max_length=4, choices=ModerationMode.choices, default=ModerationMode.PRE
    )
    phase = models.CharField(max_length=5, choices=Phase.choices, default=Phase.BETA)
    feedback_url = models.CharField(
        max_length=250,
        blank=True,
        help_text="Where the phase banner's feedback link goes (a page or mailto: address).",
    )
    house_rules_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    show_x_replies = models.BooleanField(
        "Show replies from X on public pages",
        default=True,
        help_text="Replies pulled back from X appear beneath the site's own answers.",
    )
    allow_coach_self_approval = models.BooleanField(
        "Let social media coaches approve their own drafts",
        default=False,
        help_text="Otherwise every post to X needs a second person.",
    )

    select_related = ["house_rules_page", "privacy_page", "accessibility_page"]

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("service_name"),
                FieldPanel("contact_email"),
                FieldPanel("phase"),
                FieldPanel("feedback_url"),
            ],
            heading="Organisation",
        ),
        MultiFieldPanel(
            [
                FieldPanel("house_rules_page"),
                FieldPanel("privacy_page"),
                FieldPanel("accessibility_page"),
            ],
            heading="Footer pages",
        ),
        MultiFieldPanel([FieldPanel("moderation_mode")], heading="Moderation"),
        MultiFieldPanel(
            [FieldPanel("show_x_replies"), FieldPanel("allow_coach_self_approval")],
            heading="X (Twitter)",
        ),
    ]

    class Meta:
        verbose_name = "site settings"

    def __str__(self):
        return self.organisation_name


class HomePage(Page):
    """The front page: a welcome, then sections the apps contribute (see `home_sections`)."""

    intro = models.CharField(
        max_length=300,
        default="Ask us a question, tell us what you think about our plans, and see what "
        "happened to what you said.",
    )
    body = RichTextField(blank=True, features=["bold", "italic", "link", "ul", "ol"])

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["home_sections"] = home_sections(request, self)
        return context


def home_sections(request, page) -> list[dict]:
    """Sections other apps add to the home page via the `parley_home_sections` hook.

    Each hook returns None or {"order": int, "template": str, "context": dict}.
    """
    sections = []
    for fn in hooks.get_hooks("parley_home_sections"):
        section = fn(request, page)
        if section:
            sections.append(section)
    return sorted(sections, key=lambda s: s.get("order", 100))


class StandardPage(Page):
    """House rules, privacy notice, accessibility statement, about: plain editorial pages."""

    summary = models.CharField(max_length=300, blank=True)
    body = StreamField(BaseStreamBlock(), blank=True)
    last_reviewed = models.DateField(null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("last_reviewed"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["portal.HomePage", "portal.StandardPage"]
    subpage_types = ["portal.StandardPage"]

    class Meta:
        verbose_name = "standard page"


class Notification(models.Model):
    """One message to one person, sent at once or gathered into their daily digest.

    Rows are the outbox: a failed send stays here with its error and is retried, so an email
    server outage loses nothing.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    deliver_in_digest = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at", "deliver_in_digest", "next_attempt_at"])]

    def __str__(self):
        return f"{self.subject} → {self.user}"


class ScheduledRun(models.Model):
    """When each periodic job was last enqueued, so several schedulers never double up."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.name


class SubmissionReceipt(models.Model):
    """One row per form submission that stored something, so the same submission sent twice
    (a double click, a resend after a timeout, the back button) is stored once.

    The key is a hash of who sent it, the form, the signed "form shown at" token and every
    field sent; it is claimed in the same transaction as the rows the submission creates.
    """

    key = models.CharField(max_length=64, unique=True)
    result = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return self.key
