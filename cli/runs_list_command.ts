import { Command, Option } from "clipanion";
import { EXIT } from "./config_command.ts";
import { textOrJsonFormat } from "./format_option.ts";

export const ARTIFACTS_DIR_OPTION = ["--artifacts-dir", ".mooncake", { description: "The artifacts directory the runs were recorded in (default .mooncake)" }] as const;

export class RunsListCommand extends Command {
  static override paths = [["runs", "list"]];

  static override usage = Command.Usage({
    description: "List the recorded runs, newest first",
    details: `
      Reads \`runs/history.jsonl\` of the artifacts directory: one line per finished run, with its
      status, start, duration and step counts. A line that cannot be read is reported, not skipped.
      Runs killed before they finished have no history line: \`runs show\` reads their directory.

      A run gc moved to the trash is marked "(in the trash)" (\`artifacts restore\` brings it
      back), one deleted for good "(deleted)".

      \`--format json\` prints \`{"runs": [history entries], "trashed": [run ids], "deleted": [run
      ids], "problems": [messages]}\`; each entry has the shape of \`schemas/history.schema.json\`.
    `,
    examples: [
      ["List the runs", "$0 runs list"],
      ["The newest run's id", "$0 runs list --format json | jq -r '.runs[0].run_id'"],
    ],
  });

  artifactsDir = Option.String(...ARTIFACTS_DIR_OPTION);

  format = textOrJsonFormat();

  async execute(): Promise<number> {
    const [{ join }, { readHistory }, { historyLines }, { styleFor }] = await Promise.all([
      import("node:path"),
      import("../artifacts/reader/read_history.ts"),
      import("../artifacts/reader/format_runs.ts"),
      import("../core/events/presenters/style.ts"),
    ]);
    const runsDir = join(this.artifactsDir, "runs");
    const history = readHistory(runsDir);
    if (this.format === "json") {
      this.context.stdout.write(`${JSON.stringify({ runs: history.entries, trashed: history.trashed, deleted: history.deleted, problems: history.problems }, null, 2)}\n`);
      return EXIT.ok;
    }
    for (const problem of history.problems) this.context.stderr.write(`warning: ${problem}\n`);
    const lines = history.entries.length ? historyLines(history, styleFor(this.context.stdout as NodeJS.WriteStream)) : [`No runs recorded in "${runsDir}"`];
    this.context.stdout.write(`${lines.join("\n")}\n`);
    return EXIT.ok;
  }
}
