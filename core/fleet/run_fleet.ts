import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EventBus } from "../events/event_bus.ts";
import type { HostStatus, RunStatus } from "../events/event.ts";
import type { HostInput } from "./host_input.ts";
import type { InventoryHost } from "./inventory.ts";
import type { BinaryCatalog } from "./mooncake_binary.ts";
import { runOnHost, type HostOutcome, type UploadedBundle } from "./run_on_host.ts";
import { SshConnection } from "./ssh_connection.ts";

export interface FleetOptions {
  readonly hosts: readonly InventoryHost[];
  readonly rootFile: string;
  readonly dryRun: boolean;
  /** Hosts run at once. */
  readonly forks: number;
  readonly bundle: UploadedBundle;
  readonly binaries: BinaryCatalog;
  readonly runArgs: readonly string[];
  /** What every host gets on its standard input, given its inventory entry. */
  readonly inputFor: (host: InventoryHost) => HostInput;
  /** `<artifacts-dir>`: each host's run goes to `hosts/<host>/runs/<run_id>/`; undefined records nothing. */
  readonly artifactsDir?: string;
  readonly ssh?: string;
  readonly sshConfig?: string;
  readonly bus: EventBus;
  readonly signal: AbortSignal;
}

export interface FleetResult {
  readonly status: RunStatus;
  readonly outcomes: ReadonlyMap<string, HostOutcome>;
}

/**
 * Runs the config on every host, `forks` at a time. A host that fails or cannot be reached is
 * reported and the others go on; an abort stops every host's run and still brings home what
 * each recorded. Each host has its own master connection, its control socket in a private
 * folder removed at the end.
 */
export async function runFleet(options: FleetOptions): Promise<FleetResult> {
  const { bus, hosts } = options;
  const started = performance.now();
  const controlDir = mkdtempSync(join(tmpdir(), "mooncake-ssh-"));
  const outcomes = new Map<string, HostOutcome>();
  bus.publish("fleet.started", { root_file: options.rootFile, dry_run: options.dryRun, hosts: hosts.map((h) => h.name), forks: options.forks });
  let next = 0;
  const worker = async () => {
    for (let host = hosts[next++]; host !== undefined; host = hosts[next++]) {
      const hostStarted = performance.now();
      const outcome = options.signal.aborted
        ? { status: "interrupted" as const, error: { kind: "interrupted" as const, message: "Interrupted before the host's run started" } }
        : await runOnHost({
            connection: new SshConnection(host, { controlDir, ...(options.ssh !== undefined ? { ssh: options.ssh } : {}), ...(options.sshConfig !== undefined ? { configFile: options.sshConfig } : {}) }),
            binaries: options.binaries,
            bundle: options.bundle,
            runArgs: options.runArgs,
            input: options.inputFor(host),
            ...(options.artifactsDir !== undefined ? { homeDir: join(options.artifactsDir, "hosts", host.name) } : {}),
            signal: options.signal,
            publish: (type, data) => bus.publishForHost(host.name, type, data),
            forward: (event) => bus.forward(host.name, event),
          });
      outcomes.set(host.name, outcome);
      bus.publishForHost(host.name, "host.finished", {
        status: outcome.status,
        duration_ms: performance.now() - hostStarted,
        ...(outcome.runId !== undefined ? { run_id: outcome.runId } : {}),
        ...(outcome.counts ? { counts: outcome.counts } : {}),
        ...(outcome.runDir !== undefined ? { run_dir: outcome.runDir } : {}),
        ...(outcome.error ? { error: outcome.error } : {}),
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.forks, hosts.length) }, worker));
  } finally {
    rmSync(controlDir, { recursive: true, force: true });
  }
  const tally: Record<HostStatus, number> = { ok: 0, failed: 0, unreachable: 0, interrupted: 0 };
  for (const outcome of outcomes.values()) tally[outcome.status] += 1;
  const status: RunStatus = options.signal.aborted ? "interrupted" : tally.ok === hosts.length ? "ok" : "failed";
  bus.publish("fleet.finished", { status, dry_run: options.dryRun, duration_ms: performance.now() - started, hosts: tally });
  return { status, outcomes };
}
