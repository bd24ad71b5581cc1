import { Command } from "clipanion";
import { EXIT } from "./config_command.ts";
import { textOrJsonFormat } from "./format_option.ts";

export class ActionsListCommand extends Command {
  static override paths = [["actions", "list"]];

  static override usage = Command.Usage({
    description: "List every action and the platforms it supports",
    details: `
      A plan that uses an action its platform lacks fails when it is built, unless the step's
      \`when\` is already known to be false then (\`when: os == "linux"\`).
    `,
    examples: [["The platform matrix as JSON", "$0 actions list --format json"]],
  });

  format = textOrJsonFormat();

  async execute(): Promise<number> {
    const [{ ACTIONS }, { ALL_PLATFORMS }] = await Promise.all([import("../actions/registry.ts"), import("../core/exec/action.ts")]);
    if (this.format === "json") {
      const rows = ACTIONS.all.map((a) => ({ name: a.name, summary: a.summary, phase: a.phase, platforms: [...a.platforms] }));
      this.context.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return EXIT.ok;
    }
    const width = Math.max(...ACTIONS.all.map((a) => a.name.length));
    const header = `${"action".padEnd(width)}  ${ALL_PLATFORMS.map((p) => p.padEnd(7)).join(" ")}  summary`;
    const lines = ACTIONS.all.map((a) => {
      const marks = ALL_PLATFORMS.map((p) => (a.platforms.includes(p) ? "yes" : "-").padEnd(7)).join(" ");
      return `${a.name.padEnd(width)}  ${marks}  ${a.summary}`;
    });
    this.context.stdout.write(`${[header, ...lines].join("\n")}\n`);
    return EXIT.ok;
  }
}
