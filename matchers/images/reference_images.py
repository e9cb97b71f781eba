"""The marks' reference images, decoded once per process and shared by the image techniques."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar, cast

from PIL import Image

from ...core.images import BadImage, open_image
from ..catalogue import Catalogue

log = logging.getLogger(__name__)
Built = TypeVar("Built")


@dataclass(frozen=True, slots=True)
class ReferenceImage:
    """One reference image of one mark: the file a reason names."""

    mark_id: str
    name: str  # the file name, as reasons quote it
    path: Path


Files = tuple[tuple[str, str, int, int], ...]  # (mark id, path, mtime, size): what a built index depends on


def reference_files(catalogue: Catalogue) -> Files:
    """Every mark's reference image files that exist, with what identifies their content."""
    files = []
    for mark_id, mark in sorted(catalogue.marks.items()):
        for path in mark.images:
            try:
                stat = Path(path).stat()
            except OSError as exc:
                log.warning("%s: reference image %s cannot be read (%s); not searched for", mark_id, path, exc)
                continue
            files.append((mark_id, str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(files)


def decoded(files: Files) -> list[tuple[ReferenceImage, Image.Image]]:
    """The reference images decoded; one that cannot be is logged and left out."""
    images = []
    for mark_id, path, _, _ in files:
        try:
            image = open_image(Path(path).read_bytes())
        except (OSError, BadImage) as exc:
            log.warning("%s: reference image %s: %s; not searched for", mark_id, path, getattr(exc, "reason", exc))
            continue
        images.append((ReferenceImage(mark_id, Path(path).name, Path(path)), image))
    return images


def built(kind: str, files: Files, build: Callable[[list[tuple[ReferenceImage, Image.Image]]], Built]) -> Built:
    """`build(decoded references)`, remembered per kind and set of files: a scorer rebuilt for the
    same watchlist does not describe its images again."""
    return cast(Built, _built(kind, files, build))


@lru_cache(maxsize=8)
def _built(kind: str, files: Files, build: Callable[[list[tuple[ReferenceImage, Image.Image]]], object]) -> object:
    return build(decoded(files))
