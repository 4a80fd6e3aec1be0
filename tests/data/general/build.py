#!/usr/bin/env python3
"""Rebuild tests/data/general/{en,zh}/docs/ from the installed Debian Reference packages.

    apt-get install -y debian-reference-en debian-reference-zh-cn
    python3 tests/data/general/build.py            # write the docs
    python3 tests/data/general/build.py --check    # check the docs and the question sets
    python3 tests/data/general/build.py --survey   # list every section with its plain-text size

The source is the HTML of Debian Reference 2.100 under /usr/share/debian-reference/
(chNN.en.html, chNN.zh-cn.html); another folder can be given with --src. Each chosen section
(SECTIONS below, the same anchor in both languages) becomes one plain-text file: its title, a
source line, a blank line, then paragraphs separated by blank lines (navigation, tables of
contents, footnote markers and images dropped; list items, table rows and each line of a
command listing as paragraphs of their own), cut at a paragraph boundary to at most MAX_BYTES.

Standard library only. Not part of the test suite (nothing imports it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = Path("/usr/share/debian-reference")
LICENCE = "GPL-2+"
DATE = "2023-02-04"  # Debian Reference version 2.100 (debian/changelog, "2023-02-04 11:59:01 UTC")
LANGS = {"en": "en", "zh": "zh-cn"}  # our folder -> the package's file suffix
MIN_BYTES, MAX_BYTES = 2 * 1024, 10 * 1024

# (chapter, anchor id of the section's heading, file stem): varied chapters, each section
# small enough to keep whole or nearly so in both languages.
SECTIONS = [
    (2, "_basic_package_management_operations_with_the_commandline", "02-apt-commandline"),
    (2, "_recovery_from_a_broken_system", "02-broken-system-recovery"),
    (3, "_stage_2_the_boot_loader", "03-boot-loader"),
    (3, "_systemd_init", "03-systemd-init"),
    (4, "_other_access_controls", "04-access-controls"),
    (5, "_the_basic_network_infrastructure", "05-network-infrastructure"),
    (6, "_the_remote_access_server_and_utilities_ssh", "06-ssh"),
    (8, "_the_locale", "08-locale"),
    (9, "_data_encryption_tips", "09-data-encryption"),
    (10, "_backup_and_recovery", "10-backup-recovery"),
    (10, "_git", "10-git"),
    (12, "_the_shell_script", "12-shell-script"),
    (12, "_build_tools", "12-build-tools"),
]

VOID = {"br", "img", "col", "hr", "meta", "link", "input", "area", "base", "wbr", "source"}
HAN = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
ADMONITIONS = {"tip", "note", "caution", "warning", "important"}


# --- a minimal DOM for the (well-formed XHTML) DocBook output ------------------------------------
class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def cls(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.cur))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        node: Node | None = self.cur
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.cur = node.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse_html(path: Path) -> Node:
    builder = TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    builder.close()
    return builder.root


# --- text ----------------------------------------------------------------------------------------
def squash(text: str) -> str:
    """Whitespace collapsed; a line break between two Han characters is no space."""
    text = re.sub(rf"(?<=[{HAN}])\s*\n\s*(?=[{HAN}])", "", text)
    return " ".join(text.split())


def is_footnote_marker(node: Node) -> bool:
    return (node.tag == "a" and "footnote" in node.cls()) or (
        node.tag == "sup" and "footnote" in node.cls()
    )


def inline(node: Node | str) -> str:
    if isinstance(node, str):
        return node
    if is_footnote_marker(node) or node.tag in ("img", "script", "style"):
        return ""
    if node.tag == "br":
        return "\n"
    return "".join(inline(c) for c in node.children)


BLOCK = {
    "p",
    "pre",
    "div",
    "ol",
    "ul",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "blockquote",
    "tbody",
    "thead",
}


def has_block(node: Node) -> bool:
    return any(isinstance(c, Node) and (c.tag in BLOCK or has_block(c)) for c in node.children)


def blocks(node: Node) -> list[str]:
    """A node's paragraphs, in order."""
    if isinstance(node, str) or is_footnote_marker(node):
        return []
    tag, cls = node.tag, node.cls()
    if tag == "div" and cls & {"toc", "navheader", "navfooter", "footnotes", "footnote"}:
        return []
    if tag == "div" and cls & ADMONITIONS:
        label = next((squash(inline(n)) for n in node.iter() if n.tag == "th"), "")
        body = [b for td in node.iter() if td.tag == "td" for b in blocks_of_children(td)]
        if body and label:
            body[0] = f"{label}: {body[0]}"
        return body
    if tag == "pre":
        return [line.rstrip() for line in inline(node).split("\n") if line.strip()]
    if tag == "tr":
        cells = [squash(inline(c)) for c in node.children if isinstance(c, Node)]
        cells = [c for c in cells if c]
        return [" | ".join(cells)] if cells else []
    if tag == "li":
        marker = "•"
        if node.parent is not None and node.parent.tag == "ol":
            items = [c for c in node.parent.children if isinstance(c, Node) and c.tag == "li"]
            marker = f"{items.index(node) + 1}."
        inner = blocks_of_children(node) if has_block(node) else [squash(inline(node))]
        inner = [b for b in inner if b]
        if inner:
            inner[0] = f"{marker} {inner[0]}"
        return inner
    if tag in ("p", "dt", "h1", "h2", "h3", "h4", "h5") or (
        tag in ("dd", "td", "th", "blockquote") and not has_block(node)
    ):
        if has_block(node):
            return blocks_of_children(node)
        text = squash(inline(node))
        return [text] if text else []
    return blocks_of_children(node)


