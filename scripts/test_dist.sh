#!/usr/bin/env bash
# The distribution tests (test/dist): make dist, then the installer over HTTP on 127.0.0.1 and
# offline, every binary's executable format, and the linux-arm64 binary under qemu-user.
# Installs qemu-user-static and Debian's arm64 glibc when missing and apt-get can (CI runs as
# root); without them the arm64 tests fail unless MOONCAKE_SKIP_QEMU=1.
# Ends with the plain "N passed, N failed" line that CI reads.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
export PATH="$PWD/node_modules/.bin:$PATH"

started=$SECONDS
bun run scripts/dist.ts || { echo "dist tests: 0 passed, 1 failed (make dist)"; exit 1; }

need_qemu() { ! command -v qemu-aarch64-static >/dev/null || [ ! -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ]; }
if [ "${MOONCAKE_SKIP_QEMU:-}" != 1 ] && need_qemu; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "installing qemu-user-static and libc6-arm64-cross for the arm64 tests"
    apt_log=$(mktemp)
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-user-static libc6-arm64-cross; } >"$apt_log" 2>&1 \
      || { cat "$apt_log"; echo "warning: could not install qemu-user-static / libc6-arm64-cross: the arm64 tests will fail"; }
    rm -f "$apt_log"
  else
    echo "warning: qemu-user-static or libc6-arm64-cross is missing and cannot be installed here (needs root and apt-get): the arm64 tests will fail; MOONCAKE_SKIP_QEMU=1 skips them"
  fi
fi

log=$(mktemp)
bun test --timeout 120000 --path-ignore-patterns='node_modules/**' ./test/dist "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
passed=$(grep -Eo '^ *[0-9]+ pass$' "$log" | grep -Eo '[0-9]+' | tail -1)
failed=$(grep -Eo '^ *[0-9]+ fail$' "$log" | grep -Eo '[0-9]+' | tail -1)
skipped=$(grep -Eo '^ *[0-9]+ skip$' "$log" | grep -Eo '[0-9]+' | tail -1)
rm -f "$log"
echo "dist tests took $((SECONDS - started)) s"
echo "tests: ${passed:-0} passed, ${failed:-0} failed${skipped:+, $skipped skipped}"
if [ "$status" -eq 0 ] && [ "${passed:-0}" -eq 0 ]; then exit 1; fi
exit "$status"
