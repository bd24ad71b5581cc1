import { sep } from "node:path";
import { ActionError, MissingInputError, type ActionCatalog, type ActionContext, type ActionSpec, type Outcome, type ProcessOptions, type ProcessResult, type StepSettings } from "./action.ts";
import { OutputCapture, type CaptureLimits } from "./capture.ts";
import { OutputBatcher } from "./output_batcher.ts";
import type { Change, Counts, EventData, RunStatus, SkipInfo, StepError, StepStatus } from "../events/event.ts";
import type { EventBus } from "../events/event_bus.ts";
import { compileExpression, ExpressionError, ExpressionSyntaxError, UndefinedVariableError, type Vars } from "../expr/compile_expression.ts";
import { conditionValue } from "../expr/condition_value.ts";
import { describeValue } from "../expr/describe_value.ts";
import { KNOWN_AFTER_RUN, Unknown, UnknownValueError } from "../expr/unknown.ts";
import { DRY_RUN_VARIABLE, loopTooLong, type Plan, type PlanStep } from "../plan/plan.ts";
import { pathFieldValues } from "../plan/resolve_paths.ts";
import { layerVars, withLoopVars } from "../plan/variable_layers.ts";
import { TemplateSyntaxError } from "../template/parse_template.ts";
import { becomeCommand, currentIdentity, type Identity, type SudoAuth } from "../security/become.ts";
import { Redactor, secretValues } from "../security/redactor.ts";
import { combinePolicies, NO_POLICY, type SafetyPolicy } from "../security/safety_policy.ts";
import { safetyRefusal, stepTouches } from "../security/step_safety.ts";
import { secretFreeArgv } from "../security/secret_free_argv.ts";
import { parseDuration } from "./duration.ts";
import { abortableSleep } from "./abortable_sleep.ts";
import { buildRegisterValue } from "./register_value.ts";
import { resolveStep, type ResolvedStep, type RunLimits, type UnknownField } from "./resolve_step.ts";
import { OUTPUT_GRACE_MS, runProcess } from "./run_process.ts";

const OUTPUT_LEFT_OPEN = `A background process the command started still held its output ${OUTPUT_GRACE_MS / 1000}s after it exited: `
  + "mooncake stopped reading it (redirect a daemon's output, e.g. `cmd > log 2>&1 &`)";

export interface ExecuteOptions {
  plan: Plan;
  /** The actions the plan's steps name. */
  actions: ActionCatalog;
  facts: Readonly<Record<string, unknown>>;
  /** Variables given as secrets: usable everywhere, never shown (the bus redacts their values). */
  secretVars?: Readonly<Record<string, unknown>>;
  dryRun: boolean;
  bus: EventBus;
  signal: AbortSignal;
  sudo: SudoAuth;
  limits: CaptureLimits;
  /** The environment processes start from; the step's `env` is added to it. */
  baseEnv?: Readonly<Record<string, string | undefined>>;
  /** --i-accept-danger: steps may do what the danger categories refuse. */
  acceptDanger?: boolean;
  /** The machine's safety policy (--policy); the plan's own (its configs' safety blocks) is added to it. */
  policy?: SafetyPolicy;
  /** Set when the plan was loaded from a file. */
  fromPlan?: string;
}

export interface RunResult {
  status: RunStatus;
  counts: Counts;
  failedSteps: string[];
}

/** Executes a plan step by step and reports everything as events; see docs/run.md for the rules. */
export function executePlan(options: ExecuteOptions): Promise<RunResult> {
  return new Executor(options).run();
}

/** A path a step of a dry-run would create or change, though it did not. */
interface Produced {
  path: string;
  stepId: string;
}

class Executor {
  private readonly scope: Record<string, unknown>;
  private readonly counts: Counts;
  private readonly failedSteps: string[] = [];
  private readonly bus: EventBus;
  /** Dry-run: what earlier steps would have made, so a later step that reads it would change rather than fail. */
  private readonly produced: Produced[] = [];

  /** Who runs the steps, for `become`. */
  private readonly self: Identity;
  /** The secret variables' values, kept off command lines. */
  private readonly secrets: Redactor;
  /** The machine's policy tightened by the plan's. */
  private readonly policy: SafetyPolicy;

