import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fakeProgram } from "./fake_program.ts";

/**
 * Fake apt (`apt-get`, `apt-cache`, `dpkg-query`, `dpkg-deb`) and rpm/dnf on PATH, sharing a
 * package database in `dir/db`: `installed/<name>` and `available/<name>` hold versions. Every
 * call's argv is appended to `packages.log` (apt-get's line starts with its DEBIAN_FRONTEND).
 */
export function fakePackageManagers(dir: string, packages: { installed?: Record<string, string>; available?: Record<string, string> }) {
  const db = join(dir, "db");
  const log = join(dir, "packages.log");
  for (const [kind, versions] of Object.entries({ installed: packages.installed ?? {}, available: packages.available ?? {} })) {
    mkdirSync(join(db, kind), { recursive: true });
    for (const [name, version] of Object.entries(versions)) writeFileSync(join(db, kind, name), version);
  }
  writeFileSync(log, "");
  const logCall = (name: string) => `printf '%s\\n' "${name} $*" >> '${log}'`;
  // Sets installed/<name> from "name", "name=version" or a local package file.
  const install = [
    "install_one() {",
    '  case "$1" in',
    `    /*) n=$(sed -n 's/^Package: //p' "$1"); v=$(sed -n 's/^Version: //p' "$1") ;;`,
    `    *=*) n=\${1%%=*}; v=\${1#*=} ;;`,
    `    *-[0-9]*) n=\${1%%-[0-9]*}; v=\${1#*-} ;;`,
    `    *) n=$1; v=$(cat '${db}/available/'"$1" 2>/dev/null) || { echo "E: Unable to locate package $1" >&2; exit 100; } ;;`,
    "  esac",
    `  printf %s "$v" > '${db}/installed/'"$n"`,
    "}",
  ].join("\n");
  fakeProgram(dir, "dpkg-query", [
    logCall("dpkg-query"),
    "rc=0",
    'for n in "$@"; do case "$n" in -*) continue ;; esac',
    `  if [ -f '${db}/installed/'"$n" ]; then printf '%s\\tii \\t%s\\n' "$n" "$(cat '${db}/installed/'"$n")"; else echo "dpkg-query: no packages found matching $n" >&2; rc=1; fi`,
    "done",
    "exit $rc",
  ].join("\n"));
  fakeProgram(dir, "apt-cache", [
    logCall("apt-cache"),
    'for n in "$@"; do case "$n" in -*|policy) continue ;; esac',
    `  i=$(cat '${db}/installed/'"$n" 2>/dev/null || echo '(none)'); c=$(cat '${db}/available/'"$n" 2>/dev/null || echo "$i")`,
    '  printf "%s:\\n  Installed: %s\\n  Candidate: %s\\n" "$n" "$i" "$c"',
    "done",
  ].join("\n"));
  fakeProgram(dir, "apt-get", [
    `printf '%s\\n' "apt-get DEBIAN_FRONTEND=$DEBIAN_FRONTEND $*" >> '${log}'`,
    install,
    "sub=; simulate=; skip=",
    'for a in "$@"; do',
    '  if [ -n "$skip" ]; then skip=; continue; fi',
    '  case "$a" in -o) skip=1 ;; -s) simulate=1 ;; -*) ;; *) if [ -z "$sub" ]; then sub=$a; continue; fi',
    '    case "$sub" in',
    '      install) install_one "$a" ;;',
    `      remove) rm -f '${db}/installed/'"$a" ;;`,
    "    esac ;;",
    "  esac",
    "done",
    'if [ "$sub" = upgrade ]; then',
    `  for f in '${db}'/installed/*; do [ -f "$f" ] || continue; n=$(basename "$f"); a=$(cat '${db}/available/'"$n" 2>/dev/null) || continue`,
    '    [ "$a" = "$(cat "$f")" ] && continue',
    '    if [ -n "$simulate" ]; then echo "Inst $n [$(cat "$f")] ($a)"; else printf %s "$a" > "$f"; fi',
    "  done",
    "fi",
  ].join("\n"));
  fakeProgram(dir, "dpkg-deb", [logCall("dpkg-deb"), 'cat "$2"'].join("\n"));
  fakeProgram(dir, "rpm", [
    logCall("rpm"),
    'for n in "$@"; do case "$n" in -*|%*) continue ;; esac',
    `  if [ -f '${db}/installed/'"$n" ]; then printf '%s\\t%s\\n' "$n" "$(cat '${db}/installed/'"$n")"; else echo "package $n is not installed"; fi`,
    "done",
  ].join("\n"));
  fakeProgram(dir, "dnf", [
    logCall("dnf"),
    install,
    'case "$1" in',
    '  install|upgrade) shift; for a in "$@"; do case "$a" in -*) ;; *) install_one "$a" ;; esac; done ;;',
    `  remove) shift; for a in "$@"; do case "$a" in -*) ;; *) rm -f '${db}/installed/'"$a" ;; esac; done ;;`,
    "esac",
  ].join("\n"));
  return {
    /** The calls made, one line each: program and arguments. */
    calls: () => readFileSync(log, "utf8").split("\n").filter(Boolean),
    clearCalls: () => writeFileSync(log, ""),
    /** name -> installed version. */
    installed: () => Object.fromEntries(readdirSync(join(db, "installed")).map((n) => [n, readFileSync(join(db, "installed", n), "utf8")])),
  };
}
