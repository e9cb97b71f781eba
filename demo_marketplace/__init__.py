"""A small online shop served on 127.0.0.1 for demos, tests and benchmarks, built from a watchlist.

It has a static section, a JavaScript "mall" section and a GBK-encoded section, and it keeps the
ground truth of every product it lists (genuine, knockoff, GI misuse, unrelated…) at /ground-truth.json.
"""
