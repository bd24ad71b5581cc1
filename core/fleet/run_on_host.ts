import { join } from "node:path";
import { FormatRegistry } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { eventSchema, type Counts, type EventData, type EventType, type HostStatus, type RunEvent, type StepError } from "../events/event.ts";
import { bringRunHome } from "./bring_run_home.ts";
import type { HostInput } from "./host_input.ts";
import { BinaryUnavailableError, hostTarget, type BinaryCatalog, type MooncakeBinary } from "./mooncake_binary.ts";
import { shellQuote, SSH_FAILED, type SshConnection } from "./ssh_connection.ts";

/** The config, as every host gets it. */
export interface UploadedBundle {
  /** The root config file, relative to the bundle's root. */
  readonly rootFile: string;
  readonly tar: Uint8Array;
  readonly files: number;
}

export interface HostRunOptions {
  readonly connection: SshConnection;
  readonly binaries: BinaryCatalog;
  readonly bundle: UploadedBundle;
  /** Flags for the host's `mooncake run` besides those the fleet sets (--dry-run, --tags, ...). */
  readonly runArgs: readonly string[];
  readonly input: HostInput;
  /** Where the host's run directory goes: `<dir>/runs/<run_id>/`; undefined with --no-artifacts. */
  readonly homeDir?: string;
  readonly signal: AbortSignal;
  /** A fleet event about this host. */
  publish<T extends EventType>(type: T, data: EventData<T>): void;
  /** An event of the host's own run. */
  forward(event: RunEvent): void;
}

export interface HostOutcome {
  readonly status: HostStatus;
  readonly counts?: Counts;
  readonly runId?: string;
  readonly runDir?: string;
  readonly error?: StepError;
}

/** The host's own cache of binaries, one folder per sha256. */
const CACHE = '"$HOME/.cache/mooncake/bin"';
/** A line of the host's event stream longer than this is refused: its own output is bounded far below. */
const MAX_EVENT_LINE = 64 * 1024 * 1024;
const PID_LINE = /^mooncake-pid (\d+)$/;
// TypeBox knows no format by itself: an event's timestamp is checked as a date.
if (!FormatRegistry.Has("date-time")) FormatRegistry.Set("date-time", (value) => !Number.isNaN(Date.parse(value)));
const checkEvent = TypeCompiler.Compile(eventSchema());

/** A step of the host run failed before the run itself started; `kind` says how. */
class HostStepError extends Error {
  constructor(readonly kind: StepError["kind"], message: string) {
    super(message);
  }
}

/**
 * Runs the fleet's config on one host over its connection: learn its platform, put the matching
 * mooncake in its cache (unless there), upload the config to a private temporary folder, run
 * `mooncake run` there with its events streamed back, bring its run directory home, and remove
 * the folder. Never throws: every failure ends as the host's outcome.
 */
