import type { ActionCatalog, ActionSpec } from "../exec/action.ts";
import { PAYLOAD_KEY_HINTS, STEP_KEY_HINTS } from "./ansible_hints.ts";
import { closestMatch } from "./closest_match.ts";
import { error, type Diagnostic, type Position, type Subject } from "./diagnostics.ts";
import { describe, explainSchema, type ValuePath } from "./explain_schema.ts";
import { checkTemplates } from "./check_templates.ts";
import { COMMON_FIELDS, ROOT_KEYS, stepFieldsOf } from "./step_schema.ts";
import { AnyMap } from "./schema_types.ts";
import { scanSteps } from "./scan_steps.ts";
import type { SourceFile } from "./source_file.ts";
import { subjectAtPath } from "./yaml_locate.ts";

/** A step that passed validation: one known action, allowed fields, values of the right types. */
export interface StepDecl {
  file: SourceFile;
  /** Path of the step in the file's document: `[3]` or `["steps", 3]`. */
  path: ValuePath;
  /** Where the step starts: its origin in the plan. */
  position: Position;
  action: ActionSpec;
  fields: Readonly<Record<string, unknown>>;
}

export interface ConfigDocument {
  file: SourceFile;
  vars: Readonly<Record<string, unknown>>;
  /** The `safety:` block as written, checked by core/security/read_safety_block.ts. */
  safety?: unknown;
  steps: readonly StepDecl[];
}

/** The actions a document may use, with the step keys they allow between them. */
interface Vocabulary {
  actions: ActionCatalog;
  stepKeys: ReadonlySet<string>;
  actionNames: readonly string[];
}

const vocabularies = new WeakMap<ActionCatalog, Vocabulary>();

function vocabularyOf(actions: ActionCatalog): Vocabulary {
  let vocabulary = vocabularies.get(actions);
  if (!vocabulary) {
    const stepKeys = new Set([...Object.keys(COMMON_FIELDS), ...actions.all.flatMap((a) => Object.keys(a.stepFields ?? {}))]);
    vocabulary = { actions, stepKeys, actionNames: actions.all.map((a) => a.name) };
    vocabularies.set(actions, vocabulary);
  }
  return vocabulary;
}

/**
 * Checks a parsed file against the config language and returns its valid steps. Every problem
 * in the file is reported; an invalid step is left out so the rest can still be compiled.
 */
export function readConfigDocument(file: SourceFile, actions: ActionCatalog, extraRootKeys: readonly string[] = []): { document: ConfigDocument; diagnostics: Diagnostic[] } {
  const vocabulary = vocabularyOf(actions);
  const diagnostics: Diagnostic[] = [];
  const value = file.value;
  const document: { file: SourceFile; vars: Record<string, unknown>; safety?: unknown; steps: StepDecl[] } = { file, vars: {}, steps: [] };
  const at = (path: ValuePath, atKey = false) => subjectAtPath(file, path, atKey);

  let stepsValue: unknown;
  let stepsPath: ValuePath;
  if (Array.isArray(value)) {
    [stepsValue, stepsPath] = [value, []];
  } else if (value && typeof value === "object") {
    const mapping = value as Record<string, unknown>;
    for (const key of Object.keys(mapping)) {
      if (!(ROOT_KEYS as readonly string[]).includes(key) && !extraRootKeys.includes(key)) {
        const hint = isActionOrStepKey(vocabulary, key)
          ? ": a step belongs in the steps list"
          : `: expected one of ${ROOT_KEYS.join(", ")}`;
        diagnostics.push(error("MC1102", `Unknown top-level key "${key}"${hint}`, at([key], true)));
      }
    }
    if (!("steps" in mapping)) {
      diagnostics.push(error("MC1101", 'The config mapping has no "steps" list', at([])));
    }
    if (mapping.vars !== undefined) {
      const problems = explainSchema(AnyMap, mapping.vars, ["vars"]);
      for (const p of problems) diagnostics.push(error("MC1105", `vars: ${p.message}`, at(p.path, p.atKey)));
      if (problems.length === 0) {
        const vars = mapping.vars as Record<string, unknown>;
        diagnostics.push(...checkTemplates(file, ["vars"], vars, ["vars"]));
        document.vars = vars;
      }
    }
    if (mapping.safety !== undefined) document.safety = mapping.safety;
    for (const key of ["name", "description"] as const) {
      if (mapping[key] !== undefined && typeof mapping[key] !== "string") {
        diagnostics.push(error("MC1105", `${key}: Expected a string, got ${describe(mapping[key])}`, at([key])));
      }
    }
    [stepsValue, stepsPath] = [mapping.steps ?? [], ["steps"]];
  } else {
    diagnostics.push(
      error("MC1101", `Expected a list of steps or a mapping with "steps", got ${describe(value)}`, at([])),
    );
    return { document, diagnostics };
  }

  if (!Array.isArray(stepsValue)) {
    diagnostics.push(error("MC1101", `"steps" must be a list, got ${describe(stepsValue)}`, at(stepsPath)));
    return { document, diagnostics };
  }
  const scanned = scanSteps(file, stepsPath.length > 0, stepsValue.length);
  diagnostics.push(...(scanned?.diagnostics ?? []));
  stepsValue.forEach((stepValue, index) => {
    const path = [...stepsPath, index];
    const position = scanned?.positions[index] ?? at(path);
    const result = readStep(vocabulary, file, path, { line: position.line, col: position.col }, stepValue);
    diagnostics.push(...result.diagnostics);
    if (result.step) document.steps.push(result.step);
  });
  return { document, diagnostics: diagnostics.sort(byPosition) };
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return (a.subject?.line ?? 0) - (b.subject?.line ?? 0) || (a.subject?.col ?? 0) - (b.subject?.col ?? 0);
}

