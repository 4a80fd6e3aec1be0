"""Where the name table finds its names in a text (`NameTable.mentioned`)."""

from rag.corpus.names import Name, NameTable

TABLE = NameTable(
    entries=(
        Name("郑州", "Zhengzhou"),
        Name("西安", "Xi'an", ("Xian",)),
        Name("美国", "US", ("U.S.", "United States")),
        Name("红果短剧", "Hongguo"),
    )
)


def _found(text: str) -> list[str]:
    return [span.text for span in TABLE.mentioned(text)]


def test_mentioned__finds_names_written_any_way_the_patterns_allow():
    assert _found("XI'AN and zhengzhou") == ["XI'AN", "zhengzhou"]
    assert _found("郑 州的红果短剧") == ["郑 州", "红果短剧"]
    assert _found("sold in the U.S. and in Hongguo's app") == ["U.S.", "Hongguo's"]
    assert _found("2021年US增长") == ["US"]  # an abbreviation next to Chinese


def test_mentioned__finds_nothing_where_no_name_stands():
    assert _found("") == []
    assert _found("use the bus") == []  # "us" inside a word, in lower case
    assert _found("Xiamen and Zhengz") == []
