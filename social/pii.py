"""Personal data that must not be posted to X by mistake.

Finds email addresses, UK phone numbers, NHS numbers (valid check digit), National Insurance
numbers, full UK postcodes and payment card numbers (valid Luhn). Numbers the council uses
itself (reference, case and planning application numbers) and dates are not flagged.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    start: int
    end: int

    @property
    def label(self) -> str:
        return LABELS[self.kind]


LABELS = {
    "email": "an email address",
    "phone": "a phone number",
    "nhs": "an NHS number",
    "ni": "a National Insurance number",
    "postcode": "a postcode",
    "card": "a payment card number",
}

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# Runs of digits joined by single spaces, hyphens or a bracketed area code.
DIGIT_RUN = re.compile(
    r"(?<![\w/.-])(?:\+\s?44\s?\(?0?\)?\s?|\(0\d{2,4}\)\s?)?\d[\d \-]{4,22}\d(?![\w/-]|\.\d)"
)
NI = re.compile(
    r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r"\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b",
    re.IGNORECASE,
)
POSTCODE = re.compile(
    r"\b(?:GIR\s?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRV-Y\d]?)"
    r"\s?\d[ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)
# Words that introduce a number the organisation itself issued.
REFERENCE_CONTEXT = re.compile(
    r"(?<!nhs )(?:ref(?:erence)?|case|application|planning|invoice|account|order|job|ticket|"
    r"licence|permit|claim|report|crime|incident)(?:\s+(?:no\.?|number|ref))?(?:\s+(?:is|was))?\s*[:#.]?\s*$",
    re.IGNORECASE,
)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def nhs_ok(digits: str) -> bool:
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _phone(raw: str, digits: str) -> bool:
    if raw.lstrip().startswith("+"):
        national = digits[2:].lstrip("0")
        return digits.startswith("44") and len(national) in (9, 10) and national[0] in "1237"
    if not digits.startswith("0") or digits.startswith("00"):
        return False
    # 01, 02, 03 and 07 numbers have 11 digits (a few old 01 ones have 10); 0800 and 08xx too.
    return (digits[1] in "12378" and len(digits) in (10, 11)) or (
        digits.startswith("0800") and len(digits) in (10, 11)
    )


NHS_CONTEXT = re.compile(r"nhs\s*(?:no\.?|number)?\s*[:#.]?\s*$", re.IGNORECASE)


def _classify_number(raw: str, digits: str, nhs_context: bool = False) -> str | None:
    groups = re.split(r"[ \-]+", raw.strip())
    if 13 <= len(digits) <= 19 and digits[0] in "3456" and luhn_ok(digits):
        return "card"
    if _phone(raw, digits):
        return "phone"
    if len(digits) == 10 and nhs_ok(digits):
        # NHS numbers are written 3-3-4 or as ten digits; other groupings are something else.
        if nhs_context or len(groups) == 1 or [len(g) for g in groups] == [3, 3, 4]:
            return "nhs"
    return None


def find_personal_data(text: str) -> list[Finding]:
    """Every piece of personal data in `text`, in order."""
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind, start, end):
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        findings.append(Finding(kind, text[start:end], start, end))

    for m in EMAIL.finditer(text):
        add("email", m.start(), m.end())
    for m in DIGIT_RUN.finditer(text):
        raw = m.group(0)
        before = text[max(0, m.start() - 24) : m.start()]
        if REFERENCE_CONTEXT.search(before):
            continue
        digits = re.sub(r"\D", "", raw)
        kind = _classify_number(raw, digits, bool(NHS_CONTEXT.search(before)))
        if kind:
            add(kind, m.start(), m.end())
    for m in NI.finditer(text):
        add("ni", m.start(), m.end())
    for m in POSTCODE.finditer(text):
        add("postcode", m.start(), m.end())
    return sorted(findings, key=lambda f: f.start)


def describe(findings: list[Finding]) -> str:
    """ "an email address and a phone number" for messages to people."""
    labels = list(dict.fromkeys(f.label for f in findings))
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]
