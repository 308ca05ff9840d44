"""The demo tour: five short steps through the whole story, with the demo logins.

Shown only in demo mode (PARLEY_DEMO_MODE). The portal sits on the lowest floor, so it finds
the other apps' pages by string model references and their admin screens by URL name; a step
whose app is not installed is left out.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .demo import DEMO_PASSWORD, DEMO_USERS


@dataclass
class Step:
    title: str
    who: str
    what: str
    links: list[tuple[str, str]] = field(default_factory=list)


def _login(key: str) -> str:
    return next(email for k, email, *_ in DEMO_USERS if k == key)


def _page(label: str, **filters):
    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    return model.objects.live().filter(**filters).order_by("path").first()


def _reverse(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _links(*pairs) -> list[tuple[str, str]]:
    return [(text, url) for text, url in pairs if url]


def tour_steps() -> list[Step]:
    now = timezone.now()
    steps = []
    questions = _page("questions.QuestionIndexPage")
    if questions is not None:
        steps.append(
            Step(
                "Ask a question and get the council's answer",
                f"Sign in as the resident ({_login('resident')}), then as the moderator "
                f"({_login('moderator')}) and the officer ({_login('officer')}).",
                "Ask a question: similar ones appear as you type. Follow it. The moderator "
                "approves it in the moderation queue; the officer opens the thread and ticks "
                "“Post as the council’s official answer”. The resident sees it on “My "
                "contributions” and gets an email.",
                _links(
                    ("Ask a question", f"{questions.url}ask/"),
                    ("Moderation queue", _reverse("questions_moderation:queue")),
                    ("My contributions", _reverse("portal:contributions")),
                ),
            )
        )
    social_queue = _reverse("social_admin:queue")
    if social_queue:
        steps.append(
            Step(
                "Post it to X safely, and bring the replies back",
                f"Sign in as the social media coach ({_login('coach')}), then as the officer.",
                "Drafts for X wait in the approval queue. One has a phone number in it: the "
                "personal-data check stops it until you edit the number out. Approved posts go "
                "to the local X sandbox, where invented residents keep replying every minute or "
                "so. The officer ticks replies in the reply inbox and promotes them to evidence "
                "for an inquiry, then tags them in evidence triage.",
                _links(
                    ("Approval queue", social_queue),
                    ("Replies from X", _reverse("social_admin:inbox")),
                    ("Evidence triage", _reverse("scrutiny:triage")),
                ),
            )
        )
    open_consultation = _page(
        "consultations.ConsultationPage", decision="", opens_at__lte=now, closes_at__gt=now
    )
    decided = _page("consultations.ConsultationPage", decision__gt="")
    if open_consultation is not None:
        steps.append(
            Step(
                "Respond to a consultation, and see what was decided",
                f"Anyone, signed in or not (try the resident, {_login('resident')}).",
                "Answer the questions, say whether we may quote you, and keep the reference on "
                "your receipt. Once a consultation closes, officers publish “We asked, you said, "
                "we did” on its page.",
                _links(
                    (f"Respond: {open_consultation.title}", open_consultation.url),
                    (f"An outcome: {decided.title}" if decided else "", decided and decided.url),
                ),
            )
        )
    inquiry = _page("scrutiny.InquiryPage")
    if inquiry is not None:
        steps.append(
            Step(
                "Review the evidence as a scrutiny committee member",
                f"Sign in as the councillor ({_login('committee')}).",
                "Open the inquiry’s dashboard: filter by a theme, read each chart and the table "
                "of figures beside it, and download the evidence pack as a spreadsheet or PDF.",
                _links(
                    (f"Dashboard: {inquiry.title}", f"{inquiry.url}dashboard/"),
                    ("Give evidence as a resident", f"{inquiry.url}submit/"),
                ),
            )
        )
    meetings = _page("consultations.MeetingIndexPage")
    if meetings is not None:
        steps.append(
            Step(
                "Follow a meeting live",
                f"Sign in as the officer ({_login('officer')}); watch from another browser.",
                "On a meeting page the officer posts live updates; anyone reading the page sees "
                "them appear without reloading, and each update can be mirrored to X.",
                _links(("Meetings", meetings.url)),
            )
        )
    return steps


def tour(request):
    if not settings.PARLEY_DEMO_MODE:
        raise Http404
    logins = [(key, email, name) for key, email, name, *_ in DEMO_USERS]
    return render(
        request,
        "portal/tour.html",
        {"steps": tour_steps(), "logins": logins, "password": DEMO_PASSWORD},
    )
