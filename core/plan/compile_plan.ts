import type { TSchema } from "@sinclair/typebox";
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { ActionCatalog, ActionSpec } from "../exec/action.ts";
import { error, type Diagnostic, type DiagnosticCode, type Position, type Subject } from "../config/diagnostics.ts";
import { checkRenderedFormats } from "../config/check_formats.ts";
import { checkTemplates } from "../config/check_templates.ts";
import { describe, type ValuePath } from "../config/explain_schema.ts";
import { readConfigDocument, type StepDecl } from "../config/read_config_document.ts";
import { stepFieldsOf } from "../config/step_schema.ts";
import { describeFsError, displayPath, loadSourceFile, readTextFile, subjectAt, type TextFile } from "../config/source_file.ts";
import { subjectAtPath } from "../config/yaml_locate.ts";
import { compileExpression, unwrapTag, type Vars } from "../expr/compile_expression.ts";
import { conditionValue } from "../expr/condition_value.ts";
import { UndefinedVariableError } from "../expr/errors.ts";
import { parseTemplate, renderField, renderValue, TemplateSyntaxError } from "../template/parse_template.ts";
import { mapStrings } from "../template/map_strings.ts";
import { filetreeDigest, filetreeItems } from "./filetree_items.ts";
import { resolvePath, resolvePathFields } from "./resolve_paths.ts";
import { loadVarsFile, parseVarAssignment } from "./load_vars.ts";
import {
  DRY_RUN_VARIABLE, loopTooLong, PLAN_SCHEMA_VERSION, RUNTIME_FIELDS,
  type IncludeSite, type LoopVars, type Plan, type PlanSource, type PlanStep,
} from "./plan.ts";
import { bindParameters, locatePreset, presetSearchPath, readPresetDefinition, type EmbeddedPresets } from "./presets.ts";
import { VariableLayers, withLoopVars } from "./variable_layers.ts";
import { readSafetyBlock } from "../security/read_safety_block.ts";
import { combinePolicies, type SafetyPolicy } from "../security/safety_policy.ts";
import type { SourceFile } from "../config/source_file.ts";
import { varsFileSettings, type VariableSetting } from "./variable_provenance.ts";
import { varsOrder } from "./vars_order.ts";

export interface CompileOptions {
  configPath: string;
  /** The actions steps may use. */
  actions: ActionCatalog;
  /** Presets built into the binary, found after the preset folders. */
  embeddedPresets?: EmbeddedPresets;
  varsFiles?: readonly string[];
  varAssignments?: readonly string[];
  tags?: readonly string[];
  /** Secret variables: fields that use them keep their template, so no value lands in the plan. */
  secretNames?: readonly string[];
  facts: Readonly<Record<string, unknown>>;
  now?: Date;
}

export interface CompileResult {
  plan?: Plan;
  diagnostics: Diagnostic[];
  /** Every value the config and the CLI gave a variable, in order, with where it was written. */
  variables?: readonly VariableSetting[];
}

/** What an include passes down to the steps of the file it includes. */
interface IncludeContext {
  chain: string[];
  stack: IncludeSite[];
  visiting: string[];
  when?: string;
  tags: string[];
  become?: boolean;
  become_user?: string;
  /** Inside a preset: the values its steps see as `parameters`. */
  parameters?: Record<string, unknown>;
}

const LOOP_NAMES = ["item", "index", "first", "last"];
/** The keys of a preset file besides those of a config. */
const PRESET_ROOT_KEYS = ["parameters"];
const NO_EMBEDDED_PRESETS: EmbeddedPresets = { names: () => [], folder: () => undefined };
/** Step fields holding paths, resolved like an action's path fields. */
const STEP_PATH_FIELDS = ["cwd", "creates"];

/**
 * Compiles a config into a plan: includes expanded, variables layered, loops expanded where
 * their list is known, ids assigned in plan order, tags applied. Pure apart from reading the
 * config's files; all problems come back as diagnostics.
 */
