"""The corpus as data: its profile (publishers, bilingual names, the page's title and examples,
calibrated scores), read from `profiles/*.toml` or a file of the user's."""
