"""Every claim checked: names and dates given together by one cited passage, counts counting
what the passage counts, what a sentence adds mostly the passage's words, no empty sentence."""

from __future__ import annotations

from index.types import Lang
from rag.corpus.profile import load_profile
from rag.notices import Notice
from rag.question import Question, QuestionReader
from tests.rag.answer.checking import checked, found

NAMES = load_profile("neutral").names
READER = QuestionReader(NAMES)


def _codes(shown) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.code for n in shown.notices]


def _shown(said: str, passages: list[str], question: Question, lang: Lang = "en") -> str:
    """What the reader sees of `said` once every check has read it."""
    return checked(said, passages, lang, names=NAMES, question=question).text


def _why(said: str, passages: list[str], question: Question, lang: Lang = "en") -> str:
    """Why the checks left `said` out (they must have)."""
    shown = checked(said, passages, lang, names=NAMES, question=question)
    assert shown.text == "" and shown.notices[0].code == "withheld_claim"
    return str(shown.notices[0].params["why"])


def test_claims__a_name_no_cited_passage_gives_leaves_the_sentence_out():
    sources = ["Reuters\nKanye West announced he is acquiring Parler, a social network."]
    shown = checked("Kanye West announced he is acquiring Meta [1].", sources, names=NAMES)
    assert shown.text == "" and _codes(shown) == ["withheld_claim"]
    assert shown.notices[0].params["why"] == "Meta"
    kept = checked("Kanye West announced he is acquiring Parler [1].", sources, names=NAMES)
    assert kept.text == "Kanye West announced he is acquiring Parler [1]." and kept.notices == []


def test_claims__subject_and_answer_from_one_passage_not_two():
    sources = ["A\nPan Gongsheng spoke in Beijing on Monday.", "B\nJanet Yellen visited Paris."]
    [finding] = found("claims", "Pan Gongsheng met Janet Yellen [1][2].", sources, names=NAMES)
    assert finding.action == "remove" and finding.notice.code == "withheld_claim"
    assert found("claims", "Pan Gongsheng spoke in Beijing [1].", sources, names=NAMES) == []


def test_claims__what_the_sentence_adds_must_be_the_passages_words():
    sources = ["环球网\n韩国警察厅厅长尹熙根表示，警方正在调查。"]
    question = READER.read("韩国警察厅厅长尹熙根毕业于哪所大学？")
    shown = checked(
        "尹熙根毕业于首尔大学法律系 [1]。", sources, "zh", names=NAMES, question=question
    )
    assert shown.text == "" and shown.notices[0].params["why"] == "words"
    who = READER.read("韩国警察厅厅长是谁？")
    assert checked("韩国警察厅厅长是尹熙根 [1]。", sources, "zh", names=NAMES, question=who).text


def test_claims__a_count_counts_what_its_passage_counts():
    sources = ["新闻\n第7届中国—南亚博览会将举办14场会期活动。"]
    shown = checked("博览会共签约14个项目 [1]。", sources, "zh", names=NAMES)
    assert shown.text == "" and "项目" in shown.notices[0].params["why"]
    assert checked("博览会将举办14场会期活动 [1]。", sources, "zh", names=NAMES).text
    # a noun of the same kind will do: 公司 and 企业 both count organisations
    companies = checked(
        "郑州有800多家公司 [1]。", ["郑州全市微短剧制作企业800多家。"], "zh", names=NAMES
    )
    assert companies.text == "郑州有800多家公司 [1]。"
    staff = "Zhengzhou has 820 companies and 30,000 staff [1]."
    passage = ["Zhengzhou has over 820 companies and approximately 30,000 professionals."]
    assert checked(staff, passage, names=NAMES).notices == []


def test_claims__a_sentence_of_a_date_alone_says_nothing():
    sources = ["外汇局\n截至2023年7月末，我国外汇储备规模为32043亿美元。"]
    shown = checked("截至2023年7月末 [1]。", sources, "zh", names=NAMES)
    assert shown.text == "" and shown.notices[0].params["why"] == "empty"
    kept = checked("截至2023年7月末，外汇储备规模为32043亿美元 [1]。", sources, "zh", names=NAMES)
    assert kept.text and kept.notices == []


