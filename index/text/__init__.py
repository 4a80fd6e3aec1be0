"""The text kernel: the shared rules, the keyword tokens built on them, word overlap."""
