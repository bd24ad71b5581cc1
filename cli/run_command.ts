import { Option, UsageError } from "clipanion";
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as t from "typanion";
import type { RunResult } from "../core/exec/executor.ts";
import type { Plan } from "../core/plan/plan.ts";
import type { SafetyPolicy } from "../core/security/safety_policy.ts";
import { keepRunningWhenStdoutCloses } from "./closed_stdout.ts";
import { abortOnSignals } from "./abort_on_signals.ts";
import { BecomeCommand } from "./become_command.ts";
import { ALLOW_UNKNOWN_TAGS_DESCRIPTION, checkTags, CONFIG_OPTION_DESCRIPTION, ConfigCommand, EXIT, splitTags } from "./config_command.ts";

export class RunCommand extends BecomeCommand {
  static override paths = [["run"]];

  static override usage = ConfigCommand.Usage({
    description: "Apply a config to this machine, or preview it with --dry-run",
    details: `
      Compiles the config exactly as \`plan\` does (or loads a plan saved with \`plan --output\`),
      then runs its steps in order. Each step ends ok, changed, skipped or failed; a failed step
      stops the run unless it has \`ignore_errors: true\` or a \`failed_when\` that says otherwise.

      \`--dry-run\` decides everything a run would (the same checks, on the same machine) and
      shows, for each step, what would change and why, and the command that would run. It
      writes nothing and runs no command, apart from \`unless\` probes, which only look, and
      steps marked \`dry_run: run\`. A value a step that did not run would register shows as
      \`(known after run)\`; a \`when\` or \`assert\` over one is reported as unknown until run.

      Output: on a terminal a live view, elsewhere (or with \`--raw\`) plain lines; with
      \`--log-format json\` one JSON event per line on standard output and nothing else.

      Steps with \`become: true\` run through sudo. Its password comes from one of
      \`--ask-become-pass\`, \`--sudo-pass-file\` (mode 0600), \`SUDO_ASKPASS\`, or \`--sudo-pass\`
      with \`--insecure-sudo-pass\`; with none, sudo must not need one (\`sudo -n\`). The password
      and the values of \`--secret-vars\` files are redacted from every output.

      Every run, a dry-run too, is recorded in \`--artifacts-dir\` (default \`.mooncake\`):
      \`runs/<run_id>/\` holds the plan, facts, events, results, changed files and summary
      (docs/run-artifacts.md); \`mooncake runs list\` and \`runs show\` read them back.

      Exit codes: 0 every step ended ok, changed or skipped; 2 invalid input; 3 a step failed;
      130 interrupted. With \`--dry-run --detailed-exitcode\`: 0 nothing would change, 4
      something would change (or is unknown until run), 2 and 3 as usual.
    `,
    examples: [
      ["Preview what a run would change", "$0 run --config site.yml --dry-run"],
      ["Gate CI on a preview: exit 4 when something would change", "$0 run -c site.yml --dry-run --detailed-exitcode"],
      ["Run only the web steps", "$0 run -c site.yml --tags web"],
      ["Run a saved plan, events as JSON lines", "$0 run --from-plan plan.json --log-format json"],
    ],
  });

  config = Option.String("-c,--config", { description: CONFIG_OPTION_DESCRIPTION });

  fromPlan = Option.String("--from-plan", { description: "Run a plan saved by `plan --output` instead of a config (refused when its files changed)" });

  tags = Option.Array("-t,--tags", [], { description: "Select steps by tag (comma-separated, repeatable)" });

  allowUnknownTags = Option.Boolean("--allow-unknown-tags", false, { description: ALLOW_UNKNOWN_TAGS_DESCRIPTION });

  dryRun = Option.Boolean("--dry-run", false, { description: "Show what would change without changing anything" });

  detailedExitcode = Option.Boolean("--detailed-exitcode", false, { description: "With --dry-run: exit 0 when nothing would change, 4 when something would" });

  raw = Option.Boolean("--raw", false, { description: "Plain lines instead of the live terminal view" });

  logFormat = Option.String("--log-format", "text", {
    description: "text, or json for one event per line on standard output",
    validator: t.isEnum(["text", "json"] as const),
  });

