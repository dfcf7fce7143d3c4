#!/usr/bin/env bash
# Sets everything up and renders the example shop (content/ + catalog.txt) into public/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
"$(swift build --show-bin-path)/sitegen" build --site . --out public
echo "The shop is in public/ (open public/index.html, or serve the folder with any static web server)."