export function compilePlan(options: CompileOptions): CompileResult {
  return new PlanCompiler(options).compile();
}

class PlanCompiler {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly steps: PlanStep[] = [];
  private readonly sources: PlanSource[] = [];
  /** Names only known when the plan runs: registered results, secret variables and `dry_run`. */
  private readonly runtimeOnly: Set<string>;
  private readonly tagFilter: readonly string[];
  private layers!: VariableLayers;
  private nextId = 1;
  /** The `safety:` blocks of the files compiled, read once every variable is set. */
  private readonly safetyBlocks: { file: SourceFile; value: unknown; ctx: IncludeContext }[] = [];

  constructor(private readonly options: CompileOptions) {
    this.tagFilter = options.tags ?? [];
    this.runtimeOnly = new Set([...(options.secretNames ?? []), DRY_RUN_VARIABLE]);
  }

  compile(): CompileResult {
    const cli = this.cliVars();
    this.layers = new VariableLayers(this.options.facts, cli);
    const root = resolve(this.options.configPath);
    this.compileFile(root, { chain: [], stack: [], visiting: [], tags: [] }, undefined);
    const safety = this.safetyPolicy();
    if (this.diagnostics.some((d) => d.severity === "error")) return { diagnostics: this.diagnostics };
    const plan: Plan = {
      schema_version: PLAN_SCHEMA_VERSION,
      generated_at: (this.options.now ?? new Date()).toISOString(),
      root_file: root,
      sources: this.sources,
      tags: [...this.tagFilter],
      initial_vars: this.layers.userVars(),
      ...(safety ? { safety } : {}),
      steps: this.steps,
    };
    return { plan, diagnostics: this.diagnostics, variables: this.layers.settings() };
  }

  /** The `--vars` files, then the `--var` assignments: later ones win. */
  private cliVars(): VariableSetting[] {
    const settings: VariableSetting[] = [];
    for (const path of this.options.varsFiles ?? []) {
      const loaded = loadVarsFile(path);
      this.diagnostics.push(...loaded.diagnostics);
      if (loaded.file) this.recordSource(loaded.file);
      if (loaded.vars) settings.push(...varsFileSettings(loaded.file!, loaded.vars, "vars_file"));
    }
    for (const text of this.options.varAssignments ?? []) {
      const parsed = parseVarAssignment(text);
      if ("severity" in parsed) this.diagnostics.push(parsed);
      else settings.push({ name: parsed.name, value: parsed.value, layer: "cli", origin: { kind: "var_option", text } });
    }
    return settings;
  }

  private recordSource(file: TextFile): void {
    if (this.sources.some((s) => s.file === file.path)) return;
    this.sources.push({ file: file.path, sha256: file.sha256 });
  }

  private report(diagnostics: readonly Diagnostic[], ctx: IncludeContext): void {
    for (const d of diagnostics) this.diagnostics.push(ctx.chain.length ? { ...d, includeChain: ctx.chain } : d);
  }

  private compileFile(path: string, ctx: IncludeContext, includedFrom: Subject | undefined, extraRootKeys: readonly string[] = []): void {
    const loaded = loadSourceFile(path);
    if (includedFrom && !loaded.file) {
      const reason = loaded.diagnostics[0]?.message ?? "cannot be read";
      this.report([error("MC1001", `Included file: ${reason}`, includedFrom)], { ...ctx, chain: ctx.chain.slice(0, -1) });
      return;
    }
    this.report(loaded.diagnostics, ctx);
    if (!loaded.file || loaded.diagnostics.length > 0) return;
    this.recordSource(loaded.file);
    const { document, diagnostics } = readConfigDocument(loaded.file, this.options.actions, extraRootKeys);
    this.report(diagnostics, ctx);
    if (document.safety !== undefined) this.safetyBlocks.push({ file: loaded.file, value: document.safety, ctx });
    const fileCtx = { ...ctx, visiting: [...ctx.visiting, loaded.file.path] };
    if (Object.keys(document.vars).length > 0) {
      const file = loaded.file;
      this.renderVars(document.vars, (path) => subjectAtPath(file, ["vars", ...path]), fileCtx, (name, value) =>
        this.layers.set(name, value, "config", { kind: "config_vars", file, path: ["vars", name] }));
    }
    for (const step of document.steps) this.compileStep(step, fileCtx);
  }

