"""Public pages of the question threads, served through QuestionIndexPage's routes.

Views stay thin: they check the request (sign-in, rate limits, form rules), call one service
or selector, and render. Permission rules live in `permissions`, state changes in `services`.
"""

import hashlib
import re

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.vary import vary_on_cookie
from taggit.models import Tag
from wagtail.models import Page

from portal import ratelimit, submissions
from portal.extensions import item_actions, item_badges
from portal.forms import form_token
from portal.models import SiteSettings

from . import page_cache, selectors, services
from .forms import (
    AnswerForm,
    AskForm,
    CommentForm,
    EditAnswerForm,
    EditCommentForm,
    EditQuestionForm,
    FlagForm,
)
from .models import Answer, Comment, Question
from .permissions import can, require

PER_PAGE = 20
_SLUG = re.compile(r"[-\w]{1,100}")

# Per-action write limits ("count/seconds"), per signed-in person and per IP address.
RATES = {
    "ask": {"per_user": "5/3600", "per_ip": "20/3600"},
    "answer": {"per_user": "20/3600", "per_ip": "60/3600"},
    "comment": {"per_user": "30/3600", "per_ip": "90/3600"},
    "vote": {"per_user": "120/3600", "per_ip": "300/3600"},
    "follow": {"per_user": "60/3600", "per_ip": "200/3600"},
    "report": {"per_user": "20/3600", "per_ip": "60/3600"},
    "edit": {"per_user": "30/3600", "per_ip": "90/3600"},
    "accept": {"per_user": "30/3600", "per_ip": "90/3600"},
    "suggest": {"per_ip": "120/60"},
}

# Anonymous thread renders are cached for this long at most (the key changes with every edit).
THREAD_CACHE_SECONDS = 60 * 10


def _limit(request, scope: str) -> None:
    ratelimit.check(request, scope, **RATES[scope])


def _index_url(page, request) -> str:
    return page.get_url(request) or "/"


def thread_url(page, request, question: Question) -> str:
    return f"{_index_url(page, request)}{question.pk}/{question.slug}/"


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if url else ""


# Lists and topics


def _list_views(request, base_url: str, current: str) -> list[dict]:
    items = []
    for key, (label, _) in selectors.LIST_VIEWS.items():
        url = base_url if key == "newest" else f"{base_url}?view={key}"
        items.append({"key": key, "label": label, "url": url, "current": key == current})
    return items


