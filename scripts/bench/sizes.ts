// Binary sizes: every file `make dist` built, against the bare Bun runtime it is built on (the
// difference is mooncake itself). Runs alone (`bun run scripts/bench/sizes.ts`) or from all.ts.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { cachedRuntimePath } from "../bun_runtime.ts";
import { hostTarget, TARGETS } from "../targets.ts";
import { type Bench, BenchSkipped, printTable, type Row } from "./measure.ts";

const dist = join(import.meta.dir, "..", "..", "dist");
const mb = (path: string) => statSync(path).size / (1024 * 1024);

export const run: Bench = async (emit) => {
  const host = hostTarget().name;
  const rows: Row[] = [];
  for (const target of TARGETS) {
    const file = join(dist, target.file);
    if (!existsSync(file)) continue;
    const runtime = target.name === host ? process.execPath : cachedRuntimePath(target);
    const baseline = existsSync(runtime) ? { label: "bun runtime", value: mb(runtime) } : undefined;
    const row: Row = { figure: `size of dist/${target.file}`, value: mb(file), unit: "MB", baseline };
    rows.push(row);
    emit?.(row);
  }
  if (rows.length === 0) throw new BenchSkipped("no platform binaries in dist/ (make dist builds them)");
  return rows;
};

if (import.meta.main) printTable(await run());
