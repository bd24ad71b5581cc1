import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { runBinary } from "./run_binary.ts";

/** A 16x16 PNG gradient: a screenshot small enough to embed as a thumbnail. */
export const TINY_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAABuklEQVR42g3LEaKFQAAAwH+cd4AO0AGCcDEIwsWBIFwMgnAxCMLFIAg7QIf5jc/fz125a3fjDu7eHd2jO7kXd3bv7uK+3I/7df/9nJWzdjbO4Oyd0Tk6k3NxZufuLM7L+Thf5xdKpdRKowSlV6IyKklZlKzsSlEu5VFe5QtH5agdjSM4ekd0jI7kWBzZsTuK43I8jtfxha2y1bbGFmy9LdpGW7IttmzbbcV22R7ba/tCruRabuQg93KURznJi5zlXS7yJT/yK39hray1tbEGa2+N1tGarIs1W3drsV7Wx/pavzBX5trcmIO5N0fzaE7mxZzNu7mYL/Njfs1fSJVUS40UpF6K0iglaZGytEtFuqRHeqUvTJWpNjWmYOpN0TSakmkxZdNuKqbL9Jhe0xdU1DQEeiIjiYXMTuHi4eULsRJrsRGD2ItRHMUkLmIWd7GIl/iIr/iFoTLUhsYQDL0hGkZDMiyGbNgNxXAZHsNr+EJX6Wpdowu6Xhd1oy7pFl3W7bqiu3SP7tV9IVRCLTRCEHohCqOQhEXIwi4U4RIe4RW+0FbaWttog7bXRu2oTdpFm7W7tmgv7aN9tf/avoYQsiFFKQAAAABJRU5ErkJggg==",
  "base64",
);

function write(root: string, rel: string, content: string | Uint8Array): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), content);
}

/**
 * Real mooncake runs, made by the compiled binary in `dir` (artifacts in `dir/.mooncake`):
 * `ok.yml` passes `passes` times, then `site.yml` fails at its "Deploy app" step, whose stderr
 * holds markup that must show as text. Returns the artifacts directory.
 */
export function recordRuns(dir: string, passes = 2): string {
  write(dir, "ok.yml", "- name: Say hi\n  shell: echo hi\n");
  write(dir, "site.yml", [
    "- name: Write motd",
    `  file: {path: ${join(dir, "out", "motd")}, state: file, content: "hello\\n"}`,
    "- name: Deploy app",
    "  shell: \"echo building; echo 'error: <img src=x onerror=alert(1)></script> cannot reach db' >&2; exit 3\"",
    "",
  ].join("\n"));
  for (let i = 0; i < passes; i++) expectExit(runBinary(["run", "--config", "ok.yml"], { cwd: dir }), 0);
  expectExit(runBinary(["run", "--config", "site.yml"], { cwd: dir }), 3);
  return join(dir, ".mooncake");
}

function expectExit(result: { exitCode: number; stderr: string }, code: number): void {
  if (result.exitCode !== code) throw new Error(`mooncake run exited ${result.exitCode}, not ${code}: ${result.stderr}`);
}

/** Adds an artifacts.yaml family `bench` (glob bench/*) with two result folders to a tree. */
export function addBenchFamily(root: string): void {
  write(root, "artifacts.yaml", "families:\n  bench: {glob: \"bench/*\"}\n");
  write(root, "bench/20260101_120000/summary.json", JSON.stringify({ status: "pass", throughput_rps: 1840, p99_ms: 12.5 }));
  write(root, "bench/20260102_120000/summary.json", JSON.stringify({ status: "fail", throughput_rps: 910, p99_ms: 48.1, regression: "p99 over budget" }));
  write(root, "bench/20260102_120000/flamegraph.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
}

const LAST_RUN_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  required: ["schema_version", "run_id", "status", "summary", "evidence_paths"],
  properties: {
    schema_version: { type: "string" },
    run_id: { type: "string" },
    status: { enum: ["pass", "fail"] },
    summary: { type: "string" },
    evidence_paths: { type: "array", items: { type: "string" } },
    banana_economy: { type: "object" },
    kill_switch: { type: "boolean" },
    pr_wave: { type: "integer" },
  },
};

const PRODUCTS_SCHEMA = {
  type: "object",
  required: ["schema_version", "products"],
  properties: {
    schema_version: { type: "string" },
    products: { type: "array", items: { type: "object", required: ["id", "name", "status"] } },
  },
};

/**
 * A seed-001 tree (products.json, its schemas, runs/<product>/last_run.json and run folders) with
 * one healthy product and one of each problem: `dash` passes (unknown fields, a screenshot, two
 * older runs), `nexus` has no last_run.json, `ledger` fails its schema, `oracle` has an unknown
 * schema_version, `garbled` is not JSON.
 */
export function seed001Tree(root: string): void {
  write(root, "schemas/last_run.schema.json", JSON.stringify(LAST_RUN_SCHEMA, null, 2));
  write(root, "schemas/products.schema.json", JSON.stringify(PRODUCTS_SCHEMA, null, 2));
  write(root, "products.json", JSON.stringify({
    schema_version: "0.1",
    products: ["dash", "nexus", "ledger", "oracle", "garbled"].map((id) => ({ id, name: id === "dash" ? "Code Monkeys Dash" : id, status: id === "oracle" ? "beta" : "active" })),
  }, null, 2));
  const run = (product: string, runId: string, status: string) => {
    write(root, `runs/${product}/${runId}/pytest_output.log`, `==== 12 passed in 3.2s ====\n`);
    write(root, `runs/${product}/${runId}/test-report.json`, JSON.stringify({ status, tests: 12 }));
  };
  run("dash", "20250905_101500", "fail");
  run("dash", "20250906_101500", "pass");
  run("dash", "20250907_101500", "pass");
  write(root, "runs/dash/20250907_101500/screenshot.png", TINY_PNG);
  write(root, "runs/dash/20250907_101500/evidence/coverage.txt", "91%\n");
  write(root, "runs/dash/last_run.json", JSON.stringify({
    schema_version: "0.1", run_id: "20250907_101500", status: "pass", summary: "12 passed, 0 failed",
    evidence_paths: ["runs/dash/20250907_101500/pytest_output.log"],
    banana_economy: { bananas_spent: 42, budget: 100 }, kill_switch: false, pr_wave: 3,
  }, null, 2));
  run("ledger", "20250907_090000", "fail");
  write(root, "runs/ledger/last_run.json", JSON.stringify({
    schema_version: "0.1", run_id: "20250907_090000", status: "maybe", summary: "flaky", evidence_paths: [],
  }));
  run("oracle", "20250907_080000", "pass");
  write(root, "runs/oracle/last_run.json", JSON.stringify({
    schema_version: "0.9", run_id: "20250907_080000", status: "pass", summary: "from the future", quantum_budget: 7,
  }));
  write(root, "runs/garbled/last_run.json", "{\"schema_version\": \"0.1\", \"run_id\": ");
}
