#!/usr/bin/env bash
# The whole test suite: typecheck, build the binary the e2e tests drive, then bun test.
# Ends with the plain "N passed, N failed" line that CI reads.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

# The dashboard's browser tests drive Debian's chromium: install it where it is missing and
# apt-get can (CI runs as root); without it those tests skip, saying why.
if ! command -v chromium >/dev/null && [ -z "${MOONCAKE_CHROMIUM:-}" ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "installing chromium for the dashboard's browser tests"
    apt_log=$(mktemp)
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; } >"$apt_log" 2>&1 \
      || { cat "$apt_log"; echo "warning: could not install chromium: the dashboard's browser tests will skip"; }
    rm -f "$apt_log"
  else
    echo "warning: chromium is missing and cannot be installed here (needs root and apt-get): the dashboard's browser tests will skip"
  fi
fi

tsc --noEmit -p . || { echo "tests: 0 passed, 1 failed (typecheck)"; exit 1; }
bun run scripts/build.ts || { echo "tests: 0 passed, 1 failed (build)"; exit 1; }

log=$(mktemp)
# The per-test timeout only catches hangs: e2e tests spawn the binary, slow on a loaded machine.
bun test --timeout 60000 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
passed=$(grep -Eo '^ *[0-9]+ pass$' "$log" | grep -Eo '[0-9]+' | tail -1)
failed=$(grep -Eo '^ *[0-9]+ fail$' "$log" | grep -Eo '[0-9]+' | tail -1)
rm -f "$log"
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
if [ "$status" -eq 0 ] && [ "${passed:-0}" -eq 0 ]; then exit 1; fi
exit "$status"
