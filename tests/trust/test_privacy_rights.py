"""UK GDPR, end to end: a resident who did everything downloads it all, then erases it.

One person asks, answers, comments, votes, follows, reports, responds to a consultation,
submits evidence and replies on X under the handle they linked. The download must hold every
one of those (as JSON and CSV); erasure must leave the contributions as "Former resident",
remove the personal data, keep evidence references with the author redacted and logged.
"""

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, Site

from consultations.models import ConsultationFollow, ConsultationResponse
from portal import privacy
from portal.demo import privacy_notice_body
from portal.models import Notification, User
from questions.models import Answer, Comment, Flag, Follow, Question, QuestionIndexPage, Vote
from questions.services import recount_question
from scrutiny import services as scrutiny_services
from scrutiny.models import Evidence, InquiryFollow, SourceKind
from social.models import Channel, Post, Reply
from tests.consultations.factories import make_consultation
from tests.consultations.factories import make_index as make_consultation_index
from tests.factories import PASSWORD, UserFactory
from tests.questions.factories import AnswerFactory, CommentFactory, QuestionFactory
from tests.scrutiny.factories import make_evidence, make_inquiry
from tests.scrutiny.factories import make_index as make_inquiry_index

pytestmark = pytest.mark.django_db

HANDLE = "priya_eastfield"


@pytest.fixture
def everything(settings, tmp_path):
    """A resident with one of every kind of contribution, and the rows to check afterwards."""
    settings.PARLEY_PRIVATE_ROOT = tmp_path / "private"
    home = Site.objects.get(is_default_site=True).root_page.specific
    questions_index = QuestionIndexPage(title="Ask the council", slug="ask-the-council")
    home.add_child(instance=questions_index)
    questions_index.save_revision().publish()

    priya = UserFactory(display_name="Priya Shah", x_handle=HANDLE)
    tom = UserFactory(display_name="Tom")
    question = QuestionFactory(author=priya, title="Why is the Mill Lane tip shut?")
    other_question = QuestionFactory(author=tom, title="When are bins collected?")
    answer = AnswerFactory(question=other_question, author=priya, body="Tuesdays, I think.")
    comment = CommentFactory(question=other_question, author=priya, body="Mine came Monday.")
    Vote.objects.create(user=priya, question=other_question)
    Follow.objects.create(user=priya, question=other_question)
    Flag.objects.create(
        reporter=priya,
        comment=CommentFactory(question=question, author=tom),
        reason=Flag.Reason.ABUSE,
        details="Tom Jones at 4 High St is rude",
    )
    for q in (question, other_question):
        recount_question(q.pk)

    consultation = make_consultation(make_consultation_index(home))
    response = ConsultationResponse.objects.create(
        page=consultation,
        user=priya,
        reference="RBC-CR-2026-000009",
        answers={"q-comments": {"question": "Else?", "kind": "long_text", "answer": "Keep it."}},
        consent_publish=True,
        consent_contact=True,
        name="Priya Shah",
        email="priya@example.com",
    )
    ConsultationFollow.objects.create(page=consultation, user=priya)

    inquiry = make_inquiry(make_inquiry_index(home))
    submitted = scrutiny_services.evidence_submit(
        inquiry=inquiry,
        name="Priya Shah",
        text="The crossing on Eastfield Road has no lights.",
        consent_publish=True,
        consent_contact=True,
        email="priya@example.com",
        user=priya,
    )
    InquiryFollow.objects.create(inquiry=inquiry, user=priya)

    channel = Channel.objects.create(name="Council", kind=Channel.Kind.SANDBOX, handle="council")
    post = Post.objects.create(channel=channel, text="Bins move", status=Post.Status.PUBLISHED)
    reply = Reply.objects.create(
        channel=channel,
        post=post,
        external_id="1901",
        conversation_id="1900",
        author_id="77",
        author_handle=HANDLE.upper(),
        author_name="Priya S",
        text="Bins were not collected on my road",
        created_at=timezone.now(),
        raw={"id": "1901", "author_id": "77", "geo": "Eastfield"},
    )
    someone_else = Reply.objects.create(
        channel=channel,
        post=post,
        external_id="1902",
        conversation_id="1900",
        author_handle="someone",
        text="Mine were",
        raw={"id": "1902"},
    )
    x_evidence = make_evidence(
        inquiry,
        text="Bins were not collected on my road",
        kind=SourceKind.X_REPLY,
        author_name="Priya S",
        author_handle=HANDLE,
    )
    Notification.objects.create(user=priya, kind="t", subject="Your question", body="Answered")
    return {
        "priya": priya,
        "question": question,
        "answer": answer,
        "comment": comment,
        "other_question": other_question,
        "response": response,
        "submitted": submitted,
        "reply": reply,
        "someone_else": someone_else,
        "x_evidence": x_evidence,
    }


