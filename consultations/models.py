"""Consultations (one page per public decision), their responses, and the meetings that decide.

Editorial content is Wagtail pages (edited through the moderation workflow); what residents
send (responses, follows) and what officers post during meetings (live updates) are ordinary
models. A consultation's phase is never stored: it is worked out from its dates and whether
its outcome has been written, so it can never disagree with them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.blocks import BaseStreamBlock

from .blocks import (
    AgendaStreamBlock,
    ConsultationStreamBlock,
    ResponseQuestionsBlock,
    question_choices,
)

OUTCOME_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link", "document-link"]

# How long before the closing date followers are reminded.
CLOSING_SOON = timedelta(days=3)


class Phase(models.TextChoices):
    UPCOMING = "upcoming", "Upcoming"
    OPEN = "open", "Open"
    CLOSED = "closed", "Under review"
    DECIDED = "decided", "Decision published"


PHASE_TAG_COLOURS = {
    Phase.UPCOMING: "blue",
    Phase.OPEN: "green",
    Phase.CLOSED: "grey",
    Phase.DECIDED: "purple",
}


def phase_at(*, opens_at, closes_at, has_outcome: bool, now: datetime) -> Phase:
    """The phase for these dates at `now`: opening and closing instants are inclusive/exclusive."""
    if opens_at is None or now < opens_at:
        return Phase.UPCOMING
    if closes_at is None or now < closes_at:
        return Phase.OPEN
    return Phase.DECIDED if has_outcome else Phase.CLOSED


def phase_q(phase: str, now: datetime) -> Q:
    """The same rule as `phase_at`, as a filter over ConsultationPage rows."""
    has_outcome = ~Q(decision="")
    if phase == Phase.UPCOMING:
        return Q(opens_at__gt=now)
    if phase == Phase.OPEN:
        return Q(opens_at__lte=now, closes_at__gt=now)
    if phase == Phase.CLOSED:
        return Q(closes_at__lte=now) & ~has_outcome
    if phase == Phase.DECIDED:
        return Q(closes_at__lte=now) & has_outcome
    raise ValueError(f"Unknown phase {phase!r}")


class ConsultationIndexPage(Page):
    """Lists consultations with filters (phase, topic, words); works without JavaScript."""

    intro = models.CharField(
        max_length=300,
        default="Tell us what you think about our plans before we make a decision, and see "
        "what we decided after earlier consultations.",
    )
    body = RichTextField(blank=True, features=["bold", "italic", "link", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["consultations.ConsultationPage"]

    class Meta:
        verbose_name = "consultation index page"

    def get_context(self, request, *args, **kwargs):
        from . import views

        context = super().get_context(request, *args, **kwargs)
        context.update(views.index_context(request, self))
        return context


class ConsultationTag(TaggedItemBase):
    content_object = ParentalKey(
        "consultations.ConsultationPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ConsultationPage(RoutablePageMixin, Page):
    """One public decision: what is proposed, the questions, and afterwards what happened."""

    summary = models.CharField(
        max_length=300, help_text="One or two sentences shown in lists and search results."
    )
    decision_to_make = models.TextField(
        "decision to be made",
        max_length=600,
        help_text="The decision this consultation informs, in plain words.",
    )
    decision_maker = models.CharField(
        max_length=150,
        help_text="The person or committee who decides, e.g. 'Cabinet' or 'Cabinet Member for "
        "Communities'.",
    )
    decision_date = models.DateField(
        null=True, blank=True, help_text="When the decision is expected (or was taken)."
    )
    opens_at = models.DateTimeField("opens")
    closes_at = models.DateTimeField("closes")
    body = StreamField(ConsultationStreamBlock(), blank=True)
    questions = StreamField(
        ResponseQuestionsBlock(),
        blank=True,
        help_text="The response form. Every form also asks for consent to publish and to contact.",
    )
    tags = ClusterTaggableManager(through=ConsultationTag, blank=True, verbose_name="topics")

    contact_team = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    contact_address = models.TextField(
        blank=True, help_text="Postal address for paper responses (one line per line)."
    )

    we_asked = RichTextField("we asked", blank=True, features=OUTCOME_FEATURES)
    you_said = RichTextField("you said", blank=True, features=OUTCOME_FEATURES)
    we_did = RichTextField("we did", blank=True, features=OUTCOME_FEATURES)
    decision = models.TextField(
        "the decision",
        blank=True,
        help_text="The decision taken, in a sentence or two. Filling this in publishes the "
        "outcome once the page is published.",
    )
    decision_meeting = models.ForeignKey(
        "consultations.MeetingPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The meeting where the decision was taken, if it was taken at one.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("decision_to_make"),
                FieldPanel("decision_maker"),
                FieldPanel("decision_date"),
            ],
            heading="The decision",
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")])],
            heading="Dates",
            help_text="The phase (upcoming, open, closed, decision published) follows from these "
            "dates and the outcome.",
        ),
        FieldPanel("body"),
        InlinePanel("related_documents", label="Related documents", heading="Documents"),
        FieldPanel("tags"),
        MultiFieldPanel(
            [
                FieldPanel("contact_team"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_address"),
            ],
            heading="Contact details",
        ),
    ]
    question_panels = [
        HelpPanel(
            "Add the questions people answer. Consent to publish and to contact, name and "
            "email are asked on every form automatically."
        ),
        FieldPanel("questions"),
    ]
    outcome_panels = [
        HelpPanel(
            "After the consultation closes, tell people what happened: 'We asked, you said, "
            "we did'. The outcome appears once the decision is filled in and the page is "
            "published; followers are emailed."
        ),
        FieldPanel("we_asked"),
        FieldPanel("you_said"),
        FieldPanel("we_did"),
        FieldPanel("decision"),
        FieldPanel("decision_meeting"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(question_panels, heading="Response form"),
            ObjectList(outcome_panels, heading="Outcome"),
            ObjectList(Page.promote_panels, heading="Promote"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("decision_to_make"),
        index.SearchField("decision_maker"),
        index.SearchField("body"),
        index.SearchField("we_asked"),
        index.SearchField("you_said"),
        index.SearchField("we_did"),
        index.SearchField("decision"),
        index.AutocompleteField("title"),
        index.RelatedFields("tags", [index.SearchField("name"), index.FilterField("slug")]),
        index.FilterField("tags"),
        index.FilterField("opens_at"),
        index.FilterField("closes_at"),
        index.FilterField("decision"),
    ]

    parent_page_types = ["consultations.ConsultationIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "consultation"

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "The closing date must be after the opening date."})
        self.decision = (self.decision or "").strip()
        if self.decision:
            if self.closes_at and self.closes_at > timezone.now():
                raise ValidationError(
                    {"decision": "Publish the decision after the consultation has closed."}
                )
            missing = [
                name for name in ("we_asked", "you_said", "we_did") if not _has_text(self, name)
            ]
            if missing:
                raise ValidationError(
                    dict.fromkeys(
                        missing, "Fill in 'We asked', 'You said' and 'We did' with the decision."
                    )
                )

    # Phase and dates

    @property
    def has_outcome(self) -> bool:
        return bool((self.decision or "").strip())

    def phase_at(self, now: datetime) -> Phase:
        return phase_at(
            opens_at=self.opens_at,
            closes_at=self.closes_at,
            has_outcome=self.has_outcome,
            now=now,
        )

    @cached_property
    def phase(self) -> Phase:
        return self.phase_at(timezone.now())

    @property
    def phase_colour(self) -> str:
        return PHASE_TAG_COLOURS[self.phase]

    @property
    def is_open(self) -> bool:
        return self.phase == Phase.OPEN

    @property
    def closing_soon(self) -> bool:
        return self.is_open and self.closes_at - timezone.now() <= CLOSING_SOON

    # Questions

    def question_blocks(self) -> list:
        """The response questions, numbered, with the answers each choice question offers."""
        out = []
        for number, block in enumerate(self.questions, start=1):
            out.append(
                {
                    "id": block.id,
                    "number": number,
                    "kind": block.block_type,
                    "kind_label": block.block.kind_label,
                    "question": str(block.value["question"]),
                    "hint": str(block.value.get("hint") or ""),
                    "required": bool(block.value.get("required")),
                    "max_length": block.value.get("max_length"),
                    "choices": question_choices(block.block_type, block.value),
                }
            )
        return out

    # Routes (the views live in views.py; these only connect the URLs under the page)

    def get_context(self, request, *args, **kwargs):
        from . import views

        context = super().get_context(request, *args, **kwargs)
        context.update(views.consultation_context(request, self))
        return context

    @path("respond/")
    def respond(self, request):
        from . import views

        return views.respond(request, self)

    @path("respond/received/<str:reference>/")
    def received(self, request, reference):
        from . import views

        return views.received(request, self, reference)

    @path("responses/<str:reference>/")
    def response_detail(self, request, reference):
        from . import views

        return views.response_detail(request, self, reference)

    @path("follow/")
    def follow(self, request):
        from . import views

        return views.follow(request, self)

    @path("calendar/")
    def calendar(self, request):
        from . import views

        return views.consultation_calendar(request, self)


def _has_text(page, field_name: str) -> bool:
    from portal.text import strip_html

    return bool(strip_html(getattr(page, field_name) or ""))


class ConsultationDocument(Orderable):
    page = ParentalKey(ConsultationPage, on_delete=models.CASCADE, related_name="related_documents")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(
        max_length=200, blank=True, help_text="Defaults to the document's own title."
    )
    description = models.CharField(max_length=300, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title"), FieldPanel("description")]

    @property
    def display_title(self) -> str:
        return self.title or self.document.title


class MeetingIndexPage(Page):
    """Meetings where decisions are taken: upcoming first, then the most recent."""

    intro = models.CharField(
        max_length=300,
        default="Council meetings are held in public. Read the agenda and papers, watch the "
        "webcast, follow live updates and see what was decided.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["consultations.MeetingPage"]

    class Meta:
        verbose_name = "meeting index page"

    def get_context(self, request, *args, **kwargs):
        from . import views

        context = super().get_context(request, *args, **kwargs)
        context.update(views.meeting_index_context(request, self))
        return context


class MeetingPage(RoutablePageMixin, Page):
    """A meeting of a committee: agenda, papers, decisions taken, and live updates."""

    committee = models.CharField(max_length=150, help_text="For example 'Cabinet'.")
    starts_at = models.DateTimeField("starts")
    ends_at = models.DateTimeField("ends", null=True, blank=True)
    venue = models.CharField(max_length=200, help_text="For example 'Council Chamber, Town Hall'.")
    venue_address = models.TextField(blank=True)
    summary = models.CharField(max_length=300, blank=True)
    agenda = StreamField(AgendaStreamBlock(), blank=True)
    body = StreamField(
        BaseStreamBlock(), blank=True, help_text="How to attend, ask to speak, or watch."
    )
    webcast_url = models.URLField("webcast link", blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("committee"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("venue"),
        FieldPanel("venue_address"),
        FieldPanel("summary"),
        FieldPanel("webcast_url"),
        FieldPanel("agenda"),
        InlinePanel("papers", label="Paper", heading="Papers"),
        InlinePanel("decisions", label="Decision", heading="Decisions taken"),
        FieldPanel("body"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("committee"),
        index.SearchField("summary"),
        index.SearchField("venue"),
        index.SearchField("agenda"),
        index.RelatedFields("decisions", [index.SearchField("title"), index.SearchField("text")]),
        index.AutocompleteField("title"),
        index.FilterField("starts_at"),
    ]

    parent_page_types = ["consultations.MeetingIndexPage"]
    subpage_types: list[str] = []

    # Live updates are polled from this long before the start until this long after the end.
    LIVE_BEFORE = timedelta(hours=1)
    LIVE_AFTER = timedelta(hours=2)
    DEFAULT_LENGTH = timedelta(hours=3)

    class Meta:
        verbose_name = "meeting"

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The end must be after the start."})

    @property
    def finishes_at(self) -> datetime:
        return self.ends_at or self.starts_at + self.DEFAULT_LENGTH

    def is_live_at(self, now: datetime) -> bool:
        return self.starts_at - self.LIVE_BEFORE <= now <= self.finishes_at + self.LIVE_AFTER

    @property
    def is_live(self) -> bool:
        return self.is_live_at(timezone.now())

    @property
    def is_past(self) -> bool:
        return timezone.now() > self.finishes_at

    def get_context(self, request, *args, **kwargs):
        from . import views

        context = super().get_context(request, *args, **kwargs)
        context.update(views.meeting_context(request, self))
        return context

    @path("updates/")
    def post_update(self, request):
        from . import views

        return views.post_live_update(request, self)

    @path("updates/latest/")
    def latest_updates(self, request):
        from . import views

        return views.live_updates_json(request, self)

    @path("calendar/")
    def calendar(self, request):
        from . import views

        return views.meeting_calendar(request, self)


class MeetingPaper(Orderable):
    page = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="papers")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(
        max_length=200, blank=True, help_text="Defaults to the document's own title."
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    @property
    def display_title(self) -> str:
        return self.title or self.document.title


class MeetingDecision(Orderable):
    """A decision taken at a meeting; a consultation links to it as the decision it led to."""

    page = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="decisions")
    title = models.CharField(max_length=200)
    text = models.TextField("decision", help_text="What was decided, as recorded in the minutes.")
    consultation = models.ForeignKey(
        ConsultationPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_decisions",
        help_text="The consultation this decision concludes, if any.",
    )

    panels = [FieldPanel("title"), FieldPanel("text"), FieldPanel("consultation")]

    def __str__(self):
        return self.title

    @property
    def anchor(self) -> str:
        return f"decision-{self.pk}"

    def get_absolute_url(self) -> str:
        return f"{self.page.url}#{self.anchor}"


class ConsultationResponse(models.Model):
    """One person's response to a consultation, stored the moment it is sent.

    `answers` maps each question block's id to {"question", "kind", "position", "answer"}: the
    question's wording is copied in so the response still reads correctly if the form changes.
    """

    page = models.ForeignKey(ConsultationPage, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultation_responses",
    )
    reference = models.CharField(max_length=40, unique=True, null=True, blank=True)
    answers = models.JSONField(default=dict)
    consent_publish = models.BooleanField("may be published or quoted as evidence")
    consent_contact = models.BooleanField("may be contacted about it")
    name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True)
    receipt_attempts = models.PositiveSmallIntegerField(default=0)
    receipt_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["page", "-submitted_at"])]
        permissions = [("export_consultationresponse", "Can export consultation responses")]

    def __str__(self):
        return self.reference or f"Response {self.pk}"

    def get_absolute_url(self) -> str:
        """The response as its author (or an officer) sees it; others get a 404."""
        return f"{self.page.url}responses/{self.reference}/"

    def get_admin_url(self) -> str:
        from django.urls import reverse

        return reverse("consultations_admin:response", args=[self.pk])

    @property
    def respondent_name(self) -> str:
        if self.name:
            return self.name
        if self.user_id and self.user:
            return self.user.public_name
        return "Anonymous"

    def ordered_answers(self) -> list[dict]:
        """The answers in the order the questions were asked."""
        rows = [{"id": key, **value} for key, value in (self.answers or {}).items()]
        rows.sort(key=lambda row: row.get("position", 0))
        for row in rows:
            answer = row.get("answer")
            row["answer_text"] = "; ".join(answer) if isinstance(answer, list) else answer or ""
        return rows

    def as_text(self) -> str:
        """The answers as plain text (for evidence snapshots and emails)."""
        parts = [f"{row['question']}\n{row['answer_text']}" for row in self.ordered_answers()]
        return "\n\n".join(parts)


class ConsultationFollow(models.Model):
    """A signed-in person who wants emails when a consultation opens, closes soon and decides."""

    page = models.ForeignKey(ConsultationPage, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultation_follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "user"], name="one_follow_per_consultation")
        ]

    def __str__(self):
        return f"{self.user} follows {self.page}"


class ConsultationMilestone(models.Model):
    """A phase change that has been announced; the unique row is what makes each email once."""

    class Kind(models.TextChoices):
        OPENED = "opened", "Opened"
        CLOSING_SOON = "closing_soon", "Closing soon"
        OUTCOME_PUBLISHED = "outcome_published", "Outcome published"

    page = models.ForeignKey(ConsultationPage, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    happened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "kind"], name="one_milestone_per_kind")
        ]

    def __str__(self):
        return f"{self.page}: {self.get_kind_display()}"


class LiveUpdate(models.Model):
    """A short timestamped update an officer posts during a meeting."""

    MAX_LENGTH = 500

    meeting = models.ForeignKey(MeetingPage, on_delete=models.CASCADE, related_name="live_updates")
    text = models.TextField(max_length=MAX_LENGTH)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="live_updates",
    )
    posted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-posted_at", "-pk"]
        indexes = [models.Index(fields=["meeting", "-posted_at"])]

    def __str__(self):
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return f"{self.meeting.url}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"update-{self.pk}"
