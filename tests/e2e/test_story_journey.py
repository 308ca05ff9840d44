"""The whole story in a real browser (issue 8): the six journeys through questions,
consultations, the X channel and scrutiny, each on the demo content and through the UI only.

Every page a journey visits is checked with axe-core (JavaScript on) and for CSP violations.
The database is read only to find the verification email and to confirm what the UI said.
"""

import csv
import io
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import link_from_email
from tests.e2e.story import (
    ASK_TITLE,
    PASSWORD,
    sign_in,
    sign_out,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


# -- Journey 1 (and, without JavaScript, journey 5) ------------------------------------------


def _resident_signs_up(j, *, email, name):
    page = j.page
    j.goto("/")
    j.check_accessibility("home")
    j.screenshot("home")
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_role("link", name="Create an account").click()
    j.check_accessibility("create an account")
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    j.check_accessibility("check your email")
    [message] = [m for m in mail.outbox if email in m.to]
    j.goto(link_from_email(message))
    j.check_accessibility("confirm email")
    page.get_by_role("button", name="Confirm email address").click()
    expect(page.get_by_role("link", name="Your account")).to_be_visible()


def _resident_asks(j):
    page = j.page
    page.get_by_role("link", name="Ask the council").first.click()
    j.check_accessibility("question list")
    page.get_by_role("button", name="Ask a question").first.click()
    j.check_accessibility("ask form")
    page.get_by_label("Your question").fill(ASK_TITLE)
    if j.javascript:
        suggestion = page.locator(".parley-suggest__list a", has_text="Mill Lane recycling centre")
        expect(suggestion.first).to_be_visible()
        expect(page.locator("#similar-questions-status")).to_contain_text("similar question")
        j.check_accessibility("ask form with suggestions")
        j.screenshot("ask-with-suggestions", show=page.locator(".parley-suggest__list"))
    page.get_by_label("More detail").fill(
        "I have a car full of hedge cuttings. Will the centre take garden waste again?"
    )
    page.get_by_role("button", name="Continue").click()
    if not j.javascript:
        # Without JavaScript the suggestions are a step of their own.
        expect(
            page.get_by_role("heading", name="Has your question already been asked?")
        ).to_be_visible()
        expect(
            page.get_by_role("link", name=re.compile("Mill Lane recycling centre"))
        ).to_be_visible()
        page.get_by_role("button", name="Post my question").click()
    expect(page.get_by_text("Your question has been sent to our moderators")).to_be_visible()
    expect(page.get_by_role("heading", name=ASK_TITLE, level=1)).to_be_visible()
    j.check_accessibility("question awaiting moderation")
    return page.url


def _follow(j, thread_url):
    page = j.page
    j.goto(thread_url)
    follow = page.get_by_role("button", name="Follow this question")
    if follow.count():
        follow.click()
    expect(page.get_by_role("button", name="Stop following")).to_be_visible()


def _moderator_approves(j):
    page = j.page
    sign_in(j, "moderator@example.com")
    j.goto("/admin/moderation/")
    page.get_by_role("button", name=f"Approve “{ASK_TITLE}”").click()
    expect(page.get_by_text(re.compile("published|approved", re.I)).first).to_be_visible()
    sign_out(j)


def _officer_answers(j, thread_url):
    page = j.page
    sign_in(j, "officer@example.com")
    j.goto(thread_url)
    page.get_by_label("Your answer").fill(
        "Yes. Garden waste is accepted again from Monday; bring it loose, not in bags."
    )
    page.get_by_label("Post as the council’s official answer").check()
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_text("Official answer").first).to_be_visible()
    sign_out(j)


