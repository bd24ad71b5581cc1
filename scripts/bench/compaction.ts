// Compaction of a MB (default 100) events.jsonl of realistic events, through the binary
// (MOONCAKE=path to measure another build): `artifacts compact --apply` and `artifacts cat` of the
// result, timed with their peak RSS, beside `zstd -19` and `zstd -d` on the same file. Targets
// (issue 14): at least 50 MB/s compacting, peak RSS under 200 MB, expanding within 2x of zstd -d,
// a smaller file than zstd -19's. Peak RSS is read by /usr/bin/time: a child's own maxRSS
// counts the pages of this process it was forked from, which holds the whole file.
import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runId, writeRun } from "../../test/helpers/artifact_store.ts";
import { type Bench, printTable } from "./measure.ts";

const binary = process.env.MOONCAKE ?? join(import.meta.dir, "..", "..", "dist", "mooncake");

/** One timed run of `argv` with its peak RSS and CPU seconds; throws on a non-zero exit. */
function once(label: string, argv: string[], cwd: string, stdout = "ignore" as "ignore" | "pipe") {
  const start = performance.now();
  const result = Bun.spawnSync(["/usr/bin/time", "-f", "%M", ...argv], { cwd, stdout, stderr: "pipe" });
  const seconds = (performance.now() - start) / 1000;
  if (result.exitCode !== 0) throw new Error(`${label}: exit ${result.exitCode}: ${result.stderr.toString()}`);
  const usage = result.resourceUsage;
  const cpu = usage ? (Number(usage.cpuTime.user) + Number(usage.cpuTime.system)) / 1e6 : seconds;
  const rssKb = Number(result.stderr.toString().trim().split("\n").pop());
  return { seconds, cpu, rssMb: rssKb / 1024, stdout: result.stdout };
}

export function writeEvents(path: string, megabytes: number): void {
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
  writeFileSync(path, `${lines.join("\n")}\n`);
}

export const run: Bench = async () => {
  const megabytes = Number(process.env.EVENTS_MB ?? 100);
  const dir = mkdtempSync(join(tmpdir(), "mooncake-bench-compact-"));
  try {
    const root = join(dir, ".mooncake");
    const events = join(writeRun(root, { id: runId(0), status: "pass" }), "events.jsonl");
    writeEvents(join(dir, "events.jsonl"), megabytes);
    copyFileSync(join(dir, "events.jsonl"), events);
    const mb = statSync(events).size / 1e6;
    const compact = once("artifacts compact --apply", [binary, "artifacts", "compact", "--apply"], dir);
    const compacted = statSync(`${events}.mcz`).size;
    const cat = once("artifacts cat", ["sh", "-c", `${binary} artifacts cat ${events} > /dev/null`], dir);
    const startup = once("artifacts cat of a small file", ["sh", "-c", `${binary} artifacts cat ${join(dirname(events), "summary.json")} > /dev/null`], dir);
    const catRss = once("artifacts cat (rss)", [binary, "artifacts", "cat", events], dir, "pipe");
    if (new Bun.CryptoHasher("sha256").update(catRss.stdout ?? "").digest("hex") !== new Bun.CryptoHasher("sha256").update(await Bun.file(join(dir, "events.jsonl")).bytes()).digest("hex")) {
      throw new Error("artifacts cat is not byte-identical to the original");
    }
    const zstd = once("zstd -19", ["zstd", "-19", "-q", "-f", join(dir, "events.jsonl"), "-o", join(dir, "e.zst")], dir);
    const unzstd = once("zstd -d", ["sh", "-c", `zstd -d -q -c ${join(dir, "e.zst")} > /dev/null`], dir);
    const label = `compact ${mb.toFixed(0)} MB events.jsonl`;
    return [
      { figure: `${label}: size`, value: compacted / 1e6, unit: "MB", baseline: { label: "zstd -19", value: statSync(join(dir, "e.zst")).size / 1e6 } },
      { figure: `${label}: wall time`, value: compact.seconds * 1000, unit: "ms", baseline: { label: "target 50 MB/s", value: (mb / 50) * 1000 } },
      { figure: `${label}: CPU time`, value: compact.cpu * 1000, unit: "ms", baseline: { label: "zstd -19 CPU", value: zstd.cpu * 1000 } },
      { figure: `${label}: peak RSS`, value: compact.rssMb, unit: "MB", baseline: { label: "target", value: 200 } },
      { figure: `cat ${mb.toFixed(0)} MB (byte-identical): wall time`, value: cat.seconds * 1000, unit: "ms", baseline: { label: "zstd -d", value: unzstd.seconds * 1000 } },
      { figure: `cat ${mb.toFixed(0)} MB: CPU time`, value: cat.cpu * 1000, unit: "ms", baseline: { label: "zstd -d CPU", value: unzstd.cpu * 1000 } },
      { figure: "cat of a small file (startup): CPU time", value: startup.cpu * 1000, unit: "ms", baseline: { label: "zstd -d CPU", value: unzstd.cpu * 1000 } },
      { figure: `cat ${mb.toFixed(0)} MB: peak RSS`, value: catRss.rssMb, unit: "MB", baseline: { label: "target", value: 200 } },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

if (import.meta.main) printTable(await run());
