// Runs a fleet run brought home: `<artifacts-dir>/hosts/<host>/runs/<run_id>/`, made here by real
// runs of the binary in a folder of their own (as on the host) and moved home, or written by the
// store's run fixture. Each host's runs are their own family, listed, shown, kept and collected
// like this machine's.
import { afterEach, describe, expect, test } from "bun:test";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBinary } from "../helpers/run_binary.ts";
import { runId, writeRun } from "../helpers/artifact_store.ts";
import { tempDir } from "../helpers/temp_dir.ts";

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const remove of cleanup) remove();
  cleanup = [];
});

const FAILING = `
- name: Greet
  shell: echo hello
- name: Break
  shell: "echo it broke >&2; exit 4"
`;

/** A home folder with site.yml and its own runs, and `runOn(host)` to run the config in a folder of the host's and bring the run home. */
function fleetHome() {
  const tmp = tempDir({ "site.yml": "- name: Greet\n  shell: echo hello\n", "broken.yml": FAILING });
  cleanup.push(tmp.remove);
  const runHere = (config = "site.yml", ...flags: string[]) => {
    expect(runBinary(["run", "-c", config, "--raw", ...flags], { cwd: tmp.dir }).exitCode).toBeLessThan(4);
    return newestRun(tmp.path(".mooncake/runs"));
  };
  const runOn = (host: string, config = "site.yml") => {
    const remote = tmp.path(`remote/${host}`);
    mkdirSync(remote, { recursive: true });
    cpSync(tmp.path(config), join(remote, config));
    runBinary(["run", "-c", config, "--raw"], { cwd: remote });
    const id = newestRun(join(remote, ".mooncake/runs"));
    mkdirSync(tmp.path(`.mooncake/hosts/${host}/runs`), { recursive: true });
    renameSync(join(remote, ".mooncake/runs", id), tmp.path(`.mooncake/hosts/${host}/runs/${id}`));
    return id;
  };
  return { ...tmp, runHere, runOn };
}

function newestRun(runsDir: string): string {
  return readdirSync(runsDir).filter((n) => /^\d{8}-\d{6}-/.test(n)).sort().at(-1)!;
}

