#!/usr/bin/env bash
# The whole test suite: typecheck, build the binary the e2e tests drive, then bun test.
# The suite must leave the repository as it found it and remove every temporary directory it
# made: it runs with its own TMPDIR, and either kind of leftover fails the run.
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

# The fleet tests start real sshd hosts (scripts/fleet_hosts.sh): install Debian's
# openssh-server where it is missing and apt-get can; without it those tests skip, saying why.
if [ ! -x /usr/sbin/sshd ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "installing openssh-server for the fleet tests"
    apt_log=$(mktemp)
    # A policy-rc.d that says 101: the package must not start a system sshd; the tests start their own.
    made_policy=
    if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1; fi
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-server openssh-client; } >"$apt_log" 2>&1 \
      || { cat "$apt_log"; echo "warning: could not install openssh-server: the fleet tests will skip"; }
    [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
    rm -f "$apt_log"
  else
    echo "warning: openssh-server is missing and cannot be installed here (needs root and apt-get): the fleet tests will skip"
  fi
fi

tsc --noEmit -p . || { echo "tests: 0 passed, 1 failed (typecheck)"; exit 1; }
bun run scripts/build.ts || { echo "tests: 0 passed, 1 failed (build)"; exit 1; }

# What git sees of the tree, ignored files included (a stray .mooncake/ is ignored, not clean).
tree_state() { git status --porcelain --ignored | grep -Ev '^!! (node_modules|dist)/?$'; }
tree_before=$(tree_state)
suite_tmp=$(mktemp -d "${TMPDIR:-/tmp}/mooncake-suite-XXXXXX")
log=$(mktemp)
# The per-test timeout only catches hangs: e2e tests spawn the binary, slow on a loaded machine.
TMPDIR="$suite_tmp" bun test --timeout 60000 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
passed=$(grep -Eo '^ *[0-9]+ pass$' "$log" | grep -Eo '[0-9]+' | tail -1)
failed=$(grep -Eo '^ *[0-9]+ fail$' "$log" | grep -Eo '[0-9]+' | tail -1)
rm -f "$log"

leftovers=$(ls -A "$suite_tmp")
rm -rf "$suite_tmp"
if [ -n "$leftovers" ]; then
  echo "error: the tests left temporary files behind: $(echo $leftovers)"
  failed=$(( ${failed:-0} + 1 ))
fi
tree_after=$(tree_state)
if [ "$tree_after" != "$tree_before" ]; then
  echo "error: the tests changed the repository tree (git status before and after):"
  diff <(echo "$tree_before") <(echo "$tree_after") | grep '^[<>]'
  failed=$(( ${failed:-0} + 1 ))
fi

echo "tests: ${passed:-0} passed, ${failed:-0} failed"
if [ "$status" -eq 0 ] && { [ "${passed:-0}" -eq 0 ] || [ "${failed:-0}" -gt 0 ]; }; then exit 1; fi
exit "$status"
