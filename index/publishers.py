"""Publisher names as users know them, in English and Chinese, and as the exports romanise them.

The exports write `3 6 Ke` or `Ren Min Ri Bao`; users say 36Kr / 36氪 or People's Daily / 人民日报.
Every name of a publisher normalises (`normalise_publisher`) to one key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def normalise_publisher(name: str) -> str:
    """Lower-case, no spaces or punctuation: "3 6 Ke" -> "36ke". Aliases are mapped below."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


@dataclass(frozen=True)
class Publisher:
    en: str
    zh: str
    aliases: tuple[str, ...] = ()  # romanised export forms, abbreviations, other spellings
    domains: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.en, self.zh, *self.aliases)

    def name_in(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


PUBLISHERS: tuple[Publisher, ...] = (
    Publisher("36Kr", "36氪", ("3 6 Ke", "36 Ke", "36Ke")),
    Publisher("The Beijing News", "新京报", ("Xin Jing Bao", "Beijing News")),
    Publisher("Securities Times", "证券时报", ("Zheng Quan Shi Bao", "STCN")),
    Publisher("Yicai", "第一财经", ("Di Yi Cai Jing", "China Business Network", "CBN")),
    Publisher("Zhitong Finance", "智通财经", ("Zhi Tong Cai Jing", "Zhitong Caijing")),
    Publisher("Beijing Youth Daily", "北京青年报", ("Bei Jing Qing Nian Bao", "北青报")),
    Publisher("People's Daily", "人民日报", ("Ren Min Ri Bao", "Renmin Ribao", "Peoples Daily")),
    Publisher(
        "People's Daily Overseas Edition",
        "人民日报海外版",
        ("Ren Min Ri Bao Hai Wai Ban", "People's Daily Overseas"),
    ),
    Publisher("Cailian Press", "财联社", ("Cai Lian She", "CLS", "Cailianshe")),
    Publisher("Sohu Finance", "搜狐财经", ("Sou Hu Cai Jing", "Sohu")),
    Publisher("Henan Daily", "河南日报", ("He Nan Ri Bao",)),
    Publisher("Sina Finance", "新浪财经", ("Xin Lang Cai Jing", "Sina")),
    Publisher(
        "21st Century Business Herald",
        "21世纪经济报道",
        ("2 1 Shi Ji Jing Ji Bao Dao", "21 Shi Ji Jing Ji Bao Dao", "21st Century", "21世纪"),
    ),
    Publisher("Zhengzhou Daily", "郑州日报", ("Zheng Zhou Ri Bao",)),
    Publisher("Economic Daily", "经济日报", ("Jing Ji Ri Bao",)),
    Publisher(
        "China News Service",
        "中国新闻网",
        ("Zhong Guo Xin Wen Wang", "Chinanews", "China News", "中新网", "中新社"),
    ),
    Publisher("Caixin", "财新", ("Cai Xin", "财新周刊", "Caixin Weekly"), ("caixin.com",)),
    Publisher("Xinhua", "新华社", ("Xin Hua She", "Xinhua News Agency")),
    Publisher("CCTV", "央视", ("CMG", "China Media Group", "央视新闻", "Yang Shi Xin Wen")),
    Publisher("Guangming Daily", "光明日报", ("Guang Ming Ri Bao",)),
    Publisher("China Daily", "中国日报", ("Zhong Guo Ri Bao",)),
    Publisher("The Paper", "澎湃新闻", ("Peng Pai Xin Wen", "Thepaper")),
    Publisher("Jiemian", "界面新闻", ("Jie Mian Xin Wen",)),
    Publisher("Economic Observer", "经济观察报", ("Jing Ji Guan Cha Bao",)),
    Publisher("Securities Daily", "证券日报", ("Zheng Quan Ri Bao",)),
    Publisher("China Securities Journal", "中国证券报", ("Zhong Guo Zheng Quan Bao",)),
    Publisher("Shanghai Securities News", "上海证券报", ("Shang Hai Zheng Quan Bao",)),
    Publisher("Beijing Business Today", "北京商报", ("Bei Jing Shang Bao",)),
)

_BY_KEY: dict[str, Publisher] = {
    normalise_publisher(name): pub for pub in PUBLISHERS for name in pub.names
}
_CJK = re.compile(r"[\u3400-\u9fff]")


def _pattern(name: str) -> re.Pattern[str]:
    """Chinese names match as substrings; Latin names as whole words, spacing and case free."""
    if _CJK.search(name):
        return re.compile(r"\s*".join(map(re.escape, name.replace(" ", ""))))
    parts = [re.escape(p) for p in re.findall(r"[0-9a-z]+", name.casefold())]
    return re.compile(r"(?<![0-9a-z])" + r"[\W_]*".join(parts) + r"(?![0-9a-z])", re.I)


# Longest names first, so "People's Daily Overseas Edition" wins over "People's Daily".
_MENTIONS = sorted(
    ((_pattern(name), pub) for pub in PUBLISHERS for name in pub.names),
    key=lambda item: len(item[0].pattern),
    reverse=True,
)
_URL_HOST = re.compile(r"https?://(?:[\w-]+\.)*?([\w-]+\.(?:com|cn|net|org))", re.I)


def lookup(name: str | None, url: str | None = None) -> Publisher | None:
    """The publisher of an export's source line (or, failing that, of its URL)."""
    if name:
        pub = _BY_KEY.get(normalise_publisher(name))
        if pub:
            return pub
    if url:
        host = _URL_HOST.search(url)
        for pub in PUBLISHERS:
            if host and host.group(1).lower() in pub.domains:
                return pub
    return None


def display_name(name: str | None, lang: str, url: str | None = None) -> str | None:
    """The name a reader knows: 36Kr for an English reader, 36氪 for a Chinese one."""
    pub = lookup(name, url)
    if pub:
        return pub.name_in(lang)
    return name


def keys_for(name: str) -> set[str]:
    """Every normalised form a publisher filter should match: all names of that publisher."""
    pub = _BY_KEY.get(normalise_publisher(name))
    if pub is None:
        return {normalise_publisher(name)}
    return {normalise_publisher(n) for n in pub.names}


def mentioned(question: str) -> list[Publisher]:
    """Publishers the question names, in any of their names."""
    text = question.casefold()
    found: list[Publisher] = []
    for pattern, pub in _MENTIONS:
        if pattern.search(text):
            if pub not in found:
                found.append(pub)
            text = pattern.sub(" ", text)
    return found
