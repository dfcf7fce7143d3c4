#!/usr/bin/env bash
# Installs what the tests need (system packages, PostgreSQL, the Nu HTML checker), builds, and runs
# the whole suite on SQLite, then the checkout's suites again on a throw-away PostgreSQL server
# started here on a free loopback port and removed at the end.
# CHECKOUT_TEST_SQLITE_ONLY=1 scripts/test.sh skips the PostgreSQL half (no PostgreSQL needed).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --for-tests
unset CHECKOUT_TEST_POSTGRES_URL CHECKOUT_DATABASE_URL
# The storage races, backups and erasures run on their own after the rest, in both passes: under the
# whole pass's load one of their connections once stopped answering on PostgreSQL, and on SQLite the
# killed-service backup test once saw too few copies in its two minutes (see the README's Tests section).
on_their_own='^CheckoutKitTests\.(StorageContractTests|BackupRestoreBinaryTests|BackupTests|PersonalDataTests)/'
# The cluster test (three `checkout serve` over PostgreSQL) runs in the PostgreSQL pass below.
swift test --skip-build --skip ClusterTests --skip "$on_their_own"
echo "test: the storage races, backups and erasures on SQLite, on their own"
swift test --skip-build --filter "$on_their_own"
if [[ "${CHECKOUT_TEST_SQLITE_ONLY:-}" == 1 ]]; then
  echo "test: CHECKOUT_TEST_SQLITE_ONLY=1, so the checkout was not tested on PostgreSQL"
  exit 0
fi
eval "$(scripts/postgres-server.sh start)"
trap 'scripts/postgres-server.sh stop "$PG_TEST_DIR"' EXIT
echo "test: the checkout's suites again, on PostgreSQL"
# A hundred suites start at once on two cores: a start may wait a minute for its first connection.
CHECKOUT_DATABASE_CONNECT_TIMEOUT=60 CHECKOUT_TEST_POSTGRES_URL="$CHECKOUT_TEST_POSTGRES_URL" \
  swift test --skip-build --filter CheckoutKitTests --skip "$on_their_own"
# The storage races, and the suites that run pg_dump, pg_restore and psql beside the service, after
# the rest: under the whole pass's load, connections have gone silent (see the README's Tests section).
echo "test: the storage races, backups and erasures on PostgreSQL, on their own"
CHECKOUT_TEST_POSTGRES_URL="$CHECKOUT_TEST_POSTGRES_URL" swift test --skip-build --filter "$on_their_own"
