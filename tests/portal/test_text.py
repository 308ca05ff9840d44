import pytest

from portal.text import (
    escape_spreadsheet_cell,
    normalise_text,
    plain_excerpt,
    render_plain_text,
    strip_html,
)


def test_script_tags_are_escaped_never_rendered():
    html = render_plain_text('<script>alert("x")</script> hello')
    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_javascript_urls_are_not_linked():
    html = render_plain_text("click javascript:alert(1) or <a href='javascript:alert(1)'>x</a>")
    assert "<a " not in html  # the typed anchor is shown as text, and javascript: is no URL


def test_http_urls_become_links_and_trailing_punctuation_stays_outside():
    html = render_plain_text("See https://harrowfield.example/bins?day=mon&zone=2.")
    assert (
        '<a href="https://harrowfield.example/bins?day=mon&amp;zone=2" class="govuk-link" '
        'rel="nofollow ugc noopener">'
        in html
        or '<a href="https://harrowfield.example/bins?day=mon&amp;zone=2" '
        'rel="nofollow ugc noopener" class="govuk-link">'
        in html
    )
    assert "</a>." in html


def test_paragraphs_and_line_breaks_are_kept():
    html = render_plain_text("First line\nsecond line\n\n\n\nNew paragraph")
    assert html.count("<p") == 2
    assert "<br>" in html


def test_control_characters_and_bidi_overrides_are_removed_but_rtl_marks_stay():
    text = normalise_text("a\x00b\x07c\u202ed\u200fe")
    assert text == "abcd\u200fe"


def test_unicode_is_normalised_to_nfc():
    assert normalise_text("Cafe\u0301") == "Caf\u00e9"


@pytest.mark.parametrize("value", ["=1+1", "+44", "-2", "@SUM(A1)", "\tx"])
def test_formula_injection_is_neutralised(value):
    assert escape_spreadsheet_cell(value) == "'" + value


def test_safe_cells_and_numbers_are_unchanged():
    assert escape_spreadsheet_cell("Bins") == "Bins"
    assert escape_spreadsheet_cell(-3) == -3


def test_excerpt_and_strip_html():
    assert plain_excerpt("word " * 100, 20).endswith("…")
    assert strip_html("<b>Bins</b> &amp; recycling") == "Bins & recycling"
