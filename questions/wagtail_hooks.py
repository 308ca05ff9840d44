"""Admin wiring and the hooks through which questions appear on portal pages.

- Snippet viewsets (read-mostly: every change to residents' content goes through a service,
  so the admin can view, search and inspect, and edit only a question's service area and
  linked page).
- The moderators' queue (questions.admin_views) with a menu item and a dashboard panel.
- Registered log actions, so moderation history reads well in the admin.
- `parley_home_sections` (recent questions) and `parley_contribution_sections` (My
  contributions) for the portal's pages.
"""

from django.template.loader import render_to_string
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal.extensions import item_badges

from . import admin_views, selectors
from .models import Answer, Comment, Flag, Question
from .permissions import can


class GuardedPolicy(ModelPermissionPolicy):
    """Model permissions, minus the actions that would bypass the services."""

    def __init__(self, model, allowed: set[str]):
        super().__init__(model)
        self.allowed = allowed

    def user_has_permission(self, user, action):
        return action in self.allowed and super().user_has_permission(user, action)


# Registered before the viewsets so Wagtail never falls back to its default policy.
register_permission_policy(Question, GuardedPolicy(Question, {"view", "change"}))
register_permission_policy(Answer, GuardedPolicy(Answer, {"view"}))
register_permission_policy(Comment, GuardedPolicy(Comment, {"view"}))
register_permission_policy(Flag, GuardedPolicy(Flag, {"view"}))


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = "Questions"
    list_display = [
        "title",
        Column("status", label="Status", accessor="get_status_display"),
        Column("author_name", label="Asked by"),
        "answer_count",
        "has_official_answer",
        "created_at",
    ]
    list_filter = ["status", "is_hidden", "has_official_answer"]
    search_fields = ["title", "body"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "title",
        "body",
        "status",
        "moderation_reason",
        "author",
        "department",
        "about_page",
        "merged_into",
        "accepted_answer",
        "is_hidden",
        "vote_count",
        "answer_count",
        "comment_count",
        "follower_count",
        "has_official_answer",
        "created_at",
        "published_at",
        "edited_at",
    ]
    copy_view_enabled = False
    # Words and status change through the front end and the moderation queue (services).
    panels = [FieldPanel("department"), FieldPanel("about_page")]

    def get_queryset(self, request):
        return Question.objects.select_related("author")


class AnswerViewSet(SnippetViewSet):
    model = Answer
    icon = "comment"
    menu_label = "Answers"
    list_display = [
        Column("question", label="Question"),
        Column("author_name", label="By"),
        "is_official",
        "status",
        "vote_count",
        "created_at",
    ]
    list_filter = ["status", "is_official", "is_hidden"]
    search_fields = ["body"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "question",
        "body",
        "author",
        "is_official",
        "official_title",
        "status",
        "removal_reason",
        "is_hidden",
        "vote_count",
        "comment_count",
        "created_at",
        "edited_at",
    ]
    copy_view_enabled = False

    def get_queryset(self, request):
        return Answer.objects.select_related("question", "author")


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = "Comments"
    list_display = [
        Column("question", label="Question"),
        Column("author_name", label="By"),
        "status",
        "created_at",
    ]
    list_filter = ["status", "is_hidden"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "question",
        "answer",
        "body",
        "author",
        "status",
        "removal_reason",
        "is_hidden",
        "created_at",
        "edited_at",
    ]
    copy_view_enabled = False

    def get_queryset(self, request):
        return Comment.objects.select_related("question", "author")


class FlagViewSet(SnippetViewSet):
    model = Flag
    icon = "warning"
    menu_label = "Reports"
    list_display = [
        Column("reason", label="Reason", accessor="get_reason_display"),
        Column("target", label="Reported"),
        Column("status", label="Status", accessor="get_status_display"),
        "created_at",
    ]
    list_filter = ["status", "reason"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "reason",
        "details",
        "reporter",
        "question",
        "answer",
        "comment",
        "status",
        "handled_by",
        "handled_at",
        "created_at",
    ]
    copy_view_enabled = False

    def get_queryset(self, request):
        return Flag.objects.select_related("question", "answer", "comment", "reporter")


class QuestionsGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, AnswerViewSet, CommentViewSet, FlagViewSet)
    menu_icon = "help"
    menu_label = "Questions"
    menu_name = "questions"
    menu_order = 210


register_snippet(QuestionsGroup)


# The moderators' queue


@hooks.register("register_admin_urls")
def moderation_urls():
    return [path("moderation/", include(admin_views, namespace="questions_moderation"))]


