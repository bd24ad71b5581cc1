import type { TSchema } from "@sinclair/typebox";
import { dirname } from "node:path";
import { checkRenderedFormats } from "../config/check_formats.ts";
import { COMMON_FIELDS } from "../config/step_schema.ts";
import { displayPath } from "../fs/display_path.ts";
import { ActionError, type ActionSpec, type StepSettings } from "./action.ts";
import type { Vars } from "../expr/compile_expression.ts";
import { trackUnknown, type Unknown } from "../expr/unknown.ts";
import type { PlanStep } from "../plan/plan.ts";
import { resolvePath, resolvePathFields } from "../plan/resolve_paths.ts";
import { mapStrings } from "../template/map_strings.ts";
import { parseTemplate, renderField } from "../template/parse_template.ts";

/** A plan step made ready to run: what stayed a template in the plan is rendered now. */
export interface ResolvedStep {
  name: string;
  args: unknown;
  settings: StepSettings;
  /** Dry-run: the fields that read a value unknown until the run, and so hold "(known after run)". */
  unknownFields: UnknownField[];
  limits: RunLimits;
}

export interface UnknownField {
  /** `copy.dest`, `env.HOME`, `creates`. */
  field: string;
  unknown: Unknown;
}

/** The step's timeout and retries, rendered and checked. */
export interface RunLimits {
  timeout?: string;
  retries?: number;
  retry_delay?: string;
}

/**
 * Renders the fields the plan kept as templates (they read values registered at run time) and
 * resolves the paths among them against the directory of the file that declared the step, as
 * the compiler does for the fields it could render. Commands run in that directory too unless
 * `cwd` says otherwise, so a relative path means the same in a command as in `creates`.
 * Throws an ActionError of kind template when a field does not render, and of kind validation
 * when a rendered value does not have its field's format (at the field, like `validate`).
 */
export function resolveStep(step: PlanStep, action: ActionSpec, scope: Vars): ResolvedStep {
  const unknownFields: UnknownField[] = [];
  const render = (value: unknown, field: string, renderString: (text: string, scope: Vars) => unknown = renderText): unknown => {
    try {
      return mapStrings(value, (text, path) => {
        const { value: rendered, unknown } = trackUnknown(() => renderString(text, scope));
        if (unknown[0]) unknownFields.push({ field: [field, ...path].join("."), unknown: unknown[0] });
        return rendered;
      });
    } catch (e) {
      throw new ActionError("template", `Cannot render ${field}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const text = (value: unknown, field: string) => (value === undefined ? undefined : String(render(String(value), field)));
  const path = (value: string | undefined, field: string) => {
    const rendered = text(value, field);
    return rendered === undefined ? undefined : resolvePath(rendered, step.origin.file);
  };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(step.env ?? {})) env[key] = text(value, `env.${key}`)!;
  const becomeUser = text(step.become_user, "become_user");
  const unless = text(step.unless, "unless");
  const cwd = path(step.cwd, "cwd") ?? dirname(step.origin.file);
  const creates = path(step.creates, "creates");
  const checked = (schema: TSchema, field: string, written: unknown) => checkFormats(step, schema, field, written, render(written, field, renderArgument), unknownFields);
  const limits: RunLimits = {};
  for (const key of ["timeout", "retries", "retry_delay"] as const) {
    if (step[key] !== undefined) Object.assign(limits, { [key]: checked(COMMON_FIELDS[key]!, key, step[key]) });
  }
  return {
    name: renderName(step.name, scope),
    args: resolvePathFields(action, checked(action.schema, step.action, step.args), step.origin.file),
    limits,
    settings: {
      id: step.id,
      become: step.become,
      env,
      ...(becomeUser !== undefined ? { becomeUser } : {}),
      cwd,
      configDirectories: configDirectoriesOf(step),
      ...(creates !== undefined ? { creates } : {}),
      ...(unless !== undefined ? { unless } : {}),
    },
    unknownFields,
  };
}

/** The directories of the config files a step comes from: its own and each including one. */
export function configDirectoriesOf(step: Pick<PlanStep, "origin">): string[] {
  return [...new Set([step.origin.file, ...step.origin.include_stack.map((p) => p.file)].map((file) => dirname(file)))];
}

/** The rendered value with its templated fields checked (see checkRenderedFormats); a mismatch fails the step at the field. */
function checkFormats(step: PlanStep, schema: TSchema, field: string, written: unknown, rendered: unknown, unknownFields: readonly UnknownField[]): unknown {
  const { value, problems } = checkRenderedFormats(schema, written, rendered);
  // A dry-run's "(known after run)" has no format to check yet.
  const problem = problems.find((p) => !unknownFields.some((u) => u.field === [field, ...p.path].join(".")));
  if (!problem) return value;
  const path = [field, ...problem.path].join(".");
  const at = step.run_time_formats?.[path] ?? step.origin;
  throw new ActionError("validation", `${displayPath(step.origin.file)}:${at.line}:${at.col}: ${path}: ${problem.message}`);
}

/** A name is one line; one that does not render (a default name cut inside a tag, say) is shown as written. */
function renderName(name: string, scope: Vars): string {
  try {
    return renderText(name, scope).trim().split("\n")[0]!;
  } catch {
    return name;
  }
}

/** A string rendered when it holds a tag; otherwise as it is. */
function renderText(text: string, scope: Vars): string {
  return text.includes("{{") ? parseTemplate(text).render(scope) : text;
}

/** An argument rendered as renderField does: one tag giving a list or a map is that value. */
function renderArgument(text: string, scope: Vars): unknown {
  return text.includes("{{") ? renderField(text, scope) : text;
}