def test_claims__a_sentence_copying_a_sources_heading_says_nothing():
    sources = [
        "The top 100 golfers on PGA Tour, LIV amid stunning merger\nUSA Today, 2023-06-06\n"
        "The PGA Tour and LIV Golf announced a merger on Tuesday."
    ]
    heading = "The top 100 golfers on PGA Tour, LIV amid… (USA Today, 2023-06-06) [1]."
    shown = checked(heading, sources, names=NAMES)
    assert shown.text == "" and shown.notices[0].params["why"] == "heading"
    answer = "The PGA Tour and LIV Golf announced a merger [1]."
    assert checked(answer, sources, names=NAMES).text == answer


def test_claims__across_scripts_names_are_compared_by_pinyin_and_words_not_at_all():
    passage = ["郑州日报\n郑州全市微短剧制作企业800多家、从业人员近4万人。"]
    shown = checked("Zhengzhou has over 800 companies [1].", passage, names=NAMES)
    assert shown.text == "Zhengzhou has over 800 companies [1]." and shown.notices == []


def test_claims__quotes_are_the_sources_own_and_are_not_checked():
    sources = ["Reuters\nKanye West announced he is acquiring Parler."]
    assert found("claims", "It buys Meta [1].", sources, names=NAMES) != []  # the model's
    shown = checked("- Kanye West announced he is acquiring Parler [1]", sources, quoted=True)
    assert shown.notices == []


def test_claims__a_sentence_citing_the_wrong_passage_is_pointed_at_the_one_stating_it():
    sources = [
        "A\nThe former ambassador is challenging Donald Trump for the nomination.",
        "B\nKroger and Albertsons plan to merge in 2024.",
    ]
    question = READER.read("Which two major supermarkets plan to merge in 2024?")
    shown = checked(
        "Kroger and Albertsons plan to merge in 2024 [1].", sources, names=NAMES, question=question
    )
    assert shown.text == "Kroger and Albertsons plan to merge in 2024 [1]." and shown.cited == [2]


def test_claims__the_questions_own_names_need_not_be_in_the_same_passage():
    sources = ["Times · 2023-01-11\nSteven Spielberg won best director for The Fabelmans."]
    question = READER.read("Who won Best Director at the 2023 Golden Globes?")
    answer = "Steven Spielberg won Best Director at the 2023 Golden Globes [1]."
    assert checked(answer, sources, names=NAMES, question=question).notices == []


def test_claims__an_english_count_counts_its_noun_phrases_last_word():
    sources = ["News\nKroger and Albertsons, two of the largest supermarkets, plan to merge."]
    shown = checked(
        "Two major supermarkets, Kroger and Albertsons, plan to merge [1].", sources, names=NAMES
    )
    assert shown.notices == []
    fine = ["News\nThe blogger was fined the equivalent of £15,000 for eating a shark."]
    assert checked("He was fined £15,000 for eating a shark [1].", fine, names=NAMES).notices == []
    debate = ["News · 2023-08-23\nThe first debate of the 2024 campaign was in Milwaukee."]
    kept = checked(
        "The first debate of the 2024 campaign was in Milwaukee [1].", debate, names=NAMES
    )
    assert kept.notices == []


def test_claims__an_english_count_of_another_known_kind_goes():
    sources = ["News\nChina had 662 million micro-drama users by July."]
    shown = checked("China had 662 million micro-drama jobs by July [1].", sources, names=NAMES)
    assert shown.notices == []  # jobs: a kind the packs do not know, so nothing to compare
    workers = checked("China had 662 million drama workers by July [1].", sources, names=NAMES)
    assert workers.text == "" and workers.notices[0].code == "withheld_claim"  # people, not users


def test_claims__an_answer_that_only_restates_the_question_is_the_refusal():
    question = READER.read('Which apt-get command corresponds to "apt full-upgrade"?')
    sources = ["Debian\napt full-upgrade | apt-get dist-upgrade"]
    empty = 'The apt-get command that corresponds to "apt full-upgrade" is [1].'
    [finding] = found("claims", empty, sources, names=NAMES, question=question)
    assert finding.action == "refuse" and finding.notice.code == "restates_question"
    full = 'The apt-get command that corresponds to "apt full-upgrade" is apt-get dist-upgrade [1].'
    assert found("claims", full, sources, names=NAMES, question=question) == []
    # "my" asked, "your" answered: pronouns are no words of an answer
    mine = READER.read("Which Git command gets me a clean working tree without losing my changes?")
    git = ["Git\ngit stash | get the clean working tree without loosing data"]
    yours = "The command to get a clean working tree without losing your changes is [1]."
    [finding] = found("claims", yours, git, names=NAMES, question=mine)
    assert finding.action == "refuse" and finding.notice.code == "restates_question"


