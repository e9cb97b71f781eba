"""`ipwatch demo`: the whole pipeline on the embedded default."""


def demo() -> None:
    """Run the demo end to end (being built)."""
    raise SystemExit("not built yet")
