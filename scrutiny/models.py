"""Inquiries and the evidence ledger.

An inquiry is a Wagtail page (editorial content: terms of reference, report, response). Evidence
is ordinary data: one `Evidence` row per item from any source, with a stable reference, its
provenance, and a snapshot of the text as captured that nothing ever changes. Redactions are
separate rows applied when the text is shown or exported, so the snapshot's SHA-256 always
verifies against what was originally captured.
"""

import hashlib
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

RICH_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "document-link"]


class InquiryIndexPage(Page):
    """The list of the organisation's scrutiny inquiries."""

    intro = models.CharField(
        max_length=300,
        default="Our scrutiny committees look closely at how services work and recommend "
        "improvements. Find out what they are looking at and how to give evidence.",
    )
    body = RichTextField(blank=True, features=RICH_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["scrutiny.InquiryPage"]
    max_count = 1

    class Meta:
        verbose_name = "inquiry index page"

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["groups"] = selectors.inquiries_by_stage(self)
        return context


class InquiryPhase(models.TextChoices):
    UPCOMING = "upcoming", "Call for evidence opens soon"
    OPEN = "open", "Call for evidence open"
    CLOSED = "closed", "Call for evidence closed"


class InquiryPage(RoutablePageMixin, Page):
    """One inquiry: what the committee is looking at, and what came of it."""

    summary = models.CharField(max_length=300)
    committee = models.CharField(max_length=150)
    chair = models.CharField(max_length=150, blank=True)
    terms_of_reference = RichTextField(features=RICH_FEATURES)
    key_questions = models.TextField(
        blank=True, help_text="The questions the committee wants answered, one per line."
    )
    evidence_opens = models.DateField("call for evidence opens")
    evidence_closes = models.DateField(
        "call for evidence closes", help_text="Evidence is accepted until 23:59 on this day."
    )
    final_report = RichTextField(blank=True, features=RICH_FEATURES)
    report_document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    report_published_on = models.DateField(
        null=True,
        blank=True,
        help_text="Fill in when the committee's report is published; it then shows on the page.",
    )
    organisation_response = RichTextField(blank=True, features=RICH_FEATURES)
    response_published_on = models.DateField(
        null=True,
        blank=True,
        help_text="Fill in when the organisation's response is published.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("committee"), FieldPanel("chair")], heading="Committee", icon="group"
        ),
        FieldPanel("terms_of_reference"),
        FieldPanel("key_questions"),
        MultiFieldPanel(
            [FieldPanel("evidence_opens"), FieldPanel("evidence_closes")],
            heading="Call for evidence",
        ),
        InlinePanel("linked_pages", heading="Linked consultations and meetings", label="Page"),
        MultiFieldPanel(
            [
                FieldPanel("final_report"),
                FieldPanel("report_document"),
                FieldPanel("report_published_on"),
            ],
            heading="Final report",
        ),
        MultiFieldPanel(
            [FieldPanel("organisation_response"), FieldPanel("response_published_on")],
            heading="The organisation's response",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("committee"),
        index.SearchField("terms_of_reference"),
        index.SearchField("key_questions"),
        index.SearchField("final_report"),
        index.AutocompleteField("title"),
        index.FilterField("evidence_opens"),
        index.FilterField("evidence_closes"),
    ]

    parent_page_types = ["scrutiny.InquiryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "inquiry"
        verbose_name_plural = "inquiries"

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.evidence_opens and self.evidence_closes:
            if self.evidence_closes < self.evidence_opens:
                raise ValidationError(
                    {"evidence_closes": "The call for evidence must close after it opens"}
                )
        if self.response_published_on and not self.report_published_on:
            raise ValidationError(
                {"response_published_on": "Publish the report before the response to it"}
            )

    # -- phase and status, always derived from the dates ------------------------------------

    @property
    def opens_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.evidence_opens, time.min))

    @property
    def closes_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.evidence_closes, time.min)) + timedelta(
            days=1
        )

    def phase_at(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return InquiryPhase.UPCOMING
        if now < self.closes_at:
            return InquiryPhase.OPEN
        return InquiryPhase.CLOSED

    @property
    def phase(self) -> str:
        return self.phase_at()

    @property
    def phase_label(self) -> str:
        return InquiryPhase(self.phase).label

    @property
    def is_open_for_evidence(self) -> bool:
        return self.phase == InquiryPhase.OPEN

    @property
    def report_is_published(self) -> bool:
        return bool(self.report_published_on and self.report_published_on <= date.today())

    @property
    def response_is_published(self) -> bool:
        return bool(
            self.report_is_published
            and self.response_published_on
            and self.response_published_on <= date.today()
        )

    @property
    def status(self) -> str:
        if self.response_is_published:
            return "Response published"
        if self.report_is_published:
            return "Report published"
        phase = self.phase
        if phase == InquiryPhase.UPCOMING:
            return "Starting soon"
        if phase == InquiryPhase.OPEN:
            return "Gathering evidence"
        return "Committee considering evidence"

    @property
    def status_colour(self) -> str:
        return {
            "Response published": "green",
            "Report published": "turquoise",
            "Starting soon": "grey",
            "Gathering evidence": "blue",
        }.get(self.status, "yellow")

    @property
    def key_question_list(self) -> list[str]:
        return [line.strip() for line in self.key_questions.splitlines() if line.strip()]

    def get_context(self, request, *args, **kwargs):
        from . import permissions, selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.inquiry_page_context(request, self))
        context["can_view_dashboard"] = permissions.can_view_dashboard(request.user)
        return context

    # The routes live in views.py so the page model stays a description of the page.
    @path("")
    def index_route(self, request):
        return self.render(request)

    @path("evidence/")
    def public_evidence(self, request):
        from . import views

        return views.inquiry_public_evidence(request, self)

    @path("submit/")
    def submit_evidence(self, request):
        from . import views

        return views.submit_evidence(request, self)

    @path("submit/done/<str:reference>/")
    def submit_done(self, request, reference):
        from . import views

        return views.submit_done(request, self, reference)

    @path("follow/")
    def follow(self, request):
        from . import views

        return views.follow_inquiry(request, self)

    @path("dashboard/")
    def dashboard(self, request):
        from . import views

        return views.dashboard(request, self)

    @path("dashboard/export/")
    def export(self, request):
        from . import views

        return views.start_export(request, self)


