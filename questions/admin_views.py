"""The moderators' queue in the Wagtail admin: approve, reject, merge, close, handle reports.

Every action goes through a service, which checks the moderator permission and writes a
Wagtail log entry (who and when); the queue and each item's page show that history.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from wagtail.models import ModelLogEntry

from portal import ratelimit

from . import selectors, services
from .forms import MergeForm, ReasonForm
from .models import Answer, Comment, Flag, Question
from .permissions import can

app_name = "questions_moderation"

MODERATION_RATE = {"per_user": "600/3600", "per_ip": "1200/3600"}


def _require_moderator(request) -> None:
    if not can(request.user, "moderate"):
        raise PermissionDenied


def _history(obj) -> list:
    return list(
        ModelLogEntry.objects.for_instance(obj).select_related("user").order_by("-timestamp")[:50]
    )


def _breadcrumbs(*items):
    crumbs = [
        {"url": reverse("wagtailadmin_home"), "label": "Dashboard"},
        {"url": reverse("questions_moderation:queue"), "label": "Moderation"},
    ]
    for url, label in items:
        crumbs.append({"url": url, "label": label})
    return crumbs


def queue(request):
    """What needs a moderator: questions awaiting moderation, then reported content."""
    _require_moderator(request)
    tab = request.GET.get("tab", "waiting")
    pending = list(selectors.moderation_queue()[:200])
    reported = selectors.reported_items()
    recent = list(
        ModelLogEntry.objects.filter(action__startswith="questions.")
        .select_related("user", "content_type")
        .order_by("-timestamp")[:30]
    )
    context = {
        "page_title": "Moderation",
        "header_icon": "warning",
        "breadcrumbs_items": _breadcrumbs(),
        "tab": tab,
        "pending": pending,
        "reported": reported,
        "recent": recent,
    }
    return TemplateResponse(request, "questions/admin/queue.html", context)


def _load(kind: str, pk: int):
    if kind == "question":
        return get_object_or_404(Question.objects.select_related("author", "merged_into"), pk=pk)
    if kind == "answer":
        return get_object_or_404(Answer.objects.select_related("author", "question"), pk=pk)
    if kind == "comment":
        return get_object_or_404(
            Comment.objects.select_related("author", "question", "answer"), pk=pk
        )
    raise Http404


def item(request, kind: str, pk: int, *, bound_forms: dict | None = None):
    """One question, answer or comment with its reports, history and the actions that apply."""
    _require_moderator(request)
    obj = _load(kind, pk)
    flags = Flag.objects.filter(**{kind: obj}).select_related("reporter", "handled_by")
    question = obj if kind == "question" else obj.question
    similar = []
    if kind == "question":
        similar = [q for q in selectors.similar_questions(obj.title, limit=6) if q.pk != obj.pk][:5]
    context = {
        "page_title": f"Moderate {kind}",
        "page_subtitle": question.title,
        "header_icon": "warning",
        "breadcrumbs_items": _breadcrumbs((request.path, f"{kind.capitalize()} {obj.pk}")),
        "kind": kind,
        "obj": obj,
        "question": question,
        "flags": list(flags),
        "open_flags": [f for f in flags if f.status == Flag.Status.OPEN],
        "history": _history(obj),
        "similar": similar,
        "reject_form": ReasonForm(prefix="reject"),
        "close_form": ReasonForm(prefix="close", required=False),
        "remove_form": ReasonForm(prefix="remove"),
        "merge_form": MergeForm(prefix="merge"),
    }
    context.update(bound_forms or {})
    return TemplateResponse(request, "questions/admin/item.html", context)


def question_item(request, pk: int):
    return item(request, "question", pk)


@require_POST
def act(request, kind: str, pk: int, action: str):
    """Apply one moderation action, then go back to the queue (or the item, on an error)."""
    _require_moderator(request)
    ratelimit.check(request, "moderate", **MODERATION_RATE)
    obj = _load(kind, pk)
    back = request.POST.get("next", "")
    # only back to a page of this site ("//elsewhere.example" is another site)
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("questions_moderation:queue")
    try:
        result = _apply(request, kind, obj, action)
    except services.InvalidState as exc:
        messages.error(request, str(exc))
        return redirect("questions_moderation:item", kind=kind, pk=pk)
    if isinstance(result, dict):
        # a form was invalid: show the item again with its errors
        return item(request, kind, pk, bound_forms=result)
    messages.success(request, result)
    return redirect(back)


def _apply(request, kind: str, obj, action: str) -> str | dict:
    """A success message, or {name: bound form} when the moderator's input was invalid."""
    by = request.user
    if kind == "question":
        if action == "approve":
            services.question_approve(question=obj, by=by)
            return f"Published “{obj.title}”. The person who asked will be told."
        if action == "reject":
            form = ReasonForm(request.POST, prefix="reject")
            if not form.is_valid():
                return {"reject_form": form}
            services.question_reject(question=obj, reason=form.cleaned_data["reason"], by=by)
            return f"Rejected “{obj.title}”. The person who asked will see your reason."
        if action == "close":
            form = ReasonForm(request.POST, prefix="close", required=False)
            if not form.is_valid():
                return {"close_form": form}
            services.question_close(question=obj, reason=form.cleaned_data["reason"], by=by)
            return f"Closed “{obj.title}”."
        if action == "reopen":
            services.question_reopen(question=obj, by=by)
            return f"Reopened “{obj.title}”."
        if action == "merge":
            form = MergeForm(request.POST, prefix="merge")
            into = None
            if form.is_valid():
                into = Question.objects.filter(pk=form.cleaned_data["into"]).first()
                if into is None:
                    form.add_error("into", "There is no question with that number")
            if into is None:
                return {"merge_form": form}
            services.question_merge(question=obj, into=into, by=by)
            return f"Merged “{obj.title}” into “{into.title}”. Its address now redirects there."
        if action == "dismiss":
            n = services.flags_dismiss(target=obj, by=by)
            return f"Kept “{obj.title}” and closed {n} report{'s' if n != 1 else ''}."
    elif kind in ("answer", "comment"):
        if action == "dismiss":
            n = services.flags_dismiss(target=obj, by=by)
            return f"Kept the {kind} and closed {n} report{'s' if n != 1 else ''}."
        if action == "remove":
            form = ReasonForm(request.POST, prefix="remove")
            if not form.is_valid():
                return {"remove_form": form}
            services.content_remove(target=obj, reason=form.cleaned_data["reason"], by=by)
            return f"Removed the {kind}. Its author will see your reason."
    raise Http404("No such action")


urlpatterns = [
    path("", queue, name="queue"),
    path("question/<int:pk>/", question_item, name="question"),
    path("<str:kind>/<int:pk>/", item, name="item"),
    path("<str:kind>/<int:pk>/<str:action>/", act, name="act"),
]
