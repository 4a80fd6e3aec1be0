"""What an answer gives to be typed exactly: code spans, code-block lines, paths."""

from rag.answer.checks.literals import code_blocks, fenced_lines, key, literals, unwritten


def test_literals__code_spans_and_paths_not_urls_fractions_or_either_or():
    said = "Edit `grub.cfg` in /boot/grub/ or ~/.config/x, see https://a.org/b, 1/2, and/or 数/信."
    assert literals(said) == ["grub.cfg", "/boot/grub/", "~/.config/x"]
    assert literals("git stash [1]", fenced=True) == ["git stash [1]"]


def test_fenced_lines__the_lines_between_fences():
    assert fenced_lines("Run:\n```bash\ngit stash\ngit pull\n```\nDone.") == {2, 3}
    assert fenced_lines("No code here.") == frozenset()


def test_unwritten__the_first_literal_no_passage_writes_after_prompts_and_sudo():
    passages = ["Type $ git stash to keep your changes."]
    assert unwritten("`sudo git stash`", passages, "Which command?") is None
    assert unwritten("`git stash pop`", passages, "Which command?") == "git stash pop"
    assert unwritten("`git reset`", passages, "Is `git reset` safe?") is None  # the question's
    assert unwritten("`ls`", passages, "Which tools list files?") == "ls"  # not in "tools"
    assert key("“A  B”") == '"ab"'


def test_code_blocks__each_with_its_fences_an_unclosed_one_to_the_end():
    assert code_blocks("a\n```\nx\n```\nb\n~~~sh\ny") == [(1, 2, 3), (5, 6)]
