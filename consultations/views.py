"""Public views for consultations and meetings.

They are reached through the pages' routes (see models.py), so every URL sits under its page
and Wagtail's privacy and publishing rules apply. Each view is thin: forms validate, services
act, selectors read.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import submissions
from portal.ratelimit import rate_limit
from portal.text import render_plain_text
from questions import selectors as question_selectors

from . import ical, permissions, selectors, services
from .forms import ConsultationFilterForm, LiveUpdateForm, ResponseForm
from .models import ConsultationResponse, Phase

SESSION_KEY = "consultation_responses"
INDEX_PAGE_SIZE = 10
UPDATES_SHOWN = 50


# Consultation index


def index_context(request, index) -> dict:
    topics = selectors.topic_tags(index=index)
    form = ConsultationFilterForm(request.GET or None, topics=topics)
    filters = form.cleaned_data if form.is_valid() else {}
    results = selectors.consultations(
        index=index,
        phases=filters.get("phase") or [],
        tag=filters.get("topic") or "",
        text=filters.get("q") or "",
    )
    paginator = Paginator(results, INDEX_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    selected_phases = dict(selectors.PHASE_FILTERS)
    active = [
        {"label": selected_phases[p], "param": "phase", "value": p}
        for p in filters.get("phase") or []
    ]
    if filters.get("topic"):
        name = next((t["name"] for t in topics if t["slug"] == filters["topic"]), filters["topic"])
        active.append({"label": name, "param": "topic", "value": filters["topic"]})
    if filters.get("q"):
        active.append({"label": f"“{filters['q']}”", "param": "q", "value": filters["q"]})
    for item in active:
        query = request.GET.copy()
        values = [v for v in query.getlist(item["param"]) if v != item["value"]]
        query.setlist(item["param"], values)
        query.pop("page", None)
        item["remove_url"] = "?" + query.urlencode()
    return {
        "filter_form": form,
        "page_obj": page_obj,
        "consultations": page_obj.object_list,
        "result_count": paginator.count,
        "active_filters": active,
    }


# Consultation page


# The consultation page lists this many of its questions, newest first.
LINKED_QUESTIONS = 20


def consultation_context(request, page) -> dict:
    user = request.user
    phase = page.phase
    outcome_at = selectors.outcome_published_at(page) if phase == Phase.DECIDED else None
    decision = selectors.concluding_decision(page) if phase == Phase.DECIDED else None
    meeting = decision.page if decision else page.decision_meeting
    if meeting is not None and not meeting.live:
        meeting = None
    return {
        "phase": phase,
        "timeline": selectors.timeline(page, outcome_at=outcome_at),
        "response_count": selectors.response_count(page),
        "is_following": selectors.is_following(user, page),
        "can_follow": permissions.can_follow(user, page),
        "can_respond": permissions.can_respond(user, page),
        "concluding_decision": decision,
        "decision_meeting": meeting,
        "documents": list(page.related_documents.select_related("document")),
        "question_count": len(page.questions),
        "outcome_published_at": outcome_at,
        "linked_questions": question_selectors.questions_about(page, limit=LINKED_QUESTIONS),
        "ask_question_url": question_selectors.ask_url(about_page=page),
    }


@require_http_methods(["GET", "POST"])
@rate_limit("consultation-respond", per_user="10/3600", per_ip="30/3600")
def respond(request, page):
    """The response form; open only while the consultation is."""
    request.parley_section = "consultations"
    if not permissions.can_respond(request.user, page):
        return TemplateResponse(
            request,
            "consultations/respond_closed.html",
            {"page": page, "phase": page.phase},
            status=200 if request.method == "GET" else 403,
        )
    form = ResponseForm(
        request.POST if request.method == "POST" else None, page=page, user=request.user
    )
    if request.method == "POST":
        if form.is_valid():

            def store() -> str:
                response = services.response_submit(
                    page=page,
                    answers=form.answers(),
                    consent_publish=form.cleaned_data["consent_publish"] == "yes",
                    consent_contact=form.cleaned_data["consent_contact"] == "yes",
                    name=form.cleaned_data.get("name") or "",
                    email=form.cleaned_data.get("email") or "",
                    by=request.user,
                )
                return response.reference

            try:
                # a response sent twice (double click, resend) is stored once
                outcome = submissions.run_once(
                    key=submissions.submission_key(request, form, f"respond:{page.pk}"),
                    action=store,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                reference = outcome.result
                refs = request.session.get(SESSION_KEY, [])
                if reference not in refs:
                    request.session[SESSION_KEY] = [*refs[-19:], reference]
                return redirect(page.url + page.reverse_subpage("received", [reference]))
        form.refresh_timestamp()
    return TemplateResponse(
        request,
        "consultations/respond.html",
        {"page": page, "form": form, "question_fields": form.question_fields()},
    )


def _own_response(request, page, reference) -> ConsultationResponse:
    response = (
        ConsultationResponse.objects.filter(page=page, reference=reference)
        .select_related("user")
        .first()
    )
    if response is None:
        raise Http404("No such response")
    in_session = reference in request.session.get(SESSION_KEY, [])
    if not (in_session or permissions.can_view_response(request.user, response)):
        # a 404, not a 403: a reference is not something to confirm exists
        raise Http404("No such response")
    return response


@require_GET
def received(request, page, reference):
    """The on-screen receipt, shown to the browser that sent the response."""
    response = _own_response(request, page, reference)
    return TemplateResponse(
        request,
        "consultations/received.html",
        {
            "page": page,
            "response": response,
            "answers": response.ordered_answers(),
            "is_following": selectors.is_following(request.user, page),
        },
    )


@require_GET
def response_detail(request, page, reference):
    """A response as its author sees it (from 'My contributions')."""
    response = _own_response(request, page, reference)
    return TemplateResponse(
        request,
        "consultations/response_detail.html",
        {"page": page, "response": response, "answers": response.ordered_answers()},
    )


@require_POST
@rate_limit("consultation-follow", per_user="60/3600")
def follow(request, page):
    if not request.user.is_authenticated:
        return redirect_to_login(page.url)
    if request.POST.get("action") == "unfollow":
        services.consultation_unfollow(page=page, by=request.user)
        messages.success(request, "You have stopped following this consultation.")
    else:
        try:
            services.consultation_follow(page=page, by=request.user)
        except PermissionDenied:
            messages.info(request, "The outcome of this consultation is already published.")
        else:
            messages.success(
                request,
                "You are following this consultation. We will email you when it opens, "
                "before it closes and when we publish the outcome.",
            )
    return redirect(page.url)


@require_GET
def consultation_calendar(request, page):
    closes = page.closes_at
    event = ical.Event(
        uid=f"consultation-{page.pk}-closes@{request.get_host()}",
        start=closes - timedelta(hours=1),
        end=closes,
        summary=f"Consultation closes: {page.title}",
        description=f"{page.summary}\n\nRespond before it closes: {page.full_url or ''}",
        url=page.full_url or "",
        alarm_before=timedelta(days=1),
    )
    return _calendar_response(ical.calendar([event], name=page.title), f"{page.slug}-closes.ics")


def _calendar_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Meetings


def meeting_index_context(request, index) -> dict:
    past = Paginator(selectors.meetings(index=index, upcoming=False), 20)
    return {
        "upcoming_meetings": list(selectors.meetings(index=index, upcoming=True)[:20]),
        "past_page": past.get_page(request.GET.get("page")),
    }


def meeting_context(request, page, form=None) -> dict:
    can_post = permissions.can_post_live_update(request.user, page)
    updates = selectors.live_updates(page, limit=UPDATES_SHOWN)
    return {
        "updates": updates,
        "update_count": selectors.live_update_count(page),
        "updates_shown": UPDATES_SHOWN,
        "can_post_update": can_post,
        "update_form": form or (LiveUpdateForm() if can_post else None),
        "decisions": list(page.decisions.select_related("consultation")),
        "papers": list(page.papers.select_related("document")),
        "poll": page.is_live,
        "poll_seconds": getattr(settings, "PARLEY_LIVE_POLL_SECONDS", 15),
        "latest_update_id": updates[0].pk if updates else 0,
    }


@require_POST
@rate_limit("live-update", per_user="120/3600")
def post_live_update(request, page):
    """Officers post a live update from the meeting page; residents are refused."""
    if not request.user.is_authenticated:
        return redirect_to_login(page.url)
    if not permissions.can_post_live_update(request.user, page):
        raise PermissionDenied("Only officers can post live updates.")
    form = LiveUpdateForm(request.POST)
    if form.is_valid():

        def store() -> str:
            update = services.live_update_post(
                meeting=page, text=form.cleaned_data["text"], by=request.user
            )
            return f"{page.url}#{update.anchor}"

        try:
            outcome = submissions.run_once(
                key=submissions.submission_key(request, form, f"live-update:{page.pk}"),
                action=store,
            )
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            if outcome.first:
                messages.success(request, "Your update is live on the meeting page.")
            else:
                messages.info(request, submissions.ALREADY_RECEIVED)
            return redirect(page.url + "#live-updates")
    form.refresh_timestamp()
    return page.render(request, context_overrides={"update_form": form})


@require_GET
def live_updates_json(request, page):
    """Updates newer than ?after=<id>, newest first, for the page's polling script."""
    try:
        after = int(request.GET.get("after") or 0)
    except ValueError:
        after = 0
    updates = selectors.live_updates(page, after_id=after, limit=UPDATES_SHOWN)
    data = {
        "updates": [
            {
                "id": u.pk,
                "html": str(render_plain_text(u.text)),
                "posted_at": u.posted_at.isoformat(),
                "time": timezone.localtime(u.posted_at).strftime("%H:%M"),
                "anchor": u.anchor,
            }
            for u in updates
        ],
        "live": page.is_live,
    }
    response = JsonResponse(data)
    response["Cache-Control"] = "no-cache, max-age=0"
    return response


@require_GET
def meeting_calendar(request, page):
    location = ", ".join(
        part for part in [page.venue, " ".join(page.venue_address.split())] if part
    )
    event = ical.Event(
        uid=f"meeting-{page.pk}@{request.get_host()}",
        start=page.starts_at,
        end=page.finishes_at,
        summary=f"{page.committee}: {page.title}"
        if page.committee not in page.title
        else page.title,
        description="\n".join(
            p for p in [page.summary, page.webcast_url and f"Webcast: {page.webcast_url}"] if p
        ),
        location=location,
        url=page.full_url or "",
    )
    return _calendar_response(ical.calendar([event], name=page.title), f"{page.slug}.ics")