def blocks_of_children(node: Node) -> list[str]:
    out: list[str] = []
    for c in node.children:
        if isinstance(c, Node):
            out.extend(blocks(c))
        elif c.strip() and node.tag in ("li", "dd", "td", "div"):
            out.append(squash(c))
    return out


# --- sections ------------------------------------------------------------------------------------
def chapter_file(src: Path, chapter: int, lang: str) -> Path:
    return src / f"ch{chapter:02d}.{LANGS[lang]}.html"


def heading_of(section: Node) -> Node | None:
    for n in section.iter():
        if n.tag in ("h2", "h3", "h4") and "title" in n.cls():
            return n
    return None


def find_section(root: Node, anchor: str) -> Node:
    for n in root.iter():
        if n.tag == "div" and "section" in n.cls():
            h = heading_of(n)
            if h is not None and any(
                a.tag == "a" and a.attrs.get("id") == anchor for a in h.iter()
            ):
                return n
    raise KeyError(anchor)


def section_title(section: Node) -> str:
    h = heading_of(section)
    assert h is not None
    title = squash(inline(h))  # "2.5.9. The dpkg command" -> "The dpkg command"
    return re.sub(r"^\d+(\.\d+)*\.\s*", "", title)


def section_paragraphs(section: Node) -> list[str]:
    out: list[str] = []
    for c in section.children:
        if isinstance(c, Node) and c.tag == "div" and "titlepage" in c.cls():
            continue  # the section's own heading: it is the file's first line
        if isinstance(c, Node):
            out.extend(blocks(c))
    return [p for p in out if p]


def render(title: str, paragraphs: list[str]) -> str:
    head = f"{title}\nSource: Debian Reference ({LICENCE}) · {DATE}\n\n"
    body: list[str] = []
    size = len(head.encode())
    for p in paragraphs:
        add = len((p + "\n\n").encode())
        if size + add > MAX_BYTES:
            break
        body.append(p)
        size += add
    return head + "\n\n".join(body) + "\n"


def build(src: Path, out: Path) -> None:
    chapters: dict[tuple[int, str], Node] = {}
    for lang in LANGS:
        folder = out / lang / "docs"
        folder.mkdir(parents=True, exist_ok=True)
        for chapter, anchor, stem in SECTIONS:
            key = (chapter, lang)
            if key not in chapters:
                chapters[key] = parse_html(chapter_file(src, chapter, lang))
            section = find_section(chapters[key], anchor)
            paras = section_paragraphs(section)
            text = render(section_title(section), paras)
            path = folder / f"{stem}.{lang}.txt"
            path.write_text(text, encoding="utf-8")
            kept = text.count("\n\n")
            note = "" if kept >= len(paras) else f" (cut: {kept}/{len(paras)} paragraphs)"
            print(f"{path.relative_to(out)}: {len(text.encode())} bytes{note}")


def survey(src: Path) -> None:
    for chapter in range(1, 13):
        roots = {lang: parse_html(chapter_file(src, chapter, lang)) for lang in LANGS}
        for n in roots["en"].iter():
            if n.tag != "div" or "section" not in n.cls():
                continue
            h = heading_of(n)
            if h is None:
                continue
            anchor = next((a.attrs["id"] for a in h.iter() if a.tag == "a" and "id" in a.attrs), "")
            sizes = []
            for lang in LANGS:
                try:
                    s = find_section(roots[lang], anchor)
                    sizes.append(len("\n\n".join(section_paragraphs(s)).encode()))
                except KeyError:
                    sizes.append(-1)
            print(f"{chapter:2d} {h.tag} {sizes[0]:7d} {sizes[1]:7d} {anchor}  {squash(inline(h))}")


