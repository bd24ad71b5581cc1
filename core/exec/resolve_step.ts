import type { ActionSpec, StepSettings } from "../../actions/action.ts";
import type { Vars } from "../expr/compile_expression.ts";
import type { PlanStep } from "../plan/plan.ts";
import { resolvePath, resolvePathFields } from "../plan/resolve_paths.ts";
import { parseTemplate } from "../template/parse_template.ts";

/** A plan step made ready to run: what stayed a template in the plan is rendered now. */
export interface ResolvedStep {
  name: string;
  args: unknown;
  settings: StepSettings;
}

/**
 * Renders the fields the plan kept as templates (they read values registered at run time) and
 * resolves the paths among them against the directory of the file that declared the step, as
 * the compiler does for the fields it could render. Throws the template's own errors.
 */
export function resolveStep(step: PlanStep, action: ActionSpec, scope: Vars): ResolvedStep {
  const render = (value: unknown): unknown => renderDeep(value, scope);
  const path = (value: string | undefined) => (value === undefined ? undefined : resolvePath(String(render(value)), step.origin.file));
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(step.env ?? {})) env[key] = String(render(String(value)));
  const becomeUser = step.become_user === undefined ? undefined : String(render(step.become_user));
  const unless = step.unless === undefined ? undefined : String(render(step.unless));
  const cwd = path(step.cwd);
  const creates = path(step.creates);
  return {
    name: String(render(step.name)),
    args: resolvePathFields(action, render(step.args), step.origin.file),
    settings: {
      id: step.id,
      become: step.become,
      env,
      ...(becomeUser !== undefined ? { becomeUser } : {}),
      ...(cwd !== undefined ? { cwd } : {}),
      ...(creates !== undefined ? { creates } : {}),
      ...(unless !== undefined ? { unless } : {}),
    },
  };
}

function renderDeep(value: unknown, scope: Vars): unknown {
  if (typeof value === "string") return value.includes("{{") ? parseTemplate(value).render(scope) : value;
  if (Array.isArray(value)) return value.map((item) => renderDeep(item, scope));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderDeep(v, scope);
    return out;
  }
  return value;
}