  /**
   * The rules of every `safety:` block, each tightening the others; a workspace template is
   * rendered with every variable of the plan, and must not read one known only at run time.
   */
  private safetyPolicy(): SafetyPolicy | undefined {
    if (this.safetyBlocks.length === 0) return undefined;
    const scope = this.layers.scope();
    const policies = this.safetyBlocks.map(({ file, value, ctx }) => {
      const render = (text: string) => {
        const template = parseTemplate(text);
        const late = template.references.find((r) => this.runtimeOnly.has(r));
        if (late !== undefined) throw new Error(`"${text}" reads "${late}", which is only known at run time: a workspace must be known when the plan is made`);
        return template.render(scope);
      };
      const { policy, diagnostics } = readSafetyBlock(file, Array.isArray(file.value) ? [] : ["safety"], value, "config", render);
      this.report(diagnostics, ctx);
      return policy;
    });
    return combinePolicies(...policies);
  }

  private compileStep(step: StepDecl, ctx: IncludeContext): void {
    switch (step.action.name) {
      case "vars":
        return this.compileVarsStep(step, ctx);
      case "include_vars":
        return this.compileIncludeVars(step, ctx);
      case "include":
        return this.compileInclude(step, ctx);
      case "preset":
        return this.compilePreset(step, ctx);
      default:
        return this.compileRunStep(step, ctx);
    }
  }

  // --- plan-time actions ---------------------------------------------------------------

  private compileVarsStep(step: StepDecl, ctx: IncludeContext): void {
    if (!this.planTimeWhen(step, ctx)) return;
    const at = (path: ValuePath) => this.at(step, ["vars", ...path]);
    this.renderVars(step.fields.vars as Record<string, unknown>, at, ctx, (name, value) =>
      this.layers.set(name, value, "config", { kind: "vars_step", file: step.file, path: [...step.path, "vars", name] }));
  }

  private compileIncludeVars(step: StepDecl, ctx: IncludeContext): void {
    if (!this.planTimeWhen(step, ctx)) return;
    const path = this.planTimePath(step, "include_vars", ctx);
    if (!path) return;
    const loaded = loadVarsFile(path);
    if (loaded.file) this.recordSource(loaded.file);
    if (!loaded.vars) {
      const reason = loaded.diagnostics[0]?.message ?? "cannot be read";
      this.report([error("MC1305", `include_vars: ${reason}`, this.at(step, ["include_vars"]))], ctx);
      return;
    }
    this.report(checkTemplates(loaded.file!, [], loaded.vars, ["include_vars"]), ctx);
    const file = loaded.file!;
    const includedAt = { file: step.file.path, line: step.position.line, col: step.position.col };
    this.renderVars(loaded.vars, (p) => subjectAtPath(file, p), ctx, (name, value) =>
      this.layers.set(name, value, "include_vars", { kind: "include_vars", file, path: [name], includedAt }));
  }

  private compileInclude(step: StepDecl, ctx: IncludeContext): void {
    const path = this.planTimePath(step, "include", ctx);
    if (!path) return;
    const subject = this.at(step, ["include"]);
    if (ctx.visiting.includes(path)) {
      const cycle = [...ctx.visiting, path].map((p) => displayPath(p));
      this.report([error("MC1301", `Include cycle: ${cycle.join(" -> ")}`, subject)], ctx);
      return;
    }
    const origin = step.position;
    const when = conditionSource(step.fields.when);
    this.compileFile(path, {
      chain: [...ctx.chain, step.file.display],
      stack: [...ctx.stack, { file: step.file.path, line: origin.line, col: origin.col }],
      visiting: ctx.visiting,
      when: combineWhen(ctx.when, when),
      tags: mergeTags(ctx.tags, step.fields.tags),
      become: (step.fields.become as boolean | undefined) ?? ctx.become,
      become_user: (step.fields.become_user as string | undefined) ?? ctx.become_user,
      ...(ctx.parameters ? { parameters: ctx.parameters } : {}),
    }, subject);
  }

