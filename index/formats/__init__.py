"""Files -> articles: one parser per format (`dispatch` picks it by suffix and first bytes)."""
