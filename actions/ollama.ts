import { Type, type Static } from "@sinclair/typebox";
import { join } from "node:path";
import { Flag, NonEmptyString, Path, Strict } from "../core/config/schema_types.ts";
import { Templated } from "../core/config/templated.ts";
import { abortableSleep } from "../core/exec/abortable_sleep.ts";
import { ActionError, type ActionContext, type ActionSpec, type Change, type Outcome } from "../core/exec/action.ts";
import { ollamaEndpoint } from "../core/facts/ollama_facts.ts";
import { httpMismatches } from "./assert_http.ts";
import { systemd } from "./systemd.ts";
import { applyTool, checkTool, combineChanges, DEFAULT_BIN_DIR, toolInstallFields, type Tool, type ToolState } from "./tool_install.ts";

const OllamaArgs = Strict({
  ...toolInstallFields,
  host: Type.Optional(NonEmptyString),
  models_dir: Type.Optional(Path),
  debug: Type.Optional(Flag("OLLAMA_DEBUG=1 in the service's environment")),
  service: Type.Optional(Flag("Run ollama serve as a systemd service (default true on Linux)")),
  pull: Type.Optional(Templated(Type.Array(NonEmptyString, { description: "Models the server must have, such as llama3.1:8b; or one {{ tag }} giving that list" }))),
});
type OllamaArgs = Static<typeof OllamaArgs>;

const OLLAMA: Tool = {
  name: "ollama",
  binaries: ["ollama"],
  versionArgs: ["--version"],
  trees: [{ from: "lib/ollama", to: "../lib/ollama" }],
  releaseUrl: (version, os, arch) =>
    version ? `https://github.com/ollama/ollama/releases/download/v${version.replace(/^v/, "")}/ollama-${os}-${arch}.tgz` : `https://ollama.com/download/ollama-${os}-${arch}.tgz`,
};

/** How long apply waits for a (re)started server to answer before pulling. */
const SERVER_WAIT_MS = 30_000;

function unitText(binary: string): string {
  return [
    "[Unit]",
    "Description=Ollama (managed by mooncake)",
    "After=network-online.target",
    "",
    "[Service]",
    `ExecStart=${binary} serve`,
    "DynamicUser=yes",
    "StateDirectory=ollama",
    "Environment=HOME=/var/lib/ollama",
    "Restart=always",
    "RestartSec=3",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

function dropinText(args: OllamaArgs): string {
  const env = [
    ...(args.host ? [`OLLAMA_HOST=${args.host}`] : []),
    ...(args.models_dir ? [`OLLAMA_MODELS=${args.models_dir}`] : []),
    ...(args.debug ? ["OLLAMA_DEBUG=1"] : []),
  ];
  const writable = args.models_dir ? [`ReadWritePaths=${args.models_dir}`] : [];
  return ["[Service]", ...env.map((e) => `Environment="${e}"`), ...writable, ""].join("\n");
}

/** The systemd step the service part is: unit and drop-in written, daemon-reload and restart only when they changed. */
function serviceArgs(args: OllamaArgs) {
  const absent = args.state === "absent";
  return {
    name: "ollama",
    state: absent ? ("stopped" as const) : ("started" as const),
    enabled: !absent,
    restart_on_change: true,
    ...(absent ? {} : { unit: { content: unitText(join(args.bin_dir ?? DEFAULT_BIN_DIR, "ollama")) }, dropin: { name: "mooncake", content: dropinText(args) } }),
  };
}

/** The models of `pull` the server does not list; undefined when the server does not answer. */
async function missingModels(ctx: ActionContext, endpoint: string, wanted: readonly string[]): Promise<string[] | undefined> {
  try {
    const response = await fetch(`${endpoint}/api/tags`, { signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(5000)]) });
    if (!response.ok) return undefined;
    const { models = [] } = (await response.json()) as { models?: { name: string }[] };
    const have = new Set(models.flatMap((m) => [m.name, m.name.replace(/:latest$/, "")]));
    return wanted.filter((m) => !have.has(m) && !have.has(`${m}:latest`));
  } catch {
    return undefined;
  }
}

