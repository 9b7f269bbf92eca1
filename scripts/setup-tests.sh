#!/usr/bin/env bash
# Everything the tests need on a fresh machine: uv, then the locked Python packages.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check uv
python3 -m uv sync --locked --extra dev
