"""The answer checks as a test drives them: a text, the source texts, the language -> what the
reader sees (`Rendered`: text, cited source numbers, notices, conflicts)."""

from __future__ import annotations

from collections.abc import Sequence

from index.types import Lang
from rag.answer import checks
from rag.answer.findings import Context, Finding, Repairer
from rag.answer.record import Record, parse, sources
from rag.answer.render import Rendered, render
from rag.corpus.names import NameTable
from rag.question import Question


def context(
    texts: Sequence[str],
    lang: Lang = "en",
    *,
    final: bool = True,
    quoted: bool = False,
    others: Sequence[str] = (),
    question: Question | None = None,
    repair: Repairer | None = None,
    names: NameTable | None = None,
    instructions: str = "",
    refusals: tuple[str, ...] = (),
) -> Context:
    return Context(
        sources=sources(
            list(texts),
            articles=[f"article {i + 1}" for i in range(len(texts))],
            bodies=[t.rsplit("\n", 1)[-1] for t in texts],  # "title\nwords": as passages are
        ),
        lang=lang,
        final=final,
        from_llm=not quoted,
        others=sources(list(others), first=len(texts) + 1),
        question=question,
        names=names,
        repair=repair,
        instructions=instructions,
        refusals=refusals,
    )


def checked(text: str, texts: Sequence[str], lang: Lang = "en", **kw: object) -> Rendered:
    """`text` through every check, rendered."""
    ctx = context(texts, lang, **kw)  # type: ignore[arg-type]
    return render(checks.run(parse(text), ctx), lang, len(ctx.pool))


def found(
    check: str, text: str | Record, texts: Sequence[str], lang: Lang = "en", **kw: object
) -> list[Finding]:
    """The findings of one check (by name) on `text`, alone."""
    [declared] = [c for c in checks.CHECKS if c.name == check]
    record = parse(text) if isinstance(text, str) else text
    return declared.find(record, context(texts, lang, **kw))  # type: ignore[arg-type]
