import { afterEach, expect, test } from "bun:test";
import { join } from "node:path";
import { buildDashboard } from "../../../artifacts/dashboard/build_dashboard.ts";
import { scriptSafeJson } from "../../../artifacts/dashboard/render_html.ts";
import { loadPolicy } from "../../../artifacts/store/policy.ts";
import { addBenchFamily, seed001Tree } from "../../helpers/dashboard_trees.ts";
import { tempDir } from "../../helpers/temp_dir.ts";

let tmp: ReturnType<typeof tempDir>;
afterEach(() => tmp.remove());

function build(root: string) {
  const { policy, diagnostics } = loadPolicy(root);
  expect(diagnostics).toEqual([]);
  return buildDashboard(root, policy!, { now: new Date("2025-09-08T00:00:00Z") });
}

test("a seed-001 tree gives one card per product with seed 001's badge for each broken artifact", () => {
  tmp = tempDir();
  seed001Tree(tmp.dir);
  const model = build(tmp.dir);
  const card = (id: string) => model.families.find((f) => f.key === `product:${id}`)!;
  expect(model.families.map((f) => [f.name, f.status])).toEqual([
    ["garbled", "error"], ["ledger", "error"], ["nexus", "error"], ["Code Monkeys Dash", "pass"], ["oracle", "pass"],
  ]);
  expect(card("nexus").badges).toEqual([{ kind: "missing", message: "Missing artifact: runs/nexus/last_run.json" }]);
  expect(card("ledger").badges).toEqual([{ kind: "invalid", message: 'Invalid artifact: runs/ledger/last_run.json: /status must be one of "pass", "fail", not "maybe"' }]);
  expect(card("garbled").badges[0]!.message).toStartWith("Invalid artifact: runs/garbled/last_run.json: not JSON");
  expect(card("oracle").badges).toEqual([{ kind: "unsupported_version", message: "Unsupported schema version: 0.9" }]);
  // Best effort for the unknown version: its summary and fields are still shown.
  expect(card("oracle").summary).toBe("from the future");
  expect(card("oracle").fields).toEqual([{ label: "Quantum budget", value: "7" }]);
  expect(model.badges).toEqual([]);
});

test("a product's unknown fields are labelled values, its screenshot a thumbnail, its run folders its history", () => {
  tmp = tempDir();
  seed001Tree(tmp.dir);
  const dash = build(tmp.dir).families.find((f) => f.key === "product:dash")!;
  expect(dash.fields).toEqual([
    { label: "Banana economy", value: '{"bananas_spent":42,"budget":100}' },
    { label: "Kill switch", value: "false" },
    { label: "Pr wave", value: "3" },
  ]);
  expect(dash.summary).toBe("12 passed, 0 failed");
  expect(dash.product_status).toBe("active");
  expect(dash.screenshot?.path).toBe("runs/dash/20250907_101500/screenshot.png");
  expect(dash.screenshot?.data_uri).toStartWith("data:image/png;base64,iVBOR");
  expect(dash.history).toEqual(["20250907_101500", "20250906_101500", "20250905_101500"].map((id) => `product:dash/runs/dash/${id}`));
  expect(dash.last?.started_at).toBe("2025-09-07T10:15:00.000Z");
  expect(dash.evidence).toContain("runs/dash/20250907_101500/evidence/coverage.txt");
  expect(new Set(dash.evidence).size).toBe(dash.evidence.length);
});

test("products.json and the schemas missing are badges of the page, and the products under runs/ still show", () => {
  tmp = tempDir({ "schemas/last_run.schema.json": "{ not json", "runs/solo/last_run.json": JSON.stringify({ schema_version: "0.1", run_id: "r1", status: "fail", summary: "1 failed", evidence_paths: [] }) });
  const model = build(tmp.dir);
  expect(model.badges.map((b) => b.message)).toEqual([
    "Missing artifact: schemas/products.schema.json",
    "Missing artifact: products.json",
    expect.stringContaining("Invalid artifact: schemas/last_run.schema.json: not JSON") as unknown as string,
  ]);
  expect(model.families.map((f) => [f.name, f.status, f.badges.map((b) => b.message)])).toEqual([["solo", "fail", ["Missing artifact: runs/solo/r1/"]]]);
});

test("an artifacts.yaml family shows each matched folder as a run, with the status file's values", () => {
  tmp = tempDir();
  addBenchFamily(tmp.dir);
  const model = build(tmp.dir);
  const bench = model.families.find((f) => f.key === "glob:bench")!;
  expect(bench.status).toBe("fail");
  expect(bench.last?.id).toBe("bench/20260102_120000");
  expect(bench.last_pass?.id).toBe("bench/20260101_120000");
  expect(bench.fields).toContainEqual({ label: "Regression", value: "p99 over budget" });
  expect(bench.evidence).toEqual(["bench/20260102_120000/flamegraph.svg", "bench/20260102_120000/summary.json"]);
});

test("a directory that does not exist is a page badge, not a failure", () => {
  tmp = tempDir();
  const model = build(join(tmp.dir, "nothing"));
  expect(model.families).toEqual([]);
  expect(model.badges[0]!.message).toStartWith(`Missing artifact: ${join(tmp.dir, "nothing")}`);
});

test("the model embedded in the page cannot close its script element", () => {
  const json = scriptSafeJson({ text: "</script><script>alert(1)</script><!--", sep: "\u2028" });
  expect(json).not.toContain("<");
  expect(JSON.parse(json)).toEqual({ text: "</script><script>alert(1)</script><!--", sep: "\u2028" });
});
