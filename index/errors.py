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