interface OllamaPlan {
  tool: ToolState;
  service?: { args: ReturnType<typeof serviceArgs>; change: Change };
  endpoint: string;
  /** Models to pull; undefined when the server cannot tell yet. */
  pull?: string[];
}


async function plan(ctx: ActionContext, args: OllamaArgs): Promise<OllamaPlan> {
  const tool = await checkTool(ctx, OLLAMA, args);
  const withService = args.service ?? ctx.vars.os === "linux";
  const service = withService ? serviceArgs(args) : undefined;
  const endpoint = ollamaEndpoint(args.host);
  const wanted = args.pull ?? [];
  const pull = args.state === "absent" || wanted.length === 0 ? [] : await missingModels(ctx, endpoint, wanted);
  return { tool, endpoint, ...(pull ? { pull } : {}), ...(service ? { service: { args: service, change: await systemd.check!(ctx, service) } } : {}) };
}

function pullChange(plan: OllamaPlan, args: OllamaArgs): Change {
  const wanted = args.pull ?? [];
  if (wanted.length === 0 || args.state === "absent") return { kind: "none", reason: "no models to pull" };
  if (plan.pull === undefined) return { kind: "run", reason: `would pull ${wanted.join(", ")} that ${plan.endpoint} does not list (the server does not answer yet: known after run)` };
  if (plan.pull.length === 0) return { kind: "none", reason: `${plan.endpoint} has ${wanted.join(", ")}` };
  return { kind: "run", reason: `would pull ${plan.pull.join(", ")}`, detail: plan.pull.map((m) => `ollama pull ${m}`).join("\n") };
}

/** Waits until the server answers /api/tags, then checks its health the way assert.http does. */
async function waitForServer(ctx: ActionContext, endpoint: string): Promise<void> {
  const started = performance.now();
  let problems: string[] = [];
  while (performance.now() - started < SERVER_WAIT_MS && !ctx.signal.aborted) {
    problems = await httpMismatches({ url: `${endpoint}/api/tags` }, 5000, ctx.signal);
    if (problems.length === 0) return;
    await abortableSleep(500, ctx.signal);
  }
  throw new ActionError("timeout", `Ollama at ${endpoint} did not become healthy within ${SERVER_WAIT_MS / 1000}s: ${problems.join("; ")}`);
}

export const ollama: ActionSpec<OllamaArgs> = {
  name: "ollama",
  summary: "Install Ollama, run it as a systemd service with its settings, and pull the models it lacks",
  schema: OllamaArgs,
  platforms: ["linux", "darwin"],
  phase: "run",
  pathFields: ["source", "bin_dir", "models_dir"],
  check: async (ctx, args) => {
    const p = await plan(ctx, args);
    return combineChanges([p.tool.change, ...(p.service ? [p.service.change] : []), pullChange(p, args)]);
  },
  apply: async (ctx, args): Promise<Outcome> => {
    const p = await plan(ctx, args);
    await applyTool(ctx, OLLAMA, args, p.tool);
    if (p.service && p.service.change.kind !== "none") {
      const outcome = await systemd.apply!(ctx, p.service.args, p.service.change);
      if (outcome.error) return outcome;
    }
    const wanted = args.pull ?? [];
    if (args.state === "absent" || wanted.length === 0) return { changed: true };
    await waitForServer(ctx, p.endpoint);
    const missing = (await missingModels(ctx, p.endpoint, wanted)) ?? wanted;
    for (const model of missing) {
      const result = await ctx.run(["env", `OLLAMA_HOST=${p.endpoint}`, join(args.bin_dir ?? DEFAULT_BIN_DIR, "ollama"), "pull", model]);
      if (result.error || result.rc !== 0) {
        const detail = result.error?.message ?? result.stderr.text.trim().split("\n").pop() ?? "";
        throw new ActionError("exit_code", `Cannot pull ${model} from ${p.endpoint}: ${detail}`);
      }
    }
    return { changed: true, data: { endpoint: p.endpoint, pulled: missing } };
  },
};
