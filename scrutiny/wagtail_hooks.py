"""Scrutiny's wiring into Wagtail and into the lower apps' pages (through their hooks)."""

from datetime import timedelta

from django.apps import apps
from django.urls import reverse
from django.utils.functional import classproperty
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.scheduling import PeriodicJob

from . import permissions, selectors, sources, tasks
from .forms import PromoteForm
from .models import EvidenceTheme, TriageStatus

# -- audit log actions ---------------------------------------------------------------------


def _status_label(value):
    try:
        return TriageStatus(value).label
    except ValueError:
        return value or "?"


@hooks.register("register_log_actions")
def register_evidence_log_actions(actions):
    actions.register_action(
        "scrutiny.evidence.promote", "Captured as evidence", "Captured as evidence"
    )
    actions.register_action(
        "scrutiny.evidence.submit", "Evidence submitted", "Submitted through the call for evidence"
    )
    actions.register_action(
        "scrutiny.evidence.oral", "Oral evidence recorded", "Oral evidence recorded"
    )
    actions.register_action(
        "scrutiny.evidence.note", "Officer's note changed", "Officer's note changed"
    )
    actions.register_action(
        "scrutiny.evidence.public", "Published", "Published on the inquiry page"
    )
    actions.register_action("scrutiny.evidence.private", "Unpublished", "No longer published")
    actions.register_action(
        "scrutiny.evidence.author_erased",
        "Author's identity redacted",
        "Author's identity redacted at their request (right to erasure)",
    )

    @actions.register_action("scrutiny.evidence.status")
    class StatusChanged(LogFormatter):
        label = "Triage status changed"

        def format_message(self, log_entry):
            d = log_entry.data
            old, new = _status_label(d.get("from")), _status_label(d.get("to"))
            return f"Status changed from {old} to {new}"

    @actions.register_action("scrutiny.evidence.duplicate")
    class MarkedDuplicate(LogFormatter):
        label = "Marked as duplicate"

        def format_message(self, log_entry):
            return f"Marked as a duplicate of {log_entry.data.get('of', '?')}"

    @actions.register_action("scrutiny.evidence.themes")
    class ThemesChanged(LogFormatter):
        label = "Themes changed"

        def format_message(self, log_entry):
            d = log_entry.data
            parts = []
            if d.get("added"):
                parts.append("added " + ", ".join(d["added"]))
            if d.get("removed"):
                parts.append("removed " + ", ".join(d["removed"]))
            return "Themes: " + "; ".join(parts)

    @actions.register_action("scrutiny.evidence.link")
    class Linked(LogFormatter):
        label = "Linked to an inquiry"

        def format_message(self, log_entry):
            return f"Linked to inquiry '{log_entry.data.get('title', '?')}'"

    @actions.register_action("scrutiny.evidence.unlink")
    class Unlinked(LogFormatter):
        label = "Removed from an inquiry"

        def format_message(self, log_entry):
            return f"Removed from inquiry '{log_entry.data.get('title', '?')}'"

    @actions.register_action("scrutiny.evidence.redact")
    class Redacted(LogFormatter):
        label = "Redacted"

        def format_message(self, log_entry):
            d = log_entry.data
            n = len(d.get("spans", []))
            return f"Redacted {n} {'place' if n == 1 else 'places'}: {d.get('reason', '')}"

    @actions.register_action("scrutiny.evidence.unredact")
    class Unredacted(LogFormatter):
        label = "Redaction removed"

        def format_message(self, log_entry):
            return f"Redaction removed: {log_entry.data.get('reason', '')}"

    @actions.register_action("scrutiny.evidence.source")
    class SourceChanged(LogFormatter):
        label = "Source changed"

        def format_message(self, log_entry):
            to = log_entry.data.get("to")
            return {
                "edited": "The source was edited after it was captured",
                "removed": "The source was removed after it was captured",
                "unchanged": "The source matches the captured text again",
            }.get(to, "Source checked")


# -- admin -----------------------------------------------------------------------------------


