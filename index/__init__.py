"""seeds -> articles -> chunks -> embeddings -> Chroma (+ keyword index). Knows nothing of LLMs."""
