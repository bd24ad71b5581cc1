import { Command, Option } from "clipanion";
import { EXIT } from "./config_command.ts";
import { textOrJsonFormat } from "./format_option.ts";

export class FactsCommand extends Command {
  static override paths = [["facts"]];

  static override usage = Command.Usage({
    description: "Print every fact mooncake knows about this machine",
    details: `
      Computes every fact group at once (system, cpu, memory, disks, network, gpu, toolchains),
      running their probes in parallel. Configs read the same values as variables: flat names
      such as \`os\`, \`cpu_cores\` or \`git_version\`, and groups such as \`cpu.model\`,
      \`gpu.count\` or \`toolchains.git\` (full list in docs/facts.md).

      A probe that fails or does not answer within the timeout (5 s, or
      \`MOONCAKE_FACTS_TIMEOUT\` seconds) is a warning on standard error; its facts are empty.
      The text format leaves out the flat aliases of group members (\`cpu_model\` is
      \`cpu.model\`); JSON has both.
    `,
    examples: [
      ["Show the facts", "$0 facts"],
      ["Facts as JSON", "$0 facts --format json"],
    ],
  });

  format = textOrJsonFormat();

  json = Option.Boolean("--json", false, { description: "Same as --format json" });

  async execute(): Promise<number> {
    const [{ machineFacts }, { formatFactsText }] = await Promise.all([
      import("../core/facts/machine_facts.ts"),
      import("../core/facts/format_facts.ts"),
    ]);
    const facts = machineFacts();
    await facts.collectAll();
    for (const warning of facts.takeWarnings()) this.context.stderr.write(`warning: ${warning}\n`);
    const asJson = this.json || this.format === "json";
    this.context.stdout.write(asJson ? `${JSON.stringify(facts.snapshot(), null, 2)}\n` : formatFactsText(facts.snapshot({ flat: false })));
    return EXIT.ok;
  }
}
