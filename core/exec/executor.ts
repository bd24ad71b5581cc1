import { ActionError, type ActionCatalog, type ActionContext, type ActionSpec, type Outcome, type ProcessOptions, type ProcessResult, type StepSettings } from "./action.ts";
import { OutputCapture, type CaptureLimits } from "./capture.ts";
import { OutputBatcher } from "./output_batcher.ts";
import type { Change, Counts, EventData, RunStatus, SkipInfo, StepError, StepStatus } from "../events/event.ts";
import type { EventBus } from "../events/event_bus.ts";
import { compileExpression, ExpressionError, ExpressionSyntaxError, UndefinedVariableError, type Vars } from "../expr/compile_expression.ts";
import { conditionValue } from "../expr/condition_value.ts";
import { describeValue } from "../expr/describe_value.ts";
import { loopTooLong, type Plan, type PlanStep } from "../plan/plan.ts";
import { layerVars, withLoopVars } from "../plan/variable_layers.ts";
import { TemplateSyntaxError } from "../template/parse_template.ts";
import { becomeCommand, currentIdentity, type Identity, type SudoAuth } from "../security/become.ts";
import { Redactor, secretValues } from "../security/redactor.ts";
import { secretFreeArgv } from "../security/secret_free_argv.ts";
import { parseDuration } from "./duration.ts";
import { abortableSleep } from "./abortable_sleep.ts";
import { buildRegisterValue } from "./register_value.ts";
import { resolveStep, type RunLimits } from "./resolve_step.ts";
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
  /** --i-accept-danger: actions may do what they otherwise refuse as dangerous. */
  acceptDanger?: boolean;
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

class Executor {
  private readonly scope: Record<string, unknown>;
  private readonly counts: Counts = { ok: 0, changed: 0, skipped: 0, failed: 0, ignored: 0 };
  private readonly failedSteps: string[] = [];
  private readonly bus: EventBus;

  /** Who runs the steps, for `become`. */
  private readonly self: Identity;
  /** The secret variables' values, kept off command lines. */
  private readonly secrets: Redactor;

  constructor(private readonly options: ExecuteOptions) {
    this.bus = options.bus;
    this.self = currentIdentity((options.baseEnv ?? process.env).PATH ?? "");
    this.secrets = new Redactor(secretValues(options.secretVars ?? {}));
    this.scope = layerVars(options.facts, options.plan.initial_vars, options.secretVars ?? {});
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

  private async runStep(step: PlanStep, preFailure?: StepError): Promise<void> {
    const startedAt = new Date().toISOString();
    const started = performance.now();
    const local = { ...step.loop, ...(step.parameters ? { parameters: step.parameters } : {}) };
    const scope: Vars = step.loop || step.parameters ? withLoopVars(this.scope, local) : this.scope;
    const dryRun = this.options.dryRun;
    this.bus.publish("step.started", { name: step.name, action: step.action, dry_run: dryRun, origin: position(step) }, step.id);
    const warnings: string[] = [];
    const done = (name: string, verdict: Verdict) =>
      this.finish(step, name, { ...verdict, startedAt, durationMs: performance.now() - started, ...(warnings.length ? { warnings } : {}) });

    let name = step.name;
    try {
      if (preFailure) throw new ActionError(preFailure.kind, preFailure.message);
      if (step.when !== undefined && !this.condition(step.when, scope)) {
        return done(name, { status: "skipped", changed: false, attempts: 0, skipped: { reason: "when", message: `when: ${step.when} is false` } });
      }
      const action = this.options.actions.find(step.action);
      if (!action?.check) throw new ActionError("internal", `The ${step.action} action has no check (a bug in mooncake)`);
      const resolved = resolveStep(step, action, scope);
      name = resolved.name;
      const ctx = this.context(resolved.settings, scope, resolved.limits.timeout, warnings);
      const result = await this.attempt(step, resolved.limits, action, ctx, resolved.args, scope);
      const ignored = result.outcome.error !== undefined && step.ignore_errors === true;
      return done(name, {
        status: result.outcome.error ? "failed" : result.outcome.changed ? "changed" : "ok",
        changed: result.outcome.changed,
        attempts: result.attempts,
        ...(result.change ? { change: result.change } : {}),
        outcome: result.outcome,
        ...(ignored ? { ignored } : {}),
      });
    } catch (e) {
      const error = stepErrorOf(e);
      return done(name, { status: "failed", changed: false, attempts: 1, outcome: { changed: false, error }, ...(step.ignore_errors ? { ignored: true } : {}) });
    }
  }

  /** check, then apply when something must change; again after a failure while retries remain. */
  private async attempt(step: PlanStep, limits: RunLimits, action: ActionSpec, ctx: ActionContext, args: unknown, scope: Vars): Promise<{ change?: Change; outcome: Outcome; attempts: number }> {
    const maxAttempts = (limits.retries ?? 0) + 1;
    const delayMs = limits.retry_delay === undefined ? 0 : parseDuration(limits.retry_delay);
    for (let attempt = 1; ; attempt++) {
      const { change, outcome } = await this.decide(step, action, ctx, args, scope);
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
   */
  private async decide(step: PlanStep, action: ActionSpec, ctx: ActionContext, args: unknown, scope: Vars): Promise<{ change?: Change; outcome: Outcome }> {
    let change: Change | undefined;
    let outcome: Outcome;
    try {
      change = await action.check!(ctx, args);
      if (this.options.dryRun) return { change, outcome: { changed: change.kind !== "none" } };
      if (change.kind === "none") return { change, outcome: { changed: false } };
      if (!action.apply) throw new ActionError("internal", `The ${step.action} action found a change but cannot apply it`);
      outcome = await action.apply(ctx, args, change);
    } catch (e) {
      if (!(e instanceof ActionError)) throw e;
      outcome = { ...e.outcome, changed: false, error: { kind: e.kind, message: e.message } };
      if (this.options.dryRun) return { ...(change ? { change } : {}), outcome };
    }
    return { ...(change ? { change } : {}), outcome: this.applyConditions(step, outcome, scope) };
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

  private context(settings: StepSettings, vars: Vars, timeout: string | undefined, warnings: string[]): ActionContext {
    const { dryRun, signal, sudo, limits, baseEnv = process.env } = this.options;
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

  private finish(step: PlanStep, name: string, verdict: Verdict & { startedAt: string; durationMs: number; warnings?: string[] }): void {
    const outcome = verdict.outcome ?? { changed: verdict.changed };
    const register = buildRegisterValue(outcome, verdict.status, verdict.durationMs);
    if (step.register !== undefined) this.scope[step.register] = register;
    this.count(step.id, verdict);
    const { stdout_lines: _out, stderr_lines: _err, ...result } = register;
    const data: EventData<"step.finished"> = {
      name,
      action: step.action,
      status: verdict.status,
      changed: verdict.changed,
      dry_run: this.options.dryRun,
      started_at: verdict.startedAt,
      ended_at: new Date().toISOString(),
      duration_ms: verdict.durationMs,
      attempts: verdict.attempts,
      origin: position(step),
      result,
      ...(verdict.ignored ? { ignored: true } : {}),
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
