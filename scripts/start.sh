#!/usr/bin/env bash
# Sets everything up, renders the example shop into public/, and serves the shop and the checkout
# together on http://127.0.0.1:8080 with the offline test payment provider. Ctrl-C stops it.
#
# scripts/start.sh --two-shops serves a second, small shop (examples/second-shop) from the same
# checkout process: the main shop at http://127.0.0.1:8080, the second at http://localhost:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
two_shops=false
if [ "${1:-}" = "--two-shops" ]; then two_shops=true; fi
scripts/setup.sh
bin="$(swift build --show-bin-path)"
"$bin/sitegen" build --site . --out public
port="${PORT:-8080}"
mkdir -p var
# The supervisor starts the checkout again if it ever dies (as systemd's Restart=always does in production).
if $two_shops; then
    "$bin/sitegen" build --site examples/second-shop --out examples/second-shop/public
    echo
    echo "Two shops, one checkout (test payments: no account, no real money):"
    echo "  Mustard Seed Printables  http://127.0.0.1:$port/"
    echo "  Harbor Knitting Patterns http://localhost:$port/"
    echo "Readiness and metrics of both: http://127.0.0.1:$((port + 1))/readyz and /metrics."
    echo "Emails go to var/mail/SHOP/, logs to var/. Press Ctrl-C to stop."
    echo
    exec scripts/supervise "$bin/checkout" serve --shops examples/shops.yaml --db var/shops.sqlite --backup-dir var/backups --port "$port" \
        --operations-port "$((port + 1))" 2>>var/checkout.log
fi
# A member of staff for the console, added once the service has made the database.
(
    for _ in $(seq 300); do [ -f var/checkout.sqlite ] && break; sleep 0.1; done
    "$bin/checkout" admin staff list --db var/checkout.sqlite 2>/dev/null | grep -q '^owner@example.com ' \
        || "$bin/checkout" admin staff add owner@example.com --role owner --db var/checkout.sqlite >/dev/null 2>>var/checkout.log || true
) &
echo
echo "The shop is running at http://127.0.0.1:$port/ (test payments: no account, no real money)."
echo "The operator's console is at http://127.0.0.1:$port/admin/: sign in as owner@example.com;"
echo "the sign-in link arrives in var/mail/. Emails and logs go to var/. Press Ctrl-C to stop."
echo
exec scripts/supervise "$bin/checkout" serve --site . --public public --db var/checkout.sqlite --backup-dir var/backups --port "$port" 2>>var/checkout.log
