"""`make_llm(settings, backend)`: the LLM of `local`, `local-small` or `openai`, from Settings.

The backend modules (and llama-index with them) are imported here, when a model is built. The local
backends are asked in a model process of their own (rag/llm/host.py), never in this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from rag.llm.weights import ensure_model
from rag.settings import Settings

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

LLMBackend = Literal["local", "local-small", "openai"]


def make_llm(settings: Settings, backend: LLMBackend) -> LLM:
    """Build the LLM of `backend`; a missing llama-cpp-python fails here, not at the first
    question (LLMUnavailableError), and missing weights raise ModelUnavailableError."""
    if backend == "openai":
        from rag.llm.openai import OpenAICompatible

        return OpenAICompatible(
            model=settings.openai_model,
            api_base=settings.openai_base_url,
            api_key=settings.openai_api_key.get_secret_value(),
            is_chat_model=True,
            context_window=settings.llm_context,
            max_tokens=settings.max_answer_tokens,
            temperature=0.0,
            timeout=settings.llm_timeout_s,  # transport; the answer's deadline is within()
            max_retries=0,
        )
    from rag.llm.host import HostSpec, ModelHost
    from rag.llm.local import LocalModel, check_llama_cpp

    check_llama_cpp()
    spec = HostSpec(
        model_path=ensure_model(backend, settings.model_cache_dir),
        n_ctx=settings.llm_context,
        n_threads=settings.llm_threads,
        flash_attn=settings.llm_flash_attn,
    )
    return LocalModel(
        ModelHost(spec, settings.model_run_dir),
        context_window=settings.llm_context,
        max_tokens=settings.max_answer_tokens,
        temperature=0.0,
        timeout=settings.llm_timeout_s,  # transport; the answer's deadline is within()
    )