class EvidenceThemeViewSet(SnippetViewSet):
    model = EvidenceTheme
    icon = "tag"
    menu_label = "Evidence themes"
    menu_name = "evidence-themes"
    add_to_admin_menu = False
    list_display = ["name", "slug"]
    search_fields = ["name"]


register_snippet(EvidenceThemeViewSet)


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, check, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check

    def is_shown(self, request):
        return self.check(request.user)


@hooks.register("register_admin_menu_item")
def evidence_menu_item():
    return PermissionMenuItem(
        "Evidence triage",
        reverse("scrutiny:triage"),
        icon_name="clipboard-list",
        order=260,
        check=permissions.can_triage,
    )


# -- hooks the lower apps call ---------------------------------------------------------------


@hooks.register("parley_item_actions")
def promote_actions(request, items):
    """The "Promote to evidence" link (or the existing reference) beside each promotable item."""
    if not permissions.can_promote(getattr(request, "user", None)):
        return {}
    promotable = [i for i in items if sources.adapter_for(i) is not None]
    if not promotable:
        return {}
    existing = selectors.evidence_for_objects(promotable)
    next_url = request.get_full_path()
    out = {}
    for item in promotable:
        evidence = existing.get(item)
        if evidence is not None:
            out[item] = [
                {"label": f"Evidence {evidence.reference}", "url": evidence.get_absolute_url()}
            ]
        else:
            url = (
                reverse("scrutiny:promote")
                + f"?source={sources.token_for(item)}&next={_quote(next_url)}"
            )
            out[item] = [{"label": "Promote to evidence", "url": url}]
    return out


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="/")


@hooks.register("parley_item_badges")
def evidence_badges(request, items):
    """The "Used as evidence in ..." badge: for staff and the author always, others once public."""
    promotable = [i for i in items if sources.adapter_for(i) is not None]
    if not promotable:
        return {}
    user = getattr(request, "user", None)
    insider = permissions.can_see_unpublished_evidence(user)
    out = {}
    for item, evidence in selectors.evidence_for_objects(promotable).items():
        own = bool(user and user.is_authenticated and evidence.author_user_id == user.pk)
        public = evidence.is_public and evidence.consent == "public"
        if not (insider or own or public):
            continue
        if evidence.status == TriageStatus.NOT_RELEVANT and not insider:
            continue
        badges = []
        for link in evidence.links.all():
            badges.append(
                {
                    "text": f"Used as evidence in {link.inquiry.title}",
                    "colour": "purple",
                    "url": link.inquiry.get_url(request) or "",
                }
            )
        if not badges and insider:
            badges.append({"text": f"Evidence {evidence.reference}", "colour": "purple", "url": ""})
        out[item] = badges
    return out


@hooks.register("parley_bulk_actions")
def promote_bulk_action(request, model):
    if not permissions.can_promote(getattr(request, "user", None)):
        return []
    adapter = sources.adapter_for_model(model)
    if adapter is None:
        return []
    return [
        {
            "label": "Promote selected to evidence",
            "url": reverse("scrutiny:promote_bulk") + f"?model={adapter.model_label}",
        }
    ]


@hooks.register("parley_home_sections")
def live_inquiries_section(request, page):
    inquiries = selectors.live_inquiries()
    if not inquiries:
        return None
    return {
        "order": 40,
        "template": "scrutiny/includes/home_section.html",
        "context": {"inquiries": inquiries},
    }


@hooks.register("parley_contribution_sections")
def evidence_contributions(request, user):
    items = selectors.contributions_for(user)
    if not items:
        return None
    return {
        "order": 60,
        "title": "Used as evidence",
        "template": "scrutiny/includes/contributions_section.html",
        "context": {"items": items},
    }


@hooks.register("parley_account_links")
def scrutiny_account_links(request):
    links = []
    if permissions.can_triage(getattr(request, "user", None)):
        links.append(
            {
                "title": "Evidence triage",
                "url": reverse("scrutiny:triage"),
                "description": "Read, tag and triage evidence for inquiries.",
                "order": 50,
            }
        )
    return links


