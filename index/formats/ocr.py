"""Scanned pages and photographed pages -> text, with RapidOCR (PP-OCRv4, Chinese and English;
the models ship inside the `rapidocr-onnxruntime` wheel, so nothing is downloaded).

The engine takes about a second to load and about 1.2 s a page on two cores, so it is loaded
once, on the first page that needs it. Lines come back with their boxes, in reading order;
`index.formats.lines` makes paragraphs of them (by vertical gaps and short last lines).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import cache
from typing import Any

from index.errors import DamagedFileError
from index.formats.lines import group_lines, short_line_ends
from index.formats.outline import one_article
from index.types import Article, Paragraph

log = logging.getLogger(__name__)

MIN_CONFIDENCE = 0.5  # lines read with less confidence are noise (specks, stamps)
MAX_SIDE = 2500  # larger images are scaled down first: slower to read, no better
PARAGRAPH_GAP = 0.8  # a gap above a line taller than this share of a line height starts one


@dataclass(frozen=True)
class OcrLine:
    """One line read from an image; its box in the image's pixels, from the top-left."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    confidence: float


@cache
def _engine() -> Any:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as err:  # pragma: no cover - a dependency of the package
        raise ImportError(
            "OCR needs rapidocr-onnxruntime: pip install 'rapidocr-onnxruntime==1.4.4'"
        ) from err
    return RapidOCR()


def load() -> None:
    """Load the OCR models now rather than on the first page (a server's start, a benchmark's
    warm-up)."""
    _engine()


def read_lines(image: Any) -> list[OcrLine]:
    """The lines of a PIL image, top to bottom, then left to right."""
    image = image.convert("RGB")
    factor = min(1.0, MAX_SIDE / max(image.size))
    if factor < 1.0:
        image = image.resize((round(image.width * factor), round(image.height * factor)))
    result, _ = _engine()(image)
    lines = [
        OcrLine(
            text=text.strip(),
            left=min(x for x, _ in box) / factor,
            top=min(y for _, y in box) / factor,
            right=max(x for x, _ in box) / factor,
            bottom=max(y for _, y in box) / factor,
            confidence=float(score),
        )
        for box, text, score in result or []
        if float(score) >= MIN_CONFIDENCE and text.strip()
    ]
    return sorted(lines, key=lambda line: (round(line.top / _height(lines)), line.left))


def _height(lines: list[OcrLine]) -> float:
    heights = sorted(line.bottom - line.top for line in lines)
    return max(heights[len(heights) // 2], 1.0)


def ocr_paragraphs(lines: list[OcrLine]) -> list[str]:
    """Paragraphs of OCR lines: a wide vertical gap, or a short line, ends one."""
    if not lines:
        return []
    height = _height(lines)
    ends = short_line_ends([line.right - line.left for line in lines])
    for i, (line, below) in enumerate(zip(lines, lines[1:], strict=False)):
        ends[i] = ends[i] or below.top - line.bottom > height * PARAGRAPH_GAP
    return group_lines([line.text for line in lines], ends)


def parse_image(data: bytes, file: str, path: str = "") -> list[Article]:
    """One article of the text read from an image file (PNG, JPEG), on its page 1."""
    from PIL import Image

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, Image.DecompressionBombError) as err:
        raise DamagedFileError(
            f"cannot read the image ({err}) - save it again as PNG or JPEG"
        ) from err
    texts = ocr_paragraphs(read_lines(image))
    paragraphs = [Paragraph(t, page=1, number=n) for n, t in enumerate(texts, start=1)]
    return one_article(file, path, None, paragraphs, pages=1)
