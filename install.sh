#!/usr/bin/env bash
# Install sitrep from this folder, offline but for the package registries:
# the map page is built from npm packages into the Python package, then the package goes into .venv.
set -euo pipefail
cd "$(dirname "$0")"

(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build)
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'
echo "installed: .venv/bin/sitrep"
