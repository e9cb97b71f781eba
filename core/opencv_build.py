"""Which OpenCV build provides `cv2`: the headless one, or the GUI one that needs libGL.so.1.

rapidocr-onnxruntime requires `opencv-python` (the GUI build, linked to Qt and through it to
libGL.so.1, which a server or a container usually lacks); ipwatch requires
`opencv-python-headless`. Both install the same `cv2/` files, and whichever pip wrote last
wins. `setup.sh` runs this module and, when the GUI build won, reinstalls the headless one
over it. Nothing here imports `cv2`: it works where that import would fail.

    python -m matchers.opencv_build     # exit 0: headless cv2 (or none); 1: the GUI build won
"""

from __future__ import annotations

import base64
import hashlib
import sys
from importlib.metadata import PackageNotFoundError, distribution

HEADLESS = "opencv-python-headless"


def headless_cv2() -> bool | None:
    """True when the installed cv2 binary is the one opencv-python-headless shipped, False when
    another package overwrote it, None when opencv-python-headless is not installed."""
    try:
        files = distribution(HEADLESS).files or []
    except PackageNotFoundError:
        return None
    binaries = [f for f in files if f.parts[0] == "cv2" and f.name.startswith("cv2") and f.suffix == ".so" and f.hash]
    for binary in binaries:
        path = binary.locate()
        if not path.is_file():  # type: ignore[attr-defined]
            return False
        digest = hashlib.new(binary.hash.mode, path.read_bytes()).digest()  # type: ignore[union-attr, attr-defined]
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != binary.hash.value:  # type: ignore[union-attr]
            return False
    return bool(binaries)


def main() -> int:
    state = headless_cv2()
    if state is False:
        print(f"cv2 is not {HEADLESS}'s build (another OpenCV wheel overwrote it; it may need libGL.so.1):"
              f" pip install --force-reinstall --no-deps {HEADLESS}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