  constructor(private readonly options: ExecuteOptions) {
    this.bus = options.bus;
    this.counts = { ok: 0, changed: 0, skipped: 0, failed: 0, ignored: 0, ...(options.dryRun ? { unknown: 0 } : {}) };
    this.self = currentIdentity((options.baseEnv ?? process.env).PATH ?? "");
    this.secrets = new Redactor(secretValues(options.secretVars ?? {}));
    this.policy = combinePolicies(options.policy ?? NO_POLICY, options.plan.safety ?? NO_POLICY);
    this.scope = layerVars(options.facts, options.plan.initial_vars, options.secretVars ?? {}, { [DRY_RUN_VARIABLE]: options.dryRun });
  }

  async run(): Promise<RunResult> {
    const { plan, dryRun } = this.options;
    const started = performance.now();
    this.bus.publish("run.started", {
      root_file: plan.root_file,
      dry_run: dryRun,
      tags: plan.tags,
      total_steps: plan.steps.length,
      ...(this.options.fromPlan !== undefined ? { from_plan: this.options.fromPlan } : {}),
    });
    this.bus.publish("plan.built", {
      root_file: plan.root_file,
      total_steps: plan.steps.length,
      selected_steps: plan.steps.filter((s) => !s.skipped).length,
      sources: plan.sources,
    });
    for (const step of plan.steps) {
      if (this.options.signal.aborted || this.failedSteps.length > 0) break;
      await this.runPlanStep(step);
    }
    const status: RunStatus = this.options.signal.aborted ? "interrupted" : this.failedSteps.length ? "failed" : "ok";
    this.bus.publish("run.finished", {
      status,
      dry_run: dryRun,
      duration_ms: performance.now() - started,
      counts: this.counts,
      failed_steps: this.failedSteps,
      ...(status === "interrupted" ? { error: { kind: "interrupted", message: "Interrupted by a signal" } } : {}),
    });
    return { status, counts: this.counts, failedSteps: this.failedSteps };
  }

  private async runPlanStep(step: PlanStep): Promise<void> {
    if (step.skipped) return this.finishUnstarted(step, step.skipped);
    if (step.deferred_with_items === undefined) return this.runStep(step);
    let items: unknown;
    try {
      items = compileExpression(step.deferred_with_items).evaluate(this.scope);
    } catch (e) {
      if (e instanceof UnknownValueError) return this.finishUnknown(step, `with_items: ${e.message}`);
      return this.runStep(step, stepErrorOf(e));
    }
    if (!Array.isArray(items)) {
      return this.runStep(step, { kind: "template", message: `with_items must be a list, got ${describeValue(items)}` });
    }
    const refusal = loopTooLong("with_items", items.length);
    if (refusal) return this.runStep(step, { kind: "validation", message: refusal });
    if (items.length === 0) return this.finishUnstarted(step, { reason: "empty_loop", message: "the loop list is empty" });
    for (const [index, item] of items.entries()) {
      if (this.options.signal.aborted || this.failedSteps.length > 0) return;
      const loop = { item, index, first: index === 0, last: index === items.length - 1 };
      await this.runStep({ ...step, id: `${step.id}[${index}]`, loop, deferred_with_items: undefined });
    }
  }

  /** A step that never started: outside the tags, or an empty loop. */
  private finishUnstarted(step: PlanStep, skipped: SkipInfo): void {
    const now = new Date().toISOString();
    this.finish(step, step.name, { status: "skipped", changed: false, startedAt: now, durationMs: 0, attempts: 0, skipped });
  }

  /** A dry-run step that never started because what decides it is unknown until the run (a loop over an unknown list). */
  private finishUnknown(step: PlanStep, why: string): void {
    const now = new Date().toISOString();
    this.finish(step, step.name, { ...unknownVerdict(why, []), startedAt: now, durationMs: 0 });
  }