class InquiryLinkedPage(Orderable):
    """A consultation or meeting that feeds into an inquiry."""

    inquiry = ParentalKey(InquiryPage, on_delete=models.CASCADE, related_name="linked_pages")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    note = models.CharField(
        max_length=200, blank=True, help_text="Optional: how this relates to the inquiry."
    )

    panels = [
        PageChooserPanel("page", ["consultations.ConsultationPage", "consultations.MeetingPage"]),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "page"], name="scrutiny_linked_page_once")
        ]


class InquiryFollow(models.Model):
    """A person who wants emails when an inquiry opens, reports or gets its response."""

    inquiry = models.ForeignKey(InquiryPage, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inquiry_follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "user"], name="scrutiny_follow_once")
        ]

    def __str__(self):
        return f"{self.user} follows {self.inquiry}"


class InquiryAnnouncement(models.Model):
    """Which milestones of an inquiry have been announced to followers (each once)."""

    class Kind(models.TextChoices):
        OPENED = "opened", "Call for evidence opened"
        REPORT = "report", "Report published"
        RESPONSE = "response", "Response published"

    inquiry = models.ForeignKey(InquiryPage, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "kind"], name="scrutiny_announce_once")
        ]

    def __str__(self):
        return f"{self.inquiry}: {self.get_kind_display()}"


# -- the evidence ledger ---------------------------------------------------------------------


class EvidenceTheme(TagBase):
    """Officers' theme tags for evidence: a namespace of their own, apart from public topics."""

    class Meta:
        verbose_name = "evidence theme"
        verbose_name_plural = "evidence themes"


class ThemedEvidence(TaggedItemBase):
    tag = models.ForeignKey(EvidenceTheme, on_delete=models.CASCADE, related_name="tagged_items")
    content_object = models.ForeignKey(
        "scrutiny.Evidence", on_delete=models.CASCADE, related_name="tagged_themes"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="scrutiny_theme_once")
        ]


