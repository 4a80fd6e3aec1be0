"""One renderer: the record and its findings -> text, cited sources, notices."""

from __future__ import annotations

from rag.answer.findings import Finding, State, apply
from rag.answer.record import parse
from rag.answer.render import link, render
from rag.notices import Notice


def test_link__renumbers_in_order_of_first_use_and_drops_unknown_markers():
    assert link("A [2]. B [2][1]. C [9].", 2) == ("A [1]. B [1][2]. C.", [2, 1])
    assert link("A [1][1].", 1) == ("A [1].", [1])
    assert link("郑州从业人员近4万人，[1]。", 1) == ("郑州从业人员近4万人 [1]。", [1])
    assert link("A, [1][2].", 2) == ("A [1][2].", [1, 2])
    assert link("A, [1] and B [2].", 2) == ("A, [1] and B [2].", [1, 2])  # mid-sentence: kept


def test_render__lines_removed_sentences_and_notices_in_check_order():
    record = parse("First [2]. Gone [1].\n\nSecond line [1].\nAll gone [1].")
    state = apply(
        State(record),
        [
            Finding("figures", "remove", 1, notice=Notice("withheld_sentence", sentence="Gone")),
            Finding("figures", "remove", 3),
            Finding("citations", "rewrite", 0, "First again [2]."),
            Finding("conflicts", "add", text="Added [1][2]."),
        ],
    )
    shown = render(state, "en", 2)
    assert shown.text == "First again [1].\n\nSecond line [2].\nAdded [2][1]."
    assert shown.cited == [2, 1]
    assert [n.code for n in shown.notices] == ["withheld_sentence"]
