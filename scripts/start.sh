#!/usr/bin/env bash
# Sets everything up, renders the example shop into public/, and serves the shop and the checkout
# together on http://127.0.0.1:8080 with the offline test payment provider. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
bin="$(swift build --show-bin-path)"
"$bin/sitegen" build --site . --out public
port="${PORT:-8080}"
echo
echo "The shop is running at http://127.0.0.1:$port/ (test payments: no account, no real money)."
echo "Emails and logs go to var/. Press Ctrl-C to stop."
echo
mkdir -p var
# The supervisor starts the checkout again if it ever dies (as systemd's Restart=always does in production).
exec scripts/supervise "$bin/checkout" serve --site . --public public --db var/checkout.sqlite --port "$port" 2>>var/checkout.log
