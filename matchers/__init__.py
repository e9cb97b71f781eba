"""Matchers score a Listing against the watchlist's marks and say why.

    base.py       the `Matcher` kind and the `Evidence` it yields; records.py: `Reason`, `Match`
    signals.py    what a reason says beyond "looks alike" (a counterfeit, a GI from outside its region)
    scorer.py     every technique and rule combined into one score per mark
    catalogue.py  the watchlist, and probe.py a listing, prepared once for every technique
    techniques/   one module per registered technique, named for it (`ipwatch matchers` lists them)
    rules/        what moves a score once a technique found a name: context, goods, provenance, heritage
    text/         reading titles: normalising, look-alike glyphs, pinyin readings, ordinary words
    images/       reading pictures: copy and logo indexes, the pixel check, OCR, reference images
    gi/           geographical indications: places, GI words, origin, supply, evocation
    data/         the word lists and tables all of these read (data/README.md)
"""

from pathlib import Path

DATA = Path(__file__).parent / "data"
