"""The admin screens for posts to X: drafting, the coaches' approval queue, post details."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from portal.ratelimit import rate_limit

from . import ingest, permissions, pii, selectors, services
from .forms import (
    ApproveForm,
    DraftForm,
    EditForm,
    HideForm,
    ImportForm,
    InboxFilterForm,
    PostFilterForm,
    RejectForm,
    ReplyForm,
)
from .models import Post
from .textlength import MAX_WEIGHT, split_thread, weighted_length


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def post_list(request):
    _require(permissions.can_view_posts(request.user))
    form = PostFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    posts = selectors.posts_for_listing(
        status=filters.get("status") or None,
        channel=filters.get("channel"),
        drafted_by=request.user if filters.get("mine") else None,
    )
    page = Paginator(posts, 30).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "social/admin/post_list.html",
        {
            "page_title": "Posts to X",
            "header_icon": "site",
            "filter_form": form,
            "page_obj": page,
            "can_draft": permissions.can_draft(request.user),
        },
    )


def approval_queue(request):
    _require(permissions.can_approve_any(request.user))
    posts = selectors.awaiting_approval()
    page = Paginator(posts, 20).get_page(request.GET.get("page"))
    for post in page.object_list:
        post.findings = pii.find_personal_data(post.text)
        post.weight = weighted_length(post.text)
    return TemplateResponse(
        request,
        "social/admin/queue.html",
        {
            "page_title": "Approval queue",
            "header_icon": "tick",
            "page_obj": page,
            "allow_self": services.allow_self_approval(),
        },
    )


@rate_limit("social_draft", per_user="60/3600", per_ip="120/3600")
def post_create(request):
    _require(permissions.can_draft(request.user))
    form = DraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_draft(
                channel=form.cleaned_data["channel"],
                text=form.cleaned_data["text"],
                by=request.user,
                submit=form.cleaned_data["submit_now"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                "Sent to a coach for approval."
                if post.status == Post.Status.AWAITING
                else "Draft saved.",
            )
            return redirect("social_admin:post_detail", post.pk)
    return TemplateResponse(
        request,
        "social/admin/post_form.html",
        {"page_title": "New post to X", "header_icon": "edit", "form": form},
    )


def post_detail(request, pk):
    _require(permissions.can_view_posts(request.user))
    post = get_object_or_404(selectors.post_with_history(), pk=pk)
    user = request.user
    allow_self = services.allow_self_approval()
    findings = pii.find_personal_data(post.text)
    context = {
        "page_title": f"Post to X: {post.get_status_display()}",
        "header_icon": "site",
        "post": post,
        "events": post.events.all(),
        "thread": selectors.thread_of(post),
        "findings": findings,
        "findings_text": pii.describe(findings),
        "weight": weighted_length(post.text),
        "max_weight": MAX_WEIGHT,
        "parts": split_thread(post.text) if post.is_editable else [],
        "can_edit": permissions.can_edit(user, post),
        "can_submit": permissions.can_submit(user, post),
        "can_approve": permissions.can_approve(user, post, allow_self_approval=allow_self),
        "approval_refusal": permissions.approval_refusal(user, post, allow_self_approval=allow_self)
        if permissions.can_approve_any(user)
        else None,
        "can_reject": permissions.can_reject(user, post),
        "can_withdraw": permissions.can_withdraw(user, post),
        "can_retry": permissions.can_retry(user, post),
        "edit_form": EditForm(initial={"text": post.text}),
        "approve_form": ApproveForm(initial={"text": post.text}),
        "reject_form": RejectForm(),
    }
    return TemplateResponse(request, "social/admin/post_detail.html", context)


def _action_response(request, post, **forms):
    """Re-show the post page with a failed form's errors (status 400)."""
    response = post_detail(request, post.pk)
    response.context_data.update(forms)
    response.status_code = 400
    return response


