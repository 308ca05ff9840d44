"""Bad input, thrown at every public form and JSON endpoint (hypothesis).

The property, for every endpoint: whatever arrives (random unicode, control characters, RTL and
bidi marks, huge text, several values for one field, a JSON body instead of a form, fields
missing), the answer is never a 5xx and never a partial row. Either the submission is accepted
and stored exactly as sent (normalised plain text: NFC, no control characters, which is also
what is escaped for display), or it is refused with a message and nothing is stored.

A submission sent twice (same form, same token) is stored once (see portal/submissions.py).
"""

import json
import os

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from consultations.models import ConsultationFollow, ConsultationResponse, LiveUpdate
from portal.forms import form_token
from portal.models import SubmissionReceipt, User
from portal.text import normalise_text
from questions.models import Answer, Comment, Flag, Follow, Question, Vote
from scrutiny.models import Evidence, InquiryFollow
from tests.questions.conftest import thread_path

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=int(os.environ.get("PARLEY_HYPOTHESIS_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

# Everything whose row count must not move when a submission is refused.
TRACKED = [
    Question,
    Answer,
    Comment,
    Flag,
    Follow,
    Vote,
    ConsultationResponse,
    ConsultationFollow,
    LiveUpdate,
    Evidence,
    InquiryFollow,
    User,
    SubmissionReceipt,
]

NASTY = [
    "\u200f",  # right-to-left mark (kept: legitimate in Arabic, Hebrew, Urdu)
    "\u200e",  # left-to-right mark
    "\u202e",  # right-to-left override (removed: it disguises text)
    "\u2066",
    "\ufeff",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\r\n",
    "\t",
    "\x85",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "' OR 1=1 --",
    '=HYPERLINK("http://evil")',
    "{{ 7*7 }}",
    "%s%n",
    "😀👩🏽‍⚕️",
    "e\u0301",
    "مرحبا بالعالم",
    "שלום",
    "\u0000\u0000",
    " " * 50,
]

nasty_piece = st.sampled_from(NASTY)
random_text = st.one_of(
    st.text(max_size=120),
    st.lists(st.one_of(nasty_piece, st.text(min_size=1, max_size=12)), max_size=25).map("".join),
    # huge: many thousands of characters
    st.tuples(st.text(min_size=1, max_size=8), st.integers(2_000, 12_000)).map(
        lambda pair: pair[0] * pair[1]
    ),
)


def _mutate(valid: str):
    """A valid value with bad things mixed in (often still valid)."""
    return st.tuples(st.lists(nasty_piece, max_size=3), st.lists(nasty_piece, max_size=3)).map(
        lambda parts: "".join(parts[0]) + valid + "".join(parts[1])
    )


MISSING = object()


def field(valid):
    """A value for one field: valid, valid with nasty bits, random, several values, or absent."""
    if isinstance(valid, list):
        return st.one_of(
            st.just(valid),
            st.lists(random_text, max_size=3),
            random_text,
            st.just(MISSING),
        )
    return st.one_of(
        st.just(valid),
        _mutate(valid),
        random_text,
        st.lists(st.one_of(st.just(valid), random_text), min_size=2, max_size=3),
        st.integers().map(str),
        st.just(MISSING),
    )


def form_data(valid: dict, protected: bool = True):
    """Form data built from a valid submission, every field perturbed independently."""
    strategies = {name: field(value) for name, value in valid.items()}
    # Half the time every field stays close to valid, so the "accepted and stored exactly as
    # sent" branch is exercised as well as the refusals.
    mild = {
        name: st.just(value)
        if isinstance(value, list)
        else st.one_of(st.just(value), _mutate(value))
        for name, value in valid.items()
    }
    extras = st.dictionaries(
        st.text(min_size=1, max_size=10), random_text, max_size=2
    )  # unexpected fields

    @st.composite
    def build(draw):
        data = {}
        chosen = mild if draw(st.booleans()) else strategies
        for name, strategy in chosen.items():
            value = draw(strategy)
            if value is not MISSING:
                data[name] = value
        data.update({k: v for k, v in draw(extras).items() if k not in data})
        if protected:
            data.setdefault("website", "")
            if draw(st.booleans()) or "form_started" not in data:
                data["form_started"] = form_token()
        as_json = draw(st.integers(0, 9)) == 0  # now and then a JSON body instead of a form
        return data, as_json

    return build()


def valid_case(valid: dict) -> tuple[dict, bool]:
    """The valid submission itself, always among the examples (so acceptance is checked)."""
    return {**valid, "website": "", "form_started": form_token()}, False


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in TRACKED}


def _post(client, url, data, as_json):
    if as_json:
        return client.post(url, json.dumps(data, default=str), content_type="application/json")
    return client.post(url, data)


def _first(value):
    return value[-1] if isinstance(value, list) else value


def submit_and_check(client, url, data, as_json, *, creates, stored, ok_status=(302,)):
    """Post, then check the property. `creates` is the model one accepted submission adds a row
    to; `stored(data)` returns (what was stored, what should have been) for the newest row."""
    cache.clear()  # rate limits are not what this checks
    before = counts()
    response = _post(client, url, data, as_json)
    after = counts()
    assert response.status_code < 500, response.status_code
    if (
        response.status_code in ok_status
        and after[creates.__name__] == before[creates.__name__] + 1
    ):
        got, expected = stored(data)
        assert got == expected
        event("accepted and stored as sent")
        return "accepted"
    # refused (or, for idempotent endpoints, nothing new to store): nothing partial
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert after[creates.__name__] == before[creates.__name__], changed
    if response.status_code == 200:
        body = response.content.decode()
        assert "govuk-error-summary" in body or "govuk-error-message" in body
    else:
        assert response.status_code in (302, 400, 403, 404, 405, 429), response.status_code
    event(f"refused ({response.status_code})")
    return "refused"


def text(value, multiline=True):
    return normalise_text(_first(value) if value is not None else "", multiline=multiline)


# ---- questions -------------------------------------------------------------------------------


@EXAMPLES
@given(
    case=form_data(
        {
            "title": "When will the Mill Lane library reopen?",
            "body": "Thanks.",
            "tags": "libraries",
            "checked": "1",
        }
    )
)
def test_ask(client, index_page, resident, case):
    data, as_json = case
    client.force_login(resident)

    def stored(data):
        q = Question.objects.latest("pk")
        return (q.title, q.body), (text(data.get("title"), False), text(data.get("body")))

    submit_and_check(
        client, "/ask-the-council/ask/", data, as_json, creates=Question, stored=stored
    )


@EXAMPLES
@given(case=form_data({"body": "The centre reopens in May, the notice says."}))
def test_answer(client, question, other_resident, case):
    data, as_json = case
    client.force_login(other_resident)

    def stored(data):
        return Answer.objects.latest("pk").body, text(data.get("body"))

    submit_and_check(
        client, f"{thread_path(question)}answer/", data, as_json, creates=Answer, stored=stored
    )


@EXAMPLES
@given(case=form_data({"body": "Is that for the whole site?"}), on_answer=st.booleans())
def test_comment(client, answer, other_resident, resident, case, on_answer):
    data, as_json = case
    client.force_login(resident)
    url = (
        f"/ask-the-council/answers/{answer.pk}/comment/"
        if on_answer
        else f"{thread_path(answer.question)}comment/"
    )

    def stored(data):
        return Comment.objects.latest("pk").body, text(data.get("body"))

    submit_and_check(client, url, data, as_json, creates=Comment, stored=stored)


@EXAMPLES
@given(case=form_data({"reason": "spam", "details": "Advert."}))
def test_report(client, question, other_resident, case):
    data, as_json = case
    client.force_login(other_resident)
    Flag.objects.all().delete()

    def stored(data):
        flag = Flag.objects.latest("pk")
        return (flag.reason, flag.details), (_first(data["reason"]), text(data.get("details")))

    submit_and_check(
        client, f"{thread_path(question)}report/", data, as_json, creates=Flag, stored=stored
    )


@EXAMPLES
@given(
    case=form_data({"state": "on"}, protected=False),
    target=st.sampled_from(["question", "answer"]),
    action=st.sampled_from(["vote", "accept", "follow", "unfollow", "official", "nonsense"]),
)
def test_vote_accept_follow(client, answer, resident, other_resident, case, target, action):
    """Buttons: whatever the form says, the counters match the rows afterwards."""
    data, as_json = case
    question = answer.question
    client.force_login(resident)
    if target == "answer" and action in ("vote", "accept", "official"):
        url = f"/ask-the-council/answers/{answer.pk}/{action}/"
    else:
        url = f"{thread_path(question)}{action}/"
    cache.clear()
    response = _post(client, url, data, as_json)
    assert response.status_code < 500
    question.refresh_from_db()
    answer.refresh_from_db()
    assert question.vote_count == Vote.objects.filter(question=question).count()
    assert answer.vote_count == Vote.objects.filter(answer=answer).count()
    assert question.follower_count == Follow.objects.filter(question=question).count()


@EXAMPLES
@given(
    case=form_data(
        {
            "title": "When will the Mill Lane recycling centre reopen?",
            "body": "More.",
            "tags": "recycling",
        }
    ),
    kind=st.sampled_from(["question", "answer", "comment"]),
)
def test_edits(client, answer, resident, other_resident, case, kind):
    """Edits change the words or refuse with a message; never a new row, never a 5xx."""
    data, as_json = case
    question = answer.question
    comment = Comment.objects.create(question=question, author=resident, body="First words here")
    if kind == "question":
        client.force_login(resident)
        url = f"{thread_path(question)}edit/"
    elif kind == "answer":
        client.force_login(other_resident)
        url = f"/ask-the-council/answers/{answer.pk}/edit/"
    else:
        client.force_login(resident)
        url = f"/ask-the-council/comments/{comment.pk}/edit/"
    cache.clear()
    before = counts()
    response = _post(client, url, data, as_json)
    assert response.status_code < 500
    assert counts() == before
    if response.status_code == 302 and kind != "question":
        row = answer if kind == "answer" else comment
        row.refresh_from_db()
        assert row.body == text(data.get("body"))


@EXAMPLES
@given(q=st.one_of(random_text, st.lists(random_text, max_size=3)))
def test_similar_questions_json(client, question, q):
    cache.clear()
    response = client.get("/ask-the-council/suggest/", {"q": q})
    assert response.status_code == 200
    payload = response.json()
    assert set(payload) == {"query", "results"}
    assert isinstance(payload["results"], list)


@EXAMPLES
@given(
    params=st.dictionaries(
        st.sampled_from(["view", "page", "topic", "q", "phase", "after"]),
        st.one_of(random_text, st.integers().map(str)),
        max_size=4,
    )
)
def test_lists_and_filters(client, question, consultation, params):
    """Public lists with filters in the query string never fall over."""
    cache.clear()
    for url in ("/ask-the-council/", consultation.get_parent().url):
        response = client.get(url, params)
        assert response.status_code in (200, 301, 302, 404), (url, response.status_code)


# ---- consultations and meetings --------------------------------------------------------------

RESPONSE = {
    "q_q-option": "Option A: later weekday opening",
    "q_q-agree": "Agree",
    "q_q-uses": ["Borrowing books", "Study space"],
    "q_q-postcode": "HF4",
    "q_q-comments": "Please keep the children's story time on Saturdays.",
    "consent_publish": "yes",
    "consent_contact": "no",
    "name": "",
    "email": "",
}


@EXAMPLES
@given(case=form_data(RESPONSE), signed_in=st.booleans())
@example(case=valid_case(RESPONSE), signed_in=False)
def test_consultation_response(client, consultation, resident, case, signed_in):
    data, as_json = case
    if signed_in:
        client.force_login(resident)
    else:
        client.logout()

    def stored(data):
        response = ConsultationResponse.objects.latest("pk")
        comments = (response.answers.get("q-comments") or {}).get("answer") or ""
        got = (comments, response.name)
        return got, (text(data.get("q_q-comments")), text(data.get("name"), False))

    submit_and_check(
        client,
        consultation.url + "respond/",
        data,
        as_json,
        creates=ConsultationResponse,
        stored=stored,
    )


@EXAMPLES
@given(case=form_data({"action": "follow"}, protected=False))
def test_consultation_follow(client, consultation, resident, case):
    data, as_json = case
    client.force_login(resident)
    cache.clear()
    response = _post(client, consultation.url + "follow/", data, as_json)
    assert response.status_code in (302, 403, 405)
    assert ConsultationFollow.objects.filter(user=resident).count() <= 1


@EXAMPLES
@given(case=form_data({"text": "Item 4 agreed: the library stays open on Saturdays."}))
def test_live_update(client, meeting, officer, case):
    data, as_json = case
    client.force_login(officer)

    def stored(data):
        return LiveUpdate.objects.latest("pk").text, text(data.get("text"))

    submit_and_check(
        client,
        meeting.url + "updates/",
        data,
        as_json,
        creates=LiveUpdate,
        stored=stored,
        ok_status=(302,),
    )


@EXAMPLES
@given(after=st.one_of(random_text, st.integers().map(str), st.lists(random_text, max_size=3)))
def test_live_updates_json(client, meeting, after):
    response = client.get(meeting.url + "updates/latest/", {"after": after})
    assert response.status_code == 200
    assert isinstance(response.json()["updates"], list)


# ---- scrutiny --------------------------------------------------------------------------------

EVIDENCE = {
    "name": "Jo Bloggs",
    "organisation": "",
    "email": "jo@example.com",
    "text": "Parents double-park on Mill Lane at pick-up time every day.",
    "consent_publish": "yes",
    "consent_contact": "on",
}


@EXAMPLES
@given(case=form_data(EVIDENCE))
@example(case=valid_case(EVIDENCE))
def test_evidence_submission(client, inquiry, case):
    data, as_json = case

    def stored(data):
        evidence = Evidence.objects.latest("pk")
        got = (evidence.text, evidence.author_name, evidence.organisation)
        expected = (
            text(data.get("text")),
            text(data.get("name"), False),
            text(data.get("organisation"), False),
        )
        return got, expected

    submit_and_check(
        client, inquiry.url + "submit/", data, as_json, creates=Evidence, stored=stored
    )


@EXAMPLES
@given(case=form_data({"follow": "yes"}, protected=False))
def test_inquiry_follow(client, inquiry, resident, case):
    data, as_json = case
    client.force_login(resident)
    cache.clear()
    response = _post(client, inquiry.url + "follow/", data, as_json)
    assert response.status_code in (302, 403, 405)
    assert InquiryFollow.objects.filter(user=resident).count() <= 1


# ---- accounts --------------------------------------------------------------------------------


SIGN_UP = {
    "display_name": "Priya",
    "email": "priya@example.com",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
}


@EXAMPLES
@given(case=form_data(SIGN_UP))
@example(case=valid_case(SIGN_UP))
def test_sign_up(client, home_page, case):
    data, as_json = case
    User.objects.filter(email="priya@example.com").delete()

    def stored(data):
        user = User.objects.latest("pk")
        return user.display_name, text(data.get("display_name"), False)

    submit_and_check(client, reverse("account_signup"), data, as_json, creates=User, stored=stored)


@EXAMPLES
@given(
    case=form_data({"login": "someone@example.com", "password": "whatever-it-is"}, protected=False)
)
def test_sign_in_and_password_reset(client, home_page, resident, case):
    data, as_json = case
    cache.clear()
    for url in (reverse("account_login"), reverse("account_reset_password")):
        client.logout()
        response = _post(client, url, {**data, "email": data.get("login", "")}, as_json)
        assert response.status_code in (200, 302, 400, 429), (url, response.status_code)


@EXAMPLES
@given(
    case=form_data(
        {"display_name": "Priya", "email_frequency": "instant", "x_handle": "priya_h"},
        protected=False,
    )
)
def test_account_details(client, resident, case):
    data, as_json = case
    client.force_login(resident)
    cache.clear()
    response = _post(client, reverse("portal:account"), data, as_json)
    assert response.status_code in (200, 302)
    resident.refresh_from_db()
    if response.status_code == 302:
        assert resident.display_name == text(data.get("display_name"), False)
    else:
        assert "govuk-error" in response.content.decode()


def test_a_body_bigger_than_the_upload_limit_is_refused_not_a_crash(client, question, resident):
    client.force_login(resident)
    before = counts()
    response = client.post(
        f"{thread_path(question)}answer/",
        {"body": "x" * (6 * 1024 * 1024), "form_started": form_token(), "website": ""},
    )
    assert response.status_code == 400
    assert counts() == before


# ---- the same submission twice ---------------------------------------------------------------


def _answer_data():
    return {
        "body": "The notice on the gate says it reopens in May.",
        "form_started": form_token(),
        "website": "",
    }


def test_the_same_answer_sent_twice_is_stored_once(client, question, other_resident):
    client.force_login(other_resident)
    data = _answer_data()
    first = client.post(f"{thread_path(question)}answer/", data)
    second = client.post(f"{thread_path(question)}answer/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Answer.objects.filter(question=question).count() == 1
    question.refresh_from_db()
    assert question.answer_count == 1
    # a different answer typed into the same rendered form is a new submission
    client.post(f"{thread_path(question)}answer/", {**data, "body": "And the café reopens too."})
    assert Answer.objects.filter(question=question).count() == 2


@pytest.mark.parametrize("kind", ["ask", "comment", "respond", "evidence", "live_update"])
def test_every_form_sent_twice_is_stored_once(
    client, kind, index_page, question, consultation, meeting, inquiry, resident, officer
):
    token = form_token()
    base = {"form_started": token, "website": ""}
    cases = {
        "ask": (
            resident,
            "/ask-the-council/ask/",
            Question,
            {"title": "Why is the Mill Lane footbridge closed again?", "checked": "1"},
        ),
        "comment": (
            resident,
            f"{thread_path(question)}comment/",
            Comment,
            {"body": "It was open last week."},
        ),
        "respond": (None, consultation.url + "respond/", ConsultationResponse, RESPONSE),
        "evidence": (None, inquiry.url + "submit/", Evidence, EVIDENCE),
        "live_update": (
            officer,
            meeting.url + "updates/",
            LiveUpdate,
            {"text": "Item 5: the budget is agreed."},
        ),
    }
    user, url, model, fields = cases[kind]
    if user:
        client.force_login(user)
    before = model.objects.count()
    responses = [client.post(url, {**fields, **base}) for _ in range(3)]
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert len({r["Location"] for r in responses}) == 1
    assert model.objects.count() == before + 1


def test_votes_and_acceptance_sent_twice_count_once(client, answer, resident, other_resident):
    question = answer.question
    client.force_login(other_resident)
    for _ in range(2):
        client.post(f"{thread_path(question)}vote/", {"state": "on"})
    question.refresh_from_db()
    assert question.vote_count == 1 == Vote.objects.filter(question=question).count()
    for _ in range(2):
        client.post(f"{thread_path(question)}vote/", {"state": "off"})
    question.refresh_from_db()
    assert question.vote_count == 0 == Vote.objects.filter(question=question).count()

    client.force_login(resident)  # the asker
    for _ in range(2):
        client.post(f"/ask-the-council/answers/{answer.pk}/accept/", {"state": "on"})
    question.refresh_from_db()
    assert question.accepted_answer_id == answer.pk
    client.post(f"/ask-the-council/answers/{answer.pk}/accept/", {"state": "off"})
    client.post(f"/ask-the-council/answers/{answer.pk}/accept/", {"state": "off"})
    question.refresh_from_db()
    assert question.accepted_answer_id is None