class EvidenceCounter(models.Model):
    """The last reference number handed out in a year (see services.next_reference)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class SourceKind(models.TextChoices):
    QUESTION = "question", "Web question"
    ANSWER = "answer", "Answer"
    COMMENT = "comment", "Comment"
    CONSULTATION_RESPONSE = "consultation_response", "Consultation response"
    X_REPLY = "x_reply", "Reply on X"
    SUBMISSION = "submission", "Direct submission"
    ORAL = "oral", "Oral evidence"


class Consent(models.TextChoices):
    PUBLIC = "public", "May be published"
    COMMITTEE_ONLY = "committee_only", "Committee only: no consent to publish"


class TriageStatus(models.TextChoices):
    NEW = "new", "New"
    RELEVANT = "relevant", "Relevant"
    NOT_RELEVANT = "not_relevant", "Not relevant"
    DUPLICATE = "duplicate", "Duplicate"


class SourceState(models.TextChoices):
    UNCHANGED = "unchanged", "Unchanged since captured"
    EDITED = "edited", "Source since edited"
    REMOVED = "removed", "Source since removed"
    NONE = "none", "No separate source"


class EvidenceQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def publicly_visible(self):
        return self.filter(is_public=True, consent=Consent.PUBLIC).exclude(
            status__in=[TriageStatus.NOT_RELEVANT, TriageStatus.DUPLICATE]
        )

    def for_inquiry(self, inquiry):
        return self.filter(links__inquiry=inquiry)

    def with_list_data(self):
        """Everything a list row shows, in a fixed number of queries."""
        return self.select_related("duplicate_of").prefetch_related(
            "themes",
            models.Prefetch(
                "links",
                queryset=EvidenceLink.objects.select_related("inquiry").only(
                    "id", "evidence_id", "inquiry__id", "inquiry__title", "inquiry__url_path"
                ),
            ),
            "redactions",
        )


class Evidence(index.Indexed, models.Model):
    """One piece of evidence, from any source, citable by its reference."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    source_kind = models.CharField(max_length=24, choices=SourceKind.choices, db_index=True)
    source_content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_object_id = models.CharField(max_length=64, blank=True, default="")
    source = GenericForeignKey("source_content_type", "source_object_id")
    source_url = models.CharField(max_length=500, blank=True)
    source_state = models.CharField(
        max_length=10, choices=SourceState.choices, default=SourceState.UNCHANGED
    )
    source_checked_at = models.DateTimeField(null=True, blank=True)

    title = models.CharField(max_length=300, blank=True)
    author_name = models.CharField(max_length=150, blank=True)
    author_handle = models.CharField(max_length=100, blank=True)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence_authored",
    )
    # Direct submissions only: how to reach the person, never shown or exported.
    contact_email = models.EmailField(blank=True)
    consent_contact = models.BooleanField(default=False)
    organisation = models.CharField(max_length=150, blank=True)

    said_at = models.DateTimeField(help_text="When the source was written or said.")
    captured_at = models.DateTimeField(default=timezone.now, db_index=True)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence_captured",
    )

    text = models.TextField(editable=False)
    text_sha256 = models.CharField(max_length=64, editable=False)

    consent = models.CharField(max_length=16, choices=Consent.choices)
    is_public = models.BooleanField(
        default=False, help_text="Shown to the public on the inquiry's page."
    )
    status = models.CharField(
        max_length=12, choices=TriageStatus.choices, default=TriageStatus.NEW, db_index=True
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    themes = TaggableManager(
        through=ThemedEvidence, blank=True, related_name="evidence", verbose_name="themes"
    )
    officer_note = models.TextField(blank=True)
    inquiries = models.ManyToManyField(
        InquiryPage, through="EvidenceLink", related_name="evidence", blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = EvidenceQuerySet.as_manager()

    search_fields = [
        index.SearchField("display_text"),
        index.SearchField("title"),
        index.SearchField("author_name"),
        index.AutocompleteField("reference"),
        index.SearchField("reference"),
        index.FilterField("status"),
        index.FilterField("source_kind"),
        index.FilterField("is_public"),
        index.FilterField("consent"),
        index.FilterField("captured_at"),
        index.FilterField("said_at"),
        index.FilterField("id"),
        index.FilterField("themes"),
        index.RelatedFields("themes", [index.SearchField("name"), index.FilterField("slug")]),
    ]

    class Meta:
        verbose_name = "evidence"
        verbose_name_plural = "evidence"
        ordering = ["-captured_at", "-id"]
        permissions = [
            ("view_dashboard", "Can read inquiry dashboards"),
            ("export_evidence", "Can export evidence packs"),
            ("triage_evidence", "Can triage evidence (status, themes, links, notes)"),
            ("promote_evidence", "Can promote contributions to evidence"),
            ("redact_evidence", "Can redact evidence"),
        ]
        constraints = [
            # Promoting the same source twice must find the existing item.
            models.UniqueConstraint(
                fields=["source_content_type", "source_object_id"],
                condition=Q(source_content_type__isnull=False),
                name="scrutiny_evidence_source_once",
            ),
            # Evidence given without consent to publish can never be public.
            models.CheckConstraint(
                condition=Q(is_public=False) | Q(consent="public"),
                name="scrutiny_public_needs_consent",
            ),
            models.CheckConstraint(
                condition=(Q(status="duplicate") & Q(duplicate_of__isnull=False))
                | (~Q(status="duplicate") & Q(duplicate_of__isnull=True)),
                name="scrutiny_duplicate_has_original",
            ),
        ]
        indexes = [
            models.Index(fields=["source_content_type", "source_object_id"]),
            models.Index(fields=["status", "-captured_at"]),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("scrutiny:evidence_detail", args=[self.reference])

    @staticmethod
    def hash_text(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def verify(self) -> bool:
        """True when the stored snapshot still matches the hash taken when it was captured."""
        return self.hash_text(self.text) == self.text_sha256

    @cached_property
    def display_text(self) -> str:
        """The snapshot with its redactions applied (what is shown and exported)."""
        from .redaction import apply_redactions

        return apply_redactions(self.text, list(self.redactions.all()))

    @property
    def is_redacted(self) -> bool:
        return bool(self.redactions.all())

    @property
    def author_label(self) -> str:
        if self.author_name and self.author_handle:
            return f"{self.author_name} (@{self.author_handle})"
        if self.author_handle:
            return f"@{self.author_handle}"
        return self.author_name or "Anonymous"

    @property
    def source_label(self) -> str:
        return SourceKind(self.source_kind).label

    @property
    def status_colour(self) -> str:
        return {
            TriageStatus.NEW: "blue",
            TriageStatus.RELEVANT: "green",
            TriageStatus.NOT_RELEVANT: "grey",
            TriageStatus.DUPLICATE: "orange",
        }[self.status]

    @property
    def theme_names(self) -> list[str]:
        return sorted(t.name for t in self.themes.all())

    @property
    def inquiry_list(self) -> list:
        return [link.inquiry for link in self.links.all()]


class EvidenceLink(models.Model):
    """Evidence linked to an inquiry (an item can inform several inquiries)."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="links")
    inquiry = models.ForeignKey(InquiryPage, on_delete=models.CASCADE, related_name="links")
    linked_at = models.DateTimeField(default=timezone.now)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evidence", "inquiry"], name="scrutiny_link_once")
        ]

    def __str__(self):
        return f"{self.evidence_id} → {self.inquiry_id}"


class Redaction(models.Model):
    """A span of the original snapshot hidden when the evidence is shown or exported."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="redactions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    replacement = models.CharField(max_length=60, default="[redacted]")
    reason = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="redaction_span")
        ]

    def __str__(self):
        return f"{self.evidence_id}: {self.start}-{self.end} ({self.reason})"


class PrivateStorage(FileSystemStorage):
    """Evidence packs hold personal data: kept outside MEDIA_ROOT, served only by a view.

    The folder is read from settings on every use, so a deployment (or a test) can move it.
    """

    @property
    def base_location(self):
        return str(settings.PARLEY_PRIVATE_ROOT / "exports")

    @property
    def location(self):
        import os

        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def export_storage():
    return PrivateStorage()


class EvidenceExport(models.Model):
    """An evidence pack built in the background, downloadable by whoever asked for it."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV spreadsheet"
        XLSX = "xlsx", "Excel spreadsheet"
        PDF = "pdf", "PDF for committee papers"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "Being built"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    inquiry = models.ForeignKey(InquiryPage, on_delete=models.CASCADE, related_name="exports")
    format = models.CharField(max_length=4, choices=Format.choices)
    filters = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(storage=export_storage, upload_to="%Y/%m", blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_format_display()} for {self.inquiry_id} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def filename(self) -> str:
        return f"evidence-{self.inquiry.slug}-{self.created_at:%Y%m%d-%H%M}.{self.format}"
