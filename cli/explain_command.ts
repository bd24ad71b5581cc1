import { Option, UsageError } from "clipanion";
import { abortOnSignals } from "./abort_on_signals.ts";
import { BecomeCommand } from "./become_command.ts";
import { ALLOW_UNKNOWN_TAGS_DESCRIPTION, checkTags, CONFIG_OPTION_DESCRIPTION, ConfigCommand, EXIT, splitTags } from "./config_command.ts";
import { textOrJsonFormat } from "./format_option.ts";
import { ARTIFACTS_DIR_OPTION } from "./runs_list_command.ts";

export class ExplainCommand extends BecomeCommand {
  static override paths = [["explain"]];

  static override usage = ConfigCommand.Usage({
    description: "Say why each step would run, change or be skipped, without applying anything",
    details: `
      For each step (every step, or the ids named), explains: where it is written and the
      include and preset steps that led there; its \`when\`, with every variable it reads, the
      value, and where that value came from (\`--var\`, a \`--vars\` file and line, the config's
      \`vars:\`, a \`vars\` step, an \`include_vars\` file, a fact and its group, "registered by
      step-0003"), the values it overrode and why; whether \`--tags\` selects it; the live check
      verdict (would change and why, with the diff, or up to date and why); the safety rules that
      apply; and its outcome in the newest real run of the config recorded in \`--artifacts-dir\`.

      The verdicts come from a dry-run of the whole plan, exactly as \`run --dry-run\` decides
      them: nothing is applied and nothing is recorded. Secrets are redacted as in a run.

      The config is the first argument or \`--config\`; the other arguments are step ids (a
      loop's id names all its items). An unknown id is a usage error that lists the ids
      closest to it. \`--format json\` prints one document (\`schemas/explain.schema.json\`).
    `,
    examples: [
      ["Explain every step", "$0 explain site.yml"],
      ["Explain two steps with a variable overridden", "$0 explain site.yml step-0003 step-0007 --var env=prod"],
      ["As JSON", "$0 explain --config site.yml step-0003 --format json"],
    ],
  });

  config = Option.String("-c,--config", { description: CONFIG_OPTION_DESCRIPTION });

  /** The config (unless --config names it), then step ids: clipanion cannot have an optional positional before a rest. */
  positionals = Option.Rest({ name: "CONFIG STEP_ID" });

  tags = Option.Array("-t,--tags", [], { description: "Select steps by tag (comma-separated, repeatable), as the run would" });

  allowUnknownTags = Option.Boolean("--allow-unknown-tags", false, { description: ALLOW_UNKNOWN_TAGS_DESCRIPTION });

  artifactsDir = Option.String(...ARTIFACTS_DIR_OPTION);

  acceptDanger = Option.Boolean("--i-accept-danger", false, { description: "Check as a run with --i-accept-danger would" });

  format = textOrJsonFormat();

  /** With --config, every argument is a step id; without, the first one is the config. */
  protected override get configFile(): string | undefined {
    return this.config ?? this.positionals[0];
  }

  private get stepIds(): string[] {
    return this.config !== undefined ? this.positionals : this.positionals.slice(1);
  }

  async execute(): Promise<number> {
    const tags = splitTags(this.tags);
    const compiled = await this.compile(tags, "explain");
    const [{ formatDiagnostic }, { selectSteps }] = await Promise.all([
      import("../core/config/diagnostics.ts"),
      import("../core/explain/select_steps.ts"),
    ]);
    for (const d of compiled.diagnostics) this.context.stderr.write(`${formatDiagnostic(d)}\n`);
    const { plan, secretVars } = compiled;
    if (!plan) return EXIT.invalidInput;
    checkTags(plan, tags, this.allowUnknownTags);
    const selection = selectSteps(plan, this.stepIds);
    if (selection.unknown.length > 0) throw new UsageError(selection.unknown.map(unknownStep).join("; "));

    const sudo = await this.sudoAuth(plan, true);
    if (!sudo) return EXIT.invalidInput;
    const [{ join }, { ACTIONS }, { Redactor, secretValues }, { machineFacts }, { DEFAULT_CAPTURE_LIMITS }, { dryRunPlan }, { explainPlan }, { lastRunOutcomes }, { planTimeVerdicts }, { combinePolicies, NO_POLICY }, { layerVars }] = await Promise.all([
      import("node:path"),
      import("../actions/registry.ts"),
      import("../core/security/redactor.ts"),
      import("../core/facts/machine_facts.ts"),
      import("../core/exec/capture.ts"),
      import("../core/explain/dry_run_plan.ts"),
      import("../core/explain/explain_plan.ts"),
      import("../artifacts/reader/last_run_outcomes.ts"),
      import("../core/security/plan_safety.ts"),
      import("../core/security/safety_policy.ts"),
      import("../core/plan/variable_layers.ts"),
    ]);
    const redactor = new Redactor([...secretValues(secretVars), ...(sudo.kind === "password" ? [sudo.password] : [])]);
    const facts = machineFacts();
    const controller = new AbortController();
    const stopListening = abortOnSignals(controller);
    let dryRun;
    try {
      dryRun = await dryRunPlan({
        plan,
        actions: ACTIONS,
        facts: facts.vars,
        secretVars,
        acceptDanger: this.acceptDanger,
        policy: compiled.policy,
        signal: controller.signal,
        sudo,
        limits: DEFAULT_CAPTURE_LIMITS,
      }, redactor);
    } finally {
      stopListening();
    }
    if (dryRun.status === "interrupted") return EXIT.interrupted;
    const policy = combinePolicies(compiled.policy, plan.safety ?? NO_POLICY);
    const scope = layerVars(facts.vars, plan.initial_vars);
    const realPaths = new Map<string, string>();
    const explanation = explainPlan({
      plan,
      indexes: selection.indexes,
      settings: compiled.variables ?? [],
      facts: facts.vars,
      factGroup: (name) => facts.groupOf(name),
      dryRun,
      lastRun: lastRunOutcomes(join(this.artifactsDir, "runs"), plan.root_file),
      redactor,
      judge: (step) => planTimeVerdicts(step, ACTIONS, policy, scope, realPaths),
    });
    for (const warning of facts.takeWarnings()) this.context.stderr.write(`warning: ${warning}\n`);
    if (this.format === "json") {
      this.context.stdout.write(`${JSON.stringify(explanation, null, 2)}\n`);
    } else {
      const [{ renderExplanation }, { styleFor }] = await Promise.all([
        import("../core/explain/render_explanation.ts"),
        import("../core/events/presenters/style.ts"),
      ]);
      this.context.stdout.write(renderExplanation(explanation, styleFor(this.context.stdout as NodeJS.WriteStream)));
    }
    return EXIT.ok;
  }
}

function unknownStep({ name, close }: { name: string; close: string[] }): string {
  return `No step "${name}" in the plan${close.length ? `: did you mean ${close.join(", ")}?` : ""} (\`mooncake plan\` lists the ids)`;
}
