"""Domain exceptions of the index. Messages carry the bad value and the fix."""


class RagIndexError(Exception):
    """Base class of index errors."""


class IndexNotBuiltError(RagIndexError):
    pass


class EmbedderMismatchError(RagIndexError):
    pass


class StoreUnavailableError(RagIndexError):
    pass


class UnreadableFileError(RagIndexError):
    pass


class FileTooLargeError(RagIndexError):
    pass


class UnsupportedFileError(RagIndexError):
    """A file type the index does not read, or a file whose bytes are not what its name says."""


class EncryptedFileError(RagIndexError):
    """A PDF that needs a password (an empty one was tried)."""


class DamagedFileError(RagIndexError):
    """A PDF, Word file or image that its library cannot open: truncated or corrupt."""


class TooManyPagesError(RagIndexError):
    """A document with more pages than the per-file page limit."""


class PageNotFoundError(RagIndexError):
    """A page number outside the document."""