def test_claims__the_reason_a_sentence_went_is_said_in_the_readers_language():
    notice = Notice("withheld_claim", why="words", sentence="郑州有超过800家公司。")
    assert notice.params["why"] == "words"  # data stays the code
    assert "出处没有这样的说法" in notice.message("zh") and "words" not in notice.message("zh")
    assert "its words are not the source's" in notice.message("en")
    named = Notice("withheld_claim", why="Meta", sentence="Kanye West is acquiring Meta [1].")
    assert "（Meta）" in named.message("zh")


def test_claims__two_passages_facts_in_one_sentence_each_clause_cites_its_own():
    sources = [
        "Jamie Lee Curtis won best supporting actress at the 95th Academy Awards.",
        "Steven Spielberg won best director at the 80th Golden Globe Awards.",
    ]
    question = READER.read(
        "Who won Best Director at the 2023 Golden Globes, and who won the Oscar for Best "
        "Supporting Actress at the 95th Academy Awards?"
    )
    answer = (
        "Steven Spielberg won Best Director at the 2023 Golden Globes, and Jamie Lee Curtis won "
        "the Oscar for Best Supporting Actress at the 95th Academy Awards [1]."
    )
    shown = checked(answer, sources, names=NAMES, question=question)
    assert shown.text == (  # numbered as shown: Spielberg's passage first
        "Steven Spielberg won Best Director at the 2023 Golden Globes [1], and Jamie Lee Curtis "
        "won the Oscar for Best Supporting Actress at the 95th Academy Awards [2]."
    )
    assert shown.cited == [2, 1]
    # a clause no passage states still takes the sentence out
    made_up = answer.replace("Jamie Lee Curtis", "Meryl Streep")
    assert checked(made_up, sources, names=NAMES, question=question).text == ""


def test_claims__what_a_sentence_gives_stands_with_its_subject_in_the_passage():
    passage = [
        "新闻\n浙江省防指决定于8月5日12时结束海上防台风应急响应。"
        "同时，浙江海事局于8月5日8时30分结束防台应急响应。"
    ]
    question = READER.read("浙江海事局何时结束了防台应急响应？")
    other = checked(
        "浙江海事局于8月5日12时结束应急响应 [1]。", passage, "zh", names=NAMES, question=question
    )
    assert other.text == "" and _codes(other) == ["withheld_claim"]
    own = "浙江海事局于8月5日8时30分结束防台应急响应 [1]。"
    assert checked(own, passage, "zh", names=NAMES, question=question).text == own
    # a sentence naming no one else speaks of the subject ("She ..."): the answer stands
    pronoun = [
        "Times\nJamie Lee Curtis arrived early. The night ran long. She won the Academy Award."
    ]
    asked = READER.read("Which award did Jamie Lee Curtis win in 2023?")
    said = "Jamie Lee Curtis won the Academy Award [1]."
    assert _shown(said, pronoun, asked) == said
    streep = [pronoun[0].replace("She won", "Meryl Streep won")]
    assert _shown(said, streep, asked) == ""


def test_claims__the_answer_must_stand_where_the_passage_speaks_of_what_was_asked():
    question = READER.read(
        "Season 5 of The Crown was released this week. Who plays Princess Diana?"
    )
    memoir = [
        "In his memoir Guarding Princess Diana, her former security officer Ken Wharfe wrote."
    ]
    said = "Ken Wharfe plays Princess Diana in the series [1]."
    shown = checked(said, memoir, names=NAMES, question=question)
    assert shown.text == "" and "Wharfe" in shown.notices[0].params["why"]
    cast = ["Elizabeth Debicki plays Princess Diana in season five of The Crown."]
    said = "Elizabeth Debicki plays Princess Diana [1]."
    assert _shown(said, cast, question) == said


def test_claims__a_name_given_whole_once_is_given_by_its_last_word_after():
    question = READER.read("Who won the Oscar for Best Supporting Actress in 2023?")
    passage = [
        "Oscars\nJamie Lee Curtis thanked her parents. "
        "Curtis, who won the Oscar for Best Supporting Actress, gave a speech."
    ]
    said = "Jamie Lee Curtis won the Oscar for Best Supporting Actress [1]."
    assert _shown(said, passage, question) == said