# --- checks --------------------------------------------------------------------------------------
SOURCE_LINE = re.compile(r"^Source: Debian Reference \(GPL-2\+\) · \d{4}-\d{2}-\d{2}$")
FIELDS = (
    "id",
    "question",
    "lang",
    "type",
    "answerable",
    "expected_sources",
    "expected_facts",
    "split",
)

SPLITS = ("calibration", "eval", "holdout2", "holdout3", "holdout4", "holdout5")

# The plausible answers of each unanswerable question: none may occur in any document of the
# question's language (compared as the evaluation compares facts: NFKC, case-folded, no spaces).
NULL_PROBES = {
    "ge73": ["Mackall", "Matt"],
    "ge74": ["1500", "MTU"],
    "ge75": ["/etc/network/interfaces", "network/interfaces", "interfaces.d"],
    "ge76": ["luksChangeKey", "luksAddKey"],
    "ge77": ["3000"],
    "ge78": ["jessie", "Debian 8", "2015"],
    "gz73": ["Roundy", "David"],
    "gz74": ["16 MiB", "16 MB", "2 MiB"],
    "gz75": ["NetworkManager.conf", "/etc/NetworkManager"],
    "gz76": ["hostnamectl", "set-hostname"],
    "gz77": ["simple", "matching"],
    "gz78": ["OpenSSH 7", "SSH-1", "SSH1", "2017"],
    "ge64": ["PermitRootLogin", "prohibit-password", "without-password"],
    "ge65": ["locale.gen", "locale-gen"],
    "ge66": ["SHA-1", "SHA1", "SHA-256", "SHA256"],
    "gz64": ["MaxAuthTries", "6 次"],
    "gz65": ["update-grub", "grub-mkconfig"],
    "gz66": ["avahi-daemon.conf", "/etc/avahi"],
    "ge51": ["ClientAliveInterval", "ClientAliveCountMax"],
    "ge52": ["key slot", "keyslot", "8 slots"],
    "ge53": ["Feldman", "Bell Labs"],
    "ge54": ["fc00", "fd00", "rfc4193"],
    "gz51": ["timestamp_timeout", "15 分钟", "5 分钟"],
    "gz52": ["Evan Martin", "Google"],
    "gz53": ["90 天", "gc.reflogExpire", "reflogExpire"],
    "gz54": ["SystemMaxUse", "10%", "journald"],
    "ge23": ["port 22", "Port 22"],  # OpenSSH default port
    "ge24": ["GRUB_TIMEOUT"],
    "ge25": ["systemctl", "systemctl enable"],
    "ge26": ["aes", "xts", "cipher"],
    "ge27": ["-j", "--jobs"],
    "ge28": ["3072", "2048", "4096"],
    "ge29": ["history.log", "/var/log/apt"],
    "ge30": ["core.editor", "GIT_EDITOR"],
    "ge39": ["checkbashisms was written", "author of checkbashisms"],
    "ge40": ["written in Go", "golang"],
    "ge41": ["5353"],
    "ge42": ["2005", "Torvalds"],
    "gz23": ["port 22", "22 端口", "端口 22"],
    "gz24": ["bookworm"],
    "gz25": ["journalctl"],
    "gz26": ["argon2", "pbkdf", "LUKS2"],
    "gz39": ["Meson 是用 Python", "Meson 使用 Python"],
    "gz40": ["873"],
    "gz41": ["rules.d", "/etc/polkit-1"],
    "gz42": ["Anvin"],
    "gz27": ["octopus", "recursive", "合并策略", "merge strategy"],
    "gz28": ["3072", "2048", "4096"],
    "gz29": ["sudo -l", "visudo"],
    "gz30": ["ufw", "nftables"],
}


