import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Writes an executable shell script named `name` into `dir` (a directory put first on PATH),
 * standing in for a system tool a test machine lacks: nvidia-smi, systemctl, launchctl.
 */
export function fakeProgram(dir: string, name: string, script: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** A shell command printing `text` exactly, with builtins only (tests may run with a bare PATH). */
export function printText(text: string): string {
  return `printf '%s\\n' ${text.split("\n").map(shellQuote).join(" ")}`;
}

export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
