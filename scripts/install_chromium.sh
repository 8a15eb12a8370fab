#!/bin/sh
# Install headless Chromium (Debian package) for the HTML rendering test in tests/pipeline/test_show.py.
# Idempotent: does nothing when chromium is already on PATH. Needs root (CI containers run as root).
set -eu
command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y --no-install-recommends chromium)
chromium --version
