"""Demo content for the portal floor: settings, the page tree, one user per role.

`manage.py seed_demo` runs this first and then each app's own `demo.seed(ctx)` in floor
order. Everything is looked up before it is created, so running it twice changes nothing.
The organisation and people are invented.
"""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from wagtail.models import Page, Site

from . import roles
from .models import HomePage, SiteSettings, StandardPage, User

# Printed on purpose: these are demo logins only.
DEMO_PASSWORD = "parley-demo-2026"  # noqa: S105  # nosec B105

DEMO_USERS = [
    # key, email, display name, roles, staff, superuser, job title, department
    ("resident", "resident@example.com", "Priya (Eastfield)", [], False, False, "", ""),
    ("resident2", "neighbour@example.com", "Tom from Millbrook", [], False, False, "", ""),
    (
        "officer",
        "officer@example.com",
        "Dan Okafor",
        [roles.OFFICERS],
        True,
        False,
        "Neighbourhood Services Officer",
        "Environment and Streets",
    ),
    (
        "moderator",
        "moderator@example.com",
        "Ruth Kendall",
        [roles.MODERATORS],
        True,
        False,
        "Customer Engagement Lead",
        "Communications",
    ),
    (
        "coach",
        "coach@example.com",
        "Sam Whitlock",
        [roles.COACHES],
        True,
        False,
        "Digital Communications Manager",
        "Communications",
    ),
    (
        "committee",
        "councillor@example.com",
        "Cllr Margaret Osei",
        [roles.SCRUTINY],
        False,
        False,
        "Chair, Place Scrutiny Committee",
        "Democratic Services",
    ),
    (
        "admin",
        "admin@example.com",
        "Site administrator",
        [],
        True,
        True,
        "Digital Services Manager",
        "Digital",
    ),
]


@dataclass
class DemoContext:
    home: HomePage
    users: dict[str, User] = field(default_factory=dict)
    write: object = print

    def page(self, parent: Page, model, slug: str, **fields):
        """Find the child page by slug, or create and publish it."""
        existing = parent.get_children().filter(slug=slug).specific().first()
        if existing is not None:
            return existing
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page


def _rich(*paragraphs: str) -> list:
    return [("paragraph", "".join(f"<p>{p}</p>" for p in paragraphs))]


def privacy_notice_body() -> list:
    """The privacy notice: what the service actually stores (tests/portal/test_privacy.py
    checks it names every table of the data download and the retention periods in settings)."""
    from django.conf import settings

    return [
        *_rich(
            "Harrowfield Borough Council is the data controller for this service. "
            "We use your information to run public questions, consultations and scrutiny "
            "inquiries, under our public task (UK GDPR Article 6(1)(e)).",
        ),
        ("heading", {"text": "What we store", "size": "m"}),
        *_rich(
            "Your account: your email address, display name, password (only as a one-way "
            "hash), whether you have confirmed your email, how often you want emails, when "
            "you joined and last signed in, and, if you give it, your X handle. Staff accounts "
            "also hold a job title and department.",
            "What you post: your questions, answers and comments, your votes, the questions, "
            "consultations and inquiries you follow, reports you make about posts, your "
            "consultation responses (with the name and email you gave, if any, and your "
            "consent choices) and evidence you submit to an inquiry (with any organisation "
            "and contact email you gave).",
            "The emails we send you, so you can see them on your account.",
            "When we post to X, replies to our posts are brought back with the author's "
            "public handle, name and the reply's text, and the raw data X sent. If you link "
            "your X handle, your replies on X are included in your data download.",
            "Staff: the posts to X you drafted or approved and the meeting live updates you "
            "posted.",
            "We count requests per IP address for a few minutes to stop abuse; we do not "
            "store IP addresses with what you post.",
        ),
        ("heading", {"text": "How long we keep it", "size": "m"}),
        *_rich(
            "Accounts whose email address is never confirmed are deleted after "
            f"{settings.PARLEY_RETENTION_UNVERIFIED_DAYS} days.",
            "The raw data X sends with each reply is deleted after "
            f"{settings.PARLEY_RETENTION_RAW_X_DAYS} days; the reply's text and author stay "
            "while it is used by officers or as evidence.",
            "Evidence packs exported for committees are deleted after 7 days.",
            "Everything else is kept while your account exists.",
        ),
        ("heading", {"text": "Your rights", "size": "m"}),
        *_rich(
            "You can download everything we hold about you, as JSON and CSV files in a ZIP, "
            "from your account page.",
            "You can delete your account there too. What you posted stays but shows as "
            "'Former resident'; your email address, name, X handle, follows and email history "
            "are erased; your consultation responses lose your name and email; your replies "
            "on X stop being shown here; and evidence you gave keeps its reference with your "
            "name removed, and we log that removal.",
        ),
    ]