  private async runStep(step: PlanStep, preFailure?: StepError): Promise<void> {
    const startedAt = new Date().toISOString();
    const started = performance.now();
    const local = { ...step.loop, ...(step.parameters ? { parameters: step.parameters } : {}) };
    const scope: Vars = step.loop || step.parameters ? withLoopVars(this.scope, local) : this.scope;
    // A `dry_run: run` step is a probe that runs for real in a dry-run too.
    const dryRun = this.options.dryRun && step.dry_run !== "run";
    this.bus.publish("step.started", { name: step.name, action: step.action, dry_run: dryRun, origin: position(step) }, step.id);
    const warnings: string[] = [];
    const done = (name: string, verdict: Verdict) =>
      this.finish(step, name, { ...verdict, startedAt, durationMs: performance.now() - started, ...(warnings.length ? { warnings } : {}) }, dryRun);

    let name = step.name;
    let action: ActionSpec | undefined;
    let resolved: ResolvedStep | undefined;
    try {
      if (preFailure) throw new ActionError(preFailure.kind, preFailure.message);
      action = this.options.actions.find(step.action);
      if (!action?.check) throw new ActionError("internal", `The ${step.action} action has no check (a bug in mooncake)`);
      const stopped = this.whenVerdict(step, action, scope);
      if (stopped) return done(name, stopped);
      resolved = resolveStep(step, action, scope);
      name = resolved.name;
      // A placeholder where the check looks (a path, a guard), or in a step that really runs, would mislead it.
      const unknownInput = resolved.unknownFields.find((f) => !dryRun || decidesCheck(f.field, action!));
      if (unknownInput) return done(name, unknownVerdict(readsUnknown(unknownInput), mayProduce(action, resolved)));
      const refused = this.safetyRefusal(action, resolved);
      if (refused) return done(name, refused);
      const ctx = this.context(resolved.settings, scope, resolved.limits.timeout, dryRun, warnings);
      const result = await this.attempt({ step, limits: resolved.limits, action, ctx, args: resolved.args, scope, dryRun });
      return done(name, placeholderVerdict(action, resolved, result) ?? {
        status: result.outcome.error ? "failed" : result.outcome.changed ? "changed" : "ok",
        changed: result.outcome.changed,
        attempts: result.attempts,
        ...(result.change ? { change: result.change } : {}),
        outcome: result.outcome,
        ...(result.outcome.error !== undefined && step.ignore_errors === true ? { ignored: true } : {}),
        ...(dryRun && result.change ? { produces: producedBy(result.change, resolved.settings) } : {}),
      });
    } catch (e) {
      if (e instanceof UnknownValueError || e instanceof UnknownUntilRun) return done(name, unknownVerdict(e.message, resolved ? mayProduce(action!, resolved) : []));
      const error = stepErrorOf(e);
      return done(name, { status: "failed", changed: false, attempts: 1, outcome: { changed: false, error }, ...(step.ignore_errors ? { ignored: true } : {}) });
    }
  }

  /**
   * The safety rules judged on the rendered step, before its check: a refusal fails it with
   * nothing run. In a dry-run, a refusal of a value holding a placeholder is unknown until run.
   */
  private safetyRefusal(action: ActionSpec, resolved: ResolvedStep): Verdict | undefined {
    const refusal = safetyRefusal(stepTouches(action, resolved.args, resolved.settings), this.policy, {
      acceptDanger: this.options.acceptDanger ?? false,
      configDirectories: resolved.settings.configDirectories,
    });
    if (!refusal) return undefined;
    const placeholder = resolved.unknownFields[0];
    if (placeholder) return unknownVerdict(`${readsUnknown(placeholder)}; checked with the placeholder: ${refusal.message}`, []);
    return { status: "failed", changed: false, attempts: 0, outcome: { changed: false, error: { kind: refusal.kind, message: refusal.message } } };
  }

  /** The verdict of a `when` that stops the step: false, or (in a dry-run) unknown until the run. */
  private whenVerdict(step: PlanStep, action: ActionSpec, scope: Vars): Verdict | undefined {
    if (step.when === undefined) return undefined;
    try {
      if (this.condition(step.when, scope)) return undefined;
    } catch (e) {
      if (!(e instanceof UnknownValueError)) throw e;
      return unknownVerdict(`when: ${e.message}`, this.mayProduceIfRun(step, action, scope));
    }
    return { status: "skipped", changed: false, attempts: 0, skipped: { reason: "when", message: `when: ${step.when} is false` } };
  }

  /** The paths a step whose `when` is unknown would make if it ran; none when its fields do not render yet. */
  private mayProduceIfRun(step: PlanStep, action: ActionSpec, scope: Vars): string[] {
    try {
      return mayProduce(action, resolveStep(step, action, scope));
    } catch {
      return [];
    }
  }

  /** check, then apply when something must change; again after a failure while retries remain. */
  private async attempt(attempting: Attempting): Promise<{ change?: Change; outcome: Outcome; attempts: number }> {
    const { step, limits } = attempting;
    const maxAttempts = (limits.retries ?? 0) + 1;
    const delayMs = limits.retry_delay === undefined ? 0 : parseDuration(limits.retry_delay);
    for (let attempt = 1; ; attempt++) {
      const { change, outcome } = await this.decide(attempting);
      const error = outcome.error;
      if (!error || attempt >= maxAttempts || error.kind === "interrupted" || this.options.signal.aborted) {
        return { ...(change ? { change } : {}), outcome, attempts: attempt };
      }
      this.bus.publish("step.retry", { attempt, max_attempts: maxAttempts, delay_ms: delayMs, error }, step.id);
      await abortableSleep(delayMs, this.options.signal);
      if (this.options.signal.aborted) return { ...(change ? { change } : {}), outcome, attempts: attempt };
    }
  }

