import { parse } from "yaml";
import { explainSchema } from "../config/explain_schema.ts";
import { describeFsError, displayPath } from "../config/source_file.ts";
import type { ActionCatalog } from "../exec/action.ts";
import { sha256File } from "../fs/hash_file.ts";
import { readRegularFile, UnreadableFileError } from "../fs/read_regular_file.ts";
import { filetreeDigest, filetreeItems } from "./filetree_items.ts";
import { Plan, PLAN_SCHEMA_VERSION } from "./plan.ts";

/** A saved plan is read whole; larger than any plan of the largest config. */
const MAX_PLAN_BYTES = 256 * 1024 * 1024;

/** A saved plan that cannot be run as it is; the message says why and what to do. */
export class SavedPlanError extends Error {
  override name = "SavedPlanError";
}

/**
 * Reads a plan written by `mooncake plan --output` (JSON or YAML) and refuses one that this
 * version cannot read, that does not match the plan schema (each step's arguments included: a
 * plan is a file anyone may have edited), or whose config files changed since it was made (a
 * stale plan would apply decisions made against other files).
 */
export async function loadSavedPlan(path: string, actions: ActionCatalog): Promise<Plan> {
  let text: string;
  try {
    text = readRegularFile(path, MAX_PLAN_BYTES).toString("utf8");
  } catch (e) {
    throw new SavedPlanError(`Cannot read plan "${path}": ${e instanceof UnreadableFileError ? e.message : describeFsError(e)}`);
  }
  let value: unknown;
  try {
    value = path.endsWith(".json") ? JSON.parse(text) : parse(text);
  } catch (e) {
    throw new SavedPlanError(`Plan "${path}" is not valid ${path.endsWith(".json") ? "JSON" : "YAML"}: ${(e as Error).message}`);
  }
  const version = (value as { schema_version?: unknown } | null)?.schema_version;
  if (version !== PLAN_SCHEMA_VERSION) {
    throw new SavedPlanError(`Plan "${path}" has schema_version ${JSON.stringify(version)}; this mooncake reads version ${PLAN_SCHEMA_VERSION}: make the plan again with this mooncake's "plan --output"`);
  }
  const problems = explainSchema(Plan, value);
  if (problems.length > 0) {
    const where = (p: (typeof problems)[number]) => (p.path.length ? p.path.join(".") : "(root)");
    throw new SavedPlanError(`Plan "${path}" is not a valid plan: ${problems.slice(0, 3).map((p) => `${where(p)}: ${p.message}`).join("; ")}`);
  }
  const plan = value as Plan;
  for (const step of plan.steps) {
    const problem = stepProblem(step, actions);
    if (problem) throw new SavedPlanError(`Plan "${path}" is not a valid plan: ${problem}`);
  }
  for (const source of plan.sources) {
    if ((source.kind === "filetree" ? filetreeDigestOf(source.file) : await sha256Of(source.file)) !== source.sha256) {
      throw new SavedPlanError(`Saved plan "${path}" is stale: "${displayPath(source.file)}" changed since the plan was made; make the plan again`);
    }
  }
  return plan;
}

function filetreeDigestOf(root: string): string | undefined {
  try {
    return filetreeDigest(filetreeItems(root));
  } catch {
    return undefined;
  }
}

/** Why a step's action or arguments cannot run, or undefined when they can. */
function stepProblem(step: Plan["steps"][number], actions: ActionCatalog): string | undefined {
  const action = actions.find(step.action);
  if (!action) return `${step.id} names the action ${JSON.stringify(step.action)}, which this mooncake does not have`;
  const [problem] = explainSchema(action.schema, step.args);
  return problem && `${step.id} (${step.action}): ${[step.action, ...problem.path].join(".")}: ${problem.message}`;
}

async function sha256Of(path: string): Promise<string | undefined> {
  try {
    return await sha256File(path);
  } catch {
    return undefined;
  }
}
