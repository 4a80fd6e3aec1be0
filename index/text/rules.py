"""The text rules every stage shares, each defined once: Han characters, language, sentences,
citation markers, numbers, dates, prose clean-up, URLs.

`index` is the lowest layer, so `rag` and `ui` import these; nothing here imports them. The keyword
tokens (`index.text.tokenize`) build on these rules, and word overlap (`index.text.overlap`) on
the tokens.
"""

from __future__ import annotations

import re
from datetime import datetime

from index.types import Lang

# --- characters -------------------------------------------------------------------------------
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK Ext A, unified, compatibility ideographs
WIDE = f"\u3000-\u303f{HAN}\uff00-\uffef"  # Han plus CJK and full-width punctuation
HAN_CHAR = re.compile(f"[{HAN}]")
WIDE_CHAR = re.compile(f"[{WIDE}]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")

URL = re.compile(r"https?://[^\s,，。;；)）\]】\"”]+")
_CJK_SPACE = re.compile(rf"(?<=[{WIDE},;:])[ \t]+(?=[{WIDE}])")
_SPACE_BEFORE_PUNCT = re.compile(r"[^\S\n]+([.,;:!?。，；：！？、])")


def detect_lang(text: str) -> Lang:
    """'zh' when Han characters, counted two to a word, are at least as many as Latin words
    (`What is 红果?` is English, `据人民日报海外版，...` Chinese); 'en' for no Han at all."""
    han = len(HAN_CHAR.findall(text))
    words = len(_LATIN_WORD.findall(text))
    return "zh" if han and han / 2 >= words else "en"


def clean_prose(text: str) -> str:
    """Whitespace collapsed; the stray spaces line-wrapping left between Chinese characters
    (`新华 社`) removed; spaces next to Latin text kept."""
    return _CJK_SPACE.sub("", " ".join(text.split()))


# --- citation markers -------------------------------------------------------------------------
def join_words(a: str, b: str) -> str:
    """Two pieces of text as one: no space where either side is Chinese, else one space."""
    if not a:
        return b
    return a + b if WIDE_CHAR.match(a[-1]) or WIDE_CHAR.match(b[0]) else f"{a} {b}"


MARKER = re.compile(r"\[(\d+)\]")
_MARKER_AND_SPACE = re.compile(r"[^\S\n]*\[\d+\]")
_LEADING_MARKERS = re.compile(r"^(?:\[\d+\]\s*)+")


_ENDING = re.compile(r"(?:\s*\[\d+\])*[。！？.!?]*(?:\s*\[\d+\])*\s*$")  # end marks, markers
_CLAUSES = re.compile(r"(?<=[，;；])|(?<=,)(?!\d)")  # not inside 1,000


def clauses(sentence: str) -> tuple[list[str], str]:
    """A sentence's clauses (split after ，,;； but not inside "1,000", each keeping its comma)
    and its ending (end punctuation and citation markers):
    "A, b [1]." -> (["A,", " b"], " [1].")."""
    ending = _ENDING.search(sentence)
    end = ending.start() if ending else len(sentence)
    return _CLAUSES.split(sentence[:end]), sentence[end:]


def join_clauses(kept: list[str], ending: str) -> str:
    """Clauses back into a sentence, without the comma a dropped last clause leaves."""
    return re.sub(r"[，,;；\s]+$", "", "".join(kept)) + ending


def strip_markers(text: str) -> str:
    """`[n]` markers removed (also those that removing others brings together, `[[1]2]`), spaces
    collapsed within each line, none left before punctuation; line breaks kept."""
    while (stripped := _MARKER_AND_SPACE.sub("", text)) != text:
        text = stripped
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()


# --- numbers ----------------------------------------------------------------------------------
THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def drop_thousands(text: str) -> str:
    """`24,000` -> `24000`; `1,5` and `2024,12` stay (not a group of three digits)."""
    return THOUSANDS.sub("", text)


# --- dates ------------------------------------------------------------------------------------
YEAR_DIGITS = r"(?:19|20)[0-9]{2}"  # a year as written: 1900 to 2099
YEAR = re.compile(rf"(?<![0-9]){YEAR_DIGITS}(?![0-9])")


def iso_datetime(value: str | None) -> datetime | None:
    """An ISO date or date-time ("2025-10-03", "2025-10-03T02:09"); None when empty or not one."""
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


# --- sentences --------------------------------------------------------------------------------
_CJK_END = "。！？"
_LATIN_END = ".!?"
_CLOSERS = "”’」』）)】》"
_QUOTES = "\"'"


def split_sentences(text: str) -> list[str]:
    """Sentences of Chinese or English prose, end punctuation and closing quotes kept.

    Ends: a line break; 。！？ always; .!? when followed by a space (or the end) and a word
    that does not start lowercase (`U.S. market` is one sentence). A straight quote right
    after an end closes the sentence only if the sentence opened one. Markers after an end
    stay with the sentence before them: `... 2025. [1] Then` -> `... 2025.[1]`, `Then`.
    """
    out: list[str] = []
    for line in text.split("\n"):
        for sentence in _line_sentences(line):
            lead = _LEADING_MARKERS.match(sentence)
            if lead and out:
                out[-1] += lead.group(0).strip()
                sentence = sentence[lead.end() :].strip()
            if sentence:
                out.append(sentence)
    return out


def _line_sentences(text: str) -> list[str]:
    out: list[str] = []
    start, i, n = 0, 0, len(text)
    while i < n:
        ch = text[i]
        latin_end = ch in _LATIN_END and (i + 1 == n or text[i + 1].isspace())
        if latin_end and ch == "." and i + 1 < n and _abbreviation(text, start, i):
            latin_end = False  # "U.S. Open", "Dr. Smith", "No. 3": no sentence ends there
        if ch in _CJK_END or latin_end:
            j = i + 1
            while j < n and text[j] in _CJK_END + _LATIN_END:
                j += 1
            while j < n and (
                text[j] in _CLOSERS
                or (text[j] in _QUOTES and text[start:j].count(text[j]) % 2 == 1)
            ):
                j += 1
            if ch in _CJK_END or j == n or (text[j].isspace() and not _lower_follows(text, j)):
                out.append(text[start:j].strip())
                start = j
            i = j
        else:
            i += 1
    out.append(text[start:].strip())
    return [s for s in out if s]


# Words written with a period that ends no sentence (titles, "number", Latin shorthands); a dotted
# initialism (U.S., e.g., i.e., U.K.) is one by its shape.
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt no nos vs etc inc ltd co corp gov sen rep gen lt col capt"
    " fig vol pp approx est dept univ".split()
)
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")


def _abbreviation(text: str, start: int, dot: int) -> bool:
    """Whether the word before the period at `dot` is an abbreviation."""
    word_start = dot
    while (
        word_start > start
        and not text[word_start - 1].isspace()
        and text[word_start - 1] not in "([\"'“‘"
    ):
        word_start -= 1
    word = text[word_start:dot]
    return word.casefold() in ABBREVIATIONS or bool(_INITIALISM.fullmatch(word))


def _lower_follows(text: str, i: int) -> bool:
    """Whether the next word starts lowercase (`U.S. should`: no sentence end there)."""
    n = len(text)
    while i < n and text[i].isspace():  # no copy of the rest: a long text has many ends
        i += 1
    return i < n and text[i].islower()
