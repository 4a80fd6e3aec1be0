import pytest

from tests.support import PUBLISHERS


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many users by July, according to Cailian Press?", "Cailian Press"),
        ("财联社怎么说", "Cailian Press"),
        ("What did 36Kr report about Zhengzhou?", "36Kr"),
        ("据人民日报海外版，中国有多少家微短剧相关企业？", "People's Daily Overseas Edition"),
        ("per the 21st Century Business Herald", "21st Century Business Herald"),
        ("Yicai on summer dramas", "Yicai"),
        ("第一财经的报道", "Yicai"),
    ],
)
def test_mentioned__finds_publishers_by_usual_names(question, expected):
    assert [p.en for p in PUBLISHERS.mentioned(question)] == [expected]


def test_mentioned__needs_whole_words():
    assert PUBLISHERS.mentioned("business in Asia, including clusters") == []


@pytest.mark.parametrize(
    ("raw", "lang", "shown"),
    [
        ("3 6 Ke", "en", "36Kr"),
        ("3 6 Ke", "zh", "36氪"),
        ("2 1 Shi Ji Jing Ji Bao Dao", "en", "21st Century Business Herald"),
        ("Ren Min Ri Bao", "zh", "人民日报"),
        ("第一财经", "en", "Yicai"),
        ("Some New Outlet", "en", "Some New Outlet"),
    ],
)
def test_display_name__shows_the_usual_name(raw, lang, shown):
    assert PUBLISHERS.display_name(raw, lang) == shown


def test_display_name__falls_back_to_the_url():
    assert PUBLISHERS.display_name(None, "en", "https://a.caixin.com/8So80ZOk") == "Caixin"


def test_keys_for__covers_every_name_of_the_publisher():
    keys = PUBLISHERS.keys_for("People's Daily")
    assert {"renminribao", "人民日报", "peoplesdaily"} <= keys