export async function runOnHost(options: HostRunOptions): Promise<HostOutcome> {
  const { connection } = options;
  let workDir: string | undefined;
  try {
    // One round trip: the platform, the binaries already cached, and the config unpacked in a
    // private temporary folder.
    const probe = await connection.run([
      "uname -sm", `ls /lib/ld-musl-* >/dev/null 2>&1 && echo musl`,
      `for f in ${CACHE}/*/mooncake; do [ -x "$f" ] && echo "cached $f"; done`,
      `umask 077`, `d=$(mktemp -d "\${TMPDIR:-/tmp}/mooncake-fleet.XXXXXX") && echo "workdir $d" && mkdir "$d/bundle" && tar -xf - -C "$d/bundle"`,
    ].join("; "), options.bundle.tar);
    if (probe.exitCode === SSH_FAILED) return { status: "unreachable", error: { kind: "unreachable", message: sshError(connection, probe.stderr) } };
    const lines = probe.stdout.split("\n");
    workDir = lines.find((l) => l.startsWith("workdir /"))?.slice("workdir ".length);
    if (probe.exitCode !== 0 || workDir === undefined) throw new HostStepError("io", `Cannot upload the config to ${connection.host.name}: ${probe.stderr.trim() || `exit ${probe.exitCode}`}`);
    const target = hostTarget(lines[0] ?? "", lines.includes("musl"));
    if (!target) throw new HostStepError("validation", `${connection.host.name} runs "${lines[0]?.trim()}", which mooncake has no binary for`);
    const binary = await options.binaries.binaryFor(target).catch((e: unknown) => {
      throw e instanceof BinaryUnavailableError ? new HostStepError("validation", e.message) : e;
    });
    const cached = lines.some((l) => l.startsWith("cached ") && l.endsWith(`/${binary.sha256}/mooncake`));
    if (!cached) await uploadBinary(connection, binary);
    options.publish("host.prepared", {
      address: connection.host.address,
      target,
      binary_sha256: binary.sha256,
      binary_uploaded: !cached,
      bundle_files: options.bundle.files,
      bundle_bytes: options.bundle.tar.byteLength,
    });
    if (options.signal.aborted) return { status: "interrupted", error: { kind: "interrupted", message: "Interrupted before the run started" } };
    const run = await runThere(options, binary, workDir);
    const runDir = run.runId !== undefined && options.homeDir !== undefined ? await fetchRun(connection, workDir, run.runId, options.homeDir) : undefined;
    if (runDir !== undefined) workDir = undefined;
    return { ...run, ...(runDir !== undefined ? { runDir } : {}) };
  } catch (e) {
    if (e instanceof HostStepError) return { status: "failed", error: { kind: e.kind, message: e.message } };
    return { status: "failed", error: { kind: "internal", message: `${connection.host.name}: ${(e as Error).message}` } };
  } finally {
    if (workDir !== undefined) await connection.run(`rm -rf ${shellQuote(workDir)}`);
    await connection.close();
  }
}

async function uploadBinary(connection: SshConnection, binary: MooncakeBinary): Promise<void> {
  const dir = `${CACHE}/${binary.sha256}`;
  // Written under a temporary name, checked, then renamed: a cut upload never looks cached.
  const script = [
    "set -e", "umask 077", `mkdir -p ${dir}`, `t=${dir}/.mooncake.$$`, `cat >"$t"`,
    `h=$( (sha256sum "$t" 2>/dev/null || shasum -a 256 "$t") | cut -d' ' -f1)`,
    `if [ "$h" != ${binary.sha256} ]; then rm -f "$t"; echo "the uploaded binary has sha256 $h, not ${binary.sha256}" >&2; exit 1; fi`,
    `chmod 700 "$t"`, `mv -f "$t" ${dir}/mooncake`,
  ].join("; ");
  const result = await connection.run(script, Bun.file(binary.path));
  if (result.exitCode !== 0) throw new HostStepError(result.exitCode === SSH_FAILED ? "network" : "io", `Cannot upload mooncake to ${connection.host.name}: ${result.stderr.trim() || `exit ${result.exitCode}`}`);
}

interface RunThere {
  status: HostStatus;
  counts?: Counts;
  runId?: string;
  error?: StepError;
}

