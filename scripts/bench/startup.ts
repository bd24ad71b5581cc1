// Startup: `mooncake --version` and `validate` of the bundled example, against the floor of
// bun starting an empty script. Target: --version within 3x of the floor.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measure, report } from "./measure.ts";

const root = join(import.meta.dir, "..", "..");
const binary = join(root, "dist", "mooncake");
const runs = Number(process.env.RUNS ?? 30);
const tmp = mkdtempSync(join(tmpdir(), "mooncake-bench-"));
const empty = join(tmp, "empty.js");
writeFileSync(empty, "");

try {
  const floor = measure("bun empty.js (floor)", [process.execPath, empty], runs);
  const rows = [
    floor,
    measure("mooncake --version", [binary, "--version"], runs),
    measure("mooncake validate examples/site.yml", [binary, "validate", "--config", "examples/site.yml"], runs, root),
  ];
  console.log(`startup, median of ${runs} runs`);
  report(rows, floor);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
