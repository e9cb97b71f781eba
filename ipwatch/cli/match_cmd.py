"""`ipwatch match`: score listings from a JSON-lines file against a watchlist."""


def match() -> None:
    """Score listings against a watchlist (being built)."""
    raise SystemExit("not built yet")
