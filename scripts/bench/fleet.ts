// Fleet: `mooncake run --inventory` on 10 real sshd hosts (scripts/fleet_hosts.sh: one network
// namespace each) x 100 `command: /bin/true` steps, against `ansible-playbook` running the same
// 100 tasks with the same forks (10) on the same hosts, in one go (target: at least 20x faster).
// mooncake's first run uploads its binary to each host's cache; the figures are of the runs
// after it (what a fleet sees day to day), the first one printed beside them. Ansible runs with
// pipelining and ControlMaster, its fastest settings. Needs root and network namespaces (skipped
// otherwise); ansible-playbook comes from `apt-get install ansible-core` (skipped without it).
// Runs alone or from all.ts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Bench, BenchSkipped, printTable, type Row } from "./measure.ts";

const root = join(import.meta.dir, "..", "..");
const binary = join(root, "dist", "mooncake");
const hostsScript = join(root, "scripts", "fleet_hosts.sh");
// FLEET_HOSTS / FLEET_STEPS shrink the run for a quick look; the figure of record is 10 x 100.
const HOSTS = Number(process.env.FLEET_HOSTS ?? 10);
const STEPS = Number(process.env.FLEET_STEPS ?? 100);
const FORKS = 10;

export const run: Bench = async (emit) => {
  const check = Bun.spawnSync(["bash", hostsScript, "check"], { stdout: "pipe" });
  if (check.exitCode !== 0) throw new BenchSkipped(check.stdout.toString().trim());
  const runs = Math.min(Number(process.env.RUNS ?? 3), 3);
  const tmp = mkdtempSync(join(tmpdir(), "mooncake-bench-fleet-"));
  const hostsDir = join(tmp, "hosts");
  const rows: Row[] = [];
  const add = (row: Row) => {
    rows.push(row);
    emit?.(row);
  };
  // Interrupted, the hosts still go: namespaces and veth pairs outlive this process otherwise.
  const teardown = () => {
    Bun.spawnSync(["bash", hostsScript, "down", hostsDir]);
    rmSync(tmp, { recursive: true, force: true });
  };
  const onSignal = () => {
    teardown();
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    mkdirSync(hostsDir);
    const up = Bun.spawnSync(["bash", hostsScript, "up", hostsDir, String(HOSTS)], { stdout: "pipe", stderr: "pipe" });
    if (up.exitCode !== 0) throw new Error(`fleet_hosts.sh up: ${up.stderr.toString()}`);
    const hosts = up.stdout.toString().trim().split("\n").map((line) => line.split(" ") as [string, string]);
    const sshConfig = join(hostsDir, "ssh_config");
    const inventory = join(tmp, "hosts.yml");
    writeFileSync(inventory, `all:\n  hosts:\n${hosts.map(([name, address]) => `    ${name}:\n      ansible_host: ${address}\n`).join("")}`);
    const site = join(tmp, "site.yml");
    writeFileSync(site, `${Array.from({ length: STEPS }, () => "- command: { argv: [/bin/true] }").join("\n")}\n`);
    const playbook = join(tmp, "playbook.yml");
    writeFileSync(playbook, `- hosts: all\n  gather_facts: false\n  tasks:\n${Array.from({ length: STEPS }, () => "    - command: /bin/true").join("\n")}\n`);

    const mooncake = [binary, "run", "--config", site, "--inventory", inventory, "--forks", String(FORKS), "--ssh-config", sshConfig, "--artifacts-dir", join(tmp, ".mooncake")];
    const first = timed("mooncake, first run (uploads its binary)", mooncake);
    const label = `mooncake run --inventory: ${HOSTS} hosts x ${STEPS} steps`;
    const ours = median(Array.from({ length: runs }, () => timed(label, mooncake)));
    add({ figure: "mooncake: first run, binary uploaded to each host", value: first, unit: "ms" });
    add({ figure: label, value: ours, unit: "ms" });

    const ansible = Bun.which("ansible-playbook");
    if (!ansible) {
      console.log("ansible-playbook is not installed: `apt-get install ansible-core` to compare with it");
      return rows;
    }
    const ansibleHome = join(tmp, "ansible");
    const env = {
      ...process.env,
      ANSIBLE_HOME: ansibleHome,
      ANSIBLE_LOCAL_TEMP: join(ansibleHome, "tmp"),
      ANSIBLE_SSH_CONTROL_PATH_DIR: join(ansibleHome, "cp"),
      ANSIBLE_SSH_ARGS: `-F ${sshConfig} -o ControlMaster=auto -o ControlPersist=60s`,
      ANSIBLE_PIPELINING: "True",
      ANSIBLE_HOST_KEY_CHECKING: "False",
      ANSIBLE_PYTHON_INTERPRETER: "/usr/bin/python3",
      ANSIBLE_RETRY_FILES_ENABLED: "False",
      ANSIBLE_NOCOLOR: "1",
    };
    const theirs = timed(`ansible-playbook: ${HOSTS} hosts x ${STEPS} tasks, forks ${FORKS}`, [ansible, "-i", inventory, "-f", String(FORKS), playbook], env);
    add({ figure: `ansible-playbook: ${HOSTS} hosts x ${STEPS} tasks`, value: theirs, unit: "ms" });
    add({ figure: "ansible-playbook / mooncake (target: 20x)", value: theirs / ours, unit: "x", baseline: { label: "target", value: 20 } });
    return rows;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    teardown();
  }
};

function timed(label: string, argv: string[], env?: Record<string, string | undefined>): number {
  const start = performance.now();
  const result = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe", ...(env ? { env } : {}) });
  const elapsed = performance.now() - start;
  if (result.exitCode !== 0) throw new Error(`${label}: exit ${result.exitCode}: ${result.stdout.toString().slice(-2000)}${result.stderr.toString().slice(-2000)}`);
  console.log(`  ${label}: ${(elapsed / 1000).toFixed(2)} s`);
  return elapsed;
}

function median(values: number[]): number {
  return values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

if (import.meta.main) printTable(await run());