def _download(client, user) -> zipfile.ZipFile:
    client.force_login(user)
    response = client.post(reverse("portal:your_data"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def _table(archive, name) -> list[dict]:
    rows = json.loads(archive.read(f"{name}.json"))
    as_csv = list(csv.DictReader(io.StringIO(archive.read(f"{name}.csv").decode())))
    assert len(as_csv) == len(rows), name
    return rows


def test_the_download_holds_every_kind_of_contribution_as_json_and_csv(client, everything):
    archive = _download(client, everything["priya"])

    assert _table(archive, "account")[0]["x_handle"] == HANDLE
    assert [q["title"] for q in _table(archive, "questions")] == ["Why is the Mill Lane tip shut?"]
    assert [a["answer"] for a in _table(archive, "answers")] == ["Tuesdays, I think."]
    assert [c["comment"] for c in _table(archive, "comments")] == ["Mine came Monday."]
    assert [v["question"] for v in _table(archive, "votes")] == ["When are bins collected?"]
    assert [f["question"] for f in _table(archive, "questions_followed")] == [
        "When are bins collected?"
    ]
    assert _table(archive, "reports_you_made")[0]["details"].startswith("Tom Jones")
    assert _table(archive, "consultation_responses")[0]["reference"] == "RBC-CR-2026-000009"
    assert len(_table(archive, "consultations_followed")) == 1
    evidence = _table(archive, "evidence")
    assert [e["reference"] for e in evidence] == [everything["submitted"].reference]
    assert len(_table(archive, "inquiries_followed")) == 1
    # replies on X matched to the linked handle (case-insensitively), nobody else's
    assert [r["text"] for r in _table(archive, "replies_on_x")] == [
        "Bins were not collected on my road"
    ]
    assert "Your question" in {n["subject"] for n in _table(archive, "emails_sent_to_you")}


def test_someone_else_gets_none_of_it(client, everything):
    stranger = UserFactory()
    archive = _download(client, stranger)
    for name in ("questions", "answers", "comments", "votes", "evidence"):
        assert _table(archive, name) == []
    assert "replies_on_x.json" not in archive.namelist()  # no handle linked


def test_erasure_anonymises_contributions_and_erases_personal_data(client, everything):
    priya = everything["priya"]
    client.force_login(priya)
    response = client.post(
        reverse("portal:delete_account"), {"password": PASSWORD, "understood": "on"}
    )
    assert response.status_code == 302

    user = User.objects.get(pk=priya.pk)
    assert user.display_name == privacy.FORMER_RESIDENT
    assert user.x_handle == "" and user.email.endswith("@invalid.example")
    assert not user.is_active and not user.has_usable_password() and user.last_login is None

    # contributions stay, shown as Former resident
    assert Question.objects.get(pk=everything["question"].pk).author_name == "Former resident"
    assert Answer.objects.get(pk=everything["answer"].pk).body == "Tuesdays, I think."
    assert Comment.objects.filter(pk=everything["comment"].pk).exists()
    thread = client.get(everything["other_question"].get_absolute_url()).content.decode()
    assert "Former resident" in thread and "Priya Shah" not in thread

    # personal data goes
    assert not Follow.objects.filter(user=priya).exists()
    other = Question.objects.get(pk=everything["other_question"].pk)
    assert other.follower_count == Follow.objects.filter(question=other).count()
    assert Flag.objects.get(reporter=priya).details == ""
    assert not Notification.objects.filter(user=priya).exists()
    response_row = ConsultationResponse.objects.get(pk=everything["response"].pk)
    assert (response_row.name, response_row.email) == ("", "")
    assert response_row.answers["q-comments"]["answer"] == "Keep it."
    assert not ConsultationFollow.objects.filter(user=priya).exists()
    assert not InquiryFollow.objects.filter(user=priya).exists()

    # X replies under their handle: hidden, unnamed, raw JSON gone; other people's untouched
    reply = Reply.objects.get(pk=everything["reply"].pk)
    assert reply.hidden and reply.author_handle == "" and reply.raw == {}
    assert Reply.objects.get(pk=everything["someone_else"].pk).raw == {"id": "1902"}

    # evidence keeps its reference and text, the author is redacted, and that is logged
    for key in ("submitted", "x_evidence"):
        before = everything[key]
        after = Evidence.objects.get(pk=before.pk)
        assert after.reference == before.reference
        assert after.text == before.text and after.text_sha256 == before.text_sha256
        assert after.author_name == "Former resident"
        assert after.author_handle == "" and after.contact_email == ""
        assert after.author_user_id is None
        assert ModelLogEntry.objects.filter(
            object_id=str(before.pk), action="scrutiny.evidence.author_erased"
        ).exists()
    assert ModelLogEntry.objects.filter(action="parley.account_erased").exists()

    # and nothing of theirs is left to download
    archive = zipfile.ZipFile(io.BytesIO(privacy.personal_data_export(user=user)))
    assert json.loads(archive.read("evidence.json")) == []
    assert json.loads(archive.read("questions_followed.json")) == []
    assert "priya" not in archive.read("account.json").decode().lower()


def test_purge_expired_drops_old_unverified_accounts_and_old_raw_x_json(settings, everything):
    settings.PARLEY_RETENTION_UNVERIFIED_DAYS = 10
    settings.PARLEY_RETENTION_RAW_X_DAYS = 30
    stale = UserFactory(email_verified=False)
    User.objects.filter(pk=stale.pk).update(date_joined=timezone.now() - timedelta(days=11))
    Reply.objects.filter(pk=everything["reply"].pk).update(
        fetched_at=timezone.now() - timedelta(days=31)
    )

    out = io.StringIO()
    call_command("purge_expired", stdout=out)

    assert "unverified accounts: 1 purged" in out.getvalue()
    assert "raw X reply data: 1 purged" in out.getvalue()
    assert not User.objects.filter(pk=stale.pk).exists()
    old = Reply.objects.get(pk=everything["reply"].pk)
    assert old.raw == {} and old.text == "Bins were not collected on my road"
    assert Reply.objects.get(pk=everything["someone_else"].pk).raw == {"id": "1902"}

    # a second run finds nothing more
    out = io.StringIO()
    call_command("purge_expired", stdout=out)
    assert "raw X reply data: 0 purged" in out.getvalue()


# Each table of the download, and the words the privacy notice uses for it.
NOTICE_WORDS = {
    "account": ["email address", "display name", "X handle"],
    "emails_sent_to_you": ["emails we send"],
    "questions": ["questions"],
    "answers": ["answers"],
    "comments": ["comments"],
    "votes": ["votes"],
    "questions_followed": ["follow"],
    "reports_you_made": ["reports you make"],
    "consultation_responses": ["consultation responses"],
    "consultations_followed": ["follow"],
    "meeting_live_updates": ["meeting live updates"],
    "evidence": ["evidence you submit"],
    "inquiries_followed": ["inquiries you follow"],
    "replies_on_x": ["replies on X"],
    "posts_to_x": ["posts to X you drafted or approved"],
}


def test_the_privacy_notice_names_everything_the_download_holds(settings, everything):
    settings.PARLEY_RETENTION_UNVERIFIED_DAYS = 21
    settings.PARLEY_RETENTION_RAW_X_DAYS = 45
    notice = " ".join(str(value) for _kind, value in privacy_notice_body())
    staff = UserFactory(is_staff=True)
    Post.objects.create(channel=Channel.objects.get(), text="Hello", drafted_by=staff)
    tables = {
        name for user in (everything["priya"], staff) for name, _ in privacy.personal_data(user)
    }

    missing_words = sorted(tables - NOTICE_WORDS.keys())
    assert missing_words == [], "add the new table to NOTICE_WORDS and to the privacy notice"
    for name in tables:
        for word in NOTICE_WORDS[name]:
            assert word in notice, f"the privacy notice does not mention {word!r} ({name})"
    assert "after 21 days" in notice and "after 45 days" in notice
