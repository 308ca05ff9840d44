"""Every kind of question an officer can put on a response form renders, submits and validates.

One consultation carries each question block type twice: once required, once optional. Each
type is sent a good answer (stored exactly as sent), nothing (refused when required, stored
empty when optional) and bad answers (refused with the message for that rule, nothing stored).
"""

import re

import pytest

from consultations.blocks import AGREE_SCALE, DONT_KNOW, ResponseQuestionsBlock
from consultations.models import ConsultationResponse
from portal.forms import form_token

from .factories import make_consultation

pytestmark = pytest.mark.django_db

EVERY_KIND = [
    {
        "type": "short_text",
        "question": "Which library do you use most?",
        "extra": {"max_length": 40},
        "good": "Millbrook Library",
        "widget": 'type="text"',
    },
    {
        "type": "long_text",
        "question": "Tell us how the change would affect you",
        "extra": {"max_length": 300},
        "good": "I study there after work.\nLater opening would help me.",
        "widget": "<textarea",
    },
    {
        "type": "single_choice",
        "question": "Which option do you prefer?",
        "extra": {"choices": ["Option A: open later", "Option B: close Wednesdays"]},
        "good": "Option B: close Wednesdays",
        "widget": 'type="radio"',
    },
    {
        "type": "multiple_choice",
        "question": "What do you use the library for?",
        "extra": {"choices": ["Borrowing books", "Computers", "Study space"]},
        "good": ["Borrowing books", "Study space"],
        "widget": 'type="checkbox"',
    },
    {
        "type": "agree_scale",
        "question": "Do you agree with the Saturday hours?",
        "extra": {"include_dont_know": False},
        "good": "Disagree",
        "widget": 'type="radio"',
    },
]
KINDS = [k["type"] for k in EVERY_KIND]
BY_KIND = {k["type"]: k for k in EVERY_KIND}


def test_the_kinds_here_are_every_kind_the_admin_offers():
    assert sorted(KINDS) == sorted(ResponseQuestionsBlock().child_blocks)


def _blocks():
    blocks = []
    for kind in EVERY_KIND:
        for required in (True, False):
            blocks.append(
                {
                    "type": kind["type"],
                    "id": f"{kind['type']}-{'req' if required else 'opt'}",
                    "value": {
                        "question": kind["question"] if required else f"Also: {kind['question']}",
                        "hint": "",
                        "required": required,
                        **kind["extra"],
                    },
                }
            )
    return blocks


@pytest.fixture
def every_form(consultation_index):
    return make_consultation(consultation_index, slug="every-question", questions=_blocks())


def _field(kind, required=True):
    return f"q_{kind}-{'req' if required else 'opt'}"


def _good(**overrides):
    data = {_field(kind["type"]): kind["good"] for kind in EVERY_KIND}  # the required ones
    data.update(
        consent_publish="yes",
        consent_contact="no",
        name="",
        email="",
        form_started=form_token(),
        website="",
    )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _send(client, page, data):
    return client.post(page.url + "respond/", data)


def test_the_form_renders_each_kind_with_its_control(client, every_form):
    html = client.get(every_form.url + "respond/").content.decode()
    for kind in EVERY_KIND:
        for required in (True, False):
            name = _field(kind["type"], required)
            tags = re.findall(rf'<(?:input|textarea)[^>]*name="{re.escape(name)}"[^>]*>', html)
            assert tags, name
            assert all(kind["widget"] in f"<{tag[1:]}" for tag in tags), tags
    for choice in AGREE_SCALE:
        assert choice.replace("'", "&#x27;") in html
    # This scale was built without "Don't know".
    assert DONT_KNOW.replace("'", "&#x27;") not in html


def test_good_answers_to_every_kind_are_stored_exactly(client, every_form):
    optional = {_field(k["type"], required=False): k["good"] for k in EVERY_KIND}
    response = _send(client, every_form, _good(**optional))
    assert response.status_code == 302
    stored = ConsultationResponse.objects.get()
    for kind in EVERY_KIND:
        for required in (True, False):
            block_id = f"{kind['type']}-{'req' if required else 'opt'}"
            entry = stored.answers[block_id]
            assert entry["answer"] == kind["good"]
            assert entry["kind"] == kind["type"]
            assert entry["question"].endswith(kind["question"])


def test_optional_questions_may_be_left_blank(client, every_form):
    assert _send(client, every_form, _good()).status_code == 302
    stored = ConsultationResponse.objects.get()
    for kind in EVERY_KIND:
        # A question left blank is not stored as an answer; the answered ones all are.
        assert stored.answers.get(f"{kind['type']}-opt", {}).get("answer") in ("", [], None)
        assert stored.answers[f"{kind['type']}-req"]["answer"] == kind["good"]


REQUIRED_MESSAGES = {
    "short_text": "Enter your answer to 'Which library do you use most?'",
    "long_text": "Enter your answer to 'Tell us how the change would affect you'",
    "single_choice": "Select an answer to 'Which option do you prefer?'",
    "multiple_choice": "Select at least one answer to 'What do you use the library for?'",
    "agree_scale": "Select an answer to 'Do you agree with the Saturday hours?'",
}


@pytest.mark.parametrize("kind", KINDS)
def test_a_required_question_left_blank_is_refused(client, every_form, kind):
    response = _send(client, every_form, _good(**{_field(kind): None}))
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert "There is a problem" in html
    assert REQUIRED_MESSAGES[kind] in html
    assert not ConsultationResponse.objects.exists()


BAD_ANSWERS = [
    ("short_text", "x" * 41, "must be 40 characters or fewer"),
    ("short_text", "<script>alert(1)</script>", "must not contain code or HTML tags"),
    ("long_text", "y" * 301, "must be 300 characters or fewer"),
    ("long_text", '<a href="javascript:alert(1)">me</a>', "must not contain code or HTML tags"),
    ("single_choice", "Option C: sell the building", "Select one of the answers offered"),
    ("multiple_choice", ["Borrowing books", "Bingo"], "Select one of the answers offered"),
    ("agree_scale", DONT_KNOW, "Select one of the answers offered"),
    ("agree_scale", "Agree strongly!!", "Select one of the answers offered"),
]


@pytest.mark.parametrize(("kind", "answer", "message"), BAD_ANSWERS)
def test_bad_answers_to_each_kind_are_refused_and_nothing_is_stored(
    client, every_form, kind, answer, message
):
    response = _send(client, every_form, _good(**{_field(kind): answer}))
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert "There is a problem" in html
    assert message in html
    assert not ConsultationResponse.objects.exists()
    # What the person typed is given back for them to fix, escaped.
    if kind in ("short_text", "long_text") and "<" in answer:
        assert answer not in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"consent_publish": None}, "Select yes if we may publish or quote your response"),
        ({"consent_contact": None}, "Select yes if we may contact you about your response"),
        ({"consent_publish": "maybe"}, "Select a valid choice"),
        (
            {"consent_contact": "yes"},
            "Enter your email address so that we can contact you, or select no",
        ),
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"name": "n" * 101}, "Your name must be 100 characters or fewer"),
    ],
)
def test_the_consent_and_contact_fields_validate_too(client, every_form, overrides, message):
    response = _send(client, every_form, _good(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not ConsultationResponse.objects.exists()
