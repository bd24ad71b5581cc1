import type { Subprocess } from "bun";
import { join } from "node:path";
import type { InventoryHost } from "./inventory.ts";

/** How every connection of a fleet run reaches its host. */
export interface SshSettings {
  /** The `ssh` client to run (default `ssh` from PATH). */
  readonly ssh?: string;
  /** `-F FILE`: an ssh_config instead of the user's (tests, CI). */
  readonly configFile?: string;
  /** A private folder for the control sockets (mode 0700), removed by the caller. */
  readonly controlDir: string;
}

/** What a command run over the connection printed, and how it ended. */
export interface RemoteResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** ssh's own exit status when it could not connect, or lost the connection. */
export const SSH_FAILED = 255;

/** How long a master connection outlives its last session: the fleet run closes it sooner. */
const CONTROL_PERSIST = "30s";

/**
 * One host over OpenSSH: the user's `ssh`, config, agent and known_hosts, with one multiplexed
 * master connection (ControlMaster) that every command of the run shares. Commands are shell
 * text for the host's login shell; nothing here ever adds a password to them. Each ssh runs in
 * its own process group, so a Ctrl-C at the terminal reaches mooncake alone, which then stops
 * the hosts' runs in order.
 */
export class SshConnection {
  constructor(readonly host: InventoryHost, private readonly settings: SshSettings) {}

  /** The ssh arguments that name the host and share the master connection, before the command. */
  args(): string[] {
    const { host, settings } = this;
    return [
      ...(settings.configFile !== undefined ? ["-F", settings.configFile] : []),
      "-o", "ControlMaster=auto",
      "-o", `ControlPath=${join(settings.controlDir, "%C")}`,
      "-o", `ControlPersist=${CONTROL_PERSIST}`,
      "-o", "BatchMode=yes",
      ...(host.port !== undefined ? ["-p", String(host.port)] : []),
      ...(host.user !== undefined ? ["-l", host.user] : []),
      ...(host.privateKeyFile !== undefined ? ["-i", host.privateKeyFile, "-o", "IdentitiesOnly=yes"] : []),
      "--",
      host.address,
    ];
  }

  /** Starts `command` on the host, its standard streams piped here. */
  spawn(command: string): Subprocess<"pipe", "pipe", "pipe"> {
    return Bun.spawn([this.settings.ssh ?? "ssh", ...this.args(), command], { stdin: "pipe", stdout: "pipe", stderr: "pipe", detached: true });
  }

  /** Runs `command`, writing `input` (bytes or a file) to its standard input, and waits for it. */
  async run(command: string, input?: Uint8Array | string | Blob): Promise<RemoteResult> {
    const child = Bun.spawn([this.settings.ssh ?? "ssh", ...this.args(), command], {
      stdin: input === undefined ? "ignore" : typeof input === "string" ? new TextEncoder().encode(input) : input,
      stdout: "pipe",
      stderr: "pipe",
      detached: true,
    });
    const [stdout, stderr, exitCode] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    return { exitCode, stdout, stderr };
  }

  /** Ends the master connection (and with it every session still open on it). */
  async close(): Promise<void> {
    const child = Bun.spawn([this.settings.ssh ?? "ssh", "-O", "exit", ...this.args()], { stdin: "ignore", stdout: "ignore", stderr: "ignore", detached: true });
    await child.exited;
  }
}

/** Quotes `text` as one word for a POSIX shell. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
