#!/usr/bin/env bash
# Installs what the tests need (system packages, the Nu HTML checker), builds, and runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --for-tests
swift test --skip-build