class ModerationMenuItem(MenuItem):
    def is_shown(self, request):
        return can(request.user, "moderate")


@hooks.register("register_admin_menu_item")
def moderation_menu_item():
    return ModerationMenuItem(
        "Moderation",
        reverse("questions_moderation:queue"),
        icon_name="warning",
        order=205,
    )


class ModerationPanel(Component):
    name = "questions_moderation"
    order = 50

    def __init__(self, waiting: int, reported: int):
        self.waiting = waiting
        self.reported = reported

    def render_html(self, parent_context=None):
        return render_to_string(
            "questions/admin/dashboard_panel.html",
            {
                "waiting": self.waiting,
                "reported": self.reported,
                "url": reverse("questions_moderation:queue"),
            },
        )


@hooks.register("construct_homepage_panels")
def moderation_panel(request, panels):
    if can(request.user, "moderate"):
        waiting = Question.objects.filter(status=Question.Status.PENDING).count()
        reported = len(selectors.reported_items())
        panels.append(ModerationPanel(waiting, reported))


# Moderation history


class _ReasonFormatter(LogFormatter):
    def format_comment(self, log_entry):
        reason = log_entry.data.get("reason", "")
        return f"Reason: {reason}" if reason else ""


@hooks.register("register_log_actions")
def register_question_log_actions(actions):
    actions.register_action("questions.approve", "Approve question", "Approved and published")
    actions.register_action("questions.reopen", "Reopen question", "Reopened for answers")
    actions.register_action("questions.edit", "Edit", "Edited the text")

    @actions.register_action("questions.reject")
    class Reject(_ReasonFormatter):
        label = "Reject"
        message = "Rejected"

    @actions.register_action("questions.close")
    class Close(_ReasonFormatter):
        label = "Close question"
        message = "Closed to new answers"

    @actions.register_action("questions.remove")
    class Remove(_ReasonFormatter):
        label = "Remove answer or comment"
        message = "Removed"

    @actions.register_action("questions.merge")
    class Merge(LogFormatter):
        label = "Merge question"

        def format_message(self, log_entry):
            data = log_entry.data
            return f"Merged into question {data.get('into')}: “{data.get('title', '')}”"

    @actions.register_action("questions.merge_target")
    class MergeTarget(LogFormatter):
        label = "Question merged in"

        def format_message(self, log_entry):
            data = log_entry.data
            return f"Question {data.get('from')} merged into this one: “{data.get('title', '')}”"

    @actions.register_action("questions.auto_hide")
    class AutoHide(LogFormatter):
        label = "Hidden after reports"

        def format_message(self, log_entry):
            return f"Hidden automatically after {log_entry.data.get('reports')} people reported it"

    @actions.register_action("questions.dismiss_reports")
    class Dismiss(LogFormatter):
        label = "Keep after reports"

        def format_message(self, log_entry):
            n = log_entry.data.get("reports", 0)
            return f"Kept; {n} report{'s' if n != 1 else ''} closed"

    @actions.register_action("questions.official_answer")
    class Official(LogFormatter):
        label = "Official answer"

        def format_message(self, log_entry):
            title = log_entry.data.get("title")
            return f"Given as the official answer{f' ({title})' if title else ''}"


# Portal pages


@hooks.register("parley_home_sections")
def home_recent_questions(request, page):
    index = selectors.index_info()
    if not index["url"]:
        return None
    return {
        "order": 10,
        "template": "questions/home_section.html",
        "context": {
            "questions": selectors.recent_questions(limit=5),
            "index_url": index["url"],
            "ask_url": f"{index['url']}ask/",
            "title": index["title"],
        },
    }


@hooks.register("parley_contribution_sections")
def my_contributions(request, user):
    data = selectors.user_contributions(user)
    if not (data.questions or data.answers or data.comments):
        return None
    items = [*data.questions, *data.answers, *data.comments]
    return {
        "order": 10,
        "title": "Questions, answers and comments",
        "template": "questions/contributions_section.html",
        "context": {"data": data, "badges": item_badges(request, items)},
    }


@hooks.register("parley_account_links")
def account_links(request):
    url = selectors.ask_url()
    if not url:
        return []
    return [
        {
            "title": "Ask a question",
            "url": url,
            "description": "ask the council something in public",
            "order": 20,
        }
    ]


@hooks.register("parley_personal_data")
def questions_personal_data(user):
    return selectors.personal_data(user)


@hooks.register("parley_erase_personal_data")
def questions_erase_personal_data(user, by):
    from .services import personal_data_erase

    personal_data_erase(user=user, by=by)
