"""How the answer prompt names the question's language (detected by `index.text.rules`)."""

from __future__ import annotations

from index.types import Lang

LANGUAGE_NAMES: dict[Lang, str] = {"zh": "Chinese (简体中文)", "en": "English"}
