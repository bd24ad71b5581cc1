import { join } from "node:path";
import { rmSync } from "node:fs";
import type { RunEvent, RunEventOf } from "../../core/events/event.ts";
import type { EventSink } from "../../core/events/event_bus.ts";
import { writeFileAtomic } from "../../core/fs/write_file_atomic.ts";
import { loopStepId, type Plan } from "../../core/plan/plan.ts";
import { describeFileError } from "../describe_file_error.ts";
import { shapeFailure } from "../failure.ts";
import { ARTIFACT_SCHEMA_VERSION, RUN_FILES, type FileChange, type RunDiff, type RunResults, type RunSummary, type StepResult } from "../run_files.ts";
import { LineFile } from "./line_file.ts";
import { ArtifactsError, createRunDirectory, unlockRunDirectory, type RunDirectory } from "./run_directory.ts";
import { recordFinishedRun } from "./run_index.ts";
import { stepResult } from "./step_result.ts";

export interface RunWriterOptions {
  directory: RunDirectory;
  /** Redacted by the caller, as the bus redacts events. */
  plan: Plan;
  /** The facts read so far, redacted: written at the start and again at the end, so facts.json holds every fact the run used. */
  facts: () => Readonly<Record<string, unknown>>;
  /** Write every output line to stdout.log / stderr.log. */
  captureFullOutput: boolean;
}

type Stream = "stdout" | "stderr";

/**
 * The artifact writer: an event sink that records a run in its directory (docs/run-artifacts.md).
 * plan.json and facts.json are written when it starts (facts.json again at the end, with the
 * fact groups the run read meanwhile); events.jsonl (and the full output logs)
 * grow as events arrive and are flushed at every step boundary; results.json, diff.json and
 * summary.json are written when the run finishes, then the run is added to runs/history.jsonl
 * and runs/last_run.json and the lock is released. A directory without summary.json is a run
 * that never finished.
 */
export class RunWriter {
  /**
   * The first write that failed. The writer stops appending events there and the run goes on;
   * at its end results, diff and summary are still tried (the summary saying `error_kind:
   * artifacts`), so a full disk leaves a recorded run wherever a few KB still fit.
   */
  failure: Error | undefined;
  readonly sink: EventSink = (event) => this.receive(event);

  private readonly dir: string;
  private readonly events: LineFile;
  private readonly logs: Record<Stream, LineFile> | undefined;
  /** Steps that wrote to each log, so results can point at it. */
  private readonly logged: Record<Stream, Set<string>> = { stdout: new Set(), stderr: new Set() };
  private readonly levels: ReadonlyMap<string, number>;
  private readonly steps: StepResult[] = [];
  private readonly changedFiles: FileChange[] = [];
  private started: RunEventOf<"run.started"> | undefined;
  /** Whether events are still appended to events.jsonl and the logs. */
  private recording = true;
  /** Whether the writer is done, finished or abandoned. */
  private ended = false;

  /** Creates the run directory (unique, locked) and starts recording; throws ArtifactsError. */
  static open(options: Omit<RunWriterOptions, "directory"> & { artifactsDir: string; baseRunId: string }): RunWriter {
    const directory = createRunDirectory(options.artifactsDir, options.baseRunId);
    try {
      return new RunWriter({ ...options, directory });
    } catch (e) {
      // The run has not started: it leaves no directory rather than half of one.
      rmSync(directory.dir, { recursive: true, force: true });
      throw new ArtifactsError(describeFileError(e));
    }
  }

  private constructor(private readonly options: RunWriterOptions) {
    this.dir = options.directory.dir;
    this.levels = new Map(options.plan.steps.map((s) => [s.id, s.origin.include_stack.length]));
    this.writeJson(RUN_FILES.plan, options.plan);
    this.writeFacts();
    this.events = new LineFile(this.path(RUN_FILES.events));
    this.logs = options.captureFullOutput
      ? { stdout: new LineFile(this.path(RUN_FILES.stdout)), stderr: new LineFile(this.path(RUN_FILES.stderr)) }
      : undefined;
  }

  private writeFacts(): void {
    this.writeJson(RUN_FILES.facts, { schema_version: ARTIFACT_SCHEMA_VERSION, ...this.options.facts() });
  }

  get runId(): string {
    return this.options.directory.runId;
  }

  get runDir(): string {
    return this.dir;
  }

  /**
   * Ends a run that never finished (the executor failed, or a write did): what was recorded is
   * flushed, the lock released, and no summary written, so the run reads as incomplete.
   */
  abandon(): void {
    if (this.ended) return;
    this.ended = true;
    this.recording = false;
    this.guard(() => this.closeStreams());
    this.guard(() => unlockRunDirectory(this.dir));
  }

  private receive(event: RunEvent): void {
    if (this.ended) return;
    if (this.recording) this.guard(() => this.record(event));
    this.remember(event);
    if (event.type === "run.finished") this.finish(event);
  }

  /** Appends the event, flushing at step boundaries; throws when the disk refuses. */
  private record(event: RunEvent): void {
    this.events.append(`${JSON.stringify(event)}\n`);
    if (event.type === "step.stdout" || event.type === "step.stderr") {
      this.logLines(event.type === "step.stdout" ? "stdout" : "stderr", event.step_id ?? "", event.data.lines);
    }
    if (event.type === "step.started" || event.type === "step.finished") this.flush();
  }

