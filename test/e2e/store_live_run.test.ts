import { afterEach, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BINARY, runBinary } from "../helpers/run_binary.ts";
import { runId, writeRun } from "../helpers/artifact_store.ts";
import { tempDir } from "../helpers/temp_dir.ts";

let tmp: ReturnType<typeof tempDir>;
let running: Bun.Subprocess | undefined;
afterEach(async () => {
  // Lets a run that a failed assertion left waiting end on its own.
  writeFileSync(tmp.path("go"), "");
  await running?.exited;
  running = undefined;
  tmp.remove();
});

// Enough output before the wait that events.jsonl is over compaction's minimum.
const LIVE = `
- name: Chatty
  shell: "seq 1 3000"
- name: Wait for the test
  shell: "while [ ! -e go ]; do sleep 0.05; done"
- name: After
  shell: echo after
`;

/** Starts a real run and waits until it sits in its second step, its lock held. */
async function startLiveRun() {
  tmp = tempDir({ "site.yml": LIVE });
  const root = tmp.path(".mooncake");
  for (let i = 0; i < 3; i++) writeRun(root, { id: runId(i), status: "pass", rootFile: "/srv/site.yml" });
  writeFileSync(join(root, "artifacts.yaml"), "compaction:\n  jsonl: {min_size_kb: 1}\n");
  const child = Bun.spawn([BINARY, "run", "-c", "site.yml", "--raw"], { cwd: tmp.dir, env: { PATH: process.env.PATH ?? "", HOME: tmp.dir }, stdout: "ignore", stderr: "pipe" });
  running = child;
  for (;;) {
    const live = readdirSync(join(root, "runs")).find((n) => !n.startsWith("20260204") && /^\d{8}-/.test(n));
    const events = live && existsSync(join(root, "runs", live, "events.jsonl")) ? readFileSync(join(root, "runs", live, "events.jsonl"), "utf8") : "";
    if (live && events.includes('"step_id":"step-0002"')) return { child, root, dir: join(root, "runs", live), id: live };
    if (child.exitCode !== null) throw new Error(`mooncake exited early with ${child.exitCode}: ${await new Response(child.stderr).text()}`);
    await Bun.sleep(20);
  }
}

test("compact --apply, gc --apply and scan leave a live run alone, and it finishes whole", async () => {
  const { child, root, dir, id } = await startLiveRun();
  const mooncake = (...args: string[]) => runBinary(["artifacts", ...args], { cwd: tmp.dir });

  const list = mooncake("list");
  expect(list.stdout).toMatch(new RegExp(`${id}\\s+site\\.yml\\s+\\S+ \\S+\\s+\\S+\\s+incomplete\\*!`));
  expect(mooncake("compact", "--apply").exitCode).toBe(0);
  expect(existsSync(join(dir, "events.jsonl"))).toBe(true);
  expect(existsSync(join(dir, "events.jsonl.mcz"))).toBe(false);
  const gc = mooncake("gc", "--keep", "0", "--apply", "--force");
  expect(gc.exitCode).toBe(0);
  expect(gc.stdout).toMatch(new RegExp(`\\+\\s+${id}\\s+site\\.yml\\s+kept: run in progress`));
  expect(existsSync(dir)).toBe(true);
  expect(mooncake("scan").exitCode).toBe(0);
  const manifest = JSON.parse(readFileSync(join(root, ".manifest.json"), "utf8"));
  const entry = manifest.entries.find((e: { id: string }) => e.id === id);
  expect(entry.locked).toBe(true);
  expect(entry.files.map((f: { path: string }) => f.path)).not.toContain(`runs/${id}/run.lock`);

  writeFileSync(tmp.path("go"), "");
  expect(await child.exited).toBe(0);
  const types = readFileSync(join(dir, "events.jsonl"), "utf8").trimEnd().split("\n").map((l) => JSON.parse(l).type);
  expect(types.at(-1)).toBe("run.finished");
  expect(existsSync(join(dir, "summary.json"))).toBe(true);
  // The manifest still holds the run as it was mid-way: verify says so rather than calling its files damaged.
  const early = mooncake("verify");
  expect(early.exitCode).toBe(0);
  expect(early.stdout).toContain(`note: runs/${id} was in progress when scanned: its files were not checked; run \`mooncake artifacts scan\` to record it\n`);
  expect(mooncake("scan").exitCode).toBe(0);
  expect(mooncake("verify").stdout).toStartWith("✓ ");
}, 30_000);
