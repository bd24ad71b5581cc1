import { Type, type Static } from "@sinclair/typebox";
import { connect } from "node:net";
import { Count, Duration, Flag, NonEmptyString, Path, Strict } from "../core/config/schema_types.ts";
import { abortableSleep } from "../core/exec/abortable_sleep.ts";
import { ActionError, ALL_PLATFORMS, type ActionContext, type ActionSpec } from "../core/exec/action.ts";
import { parseDuration } from "../core/exec/duration.ts";
import { lstatIfExists } from "../core/fs/stat_if_exists.ts";

const CONDITIONS = ["file_exists", "file_absent", "git_clean", "command", "http", "port"] as const;

const WaitArgs = Strict({
  condition: Type.Union(CONDITIONS.map((c) => Type.Literal(c)), { description: "What to wait for" }),
  timeout: Type.Optional(Duration),
  interval: Type.Optional(Duration),
  path: Type.Optional(Path),
  allow_untracked: Type.Optional(Flag("git_clean: untracked files do not count")),
  cmd: Type.Optional(NonEmptyString),
  exit_code: Type.Optional(Count("command: the exit code that means ready (default 0)")),
  url: Type.Optional(NonEmptyString),
  status: Type.Optional(Count("http: the status that means ready (default 200)", { minimum: 100, maximum: 599 })),
  port: Type.Optional(Count("port: the TCP port that must accept a connection", { minimum: 1, maximum: 65535 })),
  host: Type.Optional(NonEmptyString),
});
type WaitArgs = Static<typeof WaitArgs>;

/** The field each condition needs. */
const REQUIRED: Record<WaitArgs["condition"], keyof WaitArgs> = {
  file_exists: "path", file_absent: "path", git_clean: "path", command: "cmd", http: "url", port: "port",
};

interface Observation {
  ready: boolean;
  /** What was seen, as the failure message ends: "connection refused", "answered 503". */
  seen: string;
}

interface Probe {
  /** "port 8080 on 127.0.0.1" */
  subject: string;
  observe(budgetMs: number): Promise<Observation>;
}

function probeFor(ctx: ActionContext, args: WaitArgs): Probe {
  const needed = REQUIRED[args.condition];
  if (args[needed] === undefined) throw new ActionError("validation", `wait: condition ${args.condition} needs "${needed}"`);
  switch (args.condition) {
    case "file_exists":
    case "file_absent": {
      const wantExists = args.condition === "file_exists";
      return {
        subject: `"${args.path}"`,
        observe: async () => {
          const exists = lstatIfExists(args.path!) !== undefined;
          return { ready: exists === wantExists, seen: exists ? "exists" : "does not exist" };
        },
      };
    }
    case "port": {
      const host = args.host ?? "localhost";
      return { subject: `port ${args.port} on ${host}`, observe: (budgetMs) => tryConnect(host, args.port!, budgetMs) };
    }
    case "http": {
      const want = args.status ?? 200;
      return {
        subject: `${args.url} answering ${want}`,
        observe: async (budgetMs) => {
          try {
            const response = await fetch(args.url!, { redirect: "manual", signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(budgetMs)]) });
            await response.body?.cancel();
            return { ready: response.status === want, seen: `answered ${response.status}` };
          } catch (e) {
            return { ready: false, seen: (e as Error).name === "TimeoutError" ? "no answer in time" : (e as Error).message };
          }
        },
      };
    }
    case "command": {
      const want = args.exit_code ?? 0;
      return {
        subject: `\`${args.cmd}\` exiting ${want}`,
        observe: async (budgetMs) => {
          const result = await ctx.run(["sh", "-c", args.cmd!], { probe: true, timeoutMs: budgetMs });
          return { ready: result.rc === want, seen: result.rc === null ? (result.error?.message ?? "did not finish") : `exited ${result.rc}` };
        },
      };
    }
    case "git_clean":
      return {
        subject: `a clean git tree at "${args.path}"`,
        observe: async (budgetMs) => {
          const result = await ctx.run(["git", "-C", args.path!, "status", "--porcelain"], { probe: true, timeoutMs: budgetMs });
          if (result.rc !== 0) return { ready: false, seen: `git status exited ${result.rc ?? "abnormally"}: ${result.stderr.text.trim()}` };
          const changes = result.stdout.text.split("\n").filter((l) => l !== "" && !(args.allow_untracked && l.startsWith("??")));
          return { ready: changes.length === 0, seen: `${changes.length} changed file${changes.length === 1 ? "" : "s"}` };
        },
      };
  }
}

function tryConnect(host: string, port: number, budgetMs: number): Promise<Observation> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: budgetMs });
    const finish = (observation: Observation) => {
      socket.destroy();
      resolve(observation);
    };
    socket.once("connect", () => finish({ ready: true, seen: "accepts connections" }));
    socket.once("timeout", () => finish({ ready: false, seen: "no answer in time" }));
    socket.once("error", (e: NodeJS.ErrnoException) => finish({ ready: false, seen: e.code === "ECONNREFUSED" ? "connection refused" : e.message }));
  });
}

function timing(args: WaitArgs): { timeoutMs: number; intervalMs: number } {
  return { timeoutMs: parseDuration(args.timeout ?? "30s"), intervalMs: Math.max(1, parseDuration(args.interval ?? "1s")) };
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}

export const wait: ActionSpec<WaitArgs> = {
  name: "wait",
  summary: "Wait until a file, port, HTTP endpoint, command or git tree is ready (Ansible's wait_for)",
  schema: WaitArgs,
  platforms: ALL_PLATFORMS,
  phase: "run",
  pathFields: ["path"],
  // One look, never a wait: ready now is nothing to do; otherwise the run waits and a preview says so.
  check: async (ctx, args) => {
    const probe = probeFor(ctx, args);
    const { timeoutMs, intervalMs } = timing(args);
    const now = await probe.observe(Math.min(intervalMs, timeoutMs));
    if (now.ready) return { kind: "none", reason: `${probe.subject}: ${now.seen}` };
    const every = `up to ${args.timeout ?? "30s"}, looking every ${args.interval ?? "1s"}`;
    return { kind: "run", reason: `${probe.subject}: ${now.seen}; would wait ${every}`, detail: probe.subject };
  },
  apply: async (ctx, args) => {
    const probe = probeFor(ctx, args);
    const { timeoutMs, intervalMs } = timing(args);
    const started = performance.now();
    for (let tries = 1; ; tries++) {
      const remaining = timeoutMs - (performance.now() - started);
      const last = await probe.observe(Math.max(1, Math.min(intervalMs, remaining)));
      if (ctx.signal.aborted) throw new ActionError("interrupted", `Stopped waiting for ${probe.subject}: interrupted`);
      if (last.ready) return { changed: false, data: { tries, waited_ms: Math.round(performance.now() - started) } };
      const elapsed = performance.now() - started;
      if (elapsed + intervalMs > timeoutMs) {
        throw new ActionError("timeout", `${probe.subject}: ${last.seen} after ${seconds(elapsed)}, ${tries} ${tries === 1 ? "try" : "tries"}`);
      }
      await abortableSleep(intervalMs, ctx.signal);
    }
  },
};
