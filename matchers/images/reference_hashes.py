"""Reference image hashes of marks, read from the image files a watchlist names."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ...core.images import BadImage, compute_hashes
from ...watchlist.records import Mark


@dataclass(slots=True)
class ReferenceHashes:
    """Mark id → [(image file name, phash hex)], and the images that could not be used."""

    hashes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def hash_reference_images(marks: Iterable[Mark], *, base: Path | None = None) -> ReferenceHashes:
    """Hash every mark's reference images (relative paths resolved against `base`); a file that
    cannot be read or decoded is named in `problems` and left out."""
    found = ReferenceHashes()
    for mark in marks:
        for image in mark.images:
            path = Path(image) if base is None else base / image
            try:
                phash = compute_hashes(path.read_bytes()).phash
            except OSError as exc:
                found.problems.append(f"{mark.id}: reference image {path}: cannot be read ({exc.strerror or exc})")
                continue
            except BadImage as exc:
                found.problems.append(f"{mark.id}: reference image {path}: {exc.reason}")
                continue
            found.hashes.setdefault(mark.id, []).append((path.name, phash))
    return found
