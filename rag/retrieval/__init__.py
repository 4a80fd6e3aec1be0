"""Retrieval: `HybridRetriever` composes the pure parts beside it (filters, fusion, diversify)."""

from rag.retrieval.fusion import FusionWeights
from rag.retrieval.hybrid import HybridRetriever

__all__ = ["FusionWeights", "HybridRetriever"]