  /**
   * A preset's steps, as an include of its preset.yml: `with:` values (rendered now where they
   * can be) are checked against the declared parameters and seen inside as `parameters`.
   */
  private compilePreset(step: StepDecl, ctx: IncludeContext): void {
    const payload = step.fields.preset as string | { name: string; with?: Record<string, unknown> };
    const name = typeof payload === "string" ? payload : payload.name;
    const subject = this.at(step, typeof payload === "string" ? ["preset"] : ["preset", "name"]);
    const dirs = presetSearchPath(dirname(resolve(this.options.configPath)));
    const location = locatePreset(name, dirs, this.options.embeddedPresets ?? NO_EMBEDDED_PRESETS);
    if (!location) {
      this.report([error("MC1501", `Preset "${name}" not found (looked in ${dirs.join(", ")} and the presets built into mooncake)`, subject)], ctx);
      return;
    }
    if (ctx.visiting.includes(location.path)) {
      this.report([error("MC1501", `Preset "${name}" uses itself`, subject)], ctx);
      return;
    }
    const read = readPresetDefinition(location.path, name);
    this.report(read.diagnostics, ctx);
    if (!read.definition) return;
    const given: Record<string, unknown> = {};
    if (typeof payload !== "string") this.renderVars(payload.with ?? {}, (path) => this.at(step, ["preset", "with", ...path]), ctx, (name, value) => (given[name] = value));
    const withSubject = (key?: string) => this.at(step, typeof payload === "string" ? ["preset"] : key ? ["preset", "with", key] : ["preset"]);
    const { parameters, diagnostics } = bindParameters(read.definition, given, withSubject);
    this.report(diagnostics, ctx);
    if (diagnostics.length > 0) return;
    const origin = step.position;
    this.compileFile(location.path, {
      chain: [...ctx.chain, step.file.display],
      stack: [...ctx.stack, { file: step.file.path, line: origin.line, col: origin.col, preset: name }],
      visiting: ctx.visiting,
      when: combineWhen(ctx.when, conditionSource(step.fields.when)),
      tags: mergeTags(ctx.tags, step.fields.tags),
      become: (step.fields.become as boolean | undefined) ?? ctx.become,
      become_user: (step.fields.become_user as string | undefined) ?? ctx.become_user,
      parameters,
    }, subject, PRESET_ROOT_KEYS);
  }

  /** The variables a step sees at plan time: the layers, and a preset's parameters inside one. */
  private scope(ctx: IncludeContext): Vars {
    return ctx.parameters ? withLoopVars(this.layers.scope(), { parameters: ctx.parameters }) : this.layers.scope();
  }

  /** `when` of a plan-time step, which must be decidable now. */
  private planTimeWhen(step: StepDecl, ctx: IncludeContext): boolean {
    const source = combineWhen(ctx.when, conditionSource(step.fields.when));
    if (source === undefined) return true;
    const scope = this.scope(ctx);
    return this.guard(() => this.at(step, ["when"]), ctx, false, () => conditionValue(compileExpression(source).evaluate(scope), source), step, "expression");
  }

  private planTimePath(step: StepDecl, key: string, ctx: IncludeContext): string | undefined {
    const rendered = this.renderString(step, [key], step.fields[key] as string, this.scope(ctx), new Set(), ctx);
    if (rendered.includes("{{")) return undefined;
    return resolvePath(rendered, step.file.path);
  }

