import { Option, UsageError } from "clipanion";
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as t from "typanion";
import type { RunResult } from "../core/exec/executor.ts";
import type { HostInput } from "../core/fleet/host_input.ts";
import type { InventoryHost } from "../core/fleet/inventory.ts";
import type { Plan } from "../core/plan/plan.ts";
import type { SafetyPolicy } from "../core/security/safety_policy.ts";
import type { RunWriter } from "../artifacts/writer/run_writer.ts";
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
      with \`--insecure-sudo-pass\`; with none, sudo must not need one (\`sudo -n\`). The password,
      the values of \`--secret-vars\` files and of the variables the config names in \`secrets:\`,
      and what templates make of them, are redacted from every output (docs/safety.md).

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

  inventory = Option.String("-i,--inventory", { description: "Run on the hosts of this Ansible inventory (YAML or INI) over ssh instead of on this machine (docs/fleet.md)" });

  limit = Option.String("-l,--limit", { description: "With --inventory: only the hosts and groups this pattern selects (Ansible's patterns)" });

  forks = Option.String("--forks", "10", {
    description: "With --inventory: how many hosts run at once (default 10)",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isAtLeast(1)]),
  });

  dist = Option.String("--dist", { description: "With --inventory: a `make dist` folder with the binaries for hosts of another platform" });

  sshConfig = Option.String("--ssh-config", { description: "With --inventory: the ssh_config file ssh reads instead of ~/.ssh/config (ssh -F)" });

  fleetInput = Option.Boolean("--fleet-input", false, {
    description: "Read this host's variables, secret variables and sudo password as JSON from standard input (how a fleet run starts mooncake on each host)",
    hidden: true,
  });

  async execute(): Promise<number> {
    if ((this.configFile === undefined) === (this.fromPlan === undefined)) {
      throw new UsageError("Give either a config (`mooncake run site.yml`, or --config FILE) or --from-plan PLAN");
    }
    if (this.detailedExitcode && !this.dryRun) throw new UsageError("--detailed-exitcode goes with --dry-run: it tells whether the preview found anything to change");
    if (this.inventory !== undefined) return await this.runOnFleet(this.inventory);
    if (this.limit !== undefined || this.dist !== undefined || this.sshConfig !== undefined) throw new UsageError("--limit, --dist and --ssh-config go with --inventory");
    const hostInput = this.fleetInput ? await this.readHostInput() : undefined;
    if (this.fleetInput && !hostInput) return EXIT.invalidInput;
    const loaded = await this.loadPlan(hostInput);
    if (!loaded) return EXIT.invalidInput;
    const { plan, secretVars, policy } = loaded;

    const sudo = hostInput?.sudo_password !== undefined ? { kind: "password" as const, password: hostInput.sudo_password } : await this.sudoAuth(plan, this.dryRun);
    if (!sudo) return EXIT.invalidInput;
    const [{ ACTIONS }, { Redactor, secretValues }, { EventBus }, { executePlan }, { makeRunId }, { machineFacts }, { choosePresenter }, { planForRecord }] = await Promise.all([
      import("../actions/registry.ts"),
      import("../core/security/redactor.ts"),
      import("../core/events/event_bus.ts"),
      import("../core/exec/executor.ts"),
      import("../core/exec/run_id.ts"),
      import("../core/facts/machine_facts.ts"),
      import("./choose_presenter.ts"),
      import("../core/exec/no_log.ts"),
    ]);
    const redactor = new Redactor([...secretValues(secretVars), ...(sudo.kind === "password" ? [sudo.password] : [])]);
    const facts = machineFacts().vars;
    const baseRunId = makeRunId(plan.root_file, String(facts.hostname), new Date());
    let writer: RunWriter | undefined;
    if (!this.noArtifacts) {
      // The writer's modules load only for a run that records.
      const [{ RunWriter }, { ArtifactsError }] = await Promise.all([import("../artifacts/writer/run_writer.ts"), import("../artifacts/writer/run_directory.ts")]);
      try {
        writer = RunWriter.open({ artifactsDir: this.artifactsDir, baseRunId, plan: redactor.value(planForRecord(plan)), facts: () => redactor.value(machineFacts().snapshot()), captureFullOutput: this.captureFullOutput });
      } catch (e) {
        if (!(e instanceof ArtifactsError)) throw e;
        this.context.stderr.write(`error: ${e.message}\n`);
        return EXIT.invalidInput;
      }
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
    if (this.factsJson !== undefined && !(await this.writeFactsJson(this.factsJson, redactor.value(machineFacts().snapshot())))) return EXIT.runFailed;
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

  private async loadPlan(hostInput?: HostInput): Promise<{ plan: Plan; secretVars: Record<string, unknown>; policy: SafetyPolicy } | undefined> {
    if (this.fromPlan === undefined) {
      const tags = splitTags(this.tags);
      const result = await this.compile(tags, "skip", hostInput);
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
      const plan = await loadSavedPlan(this.fromPlan, ACTIONS);
      const missing = (plan.secrets ?? []).filter((name) => !(name in secrets.vars) && !plan.steps.some((s) => s.register === name));
      if (missing.length > 0) {
        const names = missing.map((name) => `"${name}"`).join(", ");
        throw new SavedPlanError(`Plan "${this.fromPlan}" uses the secret${missing.length > 1 ? "s" : ""} ${names}, whose value no plan holds: give ${missing.length > 1 ? "them" : "it"} with --secret-vars FILE`);
      }
      return { plan, secretVars: secrets.vars, policy };
    } catch (e) {
      if (!(e instanceof SavedPlanError)) throw e;
      this.context.stderr.write(`error: ${e.message}\n`);
      return undefined;
    }
  }

  /** What the fleet runner sent on standard input; undefined (after saying why) when it is unusable. */
  private async readHostInput(): Promise<HostInput | undefined> {
    const { readHostInput, HostInputError } = await import("../core/fleet/host_input.ts");
    try {
      return await readHostInput(process.stdin);
    } catch (e) {
      if (!(e instanceof HostInputError)) throw e;
      this.context.stderr.write(`error: ${e.message}\n`);
      return undefined;
    }
  }

  /** `run --inventory`: the config on every selected host over ssh (core/fleet), then the summary. */
  private async runOnFleet(inventoryPath: string): Promise<number> {
    if (this.fromPlan !== undefined || this.factsJson !== undefined || this.fleetInput) {
      throw new UsageError("--inventory compiles the config on each host: it does not go with --from-plan, --facts-json or --fleet-input");
    }
    const hosts = await this.fleetHosts(inventoryPath);
    if (!hosts) return EXIT.invalidInput;
    const tags = splitTags(this.tags);
    const compiled = await this.compileForHosts(hosts, tags);
    if (!compiled) return EXIT.invalidInput;
    const { plans, secretVars, policy } = compiled;
    const plan = plans[0]!;
    const sudo = await this.sudoAuth(plans.find((p) => p.steps.some((s) => s.become)) ?? plan, this.dryRun);
    if (!sudo) return EXIT.invalidInput;
    const { loadVarsFile, parseVarAssignment } = await import("../core/plan/load_vars.ts");

    const [{ configBundle, bundleTar, BundleError }, { hostInputFor }, { BinaryCatalog }, { runFleet }, { buildInfo }, { Redactor, secretValues }, { EventBus }, { makeRunId }, { fleetPresenter }, { jsonPresenter }, { styleFor }] = await Promise.all([
      import("../core/fleet/config_bundle.ts"),
      import("../core/fleet/host_input.ts"),
      import("../core/fleet/mooncake_binary.ts"),
      import("../core/fleet/run_fleet.ts"),
      import("../core/build/build_info.ts"),
      import("../core/security/redactor.ts"),
      import("../core/events/event_bus.ts"),
      import("../core/exec/run_id.ts"),
      import("../core/events/presenters/fleet_presenter.ts"),
      import("../core/events/presenters/json_presenter.ts"),
      import("../core/events/presenters/style.ts"),
    ]);
    let bundle;
    try {
      const files = configBundle(plans);
      bundle = { rootFile: files.rootFile, tar: await bundleTar(files), files: files.files.size };
    } catch (e) {
      if (!(e instanceof BundleError)) throw e;
      this.context.stderr.write(`error: ${e.message}\n`);
      return EXIT.invalidInput;
    }
    // Validated by the compile above; sent as values so the hosts need not have the files.
    const userVars: Record<string, unknown> = {};
    for (const path of this.varsFiles) Object.assign(userVars, loadVarsFile(path).vars);
    for (const text of this.varAssignments) {
      const parsed = parseVarAssignment(text);
      if ("name" in parsed) userVars[parsed.name] = parsed.value;
    }
    const sudoPassword = sudo.kind === "password" ? sudo.password : undefined;
    const redactor = new Redactor([...secretValues(secretVars), ...(sudoPassword !== undefined ? [sudoPassword] : [])]);
    const bus = new EventBus(makeRunId(plan.root_file, "fleet", new Date()), redactor);
    const stdout = this.context.stdout as NodeJS.WriteStream;
    bus.subscribe(this.logFormat === "json"
      ? jsonPresenter(stdout)
      : fleetPresenter(stdout, { level: this.logLevel, style: styleFor(stdout), live: !this.raw && Boolean(stdout.isTTY), columns: () => stdout.columns ?? 100 }));

    keepRunningWhenStdoutCloses();
    const controller = new AbortController();
    const stopListening = abortOnSignals(controller);
    const result = await runFleet({
      hosts,
      rootFile: plan.root_file,
      dryRun: this.dryRun,
      forks: Number(this.forks),
      bundle,
      binaries: new BinaryCatalog({ path: process.execPath, target: buildInfo().target }, this.dist),
      runArgs: this.hostRunArgs(tags),
      inputFor: (host) => hostInputFor(host, { userVars, secretVars, policy, ...(sudoPassword !== undefined ? { sudoPassword } : {}) }),
      ...(!this.noArtifacts ? { artifactsDir: this.artifactsDir } : {}),
      ...(this.sshConfig !== undefined ? { sshConfig: this.sshConfig } : {}),
      bus,
      signal: controller.signal,
    }).finally(stopListening);
    if (result.status === "interrupted") return EXIT.interrupted;
    if (result.status !== "ok") return EXIT.runFailed;
    const changed = [...result.outcomes.values()].some((o) => (o.counts?.changed ?? 0) + (o.counts?.unknown ?? 0) > 0);
    return this.detailedExitcode && changed ? EXIT.wouldChange : EXIT.ok;
  }

  /**
   * The config compiled here for each host, with its inventory vars and become default: the
   * config is checked before anything connects, and every file any host's plan reads is bundled.
   * This machine's facts stand in for the host's, which the host's own run reads.
   */
  private async compileForHosts(hosts: readonly InventoryHost[], tags: readonly string[]): Promise<{ plans: Plan[]; secretVars: Record<string, unknown>; policy: SafetyPolicy } | undefined> {
    const { formatDiagnostic } = await import("../core/config/diagnostics.ts");
    const plans: Plan[] = [];
    let secretVars: Record<string, unknown> = {};
    let policy: SafetyPolicy | undefined;
    for (const [index, host] of hosts.entries()) {
      const become = host.become ? { become: { enabled: host.become.enabled, ...(host.become.user !== undefined ? { user: host.become.user } : {}) } } : {};
      const result = await this.compile(tags, "skip", { vars: host.vars as Record<string, unknown>, secret_vars: {}, ...become });
      if (index === 0 || !result.plan) {
        if (index > 0) this.context.stderr.write(`error: The config does not compile for host "${host.name}":\n`);
        for (const d of result.diagnostics) this.context.stderr.write(`${formatDiagnostic(d)}\n`);
      }
      if (!result.plan) return undefined;
      checkTags(result.plan, tags, this.allowUnknownTags);
      plans.push(result.plan);
      secretVars = result.secretVars;
      policy = result.policy;
    }
    return { plans, secretVars, policy: policy! };
  }

  /** The selected hosts of the inventory; undefined (after saying why) when it cannot be read. */
  private async fleetHosts(path: string): Promise<InventoryHost[] | undefined> {
    const [{ loadInventory, InventoryError }, { selectHosts, HostPatternError }] = await Promise.all([
      import("../core/fleet/load_inventory.ts"),
      import("../core/fleet/select_hosts.ts"),
    ]);
    try {
      return selectHosts(loadInventory(path), this.limit);
    } catch (e) {
      if (e instanceof HostPatternError) throw new UsageError(`--limit: ${e.message}`);
      if (!(e instanceof InventoryError)) throw e;
      this.context.stderr.write(`${e.message}\n`);
      return undefined;
    }
  }

  /** The flags of this run that each host's `mooncake run` gets as they are. */
  private hostRunArgs(tags: readonly string[]): string[] {
    return [
      ...(this.dryRun ? ["--dry-run"] : []),
      ...(tags.length ? ["--tags", tags.join(","), "--allow-unknown-tags"] : []),
      "--max-output-bytes", String(this.maxOutputBytes),
      "--max-output-lines", String(this.maxOutputLines),
      ...(this.captureFullOutput ? ["--capture-full-output"] : []),
      ...(this.acceptDanger ? ["--i-accept-danger"] : []),
    ];
  }
}
