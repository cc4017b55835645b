"""The importer's one error: a raw file that cannot become a draft, and why."""


class RawTextError(ValueError):
    """A raw file cannot be imported; the message names the file and says why, in French."""

    def __init__(self, source: str, reason: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{source} : {reason}")