def question_list(request, page, tag_slug: str | None = None):
    """The public list (newest, most voted, unanswered, answered), for all or one topic."""
    index = _index_url(page, request)
    topic = request.GET.get("topic")
    if topic is not None and tag_slug is None:
        if topic and not _SLUG.fullmatch(topic):
            raise Http404("No such topic")
        # the no-JavaScript topic filter submits ?topic=<slug>
        target = f"{index}topics/{topic}/" if topic else index
        view = request.GET.get("view")
        return redirect(f"{target}?view={view}" if view in selectors.LIST_VIEWS else target)

    tag = get_object_or_404(Tag, slug=tag_slug) if tag_slug else None
    view = request.GET.get("view", "newest")
    if view not in selectors.LIST_VIEWS:
        view = "newest"
    base_url = f"{index}topics/{tag.slug}/" if tag else index
    paginator = Paginator(selectors.question_list(view=view, tag=tag), PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    tags = selectors.popular_tags(limit=40)
    if tag is not None and tag not in tags:
        tags.append(tag)
    title = f"Questions about {tag.name}" if tag else page.title
    description = (
        f"Questions residents have asked {chrome_org(request)} about {tag.name}, and the answers."
        if tag
        else page.intro
    )
    feed_base = base_url
    context = {
        "page": page,
        "self": page,
        "tag": tag,
        "tags": tags,
        "view": view,
        "views": _list_views(request, base_url, view),
        "page_obj": page_obj,
        "questions": page_obj.object_list,
        "title": title,
        "description": description,
        "ask_url": f"{index}ask/",
        "index_url": index,
        "feed_rss": f"{feed_base}feed/rss/",
        "feed_atom": f"{feed_base}feed/atom/",
        "canonical_url": _absolute(request, base_url),
        "og": {
            "title": title,
            "description": description,
            "url": _absolute(request, base_url),
            "type": "website",
        },
    }
    return TemplateResponse(request, "questions/question_index_page.html", context)


def chrome_org(request) -> str:
    return SiteSettings.for_request(request).organisation_name


def tag_list(request, page):
    """Every topic with public questions, for browsing."""
    context = {
        "page": page,
        "self": page,
        "tags": selectors.popular_tags(limit=500),
        "index_url": _index_url(page, request),
    }
    return TemplateResponse(request, "questions/tag_list.html", context)


# Asking


def _about_page(value) -> Page | None:
    try:
        page_id = int(value)
    except (TypeError, ValueError):
        return None
    return Page.objects.live().filter(pk=page_id).first()


def ask(request, page):
    """Ask a question: similar questions first (live with JavaScript, or a check step
    without), then stored at once and moderated according to the site setting."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(request.user, "ask")
    index = _index_url(page, request)
    source = request.POST if request.method == "POST" else request.GET
    about_page = _about_page(source.get("about"))
    settings = SiteSettings.for_request(request)
    context = {
        "page": page,
        "self": page,
        "about_page": about_page,
        "index_url": index,
        "suggest_url": f"{index}suggest/",
        "pre_moderation": settings.moderation_mode == SiteSettings.ModerationMode.PRE,
    }
    if request.method == "POST":
        form = AskForm(request.POST)
        if form.is_valid() and request.POST.get("action") != "change":
            data = form.cleaned_data
            if data.get("checked") != "1":
                similar = selectors.similar_questions(data["title"])
                if similar:
                    context.update(form=form, similar=similar, tags=data["tags"])
                    return TemplateResponse(request, "questions/ask_check.html", context)
            _limit(request, "ask")
            asked = {}

            def store() -> str:
                asked["question"] = services.question_ask(
                    title=data["title"],
                    body=data["body"],
                    tags=data["tags"],
                    about_page=about_page,
                    by=request.user,
                    moderation_mode=settings.moderation_mode,
                )
                return thread_url(page, request, asked["question"])

            outcome = submissions.run_once(
                key=submissions.submission_key(request, form, "ask"), action=store
            )
            if not outcome.first:
                messages.info(request, submissions.ALREADY_RECEIVED)
            elif asked["question"].status == Question.Status.PUBLISHED:
                messages.success(request, "Your question has been published.")
            else:
                messages.success(
                    request,
                    "Thank you. Your question has been sent to our moderators. We will email "
                    "you when it is published, usually within 2 working days.",
                )
            return redirect(outcome.result)
        form.refresh_timestamp()
        if request.POST.get("action") == "change":
            # back from the check step to change the question: show it without errors
            form = AskForm(initial={**form.data.dict(), "checked": ""})
    else:
        form = AskForm(initial={"about": about_page.pk if about_page else None})
    context["form"] = form
    return TemplateResponse(request, "questions/ask.html", context)


def suggest(request, page):
    """JSON for the ask form: public questions similar to what is being typed."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    _limit(request, "suggest")
    query = (request.GET.get("q") or "")[:200]
    results = []
    for question in selectors.similar_questions(query, limit=5):
        label, _ = question.status_tag
        results.append(
            {
                "id": question.pk,
                "title": question.title,
                "url": thread_url(page, request, question),
                "answers": question.answer_count,
                "official": question.has_official_answer,
                "status": label,
            }
        )
    response = JsonResponse({"query": query, "results": results})
    response["Cache-Control"] = "no-store"
    return response


# The thread


def _load_question(question_id: int) -> Question:
    question = selectors.thread_question(question_id)
    if question is None:
        raise Http404("No such question")
    return question


@vary_on_cookie
def thread(request, page, question_id: int, slug: str | None):
    """The thread: question, official answer first, other answers, comments, actions."""
    question = _load_question(question_id)
    if question.status == Question.Status.MERGED and question.merged_into_id:
        target = selectors.resolve_merged(question)
        return redirect(thread_url(page, request, target), permanent=True)
    if not can(request.user, "view_question", question):
        if question.is_hidden and question.status in (
            Question.Status.PUBLISHED,
            Question.Status.CLOSED,
        ):
            return TemplateResponse(
                request, "questions/hidden.html", {"page": page, "self": page, "question": question}
            )
        raise Http404("No such question")
    if slug != question.slug:
        # old slugs (the title was edited) and short links go to the one canonical address
        return redirect(thread_url(page, request, question), permanent=True)
    response = render_thread(request, page, question)
    if not request.user.is_authenticated and question.is_public:
        page_cache.mark(response, question)
    return response


def _question_perms(user, question) -> dict:
    return {
        "vote": can(user, "vote", question),
        "follow": can(user, "follow", question),
        "flag": can(user, "flag", question),
        "edit": can(user, "edit_question", question),
        "comment": can(user, "comment", question),
        "moderate": can(user, "moderate"),
    }


def _annotate_perms(user, thread_data) -> None:
    for answer in thread_data.answers:
        answer.perms = {
            "vote": can(user, "vote", answer),
            "accept": can(user, "accept_answer", answer),
            "official": can(user, "mark_official", answer),
            "edit": can(user, "edit_answer", answer),
            "flag": can(user, "flag", answer),
            "comment": can(user, "comment", answer),
        }
        answer.voted = answer.pk in thread_data.voted_answers
        answer.reported = ("answer", answer.pk) in thread_data.reported
        for comment in answer.thread_comments:
            _comment_perms(user, comment, thread_data)
    for comment in thread_data.comments:
        _comment_perms(user, comment, thread_data)


def _comment_perms(user, comment, thread_data) -> None:
    comment.perms = {
        "edit": can(user, "edit_comment", comment),
        "flag": can(user, "flag", comment),
    }
    comment.reported = ("comment", comment.pk) in thread_data.reported


def _fingerprint(*parts) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def _extras_key(mapping) -> list:
    return sorted(((type(k).__name__, k.pk, repr(v)) for k, v in mapping.items() if v), key=repr)


def render_thread(request, page, question, *, answer_form=None, status: int = 200):
    """Render a thread for this viewer.

    Signed in, everything is loaded and rendered for the viewer (their votes, forms and
    permissions). Signed out, the answers section is the same for everyone, so it is cached
    under a key made of the thread's version (bumped by every change to the thread, see
    services) and every extension's output for its items; on a cache hit the answers and
    comments are not even loaded, only their ids (also cached by version)."""
    user = request.user
    signed_in = user.is_authenticated
    url = thread_url(page, request, question)
    index_url = _index_url(page, request)
    question_perms = _question_perms(user, question)
    if answer_form is None and can(user, "answer", question):
        answer_form = AnswerForm(
            can_answer_officially=can(user, "answer_officially", question),
        )

    data = None
    answers = None
    if signed_in:
        data = selectors.thread(question, user)
        items = data.items
    else:
        skeleton_key = f"questions:skeleton:{question.pk}:{question.thread_version}"
        skeleton = cache.get(skeleton_key)
        if skeleton is None:
            data = selectors.thread(question, user)
            skeleton = selectors.thread_skeleton(data)
            cache.set(skeleton_key, skeleton, THREAD_CACHE_SECONDS)
            items = data.items
        else:
            items = selectors.skeleton_items(question, skeleton)
    actions = item_actions(request, items)
    badges = item_badges(request, items)

    fragment = {
        "question": question,
        "thread": data,
        "actions": actions,
        "badges": badges,
        "thread_url": url,
        "index_url": index_url,
        "signed_in": signed_in,
        "question_can_comment": question_perms["comment"],
        "comment_token": form_token() if signed_in else "",
        "login_url": f"{reverse('account_login')}?next={url}",
    }
    if signed_in:
        # rendered inside thread.html, with this viewer's buttons and forms
        _annotate_perms(user, data)
    else:
        key = "questions:thread:" + _fingerprint(
            question.pk,
            question.thread_version,
            _extras_key(actions),
            _extras_key(badges),
            url,
        )
        answers = cache.get(key)
        if answers is None:
            if data is None:
                data = selectors.thread(question, user)
                fragment["thread"] = data
            _annotate_perms(user, data)
            answers = render_to_string("questions/includes/thread_answers.html", fragment)
            cache.set(key, answers, THREAD_CACHE_SECONDS)

    label, colour = question.status_tag
    description = question.body or question.title
    absolute_url = _absolute(request, url)
    context = {
        **fragment,
        "page": page,
        "self": page,
        "answers_html": mark_safe(answers) if answers is not None else None,  # noqa: S308
        "status_label": label,
        "status_colour": colour,
        "perms": question_perms,
        "question_reported": bool(data and ("question", question.pk) in data.reported),
        "answer_form": answer_form,
        "feed_rss": f"{url}feed/rss/",
        "feed_atom": f"{url}feed/atom/",
        "canonical_url": absolute_url,
        "og": {
            "title": question.title,
            "description": description,
            "url": absolute_url,
            "type": "article",
        },
        "noindex": not question.is_public,
    }
    return TemplateResponse(request, "questions/thread.html", context, status=status)


# Actions on a thread


def _login_first(request, page, question=None):
    next_url = thread_url(page, request, question) if question else request.get_full_path()
    return redirect_to_login(next_url)


def thread_action(request, page, question_id: int, action: str):
    """answer, comment, vote, follow, unfollow, report, edit on a question."""
    handlers = {
        "answer": _answer,
        "comment": _comment,
        "vote": _vote,
        "follow": _follow,
        "unfollow": _follow,
        "report": _report,
        "edit": _edit_question,
    }
    if action not in handlers:
        raise Http404("No such action")
    question = _load_question(question_id)
    if question.status == Question.Status.MERGED or not can(
        request.user, "view_question", question
    ):
        raise Http404("No such question")
    if not request.user.is_authenticated:
        return _login_first(request, page, question)
    return handlers[action](request, page, question, action)


def _post_only(request, page, question, anchor=""):
    if request.method != "POST":
        return redirect(thread_url(page, request, question) + anchor)
    return None


def _answer(request, page, question, action):
    if (response := _post_only(request, page, question, "#your-answer")) is not None:
        return response
    require(request.user, "answer", question)
    _limit(request, "answer")
    official_allowed = can(request.user, "answer_officially", question)
    form = AnswerForm(request.POST, can_answer_officially=official_allowed)
    if not form.is_valid():
        form.refresh_timestamp()
        return render_thread(request, page, question, answer_form=form)
    official = bool(form.cleaned_data.get("official"))

    def store() -> str:
        answer = services.answer_post(
            question=question, body=form.cleaned_data["body"], official=official, by=request.user
        )
        return f"{thread_url(page, request, question)}#answer-{answer.pk}"

    key = submissions.submission_key(request, form, f"answer:{question.pk}")
    outcome = submissions.run_once(key=key, action=store)
    if not outcome.first:
        messages.info(request, submissions.ALREADY_RECEIVED)
    else:
        messages.success(
            request,
            "Your official answer has been published and followers will be told."
            if official
            else "Your answer has been published.",
        )
    return redirect(outcome.result)


def _comment_page(request, page, question, target, form, action_url):
    context = {
        "page": page,
        "self": page,
        "question": question,
        "target": target,
        "form": form,
        "action_url": action_url,
        "thread_url": thread_url(page, request, question),
    }
    return TemplateResponse(request, "questions/comment_form.html", context)


def _comment(request, page, question, action, answer=None):
    target = answer or question
    require(request.user, "comment", target)
    if answer is not None:
        action_url = f"{_index_url(page, request)}answers/{answer.pk}/comment/"
    else:
        action_url = f"{thread_url(page, request, question)}comment/"
    if request.method != "POST":
        return _comment_page(request, page, question, target, CommentForm(), action_url)
    _limit(request, "comment")
    form = CommentForm(request.POST)
    if not form.is_valid():
        form.refresh_timestamp()
        return _comment_page(request, page, question, target, form, action_url)

    def store() -> str:
        comment = services.comment_post(
            question=question, answer=answer, body=form.cleaned_data["body"], by=request.user
        )
        return f"{thread_url(page, request, question)}#comment-{comment.pk}"

    scope = f"comment:{question.pk}:{answer.pk if answer else ''}"
    outcome = submissions.run_once(
        key=submissions.submission_key(request, form, scope), action=store
    )
    if outcome.first:
        messages.success(request, "Your comment has been published.")
    else:
        messages.info(request, submissions.ALREADY_RECEIVED)
    return redirect(outcome.result)


def _vote(request, page, question, action, answer=None):
    target = answer or question
    anchor = f"#answer-{answer.pk}" if answer else "#question"
    if (response := _post_only(request, page, question, anchor)) is not None:
        return response
    _limit(request, "vote")
    # The form says which state it asks for, so sending it twice is the same as once.
    wanted = _wanted_state(request)
    if wanted is None:
        services.vote_toggle(target=target, by=request.user)
    else:
        services.vote_set(target=target, voted=wanted, by=request.user)
    return redirect(thread_url(page, request, question) + anchor)


def _wanted_state(request) -> bool | None:
    """The "state" a vote or accept form asks for ("on"/"off"); None for a bare toggle."""
    return {"on": True, "off": False}.get(request.POST.get("state", ""))


def _follow(request, page, question, action):
    if (response := _post_only(request, page, question)) is not None:
        return response
    _limit(request, "follow")
    following = services.follow_set(question=question, follow=action == "follow", by=request.user)
    if following:
        messages.success(
            request,
            "You are following this question. We will email you about new answers and "
            "changes, as you chose on your account page.",
        )
    else:
        messages.success(request, "You have stopped following this question.")
    return redirect(thread_url(page, request, question))


def _report(request, page, question, action, target=None):
    target = target or question
    require(request.user, "flag", target)
    form = FlagForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        _limit(request, "report")
        if form.is_valid():
            try:
                services.content_flag(
                    target=target,
                    reason=form.cleaned_data["reason"],
                    details=form.cleaned_data["details"],
                    by=request.user,
                )
                messages.success(
                    request,
                    "Thank you for your report. A moderator will check it against the house rules.",
                )
            except services.AlreadyReported:
                messages.info(request, "You have already reported this. A moderator will check it.")
            return redirect(_anchor_url(page, request, question, target))
        form.refresh_timestamp()
    context = {
        "page": page,
        "self": page,
        "question": question,
        "target": target,
        "kind": target._meta.model_name,
        "form": form,
        "thread_url": thread_url(page, request, question),
    }
    return TemplateResponse(request, "questions/report.html", context)


def _anchor_url(page, request, question, target) -> str:
    url = thread_url(page, request, question)
    if isinstance(target, Answer):
        return f"{url}#answer-{target.pk}"
    if isinstance(target, Comment):
        return f"{url}#comment-{target.pk}"
    return url


def _edit_question(request, page, question, action):
    require(request.user, "edit_question", question)
    if request.method == "POST":
        _limit(request, "edit")
        form = EditQuestionForm(request.POST)
        if form.is_valid():
            changed = services.question_edit(
                question=question,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                tags=form.cleaned_data["tags"],
                by=request.user,
            )
            if changed:
                messages.success(request, "Your changes have been saved.")
            question.refresh_from_db()
            return redirect(thread_url(page, request, question))
        form.refresh_timestamp()
    else:
        form = EditQuestionForm(
            initial={
                "title": question.title,
                "body": question.body,
                "tags": ", ".join(sorted(question.tags.names())),
            }
        )
    return _edit_page(request, page, question, question, form, "question")


def _edit_page(request, page, question, target, form, kind):
    context = {
        "page": page,
        "self": page,
        "question": question,
        "target": target,
        "kind": kind,
        "form": form,
        "thread_url": thread_url(page, request, question),
    }
    return TemplateResponse(request, "questions/edit.html", context)


# Actions on answers and comments


def answer_action(request, page, answer_id: int, action: str):
    """vote, accept, official, edit, report, comment on an answer."""
    if action not in {"vote", "accept", "official", "edit", "report", "comment"}:
        raise Http404("No such action")
    answer = get_object_or_404(
        Answer.objects.select_related("question", "author").exclude(status=Answer.Status.REMOVED),
        pk=answer_id,
    )
    question = answer.question
    if question.status == Question.Status.MERGED or not can(
        request.user, "view_question", question
    ):
        raise Http404("No such answer")
    if not request.user.is_authenticated:
        return _login_first(request, page, question)
    anchor = f"#answer-{answer.pk}"
    if action == "vote":
        return _vote(request, page, question, action, answer=answer)
    if action == "comment":
        return _comment(request, page, question, action, answer=answer)
    if action == "report":
        return _report(request, page, question, action, target=answer)
    if action == "edit":
        require(request.user, "edit_answer", answer)
        if request.method == "POST":
            _limit(request, "edit")
            form = EditAnswerForm(request.POST)
            if form.is_valid():
                if services.answer_edit(
                    answer=answer, body=form.cleaned_data["body"], by=request.user
                ):
                    messages.success(request, "Your changes have been saved.")
                return redirect(thread_url(page, request, question) + anchor)
            form.refresh_timestamp()
        else:
            form = EditAnswerForm(initial={"body": answer.body})
        return _edit_page(request, page, question, answer, form, "answer")
    if (response := _post_only(request, page, question, anchor)) is not None:
        return response
    _limit(request, "accept")
    if action == "accept":
        accepted = services.answer_accept(
            answer=answer, accept=_wanted_state(request), by=request.user
        )
        messages.success(
            request,
            "You accepted this answer. It is shown near the top of the thread."
            if accepted
            else "You took back your acceptance of this answer.",
        )
    else:
        services.answer_mark_official(answer=answer, by=request.user)
        messages.success(
            request, "This is now the council’s official answer. Followers will be told."
        )
    return redirect(thread_url(page, request, question) + anchor)


def comment_action(request, page, comment_id: int, action: str):
    """edit or report a comment."""
    if action not in {"edit", "report"}:
        raise Http404("No such action")
    comment = get_object_or_404(
        Comment.objects.select_related("question", "answer", "author").exclude(
            status=Comment.Status.REMOVED
        ),
        pk=comment_id,
    )
    question = comment.question
    if question.status == Question.Status.MERGED or not can(
        request.user, "view_question", question
    ):
        raise Http404("No such comment")
    if not request.user.is_authenticated:
        return _login_first(request, page, question)
    if action == "report":
        return _report(request, page, question, action, target=comment)
    require(request.user, "edit_comment", comment)
    if request.method == "POST":
        _limit(request, "edit")
        form = EditCommentForm(request.POST)
        if form.is_valid():
            if services.comment_edit(
                comment=comment, body=form.cleaned_data["body"], by=request.user
            ):
                messages.success(request, "Your changes have been saved.")
            return redirect(f"{thread_url(page, request, question)}#comment-{comment.pk}")
        form.refresh_timestamp()
    else:
        form = EditCommentForm(initial={"body": comment.body})
    return _edit_page(request, page, question, comment, form, "comment")