  /** What results, diff and summary are built from, kept in memory whether or not the disk takes the events. */
  private remember(event: RunEvent): void {
    if (event.type === "run.started") this.started = event;
    else if (event.type === "file.changed") this.changedFiles.push({ ...event.data, step_id: event.step_id ?? "" });
    else if (event.type === "step.finished") {
      this.steps.push(stepResult(event, this.level(event.step_id ?? ""), (stream) => this.fullLog(stream, event.step_id ?? "")));
    }
  }

  private logLines(stream: Stream, stepId: string, lines: readonly string[]): void {
    if (!this.logs) return;
    for (const line of lines) this.logs[stream].append(`[${stepId}] ${line}\n`);
    this.logged[stream].add(stepId);
  }

  private fullLog(stream: Stream, stepId: string): string | null {
    return this.logged[stream].has(stepId) ? RUN_FILES[stream] : null;
  }

  private level(stepId: string): number {
    return this.levels.get(stepId) ?? this.levels.get(loopStepId(stepId)) ?? 0;
  }

  /** Writes results, diff and summary (last), then the history line; each is tried even after a failure. */
  private finish(event: RunEventOf<"run.finished">): void {
    this.ended = true;
    if (this.recording) this.guard(() => this.closeStreams());
    this.recording = false;
    const runId = event.run_id;
    this.guard(() => this.writeFacts());
    const counts = this.counts();
    const results: RunResults = { schema_version: ARTIFACT_SCHEMA_VERSION, run_id: runId, dry_run: event.data.dry_run, ...counts, steps: this.steps };
    this.guard(() => this.writeJson(RUN_FILES.results, results));
    const diff: RunDiff = { schema_version: ARTIFACT_SCHEMA_VERSION, run_id: runId, dry_run: event.data.dry_run, changed_files: this.changedFiles, total: this.changedFiles.length };
    this.guard(() => this.writeJson(RUN_FILES.diff, diff));
    const summary: RunSummary = {
      schema_version: ARTIFACT_SCHEMA_VERSION,
      run_id: runId,
      root_file: this.started?.data.root_file ?? this.options.plan.root_file,
      dry_run: event.data.dry_run,
      status: event.data.status,
      success: event.data.status === "ok",
      start_time: this.started?.timestamp ?? event.timestamp,
      end_time: event.timestamp,
      duration_ms: event.data.duration_ms,
      planned_steps: this.options.plan.steps.length,
      ...counts,
      failed_step_ids: event.data.failed_steps,
      ...this.runFailure(event),
      full_output: this.logs !== undefined,
    };
    let recorded = false;
    this.guard(() => {
      this.writeJson(RUN_FILES.summary, summary);
      recorded = true;
    });
    if (recorded) this.guard(() => recordFinishedRun(this.options.directory.runsDir, summary));
    this.guard(() => unlockRunDirectory(this.dir));
  }

  /** Why the run did not succeed: the first failed step, or the run's own error (an interrupt). */
  private runFailure(event: RunEventOf<"run.finished">): Pick<RunSummary, "error_message" | "error_kind" | "evidence"> {
    const run = this.stepOrRunFailure(event);
    if (!this.failure) return run;
    const also = run.error_message ? `; the run itself: ${run.error_message}` : "";
    return { error_message: `Run artifacts are incomplete: ${describeFileError(this.failure)}${also}`, error_kind: "artifacts", evidence: run.evidence };
  }

  private stepOrRunFailure(event: RunEventOf<"run.finished">): Pick<RunSummary, "error_message" | "error_kind" | "evidence"> {
    const failed = this.steps.find((s) => s.status === "failed" && !s.ignored);
    if (failed?.error_kind) {
      return {
        error_message: `Step "${failed.name}" (${failed.step_id}) failed: ${failed.error_message}`,
        error_kind: failed.error_kind,
        evidence: [RUN_FILES.results, ...failed.evidence],
      };
    }
    if (event.data.error) {
      const { error_kind, error_message } = shapeFailure(event.data.error, []);
      return { error_message, error_kind, evidence: [RUN_FILES.events] };
    }
    return { error_message: null, error_kind: null, evidence: [] };
  }

  private counts() {
    const count = (test: (s: StepResult) => boolean) => this.steps.filter(test).length;
    return {
      total_steps: this.steps.length,
      success_steps: count((s) => s.status === "ok" || s.status === "changed"),
      failed_steps: count((s) => s.status === "failed"),
      skipped_steps: count((s) => s.status === "skipped"),
      changed_steps: count((s) => s.status === "changed"),
      ignored_steps: count((s) => s.status === "failed" && s.ignored),
    };
  }

  private flush(): void {
    this.events.flush();
    this.logs?.stdout.flush();
    this.logs?.stderr.flush();
  }

  private closeStreams(): void {
    this.events.close();
    this.logs?.stdout.close();
    this.logs?.stderr.close();
  }

  private writeJson(name: string, value: unknown): void {
    writeFileAtomic(this.path(name), `${JSON.stringify(value, null, 2)}\n`);
  }

  private path(name: string): string {
    return join(this.dir, name);
  }

  /** The first failure in words, with the file it concerns: `Cannot write ".../events.jsonl": no space left on device`. */
  get failureMessage(): string | undefined {
    return this.failure && describeFileError(this.failure);
  }

  private guard(work: () => void): void {
    try {
      work();
    } catch (e) {
      this.recording = false;
      this.failure ??= e instanceof Error ? e : new Error(String(e));
    }
  }
}
