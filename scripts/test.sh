#!/usr/bin/env bash
# Run the test suite with coverage of verifier/ and probes/, then ruff (lint and format check).
set -euo pipefail
cd "$(dirname "$0")/.."
python -m coverage erase
python -m coverage run -m pytest "$@"
python -m coverage report --skip-empty --sort=cover | tail -n 25
ruff check .
ruff format --check .
