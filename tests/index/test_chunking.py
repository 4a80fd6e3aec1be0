"""Articles -> chunks: one per bullet, a few sentences of prose; refs kept, ids stable."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from index.chunking import CHUNK_MAX, chunk, chunk_all, refs_of, size
from index.formats.reports import parse
from index.types import Article, Paragraph
from tests.support import PUBLISHERS

F000 = "000_8a877e92fa28b082.txt"
ZH_TITLE = "郑州微短剧出海计划发布"


def _article(*paragraphs: Paragraph, lang: str = "en", **fields) -> Article:
    return Article(
        file="a.txt",
        title=fields.pop("title", "微短剧报告"),
        paragraphs=paragraphs,
        lang=lang,
        **fields,
    )


@pytest.fixture
def seed_articles(seeds_dir: Path) -> list[Article]:
    return [a for path in sorted(seeds_dir.glob("*.txt")) for a in parse(path)]


def test_chunk__keeps_paragraph_refs():
    article = _article(Paragraph("Users reached 696 million [15][21] by June [21][3]", "Market"))
    (c,) = chunk(article)
    assert c.refs == (15, 21, 3)
    assert c.text == "Users reached 696 million by June"


def test_chunk__seed_bullet_refs_and_clean_text(seeds_dir: Path):
    (article,) = parse(seeds_dir / F000)
    chunks = chunk(article)
    assert chunks[0].refs == (15, 21, 24)
    assert chunks[0].section == "Industry Overview"
    assert chunks[1].text.startswith("Production Capacity: Xi'an and Zhengzhou are producing")
    assert chunks[1].refs == (19, 21)
    assert chunks[-1].refs == ()  # the closing remark carries none


def test_chunk__text_is_clean_of_markers_and_extra_whitespace(seed_articles):
    for c in chunk_all(seed_articles):
        assert not re.search(r"\[\d+\]", c.text), c.text
        assert c.text == " ".join(c.text.split())
        assert not c.text.endswith(" ") and " ." not in c.text


def test_refs_of__order_kept_duplicates_dropped():
    assert refs_of("[4][5][4] and [12]") == (4, 5, 12)


def test_chunk__embed_text_carries_title_publisher_date_and_section():
    article = _article(
        Paragraph("Hongguo leads the market [3]", "Competitive Landscape"),
        Paragraph("A closing remark."),
        title="向千亿目标冲刺的微短剧",
        publisher="3 6 Ke",
        published=datetime(2025, 9, 24, 7, 46),
    )
    first, second = chunk(article, publishers=PUBLISHERS)
    assert first.embed_text == (
        "向千亿目标冲刺的微短剧\n"
        "36Kr 36氪 2025-09-24\n"
        "Competitive Landscape: Hongguo leads the market"
    )
    # without a corpus profile's table, the publisher is named as the export writes it
    assert chunk(article)[0].embed_text.splitlines()[1] == "3 6 Ke 2025-09-24"
    assert second.embed_text.endswith("2025-09-24\nA closing remark.")
    assert first.text == "Hongguo leads the market"  # the shown text has no header


def test_chunk__embed_text_without_publisher_or_date_has_no_empty_line():
    (c,) = chunk(_article(Paragraph("Some claim [1]", "Core Insights"), title="T"))
    assert c.embed_text == "T\nCore Insights: Some claim"


def test_chunk__copies_article_metadata(seeds_dir: Path):
    (article,) = parse(seeds_dir / F000)
    for position, c in enumerate(chunk(article)):
        assert c.position == position
        assert c.article_id == article.article_id
        assert (c.file, c.title, c.publisher, c.published, c.topic, c.url, c.lang, c.path) == (
            article.file,
            article.title,
            None,
            datetime(2025, 11, 16, 15, 36),
            None,
            "https://a.caixin.com/8So80ZOk",
            "en",
            article.path,
        )


def test_chunk__ids_stable_across_runs_and_distinct_for_duplicates(seeds_dir: Path):
    first = chunk_all(parse(seeds_dir / "001_4b70c0adcfe8b3ab.txt"))
    second = chunk_all(parse(seeds_dir / "001_4b70c0adcfe8b3ab.txt"))
    assert [c.chunk_id for c in first] == [c.chunk_id for c in second]
    twice = _article(Paragraph("Same claim [1]", "S"), Paragraph("Same claim [1]", "S"))
    a, b = chunk(twice)
    assert a.text == b.text and a.chunk_id != b.chunk_id
    assert [c.chunk_id for c in chunk(twice)] == [a.chunk_id, b.chunk_id]


def test_chunk__ids_unique_across_the_seeds(seed_articles):
    ids = [c.chunk_id for c in chunk_all(seed_articles)]
    assert len(ids) == len(set(ids))


def test_chunk__id_changes_when_the_text_changes():
    (a,) = chunk(_article(Paragraph("Users reached 696 million [4]", "S")))
    (b,) = chunk(_article(Paragraph("Users reached 700 million [4]", "S")))
    assert a.chunk_id != b.chunk_id


def test_chunk__skips_empty_and_marker_only_paragraphs():
    article = _article(Paragraph("[3][4]", "S"), Paragraph("  ", None), Paragraph("Real [5]", "S"))
    (c,) = chunk(article)
    assert (c.text, c.refs, c.position) == ("Real", (5,), 0)


def test_chunk__one_chunk_per_seed_bullet(seed_articles):
    for article in seed_articles:
        if article.lang == "en":
            assert len(chunk(article)) == len(article.paragraphs)


def test_chunk__chinese_prose_split_at_sentence_ends_in_bounded_pieces(seed_articles):
    (article,) = [a for a in seed_articles if a.title == ZH_TITLE]
    chunks = chunk(article)
    assert 3 <= len(chunks) <= 6
    for c in chunks[:-1]:  # the export truncates the last one ("新华社 ...")
        assert c.text.endswith(("。", '。"')), c.text
        assert 60 <= size(c.text) <= CHUNK_MAX
    assert chunks[0].text.startswith('近年来,郑州微短剧产业跑出"加速度"')
    whole = "".join(c.text for c in chunks)
    assert whole == "".join(p.text for p in article.paragraphs).replace(" ", "")
    assert all(c.section is None and c.lang == "zh" for c in chunks)


def test_chunk__a_sentence_longer_than_the_max_is_cut_at_commas():
    clause = "微短剧产业持续发展壮大并带动了上下游产业链"  # 21 Han characters
    sentence = ",".join([clause] * 15) + "。"
    chunks = chunk(_article(Paragraph(sentence), lang="zh"))
    assert len(chunks) > 1
    assert all(size(c.text) <= CHUNK_MAX for c in chunks)
    assert all(c.text.endswith((",", "。")) for c in chunks)
    assert "".join(c.text for c in chunks) == sentence


def test_chunk__long_english_prose_is_grouped_by_sentences():
    sentence = "The micro-drama market grew quickly in every province last year [1]."
    chunks = chunk(_article(Paragraph(" ".join([sentence] * 20))))
    assert len(chunks) > 1
    assert all(c.text.endswith("year.") for c in chunks)
    assert all(size(c.text) <= CHUNK_MAX for c in chunks)
    assert all(c.refs == (1,) for c in chunks)


def test_chunk_all__seeds_give_a_plausible_number_of_chunks(seed_articles):
    chunks = chunk_all(seed_articles)
    bullets = sum(len(a.paragraphs) for a in seed_articles if a.lang == "en")
    assert 240 <= len(chunks) <= 300
    assert len(chunks) >= bullets
    lengths = sorted(len(c.text) for c in chunks)
    assert lengths[0] >= 40 and lengths[-1] <= 400


def test_chunk_all__an_article_listed_twice_gets_distinct_ids():
    article = Article(
        file="twice.txt", title="Same", paragraphs=(Paragraph("Suzhou opened 3 studios [1]"),)
    )
    chunks = chunk_all([article, article])
    assert len(chunks) == 2 and chunks[0].chunk_id != chunks[1].chunk_id
    assert chunks[0].chunk_id == chunk(article)[0].chunk_id  # the first copy keeps its id


# The ids of the shipped seeds' chunks: a change here makes every existing index re-embed.
SEED_IDS_SHA256 = "3fd84986e93be2069139b4e14c5f949b0b6f787b3351d2f359a7d19b193271ef"


def test_chunk_all__seed_chunk_ids_never_change(seeds_dir: Path):
    import hashlib

    ids = [c.chunk_id for f in sorted(seeds_dir.glob("*.txt")) for c in chunk_all(parse(f))]
    assert len(ids) == 265
    assert hashlib.sha256("\n".join(ids).encode()).hexdigest() == SEED_IDS_SHA256


def test_chunk__carries_the_page_and_never_spans_two_pages():
    long = "精品化成为行业共识，头部平台加大投入。" * 12  # cut into several chunks
    chunks = chunk(
        _article(Paragraph(long, page=1, number=1), Paragraph(long, page=2, number=2), pages=2)
    )
    assert {c.page for c in chunks} == {1, 2} and all(c.pages == 2 for c in chunks)
    assert all(long.find(c.text) != -1 for c in chunks)  # each chunk lies within one page
    ones = [c for c in chunks if c.page == 1]
    twos = [c for c in chunks if c.page == 2]
    assert [c.text for c in ones] == [c.text for c in twos]
    assert not {c.chunk_id for c in ones} & {c.chunk_id for c in twos}  # the page is in the id


def test_chunk__a_numbered_paragraph_without_markers_cites_its_number():
    first, second = chunk(
        _article(Paragraph("Plain text.", number=7), Paragraph("Marked [3].", number=8))
    )
    assert (first.refs, second.refs) == ((7,), (3,))