def seed(write=print) -> DemoContext:
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    if home.title != "Have your say in Harrowfield":
        home.title = "Have your say in Harrowfield"
        home.draft_title = home.title
        home.intro = (
            "Ask Harrowfield Borough Council a question in public, tell us what you think of "
            "our plans before we decide, and see what happened to what you said."
        )
        home.save()
    ctx = DemoContext(home=home, write=write)

    for key, email, name, role_names, staff, superuser, title, dept in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                display_name=name,
                is_staff=staff,
                is_superuser=superuser,
                job_title=title,
                department=dept,
                email_verified=True,
            )
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            for role in role_names:
                user.groups.add(Group.objects.get(name=role))
        ctx.users[key] = user

    house_rules = ctx.page(
        home,
        StandardPage,
        "house-rules",
        title="House rules",
        summary="How to take part so that everyone can have their say.",
        body=[
            *_rich(
                "This is a public space run by Harrowfield Borough Council. Anyone can read it. "
                "To keep it useful and safe for everyone, please follow these rules.",
            ),
            ("heading", {"text": "Be respectful", "size": "m"}),
            *_rich(
                "Disagree with ideas, not people. We remove personal attacks, harassment, "
                "and anything discriminatory, threatening or obscene.",
            ),
            ("heading", {"text": "Keep personal details out", "size": "m"}),
            *_rich(
                "Do not post phone numbers, addresses, email addresses or case details, yours "
                "or anyone else's. If your question is about your own case, contact us privately.",
            ),
            ("heading", {"text": "Stay on topic", "size": "m"}),
            *_rich(
                "Ask one question at a time and check whether it has been asked already. "
                "We may merge duplicate questions so answers stay in one place.",
            ),
            ("heading", {"text": "How we moderate", "size": "m"}),
            *_rich(
                "Moderators check new questions before they appear. Anyone can report a post; "
                "a post reported by three different people is hidden until a moderator looks "
                "at it. If we remove something you wrote, we will tell you why.",
            ),
        ],
    )
    privacy = ctx.page(
        home,
        StandardPage,
        "privacy",
        title="Privacy notice",
        summary="What we collect when you use this service, why, and how long we keep it.",
        body=privacy_notice_body(),
    )
    accessibility = ctx.page(
        home,
        StandardPage,
        "accessibility",
        title="Accessibility statement",
        summary="How accessible this service is and how to report a problem.",
        body=_rich(
            "We want as many people as possible to be able to use this service. You should be "
            "able to change colours, zoom in up to 400% without text spilling off the screen, "
            "navigate with just a keyboard or speech recognition software, and listen to it "
            "with a screen reader.",
            "This service aims to meet the Web Content Accessibility Guidelines version 2.2 AA "
            "standard. Every page is checked automatically with axe-core as part of our tests.",
            "If you find a problem, email haveyoursay@harrowfield.example and we will reply "
            "within 5 working days.",
        ),
    )
    ctx.page(
        home,
        StandardPage,
        "about",
        title="About this service",
        summary="Why Harrowfield runs its questions and consultations in public.",
        body=_rich(
            "We answer residents' questions in public so that everyone can see the answer, and "
            "we consult before we decide. When a consultation closes we publish what you told "
            "us and what we did about it.",
            "Our posts on X point back here, and what people reply on X is read by officers and "
            "can be used as evidence by the council's scrutiny committees.",
        ),
    )

    settings = SiteSettings.for_site(site)
    wanted = {
        "organisation_name": "Harrowfield Borough Council",
        "service_name": "Have your say",
        "contact_email": "haveyoursay@harrowfield.example",
        "house_rules_page_id": house_rules.pk,
        "privacy_page_id": privacy.pk,
        "accessibility_page_id": accessibility.pk,
    }
    if any(getattr(settings, k) != v for k, v in wanted.items()):
        for k, v in wanted.items():
            setattr(settings, k, v)
        settings.save()
    return ctx
