"""The site as the permission walk sees it: realistic objects in each state, and every URL.

`build_world()` makes one of everything a view can be pointed at (questions in each status,
answers, comments, reports, open/closed/draft consultations and a response, a meeting with a
live update, open/closed inquiries with public and committee-only evidence and an export, a
channel with posts in each status, a reply, media, redirects, groups...).

`url_patterns()` lists every pattern of the root URLconf (recursively, Wagtail and Django
admin included) plus the sub-routes of every routable page type, each under a stable key.
`cases(world)` turns each key into one or more concrete requests.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, Page, PageViewRestriction, Site, Task, Workflow

from consultations.models import ConsultationResponse, LiveUpdate
from portal import roles
from portal.models import StandardPage
from questions.models import Flag, Follow, Question, QuestionIndexPage
from questions.services import recount_question
from scrutiny.models import Consent, EvidenceExport, EvidenceTheme
from social.models import Channel, Post, PostTemplate, PullCursor, Reply
from tests.consultations import factories as consultation_factories
from tests.factories import UserFactory
from tests.questions.factories import AnswerFactory, CommentFactory, QuestionFactory
from tests.scrutiny import factories as scrutiny_factories

ROLES = (
    "anonymous",
    "resident",
    "other_resident",
    "officer",
    "moderator",
    "coach",
    "committee_member",
    "admin",
)


@dataclass
class Case:
    key: str  # the table key: a URL pattern, or "<page model>:<sub-route>", or "page:<label>"
    label: str  # which object/state this request is about
    path: str


def build_users() -> dict:
    return {
        "resident": UserFactory(display_name="Priya"),
        "other_resident": UserFactory(display_name="Tom"),
        "officer": UserFactory(
            display_name="Dan", job_title="Officer", is_staff=True, roles=[roles.OFFICERS]
        ),
        "moderator": UserFactory(display_name="Ruth", is_staff=True, roles=[roles.MODERATORS]),
        "coach": UserFactory(display_name="Sam", is_staff=True, roles=[roles.COACHES]),
        "committee_member": UserFactory(display_name="Cllr Osei", roles=[roles.SCRUTINY]),
        "admin": UserFactory(display_name="Admin", is_staff=True, is_superuser=True),
    }


def build_world() -> dict:  # noqa: PLR0915 - one of everything, in order
    w = build_users()
    resident, other = w["resident"], w["other_resident"]
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    w["site"] = site
    w["home"] = home

    privacy = StandardPage(title="Privacy notice", slug="privacy")
    home.add_child(instance=privacy)
    privacy.save_revision().publish()
    w["privacy_page"] = privacy
    private = StandardPage(title="Staff only", slug="staff-only")
    home.add_child(instance=private)
    private.save_revision().publish()
    w["restriction"] = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="letmein-now"
    )
    w["private_page"] = private

    # questions in every status
    index = QuestionIndexPage(title="Ask the council", slug="ask-the-council")
    home.add_child(instance=index)
    index.save_revision().publish()
    w["question_index"] = index
    published = QuestionFactory(author=resident, title="When is the tip open?", tags=["bins"])
    Follow.objects.create(user=resident, question=published)
    w["q_published"] = published
    w["q_pending"] = QuestionFactory(
        author=resident, title="Pending one", status=Question.Status.PENDING, published_at=None
    )
    w["q_rejected"] = QuestionFactory(
        author=resident, title="Rejected one", status=Question.Status.REJECTED
    )
    w["q_closed"] = QuestionFactory(author=other, title="Closed one", status=Question.Status.CLOSED)
    w["q_hidden"] = QuestionFactory(author=other, title="Hidden one", is_hidden=True)
    w["answer"] = AnswerFactory(question=published, author=other)
    w["own_answer"] = AnswerFactory(question=published, author=resident, body="My own answer")
    w["comment"] = CommentFactory(question=published, author=other)
    w["flag"] = Flag.objects.create(
        reporter=other, answer=w["own_answer"], reason=Flag.Reason.SPAM, details="spam"
    )
    for q in Question.objects.all():
        recount_question(q.pk)

    # consultations: open, closed, draft; a response; a meeting with a live update
    c_index = consultation_factories.make_index(home)
    now = timezone.now()
    w["consultation_index"] = c_index
    w["c_open"] = consultation_factories.make_consultation(c_index, slug="library-hours")
    w["c_closed"] = consultation_factories.make_consultation(
        c_index,
        slug="parking",
        title="Parking charges",
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=2),
    )
    w["c_draft"] = consultation_factories.make_consultation(
        c_index, slug="draft-plans", title="Draft plans", publish=False
    )
    w["response"] = ConsultationResponse.objects.create(
        page=w["c_open"],
        user=resident,
        reference="RBC-CR-2026-000001",
        answers={},
        consent_publish=True,
        consent_contact=False,
    )
    m_index = consultation_factories.make_meeting_index(home)
    w["meeting_index"] = m_index
    w["meeting"] = consultation_factories.make_meeting(m_index)
    w["live_update"] = LiveUpdate.objects.create(
        meeting=w["meeting"], text="The meeting has started.", posted_by=w["officer"]
    )

    # scrutiny: open and closed inquiries, public and committee-only evidence, an export
    i_index = scrutiny_factories.make_index(home)
    w["inquiry_index"] = i_index
    w["inquiry"] = scrutiny_factories.make_inquiry(i_index)
    w["inquiry_closed"] = scrutiny_factories.make_inquiry(
        i_index,
        slug="libraries",
        title="Libraries",
        opens=date.today() - timedelta(days=60),
        closes=date.today() - timedelta(days=5),
    )
    w["evidence_public"] = scrutiny_factories.make_evidence(
        w["inquiry"], author_user=resident, is_public=True
    )
    w["evidence_private"] = scrutiny_factories.make_evidence(
        w["inquiry"], text="Committee only, please.", consent=Consent.COMMITTEE_ONLY
    )
    w["export"] = EvidenceExport.objects.create(
        inquiry=w["inquiry"],
        format="csv",
        requested_by=w["committee_member"],
        status=EvidenceExport.Status.DONE,
    )
    w["export"].file.save("pack.csv", ContentFile(b"reference,text\n"), save=True)
    w["theme"] = EvidenceTheme.objects.create(name="Speeding", slug="speeding")

    # social: a channel, posts in each status, a reply, a template
    channel = Channel.objects.create(name="Council on X", kind=Channel.Kind.SANDBOX, handle="rbc")
    w["channel"] = channel
    w["post_draft"] = Post.objects.create(channel=channel, text="Draft", drafted_by=w["officer"])
    w["post_awaiting"] = Post.objects.create(
        channel=channel, text="Waiting", drafted_by=w["officer"], status=Post.Status.AWAITING
    )
    w["post_published"] = Post.objects.create(
        channel=channel,
        text="Bins move to Tuesday",
        status=Post.Status.PUBLISHED,
        external_id="1800",
        published_at=now,
    )
    w["post_failed"] = Post.objects.create(
        channel=channel, text="Failed", status=Post.Status.FAILED, last_error="X said no"
    )
    w["pull"] = PullCursor.objects.create(post=w["post_published"], state=PullCursor.State.PARKED)
    w["reply"] = Reply.objects.create(
        channel=channel,
        post=w["post_published"],
        external_id="1801",
        conversation_id="1800",
        author_handle="someone",
        text="Thanks",
        created_at=now,
        raw={"id": "1801"},
    )
    w["post_template"] = PostTemplate.objects.first() or PostTemplate.objects.create(
        kind=PostTemplate._meta.get_field("kind").choices[0][0], text="{title} {url}"
    )

    # media, redirects, collections, workflows, groups
    collection = Collection.get_first_root_node().add_child(name="Consultation papers")
    w["collection"] = collection
    w["image"] = Image.objects.create(title="Map", file=get_test_image_file())
    document = Document(title="Report", collection=collection)
    document.file.save("report.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    w["document"] = document
    w["redirect"] = Redirect.objects.create(old_path="/old-page", redirect_link="/")
    w["workflow"] = Workflow.objects.first()
    w["task"] = Task.objects.first()
    w["group"] = Group.objects.get(name=roles.OFFICERS)
    return w


# Every URL pattern -------------------------------------------------------------------------

CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def url_patterns() -> list[str]:
    """Every pattern of the site: the root URLconf, and each routable page type's sub-routes."""
    keys = list(dict.fromkeys(_walk(get_resolver().url_patterns)))
    for model in apps.get_models():
        if issubclass(model, RoutablePageMixin) and issubclass(model, Page):
            for route in _walk(model.get_subpage_urls()):
                keys.append(f"{model._meta.label}:{route}")
    return keys