def test_claims__a_sentence_that_is_its_sources_title_asking_a_question_says_nothing():
    passage = ["The Crown: what was the real-life scandal?\nKen Wharfe wrote a memoir."]
    question = READER.read("Who plays Princess Diana in The Crown?")
    shown = checked("The Crown: what was the real-life scandal [1]?", passage, question=question)
    assert shown.text == "" and shown.notices[0].params["why"] == "heading"
    stating = ["Elizabeth Debicki plays Princess Diana in The Crown\nThe fifth season opens."]
    said = "Elizabeth Debicki plays Princess Diana in The Crown [1]."
    assert _shown(said, stating, question) == said


def test_claims__a_passage_that_never_names_the_subject_in_its_words_is_not_held_to_it():
    question = READER.read("How many users did China have by July, according to Cailian Press?")
    passage = ["Cailian Press · 2025-08-01\nThe user base reached 696 million by July."]
    said = "According to Cailian Press, China had 696 million users by July [1]."
    assert _shown(said, passage, question) == said
    reserves = READER.read("截至2023年7月末，中国的外汇储备规模是多少？")
    ours = ["人民网\n国家外汇管理局数据显示，截至2023年7月末，我国外汇储备规模为32043亿美元。"]
    said = "截至2023年7月末，中国的外汇储备规模为32043亿美元 [1]。"
    assert _shown(said, ours, reserves, "zh") == said


def test_claims__another_answer_in_the_questions_slot_goes_with_no_other_passage_to_rescue_it():
    question = READER.read("虚拟绑架电信诈骗中，不法分子通常冒充什么身份？")
    passages = [
        "使馆\n我馆领区一中国留学生遭遇电信诈骗案。",
        "使馆\n诈骗团伙冒充公检法人员声称当事人涉嫌违法。",
    ]
    shown = checked("不法分子通常冒充中国留学生身份 [1]。", passages, "zh", question=question)
    assert shown.text == "" and shown.notices[0].params["why"] == "冒充 中国"
    right = checked("不法分子通常冒充公检法人员 [2]。", passages, "zh", question=question)
    assert right.text == "不法分子通常冒充公检法人员 [1]。" and right.cited == [2]


def test_claims__a_table_row_or_an_address_answers_where_it_stands():
    question = READER.read("What does the name of the Amanda backup suite stand for?")
    row = ["Backup tools\namanda-server | 1077 | Amanda: Advanced Maryland Automatic Network Disk"]
    said = "Amanda stands for Advanced Maryland Automatic Network Disk [1]."
    assert _shown(said, row, question) == said
    hosts = READER.read("Which IP address does the Debian Installer put in /etc/hosts?")
    passage = [  # the address's sentence comes before the one naming the installer
        "Hosts\nThe IP address 127.0.1.1 in the second line may not be found on Fedora. "
        "The Debian Installer creates this entry for a system without a permanent address."
    ]
    said = "The Debian Installer puts 127.0.1.1 in /etc/hosts [1]."
    assert _shown(said, passage, hosts) == said


def test_claims__who_answered_without_the_subject_needs_a_sentence_of_what_was_asked():
    question = READER.read("袭击身亡的联合国世界粮食计划署工作人员的名字是什么？")
    caption = ["联合国粮农组织\n图片来源：FAO粮农组织门口。屈冬玉总干事致辞。"]
    assert "FAO" in _why("图片来源：FAO粮农组织门口 [1]。", caption, question, "zh")
    stating = ["联合国世界粮食计划署\n在袭击中身亡的工作人员名叫阿卜杜拉·哈桑。"]
    said = "阿卜杜拉·哈桑 [1]。"
    assert _shown(said, stating, question, "zh") == said
    # the passage says it in other words, of what the question names
    nobel = READER.read("Who won the 2023 Nobel Prize in Literature?")
    awarded = [
        "Stockholm\nThe Swedish Academy awarded the 2023 Nobel Prize in Literature to Jon Fosse."
    ]
    assert _shown("Jon Fosse [1].", awarded, nobel) == "Jon Fosse [1]."


def test_claims__a_figure_of_another_period_than_the_one_asked_is_withheld():
    question = READER.read("2023年1至6月份全国规模以上工业企业的利润总额同比下降了多少？")
    passage = [
        "国家统计局\n6月份，全国规模以上工业企业利润同比下降8.3%，降幅较5月份收窄4.3个百分点。"
        "上半年，规上工业企业利润同比下降16.8%。"
    ]
    said = "2023年1至6月份全国规模以上工业企业的利润总额同比下降8.3% [1]。"
    assert _why(said, passage, question, "zh") == "8.3% (of another period)"
    said = "2023年1至6月份全国规模以上工业企业的利润总额同比下降16.8% [1]。"
    assert _shown(said, passage, question, "zh") == said
    # a figure the sentence itself gives of another period is no claim about the one asked
    said = "上半年利润同比下降16.8%，其中6月份下降8.3% [1]。"
    assert _shown(said, passage, question, "zh") == said