  /**
   * One attempt: check, then apply in a real run when check found a change. An ActionError
   * thrown by either fails the attempt; in a real run changed_when/failed_when judge it all.
   * In a dry-run, an input that an earlier step would create is a change, not a failure.
   */
  private async decide({ step, action, ctx, args, scope, dryRun }: Attempting): Promise<{ change?: Change; outcome: Outcome }> {
    let change: Change | undefined;
    let outcome: Outcome;
    try {
      change = await action.check!(ctx, args);
      if (dryRun) return { change, outcome: { changed: change.kind !== "none" } };
      if (change.kind === "none") return { change, outcome: { changed: false } };
      if (!action.apply) throw new ActionError("internal", `The ${step.action} action found a change but cannot apply it`);
      outcome = await action.apply(ctx, args, change);
    } catch (e) {
      if (!(e instanceof ActionError)) throw e;
      if (dryRun && e instanceof MissingInputError) {
        const producer = this.producerOf(e.path);
        if (producer && e.onlyLooks) throw new UnknownUntilRun(`\`${e.path}\` is created by ${producer.stepId}`);
        if (producer) return { change: madeByEarlierStep(e.path, producer, action, args, ctx.step), outcome: { changed: true } };
      }
      outcome = { ...e.outcome, changed: false, error: { kind: e.kind, message: e.message } };
      if (dryRun) return { ...(change ? { change } : {}), outcome };
    }
    return { ...(change ? { change } : {}), outcome: this.applyConditions(step, outcome, scope) };
  }

  /**
   * The step of this dry-run that would create `path`: the first to make it or the closest
   * directory above it, else the first to make something below it (and so it, as a parent).
   */
  private producerOf(path: string): Produced | undefined {
    let closest: Produced | undefined;
    for (const p of this.produced) {
      if (within(path, p.path) && p.path.length > (closest?.path.length ?? -1)) closest = p;
    }
    return closest ?? this.produced.find((p) => within(p.path, path));
  }

  /** `changed_when` and `failed_when` see the step's result as `result` and override the action's verdict. */
  private applyConditions(step: PlanStep, outcome: Outcome, scope: Vars): Outcome {
    if (step.changed_when === undefined && step.failed_when === undefined) return outcome;
    let next = outcome;
    const resultScope = () => withLoopVars(scope, { result: buildRegisterValue(next, verdictStatus(next), 0) });
    if (step.changed_when !== undefined) {
      next = { ...next, changed: this.condition(step.changed_when, resultScope()) };
    }
    if (step.failed_when !== undefined && next.error?.kind !== "interrupted") {
      const failed = this.condition(step.failed_when, resultScope());
      const { error: _previous, ...rest } = next;
      next = failed ? { ...rest, error: next.error ?? { kind: "failed_when", message: `failed_when "${step.failed_when}" is true` } } : rest;
    }
    return next;
  }

  private condition(source: string, scope: Vars): boolean {
    return conditionValue(compileExpression(source).evaluate(scope), source);
  }

