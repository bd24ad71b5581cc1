import { Type, type Static } from "@sinclair/typebox";
import { Flag, NonEmptyString, Path, Strict } from "../core/config/schema_types.ts";
import { ActionError, type ActionContext, type ActionSpec, type Change, type Outcome } from "../core/exec/action.ts";
import { sha256File } from "../core/fs/hash_file.ts";
import { readRegularFile } from "../core/fs/read_regular_file.ts";
import { statIfExists } from "../core/fs/stat_if_exists.ts";
import { packageAction } from "./package.ts";
import { systemd } from "./systemd.ts";
import { combineChanges } from "./tool_install.ts";

/** The fields of an action that installs a runtime as system packages: online by name, or from local files. */
const packageFields = {
  state: Type.Optional(Type.Union([Type.Literal("present"), Type.Literal("absent")], { description: "present (default) or absent" })),
  version_pin: Type.Optional(NonEmptyString),
  packages: Type.Optional(Type.Array(NonEmptyString, { minItems: 1, description: "The packages to install instead of the default ones" })),
  deb: Type.Optional(Type.Union([Path, Type.Array(Path, { minItems: 1 })], { description: "Local .deb files (air-gapped)" })),
  rpm: Type.Optional(Type.Union([Path, Type.Array(Path, { minItems: 1 })], { description: "Local .rpm files (air-gapped)" })),
};

interface PackageFields {
  state?: "present" | "absent";
  version_pin?: string;
  packages?: string[];
  deb?: string | string[];
  rpm?: string | string[];
}

/** A sub-step, checked and applied as a step of its own would be. */
interface Part {
  check(ctx: ActionContext): Promise<Change>;
  apply(ctx: ActionContext, change: Change): Promise<Outcome>;
}

/** Another action, with these args, as a part. */
function actionPart<Args>(action: ActionSpec<Args>, args: Args): Part {
  return { check: (ctx) => action.check!(ctx, args), apply: (ctx, change) => action.apply!(ctx, args, change) };
}

/** The `package` args for a runtime: its default packages per manager, or local files. */
function packageArgs(ctx: ActionContext, fields: PackageFields, defaults: Readonly<Record<string, readonly string[]>>) {
  if (fields.deb !== undefined || fields.rpm !== undefined) {
    return { ...(fields.deb ? { deb: fields.deb } : {}), ...(fields.rpm ? { rpm: fields.rpm } : {}), ...(fields.state ? { state: fields.state } : {}) };
  }
  const manager = String(ctx.vars.package_manager ?? "");
  const names = fields.packages ?? defaults[manager] ?? defaults.default;
  if (!names) throw new ActionError("validation", `No default package for the ${manager || "unknown"} package manager: give packages: [...]`);
  return { name: [...names], ...(fields.state ? { state: fields.state } : {}), ...(fields.version_pin && names.length === 1 ? { version: fields.version_pin } : {}) };
}

async function checkParts(ctx: ActionContext, parts: readonly Part[]): Promise<Change[]> {
  const changes: Change[] = [];
  for (const part of parts) changes.push(await part.check(ctx));
  return changes;
}

/** Applies each part whose check (made again now) finds a change, in order; the first failure stops. */
async function applyParts(ctx: ActionContext, parts: readonly Part[]): Promise<Outcome> {
  let changed = false;
  for (const part of parts) {
    const change = await part.check(ctx);
    if (change.kind === "none") continue;
    const outcome = await part.apply(ctx, change);
    changed ||= outcome.changed;
    if (outcome.error) return { ...outcome, changed };
  }
  return { changed };
}

const DockerArgs = Strict({ ...packageFields, service: Type.Optional(Flag("Start and enable docker.service (default true)")) });
type DockerArgs = Static<typeof DockerArgs>;

const DOCKER_PACKAGES = { apt: ["docker.io"], default: ["docker"] };

function dockerParts(ctx: ActionContext, args: DockerArgs): Part[] {
  const absent = args.state === "absent";
  const service = { name: "docker", state: absent ? ("stopped" as const) : ("started" as const), enabled: !absent };
  const install = actionPart(packageAction, packageArgs(ctx, args, DOCKER_PACKAGES));
  const run = args.service === false ? [] : [actionPart(systemd, service)];
  // Stop the service before removing its package; install before starting it.
  return absent ? [...run, install] : [install, ...run];
}

export const docker: ActionSpec<DockerArgs> = {
  name: "docker",
  summary: "Install Docker from the system packages (or local files) and run its service",
  schema: DockerArgs,
  platforms: ["linux"],
  phase: "run",
  pathFields: ["deb", "rpm"],
  check: async (ctx, args) => combineChanges(await checkParts(ctx, dockerParts(ctx, args))),
  apply: (ctx, args) => applyParts(ctx, dockerParts(ctx, args)),
};