function isActionOrStepKey(vocabulary: Vocabulary, key: string): boolean {
  return vocabulary.actions.find(key) !== undefined || vocabulary.stepKeys.has(key);
}

function readStep(vocabulary: Vocabulary, file: SourceFile, stepPath: ValuePath, position: Position, value: unknown): { step?: StepDecl; diagnostics: Diagnostic[] } {
  const at = (path: ValuePath, atKey = false) => subjectAtPath(file, [...stepPath, ...path], atKey);
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return { diagnostics: [error("MC1101", `A step must be a mapping with one action key, got ${describe(value)}`, at([]))] };
  }
  const fields = value as Record<string, unknown>;
  const keys = Object.keys(fields);
  const actionKeys = keys.filter((k) => vocabulary.actions.find(k));
  const diagnostics: Diagnostic[] = [];

  if (actionKeys.length === 0) {
    const hinted = keys.find((k) => STEP_KEY_HINTS[k]);
    diagnostics.push(
      hinted
        ? error("MC1106", STEP_KEY_HINTS[hinted]!, at([hinted], true))
        : error("MC1103", `Step has no action: add one of ${vocabulary.actionNames.slice(0, 8).join(", ")}, ... (mooncake actions list shows all ${vocabulary.actionNames.length})`, at([])),
    );
    return { diagnostics };
  }
  if (actionKeys.length > 1) {
    const quoted = actionKeys.map((k) => `"${k}"`).join(" and ");
    diagnostics.push(error("MC1104", `Step has more than one action (${quoted}): write one step per action`, at([actionKeys[1]!], true)));
    return { diagnostics };
  }

  const action = vocabulary.actions.find(actionKeys[0]!)!;
  const allowed = stepFieldsOf(action);
  for (const key of keys) {
    if (key === action.name) continue;
    const schema = allowed[key];
    if (schema) {
      for (const p of explainSchema(schema, fields[key], [key])) {
        diagnostics.push(error("MC1105", `${key}: ${p.message}`, at(p.path, p.atKey)));
      }
    } else {
      diagnostics.push(unknownStepKey(vocabulary, key, action, at([key], true)));
    }
  }
  diagnostics.push(...checkPayload(action, fields[action.name], at));
  if (diagnostics.length > 0) return { diagnostics };

  const templateProblems = checkTemplates(file, stepPath, fields);
  if (templateProblems.length > 0) return { diagnostics: templateProblems };
  const normalized = action.normalize?.(fields) ?? { fields, problems: [] };
  if (normalized.problems.length > 0) {
    return { diagnostics: normalized.problems.map((p) => error("MC1105", `${p.path.join(".")}: ${p.message}`, at(p.path, p.atKey))) };
  }
  return { step: { file, path: stepPath, position, action, fields: normalized.fields }, diagnostics: [] };
}

function unknownStepKey(vocabulary: Vocabulary, key: string, action: ActionSpec, subject: Subject): Diagnostic {
  if (STEP_KEY_HINTS[key]) return error("MC1106", STEP_KEY_HINTS[key], subject);
  if (vocabulary.stepKeys.has(key)) {
    const takers = vocabulary.actions.all.filter((a) => key in stepFieldsOf(a)).map((a) => a.name);
    const where = takers.length <= 3 ? `; it applies to ${takers.join(" and ")} steps` : "";
    return error("MC1107", `"${key}" is not allowed on a ${action.name} step${where}`, subject);
  }
  const suggestion = closestMatch(key, [...vocabulary.stepKeys, ...vocabulary.actionNames]);
  const hint = suggestion ? `: did you mean "${suggestion}"?` : "";
  return error("MC1102", `Unknown key "${key}" in a ${action.name} step${hint}`, subject);
}

function checkPayload(action: ActionSpec, payload: unknown, at: (path: ValuePath, atKey?: boolean) => Subject): Diagnostic[] {
  const hints = PAYLOAD_KEY_HINTS[action.name] ?? {};
  if (payload && typeof payload === "object") {
    const hinted = Object.keys(payload).filter((k) => hints[k]);
    if (hinted.length > 0) return hinted.map((k) => error("MC1106", hints[k]!, at([action.name, k], true)));
  }
  return explainSchema(action.schema, payload, [action.name]).map((p) =>
    error("MC1105", `${p.path.join(".")}: ${p.message}`, at(p.path, p.atKey)),
  );
}