# Values for URL parameters, by parameter name; some patterns override them (below).
def _defaults(w) -> dict:
    page = w["c_open"]
    return {
        "page_id": page.pk,
        "parent_page_id": w["consultation_index"].pk,
        "page_to_move_id": page.pk,
        "destination_id": w["meeting_index"].pk,
        "page_pk": page.pk,
        "revision_id": page.latest_revision_id,
        "task_state_id": 0,
        "task_id": w["task"].pk if w["task"] else 0,
        "workflow_pk": w["workflow"].pk if w["workflow"] else 0,
        "workflow_state_id": 0,
        "content_type_app_name": "consultations",
        "content_type_model_name": "consultationpage",
        "app_label": "consultations",
        "model_name": "consultationpage",
        "app_name": "portal",
        "collection_id": w["collection"].pk,
        "redirect_id": w["redirect"].pk,
        "document_id": w["document"].pk,
        "doc_id": w["document"].pk,
        "image_id": w["image"].pk,
        "uploaded_file_id": 0,
        "filter_spec": "original",
        "uidb64": "MQ",
        "token": "set-password",
        "session_id": 0,
        "object_id": page.pk,
        "restriction_id": w["restriction"].pk,
        "page_view_restriction_id": w["restriction"].pk,
        "action_name": "copy",
        "action": "approve",
        "kind": "question",
        "fmt": "csv",
        "reference": w["evidence_private"].reference,
    }


