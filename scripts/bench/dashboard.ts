// The dashboard: `mooncake dashboard` over trees of 1,000 and DASHBOARD_RUNS (default 10,000)
// real-shaped runs in 10 configs (each a copy of a run the binary recorded, history line
// included), timed against `artifacts list` on the same tree (the store walk the page also does),
// with the page's size. Runs alone or from all.ts; needs dist/mooncake.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recordRuns } from "../../test/helpers/dashboard_trees.ts";
import { type Bench, measure, printTable, type Row, timeRow } from "./measure.ts";

const binary = join(import.meta.dir, "..", "..", "dist", "mooncake");
const FAMILIES = 10;

/** Copies the one failed run of `template` `count` times, one hour apart, under ten config names. */
function cloneRuns(template: string, root: string, count: number): void {
  const runs = join(root, "runs");
  mkdirSync(runs, { recursive: true });
  const source = join(template, "runs");
  const templateId = readdirSync(source).find((name) => /^\d{8}-/.test(name) && existsSummary(join(source, name)) && readFileSync(join(source, name, "summary.json"), "utf8").includes('"failed"'))!;
  const files = readdirSync(join(source, templateId)).filter((f) => f !== "run.lock").map((f) => [f, readFileSync(join(source, templateId, f), "utf8")] as const);
  const history: string[] = [];
  const line = JSON.parse(readFileSync(join(source, "history.jsonl"), "utf8").trim().split("\n").at(-1)!);
  for (let i = 0; i < count; i++) {
    const t = new Date(Date.UTC(2025, 0, 1) + i * 3_600_000);
    const id = `${t.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15)}-${(i % FAMILIES).toString(16).padStart(6, "0")}`;
    const rootFile = `/srv/config/site-${i % FAMILIES}.yml`;
    const dir = join(runs, id);
    mkdirSync(dir);
    for (const [name, text] of files) writeFileSync(join(dir, name), text.replaceAll(templateId, id).replaceAll(line.root_file, rootFile));
    const passed = i % 7 !== 0;
    history.push(JSON.stringify({ ...line, run_id: id, root_file: rootFile, start_time: t.toISOString(), status: passed ? "ok" : "failed", duration_ms: 800 + ((i * 7919) % 4000) }));
  }
  writeFileSync(join(runs, "history.jsonl"), `${history.join("\n")}\n`);
}

function existsSummary(dir: string): boolean {
  try {
    return statSync(join(dir, "summary.json")).isFile();
  } catch {
    return false;
  }
}

export const run: Bench = async () => {
  const sizes = [1_000, Number(process.env.DASHBOARD_RUNS ?? 10_000)];
  const dir = mkdtempSync(join(tmpdir(), "mooncake-bench-dashboard-"));
  const rows: Row[] = [];
  try {
    const template = recordRuns(join(dir, "template"), 0);
    for (const count of sizes) {
      const root = join(dir, `runs-${count}`);
      cloneRuns(template, root, count);
      const output = join(dir, `dashboard-${count}.html`);
      const list = measure(`artifacts list, ${count} runs`, [binary, "artifacts", "list", "--root", root], 3);
      const page = measure(`dashboard (html), ${count} runs`, [binary, "dashboard", "--artifacts-dir", root, "--output", output], 3);
      const json = measure(`dashboard --format json, ${count} runs`, [binary, "dashboard", "--artifacts-dir", root, "--format", "json"], 3);
      rows.push(timeRow(list), timeRow(page, list), timeRow(json, list));
      rows.push({ figure: `dashboard.html size, ${count} runs`, value: statSync(output).size / 1024, unit: "KB" });
      rmSync(root, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
};

if (import.meta.main) printTable(await run());