@pytest.mark.parametrize("javascript", [True, False], ids=["journey1-js", "journey5-no-js"])
def test_journey_1_resident_asks_and_gets_the_official_answer(story, journey, javascript):
    resident = journey(javascript=javascript)
    staff = journey(javascript=javascript)
    email = "amira@example.com"
    _resident_signs_up(resident, email=email, name="Amira")
    thread_url = _resident_asks(resident)
    _follow(resident, thread_url)

    _moderator_approves(staff)
    resident.goto(thread_url)
    expect(
        resident.page.get_by_text("Your question has been sent to our moderators")
    ).to_have_count(0)
    resident.check_accessibility("published thread")

    mail.outbox.clear()
    _officer_answers(staff, thread_url)

    page = resident.page
    j = resident
    j.goto("/")
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="My contributions").click()
    j.check_accessibility("my contributions")
    card = page.locator(".parley-card", has_text=ASK_TITLE)
    expect(card).to_contain_text("Officially answered")
    card.get_by_role("link", name=ASK_TITLE).click()
    expect(page.get_by_text("Garden waste is accepted again from Monday")).to_be_visible()
    j.check_accessibility("thread with official answer")
    if javascript:
        j.screenshot("thread", height=1300)

    notices = [m for m in mail.outbox if email in m.to]
    assert len(notices) == 1, [m.subject for m in mail.outbox]
    assert ASK_TITLE in notices[0].subject + notices[0].body
    assert "official" in (notices[0].subject + notices[0].body).lower()


# -- Journey 2: the question's post to X, replies back, evidence -----------------------------

PII_TITLE = "Can Canal Lane get a school crossing patrol? Ring me on 07700 900123 for details"
CLEAN_TITLE = "Can Canal Lane get a school crossing patrol?"
X_REPLIES = [
    ("canal_mum", "Jo Hart", "Yes please. Cars do 40 past the school gates at 8.45 every day."),
    ("lanewalker", "Dev Patel", "My two walk that way. There is no safe place to cross at all."),
    ("grumpy_gus", "Gus", "First!"),
]


def _published_question_with_a_phone_number():
    """A resident's question a moderator let through with a phone number in its title."""
    from portal.models import SiteSettings, User
    from questions.services import question_ask

    return question_ask(
        title=PII_TITLE,
        body="The crossing by St Anne's has no patrol since September.",
        tags=["road safety"],
        by=User.objects.get(email="resident@example.com"),
        moderation_mode=SiteSettings.ModerationMode.POST,
    )