  private context(settings: StepSettings, vars: Vars, timeout: string | undefined, dryRun: boolean, warnings: string[]): ActionContext {
    const { signal, sudo, limits, baseEnv = process.env } = this.options;
    const timeoutMs = timeout === undefined ? undefined : parseDuration(timeout);
    const command = (argv: readonly string[], stdin?: string) =>
      settings.become ? becomeCommand(argv, { user: settings.becomeUser, env: settings.env, stdin, auth: sudo, self: this.self }) : { argv: [...argv], stdin };
    return {
      step: settings,
      dryRun,
      acceptDanger: this.options.acceptDanger ?? false,
      vars,
      signal,
      describe: (argv) => command(argv).argv.map(shellQuote).join(" "),
      fileChanged: (change) => this.bus.publish("file.changed", change, settings.id),
      run: async (argv: readonly string[], options: ProcessOptions = {}): Promise<ProcessResult> => {
        const streams = { stdout: new OutputCapture(limits), stderr: new OutputCapture(limits) };
        const batchers = {
          stdout: new OutputBatcher((lines, first) => this.bus.publish("step.stdout", { lines, first_line: first }, settings.id)),
          stderr: new OutputBatcher((lines, first) => this.bus.publish("step.stderr", { lines, first_line: first }, settings.id)),
        };
        const keep = options.capture ?? true;
        const secretFree = secretFreeArgv(argv, options.stdin, (text) => this.secrets.finds(text));
        if ("refusal" in secretFree) {
          return { rc: null, stdout: streams.stdout.result(), stderr: streams.stderr.result(), error: { kind: "validation", message: secretFree.refusal } };
        }
        const { argv: fullArgv, stdin } = command(secretFree.argv, secretFree.stdin);
        const exit = await runProcess({
          argv: fullArgv,
          ...(stdin !== undefined ? { stdin } : {}),
          env: { ...baseEnv, ...settings.env },
          cwd: settings.cwd,
          ...((options.timeoutMs ?? timeoutMs) !== undefined ? { timeoutMs: options.timeoutMs ?? timeoutMs } : {}),
          signal,
          keepWhole: (text, at) => this.secrets.cutBefore(text, at),
          onLine: (stream, line) => {
            if (!options.probe) batchers[stream].push(line);
            if (keep || options.probe) streams[stream].push(line);
          },
        });
        batchers.stdout.flush();
        batchers.stderr.flush();
        if (exit.outputLeftOpen) warnings.push(OUTPUT_LEFT_OPEN);
        const error = exit.spawnError
          ?? (exit.interrupted ? { kind: "interrupted" as const, message: "Interrupted: the step's processes were stopped" } : undefined)
          ?? (exit.timedOut ? { kind: "timeout" as const, message: `Timed out after ${options.timeoutMs !== undefined ? `${options.timeoutMs / 1000}s` : timeout}: the step's processes were stopped` } : undefined);
        return { rc: exit.rc, stdout: streams.stdout.result(), stderr: streams.stderr.result(), ...(error ? { error } : {}) };
      },
    };
  }

  private finish(step: PlanStep, name: string, verdict: Verdict & { startedAt: string; durationMs: number; warnings?: string[] }, dryRun = this.options.dryRun): void {
    const outcome = verdict.outcome ?? { changed: verdict.changed };
    const register = buildRegisterValue(outcome, verdict.status, verdict.durationMs);
    // In a dry-run, a step that would change did not run: what it registers is only known after a run.
    const knownAfterRun = dryRun && (verdict.status === "changed" || verdict.skipped?.reason === "unknown");
    if (step.register !== undefined) this.scope[step.register] = knownAfterRun ? new Unknown(step.register, step.id) : register;
    for (const path of verdict.produces ?? []) this.produced.push({ path, stepId: step.id });
    this.count(step.id, verdict);
    const { stdout_lines: _out, stderr_lines: _err, ...result } = register;
    const data: EventData<"step.finished"> = {
      name,
      action: step.action,
      status: verdict.status,
      changed: verdict.changed,
      dry_run: dryRun,
      started_at: verdict.startedAt,
      ended_at: new Date().toISOString(),
      duration_ms: verdict.durationMs,
      attempts: verdict.attempts,
      origin: position(step),
      result,
      ...(verdict.ignored ? { ignored: true } : {}),
      ...(knownAfterRun ? { known_after_run: true as const } : {}),
      ...(verdict.skipped ? { skipped: verdict.skipped } : {}),
      ...(verdict.change ? { change: verdict.change } : {}),
      ...(outcome.error ? { error: outcome.error } : {}),
      ...(verdict.warnings ? { warnings: verdict.warnings } : {}),
      ...(outcome.stdout ? { stdout_capture: captureStats(outcome.stdout) } : {}),
      ...(outcome.stderr ? { stderr_capture: captureStats(outcome.stderr) } : {}),
    };
    this.bus.publish("step.finished", data, step.id);
  }

  private count(id: string, verdict: Verdict): void {
    this.counts[verdict.status] += 1;
    if (verdict.skipped?.reason === "unknown") this.counts.unknown = (this.counts.unknown ?? 0) + 1;
    if (verdict.status !== "failed") return;
    if (verdict.ignored) this.counts.ignored += 1;
    else this.failedSteps.push(id);
  }
}

interface Verdict {
  status: StepStatus;
  changed: boolean;
  attempts: number;
  ignored?: boolean;
  skipped?: SkipInfo;
  change?: Change;
  outcome?: Outcome;
  /** Dry-run: paths the step would create or change, which later steps may read. */
  produces?: readonly string[];
}

