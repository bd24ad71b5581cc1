import { Type, type Static } from "@sinclair/typebox";
import { join, resolve } from "node:path";
import { Path, Strict } from "../core/config/schema_types.ts";
import { ActionError, ALL_PLATFORMS, MissingInputError, type ActionContext, type ActionSpec, type Change } from "../core/exec/action.ts";
import { sha256File } from "../core/fs/hash_file.ts";
import { statIfExists } from "../core/fs/stat_if_exists.ts";
import { fsTry } from "./fs_action.ts";
import { applyProcess } from "./process_action.ts";
import { decideContent } from "./write_content.ts";

const SPECS = { pyproject: "pyproject.toml", requirements: "requirements.txt", env_yml: "environment.yml" } as const;

const PythonEnvArgs = Strict({
  backend: Type.Union([Type.Literal("uv"), Type.Literal("micromamba")]),
  name: Type.String({ pattern: "^[A-Za-z0-9_.-]+$", description: "The environment's name: its directory under envs_dir" }),
  spec: Type.Union(Object.keys(SPECS).map((s) => Type.Literal(s)), { description: "What describes the environment: pyproject, requirements or env_yml" }),
  path: Type.Optional(Path),
  envs_dir: Type.Optional(Path),
});
type PythonEnvArgs = Static<typeof PythonEnvArgs>;

export const DEFAULT_ENVS_DIR = "/opt/mooncake/envs";
/** Inside the environment: the sha256 of the spec it was built from. */
const SPEC_STAMP = ".mooncake-spec";

interface EnvPlan {
  env: string;
  specFile: string;
  stamp: string;
  commands: string[][];
}

/** The environment's directory, the spec file, what its stamp must say, and the commands that build it. */
async function planEnv(ctx: ActionContext, args: PythonEnvArgs): Promise<EnvPlan> {
  const env = join(args.envs_dir ?? DEFAULT_ENVS_DIR, args.name);
  // The default spec file is the one beside the config that declares the step.
  const specFile = args.path ?? resolve(ctx.step.cwd, SPECS[args.spec as keyof typeof SPECS]);
  if (!fsTry("read", specFile, () => statIfExists(specFile))?.isFile()) throw new MissingInputError(specFile, `Cannot build the environment "${args.name}": the spec "${specFile}" does not exist`);
  if (args.backend === "uv" && args.spec === "env_yml") throw new ActionError("validation", "python_env: uv cannot read an environment.yml; use backend: micromamba");
  const stamp = `${args.backend} ${args.spec} sha256:${await sha256File(specFile)}\n`;
  const commands = args.backend === "uv"
    ? [["uv", "venv", "--allow-existing", env], ["uv", "pip", "install", "--python", join(env, "bin", "python"), "-r", specFile]]
    : args.spec === "env_yml"
      ? [["micromamba", "create", "-y", "-p", env, "-f", specFile]]
      : [["micromamba", "create", "-y", "-p", env, "python", "pip"], ["micromamba", "run", "-p", env, "python", "-m", "pip", "install", "-r", specFile]];
  return { env, specFile, stamp, commands };
}

async function decide(ctx: ActionContext, args: PythonEnvArgs) {
  const plan = await planEnv(ctx, args);
  const stamp = await decideContent(ctx, { dest: join(plan.env, SPEC_STAMP), content: { bytes: Buffer.from(plan.stamp) }, wanted: {} });
  return { plan, stamp };
}

function changeOf(ctx: ActionContext, plan: EnvPlan, stampChange: Change): Change {
  if (stampChange.kind === "none") return { kind: "none", reason: `environment "${plan.env}" was built from this ${plan.specFile}` };
  const reason = stampChange.kind === "create" ? `environment "${plan.env}" is not built from ${plan.specFile}` : `${plan.specFile} changed since the environment was built`;
  return { kind: stampChange.kind === "create" ? "create" : "update", reason, detail: plan.commands.map((c) => ctx.describe(c)).join(" && ") };
}

export const pythonEnv: ActionSpec<PythonEnvArgs> = {
  name: "python_env",
  summary: "Build a Python environment with uv or micromamba from pyproject.toml, requirements.txt or environment.yml",
  schema: PythonEnvArgs,
  platforms: ALL_PLATFORMS,
  phase: "run",
  pathFields: ["path", "envs_dir"],
  check: async (ctx, args) => {
    const { plan, stamp } = await decide(ctx, args);
    return changeOf(ctx, plan, stamp.change);
  },
  // The stamp is written last, so an interrupted build is built again by the next run.
  apply: async (ctx, args) => {
    const { plan, stamp } = await decide(ctx, args);
    let outcome: Awaited<ReturnType<typeof applyProcess>> = { changed: false };
    for (const argv of plan.commands) {
      outcome = await applyProcess(ctx, argv, {});
      if (outcome.error) return outcome;
    }
    await stamp.make?.();
    return { ...outcome, changed: true };
  },
};
