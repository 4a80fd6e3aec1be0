import numpy as np

from index.storage.keyword import KeywordIndex
from index.text.tokenize import tokenize

DOCS = [
    "郑州日均开机短剧近百部",
    "Xi'an has over 600 companies producing micro-dramas",
    "Hengdian received 2,300 crews",
]


def _index() -> KeywordIndex:
    return KeywordIndex([tokenize(d) for d in DOCS])


def test_search__ranks_the_matching_chunk_first():
    assert _index().search(tokenize("郑州每天开机多少短剧"), 3)[0][0] == 0
    assert _index().search(tokenize("how many companies in Xi'an"), 3)[0][0] == 1


def test_search__mask_excludes_chunks():
    allowed = np.array([False, True, True])
    hits = _index().search(tokenize("郑州 短剧 companies"), 3, allowed)
    assert [i for i, _ in hits] == [1]


def test_search__no_overlap_and_empty_index_give_nothing():
    assert _index().search(tokenize("weather in Paris"), 3) == []
    assert KeywordIndex([]).search(["x"], 3) == []
