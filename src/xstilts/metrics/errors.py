"""The one exception type the metrics package raises for bad input."""

from __future__ import annotations

import os


class ScoreInputError(ValueError):
    """Unreadable or inconsistent gold/prediction input.

    ``str(err)`` reads ``path:LINE: what is wrong`` (or ``path: ...`` when no
    line applies, or just the message for in-memory input), so the CLI can
    print it as a one-line error.
    """

    def __init__(self, message: str, path: str | os.PathLike | None = None, line: int | None = None):
        self.message = " ".join(str(message).split())  # keep it on one line
        self.path = os.fspath(path) if path is not None else None
        self.line = line
        super().__init__(self._format())

    def _format(self) -> str:
        if self.path is None:
            return self.message
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"
