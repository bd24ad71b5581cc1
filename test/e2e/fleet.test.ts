import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fleetHostsUnavailable, inventoryYaml, startFleetHosts, type FleetHost, type FleetHosts } from "../helpers/fleet_hosts.ts";
import { jsonEvents } from "../helpers/json_events.ts";
import { BINARY, runBinaryAsync } from "../helpers/run_binary.ts";
import { tempDirPerTest } from "../helpers/temp_dir.ts";

const tempDir = tempDirPerTest();

/** Writes a host-specific file from inventory vars, registers a result and uses it: idempotent. */
const SITE = `
vars:
  greeting: hello
steps:
  - name: fleet folder
    file: { path: /root/fleet, state: directory }
  - name: host file
    file:
      path: /root/fleet/{{ inventory_hostname }}.txt
      content: "{{ greeting }} from {{ inventory_hostname }} ({{ color }})\\n"
  - name: read the kernel name
    command: { argv: [uname, -s] }
    register: kernel
    changed_when: false
  - name: fact file
    file:
      path: /root/fleet/kernel.txt
      content: "kernel {{ kernel.stdout }}"
`;

describe.skipIf(fleetHostsUnavailable !== undefined)("run --inventory on real sshd hosts", () => {
  let fleet: FleetHosts;
  let up: FleetHost[];
  let down: FleetHost;
  beforeAll(() => {
    fleet = startFleetHosts(4);
    up = fleet.hosts.slice(0, 3) as FleetHost[];
    down = fleet.hosts[3]!;
    fleet.stop(down.name);
  }, 60_000);
  afterAll(() => fleet?.down(), 60_000);
  afterEach(() => {
    for (const host of fleet.hosts) rmSync(join(host.home, "fleet"), { recursive: true, force: true });
  });

  const project = (hosts: readonly FleetHost[], files: Record<string, string> = {}) =>
    tempDir({ "site.yml": SITE, "hosts.yml": inventoryYaml(hosts, (h) => ({ color: `color-of-${h.name}` })), ...files });
  const fleetRun = (dir: string, ...args: string[]) =>
    runBinaryAsync(["run", "--config", "site.yml", "--inventory", "hosts.yml", "--ssh-config", fleet.sshConfig, ...args], { cwd: dir });

  test("each host gets its own file from its inventory vars and a registered fact; a second run changes nothing and uploads nothing; the runs come home", async () => {
    const tmp = project(up);
    const first = await fleetRun(tmp.dir, "--log-format", "json");
    expect(first.stderr).toBe("");
    expect(first.exitCode).toBe(0);
    for (const host of up) {
      expect(readFileSync(join(host.home, "fleet", `${host.name}.txt`), "utf8")).toBe(`hello from ${host.name} (color-of-${host.name})\n`);
      expect(readFileSync(join(host.home, "fleet", "kernel.txt"), "utf8")).toBe("kernel Linux\n");
      expect(readdirSync(host.tmp)).toEqual([]);
    }
    const cached = up.map((h) => cachedBinary(h));
    const mtimes = cached.map((path) => statSync(path).mtimeMs);

    const second = await fleetRun(tmp.dir, "--log-format", "json");
    expect(second.exitCode).toBe(0);
    const events = jsonEvents(second.stdout) as { type: string; host?: string; data: Record<string, any> }[];
    const prepared = events.filter((e) => e.type === "host.prepared");
    expect(prepared.map((e) => [e.host, e.data.binary_uploaded]).sort()).toEqual(up.map((h) => [h.name, false]));
    const finished = events.filter((e) => e.type === "host.finished");
    expect(finished.map((e) => [e.host, e.data.status, e.data.counts.changed]).sort()).toEqual(up.map((h) => [h.name, "ok", 0]));
    expect(cached.map((path) => statSync(path).mtimeMs)).toEqual(mtimes);
    expect(events.filter((e) => e.type === "step.finished" && e.host === up[0]!.name).length).toBe(4);

    for (const event of finished) {
      const runDir = join(tmp.dir, ".mooncake", "hosts", event.host!, "runs", event.data.run_id);
      expect(event.data.run_dir).toBe(join(".mooncake", "hosts", event.host!, "runs", event.data.run_id));
      const summary = JSON.parse(readFileSync(join(runDir, "summary.json"), "utf8"));
      expect(summary.status).toBe("ok");
      expect(readFileSync(join(runDir, "events.jsonl"), "utf8")).toContain(`/root/fleet/${event.host}.txt`);
    }
    expect(readdirSync(join(tmp.dir, ".mooncake", "hosts")).sort()).toEqual(up.map((h) => h.name));
  }, 180_000);

  test("a host that is down is unreachable: the others run, the table says so, and the run exits 3", async () => {
    const tmp = project([...up, down]);
    const result = await fleetRun(tmp.dir);
    expect(result.exitCode).toBe(3);
    for (const host of up) expect(existsSync(join(host.home, "fleet", `${host.name}.txt`))).toBe(true);
    const table = result.stdout.slice(result.stdout.indexOf("HOST"));
    expect(table).toMatch(new RegExp(`${down.name}\\s+unreachable\\s+0\\s+0\\s+0`));
    for (const host of up) expect(table).toMatch(new RegExp(`${host.name}\\s+ok\\s+1\\s+3\\s+0`));
    expect(result.stdout).toContain("3 ok, 0 failed, 1 unreachable");
    expect(result.stdout).toContain(`Cannot reach ${down.name} (${down.address}) over ssh`);
  }, 180_000);

  test("--limit runs on the hosts it selects and no other", async () => {
    const tmp = project(up);
    const result = await fleetRun(tmp.dir, "--limit", `${up[1]!.name}`);
    expect(result.exitCode).toBe(0);
    expect(existsSync(join(up[1]!.home, "fleet", `${up[1]!.name}.txt`))).toBe(true);
    for (const host of [up[0]!, up[2]!]) expect(existsSync(join(host.home, "fleet"))).toBe(false);
    expect(readdirSync(join(tmp.dir, ".mooncake", "hosts"))).toEqual([up[1]!.name]);
  }, 180_000);

  test("--dry-run changes nothing on the hosts and says what each would change", async () => {
    const tmp = project(up);
    const result = await fleetRun(tmp.dir, "--dry-run", "--log-format", "json");
    expect(result.exitCode).toBe(0);
    for (const host of up) {
      expect(existsSync(join(host.home, "fleet"))).toBe(false);
      expect(readdirSync(host.tmp)).toEqual([]);
    }
    const events = jsonEvents(result.stdout) as { type: string; host?: string; data: Record<string, any> }[];
    const wouldCreate = events.filter((e) => e.type === "step.finished" && e.data.name === "host file");
    expect(wouldCreate.map((e) => [e.host, e.data.dry_run, e.data.change.kind]).sort()).toEqual(up.map((h) => [h.name, true, "create"]));
  }, 180_000);

  test("the driving machine's --policy holds on each host, for command lines only known when the host runs them", async () => {
    const tmp = project(up.slice(0, 1), {
      "policy.yml": "safety:\n  commands:\n    deny: ['touch *']\n",
      "site.yml": "- command: { argv: [echo, touch /root/fleet-denied] }\n  register: made\n  changed_when: false\n- shell: '{{ made.stdout }}'\n",
    });
    const result = await fleetRun(tmp.dir, "--policy", "policy.yml", "--log-format", "json");
    expect(result.exitCode).toBe(3);
    const events = jsonEvents(result.stdout) as { type: string; host?: string; data: Record<string, any> }[];
    const refused = events.find((e) => e.type === "step.finished" && e.data.status === "failed");
    expect(refused?.data.error).toMatchObject({ kind: "policy" });
    expect(refused?.data.error.message).toContain('matches "touch *" in commands.deny of the --policy file');
    expect(existsSync(join(up[0]!.home, "fleet-denied"))).toBe(false);
  }, 180_000);

  test("secret vars reach the hosts over stdin: used by steps, on no host's disk, redacted at home", async () => {
    const secret = "s3cret-fleet-token";
    const tmp = project(up.slice(0, 1), {
      "secrets.yml": `token: ${secret}\n`,
      "site.yml": `- name: use the secret\n  shell: test "{{ token }}" = ${secret} && echo "token is {{ token }}"\n`,
    });
    const result = await fleetRun(tmp.dir, "--secret-vars", "secrets.yml", "--log-format", "json");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).not.toContain(secret);
    expect(result.stdout).toContain("token is ********");
    const host = up[0]!;
    expect(filesContaining(host.home, secret)).toEqual([]);
    expect(filesContaining(join(tmp.dir, ".mooncake"), secret)).toEqual([]);
    expect(readdirSync(host.tmp)).toEqual([]);
  }, 180_000);

  test("Ctrl-C stops every host's run there and still brings each run home, interrupted", async () => {
    const tmp = project(up.slice(0, 2), { "site.yml": "- name: wait\n  shell: sleep 600\n" });
    const child = Bun.spawn([BINARY, "run", "--config", "site.yml", "--inventory", "hosts.yml", "--ssh-config", fleet.sshConfig, "--log-format", "json"], { cwd: tmp.dir, stdout: "pipe", stderr: "pipe" });
    let seen = "";
    const started = new Set<string>();
    const reader = child.stdout.getReader();
    while (started.size < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
      for (const line of seen.split("\n").slice(0, -1)) {
        const event = JSON.parse(line) as { type: string; host?: string };
        if (event.type === "step.started" && event.host) started.add(event.host);
      }
    }
    child.kill("SIGINT");
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    expect(await child.exited).toBe(130);
    const finished = jsonEvents(seen).filter((e) => e.type === "host.finished") as { host?: string; data: Record<string, any> }[];
    expect(finished.map((e) => [e.host, e.data.status]).sort()).toEqual(up.slice(0, 2).map((h) => [h.name, "interrupted"]));
    for (const event of finished) {
      const summary = JSON.parse(readFileSync(join(tmp.dir, event.data.run_dir, "summary.json"), "utf8"));
      expect(summary.status).toBe("interrupted");
    }
    for (const host of up.slice(0, 2)) expect(readdirSync(host.tmp)).toEqual([]);
    expect(sleepsLeft()).toEqual([]);
  }, 180_000);
});

/** The binary the host's cache holds (one after the first run). */
function cachedBinary(host: FleetHost): string {
  const bin = join(host.home, ".cache", "mooncake", "bin");
  const [sha] = readdirSync(bin);
  return join(bin, sha!, "mooncake");
}

/** Files below `dir` whose content holds `text` (the binary cache left out). */
function filesContaining(dir: string, text: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((name) => !name.startsWith(join(".cache", "mooncake", "bin")))
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile() && readFileSync(path, "utf8").includes(text));
}

/** `sleep 600` processes still running anywhere: the interrupted steps must all be gone. */
function sleepsLeft(): string[] {
  const result = Bun.spawnSync(["pgrep", "-f", "-a", "^sleep 600$"], { stdout: "pipe" });
  return result.stdout.toString().trim().split("\n").filter(Boolean);
}
