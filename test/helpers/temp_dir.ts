import { afterEach } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A fresh temporary directory with `files` written into it; `remove()` deletes it. */
export function tempDir(files: Record<string, string | Uint8Array> = {}): { dir: string; path: (p: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "mooncake-test-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return { dir, path: (p) => join(dir, p), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Call at the top of a test file: returns `tempDir`, each directory it makes removed after its test. */
export function tempDirPerTest(): typeof tempDir {
  let made: (() => void)[] = [];
  afterEach(() => {
    for (const remove of made) remove();
    made = [];
  });
  return (files) => {
    const tmp = tempDir(files);
    made.push(tmp.remove);
    return tmp;
  };
}
