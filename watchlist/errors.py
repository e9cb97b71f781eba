"""A watchlist that cannot be used, and what its editor should do about it."""

from __future__ import annotations

from ..core.problems import FileProblems


class WatchlistError(FileProblems):
    """A watchlist that cannot be used; `problems` lists every thing to fix, in file order."""

    remedy = "fix each line listed, then run `ipwatch watchlist check FILE` again"
