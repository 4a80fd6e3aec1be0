import pytest

from rag.language import detect


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("郑州每天大约开机多少部短剧？", "zh"),
        ("那西安呢？", "zh"),
        ("How many users did China have?", "en"),
        ("What is 红果?", "en"),
        ("据人民日报海外版，中国有多少家微短剧相关企业？", "zh"),
    ],
)
def test_detect(text, lang):
    assert detect(text) == lang
