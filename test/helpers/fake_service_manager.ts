import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fakeProgram } from "./fake_program.ts";

/**
 * A fake `systemctl` on PATH: appends each call's arguments to `calls.log` and answers
 * is-active / is-enabled from `state` (lines such as "active nginx.service"), which
 * start/stop/enable/disable update.
 */
export function fakeSystemctl(dir: string, state: readonly string[] = []) {
  const log = join(dir, "calls.log");
  const stateFile = join(dir, "state");
  writeFileSync(stateFile, state.map((l) => `${l}\n`).join(""));
  writeFileSync(log, "");
  const set = (line: string) => `echo '${line}' >> '${stateFile}'`;
  const unset = (line: string) => `grep -vx "${line}" '${stateFile}' > '${stateFile}.tmp'; mv '${stateFile}.tmp' '${stateFile}'`;
  fakeProgram(dir, "systemctl", [
    `echo "$*" >> '${log}'`,
    'case "$1" in',
    `  is-active) if grep -qx "active $2" '${stateFile}'; then echo active; else echo inactive; exit 3; fi ;;`,
    `  is-enabled) if grep -qx "enabled $2" '${stateFile}'; then echo enabled; else echo disabled; exit 1; fi ;;`,
    `  start|restart) ${unset("active $2")}; ${set("active $2").replace("'active $2'", '"active $2"')} ;;`,
    `  stop) ${unset("active $2")} ;;`,
    `  enable) ${set("enabled $2").replace("'enabled $2'", '"enabled $2"')} ;;`,
    `  disable) ${unset("enabled $2")} ;;`,
    "esac",
  ].join("\n"));
  return { calls: () => readFileSync(log, "utf8").split("\n").filter(Boolean), clearCalls: () => writeFileSync(log, "") };
}

/** A fake `launchctl`: logs calls; `print` succeeds for labels listed in `loaded`; `print-disabled` lists `disabled`. */
export function fakeLaunchctl(dir: string, loaded: readonly string[] = [], disabled: readonly string[] = []) {
  const log = join(dir, "calls.log");
  writeFileSync(log, "");
  const loadedFile = join(dir, "loaded");
  writeFileSync(loadedFile, loaded.map((l) => `${l}\n`).join(""));
  const listing = disabled.map((l) => `\t"${l}" => disabled`).join("\\n");
  fakeProgram(dir, "launchctl", [
    `echo "$*" >> '${log}'`,
    'case "$1" in',
    `  print) grep -qx "$2" '${loadedFile}' || { echo "Could not find service" >&2; exit 113; } ;;`,
    `  print-disabled) printf 'disabled services = {\\n${listing}\\n}\\n' ;;`,
    `  bootstrap) echo "$2/$(basename "$3" .plist)" >> '${loadedFile}' ;;`,
    `  bootout) grep -vx "$2" '${loadedFile}' > '${loadedFile}.tmp'; mv '${loadedFile}.tmp' '${loadedFile}' ;;`,
    "esac",
  ].join("\n"));
  return { calls: () => readFileSync(log, "utf8").split("\n").filter(Boolean), clearCalls: () => writeFileSync(log, "") };
}
