import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SCRIPT = join(import.meta.dir, "..", "..", "scripts", "fleet_hosts.sh");

/** Why this machine cannot host real sshd hosts (scripts/fleet_hosts.sh check), or undefined when it can. */
export const fleetHostsUnavailable: string | undefined = (() => {
  const result = Bun.spawnSync(["bash", SCRIPT, "check"], { stdout: "pipe", stderr: "pipe" });
  return result.exitCode === 0 ? undefined : `${result.stdout.toString().trim()}: the fleet tests skip`;
})();

export interface FleetHost {
  /** host1, host2...: also the host's hostname. */
  readonly name: string;
  /** Its address on the veth pair, where its sshd listens on port 22. */
  readonly address: string;
  /** The host's /root, seen from here. */
  readonly home: string;
  /** The host's /tmp, seen from here. */
  readonly tmp: string;
}

export interface FleetHosts {
  readonly dir: string;
  readonly hosts: readonly FleetHost[];
  /** The generated client config (key, known_hosts): pass it as MOONCAKE_SSH_CONFIG. */
  readonly sshConfig: string;
  /** Stops one host's sshd: it then refuses connections, as a host that is down. */
  stop(name: string): void;
  /** Stops every host, removes their namespaces and veth pairs, and the folder. */
  down(): void;
}

/** Starts `count` real sshd hosts (scripts/fleet_hosts.sh up) in a fresh temporary folder. */
export function startFleetHosts(count: number): FleetHosts {
  const dir = mkdtempSync(join(tmpdir(), "mooncake-fleet-"));
  const down = () => {
    script("down", dir);
    rmSync(dir, { recursive: true, force: true });
  };
  let lines: string;
  try {
    lines = script("up", dir, String(count));
  } catch (e) {
    down();
    throw e;
  }
  const hosts = lines.trim().split("\n").map((line) => {
    const [name, address] = line.split(" ") as [string, string];
    return { name, address, home: join(dir, name, "home"), tmp: join(dir, name, "tmp") };
  });
  return { dir, hosts, sshConfig: join(dir, "ssh_config"), stop: (name) => void script("stop", dir, name), down };
}

/** An inventory listing `hosts` by name with their addresses, in Ansible's YAML. */
export function inventoryYaml(hosts: readonly FleetHost[], extra: (host: FleetHost) => Record<string, unknown> = () => ({})): string {
  const entries = hosts.map((h) => [h.name, { ansible_host: h.address, ...extra(h) }]);
  return JSON.stringify({ all: { hosts: Object.fromEntries(entries) } }, null, 2);
}

function script(...args: string[]): string {
  const result = Bun.spawnSync(["bash", SCRIPT, ...args], { stdout: "pipe", stderr: "pipe" });
  if (result.exitCode !== 0) throw new Error(`fleet_hosts.sh ${args[0]} failed: ${result.stderr.toString()}`);
  return result.stdout.toString();
}

export function readHostFile(host: FleetHost, path: string): string {
  return readFileSync(join(host.home, path), "utf8");
}