def norm(text: str) -> str:
    """As the evaluation compares facts with answers: NFKC, case-folded, whitespace removed."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def load_jsonl(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise ValueError(f"{path}:{number}: {err}") from err
    return rows


def check(out: Path) -> int:
    problems: list[str] = []
    docs: dict[str, tuple[str, str]] = {}  # file name -> (folder, text)
    for lang in LANGS:
        for path in sorted((out / lang / "docs").glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            lines = text.split("\n")
            size = len(text.encode())
            if not MIN_BYTES <= size <= MAX_BYTES:
                problems.append(f"{path.name}: {size} bytes, outside {MIN_BYTES}..{MAX_BYTES}")
            if len(lines) < 4 or not SOURCE_LINE.match(lines[1]) or lines[2] != "":
                problems.append(f"{path.name}: line 2 is not the source line or line 3 not blank")
            if path.name in docs:
                problems.append(f"{path.name}: the same file name in two folders")
            docs[path.name] = (lang, text)
    flat = {name: norm(text) for name, (_, text) in docs.items()}
    for lang in LANGS:
        print(f"{lang}/docs: {sum(1 for v in docs.values() if v[0] == lang)} files")

    for name in ("en", "zh", "cross"):
        path = out / name / "questions.jsonl"
        try:
            questions = load_jsonl(path)
        except (OSError, ValueError) as err:
            problems.append(str(err))
            continue
        ids = [str(q.get("id")) for q in questions]
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(f"{name}: id {dup} is not unique")
        counts: dict[str, int] = {}
        for q in questions:
            qid = q.get("id")
            key = f"{q.get('type')}/{q.get('split')}"
            counts[key] = counts.get(key, 0) + 1
            problems += [f"{name} {qid}: no {k!r}" for k in FIELDS if k not in q]
            if q.get("split") not in SPLITS:
                problems.append(f"{name} {qid}: split {q.get('split')!r}")
            if name != "cross" and q.get("lang") != name:
                problems.append(f"{name} {qid}: lang {q.get('lang')!r}")
            if name == "cross":
                d = q.get("direction")
                if d not in ("en->zh", "zh->en") or q.get("lang") != d[:2]:
                    problems.append(f"{name} {qid}: direction {d!r} with lang {q.get('lang')!r}")
                other = {"en->zh": ".zh.txt", "zh->en": ".en.txt"}.get(d or "", "?")
                if not all(s["file"].endswith(other) for s in q.get("expected_sources", [])):
                    problems.append(f"{name} {qid}: a source not in the other language")
            if q.get("answerable") is True:
                names = []
                for s in q.get("expected_sources", []):
                    if s.get("file") not in docs:
                        problems.append(f"{name} {qid}: no document {s.get('file')!r}")
                        continue
                    names.append(s["file"])
                    if docs[s["file"]][1].split("\n", 1)[0] != s.get("title"):
                        problems.append(
                            f"{name} {qid}: {s['file']} is not titled {s.get('title')!r}"
                        )
                if not q.get("expected_facts") or not names:
                    problems.append(f"{name} {qid}: answerable without facts or sources")
                if q.get("type") == "multidoc" and len(set(names)) < 2:
                    problems.append(f"{name} {qid}: multidoc with fewer than two documents")
                for group in q.get("expected_facts", []):
                    for alt in group:
                        if not any(norm(alt) in flat[n] for n in names):
                            problems.append(f"{name} {qid}: fact {alt!r} in none of its sources")
            elif q.get("answerable") is False:
                if q.get("expected_facts") or q.get("expected_sources"):
                    problems.append(f"{name} {qid}: unanswerable, yet facts or sources")
                probes = NULL_PROBES.get(str(qid))
                if not probes:
                    problems.append(f"{name} {qid}: unanswerable without probes in NULL_PROBES")
                for probe in probes or []:
                    hits = [
                        n
                        for n, (lang, _) in docs.items()
                        if (name == "cross" or lang == name) and norm(probe) in flat[n]
                    ]
                    if hits:
                        problems.append(f"{name} {qid}: probe {probe!r} occurs in {hits}")
            else:
                problems.append(f"{name} {qid}: answerable is {q.get('answerable')!r}")
        print(
            f"{name}/questions.jsonl: {len(questions)} questions; "
            + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        )
    for p in problems:
        print("PROBLEM:", p)
    print("check:", "OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", type=Path, default=SRC, help="folder of chNN.{en,zh-cn}.html")
    ap.add_argument("--out", type=Path, default=HERE)
    ap.add_argument("--check", action="store_true", help="check docs and question sets")
    ap.add_argument("--survey", action="store_true", help="list every section and its size")
    args = ap.parse_args(argv)
    if args.check:
        return check(args.out)
    if args.survey:
        survey(args.src)
        return 0
    build(args.src, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