  /**
   * Renders a block of vars and hands each value to `set` as soon as it is known, in dependency
   * order: a value may use another of the same block written before or after it. Values in a
   * cycle are reported once, with the chain, and kept as written.
   */
  private renderVars(vars: Readonly<Record<string, unknown>>, at: (path: ValuePath) => Subject, ctx: IncludeContext, set: (name: string, value: unknown) => void): void {
    const { order, cycles } = varsOrder(vars);
    for (const cycle of cycles) {
      this.report([error("MC1311", `Variables refer to each other in a cycle: ${cycle.join(" -> ")}`, at([cycle[0]!]))], ctx);
      for (const key of cycle) set(key, vars[key]);
    }
    for (const key of order) set(key, this.renderVar(key, vars[key], at, ctx));
  }

  /** One vars value rendered; a template that does not parse was reported by checkTemplates and is kept as written. */
  private renderVar(key: string, value: unknown, at: (path: ValuePath) => Subject, ctx: IncludeContext): unknown {
    return mapStrings(value, (text, path) =>
      this.guard(() => at(path), ctx, text, () => {
        const template = parseTemplateOrUndefined(text);
        if (!template) return text;
        const runtime = template.references.find((r) => this.runtimeOnly.has(r));
        if (template.isStatic || !runtime) return renderValue(text, this.scope(ctx));
        const message = `Variable "${path.join(".")}" uses "${runtime}", which is only known at run time (registered, or secret); vars are set when the plan is built`;
        this.report([error("MC1306", message, at(path))], ctx);
        return text;
      }),
    [key]);
  }

  // --- run-time actions ----------------------------------------------------------------

  private compileRunStep(step: StepDecl, ctx: IncludeContext): void {
    const baseId = `step-${String(this.nextId++).padStart(4, "0")}`;
    this.checkPlatform(step, ctx);
    const scope = this.scope(ctx);
    const items = this.loopItems(step, scope, ctx);
    if (items === "deferred") {
      const runtime = new Set([...this.runtimeOnly, ...LOOP_NAMES]);
      const planStep = this.planStep(step, baseId, scope, runtime, ctx);
      planStep.deferred_with_items = unwrapTag(String(step.fields.with_items));
      this.steps.push(planStep);
    } else if (items === undefined) {
      this.steps.push(this.planStep(step, baseId, scope, this.runtimeOnly, ctx));
    } else if (items.length === 0) {
      const planStep = this.planStep(step, baseId, scope, new Set([...this.runtimeOnly, ...LOOP_NAMES]), ctx);
      planStep.skipped = { reason: "empty_loop", message: "the loop list is empty" };
      this.steps.push(planStep);
    } else {
      items.forEach((item, index) => {
        const loop: LoopVars = { item, index, first: index === 0, last: index === items.length - 1 };
        const planStep = this.planStep(step, `${baseId}[${index}]`, withLoopVars(scope, { ...loop }), this.runtimeOnly, ctx);
        planStep.loop = loop;
        this.steps.push(planStep);
      });
    }
    if (typeof step.fields.register === "string") this.runtimeOnly.add(step.fields.register);
  }

  /** An action this platform lacks is an error, unless the step's `when` is already known to be false. */
  private checkPlatform(step: StepDecl, ctx: IncludeContext): void {
    const os = String(this.options.facts.os);
    if (!step.action.platforms.includes(os as never) && !this.knownFalse(combineWhen(ctx.when, conditionSource(step.fields.when)))) {
      const supported = step.action.platforms.join(", ");
      const guard = step.action.platforms.map((p) => `os == "${p}"`).join(" or ");
      const message = `The ${step.action.name} action is not supported on ${os} (supported: ${supported}); guard the step with \`when: ${guard}\` or remove it`;
      this.report([error("MC1307", message, this.at(step, [step.action.name]))], ctx);
    }
    if (os === "windows" && (step.fields.become ?? ctx.become)) {
      this.report([error("MC1307", "become is not supported on windows: run mooncake from an elevated shell instead", this.at(step, ["become"]))], ctx);
    }
  }

  /** Whether a `when` is decidable now (no run-time name, evaluates without error) and false. */
  private knownFalse(when: string | undefined): boolean {
    if (when === undefined || mentionsAny(when, this.runtimeOnly)) return false;
    try {
      return !conditionValue(compileExpression(when).evaluate(this.layers.scope()), when);
    } catch {
      return false;
    }
  }