def test_journey_2_coached_post_to_x_and_replies_become_evidence(story, journey):
    import requests
    from django.core.management import call_command
    from django.db.models import Q

    from scrutiny.models import Evidence
    from social.models import Post

    question = _published_question_with_a_phone_number()
    j = journey()
    page = j.page

    # The coach finds the question's draft, flagged by the personal-data check.
    sign_in(j, "coach@example.com")
    j.goto("/admin/social/queue/")
    j.screenshot("approval-queue")
    row = page.get_by_role("row", name=re.compile("Canal Lane get a school crossing patrol"))
    expect(row.get_by_text("Personal data?")).to_be_visible()
    row.get_by_role("link", name=re.compile("Canal Lane")).click()
    expect(page.locator(".help-warning", has_text="Personal data check")).to_contain_text(
        "07700 900123"
    )
    page.get_by_role("button", name="Approve and post").click()
    expect(page.get_by_text(re.compile("personal", re.I)).first).to_be_visible()
    assert not Post.objects.filter(source_object_id=question.pk, status="published").exists()

    text = page.get_by_label("Text")
    text.fill(text.input_value().replace(PII_TITLE, CLEAN_TITLE))
    page.get_by_role("button", name="Approve and post").click()
    expect(page.get_by_text("Approved. It will be posted to X in a moment.")).to_be_visible()

    # The worker has published it to the sandbox (immediate backend, real HTTP).
    post = Post.objects.get(source_object_id=question.pk, kind="question")
    assert post.status == Post.Status.PUBLISHED, post.last_error
    assert "07700" not in post.text and CLEAN_TITLE in post.text
    tweet = requests.get(
        f"{story.base_url}/_sandbox/tweets", params={"conversation_id": post.external_id}, timeout=5
    ).json()["data"]
    assert [t["text"] for t in tweet] == [post.text]

    # Residents reply on X; the worker's pull brings the replies in.
    for username, name, reply in X_REPLIES:
        requests.post(
            f"{story.base_url}/_sandbox/replies",
            json={
                "in_reply_to": post.external_id,
                "username": username,
                "name": name,
                "text": reply,
            },
            timeout=5,
        ).raise_for_status()
    call_command("pull_replies", post=post.pk, stdout=io.StringIO())
    sign_out(j)

    # An officer promotes two replies to evidence for the road safety inquiry and tags them.
    sign_in(j, "officer@example.com")
    j.goto("/admin/social/inbox/")
    section = page.get_by_role("region", name=re.compile("Canal Lane"))
    for username, _, _ in X_REPLIES[:2]:
        section.get_by_label(f"Choose the reply by @{username}").check()
    j.screenshot("reply-inbox")
    page.get_by_role("button", name="Promote selected to evidence").click()
    expect(page.get_by_role("heading", name="Promote 2 items to evidence")).to_be_visible()
    j.check_accessibility("promote replies")
    page.get_by_label("Which inquiry is this evidence for?").select_option(
        label="Road safety near schools"
    )
    page.get_by_role("button", name="Save as evidence").click()
    expect(page.get_by_text("2 new items of evidence")).to_be_visible()

    j.goto("/scrutiny/evidence/")
    page.get_by_label("Search the evidence").fill("Canal Lane")
    page.get_by_role("button", name="Apply filters").click()
    evidence = list(
        Evidence.objects.filter(
            Q(text__contains="school gates at 8.45") | Q(text__contains="no safe place to cross")
        )
    )
    assert len(evidence) == 2
    for e in evidence:
        page.get_by_label(f"Select {e.reference}").check()
    page.get_by_label("Action", exact=True).select_option(label="Add theme…")
    page.get_by_label("Themes (optional)").fill("Crossings and patrols")
    page.get_by_role("button", name="Apply to selected items").click()
    expect(page.get_by_text("Themes added to 2 items.")).to_be_visible()
    for e in evidence:
        assert "Crossings and patrols" in Evidence.objects.get(pk=e.pk).theme_names


# -- Journey 3 (and, without JavaScript, journey 5): respond, then "We asked, you said, we did"


def _resident_responds(j):
    page = j.page
    j.goto("/")
    page.get_by_role("link", name="Consultations").first.click()
    j.check_accessibility("consultation index")
    page.get_by_label("Open", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    j.check_accessibility("open consultations")
    page.get_by_role("link", name="Budget consultation 2026 to 2027").click()
    j.check_accessibility("open consultation")
    page.get_by_role("button", name="Respond to this consultation").click()
    j.check_accessibility("response form")
    page.get_by_role("button", name="Send response").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    j.check_accessibility("response form with errors")
    _fill_budget_response(page)
    page.get_by_role("button", name="Send response").click()
    expect(page.get_by_role("heading", name="Response received")).to_be_visible()
    j.check_accessibility("receipt")
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert re.fullmatch(r"[A-Z0-9-]{6,}", reference), reference
    return reference


def _fill_budget_response(page):
    page.get_by_role("group", name="Are you responding as").get_by_label(
        "A resident of Harrowfield"
    ).check()
    services = page.get_by_role("group", name="Which three services matter most to you?")
    services.get_by_label("Libraries").check()
    services.get_by_label("Adult social care").check()
    page.get_by_role("group", name="How should we balance the budget?").get_by_label(
        "Raise council tax by 2.99% and make some savings"
    ).check()
    page.get_by_label("Do you have ideas").fill("Share back-office services with Kestrel Vale.")
    page.get_by_role("group", name="May we publish or quote your response?").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("group", name="May we contact you about your response?").get_by_label(
        "No"
    ).check()


def _officer_writes_the_outcome(j, consultation):
    """The officer fills in the Outcome tab and submits it; a moderator approves it."""
    page = j.page
    sign_in(j, "officer@example.com")
    j.goto(f"/admin/pages/{consultation.pk}/edit/")
    page.get_by_role("tab", name="Outcome").click()
    for label, text in [
        ("We asked", "We asked how to balance next year's budget."),
        ("You said", "Most of you said protect libraries and adult social care."),
        ("We did", "We kept every library open and raised council tax by 2.99%."),
    ]:
        editor = page.locator(f"[data-contentpath='{label.lower().replace(' ', '_')}']")
        box = editor.locator("[contenteditable='true']")
        box.click()
        page.keyboard.type(text)
        # Draftail saves into its hidden input a moment after typing stops.
        stored = editor.locator("input[type='hidden']")
        expect(stored).to_have_value(re.compile(re.escape(text.split(".")[0])))
    page.locator("[data-contentpath='decision'] textarea").fill(
        "Council tax rises by 2.99%; libraries and adult social care are protected."
    )
    page.locator("footer").get_by_role("button", name="More actions").click()
    page.get_by_role("button", name=re.compile("Submit to .*")).click()
    # Wagtail's own message after the redirect (the edit page's status panel can already
    # hold words like "published", so only the message proves the action was saved).
    expect(page.get_by_text(re.compile(r"has been submitted for moderation\."))).to_be_visible()
    sign_out(j)

    sign_in(j, "moderator@example.com")
    j.goto(f"/admin/pages/{consultation.pk}/edit/")
    page.locator("footer").get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Approve and Publish").click()
    expect(page.get_by_text(re.compile(r"Page '.*' has been updated\."))).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"/edit/$"))
    sign_out(j)