@require_POST
@rate_limit("social_edit", per_user="120/3600")
def post_edit(request, pk):
    post = get_object_or_404(Post, pk=pk)
    _require(permissions.can_edit(request.user, post))
    form = EditForm(request.POST)
    if form.is_valid():
        try:
            services.post_edit(post=post, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Changes saved.")
            return redirect("social_admin:post_detail", post.pk)
    return _action_response(request, post, edit_form=form)


@require_POST
@rate_limit("social_submit", per_user="120/3600")
def post_submit(request, pk):
    post = get_object_or_404(Post, pk=pk)
    _require(permissions.can_submit(request.user, post))
    try:
        services.post_submit(post=post, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Sent to a coach for approval.")
    return redirect("social_admin:post_detail", post.pk)


@require_POST
@rate_limit("social_approve", per_user="240/3600")
def post_approve(request, pk):
    post = get_object_or_404(Post, pk=pk)
    _require(permissions.can_approve_any(request.user))
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            services.post_approve(
                post=post,
                by=request.user,
                text=form.cleaned_data["text"],
                override_reason=form.cleaned_data["override_reason"],
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or "You cannot approve this post.")
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Approved. It will be posted to X in a moment.")
            return redirect("social_admin:queue")
    return _action_response(request, post, approve_form=form)


@require_POST
@rate_limit("social_reject", per_user="240/3600")
def post_reject(request, pk):
    post = get_object_or_404(Post, pk=pk)
    _require(permissions.can_reject(request.user, post))
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.post_reject(post=post, by=request.user, feedback=form.cleaned_data["feedback"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Sent back to the drafter with your feedback.")
            return redirect("social_admin:queue")
    return _action_response(request, post, reject_form=form)


@require_POST
@rate_limit("social_withdraw", per_user="120/3600")
def post_withdraw(request, pk):
    post = get_object_or_404(Post, pk=pk)
    _require(permissions.can_withdraw(request.user, post))
    was_published = post.status == Post.Status.PUBLISHED
    services.post_withdraw(post=post, by=request.user)
    messages.success(
        request,
        "Withdrawn. It will be deleted on X in a moment." if was_published else "Withdrawn.",
    )
    return redirect("social_admin:post_detail", post.pk)


@require_POST
@rate_limit("social_retry", per_user="120/3600")
def post_retry(request, pk):
    post = get_object_or_404(Post, pk=pk)
    _require(permissions.can_retry(request.user, post))
    services.post_retry(post=post, by=request.user)
    messages.success(request, "Sent to be posted again.")
    return redirect(reverse("social_admin:post_detail", args=[post.pk]))


# The reply inbox -------------------------------------------------------------------------------


def inbox(request):
    from portal import extensions

    from .models import Reply

    _require(permissions.can_work_inbox(request.user))
    form = InboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    replies = selectors.inbox_replies(
        state=filters.get("state") or "unread",
        channel=filters.get("channel"),
        post_id=filters.get("post"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        q=(filters.get("q") or "").strip(),
    )
    page = Paginator(replies, 50).get_page(request.GET.get("page"))
    items = list(page.object_list)
    return TemplateResponse(
        request,
        "social/admin/inbox.html",
        {
            "page_title": "Replies from X",
            "header_icon": "mail",
            "filter_form": form,
            "page_obj": page,
            "groups": selectors.group_by_post(items),
            # Other apps (scrutiny's "Promote to evidence") add their actions here, once a page.
            "actions": extensions.item_actions(request, items),
            "badges": extensions.item_badges(request, items),
            "bulk_actions": extensions.bulk_actions(request, Reply),
            "parked": selectors.parked_pulls(),
            "can_reply": permissions.can_reply_from_portal(request.user),
            "next": request.get_full_path(),
        },
    )


def _safe_next(request, fallback="social_admin:inbox"):
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def _selected(request):
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    return ids[:500]


@require_POST
@rate_limit("social_inbox", per_user="600/3600")
def inbox_mark(request):
    _require(permissions.can_work_inbox(request.user))
    ids = _selected(request)
    read = request.POST.get("read", "1") != "0"
    if not ids:
        messages.error(request, "Choose at least one reply.")
    else:
        count = ingest.replies_mark_read(replies=ids, by=request.user, read=read)
        noun = "reply" if count == 1 else "replies"
        messages.success(request, f"Marked {count} {noun} as {'read' if read else 'unread'}.")
    return _safe_next(request)


@require_POST
@rate_limit("social_inbox", per_user="600/3600")
def inbox_hide(request):
    _require(permissions.can_work_inbox(request.user))
    ids = _selected(request)
    hidden = request.POST.get("hidden", "1") != "0"
    form = HideForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if not ids:
        messages.error(request, "Choose at least one reply.")
    else:
        count = ingest.replies_hide(replies=ids, by=request.user, hidden=hidden, reason=reason)
        noun = "reply" if count == 1 else "replies"
        messages.success(
            request,
            f"Hid {count} {noun} from the public site."
            if hidden
            else f"{count} {noun} shown again.",
        )
    return _safe_next(request)


@rate_limit("social_reply", per_user="60/3600")
def inbox_reply(request, pk):
    from .models import Reply

    _require(permissions.can_reply_from_portal(request.user))
    reply = get_object_or_404(Reply.objects.select_related("post", "channel"), pk=pk)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = ingest.reply_respond(
                reply=reply, text=form.cleaned_data["text"], by=request.user
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Your reply is waiting for a coach to approve it.")
            return redirect("social_admin:post_detail", post.pk)
    return TemplateResponse(
        request,
        "social/admin/inbox_reply.html",
        {
            "page_title": f"Reply to @{reply.author_handle}",
            "header_icon": "mail",
            "reply": reply,
            "form": form,
        },
    )


@rate_limit("social_import", per_user="60/3600")
def inbox_import(request):
    _require(permissions.can_work_inbox(request.user))
    form = ImportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ingest.reply_import_request(url=form.cleaned_data["url"], by=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Fetching it from X now. Its result appears below.")
            return redirect("social_admin:inbox_import")
    return TemplateResponse(
        request,
        "social/admin/inbox_import.html",
        {
            "page_title": "Import a reply from X",
            "header_icon": "download",
            "form": form,
            "imports": selectors.recent_imports(request.user),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@rate_limit("social_inbox", per_user="600/3600")
def pull_resume(request, pk):
    from .models import PullCursor

    _require(permissions.can_work_inbox(request.user))
    cursor = get_object_or_404(PullCursor, pk=pk)
    ingest.cursor_resume(cursor=cursor, by=request.user)
    messages.success(request, "Pulling replies for that post again.")
    return redirect("social_admin:inbox")