@hooks.register("parley_periodic_jobs")
def scrutiny_jobs():
    return [
        PeriodicJob(
            "scrutiny.announce_milestones", timedelta(minutes=15), tasks.announce_milestones
        ),
        PeriodicJob("scrutiny.refresh_sources", timedelta(hours=1), tasks.refresh_sources),
    ]


@hooks.register("parley_object_extras")
def inquiry_extras(request, obj, place):
    """On a consultation or meeting page: which inquiries it feeds into."""
    from consultations.models import ConsultationPage, MeetingPage

    if place != "page" or not isinstance(obj, ConsultationPage | MeetingPage):
        return None
    links = selectors.inquiries_linked_to(obj.pk)
    if not links:
        return None
    items = format_html_join("", '<li><a class="govuk-link" href="{}">{}</a></li>', links)
    return format_html(
        '<h2 class="govuk-heading-m">Scrutiny inquiries</h2>'
        '<p class="govuk-body">What people said here is evidence for:</p>'
        '<ul class="govuk-list">{}</ul>',
        items,
    )


@hooks.register("parley_personal_data")
def scrutiny_personal_data(user):
    from .models import Evidence, InquiryFollow

    evidence = [
        {
            "reference": e.reference,
            "source": e.source_label,
            "name_shown": e.author_name,
            "organisation": e.organisation,
            "contact_email": e.contact_email,
            "agreed_to_be_contacted": e.consent_contact,
            "consent": e.get_consent_display(),
            "said_at": e.said_at.isoformat(),
            "captured_at": e.captured_at.isoformat(),
            "text": e.display_text,
            "inquiries": "; ".join(link.inquiry.title for link in e.links.all()),
        }
        for e in Evidence.objects.filter(author_user=user).prefetch_related(
            selectors.links_prefetch(), "redactions"
        )
    ]
    follows = [
        {"inquiry": f.inquiry.title, "since": f.created_at.isoformat()}
        for f in InquiryFollow.objects.filter(user=user).select_related("inquiry")
    ]
    return [("evidence", evidence), ("inquiries_followed", follows)]


@hooks.register("parley_erase_personal_data")
def scrutiny_erase(user, by):
    from .services import evidence_erase_author

    evidence_erase_author(user=user, by=by)


@hooks.register("parley_retention_purges")
def scrutiny_purges(now):
    from .services import export_purge_expired

    return [("evidence packs older than a week", export_purge_expired(now=now))]


# -- "Promote to evidence" as a bulk action on the questions admin's listings ------------------


class PromoteToEvidenceBulkAction(SnippetBulkAction):
    """Tick questions, answers or comments in the admin and promote them in one go."""

    display_name = "Promote to evidence"
    action_type = "promote_to_evidence"
    aria_label = "Promote the selected items to evidence"
    template_name = "scrutiny/admin/confirm_bulk_promote.html"
    action_priority = 20
    form_class = PromoteForm

    @classproperty
    def models(cls):
        return [apps.get_model(label) for label in BULK_PROMOTE_MODELS]

    def check_perm(self, obj):
        return permissions.can_promote(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        adapter = sources.adapter_for_model(self.model)
        for entry in context["items"]:
            entry["description"] = adapter.describe(entry["item"])
        return context

    def get_execution_context(self):
        return {
            **super().get_execution_context(),
            "user": self.request.user,
            "inquiry": self.cleaned_form.cleaned_data["inquiry"],
        }

    @classmethod
    def execute_action(cls, objects, user=None, inquiry=None, **kwargs):
        from . import services

        results = services.evidence_promote_many(sources_=list(objects), inquiry=inquiry, by=user)
        created = sum(1 for r in results if r.created)
        return created, len(results) - created

    def get_success_message(self, num_parent_objects, num_child_objects):
        return (
            f"{num_parent_objects} new item{'s' if num_parent_objects != 1 else ''} of evidence; "
            f"{num_child_objects} {'were' if num_child_objects != 1 else 'was'} already evidence."
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except sources.PromotionRefused as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)


BULK_PROMOTE_MODELS = ("questions.Question", "questions.Answer", "questions.Comment")

hooks.register("register_bulk_action", PromoteToEvidenceBulkAction)
