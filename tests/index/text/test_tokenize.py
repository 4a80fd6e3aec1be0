from index.text.tokenize import tokenize


def test_tokenize__cuts_chinese_into_words():
    tokens = tokenize("郑州每天大约开机多少部短剧？")
    assert "郑州" in tokens and "短剧" in tokens and "开机" in tokens
    assert "郑州每天大约开机多少部短剧" not in tokens  # not one token per run of characters


def test_tokenize__search_mode_yields_sub_words():
    assert "短剧" in tokenize("微短剧")


def test_tokenize__english_lowercased_without_stopwords_or_possessive():
    tokens = tokenize("How many Companies does Zhengzhou's industry have?")
    assert tokens == ["company", "zhengzhou", "industry"]


def test_tokenize__numbers_lose_thousands_separators():
    assert "24000" in tokenize("employment rose to 24,000")
    assert "24000" in tokenize("２４，０００人")  # full-width, NFKC-normalised
    assert "634.3" in tokenize("634.3 billion yuan")
