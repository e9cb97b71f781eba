"""`cv2` is opencv-python-headless's build, which loads without libGL.so.1 (a server has none),
although rapidocr-onnxruntime pulls in the GUI build next to it (setup.sh puts headless back)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

from ipwatch.core.opencv_build import headless_cv2, main


def test_the_installed_cv2_is_the_headless_build() -> None:
    assert headless_cv2() is True
    assert main() == 0


def test_cv2_links_neither_qt_nor_opengl() -> None:
    spec = importlib.util.find_spec("cv2")
    assert spec is not None and spec.origin is not None
    binaries = list(Path(spec.origin).parent.glob("cv2*.so"))
    assert binaries
    ldd = shutil.which("ldd")
    if ldd is not None:  # Debian and every glibc system have it
        linked = subprocess.run([ldd, str(binaries[0])], capture_output=True, text=True, check=True).stdout
        assert "libGL" not in linked and "libQt5" not in linked, linked
    done = subprocess.run([sys.executable, "-c", "import cv2; cv2.SIFT_create()"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
