"""Residents' words are plain text: stored as typed (tidied), rendered escaped and linked."""

import pytest

from questions.models import Answer, Question
from tests.questions.conftest import protected, thread_path

pytestmark = pytest.mark.django_db


def _ask(client, **data):
    return client.post("/ask-the-council/ask/", protected(checked="1", **data))


def test_script_tags_are_shown_as_text_never_run(client, resident, index_page, post_moderation):
    client.force_login(resident)
    _ask(
        client,
        title="Why does <script>alert('x')</script> appear on the bins page?",
        body="<img src=x onerror=alert(1)> and <b>bold</b>",
    )
    question = Question.objects.get()
    assert question.title.startswith("Why does <script>")  # stored as typed: it is text
    html = client.get(thread_path(question)).content.decode()
    assert "<script>alert('x')</script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>bold</b>" not in html
    listing = client.get("/ask-the-council/").content.decode()
    assert "<script>alert('x')</script>" not in listing


def test_javascript_urls_are_never_links(client, question, other_resident):
    client.force_login(other_resident)
    client.post(
        f"{thread_path(question)}answer/",
        protected(body="See javascript:alert(1) or https://harrowfield.example/bins?a=1&b=2."),
    )
    html = client.get(thread_path(question)).content.decode()
    assert 'href="javascript' not in html
    assert (
        '<a href="https://harrowfield.example/bins?a=1&amp;b=2" class="govuk-link" '
        'rel="nofollow ugc noopener">https://harrowfield.example/bins?a=1&amp;b=2</a>.'
    ) in html


def test_line_breaks_become_paragraphs(client, question, other_resident):
    client.force_login(other_resident)
    client.post(
        f"{thread_path(question)}answer/", protected(body="First line\nsecond line\n\n\n\nNext")
    )
    answer = Answer.objects.get()
    assert answer.body == "First line\nsecond line\n\nNext"
    html = client.get(thread_path(question)).content.decode()
    assert (
        '<p class="govuk-body">First line<br>second line</p><p class="govuk-body">Next</p>' in html
    )


def test_odd_unicode_is_tidied(client, resident, index_page):
    client.force_login(resident)
    # bidi override, zero-width no-break space, NUL and a decomposed é
    _ask(client, title="Is the cafe\u0301 in \u202eFenwick\u202c Park\ufeff open\x00 on Sundays?")
    question = Question.objects.get()
    assert question.title == "Is the café in Fenwick Park open on Sundays?"
    assert question.slug == "is-the-cafe-in-fenwick-park-open-on-sundays"


def test_non_latin_questions_are_welcome(client, resident, index_page):
    client.force_login(resident)
    _ask(client, title="براہ کرم بتائیں، کیا لائبریری اتوار کو کھلی ہے؟")
    question = Question.objects.get()
    assert question.slug == "question"  # no ASCII letters: the id carries the address
    assert client.get(thread_path(question)).status_code == 200


def test_overlong_input_is_refused_not_truncated(client, question, other_resident):
    client.force_login(other_resident)
    response = client.post(f"{thread_path(question)}answer/", protected(body="a" * 5001))
    assert "5,000 characters or fewer" in response.content.decode()
    response = client.post(f"{thread_path(question)}comment/", protected(body="b " * 301))
    assert "600 characters or fewer" in response.content.decode()
    assert Answer.objects.count() == 0


def test_whitespace_only_title_is_refused(client, resident, index_page):
    client.force_login(resident)
    response = _ask(client, title="   \n\t   ")
    assert "Enter your question" in response.content.decode()
    assert Question.objects.count() == 0
