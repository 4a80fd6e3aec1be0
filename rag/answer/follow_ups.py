"""The words of follow-ups as patterns, in either language (`rag.answer.condense` reads them):
lead-ins ("And Xi'an?", "那西安呢？"), pronouns that refer back (它们, they), question words, and
what stands around a question's subject. Built once, at first use, from the language packs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rag.lang import LANGS, one_of, pack


@dataclass(frozen=True)
class FollowUpRules:
    """The follow-up rules' patterns and words, built once from the language packs."""

    follow_up: re.Pattern[str]  # a lead-in (那, and, what about) or a trailing 呢
    ellipsis: re.Pattern[str]  # ...around the one thing an elliptical follow-up names
    zh_pronoun: re.Pattern[str]  # 它们, 这些; 其中 opening the question
    en_pronoun: re.Pattern[str]
    expletive_it: re.Pattern[str]  # "it takes a month to ...": no pronoun
    zh_question: re.Pattern[str]  # 多少, 什么
    en_question: re.Pattern[str]  # how, what
    aux: re.Pattern[str]  # an auxiliary, then the rest of the question
    verb_aux: frozenset[str]  # auxiliaries that leave a main verb after the subject
    subject_ends: frozenset[str]
    articles: frozenset[str]
    verb_ending: re.Pattern[str]
    possessives: frozenset[str]
    of_which: str  # 其中
    zh_stop_tags: tuple[str, ...]  # jieba's tags of the words after a Chinese subject
    place_tags: frozenset[str]
    label: re.Pattern[str]  # "standalone question:" before a model's rewrite


@cache
def follow_up_rules() -> FollowUpRules:
    packs = [pack(lang) for lang in LANGS]
    zh, en = pack("zh"), pack("en")
    follow = [p.follow_ups for p in packs]
    lead = one_of([w for f in follow for w in f.leads], space=r"\s+")
    ends = one_of([w for f in follow for w in f.endings])
    prepositions = one_of([w for f in follow for w in f.prepositions])
    trailing = one_of([w for f in follow for w in (*f.trailing, *f.endings)])
    auxiliaries = (*en.follow_ups.auxiliaries, *en.follow_ups.copulas)
    labels = one_of(f.label for f in follow)
    return FollowUpRules(
        follow_up=re.compile(rf"^\s*(?:{lead})(?![a-z])|(?:{ends})\s*[？?]?\s*$", re.I),
        ellipsis=re.compile(
            rf"^\s*(?:(?:{lead})(?![a-z]))?[\s,，]*(?:(?:{prepositions})\s+)?"
            rf"(?P<x>.+?)\s*(?:{trailing})*\s*[？?。.!！]*\s*$",
            re.I,
        ),
        zh_pronoun=re.compile(rf"^{re.escape(zh.follow_ups.of_which)}|{zh.follow_ups.pronouns}"),
        en_pronoun=re.compile(en.follow_ups.pronouns, re.I),
        expletive_it=re.compile(en.follow_ups.expletive, re.I),
        zh_question=re.compile(one_of(zh.question_words)),
        en_question=re.compile(rf"\b(?:{one_of(en.question_words)})\b", re.I),
        aux=re.compile(rf"\b(?P<aux>{one_of(auxiliaries)})\s+(?P<rest>.+)$", re.I),
        verb_aux=frozenset(en.follow_ups.auxiliaries),
        subject_ends=frozenset(en.follow_ups.subject_ends),
        articles=frozenset(en.follow_ups.articles),
        verb_ending=re.compile(rf"(?:{one_of(en.follow_ups.verb_endings)})$"),
        possessives=frozenset(en.follow_ups.possessives),
        of_which=zh.follow_ups.of_which,
        zh_stop_tags=tuple(sorted(zh.subject_end_tags)),
        place_tags=zh.place_tags,
        label=re.compile(rf"^\s*(?:{labels})\s*[:：]\s*", re.I),
    )