/** What one attempt at a step works with. */
interface Attempting {
  step: PlanStep;
  /** Its timeout and retries, rendered. */
  limits: RunLimits;
  action: ActionSpec;
  ctx: ActionContext;
  args: unknown;
  scope: Vars;
  /** False for a real run, and for a `dry_run: run` step of a dry-run. */
  dryRun: boolean;
}

/** What a dry-run check cannot judge before earlier steps run, such as an assert about a file one of them creates. */
class UnknownUntilRun extends Error {}

/** A dry-run step whose verdict reads a value known only after a real run: neither failed nor silently skipped. */
function unknownVerdict(why: string, produces: readonly string[]): Verdict {
  return { status: "skipped", changed: false, attempts: 0, skipped: { reason: "unknown", message: `unknown until run: ${why}` }, produces };
}

/** `copy.dest reads out, known after step-0002 runs` */
function readsUnknown({ field, unknown }: UnknownField): string {
  return `${field} reads ${unknown.describe()}`;
}

/**
 * A dry-run check that saw "(known after run)" in a value and failed, or found nothing to do:
 * that says nothing of the run, so the step is unknown until run. A change it found stands, and
 * so does a message (what `print` shows, placeholders and all).
 */
function placeholderVerdict(action: ActionSpec, resolved: ResolvedStep, result: { change?: Change; outcome: Outcome }): Verdict | undefined {
  const placeholder = resolved.unknownFields[0];
  if (!placeholder) return undefined;
  const { change, outcome } = result;
  if (outcome.error) return unknownVerdict(`${readsUnknown(placeholder)}; checked with the placeholder, it failed: ${outcome.error.message}`, mayProduce(action, resolved));
  return change?.kind === "none" && change.message === undefined ? unknownVerdict(readsUnknown(placeholder), mayProduce(action, resolved)) : undefined;
}

/** Fields whose value decides what a check looks at: with a placeholder there, the check would look at the wrong thing. */
function decidesCheck(field: string, action: ActionSpec): boolean {
  return ["cwd", "creates", "unless"].includes(field) || (action.pathFields ?? []).some((p) => field === `${action.name}.${p}`);
}

/** The paths a change would create or modify, with the step's `creates` (what a command says it makes). */
function producedBy(change: Change, settings: StepSettings): string[] {
  if (change.kind === "none" || change.kind === "delete") return [];
  return [...(change.paths ?? []), ...(settings.creates !== undefined ? [settings.creates] : [])];
}

/**
 * Every path a step names (path fields and `creates`): when its outcome is unknown, any of them
 * may exist after it runs. A path that is itself unknown names nothing yet.
 */
function mayProduce(action: ActionSpec, { args, settings }: Pick<ResolvedStep, "args" | "settings">): string[] {
  return [...pathFieldValues(action, args), ...(settings.creates !== undefined ? [settings.creates] : [])].filter((p) => !p.includes(KNOWN_AFTER_RUN));
}

/** The change of a dry-run step whose input an earlier step would create: it would change what it names besides that input. */
function madeByEarlierStep(input: string, producer: Produced, action: ActionSpec, args: unknown, settings: StepSettings): Change {
  const paths = mayProduce(action, { args, settings }).filter((p) => p !== input);
  return { kind: "update", reason: `\`${input}\` is created by ${producer.stepId}`, detail: (paths.length ? paths : [input]).join("\n"), paths };
}

/** Whether `path` is `root` or below it. */
function within(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

function verdictStatus(outcome: Outcome): StepStatus {
  return outcome.error ? "failed" : outcome.changed ? "changed" : "ok";
}

function position(step: PlanStep): { file: string; line: number; col: number } {
  return { file: step.origin.file, line: step.origin.line, col: step.origin.col };
}

function captureStats({ text: _text, ...stats }: NonNullable<Outcome["stdout"]>) {
  return stats;
}

/** What failed a step: an action's own error, a template or expression that failed, or a bug. */
function stepErrorOf(e: unknown): StepError {
  if (e instanceof ActionError) return { kind: e.kind, message: e.message };
  const message = e instanceof Error ? e.message : String(e);
  const fromTemplate = e instanceof UndefinedVariableError || e instanceof ExpressionError || e instanceof ExpressionSyntaxError || e instanceof TemplateSyntaxError;
  return fromTemplate ? { kind: "template", message } : { kind: "internal", message: `Internal error (a bug in mooncake): ${message}` };
}


/** An argument as a POSIX shell would need it written, for showing commands. */
function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}