@pytest.mark.parametrize("javascript", [True, False], ids=["journey3-js", "journey5-no-js"])
def test_journey_3_resident_responds_and_officer_publishes_the_outcome(story, journey, javascript):
    from datetime import timedelta

    from django.utils import timezone

    from consultations.models import ConsultationPage, ConsultationResponse

    resident = journey(javascript=javascript)
    sign_in(resident, "resident@example.com")
    reference = _resident_responds(resident)
    response = ConsultationResponse.objects.get(reference=reference)
    assert response.consent_publish is True

    # Time passes: the consultation closes (the one step no person takes).
    consultation = ConsultationPage.objects.get(slug="budget-2026-27")
    closed = timezone.now() - timedelta(minutes=1)
    ConsultationPage.objects.filter(pk=consultation.pk).update(closes_at=closed)
    revision = consultation.get_latest_revision()
    revision.content["closes_at"] = closed.isoformat()
    revision.save(update_fields=["content"])

    staff = journey()  # the Wagtail admin needs JavaScript
    _officer_writes_the_outcome(staff, consultation)

    page = resident.page
    resident.goto(consultation.url)
    expect(page.get_by_role("heading", name=re.compile("We did"))).to_be_visible()
    expect(page.get_by_text("We kept every library open")).to_be_visible()
    resident.check_accessibility("consultation with outcome")
    resident.screenshot("consultation-outcome", show=page.get_by_role("heading", name="You said"))
    resident.goto("/account/contributions/")
    row = page.get_by_role("row", name=re.compile(reference))
    expect(row.get_by_role("link", name="Read what we did")).to_be_visible()


# -- Journey 4: the committee member's dashboard, filtered by a theme, and the packs ----------


def _chart_and_table(page, title):
    """The bars drawn in the chart and the rows of the table beside it, as {label: count}."""
    block = page.get_by_role("region", name=title)
    bars = {
        g.get_attribute("data-label"): int(g.get_attribute("data-value"))
        for g in block.locator("svg g[data-label]").all()
    }
    rows = {
        r.locator("th").inner_text().strip(): int(r.locator("td").inner_text())
        for r in block.get_by_role("table").locator("tbody tr").all()
        if r.locator("td.govuk-table__cell--numeric").count()
    }
    return bars, rows


def _download_pack(page, fmt_label, tmp_path):
    page.get_by_label(fmt_label).check()
    page.get_by_role("button", name="Build the evidence pack").click()
    expect(page.get_by_role("status")).to_contain_text("Your pack is ready")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Download")).click()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    page.get_by_role("link", name="Back to the dashboard").click()
    return target