  logLevel = Option.String("--log-level", "info", {
    description: "debug (with command output), info, warn or error",
    validator: t.isEnum(["debug", "info", "warn", "error"] as const),
  });

  maxOutputBytes = Option.String("--max-output-bytes", "1048576", {
    description: "Output kept per step and stream, head and tail, in bytes (default 1 MiB)",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isAtLeast(64)]),
  });

  maxOutputLines = Option.String("--max-output-lines", "1000", {
    description: "Output lines kept per step and stream, head and tail (default 1000)",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isAtLeast(2)]),
  });

  artifactsDir = Option.String("--artifacts-dir", ".mooncake", { description: "Where run artifacts go: DIR/runs/<run_id>/ (default .mooncake)" });

  noArtifacts = Option.Boolean("--no-artifacts", false, { description: "Record nothing of the run (no run directory)" });

  captureFullOutput = Option.Boolean("--capture-full-output", false, { description: "Keep every output line in stdout.log and stderr.log of the run directory" });

  factsJson = Option.String("--facts-json", { description: "Write the facts the run read (basic facts and every group used) to this JSON file" });

  acceptDanger = Option.Boolean("--i-accept-danger", false, { description: "Allow the steps that fall in a danger category, such as removing / or writing /etc/fstab (docs/safety.md); the --policy rules still hold" });

  async execute(): Promise<number> {
    if ((this.configFile === undefined) === (this.fromPlan === undefined)) {
      throw new UsageError("Give either a config (`mooncake run site.yml`, or --config FILE) or --from-plan PLAN");
    }
    if (this.detailedExitcode && !this.dryRun) throw new UsageError("--detailed-exitcode goes with --dry-run: it tells whether the preview found anything to change");
    const loaded = await this.loadPlan();
    if (!loaded) return EXIT.invalidInput;
    const { plan, secretVars, policy } = loaded;

    const sudo = await this.sudoAuth(plan, this.dryRun);
    if (!sudo) return EXIT.invalidInput;
    const [{ ACTIONS }, { Redactor, secretValues }, { EventBus }, { executePlan }, { makeRunId }, { machineFacts }, { choosePresenter }, { RunWriter }, { ArtifactsError }] = await Promise.all([
      import("../actions/registry.ts"),
      import("../core/security/redactor.ts"),
      import("../core/events/event_bus.ts"),
      import("../core/exec/executor.ts"),
      import("../core/exec/run_id.ts"),
      import("../core/facts/machine_facts.ts"),
      import("./choose_presenter.ts"),
      import("../artifacts/writer/run_writer.ts"),
      import("../artifacts/writer/run_directory.ts"),
    ]);
    const redactor = new Redactor([...secretValues(secretVars), ...(sudo.kind === "password" ? [sudo.password] : [])]);
    const facts = machineFacts().vars;
    const baseRunId = makeRunId(plan.root_file, String(facts.hostname), new Date());
    let writer: ReturnType<typeof RunWriter.open> | undefined;
    try {
      writer = !this.noArtifacts
        ? RunWriter.open({ artifactsDir: this.artifactsDir, baseRunId, plan: redactor.value(plan), facts: () => redactor.value(machineFacts().snapshot()), captureFullOutput: this.captureFullOutput })
        : undefined;
    } catch (e) {
      if (!(e instanceof ArtifactsError)) throw e;
      this.context.stderr.write(`error: ${e.message}\n`);
      return EXIT.invalidInput;
    }
    const bus = new EventBus(writer?.runId ?? baseRunId, redactor);
    bus.subscribe(choosePresenter({
      stdout: this.context.stdout as NodeJS.WriteStream,
      format: this.logFormat,
      level: this.logLevel,
      raw: this.raw,
    }));
    if (writer) bus.subscribe(writer.sink);

    keepRunningWhenStdoutCloses();
    const controller = new AbortController();
    const stopListening = abortOnSignals(controller);
    let result: RunResult;
    try {
      result = await executePlan({
        plan,
        actions: ACTIONS,
        facts,
        secretVars,
        dryRun: this.dryRun,
        acceptDanger: this.acceptDanger,
        policy,
        bus,
        signal: controller.signal,
        sudo,
        limits: { maxBytes: Number(this.maxOutputBytes), maxLines: Number(this.maxOutputLines) },
        ...(this.fromPlan !== undefined ? { fromPlan: this.fromPlan } : {}),
      });
    } finally {
      stopListening();
      writer?.abandon();
      if (writer?.failure) this.context.stderr.write(`warning: Run artifacts in "${writer.runDir}" are incomplete: ${writer.failureMessage}\n`);
    }
    for (const warning of machineFacts().takeWarnings()) this.context.stderr.write(`warning: ${warning}\n`);
    if (writer && this.logFormat === "text") this.context.stdout.write(`Run ${writer.runId}: ${writer.runDir}\n`);
    if (writer) await this.autoGc();
    if (this.factsJson !== undefined && !(await this.writeFactsJson(this.factsJson, machineFacts().snapshot()))) return EXIT.runFailed;
    return this.exitCode(result);
  }

  private exitCode({ status, counts }: RunResult): number {
    if (status === "interrupted") return EXIT.interrupted;
    if (status !== "ok") return EXIT.runFailed;
    return this.detailedExitcode && counts.changed + (counts.unknown ?? 0) > 0 ? EXIT.wouldChange : EXIT.ok;
  }

  /** Applies the store's policy after a recorded run when its artifacts.yaml says `gc: {auto: true}`; never fails the run. */
  private async autoGc(): Promise<void> {
    if (!existsSync(join(this.artifactsDir, "artifacts.yaml"))) return;
    const { autoGc } = await import("../artifacts/store/auto_gc.ts");
    const outcome = await autoGc(this.artifactsDir, new Date());
    if (outcome && outcome.moved.length > 0) {
      this.context.stderr.write(`gc: moved ${outcome.moved.length} old run(s) to the trash by the policy; report: ${outcome.reportPath}\n`);
    }
  }

  /** Writes the facts the run read; says whether it could. */
  private async writeFactsJson(path: string, facts: Record<string, unknown>): Promise<boolean> {
    const [{ writeFileAtomic }, { describeFsError }] = await Promise.all([
      import("../core/fs/write_file_atomic.ts"),
      import("../core/config/source_file.ts"),
    ]);
    try {
      writeFileAtomic(path, `${JSON.stringify(facts, null, 2)}\n`);
      return true;
    } catch (e) {
      this.context.stderr.write(`error: Cannot write facts to "${path}": ${describeFsError(e)}\n`);
      return false;
    }
  }

  private async loadPlan(): Promise<{ plan: Plan; secretVars: Record<string, unknown>; policy: SafetyPolicy } | undefined> {
    if (this.fromPlan === undefined) {
      const tags = splitTags(this.tags);
      const result = await this.compile(tags, "skip");
      const { formatDiagnostic } = await import("../core/config/diagnostics.ts");
      for (const d of result.diagnostics) this.context.stderr.write(`${formatDiagnostic(d)}\n`);
      if (result.plan) checkTags(result.plan, tags, this.allowUnknownTags);
      return result.plan ? { plan: result.plan, secretVars: result.secretVars, policy: result.policy } : undefined;
    }
    if (this.tags.length > 0 || this.varsFiles.length > 0 || this.varAssignments.length > 0) {
      throw new UsageError("A saved plan already has its tags and variables: --tags, --vars and --var go with --config");
    }
    const [{ loadSavedPlan, SavedPlanError }, { formatDiagnostic }, { ACTIONS }] = await Promise.all([
      import("../core/plan/load_saved_plan.ts"),
      import("../core/config/diagnostics.ts"),
      import("../actions/registry.ts"),
    ]);
    const secrets = await this.loadSecretVars();
    const { policy, diagnostics: policyDiagnostics } = await this.loadPolicy();
    for (const d of [...secrets.diagnostics, ...policyDiagnostics]) this.context.stderr.write(`${formatDiagnostic(d)}\n`);
    if (secrets.diagnostics.length > 0 || policyDiagnostics.length > 0) return undefined;
    try {
      return { plan: await loadSavedPlan(this.fromPlan, ACTIONS), secretVars: secrets.vars, policy };
    } catch (e) {
      if (!(e instanceof SavedPlanError)) throw e;
      this.context.stderr.write(`error: ${e.message}\n`);
      return undefined;
    }
  }
}
