"""trafilatura vs readability-lxml on realistic pages made here: recall of the main text,
boilerplate leaked, ms per page."""
import re, time, sys
sys.path.insert(0, "/work/wt-parsers")
from tests.docs_factory import web_page, NAV, FOOTER, SCRIPT
import trafilatura
from readability import Document
import lxml.html

EN = ["The micro-drama market reached 50.4 billion yuan in 2024, overtaking the box office for the first time.",
      "Paid users grew to 662 million, according to the China Netcasting Services Association.",
      "Analysts expect advertising-funded free dramas to take more than half of revenue by 2026.",
      "Platforms are investing in higher production values, with budgets per series rising sharply."]
ZH = ["2025年中国微短剧出海应用收入达到23亿美元，同比增长超过两倍。",
      "ReelShort与DramaBox在美国市场的下载量位居前列，北美用户贡献了一半以上的收入。",
      "业内人士认为，本地化演员与题材是下一阶段竞争的关键。",
      "监管部门发布新规，要求平台加强内容审核与未成年人保护。"]
BOILER = ["首页", "关于我们", "版权所有", "热门推荐", "明星八卦合集", "UA-0000", "Subscribe to our newsletter",
          "Related stories", "Cookie settings", "Leave a comment", "Share on Weibo"]

def blog(paras):
    comments = "<section class='comments'><h3>Leave a comment</h3><p>Great post!</p><p>Share on Weibo</p></section>"
    related = "<div class='related'><h3>Related stories</h3><ul>" + "".join(f"<li><a href='/{i}'>Story number {i} about something else entirely</a></li>" for i in range(8)) + "</ul></div>"
    cookie = "<div id='cookie-banner'>We use cookies. Cookie settings</div>"
    news = "<div class='newsletter'>Subscribe to our newsletter for weekly updates</div>"
    body = "".join(f"<p>{p}</p>" for p in paras)
    return f"<html><head><title>Market review</title><meta name='author' content='Jane Doe'><meta property='article:published_time' content='2025-03-01'>{SCRIPT}</head><body>{cookie}<header>{NAV}</header><div class='wrap'><div class='post'><h1>Market review</h1><div class='entry'>{body}</div>{news}</div>{related}</div>{comments}{FOOTER}</body></html>"

pages = {
    "zh news": (web_page(paragraphs=ZH[:3]), ZH[:3]),
    "zh news (4 paras)": (web_page(title="监管新规", paragraphs=ZH), ZH),
    "en blog": (blog(EN), EN),
    "zh blog": (blog(ZH), ZH),
    "en short (2 paras)": (blog(EN[:2]), EN[:2]),
    "en + long comments": (blog(EN).replace("<p>Great post!</p>", "<p>Leave a comment: I think the figures in this review are too optimistic, because most users never pay for a second episode and the platforms know it well.</p><p>Share on Weibo and tell your friends what you think of the market this year, it is going to be interesting.</p>"), EN),
    "zh + long sidebar": (web_page(paragraphs=ZH[:3]).replace("<li><a href=\"/a\">明星八卦合集</a></li>", "<li><p>热门推荐：明星八卦合集，今日股市行情大涨，多只个股涨停，投资者情绪高涨，分析师认为短期内仍有上行空间。</p></li>"), ZH[:3]),
}

def text_of(html):
    return lxml.html.fromstring(html).text_content()

def traf(html):
    return trafilatura.extract(html, include_comments=False, deduplicate=False) or ''
def _unused(html):
    return trafilatura.extract(html, with_metadata=False, include_comments=False) or ""

def readab(html):
    return text_of(Document(html).summary())

def norm(s): return re.sub(r"\s+", "", s)

for name, fn in (("trafilatura", traf), ("readability-lxml", readab)):
    recall, leaked, ms = [], 0, []
    for title, (html, main) in pages.items():
        fn(html)
        t = time.perf_counter()
        for _ in range(20): out = fn(html)
        ms.append((time.perf_counter() - t) / 20 * 1000)
        o = norm(out)
        r = sum(norm(p) in o for p in main) / len(main)
        leak = [b for b in BOILER if norm(b) in o]
        recall.append(r); leaked += len(leak)
        print(f"  {name:17} {title:20} recall {r:.2f} leaked {leak} {ms[-1]:.1f} ms")
    print(f"{name}: mean recall {sum(recall)/len(recall):.2f}, boilerplate strings leaked {leaked}, {sum(ms)/len(ms):.1f} ms/page")