# Patterns whose parameters mean something specific: {pattern: {param: fn(world)}}.
def _overrides(w) -> dict[str, dict]:
    snippet_objects = {
        "questions/question": w["q_published"],
        "questions/answer": w["answer"],
        "questions/comment": w["comment"],
        "questions/flag": w["flag"],
        "consultations/liveupdate": w["live_update"],
        "social/channel": w["channel"],
        "social/posttemplate": w["post_template"],
        "scrutiny/evidencetheme": w["theme"],
    }
    out = {}
    for pattern in url_patterns():
        m = re.match(r"admin/snippets/(?:choose/)?(\w+/\w+)/", pattern)
        if m and m.group(1) in snippet_objects:
            out[pattern] = {"pk": snippet_objects[m.group(1)].pk}
    by_prefix = {
        "admin/api/main/^pages/": {"pk": w["c_open"].pk},
        "admin/api/main/^documents/": {"pk": w["document"].pk},
        "admin/api/main/^images/": {"pk": w["image"].pk},
        "admin/collections/": {"pk": w["collection"].pk},
        "admin/workflows/tasks/": {
            "pk": w["task"].pk if w["task"] else 0,
            "app_label": "wagtailcore",
            "model_name": "groupapprovaltask",
        },
        "admin/workflows/": {"pk": w["workflow"].pk if w["workflow"] else 0},
        "admin/sites/": {"pk": w["site"].pk},
        "admin/users/": {"pk": w["other_resident"].pk},
        "admin/groups/": {"pk": w["group"].pk},
        "admin/settings/": {"pk": w["site"].pk, "model_name": "sitesettings"},
        "admin/bulk/": {"app_label": "wagtailcore", "model_name": "page", "action": "delete"},
        "admin/tag-autocomplete/": {"app_name": "questions", "model_name": "question"},
        "admin/editing-sessions/": {"app_label": "wagtailcore", "model_name": "page"},
        "admin/moderation/": {"pk": w["q_pending"].pk},
        "admin/consultations/responses/": {"pk": w["response"].pk},
        "admin/social/pulls/": {"pk": w["pull"].pk},
        "admin/social/inbox/": {"pk": w["reply"].pk},
        "admin/social/posts/": {"pk": w["post_awaiting"].pk},
        "scrutiny/exports/": {"pk": w["export"].pk},
        "admin/images/chooser/": {"pk": w["image"].pk},
        "admin/documents/chooser/": {"pk": w["document"].pk},
        "django-admin/": {"object_id": w["document"].pk},
    }
    for pattern in url_patterns():
        for prefix, values in by_prefix.items():
            if pattern.startswith(prefix):
                out.setdefault(pattern, {}).update(values)
                break
    out["admin/workflows/remove/<int:page_pk>/<int:workflow_pk>/"] = {}
    return out


