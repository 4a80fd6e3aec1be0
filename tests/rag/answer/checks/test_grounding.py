"""Whether the model's answer rests on the passages: it repeats no instructions, it cites
something, and what it cites names what the question names; the last word on figures."""

from __future__ import annotations

from rag.answer.record import parse
from rag.corpus.names import Name, NameTable
from rag.question import QuestionReader
from tests.rag.answer.checking import checked, found

SOURCES = ["36Kr\nZhengzhou has over 820 production companies.", "Caixin\nXi'an hosts 10 crews."]
INSTRUCTIONS = (
    "Answer only from the numbered sources below, citing each claim with its marker.\n"
    "If the sources do not contain the answer, reply with the fixed refusal sentence."
)


def test_echo__an_answer_repeating_the_instructions_is_withheld_with_its_notice():
    echoed = (
        "Answer only from the numbered sources below, citing each claim with its marker. "
        "If the sources do not contain the answer, reply with the fixed refusal sentence."
    )
    [finding] = found("echo", echoed, SOURCES, instructions=INSTRUCTIONS)
    assert finding.action == "withhold" and finding.notice.code == "withheld_instructions"
    assert (
        found("echo", "Zhengzhou has over 820 companies [1].", SOURCES, instructions=INSTRUCTIONS)
        == []
    )


def test_cited__an_answer_citing_nothing_is_withheld_saying_what_was_withheld():
    [finding] = found("cited", "The sky is blue today.", SOURCES)
    assert finding.action == "withhold"
    assert finding.notice.code == "withheld_unsupported"
    assert finding.notice.params["sentence"] == "The sky is blue today."
    assert found("cited", "Zhengzhou has over 820 companies [1].", SOURCES) == []


def test_cited__citing_articles_that_lack_the_questions_key_terms_is_withheld():
    reader = QuestionReader(NameTable.build([Name("郑州", "Zhengzhou"), Name("西安", "Xi'an")]))
    question = reader.read("How many companies does Zhengzhou have?")
    # cites Xi'an's article only: it never names Zhengzhou
    [finding] = found("cited", "There are 10 crews [2].", SOURCES, question=question)
    assert finding.action == "withhold" and finding.notice is None
    assert found("cited", "There are over 820 companies [1].", SOURCES, question=question) == []


def test_audit__a_figure_no_cited_source_states_is_named_in_a_notice():
    record = parse("Zhengzhou has 999 companies [1].")
    [finding] = found("audit", record, SOURCES)
    assert finding.notice.code == "unsupported_figure"
    assert finding.notice.params == {"sentence": "Zhengzhou has 999 companies."}


def test_checks__an_answer_none_of_whose_sentences_a_source_states_is_withheld_once():
    shown = checked("The sky is blue today.", SOURCES)
    assert [n.code for n in shown.notices] == ["withheld_claim"]  # why, said once
    assert shown.text == ""


def test_cited__a_year_binds_a_figure_asked_for_not_a_name():
    reader = QuestionReader(NameTable.build([Name("郑州", "Zhengzhou")]))
    which = reader.read("Which companies does Zhengzhou plan to host in 2026?")
    assert found("cited", "Zhengzhou has over 820 companies [1].", SOURCES, question=which) == []
    how_many = reader.read("How many companies will Zhengzhou have in 2026?")
    [finding] = found("cited", "Zhengzhou has over 820 companies [1].", SOURCES, question=how_many)
    assert finding.action == "withhold"
