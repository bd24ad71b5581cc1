import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, lstatSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { recordRuns } from "../helpers/dashboard_trees.ts";
import { runBinary } from "../helpers/run_binary.ts";
import { tempDir } from "../helpers/temp_dir.ts";

// One tree of real runs for every test here: two passes of ok.yml, then a failed site.yml.
let tmp: ReturnType<typeof tempDir>;
let artifacts: string;
beforeAll(() => {
  tmp = tempDir();
  artifacts = recordRuns(tmp.dir, 2);
}, 60_000);
afterAll(() => tmp.remove());

test("dashboard --format json prints the model: a card per config, the failed step, the runs newest first", () => {
  const result = runBinary(["dashboard", "--artifacts-dir", artifacts, "--format", "json"]);
  expect(result.exitCode).toBe(0);
  expect(result.stderr).toBe("");
  const model = JSON.parse(result.stdout);
  expect(model.schema_version).toBe(1);
  expect(model.families.map((f: any) => [f.name, f.status, f.runs_total])).toEqual([["site.yml", "fail", 1], ["ok.yml", "pass", 2]]);
  const site = model.families[0];
  expect(site.failed_step).toMatchObject({ step_id: "step-0002", name: "Deploy app", error_kind: "exit_code" });
  expect(site.failed_step.message).toContain("cannot reach db");
  expect(site.failed_step.stderr).toBe("error: <img src=x onerror=alert(1)></script> cannot reach db");
  expect(site.changed_files.map((f: any) => [f.operation, f.path])).toEqual([["created", join(tmp.dir, "out")], ["created", join(tmp.dir, "out", "motd")]]);
  const history = JSON.parse(readFileSync(join(artifacts, "runs", "history.jsonl"), "utf8").split("\n")[0]!);
  expect(model.runs.at(-1).id).toBe(history.run_id);
  const detail = model.details[site.last.key];
  expect(detail.steps.map((s: any) => [s.step_id, s.status])).toEqual([["step-0001", "changed"], ["step-0002", "failed"]]);
  expect(detail.events.map((e: any) => e.type)).toEqual([
    "run.started", "plan.built", "step.started", "file.changed", "file.changed", "step.finished", "step.started", "step.finished", "run.finished",
  ]);
});

test("dashboard writes one HTML file with the model inline, replacing a link at the output path rather than writing through it", () => {
  const target = join(tmp.dir, "victim.txt");
  writeFileSync(target, "keep me");
  const output = join(tmp.dir, "page.html");
  symlinkSync(target, output);
  const result = runBinary(["dashboard", "--artifacts-dir", artifacts, "--output", output]);
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toMatch(/^Wrote .*page\.html \(2 families, 3 runs, \d+ KB\)\n$/);
  expect(readFileSync(target, "utf8")).toBe("keep me");
  expect(lstatSync(output).isFile()).toBe(true);
  const html = readFileSync(output, "utf8");
  expect(html).toStartWith("<!doctype html>");
  expect(html).toContain(`content="default-src 'none';`);
  expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
  expect(html).not.toContain("<img src=x");
  const packed = /id="dashboard-model" data-encoding="gzip\+base64">([A-Za-z0-9+/=]+)</.exec(html)![1]!;
  const model = JSON.parse(new TextDecoder().decode(Bun.gunzipSync(Buffer.from(packed, "base64"))));
  expect(model.families.map((f: { name: string }) => f.name)).toEqual(["site.yml", "ok.yml"]);
});

test("dashboard refuses options that do not go together, and an invalid policy, with exit 2", () => {
  expect(runBinary(["dashboard", "--artifacts-dir", artifacts, "--port", "9000"])).toMatchObject({ exitCode: 2 });
  expect(runBinary(["dashboard", "--artifacts-dir", artifacts, "--serve", "--format", "json"])).toMatchObject({ exitCode: 2 });
  const bad = tempDir({ "artifacts.yaml": "families:\n  bench: {glob: 3}\n" });
  try {
    const result = runBinary(["dashboard", "--artifacts-dir", bad.dir, "--format", "json"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("artifacts.yaml:2:");
  } finally {
    bad.remove();
  }
});

test("dashboard of a directory with no runs writes a page that says so, and warns", () => {
  const output = join(tmp.dir, "empty.html");
  const result = runBinary(["dashboard", "--artifacts-dir", join(tmp.dir, "none"), "--output", output]);
  expect(result.exitCode).toBe(0);
  expect(result.stderr).toStartWith(`warning: Missing artifact: ${join(tmp.dir, "none")}`);
  expect(existsSync(output)).toBe(true);
});