def _fill(pattern: str, values: dict) -> str:
    def sub(m):
        name = m.group("name")
        if name not in values:
            raise KeyError(f"no value for <{name}> in {pattern}")
        return str(values[name])

    return "/" + CONVERTER.sub(sub, pattern)


def _page_path(page) -> str:
    return page.url_path[len(Site.objects.get(is_default_site=True).root_page.url_path) - 1 :]


def _routable_cases(w) -> list[Case]:
    """Each routable page type's sub-routes, against pages and objects in their states."""
    qi = _page_path(w["question_index"])
    c_open = _page_path(w["c_open"])
    meeting, inquiry = _page_path(w["meeting"]), _page_path(w["inquiry"])
    out: list[Case] = []

    def add(model: str, route: str, label: str, path: str) -> None:
        out.append(Case(f"{model}:{route}", label, path))

    q = "questions.QuestionIndexPage"
    topic = "^topics/(?P<tag_slug>[-\\w]+)/"
    for route, label, path in [
        ("", "index", ""),
        ("ask/", "ask", "ask/"),
        ("suggest/", "suggest", "suggest/?title=tip"),
        ("feed/rss/", "rss", "feed/rss/"),
        ("feed/atom/", "atom", "feed/atom/"),
        ("topics/", "topics", "topics/"),
        (topic + "$", "topic", "topics/bins/"),
        (topic + "feed/rss/$", "topic-rss", "topics/bins/feed/rss/"),
        (topic + "feed/atom/$", "topic-atom", "topics/bins/feed/atom/"),
    ]:
        add(q, route, label, qi + path)
    thread = "<int:question_id>/<str:slug>/"
    for state in ("published", "pending", "rejected", "closed", "hidden"):
        question = w[f"q_{state}"]
        base = f"{qi}{question.pk}/{question.slug}/"
        add(q, "<int:question_id>/", state, f"{qi}{question.pk}/")
        add(q, thread, state, base)
        add(q, thread + "feed/rss/", state, base + "feed/rss/")
        add(q, thread + "feed/atom/", state, base + "feed/atom/")
        for action in ("answer", "comment", "vote", "follow", "unfollow", "report", "edit"):
            add(q, thread + "<str:action>/", f"{state}:{action}", base + f"{action}/")
    for label, answer in (("others-answer", w["answer"]), ("own-answer", w["own_answer"])):
        for action in ("vote", "accept", "official", "edit", "report", "comment"):
            path = f"{qi}answers/{answer.pk}/{action}/"
            add(q, "answers/<int:answer_id>/<str:action>/", f"{label}:{action}", path)
    for action in ("edit", "report"):
        path = f"{qi}comments/{w['comment'].pk}/{action}/"
        add(q, "comments/<int:comment_id>/<str:action>/", f"others-comment:{action}", path)

    c = "consultations.ConsultationPage"
    for state in ("open", "closed", "draft"):
        path = _page_path(w[f"c_{state}"])
        for route in ("", "respond/", "follow/", "calendar/"):
            add(c, route, state, path + route)
    ref = w["response"].reference
    add(c, "respond/received/<str:reference>/", "own-response", f"{c_open}respond/received/{ref}/")
    add(c, "responses/<str:reference>/", "own-response", f"{c_open}responses/{ref}/")

    m = "consultations.MeetingPage"
    for route in ("", "updates/", "updates/latest/", "calendar/"):
        add(m, route, "meeting", meeting + route)

    i = "scrutiny.InquiryPage"
    for state, path in (("open", inquiry), ("closed", _page_path(w["inquiry_closed"]))):
        for route in ("", "evidence/", "submit/", "follow/", "dashboard/", "dashboard/export/"):
            add(i, route, state, path + route)
    done = f"{inquiry}submit/done/{w['evidence_public'].reference}/"
    add(i, "submit/done/<str:reference>/", "own-submission", done)
    return out