  /** The items of a loop known now, "deferred" when they are only known at run time, or undefined for no loop. */
  private loopItems(step: StepDecl, scope: Vars, ctx: IncludeContext): unknown[] | "deferred" | undefined {
    const { with_items: withItems, with_filetree: withFiletree } = step.fields;
    if (Array.isArray(withItems)) {
      if (this.refuseLongLoop(step, "with_items", withItems, ctx)) return [];
      return withItems.map((item, i) => mapStrings(item, (text, path) =>
        this.renderString(step, path, text, scope, this.runtimeOnly, ctx, renderValue), ["with_items", i]));
    }
    if (typeof withItems === "string") {
      const source = unwrapTag(withItems);
      if (compileExpression(source).references.some((r) => this.runtimeOnly.has(r))) return "deferred";
      const value = this.evaluate(step, ["with_items"], source, scope, ctx);
      if (Array.isArray(value)) return this.refuseLongLoop(step, "with_items", value, ctx) ? [] : value;
      if (value !== undefined) {
        this.report([error("MC1304", `with_items must be a list, got ${describe(value)}`, this.at(step, ["with_items"]))], ctx);
      }
      return [];
    }
    if (typeof withFiletree === "string") {
      if (parseTemplateOrUndefined(withFiletree)?.references.some((r) => this.runtimeOnly.has(r))) {
        const message = `with_filetree: ${JSON.stringify(withFiletree)} is only known at run time (registered, or secret); the directory must be known when the plan is built`;
        this.report([error("MC1306", message, this.at(step, ["with_filetree"]))], ctx);
        return [];
      }
      const rendered = this.renderString(step, ["with_filetree"], withFiletree, scope, this.runtimeOnly, ctx);
      if (rendered.includes("{{")) return []; // its template failed, and said so
      const root = resolvePath(rendered, step.file.path);
      try {
        if (!statSync(root).isDirectory()) throw Object.assign(new Error(), { code: "ENOTDIR" });
        const items = filetreeItems(root);
        if (!this.sources.some((s) => s.file === root)) this.sources.push({ file: root, sha256: filetreeDigest(items), kind: "filetree" });
        return this.refuseLongLoop(step, "with_filetree", items, ctx) ? [] : items;
      } catch (e) {
        this.report([error("MC1308", `with_filetree: cannot read directory "${root}": ${describeFsError(e)}`, this.at(step, ["with_filetree"]))], ctx);
        return [];
      }
    }
    return undefined;
  }

  private refuseLongLoop(step: StepDecl, field: string, items: readonly unknown[], ctx: IncludeContext): boolean {
    const refusal = loopTooLong(field, items.length);
    // At the step: finding the list's own line would parse the whole (huge) file again for positions.
    if (refusal) this.report([error("MC1309", refusal, { file: step.file.display, ...step.position })], ctx);
    return refusal !== undefined;
  }

