"""A scripted assistant and a small question set shared by the evaluation tests."""

from __future__ import annotations

import json
import re
from datetime import datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from index.types import Chunk, Scored
from rag.types import Answer, Citation

A = ("001.txt", "Article A")
B = ("002.txt", "Article B")
C = ("003.txt", "Article C")


def chunk(article: tuple[str, str], text: str) -> Chunk:
    return Chunk(
        chunk_id=f"{article[0]}:{text}",
        article_id=article[0],
        text=text,
        embed_text=text,
        file=article[0],
        title=article[1],
        refs=(1,),
    )


def citation(n: int, article: tuple[str, str]) -> Citation:
    return Citation(
        n=n,
        file=article[0],
        title=article[1],
        publisher="36Kr",
        published=datetime(2025, 9, 24, 8, 30),
        quote=f"quote from {article[1]}",
        refs=(1,),
        chunk_id=f"{article[0]}:c",
    )


class ScriptedAssistant:
    """Replays scripted answers by question text and records what it was asked.

    script: question -> (text, refused, retrieved articles in rank order, cited articles).
    """

    def __init__(
        self,
        script: dict[str, tuple[str, bool, list, list]],
        fail_on: frozenset[str] = frozenset(),
        interrupt_on: str | None = None,
    ):
        self.script, self.fail_on, self.interrupt_on = script, fail_on, interrupt_on
        self.asked: list[str] = []

    def ask(self, question: str) -> Answer:
        if question == self.interrupt_on:
            raise KeyboardInterrupt
        self.asked.append(question)
        if question in self.fail_on:
            raise RuntimeError("model exploded")
        text, refused, retrieved, cited = self.script[question]
        contexts = [
            Scored(chunk(a, f"text {i} of {a[1]}"), round(0.9 - i / 10, 2))
            for i, a in enumerate(retrieved)
        ]
        return Answer(
            text=text,
            citations=[citation(i, a) for i, a in enumerate(cited, start=1)],
            contexts=contexts,
            refused=refused,
            language="en",
            backend="scripted",
            timings_ms={"retrieve": 10.0, "generate": 100.0, "total": 110.0},
            question=question,
        )


QUESTIONS = [
    {
        "id": "q1",
        "question": "hit at 1",
        "answerable": True,
        "type": "numeric",
        "lang": "en",
        "expected_sources": [{"file": A[0], "title": A[1]}],
        "expected_facts": [["696"]],
    },
    {
        "id": "q2",
        "question": "hit at 2",
        "answerable": True,
        "type": "numeric",
        "lang": "zh",
        "expected_sources": [{"file": B[0], "title": B[1]}],
        "expected_facts": [["800"], ["24,000", "2.4万"]],
    },
    {
        "id": "q3",
        "question": "miss",
        "answerable": True,
        "type": "factoid",
        "lang": "en",
        "expected_sources": [{"file": C[0], "title": C[1]}],
        "expected_facts": [["Hongguo"]],
    },
    {
        "id": "q4",
        "question": "unanswerable",
        "answerable": False,
        "type": "unanswerable",
        "lang": "en",
    },
]

# q1: A three times then B -> rank 1; q2: A, A, B -> B is the 2nd distinct article (rank 2);
# q3: wrongly refused, nothing retrieved; q4: correctly refused.
SCRIPT: dict[str, tuple[str, bool, list, list]] = {
    "hit at 1": ("It had 696 million users [1].", False, [A, A, A, B], [A]),
    "hit at 2": ("800 firms and 24000 staff [1][2].", False, [A, A, B], [A, B]),
    "miss": ("The reports do not say.", True, [], []),
    "unanswerable": ("The reports do not say.", True, [B], []),
}


class DigitCheck:
    """A stand-in for the answerer's own check (a self check): a digit run is stated when a
    passage has it, and a statement is supported when all of its digit runs are stated."""

    def supports(self, statement: str, passages: list[str]) -> bool:
        return self.unstated_figures(statement, passages) == 0

    def unstated_figures(self, statement: str, passages: list[str]) -> int:
        stated = set(re.findall(r"\d+", " ".join(passages)))
        return sum(run not in stated for run in re.findall(r"\d+", statement))


def write_set(path: Path, records: list[dict] = QUESTIONS) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


def judge_server(requests: list[dict[str, Any]]) -> type[BaseHTTPRequestHandler]:
    """An OpenAI-compatible judge endpoint (`http_server`): says "yes" when every digit of the
    statement appears in the passages, else "no"; records each request body."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            requests.append(body)
            prompt = body["messages"][-1]["content"]
            head, statement = prompt.split("Statement: ", 1)
            statement = statement.split("\n", 1)[0]
            ok = all(ch in head for ch in statement if ch.isdigit())
            message = {"role": "assistant", "content": "Yes." if ok else "No."}
            payload = json.dumps(
                {
                    "id": "c1",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body["model"],
                    "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler
