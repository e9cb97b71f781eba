#!/usr/bin/env bash
# Sets up ipwatch in ./.venv: the Python packages, and a Chromium for pages that need JavaScript.
#   bash setup.sh          the application
#   bash setup.sh --test   the application and what its tests need
set -euo pipefail
cd "$(dirname "$0")"
python=${PYTHON:-python3}
extras=""
[ "${1:-}" = "--test" ] && extras="[test]"

if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
# Every dependency at the version the tests passed on, each file checked against its SHA-256:
# requirements.lock (the application) or requirements-test.lock (and the tests' tools).
lock=requirements.lock
[ -n "$extras" ] && lock=requirements-test.lock
.venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r "$lock"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}"

# rapidocr-onnxruntime requires opencv-python, whose cv2 links Qt and libGL.so.1 (absent on a server);
# opencv-python-headless ships the same `cv2` without them. Both write cv2/ and whichever pip installed
# last wins: when it was the GUI build, the headless one is put back over it (core/opencv_build.py).
# The lock's own entry is reinstalled, so the wheel is still checked against its hashes.
if ! .venv/bin/python -m ipwatch.core.opencv_build; then
  echo "setup: reinstalling opencv-python-headless over opencv-python's cv2"
  headless=$(mktemp)
  awk '/^opencv-python-headless==/{p=1} p{print; if ($0 !~ /\\$/) exit}' "$lock" > "$headless"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --force-reinstall \
    --no-deps -r "$headless"
  rm -f "$headless"
  .venv/bin/python -m ipwatch.core.opencv_build
fi

# Chromium for Playwright: Playwright's own build if it can be downloaded, else a system one.
if .venv/bin/python -c "from ipwatch.spiders.browser import browser_available as b; raise SystemExit(0 if b() else 1)"; then
  exit 0
fi
echo "setup: trying 'playwright install chromium' ..."
if .venv/bin/playwright install chromium >/dev/null 2>&1; then
  exit 0
fi
echo "setup: Playwright's Chromium could not be downloaded; installing the system's Chromium instead"
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1; then
  sudo apt-get update -qq >/dev/null && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
if ! .venv/bin/python -c "from ipwatch.spiders.browser import browser_available as b; raise SystemExit(0 if b() else 1)"; then
  echo "setup: no Chromium found. Install Chromium or Chrome, or set IPWATCH_CHROMIUM_PATH to its binary." >&2
  exit 1
fi