  private planStep(step: StepDecl, id: string, scope: Vars, runtime: ReadonlySet<string>, ctx: IncludeContext): PlanStep {
    const { fields, action } = step;
    const render = (value: unknown, path: ValuePath) =>
      mapStrings(value, (text, p) => this.renderString(step, p, text, scope, runtime, ctx, renderField), path);
    const origin = step.position;
    const when = combineWhen(ctx.when, conditionSource(fields.when));
    if (when !== undefined && !mentionsAny(when, runtime)) this.evaluate(step, ["when"], when, scope, ctx);

    const runTimeFormats: Record<string, Position> = {};
    const checked = (schema: TSchema, key: string) =>
      this.checkFormats(step, schema, key, fields[key], render(fields[key], [key]), runTimeFormats, ctx);

    const args = resolvePathFields(action, checked(action.schema, action.name), step.file.path);
    for (const field of action.templateFields ?? []) {
      const path = valueAt(args, field.split("."));
      if (typeof path === "string" && !path.includes("{{")) this.checkTemplateFile(path, step);
    }

    const planStep: PlanStep = {
      id,
      name: typeof fields.name === "string" ? this.renderString(step, ["name"], fields.name, scope, runtime, ctx) : defaultName(action, args),
      action: action.name,
      args,
      ...(when !== undefined ? { when } : {}),
      tags: mergeTags(ctx.tags, fields.tags),
      become: (fields.become as boolean | undefined) ?? ctx.become ?? false,
      origin: { file: step.file.path, line: origin.line, col: origin.col, include_stack: ctx.stack },
      ...(ctx.parameters ? { parameters: ctx.parameters } : {}),
    };
    const becomeUser = fields.become_user ?? ctx.become_user;
    const runtimeFields: Record<string, unknown> = { become_user: becomeUser };
    const stepFields = stepFieldsOf(action);
    for (const key of RUNTIME_FIELDS) {
      if (fields[key] === undefined) continue;
      const conditional = key === "changed_when" || key === "failed_when";
      runtimeFields[key] = conditional ? conditionSource(fields[key]) : checked(stepFields[key]!, key);
    }
    if (Object.keys(runTimeFormats).length > 0) runtimeFields.run_time_formats = runTimeFormats;
    for (const key of STEP_PATH_FIELDS) {
      const value = runtimeFields[key];
      if (typeof value === "string" && !value.includes("{{")) runtimeFields[key] = resolvePath(value, step.file.path);
    }
    for (const [key, value] of Object.entries(runtimeFields)) {
      if (value !== undefined) (planStep as unknown as Record<string, unknown>)[key] = value;
    }
    if (this.tagFilter.length > 0 && !selectedByTags(planStep.tags, this.tagFilter)) {
      planStep.skipped = { reason: "tags", message: `not tagged ${this.tagFilter.join(", ")}` };
    }
    return planStep;
  }

  /**
   * Parses a template file a step renders when it runs, so a syntax error is reported now, at
   * the template's own line, and records it as a source of the plan. A file that does not exist
   * yet is left to the run: an earlier step may create it.
   */
  private checkTemplateFile(path: string, step: StepDecl): void {
    if (this.sources.some((s) => s.file === path) || !existsSync(path)) return;
    const usedBy = `template of ${stepLabel(step)}, ${step.file.display}:${step.position.line}:${step.position.col}`;
    const { file, diagnostics } = readTextFile(path, "a template");
    this.diagnostics.push(...diagnostics.map((d) => ({ ...d, message: `${d.message} (${usedBy})` })));
    if (!file) return;
    this.recordSource(file);
    try {
      parseTemplate(file.text);
    } catch (e) {
      if (!(e instanceof TemplateSyntaxError)) throw e;
      const hint = e.hint ? `; ${e.hint.charAt(0).toLowerCase()}${e.hint.slice(1)}` : "";
      this.diagnostics.push(error("MC1201", `Template error in "${file.display}" (${usedBy}): ${e.message}${hint}`, subjectAt(file, e.offset)));
    }
  }

  // --- rendering -----------------------------------------------------------------------

  /**
   * Checks the templated fields of one step field after rendering (see checkRenderedFormats):
   * a mismatch is a diagnostic at the field, a field left for run time is remembered with its
   * position in `runTimeFormats`. Returns the value with checked fields in their types.
   */
  private checkFormats(
    step: StepDecl, schema: TSchema, key: string, written: unknown, rendered: unknown, runTimeFormats: Record<string, Position>, ctx: IncludeContext,
  ): unknown {
    const result = checkRenderedFormats(schema, written, rendered);
    for (const problem of result.problems) {
      const path = [key, ...problem.path];
      this.report([error("MC1310", `${path.join(".")}: ${problem.message}`, this.at(step, path))], ctx);
    }
    for (const deferred of result.deferred) {
      const { line, col } = this.at(step, [key, ...deferred]);
      runTimeFormats[[key, ...deferred].join(".")] = { line, col };
    }
    return result.value;
  }