def test_journey_4_committee_member_filters_the_dashboard_and_exports(story, journey, tmp_path):
    from pypdf import PdfReader

    theme = "Crossings and patrols"
    j = journey()
    page = j.page
    sign_in(j, "councillor@example.com")
    page.get_by_role("link", name="Scrutiny inquiries").first.click()
    j.check_accessibility("inquiries")
    page.get_by_role("link", name="Road safety near schools").click()
    j.check_accessibility("inquiry page, signed in as a committee member")
    page.get_by_role("link", name="Evidence dashboard and packs").click()
    j.check_accessibility("dashboard")
    counted = page.get_by_role("heading", name=re.compile(r"^\d+ items? of evidence"))
    total = int(re.match(r"\d+", counted.inner_text()).group())

    page.get_by_label("Theme (optional)").select_option(theme)
    page.get_by_role("button", name="Apply filters").click()
    heading = page.get_by_role("heading", name=re.compile("matching the filters"))
    expect(heading).to_be_visible()
    matching = int(re.match(r"\d+", heading.inner_text()).group())
    assert 0 < matching < total
    j.check_accessibility("dashboard filtered by theme")
    heading.scroll_into_view_if_needed()
    j.screenshot("inquiry-dashboard")

    for title in ["Evidence by theme", "Evidence by source", "Evidence by week"]:
        bars, rows = _chart_and_table(page, title)
        assert bars == rows, title
    bars, _ = _chart_and_table(page, "Evidence by theme")
    assert bars[theme] == matching
    assert sum(_chart_and_table(page, "Evidence by source")[0].values()) == matching

    references = set(
        page.locator("table").get_by_text(re.compile(r"^EV-\d{4}-\d{6}$")).all_inner_texts()
    )
    assert len(references) == min(matching, 50)

    pack = _download_pack(page, "CSV spreadsheet", tmp_path)
    rows = list(csv.DictReader(io.StringIO(pack.read_text(encoding="utf-8-sig"))))
    assert len(rows) == matching
    in_csv = {r["Reference"] for r in rows}
    assert references <= in_csv
    assert all(theme in r["Themes"] for r in rows)

    pack = _download_pack(page, "PDF for committee papers", tmp_path)
    text = "\n".join(p.extract_text() for p in PdfReader(pack).pages)
    assert all(ref in text for ref in in_csv), sorted(r for r in in_csv if r not in text)
    assert "Road safety near schools" in text


# -- Journey 6: live updates from a meeting ---------------------------------------------------


def test_journey_6_officer_posts_live_updates_during_a_meeting(story, journey, settings):
    from datetime import timedelta

    from django.utils import timezone

    from consultations.models import LiveUpdate, MeetingPage
    from tests.consultations.factories import make_meeting

    settings.PARLEY_LIVE_POLL_SECONDS = 1
    now = timezone.now()
    meeting = make_meeting(
        MeetingPage.objects.first().get_parent().specific,
        slug="cabinet-tonight",
        title="Cabinet, this evening",
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(hours=2),
    )
    watcher = journey()
    watcher.goto(meeting.url)
    watcher.check_accessibility("live meeting")
    expect(watcher.page.get_by_text("Updates will appear here during the meeting.")).to_be_visible()

    officer = journey()
    sign_in(officer, "officer@example.com")
    officer.goto(meeting.url)
    officer.check_accessibility("live meeting with the update form")
    officer.page.get_by_label("Post a live update").fill("Item 1: apologies from Cllr Ferris.")
    officer.page.get_by_role("button", name="Post update").click()
    expect(officer.page.get_by_text("Your update is live on the meeting page.")).to_be_visible()
    assert LiveUpdate.objects.filter(meeting=meeting).count() == 1

    # the watcher's page was never reloaded
    watcher.page.get_by_text("Item 1: apologies from Cllr Ferris.").wait_for(timeout=10_000)
    assert watcher.page.get_by_text("1 new update").count() == 1
    watcher.screenshot("meeting-live-updates")
