"""The personal-data detector and X's weighted length and thread splitting."""

import pytest

from social.pii import find_personal_data, luhn_ok, nhs_ok
from social.textlength import MAX_WEIGHT, split_thread, weighted_length


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("Email me at jo.bloggs@example.com please", "email", "jo.bloggs@example.com"),
        ("Ring me on 07700 900123", "phone", "07700 900123"),
        ("My landline is 020 7946 0018.", "phone", "020 7946 0018"),
        ("Call +44 7700 900123 after six", "phone", "+44 7700 900123"),
        ("The helpline is 0300 123 4567", "phone", "0300 123 4567"),
        ("(01632) 960 001 is my home number", "phone", "(01632) 960 001"),
        ("My NHS number is 943 476 5919", "nhs", "943 476 5919"),
        ("nhs no 9434765919", "nhs", "9434765919"),
        ("NI number AB 12 34 56 C", "ni", "AB 12 34 56 C"),
        ("ni: ab123456c", "ni", "ab123456c"),
        ("I live at HF1 2AB in Eastfield", "postcode", "HF1 2AB"),
        ("SW1A 1AA", "postcode", "SW1A 1AA"),
        ("Paid with 4111 1111 1111 1111 yesterday", "card", "4111 1111 1111 1111"),
        ("card 5555-5555-5555-4444", "card", "5555-5555-5555-4444"),
    ],
)
def test_finds_personal_data(text, kind, found):
    findings = find_personal_data(text)
    assert [(f.kind, f.text) for f in findings] == [(kind, found)]


@pytest.mark.parametrize(
    "text",
    [
        "The meeting is on 12/03/2026 at 7pm.",
        "Consultation closes 2026-03-12.",
        "Planning application 26/01234/FUL was approved.",
        "Your reference number is 9434765919.",
        "Case ref 07700900123 has been closed.",
        "Crime reference 4111111111111111",
        "We spent £1,250,000 on 3,400 potholes in 2025.",
        "Visitors: 1234567890 (not a valid NHS number).",
        "Call 999 in an emergency or 101 otherwise.",
        "Version 4.17.0 of the app; room 2B; the A38 and M5.",
        "The card 4111 1111 1111 1112 fails Luhn.",
        "Opening hours 09:00-17:00, Monday to Friday.",
        "Ward HF1 is where the works are.",
    ],
)
def test_does_not_flag_ordinary_numbers(text):
    assert find_personal_data(text) == []


def test_check_digits():
    assert nhs_ok("9434765919")
    assert not nhs_ok("9434765918")
    assert not nhs_ok("1111111111")
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111112")


@pytest.mark.parametrize(
    ("text", "weight"),
    [
        ("hello", 5),
        ("日本語", 6),
        ("café", 4),
        ("See https://harrowfield.example.gov.uk/a/very/long/path/indeed?x=1 now", 4 + 23 + 4),
        ("harrowfield.gov.uk", 23),
        ("👍🏽 ok", 5),
        ("👨‍👩‍👧 family", 9),
        ("—“quotes”…", 11),  # the ellipsis is outside the light ranges
    ],
)
def test_weighted_length_counts_as_x_does(text, weight):
    assert weighted_length(text) == weight


def test_short_text_is_one_post():
    assert split_thread("Short and sweet.") == ["Short and sweet."]


def test_long_text_becomes_a_numbered_thread_of_parts_that_fit():
    text = " ".join(
        f"Sentence {i} about the new bin collection days in Millbrook." for i in range(25)
    )
    text += " Details: https://harrowfield.example.gov.uk/bins/changes-to-collection-days"
    parts = split_thread(text)
    assert len(parts) >= 3
    for number, part in enumerate(parts, start=1):
        assert weighted_length(part) <= MAX_WEIGHT
        assert part.endswith(f" {number}/{len(parts)}")
    # Nothing lost, no word cut, the link kept whole.
    rejoined = " ".join(p.rsplit(" ", 1)[0] for p in parts)
    assert rejoined.split() == text.split()
    assert any(
        "https://harrowfield.example.gov.uk/bins/changes-to-collection-days" in p for p in parts
    )


def test_cjk_text_splits_on_its_double_weight():
    text = "市議会は新しい図書館の開館時間について意見を求めています。" * 12
    parts = split_thread(text)
    assert len(parts) > 1
    assert all(weighted_length(p) <= MAX_WEIGHT for p in parts)
    assert "".join(p.rsplit(" ", 1)[0] for p in parts) == text


def test_split_numbering_accounts_for_ten_or_more_parts():
    text = " ".join(["word"] * 700)
    parts = split_thread(text)
    assert len(parts) >= 10
    assert all(weighted_length(p) <= MAX_WEIGHT for p in parts)
    assert parts[-1].endswith(f"{len(parts)}/{len(parts)}")
