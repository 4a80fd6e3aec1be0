"""Every claim checked, not only figures: a sentence is shown only if one passage it cites states
what it says - the names and dates it gives together, and what its figures count.

- The names, places, organisations, people, titles and years a sentence names (read as a
  question's key terms are, `rag.question.terms`) must all be named by one of the passages it
  cites, in any of their forms (pinyin, the corpus's names): "尹熙根毕业于首尔大学法律系 [1]" goes
  when the passage never names 首尔大学; "Kanye West announced he is acquiring Meta [1]" when it
  never names Meta. One passage, not several: the subject from one and the answer from another
  is no claim any source makes.
- Together, in one place: each name or figure the sentence gives beyond the question must stand
  in a passage sentence that names the question's subject (there or in the sentence before) or
  no one else, and that shares a word of what the question asks (`_apart`). "浙江海事局于8月5日
  12时结束应急响应" goes when the passage's 12时 is 浙江省防指's; "Ken Wharfe plays Princess
  Diana" when the passage's Ken Wharfe wrote a memoir. A passage whose words never name the
  subject (我国 for 中国; all of it about its heading) is not held to this. A "who" answer that
  does not name the subject still needs a passage sentence that speaks of what was asked
  ("图片来源：FAO粮农组织门口 [1]" for the name of a staff member killed in an attack goes).
- What the sentence puts in the question's slot ("冒充什么身份" -> "冒充中国留学生身份") must be
  what its passage puts after the same words, when the passage writes them (`slots.py`).
- Two passages' facts in one sentence under one marker ("Spielberg won Best Director, and Curtis
  won Best Supporting Actress [1]") get a marker per clause, each clause naming something the
  question names and stated by its passage.
- A figure is of the period asked about (`numbers/periods.py`): "同比下降8.3% [1]" goes for
  "1至6月份…下降了多少" when the passage's 8.3% follows "6月份" (its 16.8% follows "上半年").
- A count says what it counts: "共签约14个项目" goes when the passage's 14 counts 会期活动.
  Chinese: literally the same noun near the figure, or a noun of the same kind (公司 and 企业 both
  count organisations, `conflicts.counted`); English: only two known kinds that differ ("662
  million jobs" against "662 million users"); across scripts, and for counts under ten, nothing
  is compared.
- What the sentence adds to the question is mostly the passage's own words (in the same script;
  across scripts only the names are compared): "西安每天有超过10个剧组在拍摄，这表明横店影视城的
  生产活动非常活跃" goes when the passage says nothing of 横店 or of being active.
- A path, a command or a code span it gives is written by the passage it cites (`literals.py`):
  "`/etc/network/interfaces` [1]" goes when the passage names no such file.
- A sentence that says nothing but a date ("截至2023年7月末 [1]。") goes, and so does one that
  copies a source's heading as the prompt writes it (`prompts/source.txt`: "The top 100 golfers
  on PGA Tour, LIV amid… (USA Today, 2023-06-06) [1]"), or its title alone.

Each removal says why (`withheld_claim`). An answer all of whose sentences only restate the
question ("The apt-get command that corresponds to X is [1].") says the model found nothing: the
refusal (`restates_question`), not quotes. The model's text only; quotes are the sources' own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from index.text.rules import HAN, HAN_CHAR, MARKER, clauses, strip_markers
from index.text.tokenize import tokenize
from rag.answer.checks.citations import place_marker
from rag.answer.checks.conflicts import counted
from rag.answer.checks.literals import code_blocks, fenced_lines, unwritten
from rag.answer.checks.slots import misplaced as slot_of
from rag.answer.findings import Context, Finding
from rag.answer.kinds import asked_words
from rag.answer.numbers import periods
from rag.answer.numbers.periods import Period
from rag.answer.numbers.quantities import Quantity, quantities, supported
from rag.answer.record import Record, Sentence, Source
from rag.corpus.names import NameTable, name_key
from rag.lang import LANGS, pack
from rag.notices import Notice
from rag.question import asks
from rag.question.terms import Term, key_terms, missing

MIN_WORDS, MIN_COVERAGE = 2, 0.34  # measured on the dev answers of the local model (README)
MIN_PART = 3  # characters: a shorter part of a name (浙江 of 浙江海事局) names a region, not it
_HAN_NOUN = re.compile(rf"\s*([{HAN}]{{2}})")
_EN_NOUN = re.compile(r"[a-z][a-z-]{2,}")
_WHO = "not said to do what was asked"
_PERIOD = "of another period"
_HEADING = re.compile(r"\([^()]{1,60}, (?:\d{4}-\d{2}-\d{2}|\?)\)")  # "(publisher, date)"


@dataclass(frozen=True)
class _Asked:
    """The question as this check reads it: once per answer, not once per sentence and passage."""

    text: str = ""
    keys: frozenset[str] = frozenset()  # its key terms' keys: the gate found those
    named: tuple[Term, ...] = ()  # its names
    subject: tuple[Term, ...] = ()  # the same, each held by itself or a distinct part
    words: frozenset[str] = frozenset()  # what a "who" question asks of the person
    figures: tuple[Quantity, ...] = ()  # its own figures: not what an answer gives
    period: Period | None = None  # the part of a year it asks a figure of ("1至6月份")


def _read(asked: str, names: NameTable) -> _Asked:
    if not asked:
        return _Asked()
    terms = key_terms(asked, names)
    named = tuple(t for t in terms if t.kind == "name")
    # who did it: the person must be said to do what was asked (a passage names many people)
    words = asked_words(asked, terms) if asks(asked) == "person" else set()
    return _Asked(
        text=asked,
        keys=frozenset(name_key(t.text) for t in terms),
        named=named,
        subject=tuple(_distinct(t) for t in named),
        words=frozenset(words),
        figures=tuple(quantities(asked)),
        period=periods.asked(asked),
    )


def check(record: Record, ctx: Context) -> list[Finding]:
    names = ctx.names or NameTable()
    asked = _read(ctx.question.text if ctx.question is not None else "", names)
    said = [(i, s) for i, s in record.kept() if not s.added]
    bodies = [s.body for s in ctx.sources]
    if said and asked.text and all(restates(s.plain, asked.text) for _, s in said):
        # "The apt-get command that corresponds to X is [1].": the model found nothing to say
        notice = Notice("restates_question", sentence=" ".join(s.plain for _, s in said))
        return [Finding("claims", "refuse", notice=notice)]
    found: list[Finding] = []
    code = fenced_lines(record.text)  # a line of a code block is all a literal
    for i, sentence in said:
        cited = [ctx.sources[n - 1] for n in sentence.markers if 1 <= n <= len(ctx.sources)]
        fenced = sentence.line in code
        why = _unstated(sentence, cited or list(ctx.sources), names, asked, fenced)
        if why is None:  # another answer in the slot, or of another period: no rescue
            why = slot_of(sentence.plain, asked.text, bodies) or _other_period(
                sentence, ctx.sources, asked
            )
            if why is not None:
                notice = Notice("withheld_claim", sentence=sentence.plain, why=why)
                found.append(Finding("claims", "remove", i, notice=notice))
            continue
        other = _stating(sentence, ctx, names, asked, fenced) if cited else None
        if other is not None:  # the model cited the wrong passage: point it at the one that says it
            found.append(Finding("claims", "rewrite", i, _cite(sentence.text, other.n)))
            continue
        split = None if fenced else _by_clause(sentence, ctx, names, asked)
        if split is not None:  # two passages' facts in one sentence, one marker: one each
            found.append(Finding("claims", "rewrite", i, split))
            continue
        notice = Notice("withheld_claim", sentence=sentence.plain, why=why)
        found.append(Finding("claims", "remove", i, notice=notice))
    return [*found, *_left_empty(found, said, record)]


def _left_empty(
    found: list[Finding], said: list[tuple[int, Sentence]], record: Record
) -> list[Finding]:
    """What this check's removals leave saying nothing, removed too: the fences of a code block
    whose lines all went, and a sentence introducing what follows ("可以使用以下命令：") when
    all that followed went."""
    gone = {f.at for f in found if f.action == "remove" and f.at is not None}
    if not gone:
        return []
    kept = {s.line for i, s in said if i not in gone}
    fences = {n for b in code_blocks(record.text) if not kept & set(b[1:-1]) for n in b}
    empty = [i for i, s in said if i not in gone and s.line in fences]
    left = [(i, s) for i, s in said if i not in gone and i not in empty]
    if left and left[-1][1].plain.rstrip().endswith((":", "：")) and max(gone) > left[-1][0]:
        empty.append(left[-1][0])  # it introduced what went
    return [Finding("claims", "remove", i) for i in empty]


def restates(sentence: str, asked: str) -> bool:
    """A sentence with no word the question does not already have (in the same script): it
    answers nothing."""
    if bool(HAN_CHAR.search(sentence)) != bool(HAN_CHAR.search(asked)):
        return False
    function = pack("en").function_words
    return not {w for w in _added(sentence, asked) if w not in function}


def _added(sentence: str, asked: str) -> set[str]:
    """The words (with a letter or digit) `sentence` has that the question `asked` has not."""
    added = set(tokenize(strip_markers(sentence))) - set(tokenize(asked))
    return {w for w in added if any(ch.isalnum() for ch in w)}


def _stating(
    sentence: Sentence, ctx: Context, names: NameTable, asked: _Asked, fenced: bool = False
) -> Source | None:
    """Another passage shown that states the sentence, if one does."""
    cited = set(sentence.markers)
    for source in ctx.sources:
        if source.n not in cited and _unstated(sentence, [source], names, asked, fenced) is None:
            return source
    return None


def _by_clause(sentence: Sentence, ctx: Context, names: NameTable, asked: _Asked) -> str | None:
    """The sentence with each clause citing a passage that states it, when no passage states
    it whole but different passages state its clauses ("Spielberg won Best Director, and Curtis
    won Best Supporting Actress [1]." -> "... Best Director [2], and ... [1]."), each naming
    something the question names; else None."""
    parts, ending = clauses(sentence.text)
    if len(parts) < 2:
        return None
    cited: list[int] = []
    for part in parts:
        clause = Sentence(strip_markers(part).strip(" ,，;；"), sentence.line)
        if len(missing(asked.named, [clause.plain])) == len(asked.named):
            return None  # "…, and he was picked [2]": a clause without its subject says nothing
        by = [s for s in ctx.sources if _unstated(clause, [s], names, asked) is None]
        if not by:
            return None
        cited.append(by[0].n)
    if len(set(cited)) < 2:
        return None
    end = strip_markers(ending).strip()
    shown = []
    for part, n in zip(parts, cited, strict=True):
        bare = strip_markers(part).rstrip()
        comma = bare[-1] if bare[-1:] in (",", "，", ";", "；") else ""
        shown.append(f"{bare.rstrip(',，;；').rstrip()} [{n}]{comma}")
    space = "" if HAN_CHAR.search(sentence.text) else " "
    return space.join(shown) + end


def _cite(text: str, n: int) -> str:
    """`text` citing source `n` instead of what it cited."""
    bare = MARKER.sub("", text).rstrip()
    return place_marker(re.sub(r"\s+([。，,.!?！？])", r"\1", bare), n)


def _unstated(
    sentence: Sentence,
    cited: list[Source],
    names: NameTable,
    asked: _Asked,
    fenced: bool = False,
) -> str | None:
    """Why no cited passage states `sentence` (None: one does). The names it gives beyond those
    of the question (the gate found those) must all come from one cited passage, and so must
    its literals (`literals.py`; all of it on a line of a code block, `fenced`)."""
    if says_nothing(sentence.plain, sentence.figures):
        return "empty"
    if _HEADING.search(sentence.plain) or any(_copies_heading(sentence.plain, s) for s in cited):
        return "heading"
    literal = unwritten(sentence.plain, [s.text for s in cited], asked.text, fenced)
    if literal is not None:
        return f"`{literal}`"
    if fenced:  # a command or code the passage writes: no words or names to compare
        return None
    asked_key = name_key(asked.text)
    terms = [
        t
        for t in key_terms(sentence.plain, names)
        if t.kind in ("name", "year")
        and not t.quoted  # “安全账户”: quotation marks around a phrase, as often as a name
        and name_key(t.text) not in asked.keys
        and name_key(t.text) not in asked_key  # the question's own words (新农 of 新农人)
    ]
    if terms and not any(not missing(terms, [s.text]) for s in cited):
        lacking = missing(terms, [s.text for s in cited]) or terms
        return ", ".join(t.text for t in lacking)
    apart = _apart(sentence, terms, cited, names, asked)
    if apart is not None:
        return apart
    for figure in sentence.figures:
        noun = _noun_after(sentence.plain, figure)
        if noun and not any(_counts(figure, noun, sentence.plain, s) for s in cited):
            return f"{figure.text} {noun}"
    if not any(_covered(sentence.plain, asked.text, s) for s in cited):
        return "words"
    return None


def _apart(
    sentence: Sentence, terms: list[Term], cited: list[Source], names: NameTable, asked: _Asked
) -> str | None:
    """What the sentence gives (a name or figure the question does not) that no cited passage
    says of what was asked: each must stand in a passage sentence that names the question's
    subject (the names the question and the sentence share; there or in the sentence before)
    or no one but what the sentence gives, and, for a "who" question, that speaks of what the
    question asks (one of its words besides its names). "浙江海事局于8月5日12时结束应急响应 [2]"
    goes when the passage's 8月5日12时 is 浙江省防指's; "Ken Wharfe plays Princess Diana [2]"
    when the passage's Ken Wharfe wrote a memoir. None: nothing stands apart."""
    subject = [t for t in asked.subject if not missing([t], [sentence.plain])]
    if not subject:  # "图片来源：FAO粮农组织门口 [1]" for whose name a report gives
        return next(
            (
                f"{t.text} ({_WHO})"
                for t in terms
                if t.kind == "name" and not _asked_of(t, asked, cited)
            ),
            None,
        )
    figures = [
        q
        for q in sentence.figures
        if not supported(q, asked.figures) and not _dotted(q, sentence.plain)
    ]
    items: list[Term | Quantity] = [*terms, *figures]
    for item in items:
        if not any(_said_of(item, subject, terms, asked.words, s, names) for s in cited):
            return f"{item.text} ({', '.join(t.text for t in subject)})"
    return None


def _asked_of(name: Term, asked: _Asked, cited: list[Source]) -> bool:
    """For a "who" question an answer not naming the question's subject gives: whether a cited
    passage sentence (with the one before) names `name` and speaks of what was asked (one of
    the question's words besides its names) or of what the question names. True for any other
    question."""
    if not asked.words:
        return True
    whole = [replace(t, parts=(), any_part=False) for t in asked.named]
    for source in cited:
        before = ""
        for said, _ in source.sentence_figures:
            window, before = f"{before} {said}", said
            if not _gives(name, said, source):
                continue
            if asked.words & set(tokenize(window)) or not _same_script(window, asked.words):
                return True
            if whole and len(missing(whole, [window])) < len(whole):
                return True  # "…将2023年诺贝尔文学奖授予约恩·福瑟" for who won it
    return False


def _other_period(sentence: Sentence, shown: Sequence[Source], asked: _Asked) -> str | None:
    """A figure of the sentence that the passages shown give only of another period than the
    one the question asks about, if one is; wherever the sentence's marker points."""
    for figure in sentence.figures:
        if not periods.agrees(sentence.plain, figure.start, asked.period):
            continue  # the sentence says itself it is of another period ("其中6月份下降8.3%")
        if not _of_period(figure, shown, asked):
            return f"{figure.text} ({_PERIOD})"
    return None


def _of_period(figure: Quantity, shown: Sequence[Source], asked: _Asked) -> bool:
    """Whether a passage of `shown` stating `figure` gives it of the period the question asks
    about, or of none ("6月份，利润同比下降8.3%" is June's, not the "1至6月份" asked); True for a
    date, a figure the question gives, a question naming no period, a figure none states (the
    figures check has those)."""
    if asked.period is None or figure.kind == "date" or supported(figure, asked.figures):
        return True
    stated = [(said, q) for s in shown for said, found in s.sentence_figures for q in found]
    stated = [(said, q) for said, q in stated if supported(figure, [q])]
    return not stated or any(periods.agrees(said, q.start, asked.period) for said, q in stated)


def _dotted(figure: Quantity, text: str) -> bool:
    """A figure that is a piece of an address or a version ("127.0" of 127.0.1.1): a name."""
    end = figure.start + len(figure.text)
    return bool(re.match(r"\.\d", text[end : end + 2]))


def _distinct(term: Term) -> Term:
    """`term` named by itself or by a part of it that names one thing: 浙江海事局 or 海事局, not
    浙江 (浙江省防指 is another body); 休斯顿 of 休斯顿玛格丽特·詹金斯 (a park in Houston)."""
    if not term.any_part:  # every part needed ("ReelShort+短剧"): as it is
        return term
    return replace(term, parts=tuple(p for p in term.parts if len(p.text) >= MIN_PART))


def _said_of(
    item: Term | Quantity,
    subject: list[Term],
    given: list[Term],
    words: frozenset[str],
    source: Source,
    names: NameTable,
) -> bool:
    """Whether a sentence of `source` gives `item` of the subject (see `_apart`); the heading
    (title, publisher, date) is no sentence before the first. A passage whose words never name
    the subject speaks of it in other words ("我国外汇储备" of 中国), or all of it is of what its
    heading names (its publisher, "Henan's new policy"): there any sentence will do."""
    named = [t for t in subject if not missing([t], [source.body])]
    subject, words = (subject, words) if named else ([], frozenset())
    before = ""
    answer = " ".join(t.text for t in given)
    for said, figures in source.sentence_figures:
        heading = said in source.heading
        window, before = (said, "") if heading else (f"{before} {said}", said)
        if isinstance(item, Term) and not _gives(item, said, source):
            continue
        if isinstance(item, Quantity) and not supported(item, figures):
            continue
        if words and not words & set(tokenize(window)) and _same_script(window, words):
            continue  # the passage's Ken Wharfe wrote a memoir: he plays no one
        if not subject or len(missing(subject, [window])) < len(subject):
            return True
        others = [t for t in key_terms(said, names) if t.kind == "name"]
        if not missing(others, [answer]) if answer else not others:
            return True  # a pronoun's sentence: "She won the award"
    return False


def _copies_heading(sentence: str, source: Source) -> bool:
    """Whether the sentence is the source's title asking a question ("The Crown: what was the
    real-life 'Tampongate' scandal?"): it states nothing. A title that states ("Kroger and
    Albertsons to merge") is the source's words like any other."""
    bare = sentence.rstrip("。.!?！？ ")
    at = source.heading.find(bare) if len(bare) >= 8 else -1
    return at >= 0 and source.heading[at + len(bare) : at + len(bare) + 1] in ("?", "？")


def _gives(name: Term, said: str, source: Source) -> bool:
    """Whether `said` (a sentence of `source`) names `name`, or by its last word once the source
    has named it whole ("Curtis, who won ..." after "Jamie Lee Curtis")."""
    if not missing([name], [said]):
        return True
    last = name.text.split()[-1]
    if last == name.text or HAN_CHAR.search(last) or missing([name], [source.text]):
        return False
    return re.search(rf"\b{re.escape(last)}\b", said, re.I) is not None


def _same_script(text: str, words: frozenset[str]) -> bool:
    """Whether `text` is written in the script of the question's `words`."""
    return bool(HAN_CHAR.search(text)) == any(HAN_CHAR.match(w) for w in words)


def _covered(sentence: str, asked: str, source: Source) -> bool:
    """Whether `source` has most of the words `sentence` adds to the question `asked` (at least
    MIN_COVERAGE of them, when there are MIN_WORDS or more); True across scripts."""
    if bool(HAN_CHAR.search(sentence)) != bool(HAN_CHAR.search(strip_markers(source.text))):
        return True
    if _han_share(sentence) >= 0.5 and _han_share(source.text) < 0.2:
        return True  # a Chinese sentence from an English passage
    added = _added(sentence, asked)
    if len(added) < MIN_WORDS:
        return True
    have = set(tokenize(source.text))
    return len(added & have) / len(added) >= MIN_COVERAGE


def _han_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    return sum(bool(HAN_CHAR.match(ch)) for ch in letters) / len(letters) if letters else 0.0


def says_nothing(text: str, figures: tuple[Quantity, ...]) -> bool:
    """Only a date, with the words that place it in time ("截至2023年7月末", "as of July 2023")."""
    dates = [q for q in figures if q.kind == "date"]
    if not dates or len(dates) < len(figures):
        return False
    rest = unicodedata.normalize("NFKC", strip_markers(text)).casefold()
    for q in dates:
        rest = rest.replace(q.text.casefold(), " ", 1)
    for lang in LANGS:
        rest = pack(lang).time_words.sub(" ", rest)
    return not any(ch.isalnum() for ch in rest)


def _noun_after(text: str, figure: Quantity) -> str | None:
    """What a count counts, as written right after it: 项目 in "14个项目", "projects" in "14
    projects"; None for anything but a count."""
    if figure.kind != "count" or figure.currency or _year_like(figure) or figure.value < 10:
        return None  # small counts ("two companies") are everywhere: nothing to tell
    after = unicodedata.normalize("NFKC", text)[figure.start + len(figure.text) :].lstrip()
    if HAN_CHAR.match(after[:1] or "a"):
        measures = pack("zh").numbers.measure_words
        after = after[1:] if after[:1] in measures else after  # 14个项目: 项目
        m = _HAN_NOUN.match(after)
    else:  # the noun phrase's last word: "two major supermarkets" counts supermarkets
        words: list[str] = []
        for word in after.casefold().split()[:4]:
            bare = word.strip(",.;:()\"'“”")
            if not _EN_NOUN.fullmatch(bare) or bare in pack("en").function_words:
                break
            words.append(bare)
            if bare != word:  # punctuation ends the phrase
                break
        return words[-1].removesuffix("s") if words else None  # "£15,000 for eating": none
    return m.group(1).casefold() if m else None


def _year_like(figure: Quantity) -> bool:
    """1900..2100 as a bare count ("the 2024 campaign"): a year the reader took for a count."""
    return not figure.approx and figure.step == 1 and 1900 <= figure.value <= 2100


def _names_kind(clause: str, kind: str, chinese: bool) -> bool:
    """Whether the clause has a counted noun of `kind` anywhere (制作企业800多家: organisations)."""
    nouns = pack("zh" if chinese else "en").counted.get(kind, ())
    return any(n in clause.casefold() for n in nouns)


def _counts(figure: Quantity, noun: str, said: str, source: Source) -> bool:
    """Whether `source` states `figure` counting `noun` (as `said` writes it): the noun in the
    clause of a figure supporting it, or a noun of the same kind there; True when the source
    writes in the other script (nothing to compare)."""
    chinese = bool(HAN_CHAR.match(noun))
    kind = counted(figure, said)
    for stated_in, stated in source.sentence_figures:
        if not any(supported(figure, [q]) for q in stated):
            continue
        if bool(HAN_CHAR.search(stated_in)) != chinese:
            return True
        for clause in clauses(stated_in)[0]:
            for q in quantities(clause):
                if not supported(figure, [q]):
                    continue
                if noun in clause.casefold() or noun.rstrip("s") in clause.casefold():
                    return True
                if kind is not None and _names_kind(clause, kind, chinese):
                    return True
                # English: only two known kinds that differ tell ("662 million jobs" against
                # "662 million users"); a noun written otherwise ("two supermarkets", "the two
                # companies") is no contradiction
                if not chinese and (kind is None or counted(q, clause) in (None, kind)):
                    return True
    return False