/** Runs mooncake on the host, forwarding its events; on abort, signals its process group there. */
async function runThere(options: HostRunOptions, binary: MooncakeBinary, workDir: string): Promise<RunThere> {
  const { connection } = options;
  const q = shellQuote;
  const argv = [
    `$HOME/.cache/mooncake/bin/${binary.sha256}/mooncake`, "run",
    "--config", `${workDir}/bundle/${options.bundle.rootFile}`,
    "--log-format", "json",
    "--fleet-input",
    ...(options.homeDir !== undefined ? ["--artifacts-dir", `${workDir}/artifacts`] : ["--no-artifacts"]),
    ...options.runArgs,
  ];
  const command = `cd ${q(workDir)} && echo "mooncake-pid $$" && exec ${argv.map((a, i) => (i === 0 ? `"${a}"` : q(a))).join(" ")}`;
  const child = connection.spawn(command);
  child.stdin.write(JSON.stringify(options.input));
  await child.stdin.end();

  let pid: number | undefined;
  let runId: string | undefined;
  let finished: RunEvent | undefined;
  let stopping: Promise<unknown> | undefined;
  const stop = () => {
    if (pid !== undefined) stopping ??= connection.run(`kill -TERM -- -${pid} 2>/dev/null || kill -TERM ${pid}`);
  };
  options.signal.addEventListener("abort", stop);
  const stderr = new Response(child.stderr).text();
  try {
    for await (const line of lines(child.stdout)) {
      const pidMatch = pid === undefined ? PID_LINE.exec(line) : null;
      if (pidMatch) {
        pid = Number(pidMatch[1]);
        if (options.signal.aborted) stop();
        continue;
      }
      const event = parseEvent(line);
      if (!event) continue;
      runId ??= event.run_id;
      if (event.type === "run.finished") finished = event;
      options.forward(event);
    }
  } finally {
    options.signal.removeEventListener("abort", stop);
  }
  const exitCode = await child.exited;
  await stopping;
  const ids = runId !== undefined ? { runId } : {};
  if (finished?.type === "run.finished") {
    const { status, counts, error } = finished.data;
    return { status, counts, ...ids, ...(error ? { error } : {}) };
  }
  const detail = (await stderr).trim();
  if (exitCode === SSH_FAILED && pid === undefined) return { status: "unreachable", ...ids, error: { kind: "unreachable", message: sshError(connection, detail) } };
  if (options.signal.aborted) return { status: "interrupted", ...ids, error: { kind: "interrupted", message: "Interrupted" } };
  return { status: "failed", ...ids, error: { kind: exitCode === 2 ? "validation" : "internal", message: `mooncake on ${connection.host.name} exited ${exitCode}${detail ? `: ${lastLines(detail)}` : " before finishing its run"}` } };
}

async function fetchRun(connection: SshConnection, workDir: string, runId: string, homeDir: string): Promise<string | undefined> {
  // The folder goes once the tar is sent, in the same round trip.
  const child = connection.spawn(`cd ${shellQuote(`${workDir}/artifacts/runs`)} && tar -cf - ${shellQuote(runId)} && cd / && rm -rf ${shellQuote(workDir)}`);
  await child.stdin.end();
  const stderr = new Response(child.stderr).text();
  const dest = await bringRunHome(child.stdout, join(homeDir, "runs"), runId).catch(async (e: unknown) => {
    throw new HostStepError("artifacts", `Cannot bring the run of ${connection.host.name} home: ${(e as Error).message}${(await stderr).trim() ? ` (${(await stderr).trim()})` : ""}`);
  });
  await child.exited;
  return dest;
}

/** An event line of the host's run, or undefined for anything else it printed. */
function parseEvent(line: string): RunEvent | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return checkEvent.Check(value) ? (value as RunEvent) : undefined;
  } catch {
    return undefined;
  }
}

/** The lines of a byte stream, each at most MAX_EVENT_LINE bytes. */
async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of stream) {
    const parts = (pending + decoder.decode(chunk, { stream: true })).split("\n");
    pending = parts.pop()!;
    yield* parts;
    if (pending.length > MAX_EVENT_LINE) throw new HostStepError("internal", `an event line longer than ${MAX_EVENT_LINE} bytes`);
  }
  if (pending) yield pending;
}

function sshError(connection: SshConnection, stderr: string): string {
  const { host } = connection;
  return `Cannot reach ${host.name} (${host.user !== undefined ? `${host.user}@` : ""}${host.address}${host.port !== undefined ? `:${host.port}` : ""}) over ssh: ${lastLines(stderr) || "ssh failed"}`;
}

function lastLines(text: string): string {
  return text.trim().split("\n").slice(-3).join("; ");
}
