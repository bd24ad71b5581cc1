// The artifact store: a store of RUNS (default 10,000) runs, about 100,000 files, timed for
// scan, list and the gc plan against `find | xargs sha256sum`; then compaction of a MB (default
// 100) events.jsonl of realistic events against gzip -9 and zstd -19 (target: 50 MB/s, and
// expand byte-identical). Runs alone or from all.ts.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compactBytes, expandBytes } from "../../artifacts/compact/compacted_file.ts";
import { runId, writeRun } from "../../test/helpers/artifact_store.ts";
import { type Bench, measure, printTable, type Row, timeRow } from "./measure.ts";

const binary = join(import.meta.dir, "..", "..", "dist", "mooncake");

export const run: Bench = async () => {
  const runs = Number(process.env.STORE_RUNS ?? 10_000);
  const megabytes = Number(process.env.EVENTS_MB ?? 100);
  const dir = mkdtempSync(join(tmpdir(), "mooncake-bench-"));
  const root = join(dir, ".mooncake");
  const rows: Row[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const run = writeRun(root, { id: runId(i, (i % 0xffffff).toString(16).padStart(6, "0")), status: i % 7 === 0 ? "fail" : "pass", rootFile: `/srv/config-${i % 5}.yml`, events: 20 });
      mkdirSync(join(run, "logs"), { recursive: true });
      writeFileSync(join(run, "stdout.log"), `[step-0001] ok ${i}\n`.repeat(40));
      writeFileSync(join(run, "stderr.log"), "");
      writeFileSync(join(run, "logs", "a.log"), `a ${i}\n`);
    }
    const baseline = measure("find | xargs sha256sum", ["sh", "-c", `find ${root} -type f -print0 | xargs -0 sha256sum > /dev/null`], 3);
    const scan = measure("artifacts scan --force", [binary, "artifacts", "scan", "--force", "--root", root], 3);
    const rescan = measure("artifacts scan (unchanged)", [binary, "artifacts", "scan", "--root", root], 3);
    const list = measure("artifacts list", [binary, "artifacts", "list", "--root", root], 3);
    const gc = measure("artifacts gc (plan)", [binary, "artifacts", "gc", "--root", root], 3);
    rows.push(timeRow(baseline), ...[scan, rescan, list, gc].map((m) => timeRow(m, baseline)));

    const events = join(dir, "events.jsonl");
    const lines: string[] = [];
    let size = 0;
    let t = Date.UTC(2026, 1, 4, 14, 14, 19);
    const packages = ["nginx", "postgresql-16", "redis-server", "python3-pip", "libssl3", "curl", "git", "openssh-server"];
    for (let i = 0; size < megabytes * 1e6; i++) {
      t += (i * 7919) % 37;
      const step = `step-${String(1 + Math.floor(i / 50)).padStart(4, "0")}`;
      const kind = i % 50 === 0 ? "step.started" : i % 50 === 49 ? "step.finished" : i % 9 === 0 ? "step.stderr" : "step.stdout";
      const pkg = packages[(i * 31) % packages.length]!;
      const data = kind === "step.started" ? { name: `Install ${pkg}`, action: "shell", become: true }
        : kind === "step.finished" ? { status: i % 13 ? "changed" : "ok", rc: 0, duration_ms: (i * 37) % 5000 }
        : kind === "step.stderr" ? { line: `W: ${pkg}: deprecated option at line ${i % 400}` }
        : { line: `Setting up ${pkg} (${1 + (i % 4)}.${i % 17}.${i % 5}-${1 + (i % 3)}ubuntu${i % 2}) ... ${(i * 2654435761) % 100000}` };
      const line = JSON.stringify({ schema_version: 1, type: kind, run_id: "20260204-141419-a3f2c8", seq: i, timestamp: new Date(t).toISOString(), step_id: step, data });
      lines.push(line);
      size += line.length + 1;
    }
    writeFileSync(events, `${lines.join("\n")}\n`);
    const original = readFileSync(events);
    const started = performance.now();
    const { bytes } = compactBytes(original, { jsonl: true, dictThreshold: 5 });
    const seconds = (performance.now() - started) / 1000;
    const expandStarted = performance.now();
    const identical = Buffer.from(expandBytes(bytes)).equals(original);
    const expandSeconds = (performance.now() - expandStarted) / 1000;
    const mb = original.length / 1e6;
    const tool = (label: string, command: string, output: string) => {
      const start = performance.now();
      Bun.spawnSync(["sh", "-c", command], { stdout: "ignore" });
      return { label, size: statSync(output).size, s: (performance.now() - start) / 1000 };
    };
    const gzip = tool("gzip -9", `gzip -9 -c ${events} > ${events}.gz`, `${events}.gz`);
    const zstd = tool("zstd -19", `zstd -19 -q -f ${events} -o ${events}.zst`, `${events}.zst`);
    if (!identical) throw new Error("artifacts compact: expand is not byte-identical");
    const label = `compact ${mb.toFixed(0)} MB events.jsonl`;
    rows.push(
      { figure: `${label}: size`, value: bytes.length / 1e6, unit: "MB", baseline: { label: zstd.label, value: zstd.size / 1e6 } },
      { figure: `${label}: size`, value: bytes.length / 1e6, unit: "MB", baseline: { label: gzip.label, value: gzip.size / 1e6 } },
      { figure: `${label}: time vs target (50 MB/s)`, value: seconds * 1000, unit: "ms", baseline: { label: "target", value: (mb / 50) * 1000 } },
      { figure: `expand ${mb.toFixed(0)} MB (byte-identical)`, value: expandSeconds * 1000, unit: "ms", baseline: { label: "target", value: (mb / 50) * 1000 } },
    );
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

if (import.meta.main) printTable(await run());
