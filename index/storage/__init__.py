"""Where chunks are kept: the Chroma collection and its second vector set, generations and the
saved keyword index, collection names and uploaded files."""