  /** Renders a string field now unless it reads a value only known at run time, then keeps it as written. */
  private renderString(
    step: StepDecl, path: ValuePath, text: string, scope: Vars, runtime: ReadonlySet<string>, ctx: IncludeContext,
    renderWith: (text: string, scope: Vars) => unknown = (t, s) => parseTemplate(t).render(s),
  ): string {
    if (!text.includes("{{")) return text;
    const template = parseTemplate(text);
    if (template.references.some((r) => runtime.has(r))) return text;
    return this.guard(() => this.at(step, path), ctx, text, () => renderWith(text, scope), step) as string;
  }

  private evaluate(step: StepDecl, path: ValuePath, source: string, scope: Vars, ctx: IncludeContext): unknown {
    return this.guard(() => this.at(step, path), ctx, undefined, () => compileExpression(source).evaluate(scope), step, "expression");
  }

  /** Runs a render or evaluation, turning its failure into a located diagnostic and `fallback`. */
  private guard<T>(subject: () => Subject, ctx: IncludeContext, fallback: T, run: () => T, step?: StepDecl, language: "template" | "expression" = "template"): T {
    try {
      return run();
    } catch (e) {
      const where = step ? ` in ${stepLabel(step)}` : "";
      const [code, message]: [DiagnosticCode, string] = e instanceof UndefinedVariableError
        ? ["MC1302", `Undefined variable "${e.variable}"${where}: ${undefinedHint(e.variable, language)}`]
        : ["MC1303", `${e instanceof Error ? e.message : String(e)}${where}`];
      this.report([error(code, message, subject())], ctx);
      return fallback;
    }
  }

  private at(step: StepDecl, path: ValuePath): Subject {
    return subjectAtPath(step.file, [...step.path, ...path]);
  }
}

function parseTemplateOrUndefined(text: string): ReturnType<typeof parseTemplate> | undefined {
  try {
    return parseTemplate(text);
  } catch (e) {
    if (e instanceof TemplateSyntaxError) return undefined;
    throw e;
  }
}

function valueAt(value: unknown, keys: readonly string[]): unknown {
  return keys.reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), value);
}

/** Undefined variables are errors, not the original mooncake's empty value: say how to get that. */
function undefinedHint(variable: string, language: "template" | "expression"): string {
  const fallback = language === "template" ? `{{ ${variable} | default("") }}` : `default(${variable}, false)`;
  return `define it (vars, --var) or, where it may be unset, write ${fallback}`;
}

function stepLabel(step: StepDecl): string {
  return typeof step.fields.name === "string" ? `step "${step.fields.name}"` : `a ${step.action.name} step`;
}

/** A condition as an expression: one `{{ expr }}` tag means that expression; YAML booleans are constants. */
function conditionSource(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === "boolean" ? String(value) : unwrapTag(String(value));
}

function combineWhen(outer: string | undefined, inner: string | undefined): string | undefined {
  if (outer === undefined) return inner;
  if (inner === undefined) return outer;
  return `(${outer}) and (${inner})`;
}

function mergeTags(outer: readonly string[], own: unknown): string[] {
  return [...new Set([...outer, ...((own as string[] | undefined) ?? [])])];
}

/** A step runs under `--tags` when it shares one of them; the tag `always` runs whatever they are. */
function selectedByTags(tags: readonly string[], filter: readonly string[]): boolean {
  return tags.includes("always") || tags.some((t) => filter.includes(t));
}

function mentionsAny(source: string, names: ReadonlySet<string>): boolean {
  return compileExpression(source).references.some((r) => names.has(r));
}

function defaultName(action: ActionSpec, args: unknown): string {
  const argv = action.name === "command" ? (args as { argv: string[] | string }).argv : undefined;
  const detail = typeof args === "string" ? args : [argv ?? []].flat().join(" ");
  const oneLine = detail.split("\n")[0]!.trim();
  const short = oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
  return short ? `${action.name}: ${short}` : action.name;
}
