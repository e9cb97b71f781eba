"""`Scorer`: every registered matcher and the context rules, combined into one score per mark."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence

from ..core.images import ListingImage
from ..spiders.records import Listing
from ..watchlist.records import Mark
from .base import Evidence, Matcher, NotConfigured, discover
from .catalogue import Catalogue
from .probe import Probe
from .records import Match, Reason
from .rules.context import Context
from .rules.provenance import Provenance

log = logging.getLogger(__name__)


class Scorer:
    """Scores listings against a watchlist: the public entry point of the matchers.

    Each matcher yields evidence per mark; the best text evidence is adjusted for where
    it was found (compatibility wording before it, an accessory after it) and, when it is
    weak (one character of a two-character name changed), for whether the goods the
    listing names fit the mark's classes; it is then combined with the best image
    evidence as independent signals (1 - (1 - text) * (1 - image)), then moved by the
    listing's price, its category and (for a GI) where the seller is, and cleared to 0
    for an authorised seller. Every step is a `Reason` on the `Match`:

    >>> from pathlib import Path
    >>> from ipwatch.watchlist.loader import load_watchlist
    >>> marks = load_watchlist(Path("watchlist/samples/baotou.yaml")).marks
    >>> scorer = Scorer.from_marks(marks, threshold=0.75)
    >>> listing = Listing(site="jd", listing_key="1", url="", title="康师父红烧牛肉面", price=9.9)
    >>> [found] = scorer.match(listing)
    >>> found.mark_id, found.score
    ('kangshifu', 0.98)
    >>> found.reason_texts
    ['homophone 康师父≈康师傅 (kang shi fu ~ kang shi fu)', 'price ¥9.90 is 16% of reference ¥60 (+0.10)']
    >>> scorer.match(Listing(site="jd", listing_key="2", url="", title="适用于康师傅泡面碗 替换盖"))
    []
    """

    def __init__(
        self, catalogue: Catalogue, matchers: Sequence[Matcher], *, threshold: float, declined: Mapping[str, str]
    ) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold {threshold} is not between 0 and 1")
        self.catalogue = catalogue
        self.matchers = tuple(matchers)
        self.threshold = threshold
        self.declined = dict(declined)  # matcher name → why it is off
        self.context = Context(catalogue)
        self.provenance = Provenance(catalogue)  # GI origin, evocation, supply; old-brand heritage

    @classmethod
    def from_marks(
        cls,
        marks: Sequence[Mark],
        *,
        threshold: float = 0.75,
        reference_hashes: Mapping[str, Sequence[tuple[str, str]]] | None = None,
        techniques: Sequence[str] | None = None,
    ) -> Scorer:
        """Build every matcher's index once. `reference_hashes`: mark id → [(image file, phash hex)];
        `techniques`: matcher names in the order to run them (default: all registered)."""
        registry = discover()
        names = list(techniques) if techniques is not None else sorted(registry)
        unknown = [name for name in names if name not in registry]
        if unknown:
            raise ValueError(f"unknown matcher {', '.join(unknown)}; known: {', '.join(sorted(registry))}")
        catalogue = Catalogue.from_marks(marks, reference_hashes)
        matchers: list[Matcher] = []
        declined: dict[str, str] = {}
        for name in names:
            try:
                matchers.append(registry[name](catalogue))
            except NotConfigured as off:
                declined[name] = str(off)
                log.info("matcher %s is off: %s", name, off)
        return cls(catalogue, matchers, threshold=threshold, declined=declined)

    def match(self, listing: Listing, *, image_phashes: Sequence[str] = (),
              images: Sequence[ListingImage] = ()) -> list[Match]:
        """Matches scoring at least the threshold, best first. `images`: the listing's downloaded
        images (hashes and files) for the image techniques."""
        return [found for found in self.explain(listing, image_phashes=image_phashes, images=images)
                if found.score >= self.threshold]

    def explain(self, listing: Listing, *, image_phashes: Sequence[str] = (),
                images: Sequence[ListingImage] = ()) -> list[Match]:
        """Every mark some matcher found evidence for, best first, including those context
        cleared to 0 (an authorised seller): for debugging a decision."""
        probe = Probe.of(listing, image_phashes, images)
        found: dict[str, dict[str, list[Evidence]]] = defaultdict(lambda: {"title": [], "images": []})
        for matcher in self.matchers:
            for evidence in matcher.match(probe, cutoff=0.0):
                if evidence.score > 0:
                    found[evidence.mark_id][matcher.looks_at].append(evidence)
        _drop_shadowed(found)
        matches = [
            self._decide(probe, self.catalogue.marks[mark_id], kinds["title"], kinds["images"])
            for mark_id, kinds in found.items()
            if kinds["title"] or kinds["images"]
        ]
        return sorted(matches, key=lambda match: -match.score)

    def _decide(self, probe: Probe, mark: Mark, texts: list[Evidence], images: list[Evidence]) -> Match:
        reasons: list[Reason] = []
        text_score = image_score = 0.0
        if texts:
            support = self.context.support(probe, mark) if any(item.weak for item in texts) else None
            adjusted = [(item, self.context.around(probe, item) + ([support] if item.weak and support else []))
                        for item in texts]
            best, around = max(adjusted, key=lambda pair: _clamp(pair[0].score + sum(r.delta for r in pair[1])))
            text_score = _clamp(best.score + sum(reason.delta for reason in around))
            reasons += [best.reason, *around]
        if images:
            best_image = max(images, key=lambda item: item.score)
            image_score = best_image.score
            reasons.append(best_image.reason)
        score = 1.0 - (1.0 - text_score) * (1.0 - image_score)
        for reason in [*self.context.listing(probe, mark), *self.provenance.reasons(probe, mark, texts, images)]:
            score = _clamp(score + reason.delta)
            reasons.append(reason)
        cleared = self.context.authorised(probe, mark, round(score, 3))
        if cleared is not None:
            score = 0.0
            reasons.append(cleared)
        listing = probe.listing
        return Match(listing.site, listing.listing_key, mark.id, round(_clamp(score), 3), tuple(reasons))


def _drop_shadowed(found: dict[str, dict[str, list[Evidence]]]) -> None:
    """Leave out title evidence for a mark found inside a longer stretch of the title that
    is at least as strong evidence for another mark: in 天庆鲜 the mark 天庆鲜 is meant, not
    天庆; in 糠禄坊 (康禄坊 by sound) not 绿坊 by look."""
    spans = [(evidence, mark_id) for mark_id, kinds in found.items()
             for evidence in kinds["title"] if evidence.span is not None]
    if len(spans) < 2:
        return
    for mark_id, kinds in found.items():
        kinds["title"] = [evidence for evidence in kinds["title"]
                          if not any(other != mark_id and _shadows(wider, evidence) for wider, other in spans)]


def _shadows(wider: Evidence, evidence: Evidence) -> bool:
    """Whether `wider` covers `evidence` and explains that stretch better: longer and at least
    as strong (or both exact names), or the same stretch and stronger."""
    if wider.span is None or evidence.span is None:
        return False
    inside = wider.span[0] <= evidence.span[0] and evidence.span[1] <= wider.span[1]
    if not inside:
        return False
    if wider.span == evidence.span:
        return wider.score > evidence.score
    both_exact = wider.reason.technique == evidence.reason.technique == "exact"
    return wider.score >= evidence.score or both_exact


def _clamp(score: float) -> float:
    return min(1.0, max(0.0, score))