describe("runs list and runs show see the runs brought home", () => {
  test("runs list adds a HOST column and lists every run by start time; --host lists one host's", () => {
    const home = fleetHome();
    const web1 = home.runOn("web1");
    const here = home.runHere();
    const web2 = home.runOn("web2", "broken.yml");

    const text = runBinary(["runs", "list"], { cwd: home.dir });
    expect(text.exitCode).toBe(0);
    expect(text.stderr).toBe("");
    const [header, ...rows] = text.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^HOST +RUN ID +STATUS +STARTED +TOOK +STEPS +CONFIG$/);
    expect(rows.map((r) => r.split(/ +/).slice(0, 3))).toEqual([["web2", web2, "failed"], ["-", here, "ok"], ["web1", web1, "ok"]]);
    expect(rows[0]).toContain(`${home.path("remote/web2/broken.yml")}`);

    const one = runBinary(["runs", "list", "--host", "web1"], { cwd: home.dir });
    const [oneHeader, ...oneRows] = one.stdout.trimEnd().split("\n");
    expect(oneHeader).toMatch(/^RUN ID +STATUS/);
    expect(oneRows.map((r) => r.split(/ +/)[0])).toEqual([web1]);

    expect(runBinary(["runs", "list", "--host", "web9"], { cwd: home.dir }).stdout).toBe(`No runs of host "web9" in ".mooncake/hosts/web9/runs"\n`);
    const unsafe = runBinary(["runs", "list", "--host", ".."], { cwd: home.dir });
    expect(unsafe.exitCode).toBe(2);
    expect(unsafe.stderr + unsafe.stdout).toContain('Invalid --host "..": ".." names a directory');
  }, 60_000);

  test("runs list as JSON keeps this machine's runs at the top and each host's under hosts", () => {
    const home = fleetHome();
    const here = home.runHere();
    const web1 = home.runOn("web1", "broken.yml");
    const json = JSON.parse(runBinary(["runs", "list", "--format", "json"], { cwd: home.dir }).stdout);
    expect(json.runs.map((r: { run_id: string }) => r.run_id)).toEqual([here]);
    expect(Object.keys(json.hosts)).toEqual(["web1"]);
    expect(json.hosts.web1).toMatchObject({ runs: [{ run_id: web1, status: "failed", counts: { changed: 1, failed: 1 } }], trashed: [], deleted: [], problems: [] });
    const one = JSON.parse(runBinary(["runs", "list", "--host", "web1", "--format", "json"], { cwd: home.dir }).stdout);
    expect(one).toMatchObject({ host: "web1", runs: [{ run_id: web1 }], problems: [] });
  }, 60_000);

  test("without host runs, runs list is as before: no HOST column", () => {
    const home = fleetHome();
    home.runHere();
    expect(runBinary(["runs", "list"], { cwd: home.dir }).stdout).toMatch(/^RUN ID +STATUS/);
  }, 60_000);

  test("runs show finds a host's run by its id, by host/id, or with --host (and last)", () => {
    const home = fleetHome();
    home.runHere();
    const id = home.runOn("web1", "broken.yml");
    const dir = `.mooncake/hosts/web1/runs/${id}`;
    for (const args of [[id], [`web1/${id}`], [id, "--host", "web1"], ["last", "--host", "web1"]]) {
      const result = runBinary(["runs", "show", ...args], { cwd: home.dir });
      expect(result.exitCode).toBe(0);
      expect(result.stdout.split("\n").slice(0, 2)).toEqual([`Run ${id} on web1: failed`, `  directory  ${dir}`]);
      expect(result.stdout).toContain(`      evidence: ${dir}/events.jsonl`);
    }
    const json = JSON.parse(runBinary(["runs", "show", id, "--format", "json"], { cwd: home.dir }).stdout);
    expect(json).toMatchObject({ run_id: id, host: "web1", dir, state: "complete", summary: { status: "failed" } });
    expect(JSON.parse(runBinary(["runs", "show", "last", "--format", "json"], { cwd: home.dir }).stdout).host).toBeNull();
  }, 60_000);

  test("an id brought home from two hosts needs --host; an unknown one is not found", () => {
    const home = fleetHome();
    const id = home.runOn("web1");
    cpSync(home.path(`.mooncake/hosts/web1/runs/${id}`), home.path(`.mooncake/hosts/web2/runs/${id}`), { recursive: true });
    const ambiguous = runBinary(["runs", "show", id], { cwd: home.dir });
    expect(ambiguous.exitCode).toBe(2);
    expect(ambiguous.stderr).toBe(`error: Run "${id}" was brought home from several hosts (web1, web2): name one with --host\n`);
    expect(runBinary(["runs", "show", id, "--host", "web2"], { cwd: home.dir }).stdout).toStartWith(`Run ${id} on web2: ok\n`);
    const missing = runBinary(["runs", "show", "20200101-000000-abcdef"], { cwd: home.dir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toBe('error: No run "20200101-000000-abcdef" in ".mooncake/runs"\n');
  }, 60_000);

  test("a host folder that is a link, or whose name is not a safe host name, is not read", () => {
    const home = fleetHome();
    const id = home.runOn("web1");
    symlinkSync(home.path(".mooncake/hosts/web1"), home.path(".mooncake/hosts/linked"));
    cpSync(home.path(".mooncake/hosts/web1"), home.path(".mooncake/hosts/bad\nname"), { recursive: true });
    const json = JSON.parse(runBinary(["runs", "list", "--format", "json"], { cwd: home.dir }).stdout);
    expect(Object.keys(json.hosts)).toEqual(["web1"]);
    const list = JSON.parse(runBinary(["artifacts", "list", "--format", "json"], { cwd: home.dir }).stdout);
    expect(list.entries.map((e: { id: string }) => e.id)).toEqual([`web1/${id}`]);
  });
});

describe("the artifact store and the dashboard treat each host's runs as their own family", () => {
  /** Three runs (one hour apart) here and on each host, all passed; the newest of each is run 2. */
  function storeWithHosts() {
    const tmp = tempDir();
    cleanup.push(tmp.remove);
    const root = tmp.path(".mooncake");
    for (let i = 0; i < 3; i++) {
      writeRun(root, { id: runId(i), status: "pass" });
      writeRun(join(root, "hosts", "web1"), { id: runId(i), status: "pass" });
      writeRun(join(root, "hosts", "web2"), { id: runId(i, "b0b0b0"), status: i === 2 ? "fail" : "pass" });
    }
    return { dir: tmp.dir, root };
  }
  const artifacts = (dir: string, ...args: string[]) => runBinary(["artifacts", ...args], { cwd: dir });

  test("scan and list give host runs the id host/run_id and the family config@host", () => {
    const s = storeWithHosts();
    expect(artifacts(s.dir, "scan").exitCode).toBe(0);
    const manifest = JSON.parse(readFileSync(join(s.root, ".manifest.json"), "utf8"));
    const ids = manifest.entries.map((e: { id: string; family: string; path: string }) => [e.id, e.family, e.path]);
    expect(ids).toContainEqual([`web1/${runId(2)}`, "site.yml@web1", `hosts/web1/runs/${runId(2)}`]);
    expect(ids).toContainEqual([runId(2), "site.yml", `runs/${runId(2)}`]);
    expect(new Set(ids.map(([, family]: string[]) => family))).toEqual(new Set(["site.yml", "site.yml@web1", "site.yml@web2"]));
    expect(ids).toHaveLength(9);
  }, 60_000);

  test("gc keeps each host's last run and last pass; restore puts a host's run back where it was", () => {
    const s = storeWithHosts();
    const plan = JSON.parse(artifacts(s.dir, "gc", "--keep", "1", "--format", "json").stdout);
    const kept = plan.decisions.filter((d: { action: string }) => d.action === "keep").map((d: { id: string }) => d.id).sort();
    expect(kept).toEqual([runId(2), `web1/${runId(2)}`, `web2/${runId(1, "b0b0b0")}`, `web2/${runId(2, "b0b0b0")}`].sort());

    expect(artifacts(s.dir, "gc", "--keep", "1", "--apply", "--force").exitCode).toBe(0);
    expect(readdirSync(join(s.root, "hosts/web1/runs"))).toEqual([runId(2)]);
    expect(readdirSync(join(s.root, "hosts/web2/runs")).sort()).toEqual([runId(1, "b0b0b0"), runId(2, "b0b0b0")]);

    const shown = runBinary(["runs", "show", runId(0), "--host", "web1"], { cwd: s.dir });
    expect(shown.exitCode).toBe(2);
    expect(shown.stderr).toContain(`bring it back with \`mooncake artifacts restore --id web1/${runId(0)}\``);
    expect(artifacts(s.dir, "restore", `web1/${runId(0)}`).exitCode).toBe(0);
    expect(existsSync(join(s.root, "hosts/web1/runs", runId(0), "summary.json"))).toBe(true);
  }, 60_000);

  test("a retention rule can name one host's family", () => {
    const s = storeWithHosts();
    writeFileSync(join(s.root, "artifacts.yaml"), 'retention:\n  "*": {keep: 1}\n  "site.yml@web1": {keep: 3}\n');
    const plan = JSON.parse(artifacts(s.dir, "gc", "--format", "json").stdout);
    const removed = plan.decisions.filter((d: { action: string }) => d.action !== "keep").map((d: { id: string }) => d.id).sort();
    expect(removed).toEqual([runId(0), runId(1), `web2/${runId(0, "b0b0b0")}`].sort());
  }, 60_000);

  test("compact shrinks a host run's events and verify checks them; runs show still reads them", () => {
    const tmp = tempDir();
    cleanup.push(tmp.remove);
    const root = tmp.path(".mooncake");
    writeRun(join(root, "hosts", "web1"), { id: runId(0), status: "fail", events: 3000 });
    writeFileSync(join(root, "artifacts.yaml"), "compaction:\n  jsonl: {min_size_kb: 10, dict_threshold: 5}\n");
    const events = join(root, "hosts/web1/runs", runId(0), "events.jsonl");
    const original = readFileSync(events);
    expect(artifacts(tmp.dir, "compact", "--apply").exitCode).toBe(0);
    expect(existsSync(`${events}.mcz`)).toBe(true);
    expect(artifacts(tmp.dir, "scan").exitCode).toBe(0);
    const verify = artifacts(tmp.dir, "verify");
    expect(verify.exitCode).toBe(0);
    const cat = Bun.spawnSync([join(import.meta.dir, "../../dist/mooncake"), "artifacts", "cat", events], { cwd: tmp.dir });
    expect(Buffer.from(cat.stdout).equals(original)).toBe(true);
    expect(runBinary(["runs", "show", runId(0), "--format", "json"], { cwd: tmp.dir }).stdout).toContain('"host": "web1"');
  }, 60_000);

  test("the dashboard shows one card per config and host, each with its own runs", () => {
    const s = storeWithHosts();
    const result = runBinary(["dashboard", "--format", "json", "--output", "model.json"], { cwd: s.dir });
    expect(result.exitCode).toBe(0);
    const model = JSON.parse(readFileSync(join(s.dir, "model.json"), "utf8"));
    expect(model.families.map((f: { name: string; status: string }) => [f.name, f.status])).toEqual([["site.yml@web2", "fail"], ["site.yml", "pass"], ["site.yml@web1", "pass"]]);
    const web1 = model.runs.filter((r: { family: string }) => r.family === "site.yml@web1");
    expect(web1.map((r: { id: string; path: string; detailed: boolean }) => [r.id, r.path, r.detailed])).toEqual([2, 1, 0].map((i) => [`web1/${runId(i)}`, `hosts/web1/runs/${runId(i)}`, true]));
    expect(model.badges).toEqual([]);
  });
});
