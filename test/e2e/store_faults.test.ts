import { afterEach, expect, test } from "bun:test";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { artifactChunks } from "../../artifacts/compact/read_artifact.ts";
import { runId, seededRandom, writeRun } from "../helpers/artifact_store.ts";
import { BINARY, runBinary } from "../helpers/run_binary.ts";
import { tempDir } from "../helpers/temp_dir.ts";

/**
 * The fault harness: kill -9 at a random moment of `run`, `gc --apply`, `compact --apply` or
 * `restore`, over a store holding finished runs and a live one; then the next command that takes
 * the lock (`scan`) must leave no temporary file and no lock behind, every original byte must
 * read back (in place or in the trash, compacted or not) and `verify` must pass.
 * FAULT_TRIALS=N runs more trials (npm test runs a few); FAULT_SEED picks another sequence.
 */
const TRIALS = Number(process.env.FAULT_TRIALS ?? 6);
const SEED = Number(process.env.FAULT_SEED ?? 14);

let tmp: ReturnType<typeof tempDir>;
let live: Bun.Subprocess | undefined;
afterEach(async () => {
  writeFileSync(tmp.path("go"), "");
  await live?.exited;
  tmp.remove();
});

const sha = (chunks: Iterable<Uint8Array>) => {
  const hasher = new Bun.CryptoHasher("sha256");
  for (const chunk of chunks) hasher.update(chunk);
  return hasher.digest("hex");
};

/** Where a run's file is now: in place, or in the trash gc moved it to; either form (plain or .mcz) reads the same. */
function readBack(root: string, id: string, name: string): string | undefined {
  for (const dir of [join(root, "runs", id), join(root, ".trash", id, id)]) {
    if (existsSync(join(dir, name)) || existsSync(join(dir, `${name}.mcz`))) return sha(artifactChunks(join(dir, name)));
  }
  return undefined;
}

function leftovers(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && (/\.tmp$/.test(d.name) || d.name === ".store.lock"))
    .map((d) => join(d.parentPath, d.name));
}

test(`kill -9 at random points of run, gc, compact and restore loses no byte and leaves nothing behind (${TRIALS} trials)`, async () => {
  tmp = tempDir({
    "quick.yml": "- name: Talk\n  shell: seq 1 2000\n- name: Again\n  shell: seq 1 2000\n",
    "live.yml": "- name: Wait\n  shell: \"while [ ! -e ../go ]; do sleep 0.05; done\"\n  cwd: .mooncake\n",
  });
  const root = tmp.path(".mooncake");
  const random = seededRandom(SEED);
  const originals = new Map<string, string>();
  for (let i = 0; i < 24; i++) {
    const dir = writeRun(root, { id: runId(i), status: i % 5 === 2 ? "fail" : "pass", events: 1500 + i * 10 });
    for (const name of readdirSync(dir)) originals.set(`${runId(i)}/${name}`, sha(artifactChunks(join(dir, name))));
  }
  writeFileSync(join(root, "artifacts.yaml"), "compaction:\n  jsonl: {min_size_kb: 8}\n");
  live = Bun.spawn([BINARY, "run", "-c", "live.yml", "--raw"], { cwd: tmp.dir, stdout: "ignore", stderr: "ignore" });
  expect(runBinary(["artifacts", "scan"], { cwd: tmp.dir }).exitCode).toBe(0);

  const operations = [
    () => [BINARY, "run", "-c", "quick.yml", "--raw"],
    () => [BINARY, "artifacts", "gc", "--keep", String(2 + Math.floor(random() * 8)), "--apply", "--force"],
    () => [BINARY, "artifacts", "compact", "--apply"],
    () => {
      const trashed = existsSync(join(root, ".trash")) ? readdirSync(join(root, ".trash")).filter((n) => /^\d{8}-/.test(n)) : [];
      return trashed.length ? [BINARY, "artifacts", "restore", "--id", trashed[Math.floor(random() * trashed.length)]!] : [BINARY, "artifacts", "gc", "--keep", "3", "--apply", "--force"];
    },
  ];
  for (let trial = 0; trial < TRIALS; trial++) {
    const argv = operations[Math.floor(random() * operations.length)]!();
    const child = Bun.spawn(argv, { cwd: tmp.dir, stdout: "ignore", stderr: "ignore" });
    await Bun.sleep(Math.floor(random() * 400));
    child.kill(9);
    await child.exited;

    const scan = runBinary(["artifacts", "scan"], { cwd: tmp.dir });
    expect({ trial, argv: argv.slice(1).join(" "), scan: scan.exitCode, stderr: scan.stderr.replace(/^repaired: .*\n/gm, "") }).toEqual({ trial, argv: argv.slice(1).join(" "), scan: 0, stderr: "" });
    expect(leftovers(root)).toEqual([]);
    for (const [key, hash] of originals) {
      const [id, name] = key.split("/") as [string, string];
      expect({ key, hash: readBack(root, id, name) }).toEqual({ key, hash });
    }
    const verify = runBinary(["artifacts", "verify"], { cwd: tmp.dir });
    expect({ trial, verify: verify.exitCode, out: verify.stdout.split("\n").filter((l) => !l.startsWith("note: ") && !l.startsWith("✓")) }).toEqual({ trial, verify: 0, out: [""] });
  }
  // The live run was never touched: it finishes whole.
  writeFileSync(tmp.path("go"), "");
  expect(await live.exited).toBe(0);
  live = undefined;
}, 600_000);
