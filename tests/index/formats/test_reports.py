"""Report exports -> Articles: the five seeds (messy on purpose) and the generic parser."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from index.formats.reports import clean_prose, detect_lang, parse, parse_text
from index.types import Article

F000 = "000_8a877e92fa28b082.txt"
F001 = "001_4b70c0adcfe8b3ab.txt"
F002 = "002_c22822ce1c7e6321.txt"
F003 = "003_8bf040d26db51f69.txt"
F004 = "004_06c10140030632d2.txt"
NO_SOURCE_TITLE = "规范化与精品化并重 微短剧暑期热度攀升"
ZH_TITLE = "郑州微短剧出海计划发布"


@pytest.fixture
def seeds(seeds_dir: Path) -> dict[str, list[Article]]:
    return {path.name: parse(path) for path in sorted(seeds_dir.glob("*.txt"))}


def _by_title(seeds: dict[str, list[Article]], title: str) -> Article:
    (article,) = [a for arts in seeds.values() for a in arts if a.title == title]
    return article


def _all(seeds: dict[str, list[Article]]) -> list[Article]:
    return [a for arts in seeds.values() for a in arts]


def test_parse__seeds_give_23_articles_per_file_as_expected(seeds):
    counts = {name: len(arts) for name, arts in seeds.items()}
    assert counts == {F000: 1, F001: 10, F002: 1, F003: 10, F004: 1}
    assert sum(counts.values()) == 23


def test_parse__sets_file_and_resolved_path(seeds_dir: Path):
    (article,) = parse(seeds_dir / F002)
    assert article.file == F002
    assert article.path == str((seeds_dir / F002).resolve())


def test_parse__titles_in_file_order(seeds):
    assert [a.title for a in seeds[F001]][:5] == [
        "向千亿目标冲刺的微短剧,正上演“双城争霸”",
        "微短剧从量到质的转型:平台推动力驱动内容升级与生态繁荣",
        "2300个短剧剧组涌入横店,演员“供不应求”",
        "微短剧剧组数量激增 横店影视城“横竖皆有戏”",
        NO_SOURCE_TITLE,
    ]
    assert seeds[F000][0].title == "财新周刊-第43期2025"
    assert seeds[F002][0].title == "“抢场地、抢演员、AIGC助力” 记者实探郑州短剧基地"
    assert (
        seeds[F003][-1].title
        == "设立省级微短剧发展资金 单项奖励最高300万元 河南真金白银打造微短剧产业高地"
    )
    assert seeds[F004][0].title == "AI驱动微短剧变革:从工具到引擎,重塑内容生态"


def test_parse__an_article_without_source_line_still_has_its_body(seeds):
    article = _by_title(seeds, NO_SOURCE_TITLE)
    assert (article.publisher, article.published) == (None, None)
    assert article.paragraphs[0].section == "Core Insights"
    assert article.paragraphs[0].text.startswith("The micro-short drama industry is experiencing")
    # the article before it keeps only its own body
    before = seeds[F001][3]
    assert not any("summer" in p.text for p in before.paragraphs)


@pytest.mark.parametrize(
    "title, publisher, published",
    [
        ("向千亿目标冲刺的微短剧,正上演“双城争霸”", "3 6 Ke", datetime(2025, 9, 24, 7, 46)),
        ("微短剧行业向高质量发展,精品化成暑期档主旋律", "第一财经", datetime(2025, 7, 24, 1, 25)),
        ("“抢场地、抢演员、AIGC助力” 记者实探郑州短剧基地", "财联社", datetime(2025, 10, 3, 2, 9)),
        (
            "短剧走出“土味套路”:千亿规模激起 “竖店”争夺战",
            "2 1 Shi Ji Jing Ji Bao Dao",
            datetime(2025, 12, 25, 2, 47),
        ),
        (
            "AI驱动微短剧变革:从工具到引擎,重塑内容生态",
            "Zhong Guo Xin Wen Wang",  # no space after the · in the export
            datetime(2025, 9, 25, 3, 52),
        ),
        ("财新周刊-第43期2025", None, datetime(2025, 11, 16, 15, 36)),  # a date alone
    ],
)
def test_parse__publisher_as_written_and_published_datetime(seeds, title, publisher, published):
    article = _by_title(seeds, title)
    assert article.publisher == publisher
    assert article.published == published


def test_parse__every_article_but_one_has_a_source_line(seeds):
    missing = [a.title for a in _all(seeds) if a.published is None]
    assert missing == [NO_SOURCE_TITLE]


def test_parse__topic_is_the_header_line_of_each_file(seeds):
    topics = {name: {a.topic for a in arts} for name, arts in seeds.items()}
    assert topics == {
        F000: {None},
        F001: {"微短剧精品化"},
        F002: {"动画微短剧"},
        F003: {"微短剧"},
        F004: {None},  # `Workflow` alone is no topic
    }


def test_parse__disclaimer_url_goes_to_url_not_to_the_body(seeds):
    (article,) = seeds[F000]
    assert article.url == "https://a.caixin.com/8So80ZOk"
    assert article.paragraphs[0].section == "Industry Overview"  # not "Summary of Key Points"
    assert article.paragraphs[0].text.startswith("The report focuses on the emerging micro-drama")
    assert all(a.url is None for a in _all(seeds) if a.file != F000)


def test_parse__header_disclaimer_and_source_lines_never_reach_bodies(seeds, seeds_dir: Path):
    source_lines = [
        line.strip()
        for path in seeds_dir.glob("*.txt")
        for line in path.read_text(encoding="utf-8").split("\n")
        if "· 20" in line or "·20" in line or line.strip() == "2025-11-16 15:36"
    ]
    assert len(source_lines) == 22
    titles = {a.title for a in _all(seeds)}
    for article in _all(seeds):
        for p in article.paragraphs:
            for banned in ("Search documents", "Workflow", "本文由第三方AI", "icon", *source_lines):
                assert banned not in p.text, (article.title, banned)
                assert banned not in (p.section or "")
        assert not (titles & {"Workflow", "icon", "Search documents", "微短剧", "微短剧精品化"})
    assert not titles & set(source_lines)


def test_parse__language_from_the_body_not_the_title(seeds):
    langs = {a.title: a.lang for a in _all(seeds)}
    assert langs.pop(ZH_TITLE) == "zh"
    assert set(langs.values()) == {"en"}


def test_parse__section_headings_recovered_from_bullets(seeds):
    (caixin,) = seeds[F000]
    assert list(dict.fromkeys(p.section for p in caixin.paragraphs)) == [
        "Industry Overview",
        "Core Insights and Arguments",
        "Emerging Trends",
        "Challenges and Risks",
        "Additional Important Insights",
        None,  # the closing remark is a paragraph of its own, not a heading
    ]
    assert caixin.paragraphs[1].text.startswith("Production Capacity: Xi'an and Zhengzhou")
    assert caixin.paragraphs[-1].text.startswith("This summary encapsulates the key points")
    # headings after `[n].` (with the period), numbered groups with names
    sohu = _by_title(seeds, "最高300万元奖励,河南微短剧产业要再进一步?")
    assert [s for s in dict.fromkeys(p.section for p in sohu.paragraphs)] == [
        "Core Viewpoint",
        "Group 1: Government Policy Support",
        "Group 2: Industry Development and Challenges",
        "Group 3: Talent Development and Education",
        "Group 4: Integration with Other Industries",
    ]
    assert len(sohu.paragraphs) == 13


def test_parse__bullets_keep_their_markers_and_lose_their_dashes(seeds):
    (article,) = seeds[F002]
    first = article.paragraphs[0]
    assert first.section == "Core Viewpoint"
    assert first.text.endswith("changes in production and distribution models [4][5][21]")
    assert not any(p.text.startswith("-") or " - " in p.text for p in article.paragraphs)


def test_parse__chinese_prose_loses_the_stray_wrapping_spaces(seeds):
    article = _by_title(seeds, ZH_TITLE)
    text = "".join(p.text for p in article.paragraphs)
    assert "新华社新闻信息中心河南中心" in text
    assert "新华 社" not in text and "新闻信息 中心" not in text
    assert article.paragraphs[0].section is None
    assert text.startswith('近年来,郑州微短剧产业跑出"加速度"')


def test_clean_prose__keeps_spaces_next_to_latin_text():
    assert clean_prose("红果 短剧 Hongguo Short  Drama 平台") == "红果短剧 Hongguo Short Drama 平台"


def test_detect_lang():
    assert detect_lang("微短剧用户规模达6.62亿") == "zh"
    assert detect_lang("The micro-short drama market 红果 grew fast") == "en"
    assert detect_lang("") == "en"


def test_parse_text__export_without_source_lines_or_headers_is_generic():
    text = "# 微短剧观察\n\n第一段。\n\n第二段。\n"
    (article,) = parse_text(text, "notes.md")
    assert article.title == "微短剧观察"


def test_parse__generic_markdown(tmp_path: Path):
    path = tmp_path / "notes.md"
    path.write_text(
        "# Micro-drama notes\n\n"
        "Intro paragraph that spans\ntwo lines.\n\n"
        "## Market\n\n"
        "- The market grew 35% [2]\n- Hongguo leads\n\n"
        "## 政策\n\n"
        "广电总局发布 管理提示。见 https://example.org/a\n",
        encoding="utf-8",
    )
    (article,) = parse(path)
    assert article.title == "Micro-drama notes"
    assert [(p.section, p.text) for p in article.paragraphs] == [
        (None, "Intro paragraph that spans two lines."),
        ("Market", "The market grew 35% [2]"),
        ("Market", "Hongguo leads"),
        ("政策", "广电总局发布管理提示。见 https://example.org/a"),
    ]
    assert (article.publisher, article.published, article.topic) == (None, None, None)
    assert article.url == "https://example.org/a"
    assert article.lang == "en"
    assert article.file == "notes.md"


def test_parse__generic_plain_text_titled_by_its_first_line(tmp_path: Path):
    path = tmp_path / "memo.txt"
    first = "郑州微短剧产业发展情况汇报" * 10  # longer than a title may be
    path.write_text(
        f"{first}\n\n全市微短剧制作企业800多家。\n从业人员近4万人。\n", encoding="utf-8"
    )
    (article,) = parse(path)
    assert article.title == first[:80] + "…"
    assert article.lang == "zh"
    assert [p.text for p in article.paragraphs] == [
        first,
        "全市微短剧制作企业800多家。从业人员近4万人。",
    ]


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_parse__empty_file_gives_no_article(tmp_path: Path, content: str):
    path = tmp_path / "empty.txt"
    path.write_text(content, encoding="utf-8")
    assert parse(path) == []


def test_parse_text__title_followed_by_a_short_chinese_source_line_and_multi_line_prose():
    text = (
        "Workflow\n测试主题\nicon\nSearch documents\n"
        "微短剧何以精微致远？\n财联社・2025-10-03 2:09\n"
        "第一段正文,讲述了微短剧产业的发展。\n第二段正文。\n"
    )
    (article,) = parse_text(text, "x.txt")
    assert article.title == "微短剧何以精微致远？"  # full-width ? before a source line
    assert article.publisher == "财联社"
    assert article.published == datetime(2025, 10, 3, 2, 9)
    assert article.topic == "测试主题"
    assert [p.text for p in article.paragraphs] == [
        "第一段正文,讲述了微短剧产业的发展。",
        "第二段正文。",
    ]
    assert article.lang == "zh"


def test_parse_text__an_export_with_headers_only_gives_no_article():
    assert parse_text("Workflow\n微短剧\nicon\nSearch documents\n", "x.txt") == []


def test_parse_text__text_before_bullets_is_a_paragraph_not_a_heading():
    text = "T\nA· 2025-01-01 10:00\nThis covers things. Core Insights - claim [1] - claim [2]\n"
    (article,) = parse_text(text, "x.txt")
    assert [(p.section, p.text) for p in article.paragraphs] == [
        (None, "This covers things."),
        ("Core Insights", "claim [1]"),
        ("Core Insights", "claim [2]"),
    ]


def test_parse_text__heading_lines_over_bullet_lines():
    text = (
        "Title A\nXin Hua She· 2025-01-02 03:04\n"
        "Core Insights\n- one [1]\n- two [2]\nRisks\n- three [3]\n"
    )
    (article,) = parse_text(text, "x.txt")
    assert article.publisher == "Xin Hua She"
    assert [(p.section, p.text) for p in article.paragraphs] == [
        ("Core Insights", "one [1]"),
        ("Core Insights", "two [2]"),
        ("Risks", "three [3]"),
    ]


def test_parse_text__chinese_disclaimer_before_chinese_prose_is_dropped():
    text = (
        "标题\n2025-01-01 10:00\n"
        "本文由第三方AI基于财新文章 https://a.caixin.com/x 提炼总结而成,"
        "可能与原文真实意图存在偏差。"
        "不代表财新观点和立场。微短剧市场规模达到504亿元。\n"
    )
    (article,) = parse_text(text, "x.txt")
    assert article.url == "https://a.caixin.com/x"
    assert [p.text for p in article.paragraphs] == ["微短剧市场规模达到504亿元。"]


def test_parse__a_source_line_with_an_impossible_date_is_body_text_not_a_crash():
    text = (
        "Workflow\nQingdao base opens\n3 6 Ke· 2025-13-45 25:61\n\n"
        "Production - 12 crews [1] - 40 staff [2]\n"
    )
    (article,) = parse_text(text, "bad-date.txt")
    assert article.title == "Qingdao base opens" and article.published is None
    assert article.publisher == "3 6 Ke" and len(article.paragraphs) == 2


def test_parse_text__a_news_story_with_one_source_line_is_one_article_with_its_headings():
    text = (
        "LK-99: the room-temperature superconductor that wasn't\n"
        "Source: The Week · 2023-08-18\n\n"
        "A team of scientists in South Korea claimed last month to have made a breakthrough that "
        "could transform the way electricity is transmitted around the world, and the paper went "
        "viral within days of being posted online.\n\n"
        "Why the buzz?\n\n"
        "A room-temperature superconductor would carry electricity with no loss at all, which is "
        "why physicists around the world rushed to replicate the claim in their own labs.\n\n"
        "A caption of a photograph that ends with a period.\n\n"
        "How has the scientific community reacted?\n\n"
        "Most labs that tried it found the material was not a superconductor at all, and the "
        "claim was widely considered debunked by the middle of August in the same year.\n"
    )
    [article] = parse_text(text, "story.txt")
    assert article.title == "LK-99: the room-temperature superconductor that wasn't"
    assert article.publisher == "The Week"  # the "Source:" label is no part of it
    assert article.published is not None and article.published.year == 2023
    said = [p.text for p in article.paragraphs]
    assert "Why the buzz?" in said and len(said) == 6
