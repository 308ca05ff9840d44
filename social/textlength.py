"""Post length as X counts it, and splitting long text into a numbered thread.

X's rules (twitter-text v3): text is NFC-normalised; code points in a few Latin and
punctuation ranges weigh 1, everything else (CJK, most symbols) weighs 2; every URL counts
23 whatever its length; an emoji sequence counts 2. The limit is 280.
"""

import re
import unicodedata

MAX_WEIGHT = 280
URL_WEIGHT = 23
_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))

URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)\]]"
    r"|\b(?:[a-z0-9-]+\.)+(?:gov\.uk|org\.uk|co\.uk|nhs\.uk|police\.uk|com|org|net|uk)"
    r"(?:/[^\s<>\"']*[^\s<>\"'.,;:!?)\]])?",
    re.IGNORECASE,
)
# An emoji with its modifiers, variation selectors and zero-width joins counts as one.
EMOJI_RE = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\U0001f1e6-\U0001f1ff]"
    "(?:[\ufe0f\U0001f3fb-\U0001f3ff]|\u200d[\U0001f000-\U0001faff\u2600-\u27bf]\ufe0f?)*"
)


def _char_weight(ch: str) -> int:
    code = ord(ch)
    return 1 if any(lo <= code <= hi for lo, hi in _LIGHT_RANGES) else 2


def _plain_weight(text: str) -> int:
    total, pos = 0, 0
    for match in EMOJI_RE.finditer(text):
        total += sum(_char_weight(c) for c in text[pos : match.start()]) + 2
        pos = match.end()
    return total + sum(_char_weight(c) for c in text[pos:])


def weighted_length(text: str) -> int:
    """The length X counts for `text` (the limit is 280)."""
    text = unicodedata.normalize("NFC", text)
    total, pos = 0, 0
    for match in URL_RE.finditer(text):
        total += _plain_weight(text[pos : match.start()]) + URL_WEIGHT
        pos = match.end()
    return total + _plain_weight(text[pos:])


def fits(text: str) -> bool:
    return weighted_length(text) <= MAX_WEIGHT


def _tokens(text: str) -> list[str]:
    """Words (URLs whole) with the whitespace before each, so joining restores the text."""
    return re.findall(r"\s*\S+", text)


def _hard_split(word: str, room: int) -> list[str]:
    pieces, current = [], ""
    for ch in word:
        if current and weighted_length(current + ch) > room:
            pieces.append(current)
            current = ""
        current += ch
    return [*pieces, current] if current else pieces


def split_thread(text: str, limit: int = MAX_WEIGHT) -> list[str]:
    """`text` as one post, or as a numbered thread ("… 1/3") whose parts each fit.

    Breaks fall between words (at a paragraph or sentence end when one is near), never
    inside a link; a single word longer than a post is cut.
    """
    text = text.strip()
    if weighted_length(text) <= limit:
        return [text]
    count = 2
    while True:
        suffix = f" {count}/{count}"
        room = limit - weighted_length(suffix)
        parts = _pack(text, room)
        if len(parts) <= count:
            total = len(parts)
            return [f"{part} {n}/{total}" for n, part in enumerate(parts, start=1)]
        count = len(parts)


def _pack(text: str, room: int) -> list[str]:
    parts: list[str] = []
    current = ""
    for token in _tokens(text):
        candidate = current + token if current else token.lstrip()
        if weighted_length(candidate) <= room:
            current = candidate
            continue
        if current:
            # Prefer to end a part at a sentence or paragraph end in its last third.
            cut = _sentence_cut(current, room)
            if cut:
                parts.append(current[:cut].rstrip())
                current = current[cut:].lstrip()
                candidate = current + token if current else token.lstrip()
                if weighted_length(candidate) <= room:
                    current = candidate
                    continue
            parts.append(current.rstrip())
        word = token.strip()
        if weighted_length(word) > room and not URL_RE.fullmatch(word):
            *whole, current = _hard_split(word, room)
            parts.extend(whole)
        else:
            current = word
    if current.strip():
        parts.append(current.strip())
    return parts


def _sentence_cut(current: str, room: int) -> int | None:
    best = None
    for match in re.finditer(r"[.!?](?=\s)|\n\s*\n", current):
        end = match.end()
        if weighted_length(current[:end]) >= room * 2 // 3:
            best = end
    return best