# --- literals: paths, commands, code spans (literals.py) ----------------------------------------
IFUPDOWN = [
    "Debian Reference\nThe ifupdown package reads its configuration when it brings interfaces up."
]


def test_claims__a_path_no_cited_passage_writes_leaves_the_sentence_out():
    question = READER.read("Which file holds the interface definitions ifupdown reads?")
    said = "The interface definitions are in `/etc/network/interfaces` [1]."
    assert _why(said, IFUPDOWN, question) == "`/etc/network/interfaces`"
    bare = "The interface definitions are in /etc/network/interfaces [1]."
    assert _why(bare, IFUPDOWN, question) == "`/etc/network/interfaces`"
    written = ["Debian Reference\nifupdown reads its definitions in /etc/network/interfaces."]
    assert _shown(said, written, question) == said


def test_claims__a_command_in_a_code_block_must_be_the_passages():
    question = READER.read("想修改主机名并立即生效，应该运行哪条命令？")
    sources = ["Debian 参考手册\nsystemd-hostnamed 服务管理主机名。"]
    said = "```bash\nsudo systemctl restart systemd-hostnamed [1]\n```"
    shown = checked(said, sources, "zh", names=NAMES, question=question)
    assert shown.text == "" and _codes(shown) == ["withheld_claim"]  # nothing left: withheld
    assert shown.notices[0].params["why"] == "`sudo systemctl restart systemd-hostnamed`"
    written = ["Debian 参考手册\n运行 $ systemctl restart systemd-hostnamed 即可生效。"]
    kept = checked(said, written, "zh", names=NAMES, question=question)
    assert "systemctl restart systemd-hostnamed [1]" in kept.text
    assert "withheld_claim" not in _codes(kept)


def test_claims__a_code_span_is_compared_without_spaces_case_or_curly_quotes():
    question = READER.read("Which command lists the manual pages a package provides?")
    sources = ["Debian Reference\nUse dpkg -L package_name | grep '/man/man.*/' to list them."]
    said = "Run `dpkg -l Package_Name|grep ‘/man/man.*/’` [1]."
    assert _shown(said, sources, question) == said
    other = "Run `dpkg -S package_name` [1]."
    assert _why(other, sources, question) == "`dpkg -S package_name`"


def test_claims__a_literal_the_question_gives_is_not_checked():
    question = READER.read("What does /etc/default/grub set?")
    sources = ["Debian Reference\nThat file sets the kernel command line GRUB passes at boot."]
    said = "/etc/default/grub sets the kernel command line GRUB passes at boot [1]."
    assert _shown(said, sources, question) == said


def test_claims__a_sentence_introducing_a_command_that_went_goes_with_it():
    question = READER.read("如何用 sudo 列出当前用户被允许执行的命令？")
    sources = ["Debian 参考手册\n可以使用 sudo 以下的选项执行命令。"]
    said = "使用 `sudo` 列出当前用户被允许执行的命令，可以使用以下命令： [1]\n\n"
    said += "```bash\nsudo -l [1]\n```"
    shown = checked(said, sources, "zh", names=NAMES, question=question)
    assert shown.text == "" and _codes(shown) == ["withheld_claim"]
    written = ["Debian 参考手册\n可以使用 sudo 以下的选项执行命令：sudo -l 列出允许执行的命令。"]
    kept = checked(said, written, "zh", names=NAMES, question=question)
    assert kept.text.endswith("```bash\nsudo -l [1]\n```") and kept.notices == []


def test_claims__a_code_block_left_empty_goes_with_its_command():
    question = READER.read("Which service sets the hostname at boot, and how do I change it?")
    sources = ["Debian Reference\nAt boot, systemd-hostnamed.service sets the host name."]
    said = (
        "At boot, systemd-hostnamed.service sets the host name [1].\n"
        "```bash\nsudo hostnamectl set-hostname box [1]\n```"
    )
    shown = checked(said, sources, names=NAMES, question=question)
    assert shown.text == "At boot, systemd-hostnamed.service sets the host name [1]."
    assert _codes(shown) == ["withheld_claim"]
