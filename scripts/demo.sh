#!/usr/bin/env bash
# `npm run demo`: the bundled example config written, validated, previewed and applied in a
# fresh temporary directory, so the repository stays as it is. The last lines say where it went.
set -euo pipefail
cd "$(dirname "$0")/.."
mooncake="$PWD/dist/mooncake"
demo=$(mktemp -d "${TMPDIR:-/tmp}/mooncake-demo-XXXXXX")
cd "$demo"

show() {
  printf '\n$ mooncake %s\n' "$*"
  "$mooncake" "$@"
}
show example examples
show validate --config examples/site.yml
show run --config examples/site.yml --dry-run
show run --config examples/site.yml

cat <<DONE

The demo ran in $demo:
  examples/       the example config (mooncake example)
  examples/out/   what its steps wrote
  .mooncake/      the records of both runs: cd $demo && $mooncake runs show last
Remove it with: rm -rf $demo
DONE
