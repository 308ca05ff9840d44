"""Admin wiring, periodic jobs and the sections this app adds to other pages."""

from datetime import timedelta

from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView as SnippetCreateView
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.scheduling import PeriodicJob

from . import admin_urls, permissions, selectors, services, tasks
from .models import (
    ConsultationFollow,
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationResponse,
    LiveUpdate,
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("consultations/", include(admin_urls, namespace="consultations_admin"))]


class ResponsesMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_view_responses(request.user)


@hooks.register("register_admin_menu_item")
def register_responses_menu_item():
    return ResponsesMenuItem(
        "Consultation responses",
        reverse("consultations_admin:index"),
        icon_name="form",
        order=250,
    )


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/consultations-admin.css"))


def _response_buttons(page, user, priority):
    page_class = page.specific_class or type(page)
    if issubclass(page_class, ConsultationPage) and permissions.can_view_responses(user):
        yield Button(
            "Responses",
            reverse("consultations_admin:responses", args=[page.pk]),
            icon_name="form",
            priority=priority,
        )
        yield Button(
            "Results",
            reverse("consultations_admin:results", args=[page.pk]),
            icon_name="table",
            priority=priority + 1,
        )


@hooks.register("register_page_header_buttons")
def page_header_buttons(page, user, view_name=None, next_url=None):
    yield from _response_buttons(page, user, 80)


@hooks.register("register_page_listing_more_buttons")
def page_listing_more_buttons(page, user, next_url=None):
    yield from _response_buttons(page, user, 80)


class LiveUpdateCreateView(SnippetCreateView):
    def save_instance(self):
        # through the service, so an update added here is posted (and signalled) like any other
        update = services.live_update_post(
            meeting=self.form.cleaned_data["meeting"],
            text=self.form.cleaned_data["text"],
            by=self.request.user,
        )
        self.form.instance = update
        return update


class LiveUpdateViewSet(SnippetViewSet):
    model = LiveUpdate
    add_view_class = LiveUpdateCreateView
    icon = "time"
    menu_label = "Live updates"
    add_to_admin_menu = False
    list_display = ["text", "meeting", "posted_by", "posted_at"]
    list_filter = ["meeting"]
    ordering = ["-posted_at"]
    panels = [FieldPanel("meeting"), FieldPanel("text")]


register_snippet(LiveUpdateViewSet)


@hooks.register("parley_periodic_jobs")
def consultation_jobs():
    return [
        PeriodicJob(
            "consultations.announce_milestones",
            timedelta(minutes=10),
            tasks.announce_due_milestones,
        ),
        PeriodicJob(
            "consultations.retry_receipts", timedelta(minutes=15), tasks.retry_unsent_receipts
        ),
        PeriodicJob(
            "consultations.publish_scheduled_pages",
            timedelta(minutes=1),
            tasks.publish_scheduled_pages,
        ),
    ]


@hooks.register("parley_home_sections")
def home_section(request, page):
    index = ConsultationIndexPage.objects.live().only("id", "url_path", "path", "depth").first()
    return {
        "order": 20,
        "template": "consultations/home_section.html",
        "context": {
            "consultations": selectors.open_consultations(limit=5),
            "index_url": index.get_url(request) if index else "",
        },
    }


@hooks.register("parley_contribution_sections")
def contribution_section(request, user):
    responses = selectors.responses_for_user(user)
    if not responses:
        return None
    return {
        "order": 30,
        "title": "Your consultation responses",
        "template": "consultations/contributions_section.html",
        "context": {"responses": responses},
    }


@hooks.register("parley_personal_data")
def personal_data(user):
    responses = [
        {
            "consultation": r.page.title,
            "reference": r.reference,
            "submitted_at": r.submitted_at.isoformat(),
            "name": r.name,
            "email": r.email,
            "may_publish_or_quote": r.consent_publish,
            "may_contact": r.consent_contact,
            "answers": r.as_text(),
        }
        for r in ConsultationResponse.objects.filter(user=user).select_related("page")
    ]
    follows = [
        {"consultation": f.page.title, "since": f.created_at.isoformat()}
        for f in ConsultationFollow.objects.filter(user=user).select_related("page")
    ]
    updates = [
        {"meeting": u.meeting.title, "posted_at": u.posted_at.isoformat(), "text": u.text}
        for u in LiveUpdate.objects.filter(posted_by=user).select_related("meeting")
    ]
    return [
        ("consultation_responses", responses),
        ("consultations_followed", follows),
        ("meeting_live_updates", updates),
    ]


@hooks.register("parley_erase_personal_data")
def erase_personal_data(user, by):
    # the answers stay (they were given to a public consultation); who gave them does not
    ConsultationResponse.objects.filter(user=user).update(name="", email="")
    ConsultationFollow.objects.filter(user=user).delete()
