"""Chinese administrative places: whether a seller's location lies inside a GI's region."""

from __future__ import annotations

import re
from dataclasses import dataclass

from matchers.normalise import normalise

# The suffixes of PRC administrative units, longest first: province-level (省, 自治区,
# 特别行政区), prefecture-level (市, 地区, 盟, 自治州), county-level (县, 区, 旗, 自治县,
# 自治旗) and township-level (镇, 乡, 苏木, 街道).
_UNIT = re.compile(r".+?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|苏木|街道|省|市|盟|县|区|旗|镇|乡)")
_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|苏木|街道|省|市|盟|县|区|旗|镇|乡)$")


@dataclass(frozen=True, slots=True)
class Region:
    """A region as the watchlist writes it (内蒙古自治区包头市固阳县), split into its units."""

    text: str
    units: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Region:
        """Split `text` into administrative units, largest first."""
        cleaned = normalise(text).text
        units = tuple(_UNIT.findall(cleaned)) or (cleaned,)
        return cls(text=text, units=units)

    @property
    def place(self) -> str:
        """The most specific unit without its suffix, as people write it: 固阳 for 固阳县."""
        last = self.units[-1]
        stem = _stem(last)
        return stem if len(stem) >= 2 else last

    def contains(self, location: str) -> bool | None:
        """True if `location` lies inside, False if outside, None if it is too vague to tell
        (only a province, say) or empty."""
        written = normalise(location).text
        if not written:
            return None
        if self.place in written:
            return True
        ours = {_stem(unit) for unit in self.units}
        if all(_stem(unit) in ours for unit in _UNIT.findall(written) or (written,)):
            return None  # 内蒙古自治区 or 包头: the right area, but not precise enough
        return False


def _stem(unit: str) -> str:
    return _SUFFIX.sub("", unit)