const ApptainerArgs = Strict(packageFields);
type ApptainerArgs = Static<typeof ApptainerArgs>;

export const apptainer: ActionSpec<ApptainerArgs> = {
  name: "apptainer",
  summary: "Install Apptainer (HPC containers) from the system packages or local files",
  schema: ApptainerArgs,
  platforms: ["linux"],
  phase: "run",
  pathFields: ["deb", "rpm"],
  check: (ctx, args) => packageAction.check!(ctx, packageArgs(ctx, args, { default: ["apptainer"] })),
  apply: (ctx, args, change) => packageAction.apply!(ctx, packageArgs(ctx, args, { default: ["apptainer"] }), change),
};

const ToolkitArgs = Strict({
  ...packageFields,
  force: Type.Optional(Flag("Install even where no NVIDIA GPU is found")),
  config_file: Type.Optional(Path),
});
type ToolkitArgs = Static<typeof ToolkitArgs>;

export const DOCKER_DAEMON_JSON = "/etc/docker/daemon.json";

/** Docker's daemon.json is a few hundred bytes; a larger one is not read. */
const MAX_DAEMON_JSON_BYTES = 1024 * 1024;

/** Whether Docker's daemon.json already names the nvidia runtime. */
function nvidiaRuntimeConfigured(path: string): boolean {
  if (!statIfExists(path)?.isFile()) return false;
  try {
    return JSON.parse(readRegularFile(path, MAX_DAEMON_JSON_BYTES).toString("utf8"))?.runtimes?.nvidia !== undefined;
  } catch {
    return false;
  }
}

async function fileHash(path: string): Promise<string> {
  return statIfExists(path)?.isFile() ? sha256File(path) : "";
}

function nvidiaGpus(ctx: ActionContext): number {
  const gpu = ctx.vars.gpu as { devices?: { vendor: string }[] } | undefined;
  return (gpu?.devices ?? []).filter((d) => d.vendor === "nvidia").length;
}

/** The runtime configuration step: `nvidia-ctk runtime configure` when daemon.json lacks the nvidia runtime. */
function configurePart(args: ToolkitArgs): Part {
  const config = args.config_file ?? DOCKER_DAEMON_JSON;
  const argv = ["nvidia-ctk", "runtime", "configure", "--runtime=docker", `--config=${config}`];
  return {
    check: async (ctx) =>
      nvidiaRuntimeConfigured(config)
        ? { kind: "none", reason: `${config} names the nvidia runtime` }
        : { kind: "update", reason: `${config} does not name the nvidia runtime`, detail: `${ctx.describe(argv)} && systemctl restart docker (when it changed)` },
    apply: async (ctx) => {
      const before = await fileHash(config);
      const result = await ctx.run(argv);
      if (result.error || result.rc !== 0) {
        throw new ActionError("exit_code", `nvidia-ctk runtime configure failed: ${result.error?.message ?? result.stderr.text.trim().split("\n").pop() ?? `exit ${result.rc}`}`);
      }
      if ((await fileHash(config)) === before) return { changed: false };
      const restart = await ctx.run(["systemctl", "restart", "docker"]);
      if (restart.rc !== 0) throw new ActionError("exit_code", `systemctl restart docker exited ${restart.rc}: ${restart.stderr.text.trim().split("\n").pop() ?? ""}`);
      return { changed: true };
    },
  };
}

function toolkitParts(ctx: ActionContext, args: ToolkitArgs): Part[] {
  const install = actionPart(packageAction, packageArgs(ctx, args, { default: ["nvidia-container-toolkit"] }));
  if (args.state === "absent") return [install];
  if (nvidiaGpus(ctx) === 0 && !args.force) {
    throw new ActionError("validation", "No NVIDIA GPU on this host (gpu facts list none): nvidia_container_toolkit refuses to install; set force: true to install anyway");
  }
  return [install, configurePart(args)];
}

export const nvidiaContainerToolkit: ActionSpec<ToolkitArgs> = {
  name: "nvidia_container_toolkit",
  summary: "Install the NVIDIA Container Toolkit and configure Docker's nvidia runtime (restarting Docker only when its config changed)",
  schema: ToolkitArgs,
  platforms: ["linux"],
  phase: "run",
  pathFields: ["deb", "rpm", "config_file"],
  check: async (ctx, args) => combineChanges(await checkParts(ctx, toolkitParts(ctx, args))),
  apply: (ctx, args) => applyParts(ctx, toolkitParts(ctx, args)),
};
