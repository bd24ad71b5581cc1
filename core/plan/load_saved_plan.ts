import { sha256Bytes } from "../fs/hash_file.ts";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { explainSchema } from "../config/explain_schema.ts";
import { describeFsError, displayPath } from "../config/source_file.ts";
import { filetreeDigest, filetreeItems } from "./filetree_items.ts";
import { Plan, PLAN_SCHEMA_VERSION } from "./plan.ts";

/** A saved plan that cannot be run as it is; the message says why and what to do. */
export class SavedPlanError extends Error {
  override name = "SavedPlanError";
}

/**
 * Reads a plan written by `mooncake plan --output` (JSON or YAML) and refuses one that this
 * version cannot read, that does not match the plan schema, or whose config files changed since
 * it was made (a stale plan would apply decisions made against other files).
 */
export function loadSavedPlan(path: string): Plan {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new SavedPlanError(`Cannot read plan "${path}": ${describeFsError(e)}`);
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
  for (const source of plan.sources) {
    if ((source.kind === "filetree" ? filetreeDigestOf(source.file) : sha256Of(source.file)) !== source.sha256) {
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

function sha256Of(path: string): string | undefined {
  try {
    return sha256Bytes(readFileSync(path));
  } catch {
    return undefined;
  }
}