SERVE = "^((?:[\\w\\-]+/)*)$"


def cases(w) -> list[Case]:
    defaults = _defaults(w)
    overrides = _overrides(w)
    out: list[Case] = []
    confirm_email = "accounts/^confirm-email/(?P<key>[-:\\w]+)/$"
    reset_key = "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$"
    compare = (
        "admin/pages/^(?P<pk>\\d+)/revisions/compare/"
        "(?P<revision_id_a>live|earliest|\\d+)\\.\\.\\.(?P<revision_id_b>live|latest|\\d+)/$"
    )
    app_list = (
        "django-admin/^(?P<app_label>wagtaildocs|wagtailimages|taggit|"
        "django_tasks_database|account|auth)/$"
    )
    document = w["document"]
    specials = {
        SERVE: [
            Case(SERVE, label, _page_path(w[key]))
            for label, key in (
                ("home", "home"),
                ("standard page", "privacy_page"),
                ("password-protected page", "private_page"),
                ("consultation index", "consultation_index"),
                ("meeting index", "meeting_index"),
                ("inquiry index", "inquiry_index"),
            )
        ]
        + [Case(SERVE, "missing page", "/no-such-page/")],
        "documents/^(\\d+)/(.*)$": [
            Case(
                "documents/^(\\d+)/(.*)$",
                "document",
                f"/documents/{document.pk}/{document.filename}",
            )
        ],
        confirm_email: [Case(confirm_email, "bad key", "/accounts/confirm-email/nope/")],
        reset_key: [Case(reset_key, "bad key", "/accounts/password/reset/key/1-nope/")],
        compare: [
            Case(
                compare,
                "compare",
                f"/admin/pages/{w['c_open'].pk}/revisions/compare/earliest...latest/",
            )
        ],
        "admin/^.*/$": [Case("admin/^.*/$", "unknown", "/admin/no-such-thing/")],
        "django-admin/(?P<url>.*)$": [
            Case("django-admin/(?P<url>.*)$", "unknown", "/django-admin/no-such-thing/")
        ],
        app_list: [Case(app_list, "auth", "/django-admin/auth/")],
        "django-admin/r/<path:content_type_id>/<path:object_id>/": [
            Case(
                "django-admin/r/<path:content_type_id>/<path:object_id>/",
                "page",
                "/django-admin/r/1/1/",
            )
        ],
    }
    for pattern in url_patterns():
        if ":" in pattern.split("/")[0] and "." in pattern.split(":")[0]:
            continue  # routable sub-routes: below
        if pattern in specials:
            out.extend(specials[pattern])
            continue
        values = {**defaults, **overrides.get(pattern, {})}
        out.append(Case(pattern, "", _fill(pattern, values)))
    out.extend(_routable_cases(w))
    return out
